//! Walking lists that a real upstream may send untidy (hc-sim's wire
//! patches and shifted pages): nulls read as absent, an unreadable record
//! skipped by id (or an error naming it, for callers that need every
//! record), and an id repeated across pages kept once, in id order.

use std::path::Path;

use hc_client::{ApiKey, ArticleQuery, Client, ClientError};
use hc_core::wire::HelpCenterData;
use hc_sim::{Faults, SimConfig, SimHandle, WirePatches};

const READ: &str = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";

fn json_file<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

async fn sim(data: HelpCenterData, patches: WirePatches) -> SimHandle {
    let config = SimConfig {
        read_keys: vec![READ.into()],
        rate_limit: 0,
        wire_patches: patches,
        ..SimConfig::new(data)
    };
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn client(sim: &SimHandle) -> Client {
    Client::new(&sim.api_url(), ApiKey::new(READ).unwrap())
        .unwrap()
        .with_limiter(None)
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sim/tests/fixtures")
}

#[tokio::test]
async fn nulls_are_read_and_an_unreadable_record_is_skipped_by_id() {
    let sim = sim(
        json_file(&fixtures().join("tiny.json")),
        json_file(&fixtures().join("tiny-nulls.patches.json")),
    )
    .await;
    let c = client(&sim);
    let walked = c.walk_articles(&ArticleQuery::default()).await.unwrap();
    let ids: Vec<i64> = walked.items.iter().map(|a| a.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 6]);
    assert_eq!(walked.skipped.len(), 1);
    assert_eq!(walked.skipped[0].id, Some(5));
    assert_eq!(walked.skipped[0].field, "title");
    assert_eq!(walked.items[0].views, 0);
    assert!(!walked.items[3].published, "a null published is a draft");
    let cats = c.walk_categories().await.unwrap();
    assert_eq!((cats.items.len(), cats.skipped.len()), (3, 0));

    let err = c
        .list_all_articles(&ArticleQuery::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Undecodable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("id 5 (field `title`)"), "{text}");
    assert!(
        !text.contains("Internal runbook"),
        "never the record's text"
    );
}

#[tokio::test]
async fn an_id_repeated_across_pages_is_kept_once_in_id_order() {
    let data: HelpCenterData = json_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/debian-reference.json"),
    );
    let sim = sim(data, WirePatches::default()).await;
    let c = client(&sim);
    let plain = c.walk_articles(&ArticleQuery::default()).await.unwrap();
    assert_eq!((plain.items.len(), plain.duplicates), (417, 0));
    sim.set_faults(Faults {
        shifted_pages: true,
        ..Faults::default()
    });
    let shifted = c.walk_articles(&ArticleQuery::default()).await.unwrap();
    assert_eq!(
        shifted.duplicates, 1,
        "page 1's last article, again on page 2"
    );
    assert_eq!(shifted.items, plain.items, "the same articles, same order");
    let cats = c.walk_categories().await.unwrap();
    assert_eq!((cats.items.len(), cats.duplicates), (110, 1));
    assert!(cats.items.windows(2).all(|w| w[0].id < w[1].id));
}
