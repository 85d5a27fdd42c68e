//! `hc-cli`: the logic behind the `hcs` command, as a library so that
//! integration tests drive it in-process (against a simulator where it
//! talks to the API).
//!
//! - [`import`]: `hcs import` (CSV or Markdown folder → articles);
//! - [`sync`]: `hcs sync` (release notes mirrored into one category);
//! - [`engine`]: the idempotent write engine both share;
//! - [`state`]: the atomically replaced state file;
//! - [`item`], [`report`], [`api`]: source items and hashes, progress and
//!   summary output, API options;
//! - [`eval`]: `hcs eval` (search relevance of a corpus on a query set);
//! - [`build_static`]: `hcs build-static` (a static site's search, no proxy);
//! - [`assets`]: where the built browser files are;
//! - [`demo`]: `hcs demo` (simulator, proxy and a product page on loopback);
//! - [`export`]: `hcs export` (the whole help center into one JSON file).

pub mod api;
pub mod assets;
pub mod build_static;
pub mod demo;
pub mod engine;
pub mod eval;
pub mod export;
pub mod import;
pub mod item;
pub mod report;
pub mod state;
pub mod sync;
