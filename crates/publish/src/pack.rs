//! One language's prebuilt pack: `hc-engine`'s index container of the
//! public snapshot, packed to travel and split ([`IndexContainer::split`])
//! into the pack, which answers searches, and the pieces of its article
//! texts, a few articles each, which the worker fetches when a hit shown or
//! the reader needs one. Each under a name that changes with its content
//! (so it can be cached for a year): the pack's from its bytes, the
//! pieces' from all of theirs (the pack names that stem).

use hc_core::static_site::piece_file;
use hc_core::{LangCode, Snapshot};
use hc_engine::container::PIECE_TARGET;
use hc_engine::IndexContainer;
use sha2::{Digest, Sha256};

use crate::snapshot::hex;

/// One language's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    /// The index and the result table: what the first answer needs.
    pub pack: Vec<u8>,
    /// The article texts in pieces, each under its name.
    pub pieces: Vec<(String, Vec<u8>)>,
}

impl Pack {
    /// `{lang}.{10 hex digits of the pack's SHA-256}.hcpack`.
    pub fn pack_name(&self, lang: &LangCode) -> String {
        format!("{lang}.{}.hcpack", digest([&self.pack[..]]))
    }

    /// The pieces' bytes together.
    pub fn pieces_bytes(&self) -> usize {
        self.pieces.iter().map(|(_, b)| b.len()).sum()
    }
}

/// The prebuilt pack of `lang`, as the worker loads it: pieces named
/// `{lang}.{10 hex digits of their SHA-256}.{n}.hcbodies`.
pub fn pack(snapshot: &Snapshot, lang: &LangCode) -> Result<Pack, hc_engine::EngineError> {
    let built = IndexContainer::build(snapshot, lang.as_str())?;
    // Each group of files (the pieces of text, then the chunks of the
    // postings) is named by its own content: (files before it, its stem).
    let mut groups: Vec<(usize, String)> = Vec::new();
    let mut seen = 0;
    let (pack, pieces) = built.split(PIECE_TARGET, |files| {
        let stem = format!("{lang}.{}", digest(files.iter().map(Vec::as_slice)));
        groups.push((seen, stem.clone()));
        seen += files.len();
        stem
    })?;
    let pieces = (0u32..)
        .zip(pieces)
        .map(|(n, bytes)| {
            let (_, stem) = groups
                .iter()
                .rev()
                .find(|(first, _)| *first <= n as usize)
                .expect("every file is in a group");
            (piece_file(stem, n), bytes)
        })
        .collect();
    Ok(Pack { pack, pieces })
}

/// 10 hex digits of the SHA-256 of `parts` in order, each length-prefixed
/// (so that moving a byte across a boundary changes it).
fn digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    hex(&h.finalize()[..5])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_loads_takes_its_pieces_and_its_names_follow_its_content() {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: hc_core::HelpCenterData = serde_json::from_str(text).unwrap();
        let snapshot = Snapshot::from_data(data, str::to_owned);
        let lang = snapshot.site.default_language.clone();
        let files = pack(&snapshot, &lang).unwrap();
        let built = IndexContainer::from_bytes(&files.pack).unwrap();
        assert_eq!(built.engine.lang(), lang.as_str());
        assert!(!files.pieces.is_empty());
        for (n, (name, bytes)) in (0u32..).zip(&files.pieces) {
            assert_eq!(built.engine.piece_file(n).as_ref(), Some(name));
            assert!(name.starts_with(&format!("{lang}.")) && name.ends_with(".hcbodies"));
            built.engine.attach_piece(n, bytes).unwrap();
        }
        let name = files.pack_name(&lang);
        assert!(name.starts_with(&format!("{lang}.")) && name.ends_with(".hcpack"));
        assert_eq!(name.len(), lang.as_str().len() + 1 + 10 + 7, "{name}");
        let other = Pack {
            pack: b"other bytes".to_vec(),
            pieces: files.pieces.clone(),
        };
        assert_ne!(name, other.pack_name(&lang));
        // Other texts: other piece names.
        let mut changed = snapshot.clone();
        for a in &mut changed.articles {
            a.content.insert(lang.clone(), "<p>changed</p>".into());
        }
        let changed = pack(&changed, &lang).unwrap();
        assert_ne!(changed.pieces[0].0, files.pieces[0].0);
    }
}
