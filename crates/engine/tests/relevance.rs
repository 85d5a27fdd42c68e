//! Relevance sanity on the real Debian Reference corpus in several
//! languages (`fixtures/relevance.json`), and the guarantee that none of its
//! 30 non-public copies is ever indexed.

mod common;

use hc_engine::SearchOptions;

#[test]
fn debian_reference_relevance() {
    common::check_all("debian-reference.json", "relevance.json");
}

#[test]
fn non_public_copies_are_never_indexed() {
    let corpus = common::load(common::shared_corpus("debian-reference.json"));
    let hidden: Vec<i64> = corpus
        .wire_ids
        .iter()
        .copied()
        .filter(|id| *id > 100_000)
        .collect();
    assert_eq!(hidden.len(), 30);
    for lang in ["en", "de", "ja"] {
        let e = common::engine("debian-reference.json", lang);
        assert!(e.article_ids().all(|id| !hidden.contains(&id)), "{lang}");
        // Their slugs (-draft, -private, -link-only) are not findable either.
        for q in ["draft", "private", "link only"] {
            let res = e.search(
                q,
                &SearchOptions {
                    limit: 50,
                    category: None,
                },
            );
            assert!(
                res.hits
                    .iter()
                    .all(|h| h.id < 100_000 && !h.slug.ends_with("-draft")),
                "{lang} {q}"
            );
        }
    }
    // Every public article with English content is indexed in English.
    assert_eq!(common::engine("debian-reference.json", "en").len(), 385);
}
