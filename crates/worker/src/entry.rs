//! An index container ([`hc_engine::container`]) as the worker reads it:
//! a static site's prebuilt pack, or its own IndexedDB cache entry (the same
//! format: a cache entry is the container encoded with
//! [`hc_engine::Packing::Cache`]). Both are outside bytes (a static host, another tab,
//! an older build, a damaged disk), so any failure here means the bytes are
//! dropped and the index is built from the snapshot. A container whose
//! texts travel whole, which publishers split before serving, is refused
//! ([`Container::served_engine`]): that keeps the deflater out of the
//! worker. This lives outside the wasm-only glue so that it is tested and
//! fuzzed natively.

use hc_core::LangCode;
use hc_engine::container::InflatedPack;
use hc_engine::{Container, Engine, EngineError, Parts, ReaderDocs};

use crate::core::Loaded;

#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// The container is damaged, of another format version, or not one.
    #[error("the index container is unusable: {0}")]
    Container(#[from] EngineError),
    /// A well-formed container of another language than the one asked for.
    #[error("the index container is for {found}, not {expected}")]
    Language { found: String, expected: LangCode },
}

/// A container of `lang` (the builder's, or a pack's whole bytes): the engine
/// and the reader documents (which share its texts: a pack's pieces of
/// text arrive later, see [`crate::core::WorkerCore::piece_fetched`]).
/// Where a pack came from ([`Loaded::pack_url`]) is the caller's to say.
/// Opened as a cache entry is ([`engine`]): a stored container's index
/// files (the builder's) are read where they lie, a pack's inflated
/// section is the engine's own.
pub fn load(bytes: impl Into<Vec<u8>>, lang: &LangCode) -> Result<Loaded, EntryError> {
    Ok(loaded(engine(bytes, lang)?, lang))
}

/// A pack of `lang` inflated as it arrived: its engine (which keeps the
/// inflated index section) and reader documents. Where it came from
/// ([`Loaded::pack_url`]) is the caller's to say.
pub fn load_pack(pack: InflatedPack, lang: &LangCode) -> Result<Loaded, EntryError> {
    let engine = pack.served_engine()?;
    check_language(&engine, lang)?;
    Ok(loaded(engine, lang))
}

fn loaded(engine: Engine, lang: &LangCode) -> Loaded {
    Loaded {
        lang: lang.clone(),
        reader: Some(ReaderDocs::of(&engine)),
        engine,
        pack_url: None,
    }
}

/// The engine of a cache entry of `lang`, with the article texts it shares
/// with the reader ([`ReaderDocs::of`]): their chunk table is checked, no
/// chunk is inflated.
///
/// The engine keeps the entry's buffer: its index files are read where
/// they lie in it, not copied (a borrowed slice is copied once, here).
pub fn engine(bytes: impl Into<Vec<u8>>, lang: &LangCode) -> Result<Engine, EntryError> {
    let engine = hc_engine::container::served_engine_keeping(bytes.into())?;
    check_language(&engine, lang)?;
    Ok(engine)
}

/// The reader documents of a cache entry decoded on their own. A warm
/// start takes the installed engine's instead ([`ReaderDocs::of`]); the
/// decoder tests and the fuzz target check this path against outside bytes.
pub fn reader(bytes: &[u8]) -> Result<ReaderDocs, EntryError> {
    Ok(Container::open(bytes)?.served_reader()?)
}

/// The cache entry of a loaded language (`None` until its reader documents
/// are there), as its parts: the index files are the engine's own, shared.
pub fn cache_bytes(loaded: &Loaded) -> Option<Parts> {
    let reader = loaded.reader.as_ref()?;
    hc_engine::container::cache_entry(&loaded.engine, reader).ok()
}

fn check_language(engine: &Engine, lang: &LangCode) -> Result<(), EntryError> {
    if engine.lang() != lang.as_str() {
        return Err(EntryError::Language {
            found: engine.lang().to_string(),
            expected: lang.clone(),
        });
    }
    Ok(())
}
