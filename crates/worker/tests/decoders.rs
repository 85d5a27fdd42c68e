//! Property tests over damaged and arbitrary bytes for the worker's
//! decoders of outside data ([`hc_worker::entry`]): a static site's
//! prebuilt container and the worker's own IndexedDB cache entry, both
//! `hc-engine`'s index container. No input panics; what decodes encodes
//! again to a container that decodes to the same documents; a damaged
//! buffer (a bit flipped, cut short) is an error, never an index or
//! documents that differ from what was written. Case counts are bounded so
//! that this runs in seconds; `fuzz/` has the libFuzzer targets for long
//! runs.

use std::sync::OnceLock;

use hc_core::{HelpCenterData, LangCode, Snapshot};
use hc_engine::container::{InflatedPack, PackStream};
use hc_engine::{EngineError, IndexContainer, Packing, SearchOptions};
use hc_worker::core::Loaded;
use hc_worker::entry;
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

fn built() -> &'static IndexContainer {
    static BUILT: OnceLock<IndexContainer> = OnceLock::new();
    BUILT.get_or_init(|| IndexContainer::build(snapshot(), "en").unwrap())
}

/// A cache entry as the worker writes it.
fn cache_entry() -> &'static Vec<u8> {
    static ENTRY: OnceLock<Vec<u8>> = OnceLock::new();
    ENTRY.get_or_init(|| built().to_bytes(Packing::Cache).unwrap())
}

/// A static site's pack and the pieces of its texts, as `hcs
/// build-static` writes them.
fn static_site() -> &'static (Vec<u8>, Vec<Vec<u8>>) {
    static SITE: OnceLock<(Vec<u8>, Vec<Vec<u8>>)> = OnceLock::new();
    SITE.get_or_init(|| {
        built()
            .split(hc_engine::container::PIECE_TARGET, |_| "en".into())
            .unwrap()
    })
}

fn static_pack_bytes() -> &'static Vec<u8> {
    &static_site().0
}

fn flip(bytes: &mut [u8], bit: usize) -> usize {
    let bit = bit % (bytes.len() * 8);
    bytes[bit / 8] ^= 1 << (bit % 8);
    bit
}

/// A warm start's two reads of a cache entry, then the static load.
fn load_all(bytes: &[u8]) -> bool {
    entry::engine(bytes, &en()).is_ok()
        && entry::reader(bytes).is_ok()
        && entry::load(bytes, &en()).is_ok()
}

/// A pack as the glue reads it ([`entry::load_pack`]): inflated in the
/// chunks the network delivers.
fn streamed(bytes: &[u8]) -> Result<InflatedPack, EngineError> {
    let mut stream = PackStream::new();
    for chunk in bytes.chunks(1000) {
        stream.push(chunk)?;
    }
    stream.finish()
}

#[test]
fn the_intact_entry_and_static_pack_load() {
    let engine = entry::engine(cache_entry().as_slice(), &en()).unwrap();
    assert!(!engine.is_empty());
    assert_eq!(&entry::reader(cache_entry()).unwrap(), &built().reader);
    let loaded = entry::load_pack(streamed(static_pack_bytes()).unwrap(), &en()).unwrap();
    let pieces = &static_site().1;
    assert!(!pieces.is_empty());
    for (n, piece) in (0u32..).zip(pieces) {
        loaded.engine.attach_piece(n, piece).unwrap();
    }
    let reader = loaded.reader.as_ref().unwrap();
    assert_eq!(reader.docs, built().reader.docs);
    for doc in built().reader.docs.iter() {
        assert_eq!(reader.html(doc.id), built().reader.html(doc.id));
        let opts = SearchOptions::default();
        assert_eq!(
            loaded.engine.search(doc.title, &opts),
            built().engine.search(doc.title, &opts)
        );
        assert_eq!(
            engine.search(doc.title, &opts),
            built().engine.search(doc.title, &opts)
        );
    }
    // What the worker caches after a static load is a cache entry again,
    // its pieces in it.
    let cached = entry::cache_bytes(&loaded).unwrap().into_vec();
    assert_eq!(&entry::reader(&cached).unwrap(), reader);
    let without_reader = Loaded {
        reader: None,
        ..entry::load_pack(streamed(static_pack_bytes()).unwrap(), &en()).unwrap()
    };
    assert_eq!(entry::cache_bytes(&without_reader), None);
}

/// Only publishers read a container whose texts travel whole (they split
/// it): decoding those texts needs a deflater, which the worker does not
/// link.
#[test]
fn a_container_of_whole_travelling_texts_is_refused() {
    let whole = built().to_bytes(Packing::Travel).unwrap();
    let refused = |r: Result<(), entry::EntryError>| {
        matches!(
            r,
            Err(entry::EntryError::Container(EngineError::WholeTexts))
        )
    };
    assert!(refused(entry::load(whole.as_slice(), &en()).map(|_| ())));
    assert!(refused(entry::engine(whole.as_slice(), &en()).map(|_| ())));
    assert!(refused(entry::reader(&whole).map(|_| ())));
    // The same container split is what the worker takes.
    let (pack, _) =
        hc_engine::container::split(&whole, hc_engine::container::PIECE_TARGET, |_| "en".into())
            .unwrap();
    assert!(entry::load(pack.as_slice(), &en()).is_ok());
    assert!(entry::load_pack(streamed(&pack).unwrap(), &en()).is_ok());
    assert!(matches!(streamed(&whole), Err(EngineError::WholeTexts)));
}

#[test]
fn a_container_of_another_language_is_refused() {
    let de = IndexContainer::build(snapshot(), "de")
        .unwrap()
        .to_bytes(Packing::Cache)
        .unwrap();
    assert!(matches!(
        entry::load(de.as_slice(), &en()),
        Err(entry::EntryError::Language { .. })
    ));
    assert!(matches!(
        entry::engine(de.as_slice(), &en()),
        Err(entry::EntryError::Language { .. })
    ));
    assert!(matches!(
        entry::load_pack(streamed(&de).unwrap(), &en()),
        Err(entry::EntryError::Language { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A bit flipped anywhere in a cache entry: a cache miss, never an
    /// engine or documents with other texts.
    #[test]
    fn a_flipped_bit_in_a_cache_entry_is_an_error(bit in any::<usize>()) {
        let mut bytes = cache_entry().clone();
        let at = flip(&mut bytes, bit);
        prop_assert!(!load_all(&bytes), "bit {}", at);
    }

    #[test]
    fn a_cut_cache_entry_is_an_error(keep in any::<usize>()) {
        let bytes = cache_entry();
        let cut = &bytes[..keep % bytes.len()];
        prop_assert!(entry::engine(cut, &en()).is_err());
        prop_assert!(entry::reader(cut).is_err());
    }

    #[test]
    fn arbitrary_containers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut framed = b"HCSP\x04\x00\x01\x00".to_vec();
        framed.extend_from_slice(&bytes);
        for input in [&bytes, &framed] {
            if let Ok(loaded) = entry::load(input.as_slice(), &en()) {
                let again = entry::cache_bytes(&loaded).unwrap().into_vec();
                prop_assert_eq!(entry::load(again.as_slice(), &en()).unwrap().reader, loaded.reader);
            }
            let _ = entry::engine(input.as_slice(), &en());
            let _ = entry::reader(input);
        }
    }

    /// A bit flipped anywhere in a static pack (index, documents or HTML)
    /// is an error, not documents that differ from the ones written.
    #[test]
    fn a_flipped_bit_in_a_static_pack_is_an_error(bit in any::<usize>()) {
        let mut bytes = static_pack_bytes().clone();
        let at = flip(&mut bytes, bit);
        prop_assert!(entry::load(bytes.as_slice(), &en()).is_err(), "bit {} of {}", at, bytes.len() * 8);
    }

    #[test]
    fn a_cut_static_pack_is_an_error(keep in any::<usize>()) {
        let bytes = static_pack_bytes();
        prop_assert!(entry::load(&bytes[..keep % bytes.len()], &en()).is_err());
    }
}

/// Every bit of a static pack's HTML section flipped in turn: raw DEFLATE
/// often inflates a flipped bit into other valid text (a fuzzer once found
/// one in a title), so only the section's checksum makes each one an error.
#[test]
fn every_flipped_bit_of_the_html_section_is_refused() {
    let bytes = static_pack_bytes();
    let html_len = u32::from_le_bytes(bytes[32..36].try_into().unwrap()) as usize;
    let mut misread = Vec::new();
    for bit in (bytes.len() - html_len) * 8..bytes.len() * 8 {
        let mut flipped = bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        if entry::load(flipped.as_slice(), &en()).is_ok() {
            misread.push(bit);
        }
    }
    assert_eq!(misread, Vec::<usize>::new(), "these flipped bits decoded");
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
    write(
        "container",
        "travel",
        &[&[0u8][..], static_pack_bytes()].concat(),
    );
    write("container", "cache", &[&[0u8][..], cache_entry()].concat());
    // A publisher's whole container: the worker refuses it, the fuzz
    // target's other decoders (the engine's `Container::engine`) inflate it.
    write(
        "container",
        "travel-whole",
        &[&[0u8][..], &built().to_bytes(Packing::Travel).unwrap()].concat(),
    );
    // Mode 1: two section lengths, then the sections (the third is the
    // rest), behind a header the target forges.
    let stored = cache_entry();
    let mut sections = vec![1u8];
    for at in [8, 20] {
        sections.extend_from_slice(&stored[at..at + 4]);
    }
    sections.extend_from_slice(&stored[48..]);
    write("container", "cache-sections", &sections);
    write(
        "snapshot",
        "tiny.json",
        &serde_json::to_vec(snapshot()).unwrap(),
    );
}

/// Found by the `snapshot` fuzz target: a category that is its own parent
/// and has no name in the language looped forever (the walk's bound
/// counted names, not steps), hanging the worker on such a snapshot. The
/// paths are now made in one place, the engine's, with its cycle check.
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
        let _ = done.send(IndexContainer::build(&snapshot, "en").unwrap().reader);
    });
    // Generous: the walk takes microseconds; the bug never ended.
    let docs = finished
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the category walk ended");
    assert_eq!(docs.docs.len(), 2);
    // A category without a name in the language is named in another, so
    // that the path lines up with its ids (the breadcrumb filters by them).
    assert_eq!(
        docs.docs.iter().next().unwrap().category_path,
        ["Rechnungen"]
    );
    assert_eq!(docs.docs.iter().nth(1).unwrap().category_path, ["B", "A"]);
}
