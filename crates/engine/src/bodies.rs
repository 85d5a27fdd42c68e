//! The article texts of one language as the engine holds them: whole (an
//! index built here, or a whole container's), or in *pieces* that travel
//! apart from the pack and arrive one by one, when a hit shown or the
//! reader needs one of their documents.
//!
//! Why pieces: the texts are most of a help center's bytes (the Debian
//! Reference in English: 210 of 319 KB deflated), and the first answer with
//! snippets needs about ten of them. One bodies file made every visitor
//! fetch all of them (at 50,000 articles, 3.4 s before the first snippet);
//! pieces of a few documents each let a visitor fetch the texts of the hits
//! they see, as Pagefind fetches a fragment per result.
//!
//! A piece is a run of consecutive documents, whole chunks of
//! [`crate::texts`] closed once it holds [`PIECE_TARGET`] raw bytes; its
//! file is a stored container holding only an html section, its chunks
//! deflated each ([`crate::container::split`]), named
//! `{stem}.{n}.hcbodies` ([`hc_core::static_site::piece_file`]), and kept as
//! it arrives. The pack's html section holds the table instead: the stem,
//! and per piece its document count and its html section's length and CRC,
//! which [`Bodies::attach`] checks. A cache entry holds the same table
//! followed by the pieces that had arrived.
//!
//! Each piece's texts are a [`Texts`] of their own, set once; all share one
//! language's [`Caches`], so that the memory of inflated chunks stays
//! bounded however many pieces arrive.

use std::sync::{Arc, OnceLock};

use crate::codec::{Reader, Writer};
use crate::error::{EngineError, Result};
use crate::texts::{Caches, Texts};

/// Raw bytes after which a piece is closed: one chunk of
/// [`crate::texts`], one or two articles. Measured on the dev queries
/// (engine README, "Texts in pieces"): the Debian Reference in English
/// fetches 20 KB for a query's ten hits in 4 KiB pieces, 33 KB in 8 KiB,
/// 52 KB in 16 KiB, 73 KB in 32 KiB, in about as many requests (9.1 / 8.7
/// / 8.2 / 7.1), for 130 / 70 / 39 / 23 files holding 269 / 252 / 238 /
/// 227 KB (206 KB as one file).
pub const PIECE_TARGET: usize = 4 * 1024;

/// Whether `stem` can name piece files: not empty, of letters, digits,
/// `.`, `-` and `_` (no path).
pub(crate) fn is_stem(stem: &str) -> bool {
    !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
}

/// A piece's identity in the pack's table: what its file must match.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PieceKey {
    /// Documents in the piece.
    pub docs: u32,
    /// Length and CRC of the piece file's (stored) html section.
    pub len: u32,
    pub crc: u32,
}

/// The article texts of one language (document `i` of the index is text
/// `i`). Cloning shares them, pieces that arrive later included.
#[derive(Clone)]
pub struct Bodies(Arc<Inner>);

struct Inner {
    docs: usize,
    /// The piece files' name stem; `None` when the texts are whole.
    stem: Option<String>,
    pieces: Vec<Piece>,
    caches: Arc<Caches>,
}

struct Piece {
    first: usize,
    key: PieceKey,
    texts: OnceLock<Texts>,
}

fn bad(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("html pieces: {what}"))
}

impl Bodies {
    /// Texts that are all here.
    pub fn whole(texts: Texts) -> Bodies {
        let docs = texts.len();
        Bodies(Arc::new(Inner {
            docs,
            stem: None,
            caches: texts.caches().clone(),
            pieces: vec![Piece {
                first: 0,
                key: PieceKey {
                    docs: docs as u32,
                    len: 0,
                    crc: 0,
                },
                texts: OnceLock::from(texts),
            }],
        }))
    }

    /// Texts that travel in pieces named from `stem`, those of `present`
    /// already here (one entry per key).
    fn apart(stem: String, keys: Vec<PieceKey>, present: Vec<Option<Texts>>) -> Bodies {
        let caches = Arc::new(Caches::default());
        let mut first = 0;
        let pieces = keys
            .into_iter()
            .zip(present)
            .map(|(key, texts)| {
                let piece = Piece {
                    first,
                    key,
                    texts: match texts {
                        Some(t) => OnceLock::from(t.within(&caches, first)),
                        None => OnceLock::new(),
                    },
                };
                first += key.docs as usize;
                piece
            })
            .collect();
        Bodies(Arc::new(Inner {
            docs: first,
            stem: Some(stem),
            pieces,
            caches,
        }))
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.0.docs
    }

    /// The whole texts, when they do not travel in pieces.
    pub fn as_whole(&self) -> Option<&Texts> {
        match (&self.0.stem, self.0.pieces.as_slice()) {
            (None, [one]) => one.texts.get(),
            _ => None,
        }
    }

    /// Number of pieces, when the texts travel in pieces (else 0).
    pub fn piece_count(&self) -> u32 {
        match self.0.stem {
            Some(_) => self.0.pieces.len() as u32,
            None => 0,
        }
    }

    /// Whether piece `n` is here (whole texts: all are).
    pub fn has_piece(&self, n: u32) -> bool {
        self.0
            .pieces
            .get(n as usize)
            .is_some_and(|p| p.texts.get().is_some())
    }

    /// The piece file stem, when the texts travel in pieces.
    pub fn stem(&self) -> Option<&str> {
        self.0.stem.as_deref()
    }

    /// The piece holding document `doc`.
    fn piece_of(&self, doc: usize) -> Option<usize> {
        if doc >= self.0.docs {
            return None;
        }
        self.0
            .pieces
            .partition_point(|p| p.first <= doc)
            .checked_sub(1)
    }

    fn with_texts<R>(&self, doc: usize, f: impl FnOnce(&Texts, usize) -> R) -> Option<R> {
        let piece = &self.0.pieces[self.piece_of(doc)?];
        Some(f(piece.texts.get()?, doc - piece.first))
    }

    /// The HTML of document `doc`; `None` past the end, while its piece has
    /// not arrived, or when its chunk is damaged.
    pub fn html(&self, doc: usize) -> Option<String> {
        self.with_texts(doc, |t, i| t.html(i)).flatten()
    }

    /// The plain text of document `doc` (as indexed); `None` as for
    /// [`Bodies::html`].
    pub fn body(&self, doc: usize) -> Option<Arc<str>> {
        self.with_texts(doc, |t, i| t.body(i)).flatten()
    }

    /// The piece document `doc`'s text is in, if it has not arrived.
    pub fn missing(&self, doc: usize) -> Option<u32> {
        let i = self.piece_of(doc)?;
        self.0.pieces[i].texts.get().is_none().then_some(i as u32)
    }

    /// Takes piece `n` from its file's bytes; an error, leaving the texts
    /// as they were, if they are damaged or not that piece's. A piece
    /// already here is kept.
    pub fn attach(&self, n: u32, bytes: &[u8]) -> Result<()> {
        let piece = usize::try_from(n)
            .ok()
            .and_then(|n| self.0.pieces.get(n))
            .filter(|_| self.0.stem.is_some())
            .ok_or_else(|| EngineError::BodiesMismatch(format!("no piece {n} here")))?;
        if piece.texts.get().is_some() {
            return Ok(());
        }
        let texts = crate::container::bodies(bytes, (piece.key.len, piece.key.crc))?;
        if texts.len() != piece.key.docs as usize {
            return Err(EngineError::BodiesMismatch(format!(
                "{} texts for a piece of {} documents",
                texts.len(),
                piece.key.docs
            )));
        }
        let _ = piece.texts.set(texts.within(&self.0.caches, piece.first));
        Ok(())
    }

    /// Appends the table of texts in pieces (see the module's doc): with
    /// `stored`, the pieces here follow it (a cache entry's), else none do
    /// (a pack's). Whole texts have no table.
    pub fn encode_table(&self, out: &mut Vec<u8>, stored: bool) {
        let Some(stem) = &self.0.stem else {
            return;
        };
        let mut w = Writer::default();
        w.str(stem);
        w.u32(self.0.pieces.len() as u32);
        let mut data = Vec::new();
        for p in &self.0.pieces {
            w.u32(p.key.docs);
            w.u32(p.key.len);
            w.u32(p.key.crc);
            let at = data.len();
            if let (true, Some(t)) = (stored, p.texts.get()) {
                t.encode(&mut data);
            }
            w.u32((data.len() - at) as u32);
        }
        out.extend_from_slice(&w.buf);
        out.extend_from_slice(&data);
    }

    /// The length of what [`Bodies::encode_table`] appends.
    pub fn table_len(&self, stored: bool) -> usize {
        let Some(stem) = &self.0.stem else {
            return 0;
        };
        let pieces: usize = self
            .0
            .pieces
            .iter()
            .filter_map(|p| p.texts.get().filter(|_| stored))
            .map(Texts::encoded_len)
            .sum();
        4 + stem.len() + 4 + self.0.pieces.len() * 16 + pieces
    }

    /// Decodes a table of pieces for `docs` documents (checking that the
    /// pieces cover them, and each stored piece's own table).
    pub fn decode_table(bytes: &[u8], docs: usize) -> Result<Bodies> {
        let mut r = Reader::new(bytes);
        let stem = r.str("piece stem")?;
        if !is_stem(&stem) {
            return Err(bad("a piece stem that is not a file name"));
        }
        let n = r.count(16, "piece count")?;
        let mut keys = Vec::with_capacity(n);
        let mut lens = Vec::with_capacity(n);
        let mut covered = 0u64;
        for _ in 0..n {
            let key = PieceKey {
                docs: r.u32("piece")?,
                len: r.u32("piece")?,
                crc: r.u32("piece")?,
            };
            if key.docs == 0 {
                return Err(bad("an empty piece"));
            }
            covered += u64::from(key.docs);
            keys.push(key);
            lens.push(r.u32("piece")? as usize);
        }
        if covered != docs as u64 {
            return Err(bad("the pieces do not cover the documents"));
        }
        let mut rest = &bytes[bytes.len() - r.remaining()..];
        let mut present = Vec::with_capacity(n);
        for (key, len) in keys.iter().zip(lens) {
            let Some((head, tail)) = rest.split_at_checked(len) else {
                return Err(bad("a stored piece is cut short"));
            };
            rest = tail;
            present.push(match len {
                0 => None,
                _ => {
                    let texts = Texts::decode(head)?;
                    if texts.len() != key.docs as usize {
                        return Err(bad("a stored piece of another size"));
                    }
                    Some(texts)
                }
            });
        }
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(Bodies::apart(stem, keys, present))
    }

    /// Texts in pieces none of which is here: what a pack's table says.
    pub fn travelling(stem: String, keys: Vec<PieceKey>) -> Bodies {
        let none = vec![None; keys.len()];
        Bodies::apart(stem, keys, none)
    }
}

impl PartialEq for Bodies {
    fn eq(&self, other: &Bodies) -> bool {
        self.0.docs == other.0.docs
            && self.0.stem == other.0.stem
            && self.0.pieces.len() == other.0.pieces.len()
            && self
                .0
                .pieces
                .iter()
                .zip(&other.0.pieces)
                .all(|(a, b)| a.key == b.key && a.texts.get() == b.texts.get())
    }
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bodies")
            .field("docs", &self.0.docs)
            .field("stem", &self.0.stem)
            .field("pieces", &self.0.pieces.len())
            .field(
                "here",
                &self
                    .0
                    .pieces
                    .iter()
                    .filter(|p| p.texts.get().is_some())
                    .count(),
            )
            .finish()
    }
}
