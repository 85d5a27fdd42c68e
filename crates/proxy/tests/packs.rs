//! The prebuilt per-language packs over a real socket: `packs.json` with
//! the snapshot's content version and cache headers (strong ETag, 304),
//! one pack per site language that decodes to that language's index,
//! immutable and never compressed again, and a refresh that replaces them
//! (built after the refresh: the tests wait for them).

mod common;

use common::*;
use hc_core::static_site::{sibling_url, PacksIndex};
use hc_core::HelpCenterData;
use hc_engine::IndexContainer;
use reqwest::{header, StatusCode};

fn tiny() -> HelpCenterData {
    let text = include_str!("../../sim/tests/fixtures/tiny.json");
    serde_json::from_str(text).unwrap()
}

/// `packs.json` of the content served now, and its ETag.
async fn packs_index(proxy: &Running) -> (PacksIndex, String) {
    packs_for(proxy, &snapshot_etag(proxy).await).await;
    let r = http()
        .get(proxy.url("/v1/packs.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()[header::ETAG].to_str().unwrap().to_string();
    (
        serde_json::from_slice(&r.bytes().await.unwrap()).unwrap(),
        etag,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packs_are_served_like_a_static_sites_with_validators() {
    let (sim, proxy) = stack(tiny(), |s| s.build_packs = true).await;
    packs_for(&proxy, &snapshot_etag(&proxy).await).await;
    let c = http();
    let snap = c.get(proxy.url("/v1/snapshot")).send().await.unwrap();
    let snapshot_etag = snap.headers()[header::ETAG].to_str().unwrap().to_string();
    let snapshot_cc = snap.headers()[header::CACHE_CONTROL].clone();

    let r = c
        .get(proxy.url("/v1/packs.json"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CACHE_CONTROL], snapshot_cc);
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
    let (index, etag) = packs_index(&proxy).await;
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{etag}");
    assert_eq!(
        format!("\"{}\"", index.etag),
        snapshot_etag,
        "the snapshot's content version"
    );
    assert_eq!(index.engine, hc_engine::engine_id());
    assert_eq!(
        sibling_url(&proxy.url("/v1/packs.json"), &index.snapshot),
        proxy.url("/v1/snapshot")
    );
    let not_modified = c
        .get(proxy.url("/v1/packs.json"))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);

    let langs: Vec<&str> = index.packs.keys().map(|l| l.as_str()).collect();
    assert_eq!(langs, ["de", "en", "ja"], "a pack per site language");
    for (lang, name) in &index.packs {
        let url = sibling_url(&proxy.url("/v1/packs.json"), name);
        let r = c
            .get(&url)
            .header(header::ACCEPT_ENCODING, "gzip, br")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        assert!(
            r.headers().get(header::CONTENT_ENCODING).is_none(),
            "deflated already"
        );
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/octet-stream"
        );
        assert!(r.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        let pack_etag = r.headers()[header::ETAG].to_str().unwrap().to_string();
        let built = IndexContainer::from_bytes(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(built.engine.lang(), lang.as_str());
        attach_served_pieces(&built.engine, &url).await;
        let hits = built.engine.search(
            if lang.as_str() == "ja" {
                "プラン"
            } else {
                "konto"
            },
            &Default::default(),
        );
        if lang.as_str() != "en" {
            assert!(!hits.hits.is_empty(), "{lang} pack searches");
        }
        let again = c
            .get(&url)
            .header(header::IF_NONE_MATCH, &pack_etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
    let missing = c
        .get(proxy.url("/v1/packs/en.0000000000.hcpack"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let write = c.post(proxy.url("/v1/packs.json")).send().await.unwrap();
    assert_eq!(write.status(), StatusCode::METHOD_NOT_ALLOWED);
    drop(proxy);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_replaces_the_packs() {
    let (sim, proxy) = stack(tiny(), |s| s.build_packs = true).await;
    let (before, _) = packs_index(&proxy).await;
    // The same content: the same packs, under the same names (a visitor
    // who read packs.json before the refresh still finds them).
    proxy.proxy.cache().refresh().await.unwrap();
    assert_eq!(packs_index(&proxy).await.0, before);
    let same = proxy.proxy.cache().packs().unwrap();
    let r = reqwest::Client::new()
        .patch(format!("{}/articles/1", sim.api_url()))
        .header("apikey", WRITE_KEY)
        .json(&serde_json::json!({"title": {"en": "Open a zebracorn account"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    proxy.proxy.cache().refresh().await.unwrap();
    let (after, _) = packs_index(&proxy).await;
    assert!(!std::sync::Arc::ptr_eq(
        &same,
        &proxy.proxy.cache().packs().unwrap()
    ));
    assert_ne!(after.etag, before.etag);
    let en = |index: &PacksIndex| index.packs[&"en".parse().unwrap()].clone();
    assert_ne!(en(&after), en(&before), "new content, new name");
    let c = http();
    let status = |name: String| {
        let url = sibling_url(&proxy.url("/v1/packs.json"), &name);
        let c = c.clone();
        async move { c.get(url).send().await.unwrap().status() }
    };
    // The replaced pack and its pieces are still served (a widget that
    // loaded it fetches its pieces on), until the content changes again
    // (the texts too: pieces are named by their own content).
    let old_pack = IndexContainer::from_bytes(
        &c.get(sibling_url(&proxy.url("/v1/packs.json"), &en(&before)))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    let old_piece = format!("packs/{}", old_pack.engine.piece_file(0).unwrap());
    assert_eq!(status(old_piece.clone()).await, StatusCode::OK);
    let r = reqwest::Client::new()
        .patch(format!("{}/articles/1", sim.api_url()))
        .header("apikey", WRITE_KEY)
        .json(&serde_json::json!({"content": {"en": "<p>Unicorns sign up here.</p>"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    proxy.proxy.cache().refresh().await.unwrap();
    let (newest, _) = packs_index(&proxy).await;
    assert_ne!(newest.etag, after.etag);
    // Two contents back: gone. The pieces are named by their texts, which
    // the first change left as they were: the previous packs still hold
    // them, the newest ones hold others.
    assert_eq!(status(en(&before)).await, StatusCode::NOT_FOUND);
    assert_eq!(status(en(&after)).await, StatusCode::OK);
    assert_eq!(status(old_piece.clone()).await, StatusCode::OK);
    let newest_pack = proxy.proxy.cache().packs().unwrap();
    assert!(!newest_pack
        .files
        .contains_key(old_piece.trim_start_matches("packs/")));
    let new = c
        .get(sibling_url(&proxy.url("/v1/packs.json"), &en(&after)))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let built = IndexContainer::from_bytes(&new).unwrap();
    attach_served_pieces(
        &built.engine,
        &sibling_url(&proxy.url("/v1/packs.json"), &en(&after)),
    )
    .await;
    let hits = built.engine.search("zebracorn", &Default::default());
    assert_eq!(hits.hits.first().map(|h| h.id), Some(1));
    drop(proxy);
    sim.shutdown().await;
}

/// Fetches every piece served beside the pack at `pack_url` and attaches
/// it, as a widget does on demand.
async fn attach_served_pieces(engine: &hc_engine::Engine, pack_url: &str) {
    let c = http();
    let mut n = 0;
    while let Some(file) = engine.piece_file(n) {
        let r = c.get(sibling_url(pack_url, &file)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        engine.attach_piece(n, &r.bytes().await.unwrap()).unwrap();
        n += 1;
    }
    assert!(n > 0);
}
