//! A prebuilt pack for static sites: the engine's pack and the reader
//! documents of one language in one file, written by `hcs build-static` and
//! loaded by the worker instead of fetching the whole snapshot and building
//! the index in the visitor's browser. The reader documents travel with the
//! pack because [`Engine::from_pack`] keeps the index, not the texts.
//!
//! Layout: `HCSP` | length of the engine pack (u32, little endian) |
//! CRC-32 of the reader section (u32, little endian) | engine pack (it
//! carries its own magic, version and CRC) | reader section: the reader
//! documents as deflated JSON (the engine already carries the deflate
//! code; static hosts rarely compress an unknown file type). Raw DEFLATE
//! has no checksum of its own, and the engine checks the texts it indexed
//! but not the titles or HTML a reader shows, so without the CRC a
//! damaged reader section could load as other documents.

use hc_core::{LangCode, Snapshot};
use hc_engine::Engine;

use crate::reader::ReaderDocs;

const MAGIC: &[u8; 4] = b"HCSP";
const HEADER: usize = 12;
/// Bumped whenever the layout above changes; part of [`engine_id`], so a
/// worker never fetches a static pack of another layout.
const LAYOUT: u32 = 2;
/// Largest reader section a pack may inflate to.
const MAX_READER: usize = 1 << 30;

/// The engine that builds and reads packs; a pack from another is refused
/// (by the cache key and by `packs.json`), never misread.
pub fn engine_id() -> String {
    format!(
        "hc-engine-{}/pack-{}/static-{LAYOUT}",
        env!("CARGO_PKG_VERSION"),
        hc_engine::PACK_FORMAT_VERSION
    )
}

#[derive(Debug, thiserror::Error)]
pub enum StaticPackError {
    #[error("not an hc-search static pack")]
    NotAPack,
    #[error("the static pack is truncated")]
    Truncated,
    #[error("the static pack is corrupted: the reader documents' checksum does not match")]
    ChecksumMismatch,
    #[error("the static pack's reader documents cannot be decompressed")]
    Inflate,
    #[error("the static pack's reader documents are unreadable: {0}")]
    Reader(#[from] serde_json::Error),
    #[error("the static pack's index is unreadable: {0}")]
    Engine(#[from] hc_engine::EngineError),
}

/// Builds the index and reader documents of `lang` from a public snapshot
/// and encodes them as one static pack.
pub fn build(snapshot: &Snapshot, lang: &LangCode) -> Result<Vec<u8>, StaticPackError> {
    let engine = Engine::from_snapshot(snapshot, lang.as_str())?;
    let reader = ReaderDocs::from_snapshot(snapshot, lang);
    encode(&engine.to_pack()?, &reader)
}

pub fn encode(pack: &[u8], reader: &ReaderDocs) -> Result<Vec<u8>, StaticPackError> {
    let reader = miniz_oxide::deflate::compress_to_vec(&serde_json::to_vec(reader)?, 8);
    let len = u32::try_from(pack.len()).map_err(|_| StaticPackError::Truncated)?;
    let mut out = Vec::with_capacity(HEADER + pack.len() + reader.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&reader).to_le_bytes());
    out.extend_from_slice(pack);
    out.extend_from_slice(&reader);
    Ok(out)
}

/// Splits a static pack into the engine pack and the reader documents.
pub fn decode(bytes: &[u8]) -> Result<(&[u8], ReaderDocs), StaticPackError> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(StaticPackError::NotAPack);
    }
    let len = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes")) as usize;
    let end = HEADER
        .checked_add(len)
        .filter(|end| *end <= bytes.len())
        .ok_or(StaticPackError::Truncated)?;
    let crc = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if crc32fast::hash(&bytes[end..]) != crc {
        return Err(StaticPackError::ChecksumMismatch);
    }
    let reader = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes[end..], MAX_READER)
        .map_err(|_| StaticPackError::Inflate)?;
    Ok((&bytes[HEADER..end], serde_json::from_slice(&reader)?))
}

/// A loaded static pack: the ready engine, its reader documents, and the
/// engine pack's bytes (what a cache keeps).
pub struct Unpacked<'a> {
    pub engine: Engine,
    pub reader: ReaderDocs,
    pub pack: &'a [u8],
}

/// Decodes a static pack into a ready engine and its reader documents.
pub fn load<'a>(bytes: &'a [u8], lang: &LangCode) -> Result<Unpacked<'a>, StaticPackError> {
    let (pack, reader) = decode(bytes)?;
    let engine = Engine::from_pack(pack, &reader.to_articles(lang))?;
    Ok(Unpacked {
        engine,
        reader,
        pack,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hc_engine::SearchOptions;

    fn snapshot() -> Snapshot {
        let text = include_str!("../../sim/tests/fixtures/tiny.json");
        let data: hc_core::HelpCenterData = serde_json::from_str(text).unwrap();
        Snapshot::from_data(data, str::to_owned)
    }

    #[test]
    fn a_static_pack_answers_like_the_index_it_was_built_from() {
        let snapshot = snapshot();
        for lang in snapshot.site.enabled() {
            let bytes = build(&snapshot, &lang).unwrap();
            let Unpacked { engine, reader, .. } = load(&bytes, &lang).unwrap();
            let original = Engine::from_snapshot(&snapshot, lang.as_str()).unwrap();
            assert_eq!(reader, ReaderDocs::from_snapshot(&snapshot, &lang));
            assert_eq!(engine.len(), original.len(), "{lang}");
            for doc in &reader.docs {
                let opts = SearchOptions::default();
                assert_eq!(
                    engine.search(&doc.title, &opts),
                    original.search(&doc.title, &opts)
                );
            }
        }
    }

    /// Every bit of the reader section flipped in turn: raw DEFLATE often
    /// inflates a flipped bit into other valid JSON (a fuzzer found one in
    /// a title), so only the checksum makes each one an error.
    #[test]
    fn every_flipped_bit_of_the_reader_section_is_refused() {
        let snapshot = snapshot();
        let lang = snapshot.site.default_language.clone();
        let bytes = build(&snapshot, &lang).unwrap();
        let pack_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        let reader_start = HEADER + pack_len;
        let mut misread = Vec::new();
        for bit in reader_start * 8..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            if decode(&flipped).is_ok() {
                misread.push(bit);
            }
        }
        assert_eq!(misread, Vec::<usize>::new(), "these flipped bits decoded");
    }

    #[test]
    fn damaged_packs_are_refused_not_misread() {
        let snapshot = snapshot();
        let lang = snapshot.site.default_language.clone();
        let bytes = build(&snapshot, &lang).unwrap();
        assert!(matches!(decode(b"HCS"), Err(StaticPackError::NotAPack)));
        assert!(matches!(
            decode(b"PK\x03\x04 and more"),
            Err(StaticPackError::NotAPack)
        ));
        assert!(matches!(
            decode(&bytes[..100]),
            Err(StaticPackError::Truncated)
        ));
        let mut flipped = bytes.clone();
        flipped[HEADER + 40] ^= 0xff;
        assert!(load(&flipped, &lang).is_err());
        let mut cut_reader = bytes.clone();
        cut_reader.truncate(bytes.len() - 3);
        assert!(matches!(
            decode(&cut_reader),
            Err(StaticPackError::ChecksumMismatch)
        ));
    }
}
