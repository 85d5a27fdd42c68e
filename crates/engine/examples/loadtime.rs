//! Times loading a travel container and the keystrokes of the growth
//! benchmark's queries (`bench/growth/queries.json`: its `growth` set, or
//! its `ja` set for LANG `ja`), natively:
//! `cargo run --release -p hc-engine --example loadtime -- HELP_CENTER.json [LANG] [--served]`
//! (a file of `node bench/growth/gen.mjs`). `--served`: the keystrokes go
//! to the engine as the widget holds it before any piece of text has
//! come (the pack split, opened with `Container::served_engine`), so
//! their hits have no snippets, and the pack's opening (its whole bytes,
//! and inflated as it arrives, as the worker opens it) and the writing of
//! its cache entry are measured too. Per keystroke: the whole search
//! (hits with snippets) and the same search without hits (ranking only),
//! and the live heap (a counting allocator): what loading keeps and a
//! keystroke's transient peak, which the wasm heap would keep.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// Live heap bytes and their high-water mark: the wasm heap never shrinks,
/// so a keystroke's transient peak is memory the widget keeps.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}
#[global_allocator]
static A: Counting = Counting;
const MB: f64 = 1048576.0;

/// The growth benchmark's query sets (`bench/growth/run.mjs --typed`),
/// read from the checkout (this crate is packaged without them).
const QUERY_SETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../bench/growth/queries.json"
);

fn main() {
    let served = std::env::args().any(|a| a == "--served");
    let mut args = std::env::args().skip(1).filter(|a| a != "--served");
    let path = args.next().expect("a help center JSON file");
    let lang = args.next().unwrap_or_else(|| "en".into());
    let data: hc_core::HelpCenterData =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let snap = hc_core::Snapshot::from_data(data, str::to_owned);
    let built = hc_engine::IndexContainer::build(&snap, &lang).unwrap();
    let bytes = built.to_bytes(hc_engine::Packing::Travel).unwrap();
    drop(built);
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let t = Instant::now();
    let c = hc_engine::IndexContainer::from_bytes(&bytes).unwrap();
    println!(
        "load {:?}, {} docs, {} B; heap +{:.1} MB kept, +{:.1} MB at the peak",
        t.elapsed(),
        c.engine.len(),
        bytes.len(),
        (LIVE.load(Relaxed) - before) as f64 / MB,
        (PEAK.load(Relaxed) - before) as f64 / MB,
    );
    // Split after the load is timed: it is the publisher's work.
    let split = served.then(|| {
        let (pack, _) = c
            .split(hc_engine::container::PIECE_TARGET, |_| "x".into())
            .unwrap();
        let base = LIVE.load(Relaxed) - pack.len();
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        let engine = hc_engine::Container::open(&pack)
            .unwrap()
            .served_engine()
            .unwrap();
        println!(
            "pack opened: heap +{:.1} MB kept, +{:.1} MB at the peak (the pack's bytes counted)",
            (LIVE.load(Relaxed) - base - pack.len()) as f64 / MB,
            (PEAK.load(Relaxed) - base) as f64 / MB,
        );
        drop(engine);
        // As the worker opens it: inflated as it arrives, in the chunks
        // the network delivers, the pack's bytes outside the heap.
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let mut stream = hc_engine::container::PackStream::new();
        for chunk in pack.chunks(64 * 1024) {
            stream.push(chunk).unwrap();
        }
        let engine = stream.finish().unwrap().served_engine().unwrap();
        println!(
            "pack inflated as it arrives (64 KiB chunks): heap +{:.1} MB kept, +{:.1} MB at the peak",
            (LIVE.load(Relaxed) - base) as f64 / MB,
            (PEAK.load(Relaxed) - base) as f64 / MB,
        );
        drop(pack);
        engine
    });
    if let Some(engine) = &split {
        let before_reader = LIVE.load(Relaxed);
        let reader = hc_engine::ReaderDocs::of(engine);
        let base = LIVE.load(Relaxed);
        let reader_bytes = base - before_reader;
        PEAK.store(base, Relaxed);
        let t = Instant::now();
        let entry = hc_engine::container::cache_entry(engine, &reader).unwrap();
        let entry_len = entry.len();
        println!(
            "cache entry {:?}, {} B; heap +{:.1} MB at the peak over the loaded engine (+{:.1} MB with the reader documents)",
            t.elapsed(),
            entry.len(),
            (PEAK.load(Relaxed) - base) as f64 / MB,
            (PEAK.load(Relaxed) - base + reader_bytes) as f64 / MB,
        );
        // A warm start: the entry read into a buffer of its own, which the
        // engine keeps (`served_engine_keeping`), and its reader documents.
        let bytes = entry.into_vec();
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let warm = hc_engine::container::served_engine_keeping(bytes).unwrap();
        let warm_reader = hc_engine::ReaderDocs::of(&warm);
        println!(
            "warm start (the entry's bytes counted): heap +{:.1} MB kept, +{:.1} MB at the peak",
            (LIVE.load(Relaxed) - base + entry_len) as f64 / MB,
            (PEAK.load(Relaxed) - base + entry_len) as f64 / MB,
        );
        drop((warm, warm_reader));
    }
    let loaded = LIVE.load(Relaxed);
    let mut key_peak = 0usize;
    let no_hits = hc_engine::SearchOptions {
        limit: 0,
        category: None,
    };
    let mut full = Vec::new();
    let mut ranking = Vec::new();
    let sets: serde_json::Value =
        serde_json::from_slice(&std::fs::read(QUERY_SETS).expect("the query sets")).unwrap();
    let set = if lang == "ja" { "ja" } else { "growth" };
    let engine = split.as_ref().unwrap_or(&c.engine);
    for q in sets[set]["typed"].as_array().unwrap() {
        let q = q.as_str().unwrap();
        for (at, ch) in q.char_indices() {
            if ch == ' ' {
                continue;
            }
            let prefix = &q[..at + ch.len_utf8()];
            let base = LIVE.load(Relaxed);
            PEAK.store(base, Relaxed);
            let t = Instant::now();
            let r = engine.search(prefix, &Default::default());
            let f = t.elapsed();
            let t = Instant::now();
            engine.search(prefix, &no_hits);
            let n = t.elapsed();
            let peak = PEAK.load(Relaxed) - base;
            key_peak = key_peak.max(PEAK.load(Relaxed) - loaded);
            println!(
                "{prefix:?} {f:?} ranking {n:?} total {} heap peak +{:.2} MB",
                r.total,
                peak as f64 / MB
            );
            full.push(f);
            ranking.push(n);
        }
    }
    let pct = |v: &mut Vec<Duration>, p: usize| {
        v.sort();
        v[(p * v.len() / 100).min(v.len() - 1)]
    };
    println!(
        "keystrokes: heap at most +{:.1} MB over the loaded engine, +{:.1} MB kept after",
        key_peak as f64 / MB,
        (LIVE.load(Relaxed) as f64 - loaded as f64) / MB
    );
    println!(
        "{} keystrokes: p50/p95 {:?}/{:?}, ranking only {:?}/{:?}",
        full.len(),
        pct(&mut full, 50),
        pct(&mut full, 95),
        pct(&mut ranking, 50),
        pct(&mut ranking, 95)
    );
}
