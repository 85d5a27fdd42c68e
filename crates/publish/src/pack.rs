//! One language's prebuilt pack: `hc-engine`'s index container of the
//! public snapshot, packed to travel, under a name that changes with its
//! content (so it can be cached for a year).

use hc_core::{LangCode, Snapshot};
use hc_engine::{IndexContainer, Packing};
use sha2::{Digest, Sha256};

use crate::snapshot::hex;

/// The prebuilt pack of `lang`, as the worker loads it.
pub fn pack(snapshot: &Snapshot, lang: &LangCode) -> Result<Vec<u8>, hc_engine::EngineError> {
    IndexContainer::build(snapshot, lang.as_str())?.to_bytes(Packing::Travel)
}

/// `{lang}.{10 hex digits of the content's SHA-256}.hcpack`.
pub fn pack_file_name(lang: &LangCode, bytes: &[u8]) -> String {
    format!("{lang}.{}.hcpack", hex(&Sha256::digest(bytes)[..5]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_loads_and_its_name_follows_its_content() {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: hc_core::HelpCenterData = serde_json::from_str(text).unwrap();
        let snapshot = Snapshot::from_data(data, str::to_owned);
        let lang = snapshot.site.default_language.clone();
        let bytes = pack(&snapshot, &lang).unwrap();
        let built = IndexContainer::from_bytes(&bytes).unwrap();
        assert_eq!(built.engine.lang(), lang.as_str());
        let name = pack_file_name(&lang, &bytes);
        assert!(name.starts_with(&format!("{lang}.")) && name.ends_with(".hcpack"));
        assert_eq!(name.len(), lang.as_str().len() + 1 + 10 + 7, "{name}");
        assert_ne!(name, pack_file_name(&lang, b"other bytes"));
    }
}
