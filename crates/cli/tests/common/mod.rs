//! Shared by the CLI's integration tests: a simulator serving the Debian
//! Reference site (its categories and languages, no articles, so that a
//! category holds exactly what a test imported), clients, and CSV files
//! derived from the corpus.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use hc_client::{ApiKey, Client, RetryPolicy};
use hc_core::wire::HelpCenterData;
use hc_core::Article;
use hc_sim::{SimConfig, SimHandle};

pub const READ_KEY: &str = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
pub const WRITE_KEY: &str = "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww";
/// A category of the Debian Reference site ("GNU/Linux tutorials").
pub const CATEGORY: i64 = 2;

pub fn debian() -> &'static HelpCenterData {
    static DATA: OnceLock<HelpCenterData> = OnceLock::new();
    DATA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/debian-reference.json");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_slice(&bytes).expect("corpus parses")
    })
}

/// The Debian site with its categories and languages but no articles.
pub fn empty_site() -> HelpCenterData {
    let d = debian();
    HelpCenterData {
        site: d.site.clone(),
        categories: d.categories.clone(),
        articles: Vec::new(),
    }
}

pub async fn sim_with(rate_limit: u32, window: Duration) -> SimHandle {
    let config = SimConfig {
        read_keys: vec![READ_KEY.into()],
        write_keys: vec![WRITE_KEY.into()],
        rate_limit,
        rate_window: window,
        ..SimConfig::new(empty_site())
    };
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

pub async fn sim() -> SimHandle {
    sim_with(0, Duration::from_secs(60)).await
}

pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

pub fn client(sim: &SimHandle, key: &str) -> Client {
    Client::new(&sim.api_url(), ApiKey::new(key).unwrap())
        .unwrap()
        .with_retry(fast_policy())
        .with_limiter(None)
}

/// POSTs and PATCHes the simulator has received.
pub fn writes(sim: &SimHandle) -> u64 {
    sim.call_count("POST", "/v1/articles") + sim.call_count("PATCH", "/v1/articles/{id}")
}

/// Articles now in `category` upstream.
pub fn in_category(sim: &SimHandle, category: i64) -> Vec<Article> {
    sim.data()
        .articles
        .into_iter()
        .filter(|a| a.category_ids().contains(&category))
        .collect()
}

/// One CSV row: external id, language, title, content.
pub type Row = (String, String, String, String);

/// Public Debian articles with distinct English titles, as rows in the
/// given languages (an article missing a language is skipped for it).
pub fn corpus_rows(articles: usize, languages: &[&str]) -> Vec<Row> {
    let mut seen = BTreeSet::new();
    let mut rows = Vec::new();
    let mut taken = 0;
    for a in &debian().articles {
        if taken == articles {
            break;
        }
        if !a.is_public() {
            continue;
        }
        let Some(en) = a.title.get_str("en") else {
            continue;
        };
        if !seen.insert(en.clone()) {
            continue;
        }
        taken += 1;
        for lang in languages {
            if let (Some(t), Some(c)) = (a.title.get_str(lang), a.content.get_str(lang)) {
                rows.push((
                    format!("deb-{}", a.id),
                    lang.to_string(),
                    t.clone(),
                    c.clone(),
                ));
            }
        }
    }
    assert_eq!(taken, articles, "the corpus has enough articles");
    rows
}

pub fn write_csv(path: &Path, rows: &[Row]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["external_id", "language", "title", "content"])
        .unwrap();
    for (id, lang, title, content) in rows {
        w.write_record([id, lang, title, content]).unwrap();
    }
    w.flush().unwrap();
}

pub fn words(sim: &SimHandle, from: &Path, extra: &[&str]) -> Vec<String> {
    let mut w: Vec<String> = vec![
        "--api".into(),
        sim.api_url(),
        "--from".into(),
        from.display().to_string(),
        "--category".into(),
        CATEGORY.to_string(),
        "--rate-limit".into(),
        "0".into(),
    ];
    w.extend(extra.iter().map(|s| s.to_string()));
    w
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn path_in(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// The article ids a served snapshot (`/v1/snapshot`, as JSON) holds.
pub fn snapshot_ids(snapshot: &serde_json::Value) -> BTreeSet<i64> {
    snapshot["articles"]
        .as_array()
        .expect("a snapshot has articles")
        .iter()
        .map(|a| a["id"].as_i64().expect("an article has an id"))
        .collect()
}

/// The ids of the articles of `data` that the proxy may serve.
pub fn public_ids(data: &HelpCenterData) -> BTreeSet<i64> {
    data.articles
        .iter()
        .filter(|a| a.is_public())
        .map(|a| a.id)
        .collect()
}
