//! `hcs eval`: builds the index of each language a query set uses from a
//! corpus file (public, published articles only), runs the queries and
//! prints each query's rank of its first relevant article, then exactly
//! `MRR@10=0.xxx recall@5=0.xxx queries=N` as the last line.
//!
//! Query files may mix corpora: a query with a `corpus` field is used only
//! when that field equals the corpus file's stem (`debian-reference` for
//! `.../debian-reference.json`); queries without the field are always used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use hc_core::{HelpCenterData, Snapshot};
use hc_engine::{Engine, SearchOptions};
use serde::Deserialize;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Corpus file shaped like the API (`{"site", "categories", "articles"}`).
    #[arg(long)]
    corpus: PathBuf,
    /// JSON array of `{"q", "lang", "relevant": [ids], "corpus"?}`.
    #[arg(long)]
    queries: PathBuf,
    /// Only the queries of this language.
    #[arg(long)]
    lang: Option<String>,
}

#[derive(Deserialize)]
struct Query {
    q: String,
    lang: String,
    relevant: Vec<i64>,
    #[serde(default)]
    corpus: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let data: HelpCenterData = serde_json::from_slice(
        &std::fs::read(&args.corpus)
            .with_context(|| format!("reading {}", args.corpus.display()))?,
    )
    .with_context(|| format!("parsing {}", args.corpus.display()))?;
    let all: Vec<Query> = serde_json::from_slice(
        &std::fs::read(&args.queries)
            .with_context(|| format!("reading {}", args.queries.display()))?,
    )
    .with_context(|| format!("parsing {}", args.queries.display()))?;
    let stem = corpus_stem(&args.corpus);
    let queries: Vec<Query> = all
        .into_iter()
        .filter(|q| q.corpus.as_deref().is_none_or(|c| c == stem))
        .filter(|q| args.lang.as_deref().is_none_or(|l| l == q.lang))
        .collect();

    let Snapshot {
        categories,
        articles,
        ..
    } = Snapshot::from_data(data, str::to_owned);

    let mut engines: BTreeMap<&str, Engine> = BTreeMap::new();
    for q in &queries {
        if !engines.contains_key(q.lang.as_str()) {
            let e = Engine::build(&q.lang, &articles, &categories)
                .with_context(|| format!("building the {} index", q.lang))?;
            engines.insert(q.lang.as_str(), e);
        }
    }

    let (mut rr_sum, mut recall5) = (0.0f64, 0usize);
    let opts = SearchOptions {
        limit: 10,
        category: None,
    };
    for q in &queries {
        let hits = engines[q.lang.as_str()].search(&q.q, &opts).hits;
        let rank = hits
            .iter()
            .position(|h| q.relevant.contains(&h.id))
            .map(|p| p + 1);
        if let Some(r) = rank {
            rr_sum += 1.0 / r as f64;
            if r <= 5 {
                recall5 += 1;
            }
        }
        let shown = rank.map_or("-".to_string(), |r| r.to_string());
        let top = hits
            .first()
            .map_or(String::new(), |h| format!("{} {}", h.id, h.title));
        println!(
            "{shown:>3}  [{}] {:<8} {:?}  (top: {top})",
            q.lang,
            q.kind.as_deref().unwrap_or(""),
            q.q
        );
    }
    let n = queries.len();
    let div = n.max(1) as f64;
    println!(
        "MRR@10={:.3} recall@5={:.3} queries={n}",
        rr_sum / div,
        recall5 as f64 / div
    );
    Ok(ExitCode::SUCCESS)
}

fn corpus_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}
