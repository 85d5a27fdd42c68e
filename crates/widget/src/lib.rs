//! `hc-widget`: the `<hc-search>` user interface.
//!
//! The custom element itself is defined by a tiny loader script
//! (`www/hc-search.js`) so that the launcher and the keyboard shortcut cost
//! almost nothing before a visitor shows intent. On intent the loader starts
//! the search worker (so the engine loads while this module does), imports
//! this module and calls [`mount`] with the element's open shadow root and
//! the worker; the Leptos UI renders there (style-isolated), takes the
//! worker over, and follows the WAI-ARIA combobox and dialog patterns.
//!
//! [`strings`], [`highlight`] and [`options`] are plain Rust, tested
//! natively; the UI itself compiles only for wasm.

pub mod highlight;
pub mod nav;
pub mod options;
pub mod strings;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod link;
#[cfg(target_arch = "wasm32")]
pub use app::{mount, WidgetHandle};
