//! `hc-worker`: the Web Worker that holds the search engine.
//!
//! The widget's main thread never builds an index (the host page must stay
//! responsive), so everything heavy happens here: fetching the public
//! snapshot (with its ETag), building the index of the visitor's language
//! with `hc-engine`, storing the pack in IndexedDB, loading it on the next
//! visit, revalidating in the background, and answering every keystroke.
//!
//! The logic that does not touch the browser is plain Rust and tested
//! natively: [`session`] (one worker's life: messages in, loads out),
//! [`load`] (loading an index as a state machine of I/O requests and
//! events), [`core`] (answering searches), [`reader`], [`entry`],
//! [`suggest`], [`warm_up`]; [`web`] is the thin wasm glue that performs their I/O. Indexes travel and are cached as `hc-engine`'s index
//! container ([`hc_engine::container`]).

// A panic in the worker ends every search on the page: no `unwrap`
// outside tests (an `expect` names the invariant it relies on).
#![warn(clippy::unwrap_used)]

pub mod core;
pub mod entry;
pub mod load;
pub mod reader;
pub mod session;
pub mod suggest;
pub mod warm_up;

#[cfg(target_arch = "wasm32")]
mod web;
