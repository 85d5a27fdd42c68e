//! Single-flight refresh: a thousand visitors arriving on a cold cache at
//! once (more than the connection cap) make exactly one upstream walk, and
//! all of them are answered, with the same snapshot.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use hc_sim::Faults;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_cold_requests_make_one_walk() {
    let (sim, proxy) = stack(debian(), |_| {}).await;
    // Slow the upstream down a little so that every request really arrives
    // while the walk is still running.
    sim.set_faults(Faults {
        latency_ms: 100,
        ..Faults::default()
    });
    // A thousand visitors are a thousand connections, more than the
    // proxy's cap of 768: the ones past it wait while open connections make
    // room. No pooling: a client reusing a kept-alive connection races the
    // server closing it (HTTP/1 has no way to say "closing"; browsers
    // retry such a request, reqwest does not), which is not this test's
    // subject.
    let client = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let url = Arc::new(proxy.url("/v1/snapshot"));
    let barrier = Arc::new(tokio::sync::Barrier::new(1000));
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let (client, url, barrier) = (client.clone(), url.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                // Mix the routes (they all share one cache). HEAD runs the
                // same handler without sending 11 MB a thousand times.
                let r = match i % 4 {
                    0 => client.get(url.replace("/v1/snapshot", "/v1/articles?page=2&limit=3")),
                    1 => client.get(url.replace("/v1/snapshot", "/v1/categories?page=2")),
                    _ => client.head(url.as_str()),
                };
                let r = r.send().await.expect("request");
                let status = r.status().as_u16();
                let etag = r
                    .headers()
                    .get("etag")
                    .map(|v| v.to_str().unwrap().to_string());
                let _ = r.bytes().await;
                (i, status, etag)
            })
        })
        .collect();
    let mut snapshot_etags = BTreeSet::new();
    for t in tasks {
        let (i, status, etag) = t.await.unwrap();
        assert_eq!(status, 200, "request {i}");
        if i % 4 >= 2 {
            snapshot_etags.insert(etag.unwrap());
        }
    }
    assert_eq!(snapshot_etags.len(), 1, "{snapshot_etags:?}");
    let (articles, categories) = walks(&sim);
    println!("upstream calls for 1000 cold requests: GET /v1/articles {articles}, GET /v1/categories {categories}");
    assert_eq!(
        (articles, categories),
        (5, 2),
        "one walk: 5 article pages, 2 category pages"
    );
    let metrics = http()
        .get(proxy.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("hc_proxy_refreshes_total{result=\"ok\"} 1"),
        "{metrics}"
    );
}
