//! One language's prebuilt pack: `hc-engine`'s index container of the
//! public snapshot, packed to travel and split in two files
//! ([`hc_engine::container::split`]): the pack, which answers searches, and
//! its bodies file, the article texts for snippets and the reader, which the
//! worker fetches after the pack has answered. Each under a name that
//! changes with its content (so it can be cached for a year).

use hc_core::{LangCode, Snapshot};
use hc_engine::{IndexContainer, Packing};
use sha2::{Digest, Sha256};

use crate::snapshot::hex;

/// One language's two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    /// The index and the result table: what the first answer needs.
    pub pack: Vec<u8>,
    /// The article texts.
    pub bodies: Vec<u8>,
}

impl Pack {
    /// `{lang}.{10 hex digits of the pack's SHA-256}.hcpack`.
    pub fn pack_name(&self, lang: &LangCode) -> String {
        file_name(lang, &self.pack, "hcpack")
    }

    /// `{lang}.{10 hex digits of the bodies' SHA-256}.hcbodies`.
    pub fn bodies_name(&self, lang: &LangCode) -> String {
        file_name(lang, &self.bodies, "hcbodies")
    }
}

/// The prebuilt pack of `lang`, as the worker loads it.
pub fn pack(snapshot: &Snapshot, lang: &LangCode) -> Result<Pack, hc_engine::EngineError> {
    let whole = IndexContainer::build(snapshot, lang.as_str())?.to_bytes(Packing::Travel)?;
    let (pack, bodies) = hc_engine::container::split(&whole)?;
    Ok(Pack { pack, bodies })
}

fn file_name(lang: &LangCode, bytes: &[u8], ext: &str) -> String {
    format!("{lang}.{}.{ext}", hex(&Sha256::digest(bytes)[..5]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_loads_takes_its_bodies_and_its_names_follow_its_content() {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: hc_core::HelpCenterData = serde_json::from_str(text).unwrap();
        let snapshot = Snapshot::from_data(data, str::to_owned);
        let lang = snapshot.site.default_language.clone();
        let files = pack(&snapshot, &lang).unwrap();
        let mut built = IndexContainer::from_bytes(&files.pack).unwrap();
        assert_eq!(built.engine.lang(), lang.as_str());
        assert!(built.engine.bodies_apart());
        built.engine.attach_bodies(&files.bodies).unwrap();
        let name = files.pack_name(&lang);
        assert!(name.starts_with(&format!("{lang}.")) && name.ends_with(".hcpack"));
        assert_eq!(name.len(), lang.as_str().len() + 1 + 10 + 7, "{name}");
        let bodies = files.bodies_name(&lang);
        assert!(bodies.starts_with(&format!("{lang}.")) && bodies.ends_with(".hcbodies"));
        let other = Pack {
            pack: b"other bytes".to_vec(),
            bodies: files.bodies.clone(),
        };
        assert_ne!(name, other.pack_name(&lang));
        assert_eq!(bodies, other.bodies_name(&lang));
    }
}
