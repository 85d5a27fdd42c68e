//! Builds the index container of one language from a help center's
//! snapshot: the work the search worker hands off when no prebuilt pack
//! serves the visitor (`fallback="default"`, a proxy whose packs are not
//! built yet, a static site without the language's pack).
//!
//! Why a crate of its own: tantivy's indexing side (segment and columnar
//! writers, the postings serializer, the FST builder) is about a third of
//! the engine's wasm. Compiled here into a second wasm, it is fetched only
//! on that route, and runs in a worker of its own that ends after one
//! build, so its memory goes with it. The engine (`hc-worker`) only ever
//! opens containers. Natively the same function serves the worker's tests.

mod fallback;
#[cfg(target_arch = "wasm32")]
mod web;

pub use fallback::fill_from_default;

use hc_core::protocol::Fallback;
use hc_core::{LangCode, Snapshot};
use hc_engine::IndexContainer;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the snapshot could not be read ({0})")]
    Snapshot(#[from] serde_json::Error),
    #[error("the index could not be built ({0})")]
    Index(#[from] hc_engine::EngineError),
}

/// The container of `lang` built from `snapshot` (its JSON), encoded as a
/// cache entry ([`hc_engine::container::cache_entry`]): it travels between
/// two workers of one page, not over a network, so nothing is deflated
/// that its reader would inflate again, and the worker stores these very
/// bytes.
pub fn build(snapshot: &[u8], lang: &LangCode, fallback: Fallback) -> Result<Vec<u8>, BuildError> {
    let snapshot: Snapshot = serde_json::from_slice(snapshot)?;
    let snapshot = match fallback {
        Fallback::Default => fill_from_default(snapshot, lang),
        Fallback::None => snapshot,
    };
    let built = IndexContainer::build(&snapshot, lang.as_str())?;
    drop(snapshot);
    Ok(hc_engine::container::cache_entry(&built.engine, &built.reader)?.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hc_core::HelpCenterData;

    fn snapshot_json() -> Vec<u8> {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: HelpCenterData = serde_json::from_str(text).unwrap();
        serde_json::to_vec(&Snapshot::from_data(data, str::to_owned)).unwrap()
    }

    #[test]
    fn builds_a_container_the_engine_opens_in_the_language_asked() {
        let de: LangCode = "de".parse().unwrap();
        let bytes = build(&snapshot_json(), &de, Fallback::None).unwrap();
        let opened = IndexContainer::from_bytes(&bytes).unwrap();
        assert_eq!(opened.engine.lang(), "de");
        assert!(!opened.engine.is_empty());
    }

    #[test]
    fn bad_snapshots_are_errors_that_say_so() {
        let en: LangCode = "en".parse().unwrap();
        for bad in [&b""[..], b"{", b"[]", b"{\"site\": 1}"] {
            let e = build(bad, &en, Fallback::None).unwrap_err();
            assert!(matches!(e, BuildError::Snapshot(_)), "{e}");
            assert!(e.to_string().starts_with("the snapshot could not be read"));
        }
    }
}
