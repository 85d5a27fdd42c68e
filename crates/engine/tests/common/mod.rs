//! Shared test helpers: corpus loading and the one `check()` that every
//! data-driven case goes through.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use hc_core::{HelpCenterData, PublicArticle, PublicCategory, Snapshot};
use hc_engine::{Engine, SearchOptions};
use serde::Deserialize;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The shared corpora live next to the repository checkout.
pub fn shared_corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

#[derive(Clone)]
pub struct Corpus {
    pub articles: Vec<PublicArticle>,
    pub categories: Vec<PublicCategory>,
    pub wire_ids: Vec<i64>,
}

pub fn load(path: PathBuf) -> Corpus {
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let data: HelpCenterData = serde_json::from_slice(&bytes).expect("corpus parses");
    let wire_ids = data.articles.iter().map(|a| a.id).collect();
    let snapshot = Snapshot::from_data(data, str::to_owned);
    Corpus {
        categories: snapshot.categories,
        articles: snapshot.articles,
        wire_ids,
    }
}

/// Corpora are loaded once and shared by tests (`mini…` names are fixtures).
pub fn corpus(name: &'static str) -> &'static Corpus {
    static CORPORA: OnceLock<Mutex<HashMap<&'static str, &'static Corpus>>> = OnceLock::new();
    let mut m = CORPORA.get_or_init(Default::default).lock().unwrap();
    m.entry(name).or_insert_with(|| {
        let path = if name.starts_with("mini") {
            fixture(name)
        } else {
            shared_corpus(name)
        };
        Box::leak(Box::new(load(path)))
    })
}

/// Engines are built once per (corpus, language) and shared by tests.
pub fn engine(corpus_name: &'static str, lang: &str) -> &'static Engine {
    static ENGINES: OnceLock<Mutex<HashMap<(String, String), &'static Engine>>> = OnceLock::new();
    let c = corpus(corpus_name);
    let mut m = ENGINES.get_or_init(Default::default).lock().unwrap();
    m.entry((corpus_name.to_string(), lang.to_string()))
        .or_insert_with(|| {
            Box::leak(Box::new(
                Engine::build(lang, &c.articles, &c.categories).expect("builds"),
            ))
        })
}

/// An index container of a corpus and language, built each call.
pub fn container(corpus_name: &'static str, lang: &str) -> hc_engine::IndexContainer {
    let c = corpus(corpus_name);
    hc_engine::IndexContainer::from_articles(lang, &c.articles, &c.categories).expect("builds")
}

/// A stored container (flag bit 0) of these four raw sections (index,
/// documents, bodies, html) with a correct header and CRCs: what a forger
/// (or the fuzzer) needs to reach the section decoders.
pub fn forge(sections: &[Vec<u8>; 3]) -> Vec<u8> {
    forge_flagged(sections, 1)
}

/// [`forge`] with header flags `flags` (1: stored; 3: stored, texts and
/// postings in pieces).
pub fn forge_flagged(sections: &[Vec<u8>; 3], flags: u8) -> Vec<u8> {
    let mut out = b"HCSP".to_vec();
    out.extend_from_slice(&hc_engine::container::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&[flags, 0]);
    for s in sections {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(s).to_le_bytes());
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    for s in sections {
        out.extend_from_slice(s);
    }
    out
}

/// The three raw sections of a stored (cache) container.
pub fn sections(stored: &[u8]) -> [Vec<u8>; 3] {
    let mut at = 48;
    std::array::from_fn(|i| {
        let len = u32::from_le_bytes(stored[8 + i * 12..12 + i * 12].try_into().unwrap()) as usize;
        let s = stored[at..at + len].to_vec();
        at += len;
        s
    })
}

/// One data-driven case: a query and what its results must show.
#[derive(Debug, Deserialize)]
pub struct Case {
    #[serde(default)]
    pub why: String,
    pub lang: String,
    pub q: String,
    #[serde(default)]
    pub cat: Option<i64>,
    /// This id is the first hit.
    #[serde(default)]
    pub top: Option<i64>,
    /// Any of these ids is in the first `within` hits.
    #[serde(default)]
    pub any_of: Vec<i64>,
    #[serde(default)]
    pub within: Option<usize>,
    /// All of these ids are hits.
    #[serde(default)]
    pub has: Vec<i64>,
    /// These ids are hits, in this order.
    #[serde(default)]
    pub order: Vec<i64>,
    /// No hits at all.
    #[serde(default)]
    pub none: bool,
    /// Exactly these ids are the hits, in any order.
    #[serde(default)]
    pub only: Option<Vec<i64>>,
}

/// Runs a case against an engine; returns a failure message, or `None`.
pub fn check(engine: &Engine, case: &Case) -> Option<String> {
    let res = engine.search(
        &case.q,
        &SearchOptions {
            limit: 20,
            category: case.cat,
        },
    );
    let ids: Vec<i64> = res.hits.iter().map(|h| h.id).collect();
    let fail = |what: String| {
        Some(format!(
            "[{}] {:?} ({}): {what}; got {ids:?}",
            case.lang, case.q, case.why
        ))
    };
    // Invariants of every answer.
    if res.total < res.hits.len() {
        return fail(format!("total {} < hits {}", res.total, res.hits.len()));
    }
    for h in &res.hits {
        for hl in h.title_highlights.iter().chain(&h.snippet_highlights) {
            let text = if h.title_highlights.contains(hl) {
                &h.title
            } else {
                &h.snippet
            };
            if hl.start >= hl.end || text.get(hl.start as usize..hl.end as usize).is_none() {
                return fail(format!("bad highlight {hl:?} in {text:?}"));
            }
        }
        if h.snippet.chars().count() > 200 {
            return fail(format!("snippet too long: {}", h.snippet.chars().count()));
        }
    }
    if case.none && !ids.is_empty() {
        return fail("expected no hits".into());
    }
    if let Some(top) = case.top {
        if ids.first() != Some(&top) {
            return fail(format!("expected {top} first"));
        }
    }
    if !case.any_of.is_empty() {
        let within = case.within.unwrap_or(3);
        if !ids.iter().take(within).any(|i| case.any_of.contains(i)) {
            return fail(format!(
                "expected one of {:?} in the first {within}",
                case.any_of
            ));
        }
    }
    for id in &case.has {
        if !ids.contains(id) {
            return fail(format!("expected {id} among the hits"));
        }
    }
    if let Some(only) = &case.only {
        let (mut got, mut want) = (ids.clone(), only.clone());
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            return fail(format!("expected exactly {only:?}"));
        }
    }
    let positions: Vec<Option<usize>> = case
        .order
        .iter()
        .map(|id| ids.iter().position(|i| i == id))
        .collect();
    if positions.iter().any(Option::is_none) || positions.windows(2).any(|w| w[0] >= w[1]) {
        return fail(format!("expected the order {:?}", case.order));
    }
    None
}

/// Runs every case of a fixture file and reports all failures at once.
pub fn check_all(corpus: &'static str, fixture_name: &str) {
    let cases: Vec<Case> =
        serde_json::from_slice(&std::fs::read(fixture(fixture_name)).expect("fixture exists"))
            .expect("fixture parses");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check(engine(corpus, &c.lang), c))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
