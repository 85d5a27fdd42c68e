//! The visitor side under hostile clients, over real sockets: spoofed
//! `X-Forwarded-For` behind a trusted hop, what `/healthz` may say about
//! upstream failures, and the CORS allowlist's origin normalisation. Slow,
//! idle and surplus connections are `connections.rs`'s subject.

mod common;

use common::*;
use hc_proxy::Settings;
use reqwest::StatusCode;
use std::time::Duration;

/// Statuses of `n` requests to `/healthz`, each with the `X-Forwarded-For`
/// that `xff(i)` gives (as a CDN would forward it).
async fn statuses(
    c: &reqwest::Client,
    proxy: &Running,
    n: usize,
    xff: impl Fn(usize) -> String,
) -> Vec<StatusCode> {
    let mut out = Vec::new();
    for i in 0..n {
        let r = c
            .get(proxy.url("/healthz"))
            .header("x-forwarded-for", xff(i))
            .send()
            .await
            .unwrap();
        out.push(r.status());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_one_trusted_hop_spoofed_forwarded_for_neither_escapes_nor_fills_buckets() {
    let (_sim, proxy) = stack(debian(), |s| {
        s.per_ip_per_second = 1;
        s.per_ip_burst = 3;
        s.trusted_hops = 1;
    })
    .await;
    let c = http();
    // The attacker (really 203.0.113.7, as the CDN appends) rotates the
    // left-most value it writes itself: it stays in its own bucket.
    let attacker = statuses(&c, &proxy, 10, |i| format!("10.9.8.{i}, 203.0.113.7")).await;
    assert!(
        attacker.contains(&StatusCode::TOO_MANY_REQUESTS),
        "rotating the left-most X-Forwarded-For escaped the limit: {attacker:?}"
    );
    // Spoofers claiming to be the victim fill their own buckets, not the
    // victim's.
    let spoofers = statuses(&c, &proxy, 10, |_| "198.51.100.9, 192.0.2.44".into()).await;
    assert!(
        spoofers.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{spoofers:?}"
    );
    let victim = statuses(&c, &proxy, 1, |_| "198.51.100.9".into()).await;
    assert_eq!(
        victim,
        [StatusCode::OK],
        "the victim's bucket was filled by spoofers"
    );
}

/// An upstream answering every request 200 with `body`.
async fn fake_upstream(body: &'static str) -> String {
    let app = axum::Router::new().fallback(move || async move {
        (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1")
}

async fn health_after_failed_refresh(upstream: &str) -> String {
    let proxy = start_proxy(
        Settings {
            cold_wait: Duration::from_secs(10),
            ..settings(upstream)
        },
        READ_KEY,
    )
    .await;
    let c = http();
    let r = c.get(proxy.url("/v1/snapshot")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    c.get(proxy.url("/healthz"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_names_upstream_failures_without_their_detail() {
    // A decoder message quotes what it could not read: here article text
    // and an internal address.
    let malformed = fake_upstream(
        r#"{"status":"success","categories":"CONFIDENTIAL draft: see http://intranet.corp.example/wiki"}"#,
    )
    .await;
    let body = health_after_failed_refresh(&malformed).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["last_refresh_error"]["error"], "upstream_malformed",
        "{body}"
    );
    for leak in [
        "CONFIDENTIAL",
        "intranet",
        "http://",
        "127.0.0.1",
        "expected",
    ] {
        assert!(!body.contains(leak), "{leak} in /healthz: {body}");
    }

    // Nothing listening: the transport error names the upstream URL.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let body = health_after_failed_refresh(&format!("http://{closed}/v1")).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["last_refresh_error"]["error"], "upstream_unreachable",
        "{body}"
    );
    for leak in [
        "127.0.0.1",
        "http://",
        "/v1/categories",
        &closed.port().to_string(),
    ] {
        assert!(!body.contains(leak), "{leak} in /healthz: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allowlist_is_compared_as_normalised_origins() {
    let args = hc_proxy::Args {
        allow_origins: vec!["https://Docs.Example.com:443".into()],
        ..hc_proxy::Args::default()
    };
    let origins = Settings::merge(args, Default::default()).unwrap().origins;
    let (_sim, proxy) = stack(debian(), |s| s.origins = origins).await;
    let c = http();
    let allowed = |origin: &'static str| {
        let c = c.clone();
        let url = proxy.url("/healthz");
        async move {
            let r = c.get(url).header("origin", origin).send().await.unwrap();
            r.headers()
                .get("access-control-allow-origin")
                .map(|v| v.to_str().unwrap().to_string())
        }
    };
    assert_eq!(
        allowed("https://docs.example.com").await.as_deref(),
        Some("https://docs.example.com")
    );
    assert_eq!(allowed("https://docs.example.com.evil.net").await, None);
    assert_eq!(allowed("http://docs.example.com").await, None);
    assert_eq!(allowed("null").await, None);

    let args = hc_proxy::Args {
        allow_origins: vec!["https://docs.example.com/help/".into()],
        ..hc_proxy::Args::default()
    };
    let e = Settings::merge(args, Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("https://docs.example.com/help/")
            && e.contains("write https://docs.example.com"),
        "{e}"
    );
}
