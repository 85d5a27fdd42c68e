//! What a help center publishes to its visitors, made in one place for
//! every route that publishes it: hc-proxy's refresh, `hcs build-static`,
//! and the npm static builder (this crate compiled to wasm, run by Node).
//!
//! Wire records become public ones only through
//! [`hc_core::PublicArticle::from_wire`] (published, public, no share
//! token), with their HTML cleaned by the [`Sanitizer`]; the result is one
//! [`Snapshot`](hc_core::Snapshot), from which the per-language packs and a
//! static site's files are built. Because all three routes call this code,
//! a static site never publishes more than the proxy serves, and a pack
//! from one route loads wherever a pack from another does.
//!
//! No I/O here: callers fetch the API pages and write the files.

pub mod generations;
pub mod pack;
pub mod sanitize;
pub mod snapshot;
pub mod static_site;

pub use pack::{pack, Pack};
pub use sanitize::{parse_public_url, Sanitizer};
pub use snapshot::{content_etag, public_snapshot, LanguageConfig};
pub use static_site::{PackSummary, StaticSite};
