//! Property tests over damaged and arbitrary bytes for the worker's
//! decoders of outside data: the body-text buffer ([`hc_worker::bodies`]),
//! a pack-cache entry as a warm start reads it back
//! ([`hc_worker::cache_entry`]) and the static pack
//! ([`hc_worker::static_pack`]). No input panics; what decodes re-encodes
//! to the same value; a damaged buffer (a bit flipped, cut short) is an
//! error, never an index or documents that differ from what was written.
//! Case counts are bounded so that this runs in seconds; `fuzz/` has the
//! libFuzzer targets for long runs.

use std::sync::OnceLock;

use hc_core::{HelpCenterData, LangCode, Snapshot};
use hc_engine::{Engine, PackCompression};
use hc_worker::reader::ReaderDocs;
use hc_worker::{bodies, cache_entry, static_pack};
use proptest::prelude::*;

fn snapshot() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: HelpCenterData = serde_json::from_str(text).unwrap();
        Snapshot::from_data(data, str::to_owned)
    })
}

fn en() -> LangCode {
    LangCode::parse("en").unwrap()
}

/// A cache entry as the worker writes it: the stored pack and the encoded
/// body texts.
fn entry() -> &'static (Vec<u8>, Vec<u8>) {
    static ENTRY: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    ENTRY.get_or_init(|| {
        let engine = Engine::from_snapshot(snapshot(), "en").unwrap();
        (
            engine.to_pack_with(PackCompression::Stored).unwrap(),
            bodies::encode(&engine.bodies()),
        )
    })
}

fn static_pack_bytes() -> &'static Vec<u8> {
    static PACK: OnceLock<Vec<u8>> = OnceLock::new();
    PACK.get_or_init(|| static_pack::build(snapshot(), &en()).unwrap())
}

fn flip(bytes: &mut [u8], bit: usize) -> usize {
    let bit = bit % (bytes.len() * 8);
    bytes[bit / 8] ^= 1 << (bit % 8);
    bit
}

#[test]
fn the_intact_entry_and_static_pack_load() {
    let (pack, texts) = entry();
    let engine = cache_entry::load(pack, texts).unwrap();
    assert!(!engine.is_empty());
    let loaded = static_pack::load(static_pack_bytes(), &en()).unwrap();
    assert_eq!(loaded.reader, ReaderDocs::from_snapshot(snapshot(), &en()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The body-text format has one encoding per value, so what decodes
    /// re-encodes to the very same bytes.
    #[test]
    fn body_buffers_that_decode_re_encode_identically(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
        if let Some(decoded) = bodies::decode(&bytes) {
            prop_assert_eq!(bodies::encode(&decoded), bytes);
        }
    }

    #[test]
    fn cut_body_buffers_do_not_decode(texts in proptest::collection::vec((any::<i64>(), ".{0,12}"), 0..6), cut in 1usize..64) {
        let bytes = bodies::encode(&texts);
        let keep = bytes.len().saturating_sub(cut);
        prop_assert_eq!(bodies::decode(&bytes[..keep]), None);
    }

    /// A bit flipped in either half of a cache entry: a cache miss, never
    /// an engine with other texts.
    #[test]
    fn a_flipped_bit_in_a_cache_entry_is_an_error(bit in any::<usize>(), in_pack in any::<bool>()) {
        let (pack, texts) = entry();
        let (mut pack, mut texts) = (pack.clone(), texts.clone());
        let at = flip(if in_pack { &mut pack } else { &mut texts }, bit);
        prop_assert!(cache_entry::load(&pack, &texts).is_err(), "bit {} (pack: {})", at, in_pack);
    }

    #[test]
    fn a_cut_cache_entry_is_an_error(keep in any::<usize>(), in_pack in any::<bool>()) {
        let (pack, texts) = entry();
        let got = if in_pack {
            cache_entry::load(&pack[..keep % pack.len()], texts)
        } else {
            cache_entry::load(pack, &texts[..keep % texts.len()])
        };
        prop_assert!(got.is_err());
    }

    #[test]
    fn arbitrary_cache_entries_never_panic(
        pack in proptest::collection::vec(any::<u8>(), 0..128),
        texts in proptest::collection::vec(any::<u8>(), 0..128),
    ) {
        let mut forged = b"HCSP\x03\x00\x01\x00".to_vec();
        forged.extend_from_slice(&pack);
        let _ = cache_entry::load(&pack, &texts);
        let _ = cache_entry::load(&forged, &texts);
    }

    #[test]
    fn static_packs_from_any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut framed = b"HCSP".to_vec();
        framed.extend_from_slice(&(bytes.len().min(16) as u32).to_le_bytes());
        framed.extend_from_slice(&bytes);
        for input in [&bytes, &framed] {
            if let Ok((pack, reader)) = static_pack::decode(input) {
                let again = static_pack::encode(pack, &reader).unwrap();
                let (pack2, reader2) = static_pack::decode(&again).unwrap();
                prop_assert_eq!(pack2, pack);
                prop_assert_eq!(reader2, reader);
            }
            let _ = static_pack::load(input, &en());
        }
    }

    /// A bit flipped anywhere in a static pack (the engine pack or the
    /// reader documents after it) is an error, not documents that differ
    /// from the ones written.
    #[test]
    fn a_flipped_bit_in_a_static_pack_is_an_error(bit in any::<usize>()) {
        let mut bytes = static_pack_bytes().clone();
        let at = flip(&mut bytes, bit);
        prop_assert!(static_pack::load(&bytes, &en()).is_err(), "bit {} of {}", at, bytes.len() * 8);
    }

    #[test]
    fn a_cut_static_pack_is_an_error(keep in any::<usize>()) {
        let bytes = static_pack_bytes();
        prop_assert!(static_pack::load(&bytes[..keep % bytes.len()], &en()).is_err());
    }
}

/// Writes the binary seeds of the libFuzzer targets (`fuzz/seeds/`) from
/// the current formats: run it after a format change with
/// `cargo test -p hc-worker --test decoders -- --ignored write_fuzz_seeds`.
#[test]
#[ignore = "writes fuzz/seeds; run by hand after a format change"]
fn write_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds");
    let write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    let (stored, texts) = entry();
    let deflated = Engine::from_snapshot(snapshot(), "en")
        .unwrap()
        .to_pack()
        .unwrap();
    write("engine_pack", "deflated", &[&[0u8][..], &deflated].concat());
    write(
        "engine_pack",
        "stored-payload",
        &[&[1u8][..], &stored[20..]].concat(),
    );
    write("bodies", "tiny-en", texts);
    let entry = [&(texts.len() as u32).to_le_bytes()[..], texts, stored].concat();
    write("cache_entry", "tiny-en", &entry);
    write("static_pack", "tiny-en", static_pack_bytes());
    write(
        "snapshot",
        "tiny.json",
        &serde_json::to_vec(snapshot()).unwrap(),
    );
}

/// Found by the `snapshot` fuzz target: a category that is its own parent
/// and has no name in the language looped forever (the walk's bound
/// counted names, not steps), hanging the worker on such a snapshot.
#[test]
fn a_category_cycle_without_names_in_the_language_ends() {
    let text = r#"{"site":{"default_language":"en","languages":["en","de"]},
        "categories":[{"id":3,"name":{"de":"Rechnungen"},"parent":3,"icon":null,"position":1},
                      {"id":4,"name":{"de":"A"},"parent":5,"icon":null,"position":1},
                      {"id":5,"name":{"en":"B"},"parent":4,"icon":null,"position":1}],
        "articles":[{"id":1,"title":{"en":"T"},"slug":{"en":"t"},"content":{"en":"<p>x</p>"},
                     "category_ids":[3],"views":0,"created_at":"","updated_at":""},
                    {"id":2,"title":{"en":"U"},"slug":{"en":"u"},"content":{"en":"<p>y</p>"},
                     "category_ids":[4],"views":0,"created_at":"","updated_at":""}]}"#;
    let snapshot: Snapshot = serde_json::from_str(text).unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(ReaderDocs::from_snapshot(&snapshot, &en()));
    });
    // Generous: the walk takes microseconds; the bug never ended.
    let docs = finished
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the category walk ended");
    assert_eq!(docs.docs.len(), 2);
    assert!(docs.docs[0].category_path.is_empty());
    assert!(docs.docs[1].category_path.iter().all(|n| n == "B"));
}
