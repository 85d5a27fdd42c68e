//! A pack inflated as its bytes arrive (`container::PackStream`) opens as
//! the whole bytes do: the same engine (its cache entry, byte for byte)
//! whatever the chunks, and damage is refused where the whole bytes'
//! decoder refuses it.

mod common;

use hc_engine::container::{self, split, PackStream};
use hc_engine::{Container, Engine, EngineError, Packing, ReaderDocs};
use proptest::prelude::*;

/// The cache entry an engine writes: every byte it would keep.
fn entry(engine: &Engine) -> Vec<u8> {
    container::encode(engine, &ReaderDocs::of(engine), Packing::Cache).unwrap()
}

fn whole(bytes: &[u8]) -> Result<Engine, EngineError> {
    Container::open(bytes)?.served_engine()
}

fn streamed(bytes: &[u8], chunk: usize) -> Result<Engine, EngineError> {
    let mut stream = PackStream::new();
    for piece in bytes.chunks(chunk.max(1)) {
        stream.push(piece)?;
    }
    stream.finish()?.served_engine()
}

/// Debian Reference's pack of `lang` as a site serves it, and the cache
/// entry of its engine (a stored container).
fn pack_and_entry(lang: &str) -> (Vec<u8>, Vec<u8>) {
    let travel = common::container("debian-reference.json", lang)
        .to_bytes(Packing::Travel)
        .unwrap();
    let (pack, _) = split(&travel, 8 * 1024, |_| "p".into()).unwrap();
    let cache = entry(&whole(&pack).unwrap());
    (pack, cache)
}

#[test]
fn any_chunking_opens_the_engine_the_whole_bytes_open() {
    for lang in ["en", "ja", "de"] {
        let (pack, cache) = pack_and_entry(lang);
        for bytes in [&pack, &cache] {
            let expected = entry(&whole(bytes).unwrap());
            for chunk in [1, 7, 48, 61, 4096, 65536, bytes.len()] {
                let engine = streamed(bytes, chunk).unwrap();
                assert!(
                    entry(&engine) == expected,
                    "{lang}: {} B in chunks of {chunk}",
                    bytes.len()
                );
            }
        }
    }
}

#[test]
fn a_container_of_whole_texts_is_refused_by_its_header() {
    let travel = common::container("mini-corpus.json", "en")
        .to_bytes(Packing::Travel)
        .unwrap();
    assert!(matches!(whole(&travel), Err(EngineError::WholeTexts)));
    let mut stream = PackStream::new();
    assert!(matches!(
        stream.push(&travel[..64]),
        Err(EngineError::WholeTexts)
    ));
}

#[test]
fn cut_short_and_trailing_bytes_are_refused() {
    let (pack, _) = pack_and_entry("en");
    for cut in [0, 3, 47, 48, 49, pack.len() / 2, pack.len() - 1] {
        assert!(
            matches!(
                streamed(&pack[..cut], 4096),
                Err(EngineError::CorruptPack(_) | EngineError::NotAPack)
            ),
            "cut at {cut}"
        );
    }
    let longer = [&pack[..], b"x"].concat();
    assert!(matches!(
        streamed(&longer, 4096),
        Err(EngineError::CorruptPack(_))
    ));

    // A refused chunk refuses the rest, even bytes that would fit.
    let mut damaged = pack.clone();
    damaged[100] ^= 1;
    let mut stream = PackStream::new();
    let refused = damaged.chunks(4096).position(|c| stream.push(c).is_err());
    let at = refused.expect("the damage is refused");
    let rest = pack.get((at + 1) * 4096..).unwrap_or_default();
    let said = |r: Result<(), EngineError>| r.unwrap_err().to_string();
    assert!(said(stream.push(rest)).contains("earlier"));
    assert!(said(stream.finish().map(|_| ())).contains("earlier"));
}

fn packs() -> &'static (Vec<u8>, Vec<u8>) {
    static PACKS: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
    PACKS.get_or_init(|| pack_and_entry("en"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A byte changed anywhere (header, sections, their CRCs): the stream
    /// opens an engine exactly when the whole bytes do, the same one.
    #[test]
    fn damage_is_refused_as_the_whole_bytes_refuse_it(
        cache in any::<bool>(),
        at in any::<prop::sample::Index>(),
        xor in 1u8..,
        chunk in 1usize..70_000,
    ) {
        let (pack, entry_bytes) = packs();
        let mut bytes = if cache { entry_bytes.clone() } else { pack.clone() };
        let at = at.index(bytes.len());
        bytes[at] ^= xor;
        match (whole(&bytes), streamed(&bytes, chunk)) {
            (Ok(a), Ok(b)) => prop_assert!(entry(&a) == entry(&b)),
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "byte {at} ^ {xor}: whole {:?}, streamed {:?}", a.err(), b.err()),
        }
    }
}
