use hc_engine::Engine;
use hc_worker::reader::ReaderDocs;
use std::time::Instant;
fn main() {
    let data: hc_core::HelpCenterData = serde_json::from_slice(
        &std::fs::read("/work/shared/corpus/debian-reference.json").unwrap(),
    )
    .unwrap();
    let snapshot = hc_core::Snapshot::from_data(data, str::to_owned);
    let lang: hc_core::LangCode = "en".parse().unwrap();
    let engine = Engine::from_snapshot(&snapshot, "en").unwrap();
    let pack = engine.to_pack().unwrap();
    let bodies = engine.bodies();
    let reader = ReaderDocs::from_snapshot(&snapshot, &lang);
    let body_bytes: usize = bodies.iter().map(|b| b.1.len()).sum();
    println!(
        "docs {} pack {} bodies {} reader json {}",
        bodies.len(),
        pack.len(),
        body_bytes,
        serde_json::to_vec(&reader).unwrap().len()
    );
    let payload = miniz_oxide::inflate::decompress_to_vec(&pack[20..]).unwrap();
    println!("payload {}", payload.len());
    for _ in 0..3 {
        let t = Instant::now();
        let _ = pack.iter().fold(0u32, |a, b| a.wrapping_add(*b as u32));
        let crc = t.elapsed();
        let t = Instant::now();
        let _ = miniz_oxide::inflate::decompress_to_vec(&pack[20..]).unwrap();
        let inf = t.elapsed();
        let t = Instant::now();
        let e = Engine::from_pack_with_bodies(&pack, bodies.clone()).unwrap();
        let all = t.elapsed();
        let t = Instant::now();
        let _ = e.search("apt pinning", &Default::default());
        let s = t.elapsed();
        println!("crc {crc:?} inflate {inf:?} from_pack_with_bodies {all:?} search {s:?}");
    }
}
