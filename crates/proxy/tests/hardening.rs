//! The visitor side under hostile clients, over real sockets: spoofed
//! `X-Forwarded-For` behind a trusted hop, slow and idle connections, the
//! connection cap, what `/healthz` may say about upstream failures, and the
//! CORS allowlist's origin normalisation.

mod common;

use common::*;
use reqwest::StatusCode;

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
