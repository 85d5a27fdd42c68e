//! The upstream failing: 500s, stalls past the client timeout and 429s
//! (simulator fault injection). Visitors keep getting the last good
//! snapshot, metrics show the stale serves and the failed refreshes, and
//! a cold start with the upstream down answers 503 JSON with Retry-After.

mod common;

use std::time::Duration;

use common::*;
use hc_core::HelpCenterData;
use hc_sim::Faults;
use reqwest::StatusCode;

fn small() -> HelpCenterData {
    // The first 40 articles of the Debian corpus: enough content, quick walks.
    let mut data = debian();
    data.articles.truncate(40);
    data
}

async fn snapshot_etag(c: &reqwest::Client, url: &str) -> (StatusCode, Option<String>) {
    // brotli: a small precomputed body, so timing shows waiting, not copying
    let r = c
        .get(url)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    let etag = r
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string());
    (r.status(), etag)
}

async fn metrics(c: &reqwest::Client, proxy: &Running) -> String {
    c.get(proxy.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_good_snapshot_survives_500s_stalls_and_429s() {
    let (sim, proxy) = stack(small(), |s| {
        s.fresh_for = Duration::from_secs(1);
        s.upstream_timeout = Duration::from_millis(300);
        s.retry_failed_after = Duration::from_millis(200);
    })
    .await;
    let c = http();
    let url = proxy.url("/v1/snapshot");
    let (status, good) = snapshot_etag(&c, &url).await;
    assert_eq!(status, StatusCode::OK);
    let good = good.unwrap();

    let scenarios = [
        (
            "500s",
            Faults {
                error_rate: 1.0,
                ..Faults::default()
            },
        ),
        (
            "stalls",
            Faults {
                stall_rate: 1.0,
                stall_ms: 2_000,
                ..Faults::default()
            },
        ),
        (
            "429s",
            Faults {
                rate_limit_rate: 1.0,
                retry_after_secs: 1,
                ..Faults::default()
            },
        ),
    ];
    for (name, faults) in scenarios {
        sim.set_faults(faults);
        tokio::time::sleep(Duration::from_millis(1_100)).await; // the copy is now stale
        let errors = |text: &str| metric(text, "hc_proxy_refreshes_total{result=\"error\"}");
        let before = errors(&metrics(&c, &proxy).await);
        // Visitors keep getting the same snapshot, immediately, throughout.
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(1_500) {
            let t = std::time::Instant::now();
            let (status, etag) = snapshot_etag(&c, &url).await;
            assert_eq!(status, StatusCode::OK, "{name}");
            assert_eq!(etag.as_deref(), Some(good.as_str()), "{name}");
            assert!(
                t.elapsed() < Duration::from_millis(450),
                "{name}: stale answers do not wait"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let after = errors(&metrics(&c, &proxy).await);
        assert!(after > before, "{name}: a refresh was tried and failed");
    }
    let text = metrics(&c, &proxy).await;
    assert!(
        metric(&text, "hc_proxy_cache_requests_total{outcome=\"stale\"}") >= 20.0,
        "{text}"
    );
    assert!(
        metric(&text, "hc_proxy_refreshes_total{result=\"error\"}") >= 3.0,
        "{text}"
    );
    assert!(
        metric(&text, "hc_proxy_upstream_rate_limited_total") >= 1.0,
        "{text}"
    );
    assert!(
        metric(
            &text,
            "hc_proxy_upstream_calls_total{method=\"GET\",route=\"/categories\",status=\"500\"}"
        ) >= 1.0,
        "{text}"
    );
    assert!(
        metric(
            &text,
            "hc_proxy_upstream_calls_total{method=\"GET\",route=\"/categories\",status=\"0\"}"
        ) >= 1.0,
        "timeouts are counted with status 0: {text}"
    );
    let health: serde_json::Value = c
        .get(proxy.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["cache"], "stale");
    assert!(health["last_refresh_error"].is_object(), "{health}");

    // The upstream recovers: the next refresh replaces the copy.
    sim.set_faults(Faults::default());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let _ = snapshot_etag(&c, &url).await;
        let health: serde_json::Value = c
            .get(proxy.url("/healthz"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if health["cache"] == "fresh" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never recovered: {health}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cold_start_with_the_upstream_down_is_503_with_retry_after() {
    let (sim, proxy) = stack(small(), |s| {
        s.retry_failed_after = Duration::from_secs(7);
    })
    .await;
    sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let c = http();
    for path in ["/v1/snapshot", "/v1/articles", "/v1/categories"] {
        let r = c.get(proxy.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=7).contains(&retry), "{retry}");
        assert_eq!(r.headers()["cache-control"], "no-store");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["status"], "error");
    }
    // The failure holds further walks back: one failed walk (two attempts
    // of the first page), not one per visitor.
    assert_eq!(
        sim.call_count("GET", "/v1/categories"),
        2,
        "{:?}",
        sim.calls()
    );

    // Nothing listening upstream at all.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let proxy = start_proxy(settings(&format!("http://{closed}/v1")), READ_KEY).await;
    let r = c.get(proxy.url("/v1/snapshot")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().contains_key("retry-after"));
}
