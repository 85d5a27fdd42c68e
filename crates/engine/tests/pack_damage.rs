//! Property tests of the index container's decoder (`container.rs` and
//! the codec under it) over damaged and arbitrary bytes: a container with
//! any bit flipped or cut short is an error, never an engine or reader
//! documents; sections that pass their checksums (forged, or real ones
//! with bytes changed) are refused or loaded, never a panic. Case counts
//! are bounded so that this runs in seconds; `fuzz/` has the libFuzzer
//! target for long runs.

mod common;

use hc_engine::{Container, EngineError, IndexContainer};
use proptest::prelude::*;

/// The mini corpus' English container as it travels (deflated) and as a
/// cache stores it (stored).
type Containers = (Vec<u8>, Vec<u8>);

fn containers() -> &'static Containers {
    static CONTAINERS: std::sync::OnceLock<Containers> = std::sync::OnceLock::new();
    CONTAINERS.get_or_init(|| {
        let built = common::container("mini-corpus.json", "en");
        (
            built.to_bytes(hc_engine::Packing::Travel).unwrap(),
            built.to_bytes(hc_engine::Packing::Cache).unwrap(),
        )
    })
}

/// The same container split (texts and postings in pieces): its pack, and
/// the cache entry of its engine once every piece arrived (each piece of
/// text and chunk of the index stored in it).
fn apart() -> &'static Containers {
    static APART: std::sync::OnceLock<Containers> = std::sync::OnceLock::new();
    APART.get_or_init(|| {
        let (travel, _) = containers();
        let (pack, pieces) = hc_engine::container::split(travel, 1, |_| "en.x".into()).unwrap();
        let engine = Container::open(&pack).unwrap().engine().unwrap();
        for (n, piece) in pieces.iter().enumerate() {
            engine.attach_piece(n as u32, piece).unwrap();
        }
        let reader = hc_engine::ReaderDocs::of(&engine);
        let entry =
            hc_engine::container::encode(&engine, &reader, hc_engine::Packing::Cache).unwrap();
        (pack, entry)
    })
}

/// Everything a container holds, decoded: an error if any part is.
fn load_all(bytes: &[u8]) -> Result<IndexContainer, EngineError> {
    let opened = Container::open(bytes)?;
    // The warm start's two steps, and the one-call load.
    opened.engine()?;
    opened.reader()?;
    IndexContainer::from_bytes(bytes)
}

#[test]
fn a_forged_header_reaches_the_sections() {
    let (_, cache) = containers();
    let forged = common::forge(&common::sections(cache));
    assert_eq!(&forged, cache);
    load_all(&forged).unwrap();
}

#[test]
fn a_forged_header_reaches_a_split_entry() {
    let (_, entry) = apart();
    let forged = common::forge_flagged(&common::sections(entry), 3);
    assert_eq!(&forged, entry);
    let engine = Container::open(&forged).unwrap().engine().unwrap();
    let answer = engine.search("network", &Default::default());
    assert!(!answer.hits.is_empty() && answer.pieces_missing.is_empty());
}

/// `section` with `edits` (offset, byte; offsets wrap) and `cut` bytes
/// taken off its end.
fn damage(section: &mut Vec<u8>, edits: &[(usize, u8)], cut: usize) {
    for &(at, byte) in edits {
        let at = at % section.len();
        section[at] = byte;
    }
    let keep = section.len().saturating_sub(cut);
    section.truncate(keep);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A piece of a pack's texts with one bit flipped is refused, and the
    /// pack goes on answering without it.
    #[test]
    fn a_damaged_piece_never_attaches(which in any::<usize>(), bit in any::<usize>()) {
        let (travel, _) = containers();
        let (pack, mut pieces) = hc_engine::container::split(travel, 1, |_| "en.x".into()).unwrap();
        let engine = Container::open(&pack).unwrap().engine().unwrap();
        let n = which % pieces.len();
        let bit = bit % (pieces[n].len() * 8);
        pieces[n][bit / 8] ^= 1 << (bit % 8);
        prop_assert!(engine.attach_piece(n as u32, &pieces[n]).is_err(), "bit {} flipped and it attached", bit);
        // With every other piece, the engine answers, waiting for that
        // one at most (a hit's text, or a chunk of the index).
        for (i, piece) in pieces.iter().enumerate().filter(|(i, _)| *i != n) {
            engine.attach_piece(i as u32, piece).unwrap();
        }
        let answer = engine.search("network", &Default::default());
        prop_assert!(!answer.hits.is_empty() || answer.lacks_chunks());
        prop_assert!(answer.pieces_missing.iter().all(|&p| p == n as u32));
    }

    /// One bit flipped anywhere in a pack whose texts and postings travel
    /// in pieces, or in the cache entry holding them all: an error.
    #[test]
    fn any_bit_flip_of_a_split_pack_or_its_entry_is_an_error(bit in any::<usize>(), cache in any::<bool>()) {
        let (pack, entry) = apart();
        let mut bytes = if cache { entry.clone() } else { pack.clone() };
        let bit = bit % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
        let opened = Container::open(&bytes).and_then(|c| c.engine());
        prop_assert!(opened.is_err(), "bit {} flipped and it still loaded", bit);
    }

    /// One bit flipped anywhere, header included, in either packing.
    #[test]
    fn any_bit_flip_is_an_error(bit in any::<usize>(), cache in any::<bool>()) {
        let (travel, stored) = containers();
        let mut bytes = if cache { stored.clone() } else { travel.clone() };
        let bit = bit % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
        let got = load_all(&bytes);
        prop_assert!(got.is_err(), "bit {} flipped and the container still loaded", bit);
    }

    /// A few bytes overwritten: the checksums still catch it.
    #[test]
    fn overwritten_bytes_are_an_error(edits in proptest::collection::vec((any::<usize>(), 1u8..=255), 1..8)) {
        let (travel, _) = containers();
        let mut bytes = travel.clone();
        for (at, x) in edits {
            let at = at % bytes.len();
            bytes[at] ^= x;
        }
        prop_assert!(load_all(&bytes).is_err());
    }

    #[test]
    fn any_truncation_is_an_error(keep in any::<usize>(), cache in any::<bool>()) {
        let (travel, stored) = containers();
        let bytes = if cache { stored } else { travel };
        let keep = keep % bytes.len();
        prop_assert!(Container::open(&bytes[..keep]).is_err());
        prop_assert!(IndexContainer::from_bytes(&bytes[..keep]).is_err());
    }

    /// Arbitrary sections behind a valid header and checksums.
    #[test]
    fn forged_sections_never_panic(
        index in proptest::collection::vec(any::<u8>(), 0..256),
        documents in proptest::collection::vec(any::<u8>(), 0..256),
        html in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let _ = load_all(&common::forge(&[index, documents, html]));
    }

    /// The real sections with bytes changed, truncated or extended, behind
    /// valid checksums: this reaches tantivy's own decoders with the
    /// document table intact, and the table and text decoders with the
    /// index intact. Refused or loaded, never a panic.
    #[test]
    fn damaged_sections_with_valid_checksums_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in 0usize..64,
    ) {
        let (_, cache) = containers();
        let mut sections = common::sections(cache);
        damage(&mut sections[which], &edits, cut);
        let _ = load_all(&common::forge(&sections));
    }

    /// The same for the cache entry of a split pack's engine (the table of
    /// the postings' chunks and the chunks in its index section): refused,
    /// or loaded and searched, never a panic.
    #[test]
    fn damaged_sections_of_a_split_entry_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in 0usize..64,
    ) {
        let (_, entry) = apart();
        let mut sections = common::sections(entry);
        damage(&mut sections[which], &edits, cut);
        if let Ok(engine) = Container::open(&common::forge_flagged(&sections, 3)).and_then(|c| c.engine()) {
            let _ = engine.search("network settings", &Default::default());
        }
    }
}

#[test]
fn truncated_sections_are_corrupt() {
    let (_, cache) = containers();
    let whole = common::sections(cache);
    for which in [0, 1, 2] {
        let len = whole[which].len();
        for keep in [0, 1, 4, 5, len / 2, len - 1] {
            let mut sections = whole.clone();
            sections[which].truncate(keep);
            let got = load_all(&common::forge(&sections));
            assert!(
                matches!(got, Err(EngineError::CorruptPack(_))),
                "section {which}, {keep} bytes: {:?}",
                got.err()
            );
        }
    }
}

/// Found by the `container` fuzz target, inputs of its mode 1 when the
/// container had four sections (three section lengths, then the sections:
/// index, documents, bodies and html; read here without the bodies, which
/// format 7 dropped, behind a forged header): tantivy's
/// readers trust their files, and panicked on (1) a doc store file damaged
/// behind valid section CRCs (a slice out of range in its skip index) and
/// (2) a fast-field file, its own checksum intact, renamed to a term
/// dictionary (an overflow opening it as a composite file). Each tantivy
/// file's footer checksum and the file names (one segment, each component
/// once) are now checked before tantivy opens any.
#[test]
fn damaged_or_renamed_tantivy_files_behind_valid_section_crcs_are_refused() {
    for fixture in [
        "regression-store-skip-index.bin",
        "regression-renamed-file.bin",
    ] {
        let input = std::fs::read(common::fixture(fixture)).unwrap();
        let rest = &input[1..];
        let (lens, mut tail) = rest.split_at(12);
        let mut parts: [Vec<u8>; 4] = Default::default();
        for (i, part) in parts.iter_mut().take(3).enumerate() {
            let len = u32::from_le_bytes(lens[i * 4..i * 4 + 4].try_into().unwrap()) as usize;
            let (head, t) = tail.split_at(len.min(tail.len()));
            *part = head.to_vec();
            tail = t;
        }
        parts[3] = tail.to_vec();
        let [index, documents, _bodies, html] = parts;
        let sections = [index, documents, html];
        let got = load_all(&common::forge(&sections));
        assert!(
            matches!(got, Err(EngineError::CorruptPack(_))),
            "{fixture}: {:?}",
            got.err()
        );
    }
}

/// The index section with its files passed through `edit` (name, bytes;
/// `None` drops the file).
fn edit_index_files(index: &[u8], edit: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let u32_at = |at: usize| u32::from_le_bytes(index[at..at + 4].try_into().unwrap()) as usize;
    let lang_end = 4 + u32_at(0);
    let count = u32_at(lang_end);
    let mut at = lang_end + 4;
    let mut files = Vec::new();
    for _ in 0..count {
        let name = String::from_utf8(index[at + 4..at + 4 + u32_at(at)].to_vec()).unwrap();
        at += 4 + name.len();
        let data = index[at + 4..at + 4 + u32_at(at)].to_vec();
        at += 4 + data.len();
        if let Some(data) = edit(&name, &data) {
            files.push((name, data));
        }
    }
    let mut out = index[..lang_end].to_vec();
    out.extend_from_slice(&(files.len() as u32).to_le_bytes());
    for (name, data) in files {
        for part in [name.as_bytes(), &data] {
            out.extend_from_slice(&(part.len() as u32).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out.extend_from_slice(&index[at..]);
    out
}

/// The engine knows its schema and takes its segment from the files'
/// names and the documents' count: a container's `meta.json` is carried,
/// never read (tantivy's decoder of it stays out of the worker), so
/// garbage there changes nothing and comes back as it was, while the
/// segment's files are needed, and so is a `meta.json`.
#[test]
fn meta_json_is_carried_not_read_and_the_segment_files_are_needed() {
    let (_, cache) = containers();
    let [index, documents, html] = common::sections(cache);
    let hits = |c: &IndexContainer| -> Vec<i64> {
        let results = c
            .engine
            .search("keyboard shortcuts", &hc_engine::SearchOptions::default());
        results.hits.iter().map(|h| h.id).collect()
    };
    let original = hits(&IndexContainer::from_bytes(cache).unwrap());
    assert!(!original.is_empty());

    let garbage = edit_index_files(&index, |name, data| {
        Some(if name == "meta.json" {
            b"{ not json".to_vec()
        } else {
            data.to_vec()
        })
    });
    let forged = common::forge(&[garbage, documents.clone(), html.clone()]);
    let loaded = load_all(&forged).unwrap();
    assert_eq!(hits(&loaded), original);
    assert!(
        loaded.to_bytes(hc_engine::Packing::Cache).unwrap() == forged,
        "encoded again, the container differs"
    );

    for (why, drop) in [
        (
            "no segment files",
            ".idx|.term|.fieldnorm|.store|.fast|.pos",
        ),
        ("no field lengths", ".fieldnorm"),
        ("no meta.json", "meta.json"),
    ] {
        let kept = edit_index_files(&index, |name, data| {
            (!drop.split('|').any(|ext| name.ends_with(ext))).then(|| data.to_vec())
        });
        let got = load_all(&common::forge(&[kept, documents.clone(), html.clone()]));
        assert!(got.is_err(), "{why}: loaded");
    }
}
