//! A language's Snowball stemmer and stop list in the browser. The
//! worker's wasm links none (hc-engine without its `snowball` feature: the
//! 18 languages' stemmers were 39 KB of its brotli); each language's is a
//! wasm of its own (`crates/snowball`), which the worker's entry fetches
//! and instantiates (`snowball` on the channel, `www/hc-worker-main.js`).
//! Here the engine is given it: [`install`] sets hc-engine's provider, which
//! an analysis of a stemming language asks when an index is opened.
//!
//! The entry answers synchronously: the first time, from the module it
//! started fetching and compiling as the `Init` arrived (for the language
//! it asks for first) or as [`prefetch`] asked (a language switch), which
//! the load waits for ([`settled`]) before it hands on bytes that may open
//! an index, or, when another language is served, by a synchronous
//! request, which a worker may make. A module
//! that cannot be had leaves the language unstemmed, with a console
//! warning: searches still answer, with fewer matches.

use std::cell::RefCell;
use std::sync::Arc;

use hc_core::loader::{CHANNEL_PREFETCH_SNOWBALL, CHANNEL_SNOWBALL, CHANNEL_SNOWBALL_SETTLED};
use hc_engine::snowball::Snowball;
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A module as the entry gives it: its subtag and functions.
struct Given {
    subtag: String,
    stem: Function,
    is_stop: Function,
    /// Newline-joined words in, a `0` or `1` per word out.
    stops_among: Function,
}

thread_local! {
    /// The modules given so far; a [`Module`] is an index into it, as JS
    /// values cannot cross threads and hc-engine's `Snowball` must be
    /// `Send + Sync`.
    static MODULES: RefCell<Vec<Given>> = const { RefCell::new(Vec::new()) };
}

/// One language's module, as [`MODULES`] holds it.
struct Module(usize);

impl Module {
    fn call(&self, pick: impl Fn(&Given) -> &Function, text: &str) -> JsValue {
        MODULES.with_borrow(|m| {
            m.get(self.0)
                .and_then(|given| pick(given).call1(&JsValue::NULL, &text.into()).ok())
                .unwrap_or(JsValue::UNDEFINED)
        })
    }
}

impl Snowball for Module {
    fn stem(&self, word: &str) -> String {
        self.call(|g| &g.stem, word)
            .as_string()
            .unwrap_or_else(|| word.to_string())
    }

    fn is_stop(&self, word: &str) -> bool {
        self.call(|g| &g.is_stop, word).is_truthy()
    }

    /// One call for all: the words joined by newlines (no word holds
    /// one), the entry's `isStop` of each as `0` or `1`.
    fn stops_among(&self, words: &[&str]) -> Vec<bool> {
        let answers = self
            .call(|g| &g.stops_among, &words.join("\n"))
            .as_string()
            .unwrap_or_default();
        let mut bits = answers.bytes().map(|b| b == b'1');
        words.iter().map(|_| bits.next().unwrap_or(false)).collect()
    }
}

/// hc-engine's provider: the language's module, from the entry.
fn provide(subtag: &str) -> Option<Arc<dyn Snowball>> {
    if let Some(i) = MODULES.with_borrow(|m| m.iter().position(|g| g.subtag == subtag)) {
        return Some(Arc::new(Module(i)));
    }
    let module = super::channel_function(CHANNEL_SNOWBALL)
        .and_then(|f| f.call1(&JsValue::NULL, &subtag.into()).ok())
        .filter(|m| m.is_object());
    let Some(module) = module else {
        web_sys::console::warn_1(
            &format!("hc-search: no stemmer for \"{subtag}\" could be loaded; searching without")
                .into(),
        );
        return None;
    };
    let function = |name: &str| -> Option<Function> {
        Reflect::get(&module, &name.into()).ok()?.dyn_into().ok()
    };
    let given = Given {
        subtag: subtag.to_string(),
        stem: function("stem")?,
        is_stop: function("isStop")?,
        stops_among: function("stopsAmong")?,
    };
    let i = MODULES.with_borrow_mut(|m| {
        m.push(given);
        m.len() - 1
    });
    Some(Arc::new(Module(i)))
}

/// Makes the entry's modules the engine's Snowball.
pub fn install() {
    hc_engine::snowball::provide(provide);
}

/// Starts fetching the module of the site language `lang`, if it has one.
pub fn prefetch(lang: &str) {
    let Some(subtag) = hc_engine::snowball::subtag(lang) else {
        return;
    };
    if let Some(f) = super::channel_function(CHANNEL_PREFETCH_SNOWBALL) {
        let _ = f.call1(&JsValue::NULL, &subtag.into());
    }
}

/// Resolves when the modules the entry is prefetching have come (or
/// failed, or it stopped waiting): awaited before bytes that may open an
/// index are handed to the load, so that the engine finds the module
/// compiled instead of reading it again synchronously. At once when none
/// is on its way.
pub async fn settled() {
    let Some(promise) = super::channel_function(CHANNEL_SNOWBALL_SETTLED)
        .and_then(|f| f.call0(&JsValue::NULL).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return;
    };
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
