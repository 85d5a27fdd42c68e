//! The filter chips on the real Debian Reference (14 top-level categories,
//! some articles in two): a chip's count is what its filter returns, and
//! "all" is the query's total, in three languages' indexes.

mod common;

use hc_engine::SearchOptions;

#[test]
fn each_chip_counts_what_its_filter_returns() {
    // Each matches 27–323 of the Debian Reference's ~380 articles in these
    // languages and shows five to eight chips (at most eight are shown);
    // no phrases, whose counts are estimates.
    let queries = ["a", "co", "ne", "package", "network config", "apt", "kern"];
    for lang in ["en", "de", "ja"] {
        let e = common::engine("debian-reference.json", lang);
        let mut chips = 0;
        for q in queries {
            let all = e.search(q, &SearchOptions::default());
            assert_eq!(all.facets.all as usize, all.total, "{lang} {q:?}");
            for chip in &all.facets.categories {
                let filtered = e.search(
                    q,
                    &SearchOptions {
                        limit: 0,
                        category: Some(chip.id),
                    },
                );
                assert_eq!(
                    chip.count as usize, filtered.total,
                    "{lang} {q:?}, chip {} ({})",
                    chip.name, chip.id
                );
                chips += 1;
            }
        }
        assert!(chips > queries.len(), "{lang}: {chips} chips checked");
    }
}
