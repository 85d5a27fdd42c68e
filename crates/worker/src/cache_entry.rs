//! A pack-cache entry as a warm start reads it back: the engine pack and
//! the body texts ([`crate::bodies`]) that IndexedDB returned. IndexedDB is
//! storage another tab, an older build or a damaged disk may have written,
//! so this is a decoder of outside bytes like any other; it lives here,
//! outside the wasm-only glue (`web::cache`), so that it is tested and
//! fuzzed natively. Any failure means the entry is dropped and the index
//! is built again.

use hc_engine::{Engine, EngineError};

#[derive(Debug, thiserror::Error)]
pub enum CacheEntryError {
    /// The body-text buffer is not what [`crate::bodies::encode`] writes.
    #[error("the cached body texts are damaged")]
    Bodies,
    /// The pack is damaged, stale, or does not match the body texts.
    #[error("the cached pack is unusable: {0}")]
    Pack(#[from] EngineError),
}

/// The engine a cache entry holds: its pack, loaded with its body texts
/// (each checked against the pack's fingerprint of it).
pub fn load(pack: &[u8], bodies: &[u8]) -> Result<Engine, CacheEntryError> {
    let bodies = crate::bodies::decode(bodies).ok_or(CacheEntryError::Bodies)?;
    Ok(Engine::from_pack_with_bodies(pack, bodies)?)
}
