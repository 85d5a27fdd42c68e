//! What the page-side JS (`www/hc-search.js`, which starts the worker and
//! prefetches a warm start from IndexedDB) and the worker (its entry
//! `www/hc-worker-main.js` and its wasm's cache) must agree on. Defined
//! once, here: the wasm uses these constants, and `cargo xtask build-web`
//! writes [`contract_js`] into both JS files where they say
//! `__HC_CONTRACT__`, so the two sides cannot drift (xtask's tests refuse a
//! JS file that spells one of these values itself).

use serde::Serialize;

/// The IndexedDB database the worker caches indexes in.
pub const CACHE_DB: &str = "hc-search";
/// Its one object store.
pub const CACHE_STORE: &str = "packs";
/// Start of the lookup record's key; the rest is the `Init` message's JSON
/// as posted (see [`lookup_key`]).
pub const LOOKUP_PREFIX: &str = "init|";
/// The loader → worker message carrying the engine's compiled module.
pub const MODULE_MESSAGE: &str = "hc-module";
/// The loader → worker message carrying the prefetched cache entry.
pub const WARM_MESSAGE: &str = "hc-warm";
/// The `type` of [`crate::protocol::ToWorker::Init`] (serde's tag).
pub const INIT_TAG: &str = "init";
/// The `type` of [`crate::protocol::ToWorker::Intent`], which the loader
/// posts when focus first moves into the widget after it mounted (its
/// launcher, its dialog's box, its inline box).
pub const INTENT_TAG: &str = "intent";
/// The `type` of [`crate::protocol::FromWorker::Results`]: the worker's
/// entry fetches the second part of its wasm once it has posted the first
/// (`crates/xtask/src/split_wasm.rs`).
pub const RESULTS_TAG: &str = "results";
/// The one property of the worker's global scope that the loader, the
/// worker's entry and the wasm hand things over on: an object holding the
/// wasm's URL, whether a compiled module and a warm-start read will be
/// posted, the messages that came before the entry ran (the loader's
/// cross-origin start) and, under [`CHANNEL_WARM`], the promise of the
/// prefetched cache entry that the wasm takes, and under [`CHANNEL_BUILD`]
/// the entry's way to the builder.
pub const CHANNEL: &str = "__hcChannel";
/// The channel's field holding the warm-start promise.
pub const CHANNEL_WARM: &str = "warm";
/// The channel's field holding the worker entry's
/// `build(snapshot: Uint8Array, lang: string, fill: boolean)`: a promise of
/// `{pack: Uint8Array}`, or of `{error, loaded}` (`loaded`: the builder ran
/// and rejected the snapshot; else it could not be loaded).
pub const CHANNEL_BUILD: &str = "build";
/// The channel's field holding the worker entry's `prepareBuild()`: starts
/// the builder's worker (and its wasm's fetch and compile) for the
/// `build` call that follows.
pub const CHANNEL_PREPARE_BUILD: &str = "prepareBuild";
/// The channel's field holding the worker entry's `snowball(subtag:
/// string)`: the language's Snowball module (`crates/snowball`),
/// instantiated (fetched at once, or waited for synchronously), as
/// `{stem(word): string, isStop(word): boolean, stopsAmong(words): string}`
/// (`stopsAmong`: newline-joined words in, a `0` or `1` per word out), or
/// null when it cannot be had.
pub const CHANNEL_SNOWBALL: &str = "snowball";
/// The channel's field holding the worker entry's
/// `prefetchSnowball(subtag: string)`: starts fetching and compiling that
/// module, unless it is on its way or there already, so that `snowball`
/// finds it compiled; returns a promise that settles when it has come (or
/// failed, or a few seconds passed), or null when there is nothing to wait
/// for. The worker awaits it before it opens an index of the language
/// (`Request::Stemmer` of the worker's load): a module asked for while it
/// is still on its way would be read again, synchronously.
pub const CHANNEL_PREFETCH_SNOWBALL: &str = "prefetchSnowball";

/// The lookup record's key for an `Init` message, given its JSON exactly
/// as the loader posted it.
pub fn lookup_key(init_json: &str) -> String {
    format!("{LOOKUP_PREFIX}{init_json}")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Contract {
    cache_db: &'static str,
    cache_store: &'static str,
    lookup_prefix: &'static str,
    module_message: &'static str,
    warm_message: &'static str,
    init_tag: &'static str,
    intent_tag: &'static str,
    results_tag: &'static str,
    channel: &'static str,
    channel_warm: &'static str,
    channel_build: &'static str,
    channel_prepare_build: &'static str,
    channel_snowball: &'static str,
    channel_prefetch_snowball: &'static str,
}

/// The constants above as a JS object literal (JSON).
pub fn contract_js() -> String {
    serde_json::to_string(&Contract {
        cache_db: CACHE_DB,
        cache_store: CACHE_STORE,
        lookup_prefix: LOOKUP_PREFIX,
        module_message: MODULE_MESSAGE,
        warm_message: WARM_MESSAGE,
        init_tag: INIT_TAG,
        intent_tag: INTENT_TAG,
        results_tag: RESULTS_TAG,
        channel: CHANNEL,
        channel_warm: CHANNEL_WARM,
        channel_build: CHANNEL_BUILD,
        channel_prepare_build: CHANNEL_PREPARE_BUILD,
        channel_snowball: CHANNEL_SNOWBALL,
        channel_prefetch_snowball: CHANNEL_PREFETCH_SNOWBALL,
    })
    .expect("string fields always serialise")
}

/// Every value of the contract, for drift checks.
#[cfg(test)]
const VALUES: &[&str] = &[
    CACHE_DB,
    CACHE_STORE,
    LOOKUP_PREFIX,
    MODULE_MESSAGE,
    WARM_MESSAGE,
    INIT_TAG,
    INTENT_TAG,
    RESULTS_TAG,
    CHANNEL,
    CHANNEL_WARM,
    CHANNEL_BUILD,
    CHANNEL_PREPARE_BUILD,
    CHANNEL_SNOWBALL,
    CHANNEL_PREFETCH_SNOWBALL,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{ContentSource, Fallback, LanguageRequest, ToWorker};

    #[test]
    fn the_init_intent_and_results_tags_are_serdes_and_the_contract_names_every_value() {
        let init = ToWorker::Init {
            source: ContentSource::Proxy {
                url: "https://p.example".into(),
            },
            languages: LanguageRequest::default(),
            fallback: Fallback::None,
        };
        let json = serde_json::to_value(&init).unwrap();
        assert_eq!(json["type"], INIT_TAG);
        let intent = serde_json::to_value(ToWorker::Intent).unwrap();
        assert_eq!(intent, serde_json::json!({ "type": INTENT_TAG }));
        let results = serde_json::to_value(crate::protocol::FromWorker::Results {
            seq: 1,
            total: 0,
            hits: Vec::new(),
            facets: Default::default(),
            snippets_pending: false,
        })
        .unwrap();
        assert_eq!(results["type"], RESULTS_TAG);
        let contract: serde_json::Value = serde_json::from_str(&contract_js()).unwrap();
        let mut values: Vec<&str> = contract
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_str().unwrap())
            .collect();
        values.sort_unstable();
        let mut want = VALUES.to_vec();
        want.sort_unstable();
        assert_eq!(values, want);
        assert_eq!(lookup_key("{}"), "init|{}");
    }
}
