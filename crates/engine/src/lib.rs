//! `hc-engine`: the search engine of hc-search.
//!
//! One [`Engine`] is the tantivy index of one language of a help center,
//! built from public articles ([`Engine::build`]) or loaded from an index
//! container ([`container`]: the index, body texts and reader documents of
//! one language in one versioned byte format), answering raw search-box text
//! ([`Engine::search`]) with [`hc_core::protocol::SearchHit`]s. The same
//! code runs natively and in `wasm32-unknown-unknown`: everything is
//! single-threaded (single-segment writer, no docstore compression thread,
//! one segment opened with `SegmentReader::open`, no reader to reload) and
//! nothing reads a clock.
//!
//! See the crate README for the decisions behind analysis, ranking, typo
//! tolerance and the container format.

mod analysis;
mod apart;
mod bodies;
mod build;
mod codec;
mod compounds;
pub mod container;
mod docs;
mod engine;
mod error;
mod facets;
mod html;
mod index_dir;
mod order;
mod parts;
mod query;
mod schema;
mod snippet;
pub mod snowball;
mod stem;
mod synonyms;
mod term_blocks;
mod texts;
mod tokenizer;
mod travel_deflate;

pub use container::{engine_id, Container, IndexContainer, Packing, ReaderDoc, ReaderDocs};
pub use docs::{DocEntry, DocTable};
pub use engine::{Engine, SearchOptions, SearchResults};
pub use error::{EngineError, Result};
pub use parts::Parts;
