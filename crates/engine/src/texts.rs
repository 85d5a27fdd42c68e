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
//! Encoded (the container's html section, never deflated again): document
//! count, chunk count, per chunk its document count, raw length and stored
//! length (3 × u32), then the chunks' deflated bytes in order. The table is
//! checked when decoded; a chunk's content when inflated (damage then
//! yields no text, never a panic).

use std::sync::{Arc, Mutex};

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
const LEVEL: u8 = 8;

/// The HTML of every document (document `i` of the index is text `i`).
/// Cloning shares it.
#[derive(Clone)]
pub struct Texts(Arc<Inner>);

struct Inner {
    docs: usize,
    chunks: Vec<Chunk>,
    data: Vec<u8>,
    /// Recently inflated chunks, newest first.
    recent: Mutex<Vec<(usize, Arc<[String]>)>>,
    /// Recently extracted plain texts, newest first.
    bodies: Mutex<Vec<(usize, Arc<str>)>>,
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
        let mut first = 0usize;
        for (i, h) in html.iter().enumerate() {
            raw.str(h);
            if raw.buf.len() >= CHUNK_TARGET || i + 1 == html.len() {
                let bytes = miniz_oxide::deflate::compress_to_vec(&raw.buf, LEVEL);
                chunks.push(Chunk {
                    first: first as u32,
                    count: (i + 1 - first) as u32,
                    at: data.len() as u32,
                    len: bytes.len() as u32,
                    raw_len: raw.buf.len() as u32,
                });
                data.extend_from_slice(&bytes);
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
            recent: Mutex::new(Vec::new()),
            bodies: Mutex::new(Vec::new()),
        }))
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.0.docs
    }

    /// Bytes held (deflated), without the recently inflated chunks.
    pub fn stored_bytes(&self) -> usize {
        self.0.data.len()
    }

    /// Appends the encoded form (see the module's doc).
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::default();
        w.u32(self.0.docs as u32);
        w.u32(self.0.chunks.len() as u32);
        for c in &self.0.chunks {
            w.u32(c.count);
            w.u32(c.raw_len);
            w.u32(c.len);
        }
        out.extend_from_slice(&w.buf);
        out.extend_from_slice(&self.0.data);
    }

    /// Decodes the encoded form, checking its table (not the chunks).
    pub fn decode(bytes: &[u8]) -> Result<Texts> {
        let bad = |what: &str| EngineError::CorruptPack(format!("html section: {what}"));
        let mut r = Reader::new(bytes);
        let docs = r.u32("html document count")? as usize;
        let n = r.count(12, "html chunk count")?;
        let mut chunks = Vec::with_capacity(n);
        let (mut first, mut at) = (0u64, 0u64);
        for _ in 0..n {
            let count = r.u32("html chunk")?;
            let raw_len = r.u32("html chunk")?;
            let len = r.u32("html chunk")?;
            if count == 0 || raw_len > MAX_CHUNK {
                return Err(bad("bad chunk"));
            }
            chunks.push(Chunk {
                first: first as u32,
                count,
                at: at as u32,
                len,
                raw_len,
            });
            first += u64::from(count);
            at += u64::from(len);
            if first > docs as u64 {
                return Err(bad("more documents in chunks than declared"));
            }
        }
        let data = &bytes[bytes.len() - r.remaining()..];
        if first != docs as u64 || at != data.len() as u64 {
            return Err(bad("the chunks do not cover the documents and bytes"));
        }
        Ok(Texts::new(docs, chunks, data.to_vec()))
    }

    /// The HTML of document `doc`; `None` past the end or when its chunk
    /// is damaged.
    pub fn html(&self, doc: usize) -> Option<String> {
        self.with_html(doc, str::to_string)
    }

    /// The plain text of document `doc` (as indexed).
    pub fn body(&self, doc: usize) -> Option<Arc<str>> {
        let mut bodies = self.0.bodies.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pos) = bodies.iter().position(|(d, _)| *d == doc) {
            let hit = bodies.remove(pos);
            let out = hit.1.clone();
            bodies.insert(0, hit);
            return Some(out);
        }
        let body: Arc<str> = self.with_html(doc, html_to_text)?.into();
        bodies.insert(0, (doc, body.clone()));
        bodies.truncate(RECENT_BODIES);
        Some(body)
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
        let mut recent = self.0.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pos) = recent.iter().position(|(c, _)| *c == i) {
            let hit = recent.remove(pos);
            let out = hit.1.clone();
            recent.insert(0, hit);
            return Some(out);
        }
        let c = *self.0.chunks.get(i)?;
        let bytes = self
            .0
            .data
            .get(c.at as usize..(c.at as usize).checked_add(c.len as usize)?)?;
        let raw =
            miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, c.raw_len as usize).ok()?;
        let mut r = Reader::new(&raw);
        let texts = (0..c.count)
            .map(|_| r.str("html"))
            .collect::<Result<Vec<_>>>()
            .ok()?;
        if !r.is_empty() {
            return None;
        }
        let texts: Arc<[String]> = texts.into();
        recent.insert(0, (i, texts.clone()));
        recent.truncate(RECENT);
        Some(texts)
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

    #[test]
    fn every_document_comes_back_across_chunks() {
        let html: Vec<String> = (0..200)
            .map(|i| format!("<p>doc {i} {}</p>", "word ".repeat(i * 7)))
            .collect();
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
    fn a_damaged_chunk_yields_no_text() {
        let html = vec!["<p>one</p>".to_string(), "<p>two</p>".to_string()];
        let mut encoded = Vec::new();
        Texts::build(&html).encode(&mut encoded);
        // A stored block whose length and its complement disagree.
        let data_at = encoded.len() - Texts::build(&html).stored_bytes();
        encoded[data_at..].fill(0);
        let texts = Texts::decode(&encoded).unwrap();
        assert_eq!(texts.html(0), None);
        assert_eq!(Texts::build(&[]).len(), 0);
    }
}
