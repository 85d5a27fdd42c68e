//! What the empty state lists: the host page's own picks first, then what
//! matches the page's context, then the most viewed articles. Each article
//! appears once; ids the index does not have (another language, a typo)
//! are skipped, so a page can name the same ids in every language.

use std::collections::HashSet;

use hc_core::protocol::SearchHit;

/// Merges the three sources in order of precedence, at most `limit` hits.
/// `picked` resolves one chosen id (`None`: not in this index).
pub fn compose(
    ids: &[i64],
    picked: impl Fn(i64) -> Option<SearchHit>,
    context: Vec<SearchHit>,
    popular: Vec<SearchHit>,
    limit: usize,
) -> Vec<SearchHit> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter_map(|&id| picked(id))
        .chain(context)
        .chain(popular)
        .filter(|hit| seen.insert(hit.id))
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: i64) -> SearchHit {
        SearchHit {
            id,
            title: format!("{id}"),
            title_highlights: Vec::new(),
            snippet: String::new(),
            snippet_highlights: Vec::new(),
            category_path: Vec::new(),
            category_ids: Vec::new(),
            slug: String::new(),
            score: 0.0,
        }
    }

    /// Picks, context, popular, limit → the ids shown.
    type Case = (
        &'static [i64],
        &'static [i64],
        &'static [i64],
        usize,
        &'static [i64],
    );

    fn ids(hits: &[SearchHit]) -> Vec<i64> {
        hits.iter().map(|h| h.id).collect()
    }

    #[test]
    fn picks_then_context_then_popular_each_once() {
        let known = |id: i64| (id != 99).then(|| hit(id));
        let cases: &[Case] = &[
            (&[], &[], &[1, 2, 3], 5, &[1, 2, 3]),
            (&[7, 99, 8], &[], &[1, 7, 2], 5, &[7, 8, 1, 2]),
            (&[], &[4, 1], &[1, 2, 3], 3, &[4, 1, 2]),
            (&[3], &[4, 3], &[3, 5, 6], 4, &[3, 4, 5, 6]),
            (&[5, 5, 6], &[], &[], 5, &[5, 6]),
            (&[1, 2, 3], &[4], &[5], 2, &[1, 2]),
        ];
        for &(picks, context, popular, limit, want) in cases {
            let got = compose(
                picks,
                known,
                context.iter().map(|&i| hit(i)).collect(),
                popular.iter().map(|&i| hit(i)).collect(),
                limit,
            );
            assert_eq!(ids(&got), want, "{picks:?} {context:?} {popular:?} {limit}");
        }
    }
}
