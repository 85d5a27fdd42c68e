//! A first search on a tiny built-in index, run while the worker's first
//! load waits for its bytes (IndexedDB, the network).
//!
//! V8 compiles a wasm function the first time it is called, and its code
//! cache keeps only what its optimising tier compiled, which the load path
//! and the first search, run once per visit, never reach. So every new
//! renderer process compiles them again, on the critical path: in a new
//! tab, about 970 functions and 60 ms of the warm start (a Chromium trace,
//! `crates/worker/README.md`). Opening this index as a cache entry and
//! answering a search with it calls the same functions (the container,
//! tantivy's reader, the engine's search and snippets, the worker's answer)
//! while the thread would be idle, so the real load finds them compiled.
//! On a reload, or when nothing is to be waited for, it costs the little
//! work of a three-article index.
//!
//! The index is a committed file (`warm_up.hcpack`), an IndexedDB entry as
//! [`hc_engine::Packing::Cache`] writes it, of the public articles of
//! `crates/sim/tests/fixtures/tiny.json` in English, indexed as [`LANG`],
//! a language without a Snowball stemmer, so that the warm-up asks for no
//! language's module (`web::snowball`); `tests/warm_up.rs` checks that it
//! still opens and writes it again when the container format changes.

use hc_core::protocol::{FromWorker, ToWorker};
use hc_core::LangCode;

use crate::core::{Loaded, WorkerCore};

/// The built-in index.
pub const PACK: &[u8] = include_bytes!("warm_up.hcpack");

/// The language [`PACK`] is indexed as (Indonesian: no stemmer, no stop
/// list, so its analysis needs no module; the text is English).
pub const LANG: &str = "id";

/// Opens [`PACK`] as the warm path opens a cache entry and answers one
/// search as the worker answers the widget; the answer, for the glue to
/// encode as it would post it. `None` when the pack does not open (a stale
/// file, which `tests/warm_up.rs` catches): then nothing is warmed.
pub fn run() -> Option<FromWorker> {
    let lang: LangCode = LANG.parse().ok()?;
    let engine = crate::entry::engine(PACK, &lang).ok()?;
    let mut core = WorkerCore::default();
    let loaded = Loaded {
        lang,
        engine,
        reader: None,
        pack_url: None,
    };
    let _ = core.install(loaded);
    core.answer(ToWorker::Search {
        seq: 0,
        query: "invoices billin".into(),
        category: None,
        limit: 10,
    })
}
