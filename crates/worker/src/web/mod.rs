//! The wasm glue: receives the widget's messages, performs the I/O that
//! [`crate::core::WorkerCore`] cannot (fetch, IndexedDB, postMessage) and
//! posts its answers. The worker's entry (`www/hc-worker-main.js`, appended
//! to this crate's glue) buffers messages that
//! arrive while the module is still loading and hands them to
//! [`handle_message`] in order.

mod cache;
mod fetch;
mod static_source;

use std::cell::RefCell;

use hc_core::protocol::{
    ContentSource, ErrorKind, Fallback, FromWorker, LanguageRequest, Stage, Timing, ToWorker,
};
use hc_core::{LangCode, Site};
use hc_engine::IndexContainer;
use wasm_bindgen::prelude::*;
use web_sys::DedicatedWorkerGlobalScope;

use crate::core::{Loaded, WorkerCore};
use crate::reader::fill_from_default;
use fetch::{FetchError, Fetched};
use static_source::StaticLoad;

/// Milliseconds since the worker started a load, per step (JS clock: the
/// wasm code itself never reads one).
struct Stopwatch {
    start: f64,
    last: f64,
    steps: Vec<Timing>,
}

impl Stopwatch {
    /// `first`: the worker's first load, which also reports how long the
    /// worker took to start (its scripts and wasm, from its creation on).
    fn new(first: bool) -> Self {
        let now = js_sys::Date::now();
        let mut steps = Vec::new();
        if first {
            let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
            if let Some(since_creation) = scope.performance().map(|p| p.now()) {
                steps.push(Timing {
                    step: "worker start".into(),
                    ms: since_creation.max(0.0) as u32,
                });
            }
        }
        Stopwatch {
            start: now,
            last: now,
            steps,
        }
    }

    fn lap(&mut self, step: &str) {
        let now = js_sys::Date::now();
        self.steps.push(Timing {
            step: step.to_string(),
            ms: (now - self.last).max(0.0) as u32,
        });
        self.last = now;
    }

    fn finish(&mut self) -> Vec<Timing> {
        let mut steps = std::mem::take(&mut self.steps);
        steps.push(Timing {
            step: "total".into(),
            ms: (js_sys::Date::now() - self.start).max(0.0) as u32,
        });
        steps
    }
}

struct Glue {
    core: WorkerCore,
    source: Option<ContentSource>,
    /// The visit's language wishes, negotiated once the site is known.
    languages: LanguageRequest,
    /// A language picked in the widget's switcher; wins when the site has it.
    chosen: Option<LangCode>,
    fallback: Fallback,
    /// The IndexedDB lookup record's key for the `Init` this worker got
    /// ([`cache::lookup_key`]); used while no language is `chosen`.
    lookup: Option<String>,
    /// Bumped on every (re)load, so that a slow load for a language the
    /// visitor has left does not install itself.
    generation: u32,
}

thread_local! {
    static GLUE: RefCell<Glue> = RefCell::new(Glue {
        core: WorkerCore::default(),
        source: None,
        languages: LanguageRequest::default(),
        chosen: None,
        fallback: Fallback::None,
        lookup: None,
        generation: 0,
    });
}

fn post(msg: &FromWorker) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    match serde::Serialize::serialize(msg, &serializer) {
        Ok(value) => {
            let _ = scope.post_message(&value);
        }
        Err(e) => {
            web_sys::console::error_1(&format!("hc-worker: cannot encode a message: {e}").into())
        }
    }
}

fn post_error(seq: Option<u32>, kind: ErrorKind, message: String, retryable: bool) {
    post(&FromWorker::Error {
        seq,
        kind,
        message,
        retryable,
    });
}

/// Installs a panic hook that reports to the widget instead of dying silently.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post_error(
            None,
            ErrorKind::Internal,
            format!("hc-worker crashed: {info}"),
            false,
        );
    }));
}

/// Handles one message from the widget (a `ToWorker` as a JS object).
#[wasm_bindgen]
pub fn handle_message(data: JsValue) {
    let msg: ToWorker = match serde_wasm_bindgen::from_value(data.clone()) {
        Ok(m) => m,
        Err(e) => {
            return post_error(
                None,
                ErrorKind::Internal,
                format!("unreadable message: {e}"),
                false,
            )
        }
    };
    match msg {
        ToWorker::Init {
            source,
            languages,
            fallback,
        } => {
            // The same JSON the loader keyed its prefetch by.
            let json = js_sys::JSON::stringify(&data)
                .ok()
                .and_then(|j| j.as_string());
            let generation = GLUE.with_borrow_mut(|g| {
                g.lookup = json.as_deref().map(cache::lookup_key);
                g.source = Some(source);
                g.languages = languages;
                g.chosen = None;
                g.fallback = fallback;
                g.core.unload();
                g.generation += 1;
                g.generation
            });
            wasm_bindgen_futures::spawn_local(load(generation));
        }
        ToWorker::SetLanguage { lang } => {
            let generation = GLUE.with_borrow_mut(|g| {
                if g.core.loaded().is_some_and(|l| l.lang == lang) {
                    return None;
                }
                g.chosen = Some(lang);
                g.core.unload();
                g.generation += 1;
                Some(g.generation)
            });
            if let Some(generation) = generation {
                wasm_bindgen_futures::spawn_local(load(generation));
            }
        }
        other => {
            if let Some(reply) = GLUE.with_borrow_mut(|g| g.core.answer(other)) {
                post(&reply);
            }
        }
    }
}

fn current(generation: u32) -> bool {
    GLUE.with_borrow(|g| g.generation == generation)
}

/// The language to show: the switcher's choice when the site has it, else
/// the negotiated one.
fn choose(site: &Site, request: &LanguageRequest, chosen: Option<&LangCode>) -> LangCode {
    let enabled = site.enabled();
    match chosen {
        Some(lang) if enabled.contains(lang) => lang.clone(),
        _ => request.resolve(&enabled, &site.default_language),
    }
}

/// Warm start from IndexedDB if possible, else fetch and build; then
/// revalidate in the background. Whatever is not needed to answer the
/// first search (storing the pack, the site's languages) happens after the
/// index is installed.
async fn load(generation: u32) {
    let Some((source, request, chosen, fallback, lookup)) = GLUE.with_borrow(|g| {
        Some((
            g.source.clone()?,
            g.languages.clone(),
            g.chosen.clone(),
            g.fallback,
            g.lookup.clone().filter(|_| g.chosen.is_none()),
        ))
    }) else {
        return;
    };
    let mut clock = Stopwatch::new(generation == 1);
    let url = source.snapshot_url();
    post(&FromWorker::Progress {
        stage: Stage::LoadingCache,
    });
    let mut etag = None;
    if let Some((site, entry, read)) = cache::get_warm(&url, lookup.as_deref(), |site| {
        let lang = choose(site, &request, chosen.as_ref());
        cache::key(&url, &lang, fallback)
    })
    .await
    {
        clock.lap(match read {
            cache::Read::Prefetched => "cache read (prefetched)",
            cache::Read::Here => "cache read",
        });
        let lang = choose(&site, &request, chosen.as_ref());
        let key = cache::key(&url, &lang, fallback);
        let engine = crate::entry::engine(&entry.container, &lang).ok();
        clock.lap("pack load");
        match engine {
            Some(engine) => {
                let loaded = Loaded {
                    lang,
                    engine,
                    reader: None,
                };
                install(generation, loaded, true, &site.enabled(), clock.finish());
                // Only the reader and the suggestions need the reader
                // documents: decoded once the first answers are out.
                next_task().await;
                match crate::entry::reader(&entry.container) {
                    Ok(reader) => {
                        if current(generation) {
                            let answers = GLUE.with_borrow_mut(|g| g.core.set_reader(reader));
                            answers.iter().for_each(post);
                        }
                        etag = Some(entry.etag);
                    }
                    // Without an ETag the snapshot below is fetched whole and
                    // its index replaces this one.
                    Err(_) => cache::delete(&key).await,
                }
            }
            None => cache::delete(&key).await,
        }
    }
    if !current(generation) {
        return;
    }
    if let (
        ContentSource::Static {
            packs_url: Some(index_url),
            ..
        },
        Fallback::None,
    ) = (&source, fallback)
    {
        // Prebuilt packs hold one language each, so a fallback to the
        // default language is built from the snapshot below.
        if etag.is_none() {
            post(&FromWorker::Progress {
                stage: Stage::Fetching,
            });
        }
        match static_source::load(index_url, &request, chosen.as_ref(), etag.as_deref()).await {
            Ok(StaticLoad::Unchanged) => return,
            Ok(StaticLoad::Loaded { site, loaded, etag }) => {
                clock.lap("fetch and load pack");
                let key = cache::key(&url, &loaded.lang, fallback);
                if install(generation, *loaded, false, &site.enabled(), clock.finish()) {
                    store(generation, &url, &site, &key, etag, lookup.as_deref()).await;
                }
                return;
            }
            Ok(StaticLoad::NoPack) => {}
            // A warm start keeps serving its cached index.
            Err(_) if etag.is_some() => return,
            Err(e) => web_sys::console::warn_1(
                &format!("hc-search: prebuilt packs unusable, using the snapshot ({e})").into(),
            ),
        }
    }
    let from_cache = etag.is_some();
    if !from_cache {
        post(&FromWorker::Progress {
            stage: Stage::Fetching,
        });
    }
    match fetch::snapshot(&url, etag.as_deref()).await {
        Ok(Fetched::NotModified) => {}
        Ok(Fetched::Snapshot { snapshot, etag }) => {
            clock.lap("fetch and parse snapshot");
            if !current(generation) {
                return;
            }
            let lang = choose(&snapshot.site, &request, chosen.as_ref());
            if !from_cache {
                post(&FromWorker::Progress {
                    stage: Stage::Indexing,
                });
            }
            let site = snapshot.site.clone();
            let snapshot = match fallback {
                Fallback::Default => fill_from_default(&snapshot, &lang),
                Fallback::None => snapshot,
            };
            let languages = snapshot.site.enabled();
            let IndexContainer { engine, reader } =
                match IndexContainer::build(&snapshot, lang.as_str()) {
                    Ok(built) => built,
                    Err(e) => return post_error(None, ErrorKind::BadContent, e.to_string(), false),
                };
            drop(snapshot);
            clock.lap("build index");
            if !current(generation) {
                return;
            }
            let key = cache::key(&url, &lang, fallback);
            // The pack is written from the installed engine, after the
            // waiting search has been answered.
            let pending = install(
                generation,
                Loaded {
                    lang,
                    engine,
                    reader: Some(reader),
                },
                false,
                &languages,
                clock.finish(),
            );
            let Some(etag) = etag.filter(|e| !e.is_empty()) else {
                return;
            };
            if pending {
                store(generation, &url, &site, &key, etag, lookup.as_deref()).await;
            }
        }
        // A warm start keeps serving its cached index when revalidation fails.
        Err(_) if from_cache => {}
        Err(e) => {
            let (kind, retryable) = match &e {
                FetchError::Offline(_) => (ErrorKind::Offline, true),
                FetchError::Unreachable(_) => (ErrorKind::Unavailable, true),
                FetchError::RateLimited => (ErrorKind::RateLimited, true),
                FetchError::Status(_) => (ErrorKind::Unavailable, true),
                FetchError::BadContent(_) => (ErrorKind::BadContent, false),
            };
            // The URL tried goes with the error: a wrong `proxy` (say, one
            // path segment off) is then visible in the console at once.
            post_error(None, kind, format!("{e} (GET {url})"), retryable);
        }
    }
}

/// Stores the installed index as the cache entry `key`, after the messages
/// that `Ready` prompted (the suggestions, the first keystrokes): encoding
/// the container takes a while.
async fn store(
    generation: u32,
    url: &str,
    site: &Site,
    key: &str,
    etag: String,
    lookup: Option<&str>,
) {
    next_task().await;
    if !current(generation) {
        return;
    }
    let container = GLUE.with_borrow(|g| crate::entry::cache_bytes(g.core.loaded()?));
    if let Some(container) = container {
        let entry = cache::Entry { etag, container };
        cache::put_warm(url, site, key, &entry, lookup).await;
    }
}

/// Resolves in a later task (`setTimeout(0)`), after the messages already
/// queued for this worker.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Installs the index and answers what waited for it; `false` when this
/// load is no longer current (the visitor switched language meanwhile).
fn install(
    generation: u32,
    loaded: Loaded,
    from_cache: bool,
    languages: &[LangCode],
    timings: Vec<Timing>,
) -> bool {
    if !current(generation) {
        return false;
    }
    let ready = FromWorker::Ready {
        lang: loaded.lang.clone(),
        languages: languages.to_vec(),
        articles: loaded.engine.len() as u32,
        from_cache,
        timings,
    };
    let answers = GLUE.with_borrow_mut(|g| g.core.install(loaded));
    post(&ready);
    for a in &answers {
        post(a);
    }
    true
}
