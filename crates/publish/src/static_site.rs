//! A static site's search files, the layout `packs.json` describes
//! ([`hc_core::static_site::PacksIndex`]): `snapshot.json` (the public
//! snapshot, the reader's and the fallback's source), one pack per
//! language, and `packs.json` naming them. The widget's own files are
//! added by the caller, which knows where they are.

use std::collections::BTreeMap;

use hc_core::static_site::{PacksIndex, PACKS_INDEX_FORMAT};
use hc_core::{LangCode, Snapshot};

use crate::pack::pack;
use crate::snapshot::content_etag;

/// The index of a static site's packs.
pub const PACKS_JSON: &str = "packs.json";
/// The public snapshot, next to `packs.json`.
pub const SNAPSHOT_JSON: &str = "snapshot.json";

/// One language's pack, for the build's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSummary {
    pub lang: LangCode,
    pub file: String,
    pub articles: usize,
    /// The pack's bytes (what the first answer waits for).
    pub bytes: usize,
    /// Its pieces of article text, and their bytes together (each fetched
    /// when a hit shown or the reader needs it).
    pub pieces: usize,
    pub pieces_bytes: usize,
}

/// Every file of a static site's search data, by name, in memory.
#[derive(Debug)]
pub struct StaticSite {
    pub files: Vec<(String, Vec<u8>)>,
    pub packs: Vec<PackSummary>,
    pub articles: usize,
    pub snapshot_bytes: usize,
}

impl StaticSite {
    /// Builds the files of `snapshot`; `on_language` is told before each
    /// language is indexed (the slow part), for progress.
    pub fn build(
        snapshot: &Snapshot,
        mut on_language: impl FnMut(&LangCode),
    ) -> Result<StaticSite, hc_engine::EngineError> {
        let snapshot_json = serde_json::to_vec(snapshot).expect("public types always serialise");
        let mut files = Vec::new();
        let mut names = BTreeMap::new();
        let mut packs = Vec::new();
        for lang in snapshot.site.enabled() {
            on_language(&lang);
            let built = pack(snapshot, &lang)?;
            let file = built.pack_name(&lang);
            packs.push(PackSummary {
                lang: lang.clone(),
                file: file.clone(),
                articles: snapshot
                    .articles
                    .iter()
                    .filter(|a| a.content.get(&lang).is_some())
                    .count(),
                bytes: built.pack.len(),
                pieces: built.pieces.len(),
                pieces_bytes: built.pieces_bytes(),
            });
            names.insert(lang, file.clone());
            files.push((file, built.pack));
            files.extend(built.pieces);
        }
        let index = PacksIndex {
            format: PACKS_INDEX_FORMAT,
            engine: hc_engine::engine_id(),
            etag: content_etag(&snapshot_json),
            site: snapshot.site.clone(),
            snapshot: SNAPSHOT_JSON.into(),
            packs: names,
        };
        files.push((
            PACKS_JSON.into(),
            serde_json::to_vec_pretty(&index).expect("public types always serialise"),
        ));
        let snapshot_bytes = snapshot_json.len();
        files.push((SNAPSHOT_JSON.into(), snapshot_json));
        Ok(StaticSite {
            files,
            packs,
            articles: snapshot.articles.len(),
            snapshot_bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_json_names_every_language_pack_and_the_snapshot() {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: hc_core::HelpCenterData = serde_json::from_str(text).unwrap();
        let snapshot = Snapshot::from_data(data, str::to_owned);
        let mut told = Vec::new();
        let site = StaticSite::build(&snapshot, |l| told.push(l.clone())).unwrap();
        let file = |name: &str| {
            &site
                .files
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{name} is written"))
                .1
        };
        let index: PacksIndex = serde_json::from_slice(file(PACKS_JSON)).unwrap();
        assert_eq!(index.snapshot, SNAPSHOT_JSON);
        assert_eq!(index.etag, content_etag(file(SNAPSHOT_JSON)));
        let mut enabled = snapshot.site.enabled();
        enabled.sort();
        assert_eq!(index.packs.keys().cloned().collect::<Vec<_>>(), enabled);
        assert_eq!(told.len(), enabled.len());
        for (lang, name) in &index.packs {
            let pack = hc_engine::IndexContainer::from_bytes(file(name)).unwrap();
            assert_eq!(pack.engine.lang(), lang.as_str());
            let piece = pack.engine.piece_file(0).unwrap();
            pack.engine.attach_piece(0, file(&piece)).unwrap();
        }
        let back: Snapshot = serde_json::from_slice(file(SNAPSHOT_JSON)).unwrap();
        assert_eq!(back.articles.len(), site.articles);
    }
}
