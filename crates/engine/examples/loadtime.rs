//! Times loading a travel container and the keystrokes of the growth
//! benchmark's queries (bench/growth/run.mjs), natively:
//! `cargo run --release -p hc-engine --example loadtime -- HELP_CENTER.json [LANG]`
//! (a file of `node bench/growth/gen.mjs`). Per keystroke: the whole search
//! (hits with snippets) and the same search without hits (ranking only).
use std::time::{Duration, Instant};

const TYPED: [&str; 8] = [
    "network configuration",
    "error handling",
    "cargo build",
    "trait object",
    "kernel module",
    "ssh key",
    "memory",
    "install package",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a help center JSON file");
    let lang = args.next().unwrap_or_else(|| "en".into());
    let data: hc_core::HelpCenterData =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let snap = hc_core::Snapshot::from_data(data, str::to_owned);
    let built = hc_engine::IndexContainer::build(&snap, &lang).unwrap();
    let bytes = built.to_bytes(hc_engine::Packing::Travel).unwrap();
    drop(built);
    let t = Instant::now();
    let c = hc_engine::IndexContainer::from_bytes(&bytes).unwrap();
    println!(
        "load {:?}, {} docs, {} B",
        t.elapsed(),
        c.engine.len(),
        bytes.len()
    );
    let no_hits = hc_engine::SearchOptions {
        limit: 0,
        category: None,
    };
    let mut full = Vec::new();
    let mut ranking = Vec::new();
    for q in TYPED {
        for i in 1..=q.len() {
            if q.as_bytes()[i - 1] == b' ' {
                continue;
            }
            let prefix = &q[..i];
            let t = Instant::now();
            let r = c.engine.search(prefix, &Default::default());
            let f = t.elapsed();
            let t = Instant::now();
            c.engine.search(prefix, &no_hits);
            let n = t.elapsed();
            println!("{prefix:?} {f:?} ranking {n:?} total {}", r.total);
            full.push(f);
            ranking.push(n);
        }
    }
    let pct = |v: &mut Vec<Duration>, p: usize| {
        v.sort();
        v[(p * v.len() / 100).min(v.len() - 1)]
    };
    println!(
        "{} keystrokes: p50/p95 {:?}/{:?}, ranking only {:?}/{:?}",
        full.len(),
        pct(&mut full, 50),
        pct(&mut full, 95),
        pct(&mut ranking, 50),
        pct(&mut ranking, 95)
    );
}
