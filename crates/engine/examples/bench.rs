//! Native benchmark: `cargo run --release -p hc-engine --example bench`.
//!
//! For each (corpus, language): index build time, pack size against the
//! plain text, pack load time, and query latency p50/p95 over the dev
//! queries of that corpus and language, every query also typed one
//! character at a time (each prefix is a search). Prints one `ROW` line per
//! case (parsed by `cargo xtask bench-engine`) and a readable table.

use std::path::PathBuf;
use std::time::Instant;

use hc_core::{HelpCenterData, Snapshot};
use hc_engine::{IndexContainer, Packing, SearchOptions};

fn corpus_dir() -> PathBuf {
    std::env::var_os("HC_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// Every query and each of its prefixes, as typed.
pub fn typed(queries: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for q in queries {
        for (i, c) in q.char_indices() {
            out.push(q[..i + c.len_utf8()].to_string());
        }
    }
    out
}

/// Microseconds of one search per query, sorted.
fn timed(engine: &hc_engine::Engine, queries: &[String], opts: &SearchOptions) -> Vec<f64> {
    let mut us: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(engine.search(q, opts));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    us.sort_by(f64::total_cmp);
    us
}

/// The `p` quantile of sorted values (0 when there are none).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1))
        .copied()
        .unwrap_or(0.0)
}

fn main() {
    let dir = corpus_dir();
    let queries: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("queries-dev.json")).expect("queries"))
            .expect("json");
    println!(
        "{:<18} {:<5} {:>6} {:>9} {:>11} {:>11} {:>6} {:>8} {:>8} {:>6}",
        "corpus",
        "lang",
        "docs",
        "build_ms",
        "text_bytes",
        "pack_bytes",
        "pack%",
        "p50_us",
        "p95_us",
        "n"
    );
    for (corpus, langs) in [
        ("rust-docs", &["en"][..]),
        ("debian-reference", &["en", "de", "ja"][..]),
    ] {
        let data: HelpCenterData = serde_json::from_slice(
            &std::fs::read(dir.join(format!("{corpus}.json"))).expect("corpus"),
        )
        .expect("json");
        let Snapshot {
            categories,
            articles,
            ..
        } = Snapshot::from_data(data, str::to_owned);
        for &lang in langs {
            let qs: Vec<String> = queries
                .as_array()
                .unwrap()
                .iter()
                .filter(|q| q["corpus"] == corpus && q["lang"] == lang)
                .map(|q| q["q"].as_str().unwrap().to_string())
                .collect();
            let t = Instant::now();
            let built = IndexContainer::from_articles(lang, &articles, &categories).expect("build");
            let build_ms = t.elapsed().as_secs_f64() * 1e3;
            let pack = built.to_bytes(Packing::Travel).expect("pack");
            drop(built);
            let t = Instant::now();
            let engine = IndexContainer::from_bytes(&pack).expect("load").engine;
            let load_ms = t.elapsed().as_secs_f64() * 1e3;
            let all = typed(&qs);
            let opts = SearchOptions::default();
            for q in all.iter().take(50) {
                engine.search(q, &opts); // warm-up
            }
            let us = timed(&engine, &all, &opts);
            let pct = |p: f64| percentile(&us, p);
            let text = engine.plain_text_bytes();
            if let Some(out) = std::env::var_os("HC_BENCH_OUT").map(PathBuf::from) {
                // For the wasm runner: this pack, and what it must answer.
                std::fs::create_dir_all(&out).expect("bench out dir");
                std::fs::write(out.join(format!("{corpus}-{lang}.pack")), &pack)
                    .expect("write pack");
                let expect: serde_json::Map<String, serde_json::Value> = qs
                    .iter()
                    .map(|q| {
                        let ids: Vec<i64> =
                            engine.search(q, &opts).hits.iter().map(|h| h.id).collect();
                        (q.clone(), serde_json::json!(ids))
                    })
                    .collect();
                std::fs::write(
                    out.join(format!("{corpus}-{lang}.expect.json")),
                    serde_json::to_vec(&expect).unwrap(),
                )
                .expect("write expect");
            }
            println!(
                "{corpus:<18} {lang:<5} {:>6} {build_ms:>9.1} {text:>11} {:>11} {:>5.1}% {:>8.0} {:>8.0} {:>6}",
                engine.len(),
                pack.len(),
                pack.len() as f64 * 100.0 / text.max(1) as f64,
                pct(0.5),
                pct(0.95),
                us.len()
            );
            // The same queries typed inside quotation marks (an open
            // phrase while typing, then closed): the phrase check's cost.
            let quoted: Vec<String> =
                typed(&qs.iter().map(|q| format!("\"{q}\"")).collect::<Vec<_>>());
            let phrase_us = timed(&engine, &quoted, &opts);
            let phrase_pct = |p: f64| percentile(&phrase_us, p);
            println!(
                "PHRASE native {corpus} {lang} p50_us={:.0} p95_us={:.0} n={}",
                phrase_pct(0.5),
                phrase_pct(0.95),
                phrase_us.len()
            );
            println!(
                "ROW native {corpus} {lang} docs={} build_ms={build_ms:.1} load_ms={load_ms:.1} text_bytes={text} pack_bytes={} p50_us={:.0} p95_us={:.0} n={}",
                engine.len(),
                pack.len(),
                pct(0.5),
                pct(0.95),
                us.len()
            );
        }
    }
}
