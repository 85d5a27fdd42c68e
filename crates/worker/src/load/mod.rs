//! The worker's loading of an index, as a state machine free of browser
//! APIs: one [`Load`] per `Init` or language switch. It takes the results
//! of I/O as [`Event`]s and answers each with a [`Step`]: effects to
//! perform in order (post a message, lap the clock, write or delete a cache
//! entry) and at most one [`Request`] whose result is the next event. The
//! wasm glue (`web`) only performs them; [`crate::session::Session`] drops
//! the events of a load that a newer one superseded, so no step here asks
//! whether it is still wanted.
//!
//! The order, and why: a warm start (the loader's prefetch of the IndexedDB
//! entry, else a read here) installs its engine at once and decodes the
//! reader documents a task later, after the first answers; then the
//! `packs.json` of a static site or a proxy and the visitor's prebuilt
//! pack, else the snapshot,
//! conditionally on the cached ETag (304: the warm index stays), built into
//! a container by the builder (`hc-builder`, a wasm and a worker of its
//! own, [`Request::Build`]) and opened here; what was installed from the
//! network is written to the cache a task after it answered. Every failure of the cache is a miss;
//! a network failure after a warm start keeps the warm index.
//!
//! Every index, wherever it came from, is opened right after a
//! [`Request::Stemmer`] for its language (the engine takes the language's
//! stemmer and stop list as it opens an index; in the browser they are a
//! module of their own, which must not be read twice), and that module
//! starts coming as soon as the load knows its language
//! ([`Effect::PrefetchStemmer`]).

mod target;

pub use target::{cache_key, version_suffix, Target, Wishes};

use hc_core::protocol::{ContentSource, ErrorKind, Fallback, FromWorker, Stage};
use hc_core::static_site::{sibling_url, PacksIndex, PACKS_INDEX_FORMAT};
use hc_core::{LangCode, Site};
use hc_engine::container::InflatedPack;
use hc_engine::{Parts, ReaderDocs};

use crate::core::{Loaded, WorkerCore};

/// A cache entry: the record `[etag, container bytes]`, or `[etag,
/// container bytes, pack URL]` for a pack's index, the container encoded
/// with [`hc_engine::Packing::Cache`] (as its parts when it is written:
/// the engine's index files, shared, not copied). The pack's URL lets a warm start
/// fetch the pieces of text its entry lacks at once, before `packs.json`
/// is revalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub etag: String,
    pub container: Parts,
    pub pack_url: Option<String>,
}

/// What reading one cache record found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheRecord {
    Missing,
    /// A record of another shape (an older layout, another program).
    Unreadable,
    Found(Entry),
}

/// What the page's loader read from the cache while the wasm compiled
/// (`readWarm` in `www/hc-search.js`): the lookup record's key it read by,
/// the entry key and site JSON that record named, and that entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefetch {
    pub lookup: String,
    pub key: String,
    pub site: String,
    pub record: CacheRecord,
}

/// An HTTP answer the machine can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// No response, and the browser says it has no network.
    #[error("the browser is offline ({0})")]
    Offline(String),
    /// No response although the browser is online: the proxy is down or
    /// unreachable (connection refused, DNS, CORS). Telling the visitor
    /// "you are offline" would be wrong here.
    #[error("the help center could not be reached ({0})")]
    Unreachable(String),
    #[error("the help center is busy (429); try again in a minute")]
    RateLimited,
    #[error("the help center answered {0}")]
    Status(u16),
    #[error("the help center sent content that could not be read ({0})")]
    BadContent(String),
    /// The builder's worker could not be started or loaded
    /// ([`Request::Build`]): its files are missing or blocked.
    #[error("the index builder could not be loaded ({0})")]
    BuilderUnavailable(String),
}

impl FetchError {
    /// What the widget is told, and whether trying again may help.
    fn kind(&self) -> (ErrorKind, bool) {
        match self {
            FetchError::Offline(_) => (ErrorKind::Offline, true),
            FetchError::Unreachable(_) => (ErrorKind::Unavailable, true),
            FetchError::RateLimited => (ErrorKind::RateLimited, true),
            FetchError::Status(_) => (ErrorKind::Unavailable, true),
            FetchError::BadContent(_) => (ErrorKind::BadContent, false),
            FetchError::BuilderUnavailable(_) => (ErrorKind::Unavailable, true),
        }
    }
}

/// The result of a [`Request`].
#[derive(Debug)]
pub enum Event {
    /// [`Request::TakePrefetch`]: the loader's read, if it made one.
    Prefetch(Option<Prefetch>),
    /// [`Request::ReadSite`]: the site record's JSON, if any.
    Site(Option<String>),
    /// [`Request::ReadCache`].
    Cache(CacheRecord),
    /// [`Request::Fetch`].
    Fetched(Result<Fetched, FetchError>),
    /// [`Request::FetchPack`]: the pack, inflated as it arrived, or why
    /// not ([`FetchError::BadContent`] for bytes that are no usable pack).
    Pack(Result<InflatedPack, FetchError>),
    /// [`Request::Build`]: the container's bytes (a cache entry's
    /// packing), [`FetchError::BuilderUnavailable`], or
    /// [`FetchError::BadContent`] when the builder rejected the snapshot.
    Built(Result<Vec<u8>, FetchError>),
    /// [`Request::NextTask`] or [`Request::Stemmer`].
    Resumed,
}

/// I/O whose result the machine waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Take the loader's prefetched cache read (once; also when unused).
    TakePrefetch,
    /// Read the site record stored for the snapshot `url`.
    ReadSite {
        url: String,
    },
    ReadCache {
        key: String,
    },
    Fetch {
        url: String,
        if_none_match: Option<String>,
    },
    /// GET a pack and inflate it as its bytes arrive
    /// ([`hc_engine::container::PackStream`]): its bytes are never whole
    /// in the heap ([`Event::Pack`]).
    FetchPack {
        url: String,
    },
    /// Build the index container of `lang` from the snapshot's JSON
    /// (`hc_builder::build`; in the browser, in the builder's worker).
    Build {
        snapshot: Vec<u8>,
        lang: LangCode,
        fallback: Fallback,
    },
    /// Resume in a later task, after the messages already queued for the
    /// worker (the first searches go before work they do not need).
    NextTask,
    /// Have the stemmer and stop list of `lang` at hand, then resume
    /// ([`Event::Resumed`]). Asked for right before every index is opened,
    /// which is when the engine takes them: in the browser the language's
    /// own module, which would otherwise be read again, synchronously, if
    /// its fetch were still on its way (at most a few seconds' wait). The
    /// glue times the wait as a step of its own (`stemmer`): the opening
    /// that follows is in the next step's lap.
    Stemmer {
        lang: LangCode,
    },
}

/// What the glue does without waiting for an answer, in order.
#[derive(Debug)]
pub enum Effect {
    Post(FromWorker),
    /// Post [`FromWorker::Ready`] with the glue's step timings (the machine
    /// reads no clock).
    Ready {
        lang: LangCode,
        languages: Vec<LangCode>,
        articles: u32,
        from_cache: bool,
    },
    /// A step ended: the glue's clock records its duration under this name.
    Lap(&'static str),
    /// A console warning for the site's developer.
    Warn(String),
    /// Start fetching the stemmer of `lang` (the language's module), for the
    /// [`Request::Stemmer`] that follows: said once per load, as soon as
    /// the load knows its language.
    PrefetchStemmer {
        lang: LangCode,
    },
    /// Start the builder now (its worker, its wasm's fetch and compile),
    /// while the snapshot downloads, for the [`Request::Build`] that
    /// follows.
    PrepareBuilder,
    DeleteCache {
        key: String,
    },
    /// Store `entry` as `key`, the site's languages for the snapshot `url`
    /// and, given the lookup key, the record the loader prefetches by.
    WriteCache {
        url: String,
        site: Site,
        key: String,
        entry: Entry,
        lookup: Option<String>,
    },
}

/// One answer of the machine.
#[derive(Debug, Default)]
pub struct Step {
    pub effects: Vec<Effect>,
    /// `None`: the load is over.
    pub next: Option<Request>,
}

impl Step {
    fn then(mut self, request: Request) -> Step {
        self.next = Some(request);
        self
    }

    fn post(&mut self, msg: FromWorker) {
        self.effects.push(Effect::Post(msg));
    }
}

/// What a load is for: the `Init`'s parameters and the switcher's choice.
#[derive(Debug, Clone)]
pub struct LoadParams {
    pub source: ContentSource,
    pub wishes: Wishes,
    pub fallback: Fallback,
    /// The lookup record's key for the `Init` (see
    /// [`hc_core::loader::lookup_key`]); `None` after a language switch,
    /// whose entry no lookup record names.
    pub lookup: Option<String>,
}

enum Phase {
    Prefetch,
    Site,
    Cache,
    /// An index is at hand; it is opened once its language's stemmer is
    /// ([`Request::Stemmer`]).
    Open(Opening),
    /// The warm engine is installed; its reader documents (the engine's
    /// own) are handed over a task later, and the entry's ETag kept for
    /// revalidation.
    Reader {
        etag: String,
    },
    PacksIndex,
    Pack {
        etag: String,
        url: String,
    },
    Snapshot,
    /// The builder has the snapshot.
    Build {
        etag: Option<String>,
        languages: Vec<LangCode>,
    },
    /// Installed from the network: written to the cache a task later,
    /// encoded from the installed index (its index files shared, not
    /// copied: a builder's container is not kept beside the engine).
    Store {
        etag: String,
    },
    /// A pack's index, written once the pieces of text its first answers
    /// asked for have arrived ([`Load::pieces_settled`]): so that a warm
    /// start has them.
    StoreWhenSettled {
        etag: String,
    },
    Done,
}

/// An index at hand, waiting for its language's stemmer to be opened.
enum Opening {
    /// A cache entry (its engine is decoded when opened).
    Warm(Entry),
    /// A pack from the network.
    Pack {
        pack: InflatedPack,
        etag: String,
        url: String,
    },
    /// A container the builder made.
    Built {
        bytes: Vec<u8>,
        etag: Option<String>,
        languages: Vec<LangCode>,
    },
}

/// One load; see the module's documentation.
pub struct Load {
    params: LoadParams,
    url: String,
    packs_url: Option<String>,
    target: Option<Target>,
    /// The ETag of the warm entry whose index is installed.
    warm_etag: Option<String>,
    /// The ETag of the cache entry that holds the installed index (read
    /// or written): written again when the bundle of the index chunks
    /// arrives after it ([`Load::pieces_settled`]).
    entry_etag: Option<String>,
    fetching_said: bool,
    /// The language whose stemmer this load said to prefetch.
    stemmer_prefetched: Option<LangCode>,
    phase: Phase,
}

impl Load {
    pub fn new(params: LoadParams) -> Load {
        let url = params.source.snapshot_url();
        // Prebuilt packs hold one language each, so a fallback to the
        // default language is built from the snapshot. A proxy serves them
        // beside its snapshot route (`/v1/packs.json`).
        let packs_url = match (&params.source, params.fallback) {
            (
                ContentSource::Static {
                    packs_url: Some(p), ..
                },
                Fallback::None,
            ) => Some(p.clone()),
            (ContentSource::Proxy { .. }, Fallback::None) => url
                .strip_suffix("/snapshot")
                .map(|base| format!("{base}/packs.json")),
            _ => None,
        };
        Load {
            params,
            url,
            packs_url,
            target: None,
            warm_etag: None,
            entry_etag: None,
            fetching_said: false,
            stemmer_prefetched: None,
            phase: Phase::Prefetch,
        }
    }

    pub fn start(&mut self) -> Step {
        let mut step = Step::default();
        step.post(FromWorker::Progress {
            stage: Stage::LoadingCache,
        });
        self.phase = Phase::Prefetch;
        step.then(Request::TakePrefetch)
    }

    /// The target for `site`: negotiated once, and again only when a
    /// fresher copy of the site differs from the one it was negotiated
    /// against.
    fn target_for(&mut self, site: &Site) -> Target {
        match &self.target {
            Some(t) if &t.site == site => t.clone(),
            _ => {
                let t =
                    Target::negotiate(&self.params.wishes, site, &self.url, self.params.fallback);
                self.target = Some(t.clone());
                t
            }
        }
    }

    /// The next step after `event`. An event the current step did not ask
    /// for ends the load (the glue never sends one).
    pub fn on(&mut self, event: Event, core: &mut WorkerCore) -> Step {
        let mut step = self.answer(event, core);
        self.prefetch_stemmer(&mut step);
        step
    }

    /// Once the language is known (negotiated against a site), its stemmer
    /// starts coming, before anything else the step does: while the index
    /// is read, fetched or built.
    fn prefetch_stemmer(&mut self, step: &mut Step) {
        let Some(lang) = self.target.as_ref().map(|t| &t.lang) else {
            return;
        };
        if self.stemmer_prefetched.as_ref() != Some(lang) {
            self.stemmer_prefetched = Some(lang.clone());
            step.effects
                .insert(0, Effect::PrefetchStemmer { lang: lang.clone() });
        }
    }

    fn answer(&mut self, event: Event, core: &mut WorkerCore) -> Step {
        let step = Step::default();
        match (std::mem::replace(&mut self.phase, Phase::Done), event) {
            (Phase::Prefetch, Event::Prefetch(found)) => {
                if let Some((site, entry)) = found.and_then(|p| self.usable(p)) {
                    return self.warm(site, entry, "cache read (prefetched)");
                }
                self.phase = Phase::Site;
                step.then(Request::ReadSite {
                    url: self.url.clone(),
                })
            }
            (Phase::Site, Event::Site(text)) => {
                match text.and_then(|t| serde_json::from_str::<Site>(&t).ok()) {
                    Some(site) => {
                        let key = self.target_for(&site).key;
                        self.phase = Phase::Cache;
                        step.then(Request::ReadCache { key })
                    }
                    None => self.network(step),
                }
            }
            (Phase::Cache, Event::Cache(CacheRecord::Found(entry))) => {
                let Some(site) = self.target.as_ref().map(|t| t.site.clone()) else {
                    return step;
                };
                self.warm(site, entry, "cache read")
            }
            // A record of another shape is a miss like no record.
            (Phase::Cache, Event::Cache(_)) => self.network(step),
            (Phase::Open(opening), Event::Resumed) => match opening {
                Opening::Warm(entry) => self.warm_engine(entry, core),
                Opening::Pack { pack, etag, url } => self.open_pack(pack, etag, url, core),
                Opening::Built {
                    bytes,
                    etag,
                    languages,
                } => self.open_built(bytes, etag, languages, core),
            },
            (Phase::Reader { etag }, Event::Resumed) => self.warm_reader(etag, core),
            (Phase::PacksIndex, Event::Fetched(result)) => self.packs_index(result, core),
            (Phase::Pack { etag, url }, Event::Pack(result)) => self.pack(result, etag, url),
            (Phase::Snapshot, Event::Fetched(result)) => self.snapshot_fetched(result),
            (Phase::Build { etag, languages }, Event::Built(result)) => {
                self.built(result, etag, languages)
            }
            (Phase::Store { etag }, Event::Resumed) => self.store(etag, core),
            _ => step,
        }
    }

    /// The loader's prefetch, if it was read for this `Init` and names the
    /// entry the negotiation here picks from the site it holds.
    fn usable(&mut self, p: Prefetch) -> Option<(Site, Entry)> {
        if self.params.lookup.as_deref() != Some(p.lookup.as_str()) {
            return None;
        }
        let site: Site = serde_json::from_str(&p.site).ok()?;
        let CacheRecord::Found(entry) = p.record else {
            return None;
        };
        (self.target_for(&site).key == p.key).then_some((site, entry))
    }

    fn warm(&mut self, site: Site, entry: Entry, read: &'static str) -> Step {
        self.target_for(&site);
        let step = Step {
            effects: vec![Effect::Lap(read)],
            next: None,
        };
        self.open_after_stemmer(Opening::Warm(entry), step)
    }

    /// Ends `step` by asking for the target language's stemmer, after which
    /// `opening` is opened (its progress message goes out and its clock
    /// lap is taken first).
    fn open_after_stemmer(&mut self, opening: Opening, step: Step) -> Step {
        let Some(lang) = self.target.as_ref().map(|t| t.lang.clone()) else {
            return step;
        };
        self.phase = Phase::Open(opening);
        step.then(Request::Stemmer { lang })
    }

    fn warm_engine(&mut self, entry: Entry, core: &mut WorkerCore) -> Step {
        let Some(target) = self.target.clone() else {
            return Step::default();
        };
        let engine = crate::entry::engine(entry.container.into_vec(), &target.lang);
        let mut step = Step {
            effects: vec![Effect::Lap("pack load")],
            next: None,
        };
        match engine {
            Ok(engine) => {
                // Its pack's URL (for the pieces of text it lacks) is the
                // entry's, else it comes with `packs.json`.
                let loaded = Loaded {
                    lang: target.lang.clone(),
                    engine,
                    reader: None,
                    pack_url: entry.pack_url,
                };
                self.entry_etag = Some(entry.etag.clone());
                install(&mut step, core, loaded, true, target.site.enabled());
                // Only the reader and the suggestions need the reader
                // documents (the engine's): handed over once the first
                // answers are out.
                self.phase = Phase::Reader { etag: entry.etag };
                step.then(Request::NextTask)
            }
            Err(_) => {
                step.effects.push(Effect::DeleteCache { key: target.key });
                self.network(step)
            }
        }
    }

    fn warm_reader(&mut self, etag: String, core: &mut WorkerCore) -> Step {
        let mut step = Step::default();
        // The reader documents are the installed engine's (its result
        // table, and its article texts, shared): the entry was checked
        // and decoded with it.
        if let Some(reader) = core.loaded().map(|l| ReaderDocs::of(&l.engine)) {
            for answer in core.set_reader(reader) {
                step.post(answer);
            }
            self.warm_etag = Some(etag);
        }
        self.network(step)
    }

    /// Whether an index of this load already answers while it goes on
    /// (a warm entry's): then the load shows no progress and no error.
    fn serving(&self) -> bool {
        self.warm_etag.is_some()
    }

    /// After the cache: revalidate a warm index, or fetch one.
    fn network(&mut self, mut step: Step) -> Step {
        let Some(packs_url) = self.packs_url.clone() else {
            return self.fetch_snapshot(step);
        };
        self.say_fetching(&mut step);
        self.phase = Phase::PacksIndex;
        step.then(Request::Fetch {
            url: packs_url,
            if_none_match: None,
        })
    }

    /// Tells the widget a download is under way, once, and only when no
    /// warm index answers meanwhile.
    fn say_fetching(&mut self, step: &mut Step) {
        if self.warm_etag.is_none() && !self.fetching_said {
            self.fetching_said = true;
            step.post(FromWorker::Progress {
                stage: Stage::Fetching,
            });
        }
    }

    fn packs_index(&mut self, result: Result<Fetched, FetchError>, core: &mut WorkerCore) -> Step {
        let step = Step::default();
        let bytes = match result {
            Ok(Fetched::Body { bytes, .. }) => bytes,
            Ok(Fetched::NotModified) => return self.fetch_snapshot(step),
            Err(e) => return self.static_failed(e, step),
        };
        let index: PacksIndex = match serde_json::from_slice(&bytes) {
            Ok(index) => index,
            Err(e) => return self.static_failed(FetchError::BadContent(e.to_string()), step),
        };
        // Packs of another layout or engine: the snapshot always works.
        if index.format != PACKS_INDEX_FORMAT || index.engine != hc_engine::engine_id() {
            return self.fetch_snapshot(step);
        }
        let target = self.target_for(&index.site);
        let url = index
            .packs
            .get(&target.lang)
            .zip(self.packs_url.as_ref())
            .map(|(file, packs_url)| sibling_url(packs_url, file));
        // The warm index is of the content packs.json names: the pieces
        // of text it lacks are beside that pack.
        if self.warm_etag.as_deref() == Some(index.etag.as_str()) {
            if let Some(url) = url {
                core.set_pack_url(url);
            }
            return step;
        }
        let Some(url) = url else {
            return self.fetch_snapshot(step);
        };
        self.phase = Phase::Pack {
            etag: index.etag,
            url: url.clone(),
        };
        step.then(Request::FetchPack { url })
    }

    fn pack(
        &mut self,
        result: Result<InflatedPack, FetchError>,
        etag: String,
        url: String,
    ) -> Step {
        let mut step = Step::default();
        let pack = match result {
            Ok(pack) => pack,
            Err(e) => return self.static_failed(e, step),
        };
        step.effects.push(Effect::Lap("fetch pack"));
        self.open_after_stemmer(Opening::Pack { pack, etag, url }, step)
    }

    fn open_pack(
        &mut self,
        pack: InflatedPack,
        etag: String,
        url: String,
        core: &mut WorkerCore,
    ) -> Step {
        let mut step = Step::default();
        let Some(target) = self.target.clone() else {
            return step;
        };
        // The pack answers now; the pieces of text its hits need are
        // fetched beside it as they are wanted (`WorkerCore`).
        let loaded = match crate::entry::load_pack(pack, &target.lang) {
            Ok(loaded) => Loaded {
                pack_url: Some(url),
                ..loaded
            },
            Err(e) => return self.static_failed(FetchError::BadContent(e.to_string()), step),
        };
        step.effects.push(Effect::Lap("load pack"));
        install(&mut step, core, loaded, false, target.site.enabled());
        self.store_later(etag, step)
    }

    /// Prebuilt packs failed: a warm index keeps serving, else the snapshot.
    fn static_failed(&mut self, e: FetchError, mut step: Step) -> Step {
        // A proxy older than its packs route: the snapshot route, as
        // before packs (revalidating a warm index), and nothing for the
        // developer to fix.
        if matches!(self.params.source, ContentSource::Proxy { .. }) && e == FetchError::Status(404)
        {
            return self.fetch_snapshot(step);
        }
        if self.warm_etag.is_some() {
            return step;
        }
        step.effects.push(Effect::Warn(format!(
            "hc-search: prebuilt packs unusable, using the snapshot ({e})"
        )));
        self.fetch_snapshot(step)
    }

    fn fetch_snapshot(&mut self, mut step: Step) -> Step {
        self.say_fetching(&mut step);
        // Cold, a body will come and need the builder; warm, the answer is
        // most likely a 304.
        if self.warm_etag.is_none() {
            step.effects.push(Effect::PrepareBuilder);
        }
        self.phase = Phase::Snapshot;
        step.then(Request::Fetch {
            url: self.url.clone(),
            if_none_match: self.warm_etag.clone(),
        })
    }

    fn snapshot_fetched(&mut self, result: Result<Fetched, FetchError>) -> Step {
        let mut step = Step::default();
        let (bytes, etag) = match result {
            // The warm index is current.
            Ok(Fetched::NotModified) => return step,
            Ok(Fetched::Body { bytes, etag }) => (bytes, etag),
            Err(e) => return self.failed(e),
        };
        // Only the site is read here, for the language; the builder reads
        // the articles.
        let site = match serde_json::from_slice::<SnapshotSite>(&bytes) {
            Ok(s) => s.site,
            Err(e) => return self.failed(FetchError::BadContent(e.to_string())),
        };
        step.effects.push(Effect::Lap("fetch snapshot"));
        if !self.serving() {
            step.post(FromWorker::Progress {
                stage: Stage::Indexing,
            });
        }
        let lang = self.target_for(&site).lang;
        self.phase = Phase::Build {
            etag,
            languages: site.enabled(),
        };
        step.then(Request::Build {
            snapshot: bytes,
            lang,
            fallback: self.params.fallback,
        })
    }

    /// The snapshot failed: a warm index keeps serving, else the widget
    /// hears why, with the URL tried (a wrong `proxy`, say one path segment
    /// off, is then visible in the console at once).
    fn failed(&mut self, e: FetchError) -> Step {
        let mut step = Step::default();
        if !self.serving() {
            let (kind, retryable) = e.kind();
            step.post(FromWorker::Error {
                seq: None,
                kind,
                message: match e {
                    FetchError::BuilderUnavailable(_) => e.to_string(),
                    _ => format!("{e} (GET {})", self.url),
                },
                retryable,
            });
        }
        step
    }

    fn built(
        &mut self,
        result: Result<Vec<u8>, FetchError>,
        etag: Option<String>,
        languages: Vec<LangCode>,
    ) -> Step {
        let bytes = match result {
            Ok(bytes) => bytes,
            Err(e) => return self.failed(e),
        };
        let step = Step {
            effects: vec![Effect::Lap("build index")],
            next: None,
        };
        let opening = Opening::Built {
            bytes,
            etag,
            languages,
        };
        self.open_after_stemmer(opening, step)
    }

    fn open_built(
        &mut self,
        bytes: Vec<u8>,
        etag: Option<String>,
        languages: Vec<LangCode>,
        core: &mut WorkerCore,
    ) -> Step {
        let mut step = Step::default();
        let Some(target) = self.target.clone() else {
            return step;
        };
        let loaded = match crate::entry::load(bytes, &target.lang) {
            Ok(loaded) => loaded,
            Err(e) => return self.failed(FetchError::BadContent(e.to_string())),
        };
        step.effects.push(Effect::Lap("open index"));
        install(&mut step, core, loaded, false, languages);
        match etag.filter(|e| !e.is_empty()) {
            Some(etag) => self.store_later(etag, step),
            // Nothing to revalidate by: not worth storing.
            None => step,
        }
    }

    /// Ends `step` by asking for the next task, in which the installed
    /// index is written to the cache ([`Load::store`]).
    fn store_later(&mut self, etag: String, step: Step) -> Step {
        self.phase = Phase::Store { etag };
        step.then(Request::NextTask)
    }

    /// Writes the installed index (encoded after the messages its `Ready`
    /// prompted: that takes a while) as this load's cache entry; a pack's
    /// once no piece of text is on its way.
    fn store(&mut self, etag: String, core: &mut WorkerCore) -> Step {
        let mut step = Step::default();
        if core.pieces_pending() {
            self.phase = Phase::StoreWhenSettled { etag };
            return step;
        }
        let (Some(target), Some(container)) = (
            self.target.clone(),
            core.loaded().and_then(crate::entry::cache_bytes),
        ) else {
            return step;
        };
        let pack_url = core.loaded().and_then(|l| l.pack_url.clone());
        self.entry_etag = Some(etag.clone());
        // This entry has every chunk that arrived: a bundle that did is
        // in it, and needs no second write.
        core.take_chunks_completed();
        step.effects.push(Effect::WriteCache {
            url: self.url.clone(),
            site: target.site,
            key: target.key,
            entry: Entry {
                etag,
                container,
                pack_url,
            },
            lookup: self.params.lookup.clone(),
        });
        step
    }
}

impl Load {
    /// The pieces of text the answers waited for have all settled: the
    /// cache write a pack's load deferred ([`Phase::StoreWhenSettled`]),
    /// if it did; once the load is done, the entry written again if the
    /// bundle of the index chunks arrived since it was written or read (a
    /// return visit then fetches no chunk).
    pub fn pieces_settled(&mut self, core: &mut WorkerCore) -> Step {
        match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::StoreWhenSettled { etag } => self.store(etag, core),
            Phase::Done if core.take_chunks_completed() => match self.entry_etag.clone() {
                Some(etag) => self.store(etag, core),
                None => Step::default(),
            },
            other => {
                self.phase = other;
                Step::default()
            }
        }
    }
}

/// The one part of a snapshot the loading reads (serde skips the rest).
#[derive(serde::Deserialize)]
struct SnapshotSite {
    site: Site,
}

/// Installs `loaded` and says so: `Ready`, then the answers to what waited.
fn install(
    step: &mut Step,
    core: &mut WorkerCore,
    loaded: Loaded,
    from_cache: bool,
    languages: Vec<LangCode>,
) {
    step.effects.push(Effect::Ready {
        lang: loaded.lang.clone(),
        languages,
        articles: u32::try_from(loaded.engine.len()).unwrap_or(u32::MAX),
        from_cache,
    });
    for answer in core.install(loaded) {
        step.post(answer);
    }
}
