//! The files `hcs build-static` writes next to the widget so that a static
//! site searches with no proxy: the public snapshot, one prebuilt pack per
//! language (`hc-engine`'s index container), and `packs.json`, the small index the worker reads first to
//! learn the site's languages, the content version and which pack to fetch.
//! The CLI writes this type and the worker reads it, so both compile from
//! one definition.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::LangCode;
use crate::wire::Site;

/// Version of the `packs.json` layout; a worker that does not know the
/// version it finds builds from the snapshot instead.
pub const PACKS_INDEX_FORMAT: u32 = 1;

/// `packs.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PacksIndex {
    pub format: u32,
    /// The engine the packs were built by (`hc_engine::engine_id()`: the
    /// `hc-engine` version and index container format); a worker with
    /// another engine ignores them.
    pub engine: String,
    /// Content version: the snapshot's digest. Caches key on it.
    pub etag: String,
    pub site: Site,
    /// The snapshot, relative to `packs.json`.
    pub snapshot: String,
    /// Pack file per language, relative to `packs.json` (content-hashed
    /// names, so they can be served cache-forever).
    pub packs: BTreeMap<LangCode, String>,
}

/// The file of piece `n` of a pack's article texts, whose pack names the
/// stem (`hc_engine::container::split`): served beside the pack, fetched
/// when a hit shown or the reader needs one of its articles.
pub fn piece_file(stem: &str, n: u32) -> String {
    format!("{stem}.{n}.hcbodies")
}

/// Resolves `relative` against the URL of `packs.json` (a plain string join:
/// the worker has no URL parser and the names are ours, without `..`).
pub fn sibling_url(index_url: &str, relative: &str) -> String {
    let base = index_url.split(['?', '#']).next().unwrap_or(index_url);
    match base.rfind('/') {
        Some(i) => format!("{}{relative}", &base[..=i]),
        None => relative.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_resolve_next_to_the_index() {
        assert_eq!(
            sibling_url(
                "https://docs.example.com/hc-search/packs.json?v=2",
                "en.1a2b.hcpack"
            ),
            "https://docs.example.com/hc-search/en.1a2b.hcpack"
        );
        assert_eq!(
            sibling_url("/hc/packs.json", "snapshot.json"),
            "/hc/snapshot.json"
        );
        assert_eq!(sibling_url("packs.json", "x"), "x");
    }

    #[test]
    fn the_index_round_trips_and_rejects_unknown_languages() {
        let text = r#"{"format":1,"engine":"0.1.0/3","etag":"ab","site":{"default_language":"en","languages":["en","de"]},"snapshot":"snapshot.json","packs":{"en":"en.1.hcpack","de":"de.2.hcpack"}}"#;
        let index: PacksIndex = serde_json::from_str(text).unwrap();
        assert_eq!(index.packs.len(), 2);
        assert_eq!(
            serde_json::from_str::<PacksIndex>(&serde_json::to_string(&index).unwrap()).unwrap(),
            index
        );
        let bad = text.replace("\"de\":", "\"not a language!\":");
        assert!(serde_json::from_str::<PacksIndex>(&bad).is_err());
    }
}
