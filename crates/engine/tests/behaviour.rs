//! Behaviour of the query path on a small hand-made corpus
//! (`fixtures/mini-corpus.json`), one line per rule in
//! `fixtures/behaviour.json`: prefix, typos, exact beats fuzzy, title beats
//! body, all words beat some, partial matches, category filter, folding,
//! CJK, non-public and missing-language articles, bad input.

mod common;

use hc_engine::{Engine, SearchOptions};

#[test]
fn behaviour_cases() {
    common::check_all("mini-corpus.json", "behaviour.json");
}

#[test]
fn highlights_point_at_the_matched_words() {
    let e = common::engine("mini-corpus.json", "en");
    let res = e.search("firewall netw", &SearchOptions::default());
    let hit = &res.hits[0];
    let marked: Vec<&str> = hit
        .title_highlights
        .iter()
        .map(|h| &hit.title[h.start as usize..h.end as usize])
        .collect();
    assert_eq!(marked, ["Network"]);
    let marked: Vec<&str> = hit
        .snippet_highlights
        .iter()
        .map(|h| &hit.snippet[h.start as usize..h.end as usize])
        .collect();
    assert_eq!(marked, ["firewall"]);
    assert_eq!(hit.category_path, ["Getting started", "Network"]);
    assert_eq!(hit.slug, "a1");
    assert!(hit.score > 0.0);
}

#[test]
fn a_compound_is_marked_whole_where_a_part_matched() {
    let e = common::engine("mini-corpus.json", "de");
    let res = e.search("Speichernutzung", &SearchOptions::default());
    let hit = res
        .hits
        .iter()
        .find(|h| h.id == 19)
        .expect("found through its parts");
    let marked: Vec<&str> = hit
        .title_highlights
        .iter()
        .map(|h| &hit.title[h.start as usize..h.end as usize])
        .collect();
    assert_eq!(marked, ["Arbeitsspeichernutzung"]);
}

#[test]
fn total_counts_all_matches_beyond_the_limit() {
    let e = common::engine("mini-corpus.json", "en");
    let res = e.search(
        "the",
        &SearchOptions {
            limit: 1,
            category: None,
        },
    );
    assert_eq!(res.hits.len(), 1);
    assert!(res.total > 1, "{}", res.total);
}

#[test]
fn huge_query_is_truncated_and_answered() {
    let e = common::engine("mini-corpus.json", "en");
    let q = "network ".repeat(100_000 / 8);
    assert!(q.len() >= 99_000);
    let res = e.search(&q, &SearchOptions::default());
    assert_eq!(res.hits.first().map(|h| h.id), Some(1));
    let q = "🔥".repeat(30_000);
    assert!(e.search(&q, &SearchOptions::default()).hits.is_empty());
}

#[test]
fn empty_corpus_builds_and_answers_nothing() {
    let e = Engine::build("en", &[], &[]).unwrap();
    assert!(e.is_empty());
    assert!(e
        .search("anything", &SearchOptions::default())
        .hits
        .is_empty());
    let built = hc_engine::IndexContainer::from_articles("en", &[], &[]).unwrap();
    let bytes = built.to_bytes(hc_engine::Packing::Travel).unwrap();
    let back = hc_engine::IndexContainer::from_bytes(&bytes)
        .unwrap()
        .engine;
    assert!(back
        .search("anything", &SearchOptions::default())
        .hits
        .is_empty());
}

#[test]
fn only_public_articles_in_languages_with_content_are_indexed() {
    let e = common::engine("mini-corpus.json", "en");
    let ids: Vec<i64> = e.article_ids().collect();
    for hidden in [13, 15, 16, 17] {
        assert!(!ids.contains(&hidden), "{hidden} indexed: {ids:?}");
    }
    assert!(common::engine("mini-corpus.json", "de")
        .article_ids()
        .any(|i| i == 17));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_query_strings_never_panic(q in "\\PC{0,80}", cat in proptest::option::of(-2i64..5)) {
        for lang in ["en", "ja", "de"] {
            let e = common::engine("mini-corpus.json", lang);
            let res = e.search(&q, &SearchOptions { limit: 5, category: cat });
            proptest::prop_assert!(res.hits.len() <= 5);
            for h in &res.hits {
                for hl in &h.snippet_highlights {
                    proptest::prop_assert!(h.snippet.get(hl.start as usize..hl.end as usize).is_some());
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_and_chars_never_panic(q in proptest::collection::vec(proptest::char::any(), 0..64)) {
        let q: String = q.into_iter().collect();
        let e = common::engine("mini-corpus.json", "en");
        let _ = e.search(&q, &SearchOptions::default());
    }
}

#[test]
fn engine_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
}
