//! Synonyms at query time: a word of a group finds articles that only use
//! another word of it, the highlight marks the word that matched, the word
//! typed still ranks first, and the groups travel inside the container.

mod common;

use hc_core::synonyms::parse_csv;
use hc_core::Snapshot;
use hc_engine::{IndexContainer, Packing, SearchOptions, SearchResults};

fn snapshot(csv: &str) -> Snapshot {
    let c = common::corpus("mini-corpus.json");
    let mut s = Snapshot {
        site: serde_json::from_str(r#"{"default_language":"en","languages":["en","de"]}"#).unwrap(),
        categories: c.categories.clone(),
        articles: c.articles.clone(),
        synonyms: Default::default(),
        page_rules: Vec::new(),
    };
    s.synonyms = parse_csv("en", csv).unwrap();
    s
}

fn ids(r: &SearchResults) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

fn marked(r: &SearchResults, id: i64) -> Vec<String> {
    let h = r.hits.iter().find(|h| h.id == id).expect("hit");
    h.title_highlights
        .iter()
        .map(|m| h.title[m.start as usize..m.end as usize].to_string())
        .chain(
            h.snippet_highlights
                .iter()
                .map(|m| h.snippet[m.start as usize..m.end as usize].to_string()),
        )
        .collect()
}

#[test]
fn a_synonym_finds_the_article_that_only_uses_the_other_word() {
    let plain = IndexContainer::build(&snapshot(""), "en").unwrap().engine;
    let opts = SearchOptions::default();
    assert!(ids(&plain.search("receipt ", &opts)).is_empty());
    let e = IndexContainer::build(&snapshot("invoice, receipt, voucher\n"), "en")
        .unwrap()
        .engine;
    let r = e.search("receipt ", &opts);
    assert_eq!(ids(&r), [2]);
    let words = marked(&r, 2);
    assert!(words.iter().any(|w| w == "invoices"), "{words:?}");
    assert!(words.iter().any(|w| w == "invoice"), "{words:?}");
    // Stemmed like any word: "receipts" works too.
    assert_eq!(ids(&e.search("receipts ", &opts)), [2]);
}

#[test]
fn the_word_typed_and_its_synonyms_both_count() {
    // "firewall" is only in article 1, "router" in 1 and 8; 1 has both.
    let e = IndexContainer::build(&snapshot("firewall, router\n"), "en")
        .unwrap()
        .engine;
    let r = e.search("firewall ", &SearchOptions::default());
    let mut found = ids(&r);
    found.sort_unstable();
    assert_eq!(found, [1, 8]);
}

#[test]
fn a_member_of_several_words_needs_all_of_them() {
    let e = IndexContainer::build(
        &snapshot("vpn, router firewall\nzzz, router unicorn\n"),
        "en",
    )
    .unwrap()
    .engine;
    let opts = SearchOptions::default();
    assert_eq!(ids(&e.search("vpn ", &opts)), [1]);
    assert!(ids(&e.search("zzz ", &opts)).is_empty());
}

#[test]
fn synonyms_travel_in_the_container() {
    let built = IndexContainer::build(&snapshot("invoice, bill\n"), "en").unwrap();
    for packing in [Packing::Travel, Packing::Cache] {
        let bytes = built.to_bytes(packing).unwrap();
        let back = IndexContainer::from_bytes(&bytes).unwrap().engine;
        assert_eq!(back.synonym_groups(), built.engine.synonym_groups());
        assert_eq!(ids(&back.search("bill ", &SearchOptions::default())), [2]);
    }
    // Another language's groups stay out.
    let de = IndexContainer::build(&snapshot("invoice, bill\n"), "de").unwrap();
    assert!(de.engine.synonym_groups().is_empty());
}
