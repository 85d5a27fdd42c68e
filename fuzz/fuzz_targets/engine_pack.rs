//! The engine pack (`hc_engine::Engine::from_pack*`, its codec and the
//! tantivy files inside). The first byte picks the mode: the input as a
//! whole pack (header, checksum and all), or the rest as a payload behind
//! a valid stored-pack header and checksum, which a fuzzer could not forge
//! and which reaches the payload decoder and tantivy.
#![no_main]

use hc_engine::{Engine, PACK_FORMAT_VERSION};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let _ = Engine::from_pack_with_bodies(rest, vec![]);
        let _ = Engine::from_pack(rest, &[]);
    } else {
        let mut pack = b"HCSP".to_vec();
        pack.extend_from_slice(&PACK_FORMAT_VERSION.to_le_bytes());
        pack.extend_from_slice(&[1, 0]);
        pack.extend_from_slice(&(rest.len() as u64).to_le_bytes());
        pack.extend_from_slice(&crc32fast::hash(rest).to_le_bytes());
        pack.extend_from_slice(rest);
        if let Ok(engine) = Engine::from_pack_with_bodies(&pack, vec![]) {
            // A loaded engine answers and packs again.
            let _ = engine.search("a", &Default::default());
            engine.to_pack().expect("a loaded engine packs again");
        }
    }
});
