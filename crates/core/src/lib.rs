//! `hc-core`: the shared vocabulary of hc-search.
//!
//! Every other crate speaks HelpCenter.io v1 through these types, on the
//! server (proxy, simulator, CLI) and in the browser (worker, widget) alike,
//! so this crate has no I/O and builds for `wasm32-unknown-unknown`.
//!
//! - [`wire`]: the upstream API's resources, requests, envelopes and error
//!   bodies, exactly as they travel.
//! - [`public`]: what may leave the proxy. [`public::PublicArticle`] has no
//!   field for a draft flag, a visibility level or a share token, so a
//!   non-public article cannot be serialised to a visitor by construction.
//! - [`lang`]: validated language codes and the negotiation rule that picks
//!   the language a visitor sees.
//! - [`translations`]: per-language maps and the PATCH merge rule.
//! - [`protocol`]: the typed messages between the widget and its worker.
//! - [`page_rules`]: site-wide suggestions by page path.
//! - [`static_site`]: the files `hcs build-static` writes for the worker.
//! - [`synonyms`]: the synonym groups a support team edits, and their file
//!   formats.

pub mod lang;
pub mod loader;
pub mod page_rules;
pub mod protocol;
pub mod public;
pub mod static_site;
pub mod synonyms;
pub mod translations;
pub mod wire;

pub use lang::{negotiate, LangCode, LangCodeError, LanguagePreferences};
pub use public::{PublicArticle, PublicCategory, Snapshot};
pub use translations::Translations;
pub use wire::{Article, Category, HelpCenterData, Site, Visibility};
