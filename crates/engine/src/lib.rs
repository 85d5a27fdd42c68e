//! `hc-engine`: the search engine of hc-search.
//!
//! One [`Engine`] is the tantivy index of one language of a help center,
//! built from public articles ([`Engine::build`]) or loaded from a pack
//! ([`Engine::from_pack`]), answering raw search-box text
//! ([`Engine::search`]) with [`hc_core::protocol::SearchHit`]s. The same
//! code runs natively and in `wasm32-unknown-unknown`: everything is
//! single-threaded (single-segment writer, no docstore compression thread,
//! manual reload) and nothing reads a clock.
//!
//! See the crate README for the decisions behind analysis, ranking, typo
//! tolerance and the pack format.

mod analysis;
mod build;
mod codec;
mod docs;
mod engine;
mod error;
pub mod html;
mod pack;
mod query;
mod schema;
mod snippet;
mod stem;
mod tokenizer;

pub use analysis::stemmer_language;
pub use engine::{Engine, SearchOptions, SearchResults};
pub use error::{EngineError, Result};
pub use pack::{PackCompression, PACK_FORMAT_VERSION, PACK_MAGIC};
pub use query::plan::MAX_QUERY_BYTES;
