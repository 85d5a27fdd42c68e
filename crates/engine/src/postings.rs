//! The postings file of a pack's index when it travels in *chunks* apart
//! from the pack, each fetched when a search first reads it.
//!
//! Why: the postings are most of an index's bytes (at 10,000 synthetic
//! articles 2.0 of the pack's 2.8 MB; at 50,000, 9.9 of 12.9 MB), and a
//! keystroke reads the postings of a few terms only: the terms a prefix
//! completes to lie side by side, since tantivy writes postings in term
//! order. In chunks of [`POSTINGS_CHUNK`] raw bytes a first keystroke read
//! about 18 KB of the 2.0 MB at 10k and a query typed to its end 78 KB
//! (engine README, "Postings in chunks"). Pagefind fetches its index in
//! chunks the same way.
//!
//! tantivy reads the file through [`FileHandle`]: [`ApartPostings`] answers
//! a read from the chunks here, and a read of a chunk that has not arrived
//! with an [`io::Error`] carrying [`Missing`], which the search reports
//! (`SearchResults::pieces_missing`) instead of answering without those
//! terms. What tantivy reads when the index opens (the file's footers and
//! each field's token count, a few dozen bytes) travels in the pack as
//! *resident* spans. A chunk's file is checked against the pack's table
//! (length and CRC of its stored bytes) before it is inflated and taken.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::directory::{FileHandle, OwnedBytes};
use tantivy::HasLen;

use crate::codec::{Reader, Writer};
use crate::error::{EngineError, Result};

/// Raw bytes of the postings file per chunk (the last may be shorter).
/// Measured over the growth benchmark's queries typed key by key (engine
/// README, "Postings in chunks"): at 10,000 articles a query typed to its
/// end read 78 KB in 8 KiB chunks, 109 KB in 16 KiB, 166 KB in 32 KiB;
/// the chunks deflate within 1% of the whole file.
pub(crate) const POSTINGS_CHUNK: usize = 8 * 1024;

/// A chunk's identity in the pack's table: what its file must match.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ChunkKey {
    /// Length and CRC of the chunk file's (stored, deflated) bytes.
    pub len: u32,
    pub crc: u32,
}

/// A read of chunks that have not arrived: the chunks it needs, the
/// payload of the [`io::Error`] tantivy passes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Missing(pub Vec<u32>);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "postings chunks {:?} have not arrived", self.0)
    }
}

impl std::error::Error for Missing {}

impl Missing {
    /// The chunks an error of a postings read waits for, if that is why
    /// it failed.
    pub fn of(e: &io::Error) -> Option<&Missing> {
        e.get_ref()?.downcast_ref::<Missing>()
    }
}

/// The postings file, its chunks arriving one by one. Cloning shares it,
/// chunks that arrive later included.
#[derive(Clone)]
pub(crate) struct ApartPostings(Arc<Inner>);

struct Inner {
    /// The file's name in the index (`<segment>.idx`).
    name: String,
    /// The chunk files' name stem (of their content: the pieces of text
    /// keep theirs when only the postings change).
    stem: String,
    len: usize,
    keys: Vec<ChunkKey>,
    /// Spans read when the index opens, carried by the pack: sorted,
    /// disjoint, (offset, bytes).
    resident: Vec<(usize, OwnedBytes)>,
    /// Each chunk's raw bytes, once here.
    chunks: Vec<OnceLock<OwnedBytes>>,
    /// How many of `chunks` are not here yet: [`ApartPostings::complete`]
    /// is asked after every message the worker handles, so it counts
    /// rather than walks every chunk.
    missing: AtomicUsize,
    /// Every range read, when recording (see [`ApartPostings::recording`]).
    log: Option<Mutex<Vec<Range<usize>>>>,
}

/// The raw range of chunk `i` of a postings file of `len` bytes.
fn chunk_range(i: usize, len: usize) -> Range<usize> {
    i * POSTINGS_CHUNK..((i + 1) * POSTINGS_CHUNK).min(len)
}

fn bad(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("postings chunks: {what}"))
}

impl ApartPostings {
    /// The postings file `name` of `len` bytes in chunks of `keys`, with
    /// its `resident` spans and the chunks of `present` already here;
    /// `recording`: every range read is logged.
    fn new(
        name: String,
        stem: String,
        len: usize,
        keys: Vec<ChunkKey>,
        resident: Vec<(usize, OwnedBytes)>,
        present: Vec<Option<OwnedBytes>>,
        recording: bool,
    ) -> ApartPostings {
        let missing = AtomicUsize::new(present.iter().filter(|c| c.is_none()).count());
        ApartPostings(Arc::new(Inner {
            name,
            stem,
            len,
            keys,
            resident,
            missing,
            chunks: present
                .into_iter()
                .map(|c| c.map_or_else(OnceLock::new, OnceLock::from))
                .collect(),
            log: recording.then(Mutex::default),
        }))
    }

    /// The whole file as chunks all here, recording every range read: a
    /// publisher opens the index over it to learn the resident spans.
    pub(crate) fn recording(name: &str, whole: &OwnedBytes) -> ApartPostings {
        let n = whole.len().div_ceil(POSTINGS_CHUNK);
        let chunks = (0..n)
            .map(|i| Some(whole.slice(chunk_range(i, whole.len()))))
            .collect();
        let keys = vec![ChunkKey { len: 0, crc: 0 }; n];
        let name = name.to_string();
        ApartPostings::new(
            name,
            String::new(),
            whole.len(),
            keys,
            Vec::new(),
            chunks,
            true,
        )
    }

    /// The ranges read so far by a recording file, merged: the spans a
    /// pack carries.
    pub(crate) fn spans_read(&self) -> Vec<Range<usize>> {
        let mut read = self
            .0
            .log
            .as_ref()
            .map(|l| l.lock().map(|l| l.clone()).unwrap_or_default())
            .unwrap_or_default();
        read.sort_by_key(|r| r.start);
        let mut spans: Vec<Range<usize>> = Vec::new();
        for r in read.into_iter().filter(|r| !r.is_empty()) {
            match spans.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => spans.push(r),
            }
        }
        spans
    }

    /// The file's name in the index.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The chunk files' name stem.
    pub fn stem(&self) -> &str {
        &self.0.stem
    }

    /// Number of chunks.
    pub fn chunks(&self) -> u32 {
        self.0.keys.len() as u32
    }

    /// Takes chunk `n` from its deflated bytes (a chunk file's, already
    /// matched against its key by the caller); an error, leaving the file
    /// as it was, if they do not inflate to the chunk's length. A chunk
    /// already here is kept.
    pub(crate) fn attach(&self, n: u32, deflated: &[u8]) -> Result<()> {
        let i = n as usize;
        let Some(slot) = self.0.chunks.get(i) else {
            return Err(EngineError::BodiesMismatch(format!(
                "no postings chunk {n} here"
            )));
        };
        if slot.get().is_some() {
            return Ok(());
        }
        let raw = crate::container::inflate_exact(deflated, chunk_range(i, self.0.len).len())
            .map_err(|e| EngineError::BodiesMismatch(format!("postings chunk {n} {e}")))?;
        if slot.set(OwnedBytes::new(raw)).is_ok() {
            self.0.missing.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The chunk files in a bundle (see [`ApartPostings::split`]), each
    /// with its chunk's number, cut where each chunk's key says its file
    /// ends (a chunk file is a container header and the chunk); an error
    /// if the bundle is not that long.
    pub(crate) fn bundle<'a>(&self, bytes: &'a [u8]) -> Result<Vec<(u32, &'a [u8])>> {
        let mut files = Vec::with_capacity(self.0.keys.len());
        let mut rest = bytes;
        for (n, key) in (0u32..).zip(&self.0.keys) {
            let len = crate::container::CHUNK_FILE_OVERHEAD + key.len as usize;
            if rest.len() < len {
                return Err(EngineError::BodiesMismatch(
                    "a postings bundle cut short".into(),
                ));
            }
            let (file, after) = rest.split_at(len);
            files.push((n, file));
            rest = after;
        }
        if !rest.is_empty() {
            return Err(EngineError::BodiesMismatch(
                "a postings bundle with bytes after its last chunk".into(),
            ));
        }
        Ok(files)
    }

    /// Whether every chunk is here.
    pub fn complete(&self) -> bool {
        self.0.missing.load(Ordering::Relaxed) == 0
    }

    /// The key of chunk `n`.
    pub(crate) fn key(&self, n: u32) -> Option<ChunkKey> {
        self.0.keys.get(n as usize).copied()
    }

    /// Whether chunk `n` is here.
    pub fn has(&self, n: u32) -> bool {
        self.0
            .chunks
            .get(n as usize)
            .is_some_and(|c| c.get().is_some())
    }

    /// Appends the table (see the index section in `crate::container`):
    /// with `stored`, the chunks here follow it raw (a cache entry's),
    /// else none do (a pack's).
    pub(crate) fn encode_table(&self, w: &mut Writer, stored: bool) -> Vec<OwnedBytes> {
        w.str(&self.0.name);
        w.str(&self.0.stem);
        w.u32(self.0.len as u32);
        w.u32(self.0.keys.len() as u32);
        let mut data = Vec::new();
        for (key, chunk) in self.0.keys.iter().zip(&self.0.chunks) {
            w.u32(key.len);
            w.u32(key.crc);
            match (stored, chunk.get()) {
                (true, Some(bytes)) => {
                    w.u32(bytes.len() as u32);
                    data.push(bytes.clone());
                }
                _ => w.u32(0),
            }
        }
        w.u32(self.0.resident.len() as u32);
        for (at, bytes) in &self.0.resident {
            w.u32(*at as u32);
            w.bytes(bytes.as_slice());
        }
        data
    }

    /// Decodes a table (as [`ApartPostings::encode_table`] writes it) from
    /// `r`, the chunks stored after it shared from `owner` when it holds
    /// `r`'s bytes.
    pub(crate) fn decode_table(r: &mut Reader<'_>, owner: &OwnedBytes) -> Result<ApartPostings> {
        let name = r.str("postings file name")?;
        let stem = r.str("postings stem")?;
        if !crate::bodies::is_stem(&stem) {
            return Err(bad("a stem that is not a file name"));
        }
        let len = r.u32("postings length")? as usize;
        let n = r.count(12, "postings chunk count")?;
        if n != len.div_ceil(POSTINGS_CHUNK) {
            return Err(bad("a chunk count that does not fit the length"));
        }
        let mut keys = Vec::with_capacity(n);
        let mut stored = Vec::with_capacity(n);
        for i in 0..n {
            keys.push(ChunkKey {
                len: r.u32("postings chunk")?,
                crc: r.u32("postings chunk")?,
            });
            let s = r.u32("postings chunk")? as usize;
            if s != 0 && s != chunk_range(i, len).len() {
                return Err(bad("a stored chunk of another length"));
            }
            stored.push(s);
        }
        let spans = r.count(8, "resident span count")?;
        let mut resident: Vec<(usize, OwnedBytes)> = Vec::with_capacity(spans);
        for _ in 0..spans {
            let at = r.u32("resident span")? as usize;
            let bytes = r.bytes("resident span")?;
            let after = resident.last().map_or(0, |(a, b)| a + b.len());
            if at < after || at.checked_add(bytes.len()).is_none_or(|end| end > len) {
                return Err(bad("resident spans out of order or past the end"));
            }
            resident.push((at, crate::container::shared_part(owner, bytes)));
        }
        let mut present = Vec::with_capacity(n);
        for s in stored {
            present.push(match s {
                0 => None,
                s => Some(crate::container::shared_part(
                    owner,
                    r.take_bytes(s, "stored chunk")?,
                )),
            });
        }
        Ok(ApartPostings::new(
            name, stem, len, keys, resident, present, false,
        ))
    }

    /// The postings file `whole` as chunks for the pack's table: each
    /// chunk deflated by `deflate`, made a file by `file`, the files named
    /// from `stem` given them all, and the `resident` spans copied out.
    /// The files are the chunks' and, last, the bundle's (every chunk's
    /// file, one after the other: [`ApartPostings::bundle`]).
    pub(crate) fn split(
        name: &str,
        whole: &OwnedBytes,
        resident: &[Range<usize>],
        deflate: impl Fn(&[u8]) -> Vec<u8>,
        file: impl Fn(&[u8]) -> Result<Vec<u8>>,
        stem: impl FnOnce(&[Vec<u8>]) -> String,
    ) -> Result<(ApartPostings, Vec<Vec<u8>>)> {
        let n = whole.len().div_ceil(POSTINGS_CHUNK);
        let mut keys = Vec::with_capacity(n);
        let mut files = Vec::with_capacity(n);
        for i in 0..n {
            let deflated = deflate(&whole.as_slice()[chunk_range(i, whole.len())]);
            keys.push(ChunkKey {
                len: deflated.len() as u32,
                crc: crc32fast::hash(&deflated),
            });
            files.push(file(&deflated)?);
        }
        let resident = resident
            .iter()
            .map(|r| {
                (
                    r.start,
                    OwnedBytes::new(whole.as_slice()[r.clone()].to_vec()),
                )
            })
            .collect();
        let none = vec![None; n];
        let stem = stem(&files);
        let bundle = files.concat();
        files.push(bundle);
        let name = name.to_string();
        let postings = ApartPostings::new(name, stem, whole.len(), keys, resident, none, false);
        Ok((postings, files))
    }

    fn read(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.0.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "read past the postings file",
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        let resident = self
            .0
            .resident
            .partition_point(|(at, _)| *at <= range.start);
        if let Some((at, bytes)) = resident.checked_sub(1).map(|i| &self.0.resident[i]) {
            if range.end <= at + bytes.len() {
                return Ok(bytes.slice(range.start - at..range.end - at));
            }
        }
        let (first, last) = (
            range.start / POSTINGS_CHUNK,
            (range.end - 1) / POSTINGS_CHUNK,
        );
        let missing: Vec<u32> = (first..=last)
            .filter(|&i| self.0.chunks[i].get().is_none())
            .map(|i| i as u32)
            .collect();
        if !missing.is_empty() {
            return Err(io::Error::other(Missing(missing)));
        }
        // The part of chunk `i` the read covers, within the chunk.
        let within = |i: usize| {
            let c = chunk_range(i, self.0.len);
            range.start.max(c.start) - c.start..range.end.min(c.end) - c.start
        };
        if first == last {
            return Ok(self.0.chunks[first]
                .get()
                .expect("checked")
                .slice(within(first)));
        }
        // A term's postings across a chunk boundary: joined.
        let mut joined = Vec::with_capacity(range.len());
        for i in first..=last {
            joined
                .extend_from_slice(&self.0.chunks[i].get().expect("checked").as_slice()[within(i)]);
        }
        Ok(OwnedBytes::new(joined))
    }
}

impl HasLen for ApartPostings {
    fn len(&self) -> usize {
        self.0.len
    }
}

impl FileHandle for ApartPostings {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if let Some(log) = &self.0.log {
            if let Ok(mut log) = log.lock() {
                log.push(range.clone());
            }
        }
        self.read(range)
    }
}

impl std::fmt::Debug for ApartPostings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApartPostings")
            .field("name", &self.0.name)
            .field("len", &self.0.len)
            .field("chunks", &self.0.keys.len())
            .field(
                "here",
                &self.0.chunks.iter().filter(|c| c.get().is_some()).count(),
            )
            .finish()
    }
}
