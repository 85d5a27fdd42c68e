//! The engine's typed errors. Callers (the worker, the CLI) must be able to
//! tell a stale or damaged container from a bug, so each failure has its own
//! variant instead of a string.

use thiserror::Error;

/// Everything that can go wrong while building, encoding or loading an index
/// ("pack" in the names below is the index container).
/// Searching itself never fails: bad query text yields no hits.
#[derive(Debug, Error)]
pub enum EngineError {
    /// tantivy refused an operation (building or opening the index).
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The bytes do not start with the pack magic: not a pack at all.
    #[error("not an hc-search pack (bad magic)")]
    NotAPack,
    /// A pack written by another format version of the engine.
    #[error("pack format version {found} is not supported (this engine reads version {expected})")]
    UnsupportedVersion { found: u16, expected: u16 },
    /// The pack's checksum does not match its contents.
    #[error("pack is corrupted: checksum mismatch (expected {expected:08x}, got {actual:08x})")]
    ChecksumMismatch { expected: u32, actual: u32 },
    /// The pack is structurally damaged (truncated, bad lengths, bad UTF-8).
    #[error("pack is corrupted: {0}")]
    CorruptPack(String),
    /// Reader documents given to encode a container are not one per
    /// indexed document, in index order.
    #[error("the reader documents do not match the index's documents")]
    ReaderMismatch,
    /// A piece file of article texts that is not the one the pack names
    /// (another content version, another piece, or not a piece file).
    #[error("the article texts are not this pack's: {0}")]
    BodiesMismatch(String),
    /// A travelling container whose texts are whole, opened the way the
    /// worker opens what it is served (`Container::served_engine`):
    /// publishers split such a container before serving it.
    #[error("the article texts travel whole in this container: it is split before it is served")]
    WholeTexts,
    /// An I/O error from tantivy's in-memory directory.
    #[error("index storage error: {0}")]
    Storage(String),
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;
