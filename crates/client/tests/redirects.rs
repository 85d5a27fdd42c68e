//! The key never follows a redirect: an upstream (hc-sim with its redirect
//! fault) answers 301/302/307/308 pointing at a second server on another
//! loopback port that records every request and header it receives. The
//! second server must receive nothing, and the client must fail with an
//! error that says where the redirect pointed and what to configure,
//! without the key. Plain-http bases are refused unless on loopback.

use std::time::Duration;

use hc_client::{ApiKey, ArticleQuery, Client, ClientError, RetryPolicy};
use hc_core::wire::{HelpCenterData, UpdateArticle};
use hc_sim::{Faults, Recorder, Redirect, SimConfig, SimHandle};

const KEY: &str = "K3yThatMustNeverTravelElsewhere0123456789abcdefghijklmnopqrstuvw";

async fn redirecting_upstream(status: u16, to: &str) -> SimHandle {
    let config = SimConfig {
        read_keys: vec![KEY.into()],
        rate_limit: 0,
        faults: Faults {
            redirect: Some(Redirect {
                status,
                to: to.to_string(),
            }),
            ..Faults::default()
        },
        ..SimConfig::new(HelpCenterData {
            site: serde_json::from_str(r#"{"default_language":"en","languages":["en"]}"#).unwrap(),
            categories: Vec::new(),
            articles: Vec::new(),
        })
    };
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn client(base: &str) -> Client {
    Client::new(base, ApiKey::new(KEY).unwrap())
        .unwrap()
        .with_limiter(None)
        .with_retry(RetryPolicy {
            max_attempts: 2,
            base_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
}

fn assert_clear(err: &ClientError, status: u16, recorder: &Recorder) {
    assert!(
        matches!(err, ClientError::Redirected { status: s, .. } if *s == status),
        "{status}: {err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(&status.to_string()), "{text}");
    assert!(
        text.contains(recorder.url().trim_start_matches("http://")),
        "says where it pointed: {text}"
    );
    assert!(text.contains("never follows redirects"), "{text}");
    assert!(
        text.contains("API base URL"),
        "says what to configure: {text}"
    );
    assert!(!text.contains(KEY), "no key in the error");
    assert!(!format!("{err:?}").contains(KEY), "no key in Debug either");
}

#[tokio::test]
async fn no_redirect_is_followed_and_the_key_stays_home() {
    let recorder = Recorder::start().await.unwrap();
    let mut failures = Vec::new();
    for status in [301, 302, 303, 307, 308] {
        let upstream = redirecting_upstream(status, recorder.url()).await;
        let c = client(&upstream.api_url());
        let update = UpdateArticle {
            published: Some(false),
            ..Default::default()
        };
        failures.push((status, c.list_categories(1, 100).await.err()));
        failures.push((
            status,
            c.list_all_articles(&ArticleQuery::default()).await.err(),
        ));
        failures.push((status, c.update_article(1, &update).await.err()));
        failures.push((status, c.probe_write("/articles/0").await.err()));
        let calls = upstream.calls();
        assert!(calls.iter().all(|c| c.status == status), "{calls:?}");
        assert_eq!(
            calls.iter().map(|c| c.count).sum::<u64>(),
            4,
            "one request per call: a redirect is not retried"
        );
        upstream.shutdown().await;
    }
    let seen = recorder.seen();
    assert!(
        seen.is_empty(),
        "the second server received {} request(s), key included: {}",
        seen.len(),
        seen.iter().any(|s| s.contains(KEY))
    );
    for (status, err) in failures {
        let err = err.unwrap_or_else(|| panic!("{status}: the call succeeded"));
        assert_clear(&err, status, &recorder);
        assert!(!err.is_transient(), "a redirect is configuration, not luck");
    }
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    let key = || ApiKey::new(KEY).unwrap();
    for base in [
        "http://api.helpcenter.io/v1",
        "http://10.0.0.7:8099/v1",
        "http://[2001:db8::1]/v1",
        "http://localhost.example.com/v1",
        "http://128.0.0.1/v1",
    ] {
        let err = Client::new(base, key()).unwrap_err();
        assert!(
            matches!(err, ClientError::InsecureUrl(_)),
            "{base}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("https://"), "{text}");
        assert!(!text.contains(KEY));
    }
    for base in [
        "https://api.helpcenter.io/v1",
        "https://10.0.0.7/v1",
        "http://127.0.0.1:8099/v1",
        "http://127.3.2.1/v1",
        "http://[::1]:8099/v1",
        "http://localhost:8099/v1",
        "http://LOCALHOST/v1",
    ] {
        assert!(Client::new(base, key()).is_ok(), "{base}");
    }
}
