//! The wasm glue: receives the widget's messages, performs the I/O that
//! [`crate::core::WorkerCore`] cannot (fetch, IndexedDB, postMessage) and
//! posts its answers. The worker's bootstrap script buffers messages that
//! arrive while the module is still loading and hands them to
//! [`handle_message`] in order.

mod cache;
mod fetch;

use std::cell::RefCell;

use hc_core::protocol::{
    ContentSource, ErrorKind, Fallback, FromWorker, LanguageRequest, Stage, ToWorker,
};
use hc_core::{LangCode, Site};
use hc_engine::Engine;
use wasm_bindgen::prelude::*;
use web_sys::DedicatedWorkerGlobalScope;

use crate::core::{Loaded, WorkerCore};
use crate::reader::{fill_from_default, ReaderDocs};
use fetch::{FetchError, Fetched};

struct Glue {
    core: WorkerCore,
    source: Option<ContentSource>,
    /// The visit's language wishes, negotiated once the site is known.
    languages: LanguageRequest,
    /// A language picked in the widget's switcher; wins when the site has it.
    chosen: Option<LangCode>,
    fallback: Fallback,
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
    let msg: ToWorker = match serde_wasm_bindgen::from_value(data) {
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
            let generation = GLUE.with_borrow_mut(|g| {
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

fn snapshot_url(source: &ContentSource) -> String {
    match source {
        ContentSource::Proxy { url } => format!("{}/v1/snapshot", url.trim_end_matches('/')),
        ContentSource::Static { snapshot_url, .. } => snapshot_url.clone(),
    }
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
/// revalidate in the background.
async fn load(generation: u32) {
    let Some((source, request, chosen, fallback)) = GLUE.with_borrow(|g| {
        Some((
            g.source.clone()?,
            g.languages.clone(),
            g.chosen.clone(),
            g.fallback,
        ))
    }) else {
        return;
    };
    let url = snapshot_url(&source);
    post(&FromWorker::Progress {
        stage: Stage::LoadingCache,
    });
    let mut etag = None;
    if let Some(site) = cache::get_site(&url).await {
        let lang = choose(&site, &request, chosen.as_ref());
        let key = cache::key(&url, &lang, fallback);
        if let Some(entry) = cache::get(&key).await {
            let loaded = serde_json::from_slice::<ReaderDocs>(&entry.reader)
                .ok()
                .and_then(|reader| {
                    Some((
                        Engine::from_pack(&entry.pack, &reader.to_articles(&lang)).ok()?,
                        reader,
                    ))
                });
            match loaded {
                Some((engine, reader)) => {
                    install(
                        generation,
                        Loaded {
                            lang,
                            engine,
                            reader,
                        },
                        true,
                        &site.enabled(),
                    );
                    etag = Some(entry.etag);
                }
                None => cache::delete(&key).await,
            }
        }
    }
    if !current(generation) {
        return;
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
            if !current(generation) {
                return;
            }
            cache::put_site(&url, &snapshot.site).await;
            let lang = choose(&snapshot.site, &request, chosen.as_ref());
            if !from_cache {
                post(&FromWorker::Progress {
                    stage: Stage::Indexing,
                });
            }
            let snapshot = match fallback {
                Fallback::Default => fill_from_default(&snapshot, &lang),
                Fallback::None => snapshot,
            };
            let languages = snapshot.site.enabled();
            let engine = match Engine::from_snapshot(&snapshot, lang.as_str()) {
                Ok(e) => e,
                Err(e) => return post_error(None, ErrorKind::BadContent, e.to_string(), false),
            };
            let reader = ReaderDocs::from_snapshot(&snapshot, &lang);
            let entry = match (engine.to_pack(), serde_json::to_vec(&reader)) {
                (Ok(pack), Ok(reader)) => Some(cache::Entry {
                    etag: etag.unwrap_or_default(),
                    pack,
                    reader,
                }),
                _ => None,
            };
            if !current(generation) {
                return;
            }
            let key = cache::key(&url, &lang, fallback);
            install(
                generation,
                Loaded {
                    lang,
                    engine,
                    reader,
                },
                false,
                &languages,
            );
            if let Some(entry) = entry {
                if !entry.etag.is_empty() {
                    cache::put(&key, &entry).await;
                }
            }
        }
        // A warm start keeps serving its cached index when revalidation fails.
        Err(_) if from_cache => {}
        Err(e) => {
            let (kind, retryable) = match &e {
                FetchError::Offline(_) => (ErrorKind::Offline, true),
                FetchError::RateLimited => (ErrorKind::RateLimited, true),
                FetchError::Status(_) => (ErrorKind::Unavailable, true),
                FetchError::BadContent(_) => (ErrorKind::BadContent, false),
            };
            post_error(None, kind, e.to_string(), retryable);
        }
    }
}

fn install(generation: u32, loaded: Loaded, from_cache: bool, languages: &[LangCode]) {
    if !current(generation) {
        return;
    }
    let ready = FromWorker::Ready {
        lang: loaded.lang.clone(),
        languages: languages.to_vec(),
        articles: loaded.engine.len() as u32,
        from_cache,
    };
    let answers = GLUE.with_borrow_mut(|g| g.core.install(loaded));
    post(&ready);
    for a in &answers {
        post(a);
    }
}
