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
//! The widget's behaviour is a reducer, [`state`]: messages in, state and
//! effects out, tested natively like [`nav`] (the combobox keys),
//! [`strings`], [`highlight`], [`history`] (the visitor's recent searches
//! and articles) and [`options`]. The Leptos view and the
//! effects (`app`) compile only for wasm and hold no logic of their own.

pub mod highlight;
pub mod history;
pub mod nav;
pub mod options;
pub mod state;
pub mod strings;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod link;
#[cfg(target_arch = "wasm32")]
pub use app::{mount, WidgetHandle};
