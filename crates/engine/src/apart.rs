//! The files of a pack's index that travel in *chunks* apart from the
//! pack, its postings and its term dictionary, each chunk fetched when a
//! search first reads it.
//!
//! Why: they are most of an index's bytes (at 10,000 synthetic articles
//! the postings 2.0 MB and the term dictionary 0.47 MB of the 2.8 MB
//! index), and a keystroke reads a few terms only: the terms a prefix
//! completes to lie side by side, in the dictionary and, since tantivy
//! writes postings in term order, in the postings. The postings travel in
//! chunks of [`POSTINGS_CHUNK`] raw bytes, the dictionary in chunks of
//! [`TERMS_CHUNK`]: a search finds a term's postings through its entry in
//! the dictionary, one 500-byte block of which a lookup reads
//! (`crate::term_blocks`), so a first keystroke reads a few small chunks
//! of the dictionary and then the postings they point to (engine README,
//! "Postings in chunks", "The term dictionary in chunks"). Pagefind fetches
//! its index in chunks the same way.
//!
//! tantivy reads a file through [`FileHandle`]: an [`ApartFile`] answers a
//! read from the chunks here, and a read of a chunk that has not arrived
//! with an [`io::Error`] carrying [`Missing`], which the search reports
//! (`SearchResults::pieces_missing`) instead of answering without those
//! terms. What tantivy reads when the index opens (the files' footers,
//! each field's token count and its dictionary's block index, a few
//! hundred bytes per field) travels in the pack as *resident* spans. A
//! chunk's file is checked against the pack's table (length and CRC of
//! its stored bytes) before it is inflated and taken, and its raw bytes
//! against their CRC, as are the chunks a cache entry stores raw; each
//! file's length and resident spans have a CRC of their own too. tantivy
//! trusts its files (a damaged term dictionary block overflows its varint
//! reader), so whatever it reads of an apart file is checked before, as
//! a whole file's tantivy footer checksum is (`crate::container`). The
//! chunks of all
//! the apart files are numbered in one sequence, file after file, and
//! travel together in one bundle too.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::directory::{FileHandle, OwnedBytes};
use tantivy::HasLen;

use crate::codec::{Reader, Writer};
use crate::error::{EngineError, Result};

/// Raw bytes of the postings file per chunk (the last may be shorter).
/// Measured over the dev queries and the growth benchmark's (engine
/// README, "Postings in chunks", "The term dictionary in chunks"): with
/// the dictionary apart, a first query read 10–25 % fewer bytes in 4 KiB
/// chunks than in 8 KiB and no more requests; 2 KiB read fewer still, in
/// more requests of about a kilobyte each.
pub(crate) const POSTINGS_CHUNK: usize = 4 * 1024;

/// Raw bytes of the term dictionary per chunk: 1, 2 and 4 KiB read about
/// the same bytes, 4 KiB in the fewest requests (engine README, "The term
/// dictionary in chunks").
pub(crate) const TERMS_CHUNK: usize = 4 * 1024;

/// The raw bytes per chunk of an index file that may travel apart, by
/// its name: the postings (`.idx`) and the term dictionary (`.term`).
pub(crate) fn chunk_len(name: &str) -> Option<usize> {
    match name.rsplit_once('.')?.1 {
        "idx" => Some(POSTINGS_CHUNK),
        "term" => Some(TERMS_CHUNK),
        _ => None,
    }
}

/// A chunk's identity in the pack's table: what its file must match.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ChunkKey {
    /// Length and CRC of the chunk file's (stored, deflated) bytes.
    pub len: u32,
    pub crc: u32,
    /// CRC of the chunk's raw bytes.
    pub raw_crc: u32,
}

/// A read of chunks that have not arrived: the chunks it needs, the
/// payload of the [`io::Error`] tantivy passes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Missing(pub Vec<u32>);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chunks {:?} of the index have not arrived", self.0)
    }
}

impl std::error::Error for Missing {}

impl Missing {
    /// The chunks an error of a read waits for, if that is why it failed.
    pub fn of(e: &io::Error) -> Option<&Missing> {
        e.get_ref()?.downcast_ref::<Missing>()
    }
}

/// The index files that travel apart, their chunks arriving one by one.
/// Cloning shares them, chunks that arrive later included.
#[derive(Clone)]
pub(crate) struct ApartFiles(Arc<Inner>);

struct Inner {
    /// The chunk files' name stem (of their content: the pieces of text
    /// keep theirs when only the index changes).
    stem: String,
    /// The files, in the order of their chunks.
    files: Vec<Layout>,
    /// Every chunk's key, file after file.
    keys: Vec<ChunkKey>,
    /// Each chunk's raw bytes, once here.
    chunks: Vec<OnceLock<OwnedBytes>>,
    /// How many of `chunks` are not here yet: [`ApartFiles::complete`] is
    /// asked after every message the worker handles, so it counts rather
    /// than walks every chunk.
    missing: AtomicUsize,
    /// Every read, when recording (see [`ApartFiles::recording`]).
    log: Option<Mutex<Vec<Read>>>,
}

/// A read of one of the files: its index and the range.
type Read = (usize, Range<usize>);

/// One apart file: its name in the index, its length, the raw bytes per
/// chunk, where its chunks start in the sequence, and its spans carried
/// by the pack (sorted, disjoint: offset, bytes).
struct Layout {
    name: String,
    len: usize,
    chunk: usize,
    first: usize,
    resident: Vec<(usize, OwnedBytes)>,
}

impl Layout {
    /// The CRC of the file's length and resident spans (offsets, lengths
    /// and bytes).
    fn crc(&self) -> u32 {
        let mut h = crc32fast::Hasher::new();
        h.update(&(self.len as u64).to_le_bytes());
        for (at, bytes) in &self.resident {
            h.update(&(*at as u64).to_le_bytes());
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes.as_slice());
        }
        h.finalize()
    }

    fn count(&self) -> usize {
        self.len.div_ceil(self.chunk)
    }

    /// The raw range of the file's chunk `i` (the last may be shorter).
    fn range(&self, i: usize) -> Range<usize> {
        i * self.chunk..((i + 1) * self.chunk).min(self.len)
    }

    /// Which of the file's chunks chunk `n` of the sequence is, if it is
    /// one of them.
    fn local(&self, n: usize) -> Option<usize> {
        n.checked_sub(self.first).filter(|&i| i < self.count())
    }
}

fn bad(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("index chunks: {what}"))
}

/// An apart file's name, length and resident spans, laid out after
/// `first` chunks; an error for a file that cannot travel apart.
fn layout(
    name: String,
    len: usize,
    first: usize,
    resident: Vec<(usize, OwnedBytes)>,
) -> Result<Layout> {
    let chunk = chunk_len(&name).ok_or_else(|| bad("a file that does not travel apart"))?;
    Ok(Layout {
        name,
        len,
        chunk,
        first,
        resident,
    })
}

impl ApartFiles {
    /// The `files` in chunks of `keys`, the chunks of `present` already
    /// here; `recording`: every range read is logged.
    fn new(
        stem: String,
        files: Vec<Layout>,
        keys: Vec<ChunkKey>,
        present: Vec<Option<OwnedBytes>>,
        recording: bool,
    ) -> ApartFiles {
        let missing = AtomicUsize::new(present.iter().filter(|c| c.is_none()).count());
        ApartFiles(Arc::new(Inner {
            stem,
            files,
            keys,
            missing,
            chunks: present
                .into_iter()
                .map(|c| c.map_or_else(OnceLock::new, OnceLock::from))
                .collect(),
            log: recording.then(Mutex::default),
        }))
    }

    /// The `whole` files as chunks all here, recording every range read:
    /// a publisher opens the index over them to learn the resident spans.
    pub(crate) fn recording(whole: &[(String, OwnedBytes)]) -> Result<ApartFiles> {
        let mut files = Vec::with_capacity(whole.len());
        let mut chunks = Vec::new();
        for (name, bytes) in whole {
            let file = layout(name.clone(), bytes.len(), chunks.len(), Vec::new())?;
            chunks.extend((0..file.count()).map(|i| Some(bytes.slice(file.range(i)))));
            files.push(file);
        }
        let keys = vec![
            ChunkKey {
                len: 0,
                crc: 0,
                raw_crc: 0
            };
            chunks.len()
        ];
        Ok(ApartFiles::new(String::new(), files, keys, chunks, true))
    }

    /// The ranges of each file read so far by recording files, merged:
    /// the spans a pack carries.
    pub(crate) fn spans_read(&self) -> Vec<Vec<Range<usize>>> {
        let mut read = self
            .0
            .log
            .as_ref()
            .map(|l| l.lock().map(|l| l.clone()).unwrap_or_default())
            .unwrap_or_default();
        read.sort_by_key(|(f, r)| (*f, r.start));
        let mut spans: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.0.files.len()];
        for (f, r) in read.into_iter().filter(|(_, r)| !r.is_empty()) {
            let spans = &mut spans[f];
            match spans.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => spans.push(r),
            }
        }
        spans
    }

    /// Whether `name` is one of the files.
    pub fn holds(&self, name: &str) -> bool {
        self.0.files.iter().any(|f| f.name == name)
    }

    /// The file `name`, for tantivy to read.
    pub(crate) fn file(&self, name: &str) -> Option<ApartFile> {
        let file = self.0.files.iter().position(|f| f.name == name)?;
        Some(ApartFile {
            files: self.clone(),
            file,
        })
    }

    /// The files' names, in the order of their chunks.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.files.iter().map(|f| f.name.as_str())
    }

    /// The chunk files' name stem.
    pub fn stem(&self) -> &str {
        &self.0.stem
    }

    /// Number of chunks, of all the files.
    pub fn chunks(&self) -> u32 {
        self.0.keys.len() as u32
    }

    /// The file of chunk `n` and its raw range in that file.
    fn locate(&self, n: usize) -> Option<(&Layout, Range<usize>)> {
        let file = self.0.files.iter().find(|f| f.local(n).is_some())?;
        Some((file, file.range(n - file.first)))
    }

    /// Takes chunk `n` from its deflated bytes (a chunk file's, already
    /// matched against its key by the caller); an error, leaving the files
    /// as they were, if they do not inflate to the chunk's length and raw
    /// CRC. A chunk already here is kept.
    pub(crate) fn attach(&self, n: u32, deflated: &[u8]) -> Result<()> {
        let i = n as usize;
        let (Some(slot), Some(key), Some((_, range))) =
            (self.0.chunks.get(i), self.0.keys.get(i), self.locate(i))
        else {
            return Err(EngineError::BodiesMismatch(format!(
                "no index chunk {n} here"
            )));
        };
        if slot.get().is_some() {
            return Ok(());
        }
        let raw = crate::container::inflate_exact(deflated, range.len())
            .map_err(|e| EngineError::BodiesMismatch(format!("index chunk {n} {e}")))?;
        if crc32fast::hash(&raw) != key.raw_crc {
            return Err(EngineError::BodiesMismatch(format!(
                "index chunk {n} inflates to other bytes than its pack's"
            )));
        }
        if slot.set(OwnedBytes::new(raw)).is_ok() {
            self.0.missing.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The chunk files in a bundle (see [`ApartFiles::split`]), each with
    /// its chunk's number, cut where each chunk's key says its file ends
    /// (a chunk file is a container header and the chunk); an error if
    /// the bundle is not that long.
    pub(crate) fn bundle<'a>(&self, bytes: &'a [u8]) -> Result<Vec<(u32, &'a [u8])>> {
        let mut files = Vec::with_capacity(self.0.keys.len());
        let mut rest = bytes;
        for (n, key) in (0u32..).zip(&self.0.keys) {
            let len = crate::container::CHUNK_FILE_OVERHEAD + key.len as usize;
            if rest.len() < len {
                return Err(EngineError::BodiesMismatch(
                    "a bundle of index chunks cut short".into(),
                ));
            }
            let (file, after) = rest.split_at(len);
            files.push((n, file));
            rest = after;
        }
        if !rest.is_empty() {
            return Err(EngineError::BodiesMismatch(
                "a bundle of index chunks with bytes after its last chunk".into(),
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
        w.str(&self.0.stem);
        w.u32(self.0.files.len() as u32);
        for file in &self.0.files {
            w.str(&file.name);
            w.u32(file.len as u32);
            w.u32(file.resident.len() as u32);
            for (at, bytes) in &file.resident {
                w.u32(*at as u32);
                w.bytes(bytes.as_slice());
            }
            w.u32(file.crc());
        }
        w.u32(self.0.keys.len() as u32);
        let mut data = Vec::new();
        for (key, chunk) in self.0.keys.iter().zip(&self.0.chunks) {
            w.u32(key.len);
            w.u32(key.crc);
            w.u32(key.raw_crc);
            match (stored, chunk.get()) {
                (true, Some(bytes)) => {
                    w.u32(bytes.len() as u32);
                    data.push(bytes.clone());
                }
                _ => w.u32(0),
            }
        }
        data
    }

    /// Decodes a table (as [`ApartFiles::encode_table`] writes it) from
    /// `r`, the chunks stored after it shared from `owner` when it holds
    /// `r`'s bytes; `check` is asked about each file's name first.
    pub(crate) fn decode_table(
        r: &mut Reader<'_>,
        owner: &OwnedBytes,
        mut check: impl FnMut(&str) -> Result<()>,
    ) -> Result<ApartFiles> {
        let stem = r.str("index chunks stem")?;
        if !crate::bodies::is_stem(&stem) {
            return Err(bad("a stem that is not a file name"));
        }
        let n_files = r.count(12, "apart file count")?;
        let mut files: Vec<Layout> = Vec::with_capacity(n_files);
        for _ in 0..n_files {
            let name = r.str("apart file name")?;
            check(&name)?;
            let len = r.u32("apart file length")? as usize;
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
            let first = files.last().map_or(0, |f| f.first + f.count());
            let file = layout(name, len, first, resident)?;
            if r.u32("apart file checksum")? != file.crc() {
                return Err(bad("a file's length or resident spans fail their checksum"));
            }
            files.push(file);
        }
        let n = r.count(16, "index chunk count")?;
        if n != files.last().map_or(0, |f| f.first + f.count()) {
            return Err(bad("a chunk count that does not fit the files' lengths"));
        }
        let mut keys = Vec::with_capacity(n);
        let mut stored = Vec::with_capacity(n);
        for (i, file) in files
            .iter()
            .flat_map(|f| (0..f.count()).map(move |i| (i, f)))
        {
            keys.push(ChunkKey {
                len: r.u32("index chunk")?,
                crc: r.u32("index chunk")?,
                raw_crc: r.u32("index chunk")?,
            });
            let s = r.u32("index chunk")? as usize;
            if s != 0 && s != file.range(i).len() {
                return Err(bad("a stored chunk of another length"));
            }
            stored.push(s);
        }
        let mut present = Vec::with_capacity(n);
        for (s, key) in stored.into_iter().zip(&keys) {
            present.push(match s {
                0 => None,
                s => {
                    let raw = r.take_bytes(s, "stored chunk")?;
                    if crc32fast::hash(raw) != key.raw_crc {
                        return Err(bad("a stored chunk that fails its checksum"));
                    }
                    Some(crate::container::shared_part(owner, raw))
                }
            });
        }
        Ok(ApartFiles::new(stem, files, keys, present, false))
    }

    /// The `whole` files, each with its resident spans, as chunks for the
    /// pack's table: each chunk deflated by `deflate`, made a file by
    /// `file` (given the deflated bytes and their CRC), the files named
    /// from `stem` given them all, and the resident spans shared. The
    /// files are the chunks' and, last, the bundle's (every chunk's file,
    /// one after the other: [`ApartFiles::bundle`]).
    pub(crate) fn split(
        whole: &[(String, OwnedBytes, Vec<Range<usize>>)],
        deflate: impl Fn(&[u8]) -> Vec<u8>,
        file: impl Fn(&[u8], u32) -> Result<Vec<u8>>,
        stem: impl FnOnce(&[Vec<u8>]) -> String,
    ) -> Result<(ApartFiles, Vec<Vec<u8>>)> {
        let mut layouts = Vec::with_capacity(whole.len());
        let mut keys = Vec::new();
        let mut files = Vec::new();
        for (name, bytes, resident) in whole {
            let resident = resident
                .iter()
                .map(|r| (r.start, bytes.slice(r.clone())))
                .collect();
            let at = layout(name.clone(), bytes.len(), keys.len(), resident)?;
            for i in 0..at.count() {
                let raw = &bytes.as_slice()[at.range(i)];
                let deflated = deflate(raw);
                let key = ChunkKey {
                    len: deflated.len() as u32,
                    crc: crc32fast::hash(&deflated),
                    raw_crc: crc32fast::hash(raw),
                };
                files.push(file(&deflated, key.crc)?);
                keys.push(key);
            }
            layouts.push(at);
        }
        let none = vec![None; keys.len()];
        let stem = stem(&files);
        let bundle = files.concat();
        files.push(bundle);
        Ok((ApartFiles::new(stem, layouts, keys, none, false), files))
    }

    /// Bytes `range` of file `f`.
    fn read(&self, f: usize, range: Range<usize>) -> io::Result<OwnedBytes> {
        let file = &self.0.files[f];
        if range.end > file.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("read past the end of {}", file.name),
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        let resident = file.resident.partition_point(|(at, _)| *at <= range.start);
        if let Some((at, bytes)) = resident.checked_sub(1).map(|i| &file.resident[i]) {
            if range.end <= at + bytes.len() {
                return Ok(bytes.slice(range.start - at..range.end - at));
            }
        }
        let (first, last) = (range.start / file.chunk, (range.end - 1) / file.chunk);
        let chunk = |i: usize| self.0.chunks[file.first + i].get();
        let missing: Vec<u32> = (first..=last)
            .filter(|&i| chunk(i).is_none())
            .map(|i| (file.first + i) as u32)
            .collect();
        if !missing.is_empty() {
            return Err(io::Error::other(Missing(missing)));
        }
        // The part of chunk `i` the read covers, within the chunk.
        let within = |i: usize| {
            let c = file.range(i);
            range.start.max(c.start) - c.start..range.end.min(c.end) - c.start
        };
        if first == last {
            return Ok(chunk(first).expect("checked").slice(within(first)));
        }
        // A read across a chunk boundary: joined.
        let mut joined = Vec::with_capacity(range.len());
        for i in first..=last {
            joined.extend_from_slice(&chunk(i).expect("checked").as_slice()[within(i)]);
        }
        Ok(OwnedBytes::new(joined))
    }
}

/// One of the [`ApartFiles`], as tantivy reads it.
#[derive(Clone)]
pub(crate) struct ApartFile {
    files: ApartFiles,
    file: usize,
}

impl HasLen for ApartFile {
    fn len(&self) -> usize {
        self.files.0.files[self.file].len
    }
}

impl FileHandle for ApartFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if let Some(log) = &self.files.0.log {
            if let Ok(mut log) = log.lock() {
                log.push((self.file, range.clone()));
            }
        }
        self.files.read(self.file, range)
    }
}

impl std::fmt::Debug for ApartFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApartFile")
            .field("name", &self.files.0.files[self.file].name)
            .field("of", &self.files)
            .finish()
    }
}

impl std::fmt::Debug for ApartFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApartFiles")
            .field("files", &self.names().collect::<Vec<_>>())
            .field("chunks", &self.0.keys.len())
            .field(
                "here",
                &self.0.chunks.iter().filter(|c| c.get().is_some()).count(),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that tell where they are: byte `i` of file `f` is
    /// `(i * 7 + f) % 251`.
    fn bytes(f: usize, len: usize) -> OwnedBytes {
        OwnedBytes::new(
            (0..len)
                .map(|i| ((i * 7 + f) % 251) as u8)
                .collect::<Vec<u8>>(),
        )
    }

    fn deflate(raw: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(raw, 6)
    }

    /// A postings file of 2.5 chunks and a term dictionary of 3.5, each
    /// with a resident span, split and decoded again as a pack's table.
    fn apart() -> (ApartFiles, Vec<Vec<u8>>, Vec<OwnedBytes>) {
        let idx = bytes(0, POSTINGS_CHUNK * 5 / 2);
        let term = bytes(1, TERMS_CHUNK * 7 / 2);
        // One resident span each (the clippy lint takes a one-range
        // `vec!` for a mistaken `Vec` of the range's numbers).
        let span = |r: Range<usize>| Vec::from([r]);
        let whole = vec![
            ("s.idx".to_string(), idx.clone(), span(10..20)),
            (
                "s.term".to_string(),
                term.clone(),
                span(term.len() - 30..term.len()),
            ),
        ];
        // A chunk's file: a header's room (`crate::container` writes one),
        // then the deflated chunk.
        let file = |d: &[u8], _| Ok([&[0; crate::container::CHUNK_FILE_OVERHEAD][..], d].concat());
        let (split, files) =
            ApartFiles::split(&whole, deflate, file, |_| "stem".to_string()).unwrap();
        let mut w = Writer::default();
        assert!(split.encode_table(&mut w, false).is_empty());
        let owner = OwnedBytes::new(w.buf);
        let mut r = Reader::new(owner.as_slice());
        let decoded = ApartFiles::decode_table(&mut r, &owner, |_| Ok(())).unwrap();
        assert!(r.is_empty());
        (decoded, files, vec![idx, term])
    }

    /// The files of [`apart`] again, with no chunk here.
    fn apart_without_chunks() -> ApartFiles {
        apart().0
    }

    /// The deflated chunk in a chunk file.
    fn deflated(file: &[u8]) -> &[u8] {
        &file[crate::container::CHUNK_FILE_OVERHEAD..]
    }

    #[test]
    fn the_chunks_of_both_files_are_numbered_file_after_file() {
        let (apart, files, whole) = apart();
        assert_eq!(apart.names().collect::<Vec<_>>(), ["s.idx", "s.term"]);
        assert_eq!(apart.chunks(), 3 + 4);
        assert_eq!(files.len(), 7 + 1, "the chunks and their bundle");
        assert_eq!(files[7], files[..7].concat());
        let term = apart.file("s.term").unwrap();
        assert_eq!(term.len(), whole[1].len());
        // A resident span reads with no chunk here; anything else names
        // the chunks it lacks, in the sequence's numbers.
        let end = whole[1].len();
        assert_eq!(
            term.read_bytes(end - 10..end).unwrap(),
            whole[1].slice(end - 10..end)
        );
        let lacks = |r: io::Result<OwnedBytes>| Missing::of(&r.unwrap_err()).unwrap().clone();
        assert_eq!(lacks(term.read_bytes(0..1)), Missing(vec![3]));
        let across = TERMS_CHUNK - 5..2 * TERMS_CHUNK + 5;
        assert_eq!(
            lacks(term.read_bytes(across.clone())),
            Missing(vec![3, 4, 5])
        );
        let idx = apart.file("s.idx").unwrap();
        assert_eq!(idx.read_bytes(12..18).unwrap(), whole[0].slice(12..18));
        assert_eq!(
            lacks(idx.read_bytes(POSTINGS_CHUNK..POSTINGS_CHUNK + 1)),
            Missing(vec![1])
        );
        for n in [3, 4, 5] {
            assert!(!apart.has(n));
            apart.attach(n, deflated(&files[n as usize])).unwrap();
            assert!(apart.has(n));
        }
        assert_eq!(
            term.read_bytes(across.clone()).unwrap(),
            whole[1].slice(across)
        );
        assert!(!apart.complete());
        // The bundle brings the rest; a chunk given as another is refused.
        assert!(apart.attach(0, deflated(&files[6])).is_err());
        for (n, file) in apart.bundle(&files[7]).unwrap() {
            apart.attach(n, deflated(file)).unwrap();
        }
        assert!(apart.complete());
        assert_eq!(idx.read_bytes(0..whole[0].len()).unwrap(), whole[0]);
        assert_eq!(term.read_bytes(0..end).unwrap(), whole[1]);
        assert!(term.read_bytes(end - 1..end + 1).is_err(), "past the end");
    }

    #[test]
    fn a_table_whose_files_cannot_travel_apart_or_do_not_fit_is_refused() {
        let (apart, _, _) = apart();
        let mut w = Writer::default();
        apart.encode_table(&mut w, false);
        let table = w.buf;
        let decode = |bytes: Vec<u8>| {
            let owner = OwnedBytes::new(bytes);
            let mut r = Reader::new(owner.as_slice());
            ApartFiles::decode_table(&mut r, &owner, |_| Ok(())).map(|_| ())
        };
        assert!(decode(table.clone()).is_ok());
        // The store file (`.store`) does not travel apart.
        let renamed = String::from_utf8_lossy(&table).replace("s.term", "s.stor");
        assert!(decode(renamed.into_bytes()).is_err());
        // One chunk fewer than the lengths make.
        let mut w = Writer::default();
        w.str("stem");
        w.u32(1);
        w.str("s.term");
        w.u32((TERMS_CHUNK * 2) as u32);
        w.u32(0);
        let file = layout("s.term".into(), TERMS_CHUNK * 2, 0, Vec::new()).unwrap();
        w.u32(file.crc());
        let header = w.buf.clone();
        w.u32(1);
        (0..4).for_each(|_| w.u32(0));
        assert!(decode(w.buf).is_err());
        let mut w = Writer { buf: header };
        w.u32(2);
        (0..8).for_each(|_| w.u32(0));
        assert!(decode(w.buf).is_ok(), "the same table with both chunks");
        for cut in 0..table.len() {
            assert!(decode(table[..cut].to_vec()).is_err(), "cut at {cut}");
        }
    }

    /// What tantivy would read of an apart file is checked first: a
    /// damaged resident span or file length, a stored chunk (a cache
    /// entry's) whose raw bytes changed, a chunk that inflates to other
    /// bytes of its length.
    #[test]
    fn damaged_resident_spans_and_chunks_are_refused() {
        let (apart, files, _) = apart();
        for (n, file) in apart.bundle(files.last().unwrap()).unwrap() {
            apart.attach(n, deflated(file)).unwrap();
        }
        let mut w = Writer::default();
        let stored = apart.encode_table(&mut w, true);
        let table = [
            w.buf,
            stored.iter().flat_map(|b| b.as_slice().to_vec()).collect(),
        ]
        .concat();
        let decode = |bytes: &[u8]| {
            let owner = OwnedBytes::new(bytes.to_vec());
            let mut r = Reader::new(owner.as_slice());
            ApartFiles::decode_table(&mut r, &owner, |_| Ok(())).map(|a| a.complete())
        };
        assert!(decode(&table).unwrap(), "every chunk stored");
        // The bytes of the first resident span (10..20 of the postings,
        // byte i being i * 7 % 251), the last stored chunk's last byte.
        let span: Vec<u8> = (10..20).map(|i| (i * 7 % 251) as u8).collect();
        let at = table.windows(span.len()).position(|w| w == span).unwrap();
        for damaged in [at + 3, table.len() - 1] {
            let mut bad = table.clone();
            bad[damaged] ^= 1;
            assert!(decode(&bad).is_err(), "byte {damaged} of {}", table.len());
        }
        // Other raw bytes of the chunk's length, deflated: refused.
        let fresh = apart_without_chunks();
        let other = deflate(&vec![9; TERMS_CHUNK]);
        assert!(fresh.attach(3, &other).is_err());
        assert!(!fresh.has(3));
        fresh.attach(3, deflated(&files[3])).unwrap();
    }
}
