//! Milliseconds per filtered `GET /v1/articles?search=` on a corpus (default
//! the CLI's demo subset): the matching as done per request before (every
//! translation lowercased on each request) and with the lowercased texts
//! precomputed once per refresh (`hc_proxy::prepared::SearchText`).
//!
//! `cargo run -p hc-proxy --example search_cost [-- corpus.json]`

use std::time::Instant;

use hc_core::{HelpCenterData, PublicArticle, Snapshot, Translations};
use hc_proxy::prepared::{select, ArticleFilter, SearchText};
use hc_publish::Sanitizer;

fn per_request_lowercasing<'a>(articles: &'a [PublicArticle], q: &str) -> Vec<&'a PublicArticle> {
    let hit = |t: &Translations<String>| t.iter().any(|(_, v)| v.to_lowercase().contains(q));
    articles
        .iter()
        .filter(|a| hit(&a.title) || hit(&a.content))
        .collect()
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cli/demo/debian-reference-subset.json"
        )
        .into()
    });
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let data: HelpCenterData = serde_json::from_slice(&bytes).expect("a help center export");
    let sanitizer = Sanitizer::new(None);
    let articles = Snapshot::from_data(data, |html| sanitizer.clean(html)).articles;
    let started = Instant::now();
    let texts: Vec<SearchText> = articles.iter().map(SearchText::of).collect();
    println!(
        "{} articles; precomputing the search texts (once per refresh): {:.1} ms",
        articles.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let rounds = 20;
    for query in ["apt", "kernel", "zzzz-no-match"] {
        let started = Instant::now();
        let mut before = 0;
        for _ in 0..rounds {
            before = per_request_lowercasing(&articles, query).len();
        }
        let old_ms = started.elapsed().as_secs_f64() * 1e3 / f64::from(rounds);
        let filter = ArticleFilter {
            search: Some(query.into()),
            ..ArticleFilter::default()
        };
        let started = Instant::now();
        let mut after = 0;
        for _ in 0..rounds {
            after = select(&articles, &texts, &filter).len();
        }
        let new_ms = started.elapsed().as_secs_f64() * 1e3 / f64::from(rounds);
        assert_eq!(before, after, "both ways find the same articles");
        println!("search={query:<14} {after:>4} hits  per-request lowercasing {old_ms:>7.2} ms  precomputed {new_ms:>7.2} ms");
    }
}
