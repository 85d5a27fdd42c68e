//! A language's Snowball stemmer and stop list in the browser. The
//! worker's wasm links none (hc-engine without its `snowball` feature: the
//! 18 languages' stemmers were 39 KB of its brotli); each language's is a
//! wasm of its own (`crates/snowball`), which the worker's entry fetches
//! and instantiates (`snowball` on the channel, `www/hc-worker-main.js`).
//! Here the engine is given it: [`install`] sets hc-engine's provider, which
//! an analysis of a stemming language asks when an index is opened.
//!
//! The entry answers synchronously: from the module it fetched and
//! compiled ahead, for the language the `Init` asks for first (as it
//! arrives) and for the language a load installs (as soon as the load knows
//! it, [`prefetch`]), which the load waits for before it opens an index
//! ([`ready`]); else, were it still missing, by a synchronous request,
//! which a worker may make. A module
//! that cannot be had leaves the language unstemmed, with a console
//! warning: searches still answer, with fewer matches.

use std::cell::RefCell;
use std::sync::Arc;

use hc_core::loader::{CHANNEL_PREFETCH_SNOWBALL, CHANNEL_SNOWBALL};
use hc_core::LangCode;
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

/// Asks the entry to fetch and compile the module of the site language
/// `lang` unless it is on its way or there already: the promise of its
/// coming (it settles when the module has come, failed, or the entry
/// stopped waiting), or `None` when there is nothing to wait for.
fn fetch_module(lang: &LangCode) -> Option<js_sys::Promise> {
    let subtag = hc_engine::snowball::subtag(lang.as_str())?;
    super::channel_function(CHANNEL_PREFETCH_SNOWBALL)?
        .call1(&JsValue::NULL, &subtag.into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Starts fetching `lang`'s module ([`crate::load::Effect::PrefetchStemmer`]).
pub fn prefetch(lang: &LangCode) {
    let _ = fetch_module(lang);
}

/// Resolves once `lang`'s module is at hand ([`crate::load::Request::Stemmer`]),
/// at once when it is (or cannot be had): awaited before an index is
/// opened, so that the engine finds the module compiled instead of reading
/// it again synchronously.
pub async fn ready(lang: &LangCode) {
    if let Some(promise) = fetch_module(lang) {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}
