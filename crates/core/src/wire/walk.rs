//! Reading a list route to its end, page by page, without doing the I/O:
//! where the API is, which page to ask for next, and, as the decoded pages
//! go in, each id once out. Shared by `hc-client`
//! (native, over reqwest) and the npm static builder (wasm, over Node's
//! `fetch`), so both walk the API the same way.

use std::collections::HashMap;

use super::{Lenient, ListMeta, Undecodable};

/// The API base as clients use it: trimmed, no trailing slash, and `/v1`
/// appended when the URL is a host alone (`https://api.helpcenter.io`).
/// A base with a path is kept as written, so a proxy or a mock mounted
/// under a path keeps working.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    let host = ["http://", "https://"]
        .iter()
        .find_map(|scheme| lower.starts_with(scheme).then(|| &trimmed[scheme.len()..]));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
            format!("{trimmed}/v1")
        }
        _ => trimmed.to_string(),
    }
}

/// Records asked for per page: the API's largest page.
pub const PAGE_LIMIT: u32 = 100;

/// A guard against an upstream whose `meta` never reaches the last page.
const MAX_PAGES: u32 = 10_000;

/// Whether page `page`, just read with `meta`, is the last one to read.
pub fn is_last_page(page: u32, meta: &ListMeta) -> bool {
    meta.is_last() || page >= meta.total_pages || page >= MAX_PAGES
}

/// One list page: the records that decoded, the ones that did not.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub skipped: Vec<Undecodable>,
    pub meta: ListMeta,
}

impl<T> Page<T> {
    pub fn split(records: Vec<Lenient<T>>, meta: ListMeta) -> Self {
        let mut items = Vec::with_capacity(records.len());
        let mut skipped = Vec::new();
        for Lenient(r) in records {
            match r {
                Ok(item) => items.push(item),
                Err(e) => skipped.push(e),
            }
        }
        Page {
            items,
            skipped,
            meta,
        }
    }
}

/// Everything one walk of a list found.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    /// Each id once.
    pub items: Vec<T>,
    /// Records that could not be decoded (id and field only).
    pub skipped: Vec<Undecodable>,
    /// Copies dropped because their id had been seen on an earlier page
    /// (offset pagination shifts when articles are added mid-walk).
    pub duplicates: usize,
}

/// Accumulates pages: the last copy of an id replaces the earlier one in
/// its place, so the walk's order is that of first appearance.
#[derive(Debug)]
pub struct Walk<T> {
    items: Vec<T>,
    index: HashMap<i64, usize>,
    skipped: Vec<Undecodable>,
    duplicates: usize,
}

impl<T> Default for Walk<T> {
    fn default() -> Self {
        Walk {
            items: Vec::new(),
            index: HashMap::new(),
            skipped: Vec::new(),
            duplicates: 0,
        }
    }
}

impl<T> Walk<T> {
    pub fn add(&mut self, page: Page<T>, id: impl Fn(&T) -> i64) {
        for item in page.items {
            match self.index.get(&id(&item)) {
                Some(&i) => {
                    self.duplicates += 1;
                    self.items[i] = item;
                }
                None => {
                    self.index.insert(id(&item), self.items.len());
                    self.items.push(item);
                }
            }
        }
        self.skipped.extend(page.skipped);
    }

    /// The walk's result, sorted by id when `by_id` (else in the order of
    /// first appearance). A record unreadable on one page and readable on
    /// another is not reported as skipped.
    pub fn finish(mut self, by_id: bool, id: impl Fn(&T) -> i64) -> Listing<T> {
        if by_id {
            self.items.sort_by_key(|item| id(item));
        }
        self.skipped
            .retain(|s| s.id.is_none_or(|i| !self.index.contains_key(&i)));
        self.skipped.sort_by_key(|s| s.id);
        self.skipped.dedup();
        Listing {
            items: self.items,
            skipped: self.skipped,
            duplicates: self.duplicates,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: &[i64], skipped: &[i64], page: u32) -> Page<(i64, u32)> {
        Page {
            items: ids.iter().map(|&i| (i, page)).collect(),
            skipped: skipped
                .iter()
                .map(|&i| Undecodable {
                    id: Some(i),
                    field: "title".into(),
                })
                .collect(),
            meta: ListMeta::new(page, 2, 4),
        }
    }

    #[test]
    fn each_id_once_the_last_copy_wins_and_readable_records_are_not_skipped() {
        let mut walk = Walk::default();
        walk.add(page(&[3, 1], &[7], 1), |r| r.0);
        walk.add(page(&[1, 2], &[3], 2), |r| r.0);
        let listing = walk.finish(true, |r| r.0);
        assert_eq!(listing.items, vec![(1, 2), (2, 2), (3, 1)]);
        assert_eq!(listing.duplicates, 1);
        let skipped: Vec<_> = listing.skipped.iter().map(|s| s.id).collect();
        assert_eq!(skipped, vec![Some(7)]);
    }

    #[test]
    fn a_host_alone_means_its_v1_and_a_path_is_kept() {
        for (given, used) in [
            ("https://api.helpcenter.io", "https://api.helpcenter.io/v1"),
            (
                " https://api.helpcenter.io/ ",
                "https://api.helpcenter.io/v1",
            ),
            (
                "https://api.helpcenter.io/v1",
                "https://api.helpcenter.io/v1",
            ),
            (
                "https://api.helpcenter.io/v1/",
                "https://api.helpcenter.io/v1",
            ),
            ("http://127.0.0.1:8099", "http://127.0.0.1:8099/v1"),
            ("https://example.com/mock/v1", "https://example.com/mock/v1"),
            ("not a url", "not a url"),
            ("ftp://files.example", "ftp://files.example"),
        ] {
            assert_eq!(normalize_base(given), used, "{given:?}");
        }
    }

    #[test]
    fn the_walk_stops_at_the_last_page_or_the_guard() {
        assert!(!is_last_page(1, &ListMeta::new(1, 100, 250)));
        assert!(is_last_page(3, &ListMeta::new(3, 100, 250)));
        assert!(is_last_page(1, &ListMeta::new(1, 100, 0)));
        let endless = ListMeta {
            page: 1,
            per_page: 100,
            total_pages: u32::MAX,
            items_count: u64::MAX,
        };
        assert!(!is_last_page(MAX_PAGES - 1, &endless));
        assert!(is_last_page(MAX_PAGES, &endless));
    }
}
