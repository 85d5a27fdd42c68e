//! The sanitised article HTML of one language, kept deflated in chunks of
//! a few documents and inflated on demand: for the reader (one article),
//! for snippets (the ~10 hits shown) and for phrase checks (the best
//! candidates). Holding every article's HTML and plain text as decoded
//! strings is what made the worker's memory grow with the help center
//! (344 MB at 10k synthetic articles); deflated, the HTML takes about a
//! quarter of its size, and nothing else about an article's text is kept:
//! the plain text of a document is extracted from its HTML when needed.
//!
//! A chunk holds consecutive documents, closed once it reaches
//! [`CHUNK_TARGET`] raw bytes: one or two articles of a help center, so a
//! hit inflates little more than its own text (16 KiB chunks made the
//! keystrokes of 10k articles ~3× slower in wasm; 4 KiB ones deflate ~5%
//! worse than 16 KiB ones, 15.7 against 14.9 MB at 10k). The last few chunks
//! inflated and plain texts extracted are kept, so that the keystrokes of
//! one word, whose hits overlap, inflate and extract each once.
//!
//! Chunks deflate worse than one stream (a travelling pack ~18% larger with
//! 4 KiB chunks deflated each), so a whole container's texts travel in
//! another form than the one kept. Two encodings:
//!
//! - **stored** ([`Texts::encode`], a cache entry's html section and a
//!   piece file's, kept as is): document count, chunk count, per chunk its
//!   document count, raw length and stored length (3 × u32), then the
//!   chunks' deflated bytes in order;
//! - **raw** ([`Texts::encode_raw`], a travelling container's html section,
//!   which the container deflates whole): document count, chunk count, per
//!   chunk its document count and raw length (2 × u32), then the chunks'
//!   raw bytes in order. [`Texts::inflate_raw`] inflates it as a stream and
//!   deflates each chunk as it comes out, at the fast level [`LEVEL`], so
//!   the raw section is never whole in memory.
//!
//! A chunk's raw bytes are its documents' HTML, each a u32 length and
//! UTF-8. Chunks are deflated at [`LEVEL`] where they are made (built, or
//! loaded from a whole container), so the same texts give the same bytes.
//! A piece file's chunks are the exception: a piece is one or two chunks,
//! so they travel deflated each, as densely as the publisher deflates
//! ([`Texts::pieces`]), and are kept as they arrive: the worker
//! neither inflates nor deflates a piece to take it. The table is checked
//! when decoded; a chunk's content when inflated (damage then yields no
//! text, never a panic).

use std::sync::{Arc, Mutex};

use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use crate::codec::{Reader, Writer};
use crate::error::{EngineError, Result};
use crate::html::html_to_text;

/// Raw bytes after which a chunk is closed.
const CHUNK_TARGET: usize = 4 * 1024;
/// Largest raw size a chunk may declare (and so inflate to).
const MAX_CHUNK: u32 = 1 << 28;
/// Inflated chunks kept.
const RECENT: usize = 64;
/// Plain texts kept: a word's keystrokes show many of the same hits.
const RECENT_BODIES: usize = 64;
/// Level of the chunks kept: fast, since a whole travelling container's
/// chunks are deflated when a publisher loads it (the travelling file is
/// deflated whole at the container's level).
pub const LEVEL: u8 = 1;

/// The HTML of every document (document `i` of the index is text `i`).
/// Cloning shares it.
#[derive(Clone)]
pub struct Texts(Arc<Inner>);

struct Inner {
    docs: usize,
    chunks: Vec<Chunk>,
    data: Vec<u8>,
    /// What the caches know this text's document 0 as: the texts of one
    /// piece of a language's ([`crate::bodies`]) share the language's
    /// caches, keyed by document in the whole language.
    base: usize,
    caches: Arc<Caches>,
}

/// The recently inflated chunks and extracted plain texts of one
/// language's texts, shared by all its pieces so that their memory stays
/// bounded however many pieces arrive.
pub struct Caches {
    /// Recently inflated chunks, by their first document.
    recent: Recent<[String]>,
    /// Recently extracted plain texts, by document.
    bodies: Recent<str>,
}

impl Default for Caches {
    fn default() -> Caches {
        Caches {
            recent: Recent::new(RECENT),
            bodies: Recent::new(RECENT_BODIES),
        }
    }
}

fn bad(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("html section: {what}"))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Chunk {
    /// Index of its first document.
    first: u32,
    count: u32,
    /// Offset of its deflated bytes in `data`.
    at: u32,
    len: u32,
    raw_len: u32,
}

impl Texts {
    /// Compresses the HTML of each document, in index order.
    pub fn build(html: &[String]) -> Texts {
        let mut chunks = Vec::new();
        let mut data = Vec::new();
        let mut raw = Writer::default();
        let mut deflater = Deflater::new();
        let mut first = 0usize;
        for (i, h) in html.iter().enumerate() {
            raw.str(h);
            if raw.buf.len() >= CHUNK_TARGET || i + 1 == html.len() {
                let at = data.len();
                deflater.deflate(&raw.buf, &mut data);
                chunks.push(Chunk {
                    first: first as u32,
                    count: (i + 1 - first) as u32,
                    at: at as u32,
                    len: (data.len() - at) as u32,
                    raw_len: raw.buf.len() as u32,
                });
                raw.buf.clear();
                first = i + 1;
            }
        }
        Texts::new(html.len(), chunks, data)
    }

    fn new(docs: usize, chunks: Vec<Chunk>, data: Vec<u8>) -> Texts {
        Texts(Arc::new(Inner {
            docs,
            chunks,
            data,
            base: 0,
            caches: Arc::default(),
        }))
    }

    /// These texts as documents `base..` of a language whose caches are
    /// `caches` (a piece of [`crate::bodies::Bodies`]).
    pub fn within(self, caches: &Arc<Caches>, base: usize) -> Texts {
        let (docs, chunks, data) = match Arc::try_unwrap(self.0) {
            Ok(inner) => (inner.docs, inner.chunks, inner.data),
            Err(shared) => (shared.docs, shared.chunks.clone(), shared.data.clone()),
        };
        Texts(Arc::new(Inner {
            docs,
            chunks,
            data,
            base,
            caches: caches.clone(),
        }))
    }

    /// The caches these texts use.
    pub fn caches(&self) -> &Arc<Caches> {
        &self.0.caches
    }

    /// These texts cut in pieces of consecutive whole chunks, each closed
    /// once it holds `target` raw bytes, and each chunk deflated again by
    /// `deflate` (which must write a raw DEFLATE stream; denser than the
    /// fast level kept here): the files a pack's article texts travel in
    /// ([`crate::container::split`]). An error if a chunk is damaged.
    pub fn pieces(&self, target: usize, deflate: impl Fn(&[u8]) -> Vec<u8>) -> Result<Vec<Texts>> {
        let too_large = || bad("a piece too large");
        let mut out = Vec::new();
        let mut start = 0;
        let mut raw = 0usize;
        for (i, c) in self.0.chunks.iter().enumerate() {
            raw += c.raw_len as usize;
            if raw >= target || i + 1 == self.0.chunks.len() {
                let group = &self.0.chunks[start..=i];
                let first = group[0].first;
                let mut chunks = Vec::with_capacity(group.len());
                let mut data = Vec::new();
                for c in group {
                    let at = data.len();
                    data.extend_from_slice(&deflate(&self.raw_chunk(c)?));
                    chunks.push(Chunk {
                        first: c.first - first,
                        at: u32::try_from(at).map_err(|_| too_large())?,
                        len: u32::try_from(data.len() - at).map_err(|_| too_large())?,
                        ..*c
                    });
                }
                let docs = chunks.iter().map(|c| c.count as usize).sum();
                out.push(Texts::new(docs, chunks, data));
                start = i + 1;
                raw = 0;
            }
        }
        Ok(out)
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.0.docs
    }

    /// Length of what [`Texts::encode`] appends.
    pub fn encoded_len(&self) -> usize {
        8 + self.0.chunks.len() * 12 + self.0.data.len()
    }

    /// Length of what [`Texts::encode_raw`] appends.
    pub fn raw_encoded_len(&self) -> usize {
        8 + self
            .0
            .chunks
            .iter()
            .map(|c| 8 + c.raw_len as usize)
            .sum::<usize>()
    }

    /// Appends the encoded form (see the module's doc).
    pub fn encode(&self, out: &mut Vec<u8>) {
        self.write_table(out, true);
        out.extend_from_slice(&self.0.data);
    }

    /// The table both encoded forms start with: document count, chunk
    /// count, per chunk its document count, raw length and (stored form
    /// only) stored length.
    fn write_table(&self, out: &mut Vec<u8>, stored: bool) {
        let mut w = Writer::default();
        w.u32(self.0.docs as u32);
        w.u32(self.0.chunks.len() as u32);
        for c in &self.0.chunks {
            w.u32(c.count);
            w.u32(c.raw_len);
            if stored {
                w.u32(c.len);
            }
        }
        out.extend_from_slice(&w.buf);
    }

    /// Appends the raw encoded form (see the module's doc), inflating each
    /// chunk; an error if one is damaged.
    pub fn encode_raw(&self, out: &mut Vec<u8>) -> Result<()> {
        self.write_table(out, false);
        for c in &self.0.chunks {
            out.extend_from_slice(&self.raw_chunk(c)?);
        }
        Ok(())
    }

    /// Decodes the raw encoded form from its deflated bytes, which must
    /// inflate to exactly `raw_len` bytes: inflated as a stream, each chunk
    /// deflated (at [`LEVEL`]) as soon as it is whole.
    pub fn inflate_raw(deflated: &[u8], raw_len: usize) -> Result<Texts> {
        let mut raw = RawStream::new(deflated, raw_len);
        let docs = raw.u32()? as usize;
        let n = raw.u32()? as usize;
        if n.saturating_mul(8) > raw.left() {
            return Err(bad("chunk count larger than the section"));
        }
        let mut table = Table::new(docs, n);
        for _ in 0..n {
            let count = raw.u32()?;
            let raw_len = raw.u32()?;
            table.push(count, raw_len, 0)?;
        }
        if !table.covers_docs() {
            return Err(bad("the chunks do not cover the documents"));
        }
        let mut chunks = table.chunks;
        // Chunks deflated fast take ~1.4× the section deflated whole: room
        // for them at once, since the wasm heap never shrinks and doubling a
        // vector of MBs would leave the old ones behind. The room is not
        // given back (`shrink_to_fit` would copy the whole vector): pages
        // of it never written are never resident.
        let mut data = Vec::with_capacity(deflated.len().saturating_mul(2).min(raw_len));
        let mut deflater = Deflater::new();
        for c in &mut chunks {
            let at = data.len();
            deflater.deflate(raw.take(c.raw_len as usize)?, &mut data);
            c.at = at as u32;
            c.len = (data.len() - at) as u32;
        }
        raw.finish()?;
        Ok(Texts::new(docs, chunks, data))
    }

    /// Decodes the encoded form, checking its table (not the chunks).
    pub fn decode(bytes: &[u8]) -> Result<Texts> {
        let mut r = Reader::new(bytes);
        let docs = r.u32("html document count")? as usize;
        let n = r.count(12, "html chunk count")?;
        let mut table = Table::new(docs, n);
        for _ in 0..n {
            let count = r.u32("html chunk")?;
            let raw_len = r.u32("html chunk")?;
            let len = r.u32("html chunk")?;
            table.push(count, raw_len, len)?;
        }
        let data = &bytes[bytes.len() - r.remaining()..];
        if !table.covers_docs() || table.at != data.len() as u64 {
            return Err(bad("the chunks do not cover the documents and bytes"));
        }
        let chunks = table.chunks;
        Ok(Texts::new(docs, chunks, data.to_vec()))
    }

    /// The HTML of document `doc`; `None` past the end or when its chunk
    /// is damaged.
    pub fn html(&self, doc: usize) -> Option<String> {
        self.with_html(doc, str::to_string)
    }

    /// The plain text of document `doc` (as indexed).
    pub fn body(&self, doc: usize) -> Option<Arc<str>> {
        self.0.caches.bodies.get_or_make(self.0.base + doc, || {
            Some(self.with_html(doc, html_to_text)?.into())
        })
    }

    fn with_html<R>(&self, doc: usize, f: impl FnOnce(&str) -> R) -> Option<R> {
        if doc >= self.0.docs {
            return None;
        }
        let i = self
            .0
            .chunks
            .partition_point(|c| c.first as usize <= doc)
            .checked_sub(1)?;
        let chunk = self.chunk(i)?;
        let at = doc - self.0.chunks[i].first as usize;
        chunk.get(at).map(|h| f(h))
    }

    fn chunk(&self, i: usize) -> Option<Arc<[String]>> {
        let c = self.0.chunks.get(i)?;
        let key = self.0.base + c.first as usize;
        self.0.caches.recent.get_or_make(key, || {
            let raw = self.inflate(c)?;
            let mut r = Reader::new(&raw);
            let texts = (0..c.count)
                .map(|_| r.str("html"))
                .collect::<Result<Vec<_>>>()
                .ok()?;
            r.is_empty().then(|| texts.into())
        })
    }

    /// A chunk's raw bytes, exactly its declared raw length; an error if it
    /// is damaged.
    fn raw_chunk(&self, c: &Chunk) -> Result<Vec<u8>> {
        self.inflate(c)
            .filter(|raw| raw.len() == c.raw_len as usize)
            .ok_or_else(|| bad("a damaged chunk"))
    }

    /// A chunk's raw bytes (at most its declared raw length); `None` when
    /// its bytes are out of range or do not inflate.
    fn inflate(&self, c: &Chunk) -> Option<Vec<u8>> {
        let bytes = self
            .0
            .data
            .get(c.at as usize..(c.at as usize).checked_add(c.len as usize)?)?;
        miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, c.raw_len as usize).ok()
    }
}

/// A chunk table as decoded, checked entry by entry: no chunk empty or
/// over [`MAX_CHUNK`], never more documents than declared.
struct Table {
    docs: u64,
    chunks: Vec<Chunk>,
    /// Documents and stored bytes the chunks so far cover.
    first: u64,
    at: u64,
}

impl Table {
    fn new(docs: usize, n: usize) -> Table {
        Table {
            docs: docs as u64,
            chunks: Vec::with_capacity(n),
            first: 0,
            at: 0,
        }
    }

    fn push(&mut self, count: u32, raw_len: u32, len: u32) -> Result<()> {
        if count == 0 || raw_len > MAX_CHUNK {
            return Err(bad("bad chunk"));
        }
        self.chunks.push(Chunk {
            first: self.first as u32,
            count,
            at: self.at as u32,
            len,
            raw_len,
        });
        self.first += u64::from(count);
        self.at += u64::from(len);
        if self.first > self.docs {
            return Err(bad("more documents in chunks than declared"));
        }
        Ok(())
    }

    /// Whether the chunks hold exactly the declared documents.
    fn covers_docs(&self) -> bool {
        self.first == self.docs
    }
}

/// The last few values made from a key, newest first (a word's
/// keystrokes show many of the same hits).
struct Recent<T: ?Sized> {
    cap: usize,
    items: Mutex<Vec<(usize, Arc<T>)>>,
}

impl<T: ?Sized> Recent<T> {
    fn new(cap: usize) -> Recent<T> {
        Recent {
            cap,
            items: Mutex::new(Vec::new()),
        }
    }

    /// The value of `key`, made (and kept) if it is not among the recent.
    fn get_or_make(&self, key: usize, make: impl FnOnce() -> Option<Arc<T>>) -> Option<Arc<T>> {
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pos) = items.iter().position(|(k, _)| *k == key) {
            let hit = items.remove(pos);
            let out = hit.1.clone();
            items.insert(0, hit);
            return Some(out);
        }
        let value = make()?;
        items.insert(0, (key, value.clone()));
        items.truncate(self.cap);
        Some(value)
    }
}

/// One compressor for many chunks (making one allocates and clears
/// hundreds of KiB).
struct Deflater(Box<CompressorOxide>);

impl Deflater {
    fn new() -> Deflater {
        let flags = create_comp_flags_from_zip_params(LEVEL.into(), 0, 0);
        Deflater(Box::new(CompressorOxide::new(flags)))
    }

    /// Appends the raw deflate stream of `input` to `out`.
    fn deflate(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        self.0.reset();
        let mut pos = out.len();
        out.resize(pos + (input.len() / 2).max(64), 0);
        loop {
            let (status, read, written) =
                compress(&mut self.0, input, &mut out[pos..], TDEFLFlush::Finish);
            pos += written;
            input = &input[read.min(input.len())..];
            match status {
                TDEFLStatus::Done => break,
                TDEFLStatus::Okay => {
                    if out.len() - pos < 64 {
                        let more = (input.len() / 2).max(1024);
                        out.resize(out.len() + more, 0);
                    }
                }
                // Only a bad parameter, which this never passes.
                _ => break,
            }
        }
        out.truncate(pos);
    }
}

/// The raw bytes of a deflated section, inflated as they are read; no
/// more than the declared raw length is ever inflated or held.
struct RawStream<'a> {
    state: Box<InflateState>,
    input: &'a [u8],
    /// Inflated bytes not yet taken start at `pos`.
    buf: Vec<u8>,
    pos: usize,
    /// Bytes inflated so far and the declared total.
    inflated: usize,
    raw_len: usize,
    /// Bytes taken so far.
    taken: usize,
    ended: bool,
}

impl<'a> RawStream<'a> {
    fn new(input: &'a [u8], raw_len: usize) -> RawStream<'a> {
        RawStream {
            state: InflateState::new_boxed(DataFormat::Raw),
            input,
            buf: Vec::new(),
            pos: 0,
            inflated: 0,
            raw_len,
            taken: 0,
            ended: false,
        }
    }

    /// Raw bytes declared and not yet taken.
    fn left(&self) -> usize {
        self.raw_len - self.taken
    }

    /// The next `n` raw bytes.
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        if n > self.left() {
            return Err(bad("cut short"));
        }
        if self.buf.len() - self.pos < n {
            self.buf.drain(..self.pos);
            self.pos = 0;
            while self.buf.len() < n {
                self.step()?;
            }
        }
        self.pos += n;
        self.taken += n;
        Ok(&self.buf[self.pos - n..self.pos])
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Inflates some more (into a buffer that grows only with what was
    /// actually inflated).
    fn step(&mut self) -> Result<()> {
        if self.ended {
            return Err(bad("cut short"));
        }
        let have = self.buf.len();
        let room = (self.raw_len - self.inflated + 1).min(64 * 1024);
        self.buf.resize(have + room, 0);
        let r = inflate(
            &mut self.state,
            self.input,
            &mut self.buf[have..],
            MZFlush::None,
        );
        self.buf.truncate(have + r.bytes_written);
        self.input = &self.input[r.bytes_consumed.min(self.input.len())..];
        self.inflated += r.bytes_written;
        if self.inflated > self.raw_len {
            return Err(bad("inflates to more than its declared length"));
        }
        match r.status {
            Ok(MZStatus::StreamEnd) => self.ended = true,
            Ok(_) if r.bytes_written > 0 || r.bytes_consumed > 0 => {}
            Ok(_) | Err(MZError::Buf) => return Err(bad("cut short")),
            Err(e) => return Err(bad(&format!("cannot decompress: {e:?}"))),
        }
        Ok(())
    }

    /// Checks that every declared byte was taken and the stream ends there.
    fn finish(mut self) -> Result<()> {
        if self.taken != self.raw_len {
            return Err(bad("trailing bytes"));
        }
        while !self.ended {
            self.step()?;
        }
        if self.inflated != self.raw_len || !self.input.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(())
    }
}

impl PartialEq for Texts {
    fn eq(&self, other: &Texts) -> bool {
        self.0.docs == other.0.docs
            && self.0.chunks == other.0.chunks
            && self.0.data == other.0.data
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts")
            .field("docs", &self.0.docs)
            .field("chunks", &self.0.chunks.len())
            .field("bytes", &self.0.data.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` articles, article `i` repeating `word` `i * times` times.
    fn articles(n: usize, word: &str, times: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("<p>doc {i} {}</p>", word.repeat(i * times)))
            .collect()
    }

    #[test]
    fn every_document_comes_back_across_chunks() {
        let html = articles(200, "word ", 7);
        let texts = Texts::build(&html);
        assert!(texts.0.chunks.len() > 3, "{texts:?}");
        let mut encoded = Vec::new();
        texts.encode(&mut encoded);
        let back = Texts::decode(&encoded).unwrap();
        assert_eq!(back, texts);
        for (i, h) in html.iter().enumerate().rev() {
            assert_eq!(back.html(i).as_ref(), Some(h));
        }
        assert_eq!(&*back.body(3).unwrap(), html_to_text(&html[3]));
        assert_eq!(&*back.body(3).unwrap(), html_to_text(&html[3]), "kept");
        assert_eq!(back.html(200), None);
        assert!(Texts::decode(&encoded[..encoded.len() - 1]).is_err());
    }

    #[test]
    fn the_encoded_lengths_are_exact() {
        let html = articles(300, "word ", 7);
        for texts in [Texts::build(&html), Texts::build(&[])] {
            let (mut stored, mut raw) = (Vec::new(), Vec::new());
            texts.encode(&mut stored);
            texts.encode_raw(&mut raw).unwrap();
            assert_eq!(stored.len(), texts.encoded_len());
            assert_eq!(raw.len(), texts.raw_encoded_len());
        }
    }

    #[test]
    fn the_raw_form_deflated_whole_comes_back_as_built() {
        let html = articles(300, "mot ", 5);
        let texts = Texts::build(&html);
        let mut raw = Vec::new();
        texts.encode_raw(&mut raw).unwrap();
        let deflated = miniz_oxide::deflate::compress_to_vec(&raw, 8);
        let back = Texts::inflate_raw(&deflated, raw.len()).unwrap();
        assert_eq!(back, texts, "the same chunks, deflated at the same level");
        assert_eq!(back.html(299).as_ref(), Some(&html[299]));
        // A declared length off by one either way, a stream cut short or
        // followed by bytes: refused.
        assert!(Texts::inflate_raw(&deflated, raw.len() - 1).is_err());
        assert!(Texts::inflate_raw(&deflated, raw.len() + 1).is_err());
        assert!(Texts::inflate_raw(&deflated[..deflated.len() - 1], raw.len()).is_err());
        let mut longer = deflated.clone();
        longer.push(0);
        assert!(Texts::inflate_raw(&longer, raw.len()).is_err());
        let mut shorter = raw.clone();
        shorter.pop();
        let cut = miniz_oxide::deflate::compress_to_vec(&shorter, 8);
        assert!(Texts::inflate_raw(&cut, shorter.len()).is_err());
        let empty = Texts::build(&[]);
        let mut raw = Vec::new();
        empty.encode_raw(&mut raw).unwrap();
        let deflated = miniz_oxide::deflate::compress_to_vec(&raw, 8);
        assert_eq!(Texts::inflate_raw(&deflated, raw.len()).unwrap(), empty);
    }

    #[test]
    fn a_damaged_chunk_yields_no_text() {
        let html = vec!["<p>one</p>".to_string(), "<p>two</p>".to_string()];
        let mut encoded = Vec::new();
        Texts::build(&html).encode(&mut encoded);
        // A stored block whose length and its complement disagree.
        let data_at = encoded.len() - Texts::build(&html).0.data.len();
        encoded[data_at..].fill(0);
        let texts = Texts::decode(&encoded).unwrap();
        assert_eq!(texts.html(0), None);
        assert_eq!(Texts::build(&[]).len(), 0);
    }
}
