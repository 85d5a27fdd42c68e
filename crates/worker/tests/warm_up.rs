//! The warm-up index (`src/warm_up.hcpack`) opens with this engine and
//! answers. `HC_WRITE_WARM_UP=1 cargo test -p hc-worker --test warm_up`
//! writes it again (needed when the container format changes).

use hc_core::protocol::FromWorker;
use hc_core::{HelpCenterData, Snapshot};
use hc_engine::{container, Container, IndexContainer, Packing, ReaderDocs};

/// The cache entry a visit of a published pack of the warm-up's articles
/// writes once every piece and chunk has arrived: its postings and term
/// dictionary apart, in chunks, as a return visit reads them.
fn fresh_pack() -> Vec<u8> {
    // The English texts, as the language the warm-up indexes them in.
    let text = include_str!("../../sim/tests/fixtures/tiny.json")
        .replace("\"en\":", &format!("\"{}\":", hc_worker::warm_up::LANG));
    let data: HelpCenterData = serde_json::from_str(&text).unwrap();
    let snapshot = Snapshot::from_data(data, str::to_owned);
    let whole = IndexContainer::from_articles(
        hc_worker::warm_up::LANG,
        &snapshot.articles,
        &snapshot.categories,
    )
    .unwrap()
    .to_bytes(Packing::Travel)
    .unwrap();
    let (pack, files) = container::split(&whole, 8 * 1024, |f: &[Vec<u8>]| {
        format!("warm-up.{}", f.len())
    })
    .unwrap();
    let engine = Container::open(&pack).unwrap().engine().unwrap();
    for (piece, bytes) in (0..).zip(&files) {
        engine.attach_piece(piece, bytes).unwrap();
    }
    let reader = ReaderDocs::of(&engine);
    container::encode(&engine, &reader, Packing::Cache).unwrap()
}

#[test]
fn the_warm_up_index_opens_and_answers_with_snippets() {
    if std::env::var_os("HC_WRITE_WARM_UP").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/warm_up.hcpack");
        std::fs::write(path, fresh_pack()).unwrap();
        panic!("wrote {path}: build again and run the tests without HC_WRITE_WARM_UP");
    }
    let answer = hc_worker::warm_up::run().expect(
        "src/warm_up.hcpack does not open with this engine: write it again with \
         HC_WRITE_WARM_UP=1 cargo test -p hc-worker --test warm_up",
    );
    let FromWorker::Results { hits, .. } = answer else {
        panic!("not results: {answer:?}");
    };
    assert!(!hits.is_empty());
    assert!(hits.iter().any(|h| !h.snippet.is_empty()), "{hits:?}");
    // Its postings and terms are read through their chunks, as a return
    // visit's.
    let lang = hc_worker::warm_up::LANG.parse().unwrap();
    let engine = hc_worker::entry::engine(hc_worker::warm_up::PACK, &lang).unwrap();
    let bundle = engine.chunks_bundle().expect("index files apart");
    assert!(engine.has_piece(bundle), "every chunk here");
}

#[test]
fn the_warm_up_index_is_small() {
    // It is part of the worker's wasm, which every visitor downloads.
    assert!(
        hc_worker::warm_up::PACK.len() < 8 * 1024,
        "{}",
        hc_worker::warm_up::PACK.len()
    );
    assert!(fresh_pack().len() < 8 * 1024);
}
