//! Native relevance check: `cargo run --release -p hc-engine --example mrr -- FILE...`.
//!
//! MRR@10 per (corpus, language) of query files in the `queries-dev.json`
//! format, with the engine the widget uses, and every query's rank, so an
//! analysis change can be judged in seconds before the browser benchmark
//! (`bench/run`) confirms it against the peers.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hc_core::{HelpCenterData, Snapshot};
use hc_engine::{IndexContainer, SearchOptions};

fn corpus_dir() -> PathBuf {
    std::env::var_os("HC_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

fn main() {
    let dir = corpus_dir();
    let mut queries = Vec::new();
    for f in std::env::args().skip(1) {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&f).expect("queries")).expect("json");
        queries.extend(v.as_array().expect("array").iter().cloned());
    }
    let mut cases: BTreeMap<(String, String), Vec<&serde_json::Value>> = BTreeMap::new();
    for q in &queries {
        let key = (
            q["corpus"].as_str().unwrap_or("").to_string(),
            q["lang"].as_str().unwrap_or("").to_string(),
        );
        cases.entry(key).or_default().push(q);
    }
    let (mut sum, mut n) = (0.0, 0usize);
    let mut loaded: BTreeMap<String, Snapshot> = BTreeMap::new();
    for ((corpus, lang), qs) in &cases {
        let snap = loaded.entry(corpus.clone()).or_insert_with(|| {
            let data: HelpCenterData = serde_json::from_slice(
                &std::fs::read(dir.join(format!("{corpus}.json"))).expect("corpus"),
            )
            .expect("json");
            Snapshot::from_data(data, str::to_owned)
        });
        let engine = IndexContainer::from_articles(lang, &snap.articles, &snap.categories)
            .expect("build")
            .engine;
        let mut case = 0.0;
        for q in qs {
            let text = q["q"].as_str().unwrap_or("");
            let rel: Vec<i64> = q["relevant"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|v| v.as_i64())
                .collect();
            let hits = engine.search(text, &SearchOptions::default()).hits;
            let rank = hits
                .iter()
                .take(10)
                .position(|h| rel.contains(&h.id))
                .map(|p| p + 1);
            let rr = rank.map_or(0.0, |r| 1.0 / r as f64);
            case += rr;
            let top: Vec<i64> = hits.iter().take(3).map(|h| h.id).collect();
            println!(
                "  {corpus} {lang} {:>4} {text:?} rel={rel:?} top3={top:?}",
                rank.map_or("-".into(), |r| r.to_string())
            );
        }
        println!(
            "CASE {corpus} {lang} MRR@10={:.3} n={}",
            case / qs.len() as f64,
            qs.len()
        );
        sum += case;
        n += qs.len();
    }
    println!("OVERALL MRR@10={:.3} n={n}", sum / n.max(1) as f64);
}
