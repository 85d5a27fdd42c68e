//! The pack: a whole built index as one self-describing byte blob, so a
//! worker can cache it (IndexedDB) or a static site can ship it prebuilt.
//!
//! Layout (little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 0..4 | magic `HCSP` |
//! | 4..6 | format version ([`PACK_FORMAT_VERSION`]) |
//! | 6 | flags: bit 0 set = the body is the payload itself, not deflated ([`PackCompression::Stored`]); other bits 0 |
//! | 7 | reserved, 0 |
//! | 8..16 | length of the body |
//! | 16..20 | CRC-32 of the body |
//! | 20.. | body: DEFLATE of the payload, or the payload (flag bit 0) |
//!
//! Payload: language code; the tantivy index files (name, bytes); the
//! document table without body texts (only their length and CRC-32, see
//! [`crate::docs`]): loading takes the articles the pack was built from
//! and re-extracts the texts, and a pack that does not match them is
//! [`EngineError::SnapshotMismatch`]. The checksum is verified before anything is
//! decompressed, decompression is capped, and every length is
//! bounds-checked, so damaged input is an [`EngineError`], never a panic.
//! Nothing in the format depends on the platform: a pack built natively
//! loads in wasm.

use std::collections::HashMap;
use std::path::Path;

use hc_core::PublicArticle;

use tantivy::directory::RamDirectory;
use tantivy::index::SegmentComponent;
use tantivy::{Directory, Index};

use crate::analysis::Analysis;
use crate::build::body_text;
use crate::codec::{Reader, Writer};
use crate::docs::{self, BodyPrint};
use crate::engine::Engine;
use crate::error::{EngineError, Result};

pub const PACK_MAGIC: [u8; 4] = *b"HCSP";
/// Bumped whenever the payload, the schema or the analysis changes.
pub const PACK_FORMAT_VERSION: u16 = 3;
const HEADER: usize = 20;
/// Largest payload a pack may inflate to.
const MAX_PAYLOAD: usize = 1 << 30;
const LEVEL: u8 = 7;
const FLAG_STORED: u8 = 1;

/// How a pack's body is stored.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PackCompression {
    /// DEFLATE: about half the size, for packs that travel (static sites).
    Deflate,
    /// The payload as it is: for a local cache, where loading without
    /// inflating matters more than the bytes (a warm start in cold wasm
    /// code spends milliseconds in the inflater).
    Stored,
}

impl Engine {
    /// Serialises the whole index (and what results need) into a deflated
    /// pack.
    pub fn to_pack(&self) -> Result<Vec<u8>> {
        self.to_pack_with(PackCompression::Deflate)
    }

    /// Serialises the whole index (and what results need) into a pack whose
    /// body is stored as `compression` says; [`Engine::from_pack`] reads both.
    pub fn to_pack_with(&self, compression: PackCompression) -> Result<Vec<u8>> {
        let dir = self.index.directory();
        let mut files: Vec<String> = self
            .index
            .searchable_segment_metas()?
            .iter()
            .flat_map(|m| {
                use SegmentComponent::*;
                [
                    Postings, Positions, FastFields, FieldNorms, Terms, Store, Delete,
                ]
                .map(|c| m.relative_path(c))
            })
            .filter_map(|p| p.to_str().map(str::to_string))
            .filter(|p| dir.exists(Path::new(p)).unwrap_or(false))
            .collect();
        files.push("meta.json".into());
        files.sort();
        files.dedup();
        let mut w = Writer::default();
        w.str(self.lang());
        w.u32(files.len() as u32);
        for f in &files {
            let data = dir
                .atomic_read(Path::new(f))
                .map_err(|e| EngineError::Storage(e.to_string()))?;
            w.str(f);
            w.bytes(&data);
        }
        docs::encode(&self.docs, &mut w);
        let (body, flags) = match compression {
            PackCompression::Deflate => (miniz_oxide::deflate::compress_to_vec(&w.buf, LEVEL), 0),
            PackCompression::Stored => (w.buf, FLAG_STORED),
        };
        let mut out = Vec::with_capacity(HEADER + body.len());
        out.extend_from_slice(&PACK_MAGIC);
        out.extend_from_slice(&PACK_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&[flags, 0]);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Loads a pack written by [`Engine::to_pack`] (on any platform), with
    /// the snapshot's articles it was built from (for the snippet texts).
    pub fn from_pack(bytes: &[u8], articles: &[PublicArticle]) -> Result<Engine> {
        let by_id: HashMap<i64, &PublicArticle> = articles.iter().map(|a| (a.id, a)).collect();
        Self::from_pack_by(bytes, |id, lang| {
            by_id.get(&id).and_then(|a| body_text(a, lang))
        })
    }

    /// The documents' plain body texts, as [`Engine::from_pack_with_bodies`]
    /// takes them back.
    pub fn bodies(&self) -> Vec<(i64, String)> {
        self.docs.iter().map(|d| (d.id, d.body.clone())).collect()
    }

    /// As [`Engine::from_pack`], with the body texts kept from
    /// [`Engine::bodies`] instead of extracted again from the articles'
    /// HTML, which is most of a pack load (a cache can store both). Each text
    /// is still checked against the pack's fingerprint of it.
    pub fn from_pack_with_bodies(bytes: &[u8], bodies: Vec<(i64, String)>) -> Result<Engine> {
        let mut by_id: HashMap<i64, String> = bodies.into_iter().collect();
        Self::from_pack_by(bytes, |id, _| by_id.remove(&id))
    }

    fn from_pack_by(
        bytes: &[u8],
        mut body_of: impl FnMut(i64, &str) -> Option<String>,
    ) -> Result<Engine> {
        if bytes.len() < 4 || bytes[..4] != PACK_MAGIC {
            return Err(EngineError::NotAPack);
        }
        if bytes.len() < HEADER {
            return Err(EngineError::CorruptPack("truncated header".into()));
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version != PACK_FORMAT_VERSION {
            return Err(EngineError::UnsupportedVersion {
                found: version,
                expected: PACK_FORMAT_VERSION,
            });
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[8..16]);
        let len = u64::from_le_bytes(len);
        let body = &bytes[HEADER..];
        if body.len() as u64 != len {
            return Err(EngineError::CorruptPack(format!(
                "body is {} bytes, header says {len}",
                body.len()
            )));
        }
        let expected = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let actual = crc32fast::hash(body);
        if expected != actual {
            return Err(EngineError::ChecksumMismatch { expected, actual });
        }
        let inflated;
        let payload = match (bytes[6], bytes[7]) {
            (0, 0) => {
                inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_PAYLOAD)
                    .map_err(|e| EngineError::CorruptPack(format!("cannot decompress: {e:?}")))?;
                &inflated[..]
            }
            (FLAG_STORED, 0) => body,
            (flags, reserved) => {
                return Err(EngineError::CorruptPack(format!(
                    "unknown header flags {flags:#04x} {reserved:#04x}"
                )))
            }
        };
        let mut r = Reader::new(payload);
        let lang = r.str("language")?;
        let dir = RamDirectory::create();
        let n = r.count(8, "file count")?;
        for _ in 0..n {
            let name = r.str("file name")?;
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(EngineError::CorruptPack(format!("bad file name {name:?}")));
            }
            let data = r.bytes("file data")?;
            dir.atomic_write(Path::new(&name), data)
                .map_err(|e| EngineError::Storage(e.to_string()))?;
        }
        let entries = docs::decode(&mut r)?;
        if !r.is_empty() {
            return Err(EngineError::CorruptPack("trailing bytes".into()));
        }
        let mut docs = Vec::with_capacity(entries.len());
        for (mut d, print) in entries {
            let body = body_of(d.id, &lang);
            match body {
                Some(body) if BodyPrint::of(&body) == print => d.body = body,
                _ => return Err(EngineError::SnapshotMismatch { id: d.id }),
            }
            docs.push(d);
        }
        let index = Index::open(dir)?;
        Engine::assemble(Analysis::new(&lang), index, docs)
    }
}
