//! The worker's loading ([`hc_worker::load`], [`hc_worker::session`])
//! driven natively against a fake browser: an IndexedDB of records, the
//! loader's prefetch, and an HTTP server of fixed answers. Each test
//! describes a world and a visit and compares the log of what the worker
//! did and said with what it should; one helper ([`World::drive`]) performs
//! every command the way the wasm glue does.

use std::collections::BTreeMap;

use hc_core::protocol::{ContentSource, Fallback, FromWorker, LanguageRequest, Stage, ToWorker};
use hc_core::static_site::{piece_file, sibling_url, PacksIndex, PACKS_INDEX_FORMAT};
use hc_core::{HelpCenterData, LangCode, Snapshot};
use hc_engine::container::{split, PackStream};
use hc_engine::{IndexContainer, Packing};
use hc_worker::load::{
    CacheRecord, Effect, Entry, Event, FetchError, Fetched, Prefetch, Request, Step,
};
use hc_worker::session::{LoadId, Reply, Session};

const PROXY: &str = "https://p.example";
const SNAPSHOT_URL: &str = "https://p.example/v1/snapshot";
const PACKS_URL: &str = "https://s.example/hc/packs.json";
const PROXY_PACKS_URL: &str = "https://p.example/v1/packs.json";
const STATIC_SNAPSHOT: &str = "https://s.example/hc/snapshot.json";

fn snapshot() -> Snapshot {
    let text = include_str!("../../sim/tests/fixtures/tiny.json");
    let data: HelpCenterData = serde_json::from_str(text).unwrap();
    Snapshot::from_data(data, str::to_owned)
}

/// The tiny help center with each article's text over a chunk of text
/// (4 KiB), so that each is a piece of its own.
fn long_snapshot() -> Snapshot {
    let mut snapshot = snapshot();
    for a in &mut snapshot.articles {
        let en: LangCode = lang("en");
        if let Some(html) = a.content.get(&en).cloned() {
            a.content.insert(en, html.repeat(4096 / html.len() + 1));
        }
    }
    snapshot
}

/// [`long_snapshot`] with thousands of made-up words besides, so that its
/// postings travel in several chunks.
fn wordy_snapshot() -> Snapshot {
    let mut snapshot = long_snapshot();
    let word = |mut n: usize| {
        let mut w = String::from("zq");
        loop {
            w.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                return w;
            }
        }
    };
    let en: LangCode = lang("en");
    for (i, a) in snapshot.articles.iter_mut().enumerate() {
        if let Some(html) = a.content.get(&en).cloned() {
            let words: Vec<String> = (0..4000).map(|k| word(i * 4000 + k)).collect();
            a.content
                .insert(en.clone(), format!("{html}<p>{}</p>", words.join(" ")));
        }
    }
    snapshot
}

fn lang(l: &str) -> LangCode {
    l.parse().unwrap()
}

/// An IndexedDB record as the worker writes them.
#[derive(Clone, Debug)]
enum Record {
    Text(String),
    Entry(Entry),
    /// The lookup record: the entry's key and the site's JSON.
    Pointer(String, String),
    /// Something of another shape.
    Junk,
}

#[derive(Clone, Debug)]
enum Http {
    Ok { body: Vec<u8>, etag: Option<String> },
    Status(u16),
    Down,
}

#[derive(Clone, Default)]
struct World {
    idb: BTreeMap<String, Record>,
    http: BTreeMap<String, Http>,
    /// The loader prefetches for this `Init` (its lookup key), as
    /// `readWarm` does, when set.
    loader_reads: Option<String>,
    /// The builder's worker could not be loaded (its files unreachable).
    builder_down: bool,
    /// The languages whose stemmer a load said to prefetch.
    stemmers_prefetched: Vec<LangCode>,
    /// The language of the last request answered when it was a
    /// [`Request::Stemmer`]: an index is opened (`Ready`) only in the step
    /// that answers its language's.
    stemmer_answered: Option<LangCode>,
    /// Log the stemmer's prefetch and wait too (most cases leave them out
    /// and only check the order above).
    log_stemmers: bool,
    log: Vec<String>,
}

/// The language part of a cache key, for short log lines.
fn short(key: &str) -> String {
    key.split('|').nth(1).unwrap_or(key).to_string()
}

impl World {
    fn proxy(snapshot: &Snapshot, etag: &str) -> World {
        let mut w = World::default();
        w.serve(SNAPSHOT_URL, serde_json::to_vec(snapshot).unwrap(), etag);
        w
    }

    /// A static site: packs.json, a pack per enabled language, the snapshot.
    fn static_site(snapshot: &Snapshot, etag: &str) -> World {
        let mut w = World::default();
        w.serve(STATIC_SNAPSHOT, serde_json::to_vec(snapshot).unwrap(), etag);
        w.serve_packs(snapshot, etag, PACKS_URL, "", "snapshot.json");
        w
    }

    /// A proxy that serves packs beside its snapshot, as hc-proxy does.
    fn proxy_with_packs(snapshot: &Snapshot, etag: &str) -> World {
        let mut w = World::proxy(snapshot, etag);
        w.serve_packs(snapshot, etag, PROXY_PACKS_URL, "packs/", "snapshot");
        w
    }

    /// `packs.json` at `index_url` and a pack per language under `dir`
    /// (relative to it).
    fn serve_packs(
        &mut self,
        snapshot: &Snapshot,
        etag: &str,
        index_url: &str,
        dir: &str,
        snapshot_name: &str,
    ) {
        let mut packs = BTreeMap::new();
        for l in snapshot.site.enabled() {
            let version = etag.trim_matches('"');
            let file = format!("{dir}{l}.{version}.hcpack");
            let whole = IndexContainer::build(snapshot, l.as_str())
                .unwrap()
                .to_bytes(Packing::Travel)
                .unwrap();
            // Small pieces, so that the tiny help center has several.
            let stem = format!("{l}.{version}");
            let (pack, pieces) = split(&whole, 64, |_| stem.clone()).unwrap();
            self.serve(&sibling_url(index_url, &file), pack, "");
            for (n, piece) in (0u32..).zip(pieces) {
                let name = format!("{dir}{}", piece_file(&stem, n));
                self.serve(&sibling_url(index_url, &name), piece, "");
            }
            packs.insert(l.clone(), file);
        }
        let index = PacksIndex {
            format: PACKS_INDEX_FORMAT,
            engine: hc_engine::engine_id(),
            etag: etag.into(),
            site: snapshot.site.clone(),
            snapshot: snapshot_name.into(),
            packs,
        };
        self.serve(index_url, serde_json::to_vec(&index).unwrap(), "");
    }

    fn serve(&mut self, url: &str, body: Vec<u8>, etag: &str) {
        let etag = (!etag.is_empty()).then(|| etag.to_string());
        self.http.insert(url.into(), Http::Ok { body, etag });
    }

    fn entry_keys(&self) -> Vec<String> {
        self.idb
            .iter()
            .filter(|(_, r)| matches!(r, Record::Entry(_)))
            .map(|(k, _)| short(k))
            .collect()
    }

    fn entry_mut(&mut self, lang: &str) -> &mut Entry {
        self.idb
            .iter_mut()
            .find_map(|(k, r)| match r {
                Record::Entry(e) if short(k) == lang => Some(e),
                _ => None,
            })
            .expect("an entry")
    }

    /// A GET as the fake network answers it, logged.
    fn get(&mut self, url: &str, if_none_match: Option<&str>) -> Result<Fetched, FetchError> {
        let path = url.rsplit('/').next().unwrap_or(url);
        self.log.push(match if_none_match {
            Some(tag) => format!("GET {path} if-none-match {tag}"),
            None => format!("GET {path}"),
        });
        match self.http.get(url) {
            Some(Http::Ok { etag, .. }) if etag.is_some() && etag.as_deref() == if_none_match => {
                Ok(Fetched::NotModified)
            }
            Some(Http::Ok { body, etag }) => Ok(Fetched::Body {
                bytes: body.clone(),
                etag: etag.clone(),
            }),
            Some(Http::Status(s)) => Err(FetchError::Status(*s)),
            Some(Http::Down) => Err(FetchError::Offline("no network".into())),
            None => Err(FetchError::Status(404)),
        }
    }

    /// Performs `request` like the glue and returns its event.
    fn answer(&mut self, request: &Request) -> Event {
        self.stemmer_answered = None;
        match request {
            Request::TakePrefetch => {
                let found = self.loader_reads.take().and_then(|lookup| {
                    let Some(Record::Pointer(key, site)) = self.idb.get(&lookup).cloned() else {
                        return None;
                    };
                    let record = self.record(&key)?;
                    self.log.push(format!("prefetched {}", short(&key)));
                    Some(Prefetch {
                        lookup,
                        key,
                        site,
                        record,
                    })
                });
                Event::Prefetch(found)
            }
            Request::ReadSite { url } => {
                self.log.push("read site".into());
                Event::Site(match self.idb.get(&format!("site|{url}")) {
                    Some(Record::Text(t)) => Some(t.clone()),
                    _ => None,
                })
            }
            Request::ReadCache { key } => {
                self.log.push(format!("read {}", short(key)));
                Event::Cache(self.record(key).unwrap_or(CacheRecord::Missing))
            }
            Request::Fetch { url, if_none_match } => {
                Event::Fetched(self.get(url, if_none_match.as_deref()))
            }
            Request::FetchPack { url } => Event::Pack(self.get(url, None).and_then(|fetched| {
                let Fetched::Body { bytes, .. } = fetched else {
                    unreachable!("an unconditional GET is never answered 304")
                };
                // As the glue reads it: in chunks, as they arrive.
                let mut stream = PackStream::new();
                bytes
                    .chunks(4096)
                    .try_for_each(|chunk| stream.push(chunk))
                    .and_then(|()| stream.finish())
                    .map_err(|e| FetchError::BadContent(e.to_string()))
            })),
            Request::Build {
                snapshot,
                lang,
                fallback,
            } => {
                self.log.push(format!("build {lang}"));
                Event::Built(if self.builder_down {
                    Err(FetchError::BuilderUnavailable("404".into()))
                } else {
                    hc_builder::build(snapshot, lang, *fallback)
                        .map_err(|e| FetchError::BadContent(e.to_string()))
                })
            }
            Request::Stemmer { lang } => {
                assert!(
                    self.stemmers_prefetched.contains(lang),
                    "the stemmer of {lang} is waited for before it was asked for"
                );
                if self.log_stemmers {
                    self.log.push(format!("stemmer {lang}"));
                }
                self.stemmer_answered = Some(lang.clone());
                Event::Resumed
            }
            Request::NextTask => Event::Resumed,
        }
    }

    fn record(&self, key: &str) -> Option<CacheRecord> {
        Some(match self.idb.get(key)? {
            Record::Entry(e) => CacheRecord::Found(e.clone()),
            _ => CacheRecord::Unreadable,
        })
    }

    fn perform(&mut self, effect: Effect) {
        let line = match effect {
            Effect::Post(msg) => said(&msg),
            Effect::Ready {
                lang, from_cache, ..
            } => {
                assert_eq!(
                    self.stemmer_answered.as_ref(),
                    Some(&lang),
                    "an index of {lang} is opened right after its stemmer is at hand"
                );
                format!(
                    "ready {lang}{}",
                    if from_cache { " from cache" } else { "" }
                )
            }
            Effect::PrefetchStemmer { lang } => {
                let line = format!("prefetch stemmer {lang}");
                self.stemmers_prefetched.push(lang);
                if !self.log_stemmers {
                    return;
                }
                line
            }
            Effect::Lap(_) => return,
            Effect::PrepareBuilder => "prepare builder".into(),
            Effect::Warn(text) => {
                assert!(text.starts_with("hc-search: "), "{text}");
                "warn".into()
            }
            Effect::DeleteCache { key } => {
                self.idb.remove(&key);
                format!("delete {}", short(&key))
            }
            Effect::WriteCache {
                url,
                site,
                key,
                entry,
                lookup,
            } => {
                let site = serde_json::to_string(&site).unwrap();
                self.idb
                    .insert(format!("site|{url}"), Record::Text(site.clone()));
                if let Some(lookup) = lookup {
                    self.idb.insert(lookup, Record::Pointer(key.clone(), site));
                }
                let line = format!("write {} {}", short(&key), entry.etag);
                self.idb.insert(key, Record::Entry(entry));
                line
            }
        };
        self.log.push(line);
    }

    /// Drives load `id` from `step` like the glue, until it ends or
    /// `stop` matches its next request (returned, unperformed).
    fn drive_until(
        &mut self,
        session: &mut Session,
        id: LoadId,
        mut step: Step,
        stop: impl Fn(&Request) -> bool,
    ) -> Option<Request> {
        loop {
            for effect in step.effects {
                self.perform(effect);
            }
            let request = step.next?;
            if stop(&request) {
                return Some(request);
            }
            let event = self.answer(&request);
            step = session.on(id, event);
        }
    }

    fn drive(&mut self, session: &mut Session, id: LoadId, step: Step) {
        self.drive_until(session, id, step, |_| false);
    }

    /// Fetches the pieces of text the session wants, like the glue, until
    /// it wants none; logs each and what was said after it.
    /// The body this world serves at `url` (a test's request that must
    /// succeed).
    fn body(&mut self, url: &str) -> Vec<u8> {
        match self.answer(&Request::Fetch {
            url: url.to_string(),
            if_none_match: None,
        }) {
            Event::Fetched(Ok(Fetched::Body { bytes, .. })) => bytes,
            other => panic!("{url}: {other:?}"),
        }
    }

    /// Attaches every chunk of the index of the session's pack, fetched
    /// beside it, as if they had all arrived: for the tests of the pieces
    /// of text, whose answers then come at once.
    fn with_every_chunk(&mut self, session: &Session) {
        let loaded = session.core().loaded().expect("a pack is loaded");
        let pack_url = loaded.pack_url.clone().expect("its URL");
        let engine = &loaded.engine;
        let mut n = engine.text_pieces();
        while let Some(file) = engine.piece_file(n) {
            let bytes = self.body(&hc_core::static_site::sibling_url(&pack_url, &file));
            engine.attach_piece(n, &bytes).unwrap();
            n += 1;
        }
        self.log.clear();
    }

    /// The GET requests logged.
    fn gets(&self) -> Vec<&String> {
        self.log.iter().filter(|l| l.starts_with("GET")).collect()
    }

    fn fetch_pieces(&mut self, session: &mut Session) {
        loop {
            let fetches = session.take_piece_fetches();
            if fetches.is_empty() {
                return;
            }
            for fetch in fetches {
                let Event::Fetched(result) = self.answer(&Request::Fetch {
                    url: fetch.url.clone(),
                    if_none_match: None,
                }) else {
                    unreachable!()
                };
                let result = match result {
                    Ok(Fetched::Body { bytes, .. }) => Ok(bytes),
                    other => Err(format!("{other:?}")),
                };
                let (answers, warning) = session.piece_fetched(&fetch, result);
                if warning.is_some() {
                    self.log.push("warn".into());
                }
                for answer in &answers {
                    self.log.push(said(answer));
                }
                if let Some((id, step)) = session.pieces_settled() {
                    self.drive(session, id, step);
                }
            }
        }
    }

    /// A new worker: `Init` (prefetched by the loader when `prefetch`),
    /// driven to the end. Returns the session and the log.
    fn visit(&mut self, init: &ToWorker, prefetch: bool) -> (Session, Vec<String>) {
        let json = serde_json::to_string(init).unwrap();
        if prefetch {
            self.loader_reads = Some(hc_core::loader::lookup_key(&json));
        }
        let mut session = Session::default();
        self.log.clear();
        let Reply::Load(id, step) = session.message(init.clone(), Some(&json)) else {
            panic!("Init starts a load");
        };
        self.drive(&mut session, id, step);
        (session, std::mem::take(&mut self.log))
    }
}

/// A message to the widget as a log line.
fn said(msg: &FromWorker) -> String {
    match msg {
        FromWorker::Progress { stage } => format!(
            "progress {}",
            match stage {
                Stage::LoadingCache => "cache",
                Stage::Fetching => "fetching",
                Stage::Indexing => "indexing",
            }
        ),
        FromWorker::Results { seq, hits, .. } => format!(
            "results {seq}: {:?}",
            hits.iter().map(|h| h.id).collect::<Vec<_>>()
        ),
        FromWorker::Article { seq, id, .. } => format!("article {seq}: {id}"),
        FromWorker::Error { kind, .. } => format!("error {kind:?}"),
        other => format!("{other:?}"),
    }
}

fn init(source: ContentSource, page: Option<&str>, fallback: Fallback) -> ToWorker {
    ToWorker::Init {
        source,
        languages: LanguageRequest {
            explicit: None,
            page: page.map(str::to_string),
            visitor: vec!["en-US".into()],
        },
        fallback,
    }
}

fn proxy_init(page: Option<&str>) -> ToWorker {
    init(
        ContentSource::Proxy { url: PROXY.into() },
        page,
        Fallback::None,
    )
}

fn static_init(page: Option<&str>, fallback: Fallback) -> ToWorker {
    init(
        ContentSource::Static {
            snapshot_url: STATIC_SNAPSHOT.into(),
            packs_url: Some(PACKS_URL.into()),
        },
        page,
        fallback,
    )
}

fn search(seq: u32, query: &str) -> ToWorker {
    ToWorker::Search {
        seq,
        query: query.into(),
        category: None,
        limit: 5,
    }
}

/// The engine a session has installed.
fn engine(s: &Session) -> &hc_engine::Engine {
    &s.core().loaded().unwrap().engine
}

/// Each query searched in turn (numbered from `seq`), each answered at
/// once, with no chunk of the index wanted.
fn answered_at_once_without_chunks(session: &mut Session, seq: u32, queries: &[&str]) {
    for (seq, q) in (seq..).zip(queries) {
        let Reply::Answer(_) = session.message(search(seq, q), None) else {
            panic!("{q}: answered at once")
        };
        assert!(
            session.take_piece_fetches().iter().all(|f| !f.index_chunk),
            "{q}: no chunk wanted"
        );
    }
}

/// One visit's expected log, for the data-driven cases below.
struct Case {
    name: &'static str,
    /// The world before the visit (after earlier visits, if any).
    world: fn() -> World,
    init: fn() -> ToWorker,
    prefetch: bool,
    log: &'static [&'static str],
    /// The entries in the cache afterwards (languages).
    cached: &'static [&'static str],
}

/// A world where a first visit (`init`, cold) filled the cache.
fn after_first_visit(mut world: World, init: &ToWorker) -> World {
    world.visit(init, false);
    world
}

fn warm_proxy() -> World {
    after_first_visit(World::proxy(&snapshot(), "\"s1\""), &proxy_init(None))
}

fn warm_static() -> World {
    after_first_visit(
        World::static_site(&snapshot(), "\"v1\""),
        &static_init(None, Fallback::None),
    )
}

const CASES: &[Case] = &[
    Case {
        name: "cold, a proxy without packs (404): snapshot fetched, built, installed, then cached",
        world: || World::proxy(&snapshot(), "\"s1\""),
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "warm hit (the loader's prefetch), revalidated by 304",
        world: warm_proxy,
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "warm hit read by the worker (no prefetch)",
        world: warm_proxy,
        init: || proxy_init(None),
        prefetch: false,
        log: &[
            "progress cache",
            "read site",
            "read en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "a prefetch for another Init is not used: the worker reads its own entry",
        world: || {
            let mut w = warm_proxy();
            // The loader read for the page in German.
            let other = serde_json::to_string(&proxy_init(Some("de"))).unwrap();
            let lookup = hc_core::loader::lookup_key(&other);
            let en = serde_json::to_string(&proxy_init(None)).unwrap();
            let pointer = w.idb[&hc_core::loader::lookup_key(&en)].clone();
            w.idb.insert(lookup.clone(), pointer);
            w.loader_reads = Some(lookup);
            w
        },
        init: || proxy_init(None),
        prefetch: false,
        log: &[
            "progress cache",
            "prefetched en",
            "read site",
            "read en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "a page in another language: no entry for it yet, built and cached beside",
        world: warm_proxy,
        init: || proxy_init(Some("de")),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "read de",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build de",
            "ready de",
            "write de \"s1\"",
        ],
        cached: &["de", "en"],
    },
    Case {
        name: "stale entry: the warm index answers, the new content replaces it",
        world: || {
            let mut w = warm_proxy();
            let mut changed = snapshot();
            changed.articles.truncate(1);
            w.serve(
                SNAPSHOT_URL,
                serde_json::to_vec(&changed).unwrap(),
                "\"s2\"",
            );
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
            "build en",
            "ready en",
            "write en \"s2\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "damaged entry: deleted, then a cold load",
        world: || {
            let mut w = warm_proxy();
            let entry = w.entry_mut("en");
            let mut bytes = std::mem::take(&mut entry.container).into_vec();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x40;
            bytes.truncate(middle + 10);
            entry.container = bytes.into();
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "delete en",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "an entry of another language under this key is a damaged entry",
        world: || {
            let mut w = warm_proxy();
            let de = IndexContainer::build(&snapshot(), "de")
                .unwrap()
                .to_bytes(Packing::Cache)
                .unwrap();
            w.entry_mut("en").container = de.into();
            w
        },
        init: || proxy_init(None),
        prefetch: false,
        log: &[
            "progress cache",
            "read site",
            "read en",
            "delete en",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "a record of another shape is a miss (left for the write to replace)",
        world: || {
            let mut w = warm_proxy();
            let key = w
                .idb
                .iter()
                .find(|(_, r)| matches!(r, Record::Entry(_)))
                .map(|(k, _)| k.clone())
                .unwrap();
            w.idb.insert(key, Record::Junk);
            w
        },
        init: || proxy_init(None),
        prefetch: false,
        log: &[
            "progress cache",
            "read site",
            "read en",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "warm hit, then the network fails: the warm index keeps serving, no error",
        world: || {
            let mut w = warm_proxy();
            w.http.insert(SNAPSHOT_URL.into(), Http::Down);
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "cold and offline: a retryable error",
        world: || {
            let mut w = World::default();
            w.http.insert(SNAPSHOT_URL.into(), Http::Down);
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "error Offline",
        ],
        cached: &[],
    },
    Case {
        name: "cold, the snapshot is not JSON: a bad-content error",
        world: || {
            let mut w = World::default();
            w.serve(SNAPSHOT_URL, b"<html>".to_vec(), "\"x\"");
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "error BadContent",
        ],
        cached: &[],
    },
    Case {
        name: "cold, the builder cannot be loaded: a retryable error, nothing cached",
        world: || {
            let mut w = World::proxy(&snapshot(), "\"s1\"");
            w.builder_down = true;
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "error Unavailable",
        ],
        cached: &[],
    },
    Case {
        name: "warm and changed, the builder cannot be loaded: the warm index keeps serving",
        world: || {
            let mut changed = snapshot();
            changed.articles.truncate(1);
            let fresh = World::proxy(&changed, "\"s2\"");
            let mut w = warm_proxy();
            w.http = fresh.http;
            w.builder_down = true;
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
            "build en",
        ],
        cached: &["en"],
    },
    Case {
        name: "cold, the snapshot's site reads but its articles do not: the builder's bad-content error",
        world: || {
            let mut w = World::default();
            let mut json = serde_json::to_value(snapshot()).unwrap();
            json["articles"] = serde_json::json!([{"id": "not a number"}]);
            w.serve(SNAPSHOT_URL, serde_json::to_vec(&json).unwrap(), "\"x\"");
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "error BadContent",
        ],
        cached: &[],
    },
    Case {
        name: "static packs: packs.json, the visitor's pack, no index built",
        world: || World::static_site(&snapshot(), "\"v1\""),
        init: || static_init(Some("de"), Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "GET de.v1.hcpack",
            "ready de",
            "write de \"v1\"",
        ],
        cached: &["de"],
    },
    Case {
        name: "static packs, warm and unchanged: packs.json alone",
        world: warm_static,
        init: || static_init(None, Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
        ],
        cached: &["en"],
    },
    Case {
        name: "static packs, warm and changed: the new pack replaces the entry",
        world: || {
            let mut changed = snapshot();
            changed.articles.truncate(1);
            let fresh = World::static_site(&changed, "\"v2\"");
            let mut w = warm_static();
            w.http = fresh.http;
            w
        },
        init: || static_init(None, Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET en.v2.hcpack",
            "ready en",
            "write en \"v2\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "snapshot fallback: packs of another engine",
        world: || {
            let mut w = World::static_site(&snapshot(), "\"v1\"");
            let Some(Http::Ok { body, .. }) = w.http.get(PACKS_URL) else {
                unreachable!()
            };
            let mut index: PacksIndex = serde_json::from_slice(body).unwrap();
            index.engine = "hc-engine-0.0.1/container-0".into();
            w.serve(PACKS_URL, serde_json::to_vec(&index).unwrap(), "");
            w
        },
        init: || static_init(None, Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot.json",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"v1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "snapshot fallback: no packs.json (a warning for the developer)",
        world: || {
            let mut w = World::static_site(&snapshot(), "\"v1\"");
            w.http.insert(PACKS_URL.into(), Http::Status(404));
            w
        },
        init: || static_init(None, Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "warn",
            "prepare builder",
            "GET snapshot.json",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"v1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "snapshot fallback: a damaged pack (a warning for the developer)",
        world: || {
            let mut w = World::static_site(&snapshot(), "\"v1\"");
            w.serve("https://s.example/hc/en.v1.hcpack", b"HCPK?".to_vec(), "");
            w
        },
        init: || static_init(None, Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "GET en.v1.hcpack",
            "warn",
            "prepare builder",
            "GET snapshot.json",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"v1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "snapshot fallback: fallback=default is built from the snapshot",
        world: || World::static_site(&snapshot(), "\"v1\""),
        init: || static_init(Some("ja"), Fallback::Default),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "prepare builder",
            "GET snapshot.json",
            "progress indexing",
            "build ja",
            "ready ja",
            "write ja \"v1\"",
        ],
        cached: &["ja"],
    },
    Case {
        name: "proxy packs: packs.json and the visitor's pack, no snapshot, no index built",
        world: || World::proxy_with_packs(&snapshot(), "\"s1\""),
        init: || proxy_init(Some("ja")),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "GET ja.s1.hcpack",
            "ready ja",
            "write ja \"s1\"",
        ],
        cached: &["ja"],
    },
    Case {
        name: "proxy packs, warm and unchanged: packs.json alone",
        world: || {
            after_first_visit(
                World::proxy_with_packs(&snapshot(), "\"s1\""),
                &proxy_init(None),
            )
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
        ],
        cached: &["en"],
    },
    Case {
        name: "an older proxy's warm entry (from its snapshot) after an upgrade: packs replace it",
        world: || {
            let mut w = warm_proxy();
            w.http = World::proxy_with_packs(&snapshot(), "\"s2\"").http;
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET en.s2.hcpack",
            "ready en",
            "write en \"s2\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "proxy packs.json failing (503): a warning, then the snapshot route",
        world: || {
            let mut w = World::proxy_with_packs(&snapshot(), "\"s1\"");
            w.http.insert(PROXY_PACKS_URL.into(), Http::Status(503));
            w
        },
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "warn",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build en",
            "ready en",
            "write en \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "proxy with fallback=default: the snapshot route (packs hold one language)",
        world: || World::proxy_with_packs(&snapshot(), "\"s1\""),
        init: || {
            init(
                ContentSource::Proxy { url: PROXY.into() },
                Some("ja"),
                Fallback::Default,
            )
        },
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build ja",
            "ready ja",
            "write ja \"s1\"",
        ],
        cached: &["ja"],
    },
];

#[test]
fn every_loading_path() {
    for case in CASES {
        check(case, false);
    }
}

/// One visit of `case`: its log (with the stemmer's prefetch and wait
/// when `log_stemmers`) and the cache afterwards.
fn check(case: &Case, log_stemmers: bool) {
    let mut world = (case.world)();
    world.log_stemmers = log_stemmers;
    let (_, log) = world.visit(&(case.init)(), case.prefetch);
    assert_eq!(log, case.log, "{}", case.name);
    assert_eq!(world.entry_keys(), case.cached, "{}", case.name);
}

/// What a load installs answers what waited for it, and a warm start's
/// reader documents come a task after its engine.
#[test]
fn waiting_requests_are_answered_when_the_index_is_installed() {
    let mut world = warm_proxy();
    let init = proxy_init(None);
    let json = serde_json::to_string(&init).unwrap();
    world.loader_reads = Some(hc_core::loader::lookup_key(&json));
    let mut session = Session::default();
    let Reply::Load(id, step) = session.message(init, Some(&json)) else {
        panic!()
    };
    assert!(matches!(
        session.message(search(1, "invoice"), None),
        Reply::Nothing
    ));
    assert!(matches!(
        session.message(ToWorker::Article { seq: 2, id: 1 }, None),
        Reply::Nothing
    ));
    world.log.clear();
    let pending = world.drive_until(&mut session, id, step, |r| *r == Request::NextTask);
    assert_eq!(
        world.log[..3],
        ["progress cache", "prefetched en", "ready en from cache"]
    );
    assert!(world.log[3].starts_with("results 1: [2"), "{:?}", world.log);
    assert_eq!(
        world.log.len(),
        4,
        "the article waits for the reader documents"
    );
    assert_eq!(pending, Some(Request::NextTask));
    world.log.clear();
    let step = session.on(id, Event::Resumed);
    world.drive(&mut session, id, step);
    assert_eq!(world.log[0], "article 2: 1");
}

/// Snippets as the log shows them: whether each hit has one.
fn snippets(answer: &FromWorker) -> Vec<bool> {
    match answer {
        FromWorker::Results { hits, .. } => hits.iter().map(|h| !h.snippet.is_empty()).collect(),
        other => panic!("{other:?}"),
    }
}

/// Whether an answer says its missing snippets are on their way.
fn pending(answer: &FromWorker) -> bool {
    matches!(
        answer,
        FromWorker::Results {
            snippets_pending: true,
            ..
        }
    )
}

/// A pack answers at once, without snippets; the pieces of text its hits
/// need are fetched beside the pack, and once they have all arrived the
/// search is answered again, with snippets; an article waits for its
/// piece. A piece that fails: a warning, the hits without a snippet, its
/// article a retryable error, and a retry fetches it again.
#[test]
fn a_pack_answers_at_once_and_fetches_the_pieces_its_hits_need() {
    let mut world = World::static_site(&snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&static_init(None, Fallback::None), true);
    assert!(
        session.take_piece_fetches().is_empty(),
        "no search, no piece"
    );
    world.with_every_chunk(&session);
    let Reply::Answer(first) = session.message(search(1, "invoice"), None) else {
        panic!("the pack answers searches")
    };
    assert!(!snippets(&first).is_empty() && snippets(&first).iter().all(|s| !s));
    assert!(pending(&first), "the list may keep the snippets' room");
    let Reply::Nothing = session.message(ToWorker::Article { seq: 2, id: 1 }, None) else {
        panic!("the article waits for its text")
    };
    world.fetch_pieces(&mut session);
    let pieces: Vec<&String> = world.log.iter().filter(|l| l.starts_with("GET ")).collect();
    assert!(!pieces.is_empty());
    assert!(
        pieces
            .iter()
            .all(|l| l.starts_with("GET en.v1.") && l.ends_with(".hcbodies")),
        "{pieces:?}"
    );
    let said: Vec<&String> = world
        .log
        .iter()
        .filter(|l| !l.starts_with("GET "))
        .collect();
    assert_eq!(said.len(), 2, "{:?}", world.log);
    assert!(
        said.iter().any(|l| l.starts_with("results 1: ")),
        "{:?}",
        world.log
    );
    assert!(
        said.contains(&&"article 2: 1".to_string()),
        "{:?}",
        world.log
    );
    let Reply::Answer(again) = session.message(search(3, "invoice"), None) else {
        panic!()
    };
    assert!(snippets(&again).iter().all(|s| *s), "{again:?}");
    assert!(!pending(&again));
    assert!(session.take_piece_fetches().is_empty(), "each piece once");

    // A piece that cannot be fetched.
    let mut world = World::static_site(&snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&static_init(None, Fallback::None), true);
    world.with_every_chunk(&session);
    let Reply::Nothing = session.message(ToWorker::Article { seq: 1, id: 1 }, None) else {
        panic!()
    };
    let fetches = session.take_piece_fetches();
    let [fetch] = fetches.as_slice() else {
        panic!("{fetches:?}")
    };
    let (answers, warning) = session.piece_fetched(fetch, Err("404".into()));
    assert!(warning.unwrap().starts_with("hc-search: "));
    assert!(matches!(
        answers.as_slice(),
        [FromWorker::Error {
            seq: Some(1),
            retryable: true,
            ..
        }]
    ));
    let Reply::Nothing = session.message(ToWorker::Article { seq: 2, id: 1 }, None) else {
        panic!("a retry waits for the piece again")
    };
    world.log.clear();
    world.fetch_pieces(&mut session);
    assert_eq!(
        world.log.last().map(String::as_str),
        Some("article 2: 1"),
        "{:?}",
        world.log
    );
}

/// An answer that lacks several pieces is given again, snippets filled
/// in, once the last of them has arrived, and only then.
#[test]
fn an_answer_lacking_pieces_is_given_again_when_the_last_arrives() {
    let mut world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&static_init(None, Fallback::None), true);
    world.with_every_chunk(&session);
    let Reply::Answer(first) = session.message(search(1, "account invoice plan"), None) else {
        panic!()
    };
    let fetches = session.take_piece_fetches();
    assert!(fetches.len() >= 2, "{fetches:?}");
    let hits = snippets(&first).len();
    for (i, fetch) in fetches.iter().enumerate() {
        let bytes = world.body(&fetch.url);
        let (answers, warning) = session.piece_fetched(fetch, Ok(bytes));
        assert_eq!(warning, None);
        if i + 1 < fetches.len() {
            assert!(answers.is_empty(), "{answers:?}");
        } else {
            let [again] = answers.as_slice() else {
                panic!("{answers:?}")
            };
            assert_eq!(snippets(again), vec![true; hits]);
            assert!(!pending(again));
        }
    }
    assert!(pending(&first));

    // Pieces that cannot be fetched settle the answer too: it comes again
    // saying no snippet is on its way any more.
    let mut world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&static_init(None, Fallback::None), true);
    world.with_every_chunk(&session);
    let Reply::Answer(first) = session.message(search(1, "account invoice plan"), None) else {
        panic!()
    };
    assert!(pending(&first));
    let fetches = session.take_piece_fetches();
    let mut last = Vec::new();
    for fetch in &fetches {
        last = session.piece_fetched(fetch, Err("503".into())).0;
    }
    let [again] = last.as_slice() else {
        panic!("{last:?}")
    };
    assert!(!pending(again), "{again:?}");
}

/// Typing on: an answer's pieces replace those the answer before wanted
/// and had not asked for yet; an article's stay wanted; pieces already on
/// their way are not asked for twice.
#[test]
fn a_newer_answer_replaces_the_pieces_an_older_one_wanted() {
    let mut world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&static_init(None, Fallback::None), true);
    world.with_every_chunk(&session);
    let pieces = |session: &mut Session| -> Vec<u32> {
        session
            .take_piece_fetches()
            .iter()
            .map(|f| f.piece)
            .collect()
    };
    // What each query alone asks for, from a fresh visit.
    let alone = |q: &str| {
        let mut world = World::static_site(&long_snapshot(), "\"v1\"");
        let (mut session, _) = world.visit(&static_init(None, Fallback::None), true);
        world.with_every_chunk(&session);
        let Reply::Answer(_) = session.message(search(1, q), None) else {
            panic!()
        };
        pieces(&mut session)
    };
    let (first, second) = (alone("invoice"), alone("plan"));
    assert!(!first.is_empty() && !second.is_empty() && first != second);
    let Reply::Nothing = session.message(ToWorker::Article { seq: 1, id: 1 }, None) else {
        panic!()
    };
    let article = pieces(&mut session);
    assert_eq!(article.len(), 1);
    let Reply::Answer(_) = session.message(search(2, "invoice"), None) else {
        panic!()
    };
    let Reply::Answer(_) = session.message(search(3, "plan"), None) else {
        panic!()
    };
    let expected: Vec<u32> = second
        .iter()
        .copied()
        .filter(|p| !article.contains(p))
        .collect();
    assert_eq!(
        pieces(&mut session),
        expected,
        "invoice's pieces were never asked for"
    );
}

/// A search that came before the pack answered: the pack's cache entry is
/// written once the pieces of text of that answer have arrived, and so a
/// warm start shows its snippets at once, with nothing to fetch.
#[test]
fn a_pack_is_cached_once_the_pieces_of_its_first_answer_arrive() {
    let mut world = World::static_site(&snapshot(), "\"v1\"");
    let init = static_init(None, Fallback::None);
    let json = serde_json::to_string(&init).unwrap();
    let mut session = Session::default();
    let Reply::Load(id, step) = session.message(init.clone(), Some(&json)) else {
        panic!()
    };
    let Reply::Nothing = session.message(search(1, "invoice"), None) else {
        panic!("the search waits for the index")
    };
    world.drive(&mut session, id, step);
    assert!(world.entry_keys().is_empty(), "{:?}", world.log);
    world.log.clear();
    world.fetch_pieces(&mut session);
    assert_eq!(
        world.log.last().map(String::as_str),
        Some("write en \"v1\""),
        "{:?}",
        world.log
    );
    let (mut warm, log) = world.visit(&init, true);
    assert!(log.contains(&"ready en from cache".to_string()), "{log:?}");
    let Reply::Answer(first) = warm.message(search(1, "invoice"), None) else {
        panic!()
    };
    assert!(snippets(&first).iter().all(|s| *s), "{first:?}");
    assert!(warm.take_piece_fetches().is_empty());
}

/// A warm start's entry holds the pieces that had arrived, and the URL
/// of its pack: the others are fetched beside that pack at once, before
/// `packs.json` is revalidated, on the static path and the proxy's alike.
#[test]
fn a_warm_start_fetches_missing_pieces_beside_its_pack() {
    for (world, init, prefix) in [
        (
            World::static_site(&snapshot(), "\"v1\""),
            static_init(None, Fallback::None),
            "https://s.example/hc/en.v1.",
        ),
        (
            World::proxy_with_packs(&snapshot(), "\"s1\""),
            proxy_init(None),
            "https://p.example/v1/packs/en.s1.",
        ),
    ] {
        let mut world = after_first_visit(world, &init);
        let json = serde_json::to_string(&init).unwrap();
        world.loader_reads = Some(hc_core::loader::lookup_key(&json));
        let mut session = Session::default();
        let Reply::Load(id, step) = session.message(init.clone(), Some(&json)) else {
            panic!()
        };
        let packs_json =
            |r: &Request| matches!(r, Request::Fetch { url, .. } if url.ends_with("packs.json"));
        let pending = world.drive_until(&mut session, id, step, packs_json);
        assert!(pending.is_some(), "{:?}", world.log);
        assert!(
            world.log.contains(&"ready en from cache".to_string()),
            "{:?}",
            world.log
        );
        // Answered at once if the entry holds the chunks of the index
        // it reads, else once they arrive: either way, what it lacks is
        // fetched beside the pack.
        let (Reply::Answer(_) | Reply::Nothing) = session.message(search(1, "invoice"), None)
        else {
            panic!()
        };
        let fetches = session.take_piece_fetches();
        assert!(!fetches.is_empty());
        for f in &fetches {
            assert!(
                f.url.starts_with(prefix) && f.url.ends_with(".hcbodies"),
                "{}",
                f.url
            );
        }
    }
}

/// The visitor picks another language while the first load downloads: the
/// first load's answer is dropped, the second installs the chosen one.
#[test]
fn a_language_switch_mid_load_supersedes_it() {
    let mut world = World::proxy(&snapshot(), "\"s1\"");
    let init = proxy_init(None);
    let json = serde_json::to_string(&init).unwrap();
    let mut session = Session::default();
    let Reply::Load(first, step) = session.message(init, Some(&json)) else {
        panic!()
    };
    let fetch = world
        .drive_until(&mut session, first, step, |r| {
            matches!(r, Request::Fetch { .. })
        })
        .expect("the first load fetches");
    let Reply::Load(second, step) =
        session.message(ToWorker::SetLanguage { lang: lang("de") }, None)
    else {
        panic!("a switch starts a load");
    };
    assert_ne!(first, second);
    assert!(!session.is_current(first));
    // The first load's snapshot arrives: dropped, nothing installed.
    let event = world.answer(&fetch);
    let late = session.on(first, event);
    assert!(late.effects.is_empty() && late.next.is_none());
    assert!(!session.core().is_ready());
    world.log.clear();
    world.drive(&mut session, second, step);
    assert_eq!(
        world.log,
        [
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build de",
            "ready de",
            "write de \"s1\"",
        ]
    );
    assert_eq!(session.lang(), Some(&lang("de")));
    // The switched-to language's entry has no lookup record: only the
    // first Init's would name one.
    assert!(!world
        .idb
        .keys()
        .any(|k| k.starts_with(hc_core::loader::LOOKUP_PREFIX)));
    // Switching to the installed language starts nothing.
    assert!(matches!(
        session.message(ToWorker::SetLanguage { lang: lang("de") }, None),
        Reply::Nothing
    ));
}

/// A new `Init` while a warm load waits to decode its reader documents and
/// revalidate: the old load's later steps never run.
#[test]
fn a_new_init_supersedes_a_running_load() {
    let mut world = warm_proxy();
    let init = proxy_init(None);
    let json = serde_json::to_string(&init).unwrap();
    world.loader_reads = Some(hc_core::loader::lookup_key(&json));
    let mut session = Session::default();
    let Reply::Load(first, step) = session.message(init, Some(&json)) else {
        panic!()
    };
    let pending = world.drive_until(&mut session, first, step, |r| *r == Request::NextTask);
    assert_eq!(pending, Some(Request::NextTask));
    assert!(session.core().is_ready());
    let again = proxy_init(Some("ja"));
    let json = serde_json::to_string(&again).unwrap();
    let Reply::Load(second, step) = session.message(again, Some(&json)) else {
        panic!()
    };
    // The new load unloaded the old index at once.
    assert!(!session.core().is_ready());
    let late = session.on(first, Event::Resumed);
    assert!(late.effects.is_empty() && late.next.is_none());
    world.log.clear();
    world.drive(&mut session, second, step);
    assert_eq!(
        world.log,
        [
            "progress cache",
            "read site",
            "read ja",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "progress indexing",
            "build ja",
            "ready ja",
            "write ja \"s1\"",
        ]
    );
    assert_eq!(session.lang(), Some(&lang("ja")));
}

/// A site whose languages changed since the entry was written: the warm
/// index answers, and the fresh snapshot's negotiation picks again.
#[test]
fn a_fresher_site_is_negotiated_again() {
    let mut world = warm_proxy_now_german();
    let (session, log) = world.visit(&proxy_init(None), true);
    assert_eq!(
        log,
        [
            "progress cache",
            "prefetched en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
            "build de",
            "ready de",
            "write de \"s2\"",
        ]
    );
    assert_eq!(session.lang(), Some(&lang("de")));
}

/// A world where the proxy now serves a site in German only, after a
/// first visit cached the English index.
fn warm_proxy_now_german() -> World {
    let mut world = warm_proxy();
    let mut changed = snapshot();
    changed.site.default_language = lang("de");
    changed.site.languages = vec![lang("de")];
    world.serve(
        SNAPSHOT_URL,
        serde_json::to_vec(&changed).unwrap(),
        "\"s2\"",
    );
    world
}

/// [`every_loading_path`]'s shape, with the stemmer's prefetch and wait
/// logged.
const STEMMER_CASES: &[Case] = &[
    Case {
        name: "static, cold: the language comes with packs.json",
        world: || World::static_site(&snapshot(), "\"v1\""),
        init: || static_init(None, Fallback::None),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prefetch stemmer en",
            "GET en.v1.hcpack",
            "stemmer en",
            "ready en",
            "write en \"v1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "proxy, cold, an Austrian page: the German index, built",
        world: || World::proxy(&snapshot(), "\"s1\""),
        init: || proxy_init(Some("de-AT")),
        prefetch: true,
        log: &[
            "progress cache",
            "read site",
            "progress fetching",
            "GET packs.json",
            "prepare builder",
            "GET snapshot",
            "prefetch stemmer de",
            "progress indexing",
            "build de",
            "stemmer de",
            "ready de",
            "write de \"s1\"",
        ],
        cached: &["de"],
    },
    Case {
        name: "warm: the cached site names the language",
        world: warm_proxy,
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "prefetch stemmer en",
            "stemmer en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
        ],
        cached: &["en"],
    },
    Case {
        name: "warm, and a fresher site picks another language",
        world: warm_proxy_now_german,
        init: || proxy_init(None),
        prefetch: true,
        log: &[
            "progress cache",
            "prefetched en",
            "prefetch stemmer en",
            "stemmer en",
            "ready en from cache",
            "GET packs.json",
            "GET snapshot if-none-match \"s1\"",
            "prefetch stemmer de",
            "build de",
            "stemmer de",
            "ready de",
            "write de \"s2\"",
        ],
        cached: &["de", "en"],
    },
];

/// A load's language's stemmer is asked for as soon as the load knows the
/// language (negotiated against a site: the cached one, `packs.json`'s, a
/// fresh snapshot's), before what it fetches or builds, and waited for
/// right before each index is opened, whatever the index came from.
#[test]
fn the_stemmer_is_prefetched_once_the_language_is_known_and_had_before_an_index_opens() {
    for case in STEMMER_CASES {
        check(case, true);
    }
}

/// A pack's postings and term dictionary travel in chunks: a search that
/// reads chunks not here is not answered until they arrive (fetched at
/// once, and only they: its too few hits need no text), in two rounds (the
/// dictionary's chunks, then the postings' its entries point to), then
/// answered as a pack with all its chunks answers. A chunk that cannot be
/// fetched: the answer comes without it, with a warning, and the
/// visitor's next search asks for it again.
#[test]
fn a_search_waits_for_the_chunks_of_the_index_it_reads() {
    let mut world = World::static_site(&long_snapshot(), "\"v1\"");
    let init = static_init(None, Fallback::None);
    let (mut session, _) = world.visit(&init, true);
    let Reply::Nothing = session.message(search(1, "invoice"), None) else {
        panic!("the answer waits for its chunks")
    };
    assert!(session.chunks_wanted());
    let text_pieces = engine(&session).text_pieces();
    let mut answers = Vec::new();
    let mut rounds = 0;
    loop {
        let fetches = session.take_piece_fetches();
        if fetches.is_empty() {
            break;
        }
        rounds += 1;
        assert!(answers.is_empty(), "no answer before the last round");
        assert!(
            fetches.iter().all(|f| f.piece >= text_pieces),
            "{fetches:?}"
        );
        for fetch in &fetches {
            let bytes = world.body(&fetch.url);
            let (said, warning) = session.piece_fetched(fetch, Ok(bytes));
            assert_eq!(warning, None);
            answers.extend(said);
        }
        if !answers.is_empty() {
            break;
        }
    }
    assert_eq!(rounds, 2, "the dictionary's chunks, then the postings'");
    let [answer] = answers.as_slice() else {
        panic!("one answer once the last chunk arrived: {answers:?}")
    };
    // The same hits as a session whose pack has every chunk.
    let mut full_world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut full, _) = full_world.visit(&init, true);
    full_world.with_every_chunk(&full);
    let Reply::Answer(expected) = full.message(search(1, "invoice"), None) else {
        panic!()
    };
    assert_eq!(answer, &expected);
    assert!(pending(answer), "its texts come next");
    assert!(session
        .take_piece_fetches()
        .iter()
        .all(|f| f.piece < text_pieces));

    // Offline: the answer comes without the chunks, once.
    let mut world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&init, true);
    let Reply::Nothing = session.message(search(1, "invoice"), None) else {
        panic!()
    };
    let fetches = session.take_piece_fetches();
    let mut answers = Vec::new();
    for fetch in &fetches {
        let (said, warning) = session.piece_fetched(fetch, Err("offline".into()));
        assert!(warning.unwrap().contains("chunk of the index"));
        answers.extend(said);
    }
    let [FromWorker::Results { seq: 1, .. }] = answers.as_slice() else {
        panic!("{answers:?}")
    };
    assert!(!session.chunks_wanted(), "not asked for again at once");
    let Reply::Nothing = session.message(search(2, "invoice"), None) else {
        panic!("the next search asks for them again")
    };
    let again: Vec<u32> = session
        .take_piece_fetches()
        .iter()
        .map(|f| f.piece)
        .collect();
    let before: Vec<u32> = fetches.iter().map(|f| f.piece).collect();
    assert_eq!(again, before);
}

/// Once a search is answered and nothing it waits for is on its way, the
/// rest of the index chunks comes in one request (their bundle), after the
/// pieces of text the answer asked for; later searches then wait for no
/// chunk, the cache entry is written again with every chunk (a return
/// visit fetches none), and a bundle that fails is not asked for again
/// until the visitor's next search.
#[test]
fn the_rest_of_the_chunks_comes_in_one_bundle_after_the_first_answer() {
    let init = static_init(None, Fallback::None);
    let mut world = World::static_site(&wordy_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&init, true);
    let bundle = engine(&session).chunks_bundle().unwrap();
    let chunks = bundle - engine(&session).text_pieces();
    assert!(chunks >= 3, "{chunks} chunks");
    assert!(
        session.take_piece_fetches().is_empty(),
        "nothing before a search"
    );
    let Reply::Nothing = session.message(search(1, "invoice"), None) else {
        panic!("the answer waits for its chunks")
    };
    // Its chunks, then its pieces of text, then the bundle, alone.
    world.fetch_pieces(&mut session);
    let bundle_file = engine(&session).piece_file(bundle).unwrap();
    let gets = world.gets();
    let at = gets
        .iter()
        .position(|l| l.ends_with(&bundle_file))
        .unwrap_or_else(|| panic!("the bundle is fetched: {gets:?}"));
    assert_eq!(
        at,
        gets.len() - 1,
        "last, after what the answer needed: {gets:?}"
    );
    assert!(
        gets.iter().filter(|l| l.ends_with(".hcbodies")).count() > 2,
        "chunks and texts before it: {gets:?}"
    );
    assert!(engine(&session).has_piece(bundle));
    // Every other search is answered at once.
    answered_at_once_without_chunks(&mut session, 2, &["backup", "password reset", "e", "zzz"]);
    // The entry holds every chunk: a return visit asks for none.
    let (mut again, _) = world.visit(&init, true);
    assert!(engine(&again).has_piece(bundle));
    let Reply::Answer(_) = again.message(search(1, "backup"), None) else {
        panic!("answered at once from the cache")
    };
    assert!(!again.chunks_wanted());

    // A bundle that cannot be fetched: asked for once, not again until
    // the next search.
    let mut world = World::static_site(&wordy_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&init, true);
    let pack_url = session.core().loaded().unwrap().pack_url.clone().unwrap();
    world
        .http
        .insert(sibling_url(&pack_url, &bundle_file), Http::Status(429));
    let bundle_gets = |world: &World| {
        world
            .log
            .iter()
            .filter(|l| l.ends_with(&bundle_file))
            .count()
    };
    session.message(search(1, "invoice"), None);
    world.fetch_pieces(&mut session);
    assert_eq!(bundle_gets(&world), 1);
    assert!(world.log.contains(&"warn".to_string()));
    assert!(!session.chunks_wanted());
    world.log.clear();
    let _ = session.message(search(2, "invoic"), None);
    world.fetch_pieces(&mut session);
    assert_eq!(bundle_gets(&world), 1, "{:?}", world.log);
}

/// The widget's `Intent` (its dialog opened, its inline box took focus)
/// makes the bundle of the index chunks due before any search: an index
/// preloaded while the page was idle then has every chunk by the visitor's
/// first keystroke, which waits for no request. Told while the index still
/// loads, the worker fetches the bundle once it is installed.
#[test]
fn an_intent_brings_the_bundle_before_any_search() {
    let init = static_init(None, Fallback::None);
    let mut world = World::static_site(&wordy_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&init, true);
    let bundle = engine(&session).chunks_bundle().unwrap();
    let bundle_file = engine(&session).piece_file(bundle).unwrap();
    assert!(
        session.take_piece_fetches().is_empty(),
        "preloaded, no intent"
    );
    let Reply::Nothing = session.message(ToWorker::Intent, None) else {
        panic!("an intent is not answered")
    };
    world.fetch_pieces(&mut session);
    let gets = world.gets();
    assert!(
        matches!(gets.as_slice(), [get] if get.ends_with(&bundle_file)),
        "the bundle, alone: {gets:?}"
    );
    assert!(engine(&session).has_piece(bundle));
    answered_at_once_without_chunks(&mut session, 1, &["i", "in", "invoice", "backup"]);

    // The intent came while the pack was on its way.
    let mut world = World::static_site(&wordy_snapshot(), "\"v1\"");
    let json = serde_json::to_string(&init).unwrap();
    let mut session = Session::default();
    let Reply::Load(id, step) = session.message(init.clone(), Some(&json)) else {
        panic!("Init starts a load")
    };
    let Reply::Nothing = session.message(ToWorker::Intent, None) else {
        panic!("nothing to answer yet")
    };
    world.drive(&mut session, id, step);
    let fetches: Vec<u32> = session
        .take_piece_fetches()
        .iter()
        .map(|f| f.piece)
        .collect();
    assert_eq!(fetches, [bundle]);
}

/// Suggestions whose page context reads chunks of the index not here
/// wait for them, then list the context's matches as a pack with every
/// chunk does.
#[test]
fn suggestions_wait_for_the_chunks_their_context_reads() {
    let suggestions = || ToWorker::Suggestions {
        seq: 1,
        limit: 5,
        ids: Vec::new(),
        context: Some("invoice".into()),
        path: None,
    };
    let init = static_init(None, Fallback::None);
    let mut full_world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut full, _) = full_world.visit(&init, true);
    full_world.with_every_chunk(&full);
    let Reply::Answer(expected) = full.message(suggestions(), None) else {
        panic!()
    };
    let mut world = World::static_site(&long_snapshot(), "\"v1\"");
    let (mut session, _) = world.visit(&init, true);
    let Reply::Nothing = session.message(suggestions(), None) else {
        panic!("the suggestions wait for the context's postings")
    };
    // The dictionary's chunks, then the postings'.
    let mut answers = Vec::new();
    while answers.is_empty() {
        let fetches = session.take_piece_fetches();
        assert!(!fetches.is_empty(), "the suggestions wait for nothing");
        for fetch in fetches {
            let bytes = world.body(&fetch.url);
            answers.extend(session.piece_fetched(&fetch, Ok(bytes)).0);
        }
    }
    assert_eq!(answers, vec![expected]);
}
