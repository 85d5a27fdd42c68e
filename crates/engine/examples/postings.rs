//! What a visitor fetches of a pack whose postings and term dictionary
//! travel in chunks (`hc_engine::apart`): `cargo run --release -p hc-engine --example
//! postings -- HELP_CENTER.json LANG [QUERIES]`. HELP_CENTER.json is a
//! corpus of `../shared/corpus/` or a file of `node bench/growth/gen.mjs`;
//! QUERIES a `queries-dev.json`-style file (that corpus' queries of LANG),
//! else the growth benchmark's `growth` set. The pack is split as
//! publishers split it; each query is typed key by key into an engine that
//! starts with no chunk, every chunk a keystroke names attached before the
//! next (as the worker does). Prints the pack, the chunks, and the bytes
//! and requests of chunks: each query searched whole (the first, and the
//! median; with the round trips, each waiting for the chunks the one
//! before named), the first keystroke, a query typed to its end (median
//! and largest over the queries, each from an empty engine), and all the
//! queries one after the other.

use hc_core::{HelpCenterData, Snapshot};
use hc_engine::{Container, Engine, IndexContainer, SearchOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a help center JSON file");
    let lang = args.next().expect("a language");
    let data: HelpCenterData = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let queries: Vec<String> = match args.next() {
        Some(file) => {
            let all: serde_json::Value =
                serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
            all.as_array()
                .unwrap()
                .iter()
                .filter(|q| {
                    q["lang"] == lang.as_str()
                        && q["corpus"].as_str().is_some_and(|c| path.contains(c))
                })
                .map(|q| q["q"].as_str().unwrap().to_string())
                .collect()
        }
        None => {
            let sets: serde_json::Value = serde_json::from_slice(
                &std::fs::read(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../bench/growth/queries.json"
                ))
                .unwrap(),
            )
            .unwrap();
            sets["growth"]["typed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q.as_str().unwrap().to_string())
                .collect()
        }
    };
    let snap = Snapshot::from_data(data, str::to_owned);
    let built = IndexContainer::build(&snap, &lang).unwrap();
    let (pack, files) = built
        .split(hc_engine::container::PIECE_TARGET, |f| {
            format!("x{}", f.len())
        })
        .unwrap();
    let open = || Container::open(&pack).unwrap().served_engine().unwrap();
    let first_chunk = open().text_pieces() as usize;
    // The chunks, then their bundle (every chunk in one file).
    let chunks = &files[first_chunk..files.len() - 1];
    let chunk_bytes: usize = chunks.iter().map(Vec::len).sum();
    println!(
        "{path} {lang}: pack {} B; index in {} chunk files, {} B in all (and in a bundle of {} B); {} queries",
        pack.len(),
        chunks.len(),
        chunk_bytes,
        files.last().map_or(0, Vec::len),
        queries.len()
    );
    // Searches `q` on `engine` until it lacks no chunk, attaching the
    // chunks each round names (as the worker does): (bytes, requests,
    // round trips).
    let search = |engine: &Engine, q: &str| {
        let mut got = (0, 0, 0);
        loop {
            let r = engine.search(q, &SearchOptions::default());
            if !r.lacks_chunks() {
                break got;
            }
            got.2 += 1;
            for &p in r.chunks_missing() {
                engine.attach_piece(p, &files[p as usize]).unwrap();
                got.0 += files[p as usize].len();
                got.1 += 1;
            }
        }
    };
    // Types `q` into `engine` key by key: (bytes, requests) of the first
    // keystroke and of the whole query.
    let typed = |engine: &Engine, q: &str| {
        let chars: Vec<char> = q.chars().collect();
        let (mut first, mut all) = ((0, 0), (0, 0));
        for n in 1..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            let (bytes, requests, _) = search(engine, &prefix);
            all = (all.0 + bytes, all.1 + requests);
            if n == 1 {
                first = all;
            }
        }
        (first, all)
    };
    let mut wholes_at_once: Vec<(usize, usize, usize)> =
        queries.iter().map(|q| search(&open(), q)).collect();
    let first_query = wholes_at_once.first().copied().unwrap_or_default();
    wholes_at_once.sort();
    let m = wholes_at_once[wholes_at_once.len() / 2];
    println!(
        "a query searched whole: the first {} B in {} requests and {} round trips, median {} B in {} requests and {} round trips",
        first_query.0, first_query.1, first_query.2, m.0, m.1, m.2
    );
    let mut firsts = Vec::new();
    let mut wholes = Vec::new();
    for q in &queries {
        let (first, all) = typed(&open(), q);
        firsts.push(first);
        wholes.push(all);
    }
    let session = open();
    let mut visit = (0, 0);
    for q in &queries {
        let (_, all) = typed(&session, q);
        visit.0 += all.0;
        visit.1 += all.1;
    }
    firsts.sort();
    wholes.sort();
    let med = |v: &[(usize, usize)]| v[v.len() / 2];
    let (f, w) = (med(&firsts), med(&wholes));
    let (fm, wm) = (firsts.last().unwrap(), wholes.last().unwrap());
    println!(
        "first keystroke: median {} B in {} requests, largest {} B in {}",
        f.0, f.1, fm.0, fm.1
    );
    println!(
        "a query typed: median {} B in {} requests, largest {} B in {}",
        w.0, w.1, wm.0, wm.1
    );
    println!(
        "all {} queries typed one after the other: {} B in {} requests ({:.0}% of the chunks' bytes)",
        queries.len(),
        visit.0,
        visit.1,
        100.0 * visit.0 as f64 / chunk_bytes.max(1) as f64
    );
}
