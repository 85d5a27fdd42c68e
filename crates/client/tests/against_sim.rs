//! The client against a real simulator over loopback: pagination to the
//! last page, 429s honoured, 5xx retried for reads but a POST never
//! repeated, errors classified, the shared limiter keeping a burst under
//! the upstream's limit.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hc_client::{ApiKey, ArticleQuery, Client, ClientError, RetryPolicy, UpstreamLimiter};
use hc_core::wire::{CreateArticle, HelpCenterData};
use hc_sim::{Faults, SimConfig, SimHandle};

const READ: &str = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
const WRITE: &str = "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww";

fn debian() -> HelpCenterData {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/debian-reference.json");
    serde_json::from_slice(&std::fs::read(path).expect("corpus")).expect("corpus parses")
}

async fn sim(rate_limit: u32, window: Duration) -> SimHandle {
    let config = SimConfig {
        read_keys: vec![READ.into()],
        write_keys: vec![WRITE.into()],
        rate_limit,
        rate_window: window,
        ..SimConfig::new(debian())
    };
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}

fn client(sim: &SimHandle, key: &str) -> Client {
    Client::new(&sim.api_url(), ApiKey::new(key).unwrap())
        .unwrap()
        .with_retry(fast_policy())
        .with_limiter(None)
}

#[tokio::test]
async fn walks_every_page() {
    let sim = sim(0, Duration::from_secs(60)).await;
    let c = client(&sim, READ);
    let articles = c.list_all_articles(&ArticleQuery::default()).await.unwrap();
    assert_eq!(articles.len(), 417);
    assert_eq!(sim.call_count("GET", "/v1/articles"), 5);
    let categories = c.list_all_categories().await.unwrap();
    assert_eq!(categories.len(), 110);
    let de = c
        .list_all_articles(&ArticleQuery {
            lang: Some("de".parse().unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(de.len(), 415);
    assert!(de.iter().all(|a| a.title.len() == 1));
}

#[tokio::test]
async fn honours_429_and_retry_after() {
    let sim = sim(3, Duration::from_secs(2)).await;
    let c = client(&sim, READ);
    let started = Instant::now();
    let articles = c.list_all_articles(&ArticleQuery::default()).await.unwrap();
    assert_eq!(articles.len(), 417);
    let refused: u64 = sim
        .calls()
        .iter()
        .filter(|c| c.status == 429)
        .map(|c| c.count)
        .sum();
    assert!(refused >= 1, "the 4th page must have been refused once");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "it waited for Retry-After"
    );
}

#[tokio::test]
async fn retries_reads_on_5xx_but_never_repeats_a_post() {
    let sim = sim(0, Duration::from_secs(60)).await;
    sim.set_faults(Faults {
        error_rate: 0.5,
        seed: 3,
        ..Default::default()
    });
    let reads = client(&sim, READ).with_retry(RetryPolicy {
        max_attempts: 10,
        ..fast_policy()
    });
    assert_eq!(reads.list_all_categories().await.unwrap().len(), 110);
    assert!(
        sim.calls().iter().any(|c| c.status == 500),
        "some pages failed first"
    );

    sim.set_faults(Faults {
        error_rate: 1.0,
        ..Default::default()
    });
    sim.reset_calls();
    let writes = client(&sim, WRITE);
    let req = CreateArticle {
        title: hc_core::tr!("en" => "Once"),
        ..Default::default()
    };
    let err = writes.create_article(&req).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(
        sim.call_count("POST", "/v1/articles"),
        1,
        "a POST that may have been applied is not repeated"
    );
}

#[tokio::test]
async fn classifies_errors() {
    let sim = sim(0, Duration::from_secs(60)).await;
    let bad = client(&sim, &"x".repeat(64));
    assert!(matches!(
        bad.list_categories(1, 10).await,
        Err(ClientError::Unauthorized(_))
    ));
    let read = client(&sim, READ);
    let req = CreateArticle {
        title: hc_core::tr!("en" => "x"),
        ..Default::default()
    };
    let err = read.create_article(&req).await.unwrap_err();
    assert!(matches!(err, ClientError::Forbidden(_)));
    assert!(err.to_string().contains("creating articles"), "{err}");
    let write = client(&sim, WRITE);
    let err = write
        .create_article(&CreateArticle::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::BadRequest(_)), "{err}");
    assert!(
        !err.to_string().contains(WRITE),
        "errors never carry the key"
    );
    // Nothing listens on port 9 of loopback: a transport error, retried, then reported.
    let nowhere = Client::new("http://127.0.0.1:9/v1", ApiKey::new(READ).unwrap())
        .unwrap()
        .with_retry(RetryPolicy {
            max_attempts: 2,
            ..fast_policy()
        });
    let err = nowhere.list_categories(1, 1).await.unwrap_err();
    assert!(err.is_transient() && err.status().is_none(), "{err}");
    assert!(Client::new("ftp://example/v1", ApiKey::new(READ).unwrap()).is_err());
}

#[tokio::test]
async fn the_shared_limiter_keeps_clones_under_the_upstream_limit() {
    // Upstream: 10 per second. Two clones share one limiter and make 24 calls.
    let sim = sim(10, Duration::from_secs(1)).await;
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let c = client(&sim, READ)
        .with_limiter(Some(UpstreamLimiter::new(10, Duration::from_secs(1))))
        .with_observer(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
    let a = c.clone();
    let b = c.clone();
    let (ra, rb) = tokio::join!(
        async move {
            for _ in 0..12 {
                a.list_categories(1, 1).await.unwrap();
            }
        },
        async move {
            for _ in 0..12 {
                b.list_categories(1, 1).await.unwrap();
            }
        }
    );
    let _ = (ra, rb);
    assert_eq!(calls.load(Ordering::Relaxed), 24, "no retries were needed");
    assert!(
        sim.calls().iter().all(|c| c.status != 429),
        "{:?}",
        sim.calls()
    );
}
