//! The wasm glue: hands the widget's messages to [`crate::session::Session`]
//! and performs the I/O it and its loads ([`crate::load`]) ask for (fetch,
//! IndexedDB, postMessage, the clock, the builder's worker), feeding the results back. The worker's entry (`www/hc-worker-main.js`, appended
//! to this crate's glue) buffers messages that
//! arrive while the module is still loading and hands them to
//! [`handle_message`] in order.

mod build;
mod cache;
mod chunks;
mod fetch;
mod snowball;

use std::cell::RefCell;

use hc_core::protocol::{ErrorKind, FromWorker, Timing, ToWorker};
use wasm_bindgen::prelude::*;
use web_sys::DedicatedWorkerGlobalScope;

use crate::core::PieceFetch;
use crate::load::{Effect, Event, FetchError, Fetched, Request, Step};
use crate::session::{LoadId, Reply, Session};

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

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// The field `name` of the channel the worker's entry and the loader hand
/// things over on (`hc_core::loader::CHANNEL` on the global scope).
fn channel_field(name: &str) -> Option<(js_sys::Object, JsValue)> {
    let channel = js_sys::Reflect::get(
        &js_sys::global(),
        &JsValue::from_str(hc_core::loader::CHANNEL),
    )
    .ok()?;
    let channel: js_sys::Object = channel.dyn_into().ok()?;
    let value = js_sys::Reflect::get(&channel, &JsValue::from_str(name)).ok()?;
    Some((channel, value))
}

/// The function the worker's entry put on the channel under `name`.
fn channel_function(name: &str) -> Option<js_sys::Function> {
    channel_field(name)?.1.dyn_into().ok()
}

fn post(msg: &FromWorker) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    match encode(msg) {
        Ok(value) => {
            let _ = scope.post_message(&value);
        }
        Err(e) => {
            web_sys::console::error_1(&format!("hc-worker: cannot encode a message: {e}").into())
        }
    }
}

/// A message as the widget receives it.
fn encode(msg: &FromWorker) -> Result<JsValue, serde_wasm_bindgen::Error> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(msg, &serializer)
}

/// Queues [`crate::warm_up`] as a task of its own. Queued as the worker's
/// first load starts, it runs at that load's first wait for bytes, while
/// they come (or, were they there already, just before the load goes on,
/// which then needs what it compiled).
fn queue_warm_up() {
    wasm_bindgen_futures::spawn_local(async {
        if let Some(answer) = crate::warm_up::run() {
            // Encoded as `post` would, not posted.
            let _ = encode(&answer);
        }
    });
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
    snowball::install();
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
    // `type` first, then that variant's fields (`ToWorker::from_fields`).
    let tag = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    let decoded = ToWorker::from_fields(&tag, serde_wasm_bindgen::Deserializer::from(data.clone()));
    let msg: ToWorker = match decoded {
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
    // An `Init`'s JSON as posted: what the loader keyed its prefetch by.
    let init_json = matches!(msg, ToWorker::Init { .. })
        .then(|| js_sys::JSON::stringify(&data).ok()?.as_string())
        .flatten();
    match SESSION.with_borrow_mut(|s| s.message(msg, init_json.as_deref())) {
        Reply::Nothing => {}
        Reply::Answer(answer) => post(&answer),
        Reply::Load(id, step) => wasm_bindgen_futures::spawn_local(drive(id, step, true)),
    }
    fetch_pieces();
}

/// Piece fetches start at once, then at most once per this many
/// milliseconds: while the visitor types on, each answer replaces the
/// pieces the one before wanted and had not asked for yet
/// ([`crate::core::WorkerCore`]), so a query typed fast asks for the
/// pieces of its first answer and of the one it pauses on, not of every
/// keystroke (ten requests each: a proxy's per-visitor rate limit, and
/// bytes never shown). A chunk of the index does not wait: the answer
/// to the keystroke waits for it.
const PIECE_GAP_MS: f64 = 150.0;

thread_local! {
    /// When pieces were last asked for, and whether a later round is due.
    static PIECE_ROUND: std::cell::Cell<(f64, bool)> = const { std::cell::Cell::new((f64::MIN, false)) };
}

/// Starts fetching the pieces of article text the answers now wait for
/// (see [`PIECE_GAP_MS`]), each on its own: their answers go out as they
/// settle.
fn fetch_pieces() {
    let (last, due) = PIECE_ROUND.get();
    let now = SESSION.with_borrow(Session::chunks_wanted);
    if due && !now {
        return;
    }
    let wait = last + PIECE_GAP_MS - js_sys::Date::now();
    if wait > 0.0 && !now {
        PIECE_ROUND.set((last, true));
        wasm_bindgen_futures::spawn_local(async move {
            sleep(wait).await;
            PIECE_ROUND.set((last, false));
            fetch_pieces();
        });
        return;
    }
    let fetches = SESSION.with_borrow_mut(Session::take_piece_fetches);
    // Only pieces of text start a round: the first answer's chunks, just
    // fetched, must not hold back the texts of its hits by a gap.
    if fetches.iter().any(|f| !f.index_chunk) {
        PIECE_ROUND.set((js_sys::Date::now(), false));
    }
    for fetch in fetches {
        wasm_bindgen_futures::spawn_local(fetch_piece(fetch));
    }
}

async fn fetch_piece(fetch: PieceFetch) {
    let result = match fetch::get(&fetch.url, None).await {
        Ok(Fetched::Body { bytes, .. }) => Ok(bytes),
        Ok(Fetched::NotModified) => Err(FetchError::Status(304).to_string()),
        Err(e) => Err(format!("{e} (GET {})", fetch.url)),
    };
    let (answers, warning) = SESSION.with_borrow_mut(|s| s.piece_fetched(&fetch, result));
    if let Some(text) = warning {
        web_sys::console::warn_1(&text.into());
    }
    for answer in &answers {
        post(answer);
    }
    // The deferred cache write takes what has arrived before the next
    // fetch starts: the bundle of the index chunks would hold it back.
    let settled = SESSION.with_borrow_mut(Session::pieces_settled);
    fetch_pieces();
    if let Some((id, step)) = settled {
        drive(id, step, false).await;
    }
}

fn current(id: LoadId) -> bool {
    SESSION.with_borrow(|s| s.is_current(id))
}

/// Performs load `id`'s steps until it ends or a newer load supersedes it;
/// `start`: from its first step (else a step it deferred, such as the
/// cache write after the pieces of text arrived).
async fn drive(id: LoadId, mut step: Step, start: bool) {
    let first = start && id == 1;
    let mut clock = Stopwatch::new(first);
    if first {
        queue_warm_up();
    }
    loop {
        for effect in step.effects {
            if !current(id) {
                return;
            }
            perform(effect, &mut clock).await;
        }
        let Some(request) = step.next else { return };
        let event = match request {
            Request::TakePrefetch => Event::Prefetch(cache::take_prefetch().await),
            Request::ReadSite { url } => Event::Site(cache::read_site(&url).await),
            Request::ReadCache { key } => Event::Cache(cache::read(&key).await),
            Request::Fetch { url, if_none_match } => {
                Event::Fetched(fetch::get(&url, if_none_match.as_deref()).await)
            }
            Request::FetchPack { url } => Event::Pack(fetch::get_pack(&url).await),
            Request::Build {
                snapshot,
                lang,
                fallback,
            } => Event::Built(build::build(snapshot, &lang, fallback).await),
            Request::NextTask => {
                next_task().await;
                Event::Resumed
            }
            Request::Stemmer { lang } => {
                snowball::ready(&lang).await;
                clock.lap("stemmer");
                Event::Resumed
            }
        };
        step = SESSION.with_borrow_mut(|s| s.on(id, event));
        fetch_pieces();
    }
}

async fn perform(effect: Effect, clock: &mut Stopwatch) {
    match effect {
        Effect::Post(msg) => post(&msg),
        Effect::Ready {
            lang,
            languages,
            articles,
            from_cache,
        } => post(&FromWorker::Ready {
            lang,
            languages,
            articles,
            from_cache,
            timings: clock.finish(),
        }),
        Effect::Lap(step) => clock.lap(step),
        Effect::Warn(text) => web_sys::console::warn_1(&text.into()),
        Effect::PrefetchStemmer { lang } => snowball::prefetch(&lang),
        Effect::PrepareBuilder => build::prepare(),
        Effect::DeleteCache { key } => cache::delete(&key).await,
        Effect::WriteCache {
            url,
            site,
            key,
            entry,
            lookup,
        } => cache::put_warm(&url, &site, &key, &entry, lookup.as_deref()).await,
    }
}

/// Resolves in a later task (`setTimeout(0)`), after the messages already
/// queued for this worker.
async fn next_task() {
    sleep(0.0).await;
}

/// Resolves after `ms` milliseconds (`setTimeout`).
async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
