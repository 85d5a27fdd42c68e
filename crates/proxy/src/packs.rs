//! Prebuilt per-language packs, so that a proxy visitor downloads only the
//! index of their language and never builds one: at each refresh, for every
//! site language, `hc-engine`'s index container of the public snapshot,
//! packed to travel ([`hc_publish::pack`], as every route packs it), under
//! a content-hashed name, and `packs.json` ([`PacksIndex`], the layout a static site serves). They are
//! built from the same [`Snapshot`] the snapshot route serves, off the
//! async runtime, after the refresh is swapped in
//! ([`crate::cache::Cache::packs`]): a cold start does not wait for
//! indexing, and the previous packs are served until the new ones are
//! whole (a worker that finds none uses the snapshot route). A build is
//! not byte-for-byte reproducible (the index's segment ids are random), so
//! a refresh that finds the same content keeps the packs it has: their
//! names stay valid for visitors who read `packs.json` before it.

use std::collections::BTreeMap;

use bytes::Bytes;
use hc_core::static_site::{PacksIndex, PACKS_INDEX_FORMAT};
use hc_core::Snapshot;
use hc_publish::pack;
use sha2::{Digest, Sha256};

use crate::prepared::Encoded;

/// Where the pack files are served, relative to `packs.json`.
pub(crate) const PACKS_DIR: &str = "packs";

/// One pack file: the bytes (already deflated) and their digest, the
/// strong validator.
#[derive(Debug)]
pub struct PackFile {
    pub bytes: Bytes,
    pub etag: String,
}

/// One refresh's packs.
#[derive(Debug)]
pub struct Packs {
    /// The content version (the snapshot's ETag digest) they were built from.
    pub etag: String,
    /// `packs.json`.
    pub index: Encoded,
    /// By file name (`{lang}.{hash}.hcpack`, and the pieces of its texts
    /// `{lang}.{hash}.{n}.hcbodies`).
    pub files: BTreeMap<String, PackFile>,
}

impl Packs {
    /// The packs of every language of `snapshot`; a language whose index
    /// cannot be built is left out (logged), and its visitors' workers
    /// build from the snapshot, as they do for a language without a pack.
    /// `etag` is the snapshot's content version.
    pub fn build(snapshot: &Snapshot, etag: &str) -> Packs {
        let mut files = BTreeMap::new();
        let mut names = BTreeMap::new();
        for lang in snapshot.site.enabled() {
            match pack(snapshot, &lang) {
                Ok(built) => {
                    let file = built.pack_name(&lang);
                    names.insert(lang, format!("{PACKS_DIR}/{file}"));
                    for (name, bytes) in std::iter::once((file, built.pack)).chain(built.pieces) {
                        let hash = hex(&Sha256::digest(&bytes)[..8]);
                        files.insert(
                            name,
                            PackFile {
                                bytes: Bytes::from(bytes),
                                etag: hash,
                            },
                        );
                    }
                }
                Err(e) => tracing::warn!(%lang, error = %e, "no pack for this language"),
            }
        }
        let index = PacksIndex {
            format: PACKS_INDEX_FORMAT,
            engine: hc_engine::engine_id(),
            etag: etag.to_string(),
            site: snapshot.site.clone(),
            snapshot: "snapshot".into(),
            packs: names,
        };
        Packs {
            etag: etag.to_string(),
            index: Encoded::eager(
                serde_json::to_vec(&index).expect("public types always serialise"),
            ),
            files,
        }
    }

    /// Bytes held in memory (the packs and `packs.json` in its three codings).
    pub fn bytes(&self) -> usize {
        self.files.values().map(|f| f.bytes.len()).sum::<usize>()
            + self.index.identity.len()
            + self.index.gzip().len()
            + self.index.br().len()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hc_core::static_site::sibling_url;
    use hc_engine::IndexContainer;

    #[test]
    fn every_language_gets_a_pack_named_by_its_content() {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: hc_core::HelpCenterData = serde_json::from_str(text).unwrap();
        let snapshot = Snapshot::from_data(data, str::to_owned);
        let packs = Packs::build(&snapshot, "abc");
        let index: PacksIndex = serde_json::from_slice(&packs.index.identity).unwrap();
        assert_eq!(index.etag, "abc");
        assert_eq!(index.engine, hc_engine::engine_id());
        let mut enabled = snapshot.site.enabled();
        enabled.sort();
        assert_eq!(index.packs.keys().cloned().collect::<Vec<_>>(), enabled);
        for (lang, name) in &index.packs {
            let url = sibling_url("https://p.example/v1/packs.json", name);
            let file = url
                .strip_prefix("https://p.example/v1/packs/")
                .expect("served under /v1/packs/");
            let bytes = &packs.files[file].bytes;
            let built = IndexContainer::from_bytes(bytes).unwrap();
            assert_eq!(built.engine.lang(), lang.as_str());
            assert!(file.starts_with(&format!("{lang}.")));
            // Its pieces are served beside it.
            let piece = sibling_url(&url, &built.engine.piece_file(0).unwrap());
            let piece = piece.strip_prefix("https://p.example/v1/packs/").unwrap();
            built
                .engine
                .attach_piece(0, &packs.files[piece].bytes)
                .unwrap();
        }
        assert_eq!(
            sibling_url("https://p.example/v1/packs.json", &index.snapshot),
            "https://p.example/v1/snapshot"
        );
    }
}
