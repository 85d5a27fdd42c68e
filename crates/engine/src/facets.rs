//! Categories for the widget's filters: each hit's breadcrumb ids, and a
//! query's hits counted by top-level category (the filter chips).
//!
//! The result table keeps, per article, the names of its first category's
//! path (root → leaf) and the ids a filter may name: that category's chain
//! from the leaf up, then the chains of its other categories. `build`
//! names every category of the first chain, so the first
//! `category_path.len()` ids, reversed, are the path's ids, and the last of
//! them is the article's top-level category. Counting a hit under every
//! top-level category among its ids makes a chip's count equal to what
//! the filter by that category returns.

use hc_core::protocol::{CategoryCount, Facets, MAX_FACET_CATEGORIES};

use crate::docs::{Doc, DocTable};
use crate::order;

/// The ids of `d.category_path`, root first; empty when the entry does not
/// have that many ids (a table written otherwise).
pub(crate) fn crumbs(d: &Doc<'_>) -> Vec<i64> {
    let n = d.category_path.len();
    let categories = d.categories();
    if categories.len() < n {
        return Vec::new();
    }
    let mut ids: Vec<i64> = categories.take(n).collect();
    ids.reverse();
    ids
}

/// The top-level categories of one language's index, by id, with their
/// names in that language, and each document's among them.
#[derive(Debug, Default)]
pub(crate) struct TopCategories {
    /// Sorted by id.
    tops: Vec<(i64, String)>,
    /// Document `d`'s top-level categories, as indices into `tops`, are
    /// `of_doc[starts[d]..starts[d + 1]]`: found once here, so that counting
    /// a keystroke's matches (tens of thousands in a large help center) is
    /// a walk of two dense arrays, not a search of `tops` for each id of
    /// each document's categories.
    starts: Vec<u32>,
    of_doc: Vec<u32>,
}

impl TopCategories {
    pub(crate) fn new(docs: &DocTable) -> TopCategories {
        let mut tops: Vec<(i64, String)> = docs
            .iter()
            .filter_map(|d| Some((*crumbs(&d).first()?, d.category_path.first()?.clone())))
            .collect();
        order::sort_by(&mut tops, |a, b| a.0.cmp(&b.0));
        tops.dedup_by_key(|(id, _)| *id);
        let mut starts = Vec::with_capacity(docs.len() + 1);
        let mut of_doc = Vec::new();
        starts.push(0);
        for d in docs.iter() {
            for c in d.categories() {
                if let Ok(i) = tops.binary_search_by_key(&c, |(id, _)| *id) {
                    of_doc.push(i as u32);
                }
            }
            starts.push(of_doc.len() as u32);
        }
        TopCategories {
            tops,
            starts,
            of_doc,
        }
    }

    /// A counter for one query's hits.
    pub(crate) fn counter(&self) -> Counter<'_> {
        Counter {
            tops: self,
            counts: vec![0; self.tops.len()],
            all: 0,
        }
    }
}

pub(crate) struct Counter<'a> {
    tops: &'a TopCategories,
    counts: Vec<u32>,
    all: u32,
}

impl Counter<'_> {
    /// Counts one hit: document `doc` of the `docs` the categories were
    /// made from.
    pub(crate) fn add(&mut self, doc: usize) {
        self.all += 1;
        let t = self.tops;
        let (Some(&from), Some(&to)) = (t.starts.get(doc), t.starts.get(doc + 1)) else {
            return;
        };
        for &i in &t.of_doc[from as usize..to as usize] {
            self.counts[i as usize] += 1;
        }
    }

    /// The categories with hits, most first (ties: lower id first), no
    /// more than [`MAX_FACET_CATEGORIES`] (only those names are copied: this
    /// runs on every keystroke).
    pub(crate) fn finish(self) -> Facets {
        let mut ranked: Vec<(usize, u32)> = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(i, count)| (i, *count))
            .collect();
        // `tops` is sorted by id, so the index breaks ties as the id would.
        order::sort_by(&mut ranked, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(MAX_FACET_CATEGORIES);
        let categories = ranked
            .into_iter()
            .map(|(i, count)| {
                let (id, name) = &self.tops.tops[i];
                CategoryCount {
                    id: *id,
                    name: name.clone(),
                    count,
                }
            })
            .collect();
        Facets {
            all: self.all,
            categories,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::DocEntry;

    fn doc(path: &[&str], categories: &[i64]) -> DocEntry {
        DocEntry {
            id: 0,
            title: String::new(),
            slug: String::new(),
            category_path: path.iter().map(|s| s.to_string()).collect(),
            categories: categories.to_vec(),
            views: 0,
        }
    }

    #[test]
    fn crumbs_are_the_first_chain_root_first() {
        let table = DocTable::from_entries(&[
            doc(&["Net", "Wifi"], &[5, 1, 9, 2]),
            doc(&[], &[5]),
            doc(&["A", "B"], &[5]),
        ])
        .unwrap();
        let crumbs_of = |i| crumbs(&table.get(i).unwrap());
        assert_eq!(crumbs_of(0), [1, 5]);
        assert_eq!(crumbs_of(1), Vec::<i64>::new());
        assert_eq!(crumbs_of(2), Vec::<i64>::new());
    }

    #[test]
    fn every_top_level_category_of_a_hit_counts_it() {
        // Doc 0: Net › Wifi (5 under 1); doc 1: Net; doc 2: Shell (2), and
        // also in Wifi (5, 1); doc 3: no category.
        let docs = [
            doc(&["Net", "Wifi"], &[5, 1]),
            doc(&["Net"], &[1]),
            doc(&["Shell"], &[2, 5, 1]),
            doc(&[], &[]),
        ];
        let tops = TopCategories::new(&DocTable::from_entries(&docs).unwrap());
        let mut counter = tops.counter();
        for d in 0..docs.len() {
            counter.add(d);
        }
        let facets = counter.finish();
        assert_eq!(facets.all, 4);
        let got: Vec<(i64, &str, u32)> = facets
            .categories
            .iter()
            .map(|c| (c.id, c.name.as_str(), c.count))
            .collect();
        assert_eq!(got, [(1, "Net", 3), (2, "Shell", 1)]);
        let mut none = tops.counter();
        none.add(3);
        assert_eq!(none.finish().categories, []);
    }
}
