//! Temporary: times building, loading a container and searching it.
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let data: hc_core::HelpCenterData =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let snap = hc_core::Snapshot::from_data(data, str::to_owned);
    let built = hc_engine::IndexContainer::build(&snap, "en").unwrap();
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
    let qs = [
        "n",
        "ne",
        "net",
        "netw",
        "network",
        "network c",
        "network co",
        "network conf",
        "install pac",
        "memory",
        "me",
        "mem",
    ];
    let ids: Vec<i64> = c
        .reader
        .docs
        .iter()
        .step_by(97)
        .take(20)
        .map(|d| d.id)
        .collect();
    let t = Instant::now();
    let n: usize = ids.iter().map(|id| c.reader.html(*id).unwrap().len()).sum();
    println!("html of 20 docs (cold chunks): {:?}, {n} B", t.elapsed());
    let t = Instant::now();
    let n: usize = ids.iter().map(|id| c.reader.html(*id).unwrap().len()).sum();
    println!("html of 20 docs (recent chunks): {:?}, {n} B", t.elapsed());
    for round in 0..2 {
        for q in qs {
            let t = Instant::now();
            let r = c.engine.search(q, &Default::default());
            let full = t.elapsed();
            let t = Instant::now();
            c.engine.search(
                q,
                &hc_engine::SearchOptions {
                    limit: 0,
                    category: None,
                },
            );
            println!(
                "{round} {q:?} {full:?} without hits {:?} total {}",
                t.elapsed(),
                r.total
            );
        }
    }
}
