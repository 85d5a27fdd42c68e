//! What a real upstream may send that the simulator's store never would:
//! nulls in nullable-looking fields and a record no one can read (hc-sim's
//! wire patches, `tiny-nulls.patches.json`), and an id repeated across
//! pages (hc-sim's shifted pages). A cold start still serves every good
//! article, the skipped record is counted in `/metrics`, and the snapshot
//! holds each id once with the same ETag whether or not pages shifted.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use hc_core::{HelpCenterData, Snapshot};
use hc_sim::{Faults, WirePatches};

fn sim_fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sim/tests/fixtures")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn a_cold_start_serves_every_good_article_despite_nulls_and_a_bad_record() {
    let mut config = sim_config(sim_fixture::<HelpCenterData>("tiny.json"));
    config.wire_patches = sim_fixture::<WirePatches>("tiny-nulls.patches.json");
    let sim = start_sim(config).await;
    let running = start_proxy(settings(&sim.api_url()), READ_KEY).await;

    let resp = http()
        .get(running.url("/v1/snapshot"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let snapshot: Snapshot = resp.json().await.unwrap();
    let ids: Vec<i64> = snapshot.articles.iter().map(|a| a.id).collect();
    assert_eq!(ids, [1, 2, 3], "every published public article");
    let one = &snapshot.articles[0];
    assert_eq!(
        (one.views, one.created_at.as_str()),
        (0, ""),
        "null read as absent"
    );
    let two = &snapshot.articles[1];
    assert!(two.title.get_str("de").is_none() && two.title.get_str("en").is_some());
    let three = &snapshot.articles[2];
    let langs: Vec<&str> = three.content.languages().map(|l| l.as_str()).collect();
    assert_eq!(langs, ["en"], "a null translation is no translation");
    assert_eq!(three.category_ids, [1, 2]);
    let billing = snapshot.categories.iter().find(|c| c.id == 2).unwrap();
    assert!(billing.name.get_str("de").is_none());

    let metrics = http()
        .get(running.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("hc_proxy_upstream_records_skipped{kind=\"article\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("hc_proxy_upstream_records_skipped{kind=\"category\"} 0"),
        "{metrics}"
    );
}

#[tokio::test]
async fn an_id_repeated_across_pages_is_kept_once_and_the_etag_does_not_move() {
    let (sim, running) = stack(debian(), |_| {}).await;
    let cache = running.proxy.cache();
    let plain = cache.refresh().await.unwrap();

    sim.set_faults(Faults {
        shifted_pages: true,
        ..Faults::default()
    });
    sim.reset_calls();
    let shifted = cache.refresh().await.unwrap();
    assert!(
        sim.call_count("GET", "/v1/articles") >= 5,
        "walked the shifted pages: {:?}",
        sim.calls()
    );
    let snapshot: Snapshot = serde_json::from_slice(&shifted.snapshot.identity).unwrap();
    let ids: Vec<i64> = snapshot.articles.iter().map(|a| a.id).collect();
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "each id once");
    let cat_ids: BTreeSet<i64> = snapshot.categories.iter().map(|c| c.id).collect();
    assert_eq!(
        cat_ids.len(),
        snapshot.categories.len(),
        "each category once"
    );
    assert_eq!(
        shifted.snapshot.etag, plain.snapshot.etag,
        "same content, same ETag, however the pages fell"
    );
    let again = cache.refresh().await.unwrap();
    assert_eq!(again.snapshot.etag, plain.snapshot.etag);
}
