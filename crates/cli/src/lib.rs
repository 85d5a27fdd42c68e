//! `hc-cli`: the logic behind the `hcs` command, as a library so that
//! integration tests drive it in-process (against a simulator where it
//! talks to the API). One module per product; `main.rs` only dispatches.
//!
//! - [`write`]: `hcs import` and `hcs sync`, the idempotent write
//!   workflows (source items, the state file, the walk / plan / execute
//!   run, the report);
//! - [`static_site`]: `hcs build-static` (a static site's search, no proxy);
//! - [`demo`]: `hcs demo` (simulator, proxy and a product page on loopback);
//! - [`export`]: `hcs export` (the whole help center into one JSON file);
//! - [`eval`]: `hcs eval` (search relevance of a corpus on a query set);
//! - [`api`], [`assets`]: what several products share: the API options,
//!   and where the built browser files are.

pub mod api;
pub mod assets;
pub mod demo;
pub mod eval;
pub mod export;
pub mod static_site;
pub mod write;
