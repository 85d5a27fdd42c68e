//! The index container: everything one language of a help center needs in
//! the browser, in one versioned, checksummed byte format. `hcs
//! build-static` writes it (one file per language), the worker loads it and
//! keeps it as its IndexedDB cache entry, and a server can build it per
//! request ([`IndexContainer::build`] is a plain function of a public
//! snapshot and a language).
//!
//! Layout (little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 0..4 | magic `HCSP` |
//! | 4..6 | format version ([`FORMAT_VERSION`]) |
//! | 6 | flags: bit 0 = stored (a cache entry or a piece file: sections not deflated, the html chunks deflated each); bit 1 = the texts travel in pieces (below); other bits 0 |
//! | 7 | reserved, 0 |
//! | 8..44 | per section (index, documents, html): stored length, raw length, CRC-32 of the stored bytes (3 × u32) |
//! | 44..48 | CRC-32 of bytes 0..44 |
//! | 48.. | the three sections, in that order, nothing after |
//!
//! Sections (DEFLATE-compressed unless flag bit 0 is set):
//!
//! - **index**: the language code, the tantivy files of the segment
//!   plus `meta.json` (name, bytes; carried, not read: the engine knows
//!   its schema and the files name the segment), the site's synonym groups of the
//!   language (members as written) and its suggestions by page path
//!   (pattern, ids, query), then a u32: 0, or 1 and the table of the
//!   chunks of the files that travel apart (below; they are then not
//!   among the files);
//! - **documents**: the category paths (each once: names root → leaf in the
//!   language) and the result table, one entry per tantivy document in
//!   order: id, title, slug, index of its category path, the categories a
//!   filter may name, views;
//! - **html**: the sanitised article HTML of each document, in chunks of
//!   a few documents ([`crate::texts`]), which the engine keeps deflated
//!   each, inflating a chunk when the reader, a snippet or a phrase check
//!   needs one of its documents (the plain text is extracted from the HTML
//!   then). A whole travelling container holds the chunks raw, the
//!   section deflated whole (one stream deflates ~15% better than 4 KiB
//!   chunks); a publisher loading it ([`Container::engine`]) inflates it as
//!   a stream and deflates each chunk at a fast level as it comes out, and
//!   splits it before serving it (below). A cache entry holds the chunks as
//!   the engine keeps them, so a warm start neither inflates nor deflates
//!   any text.
//!
//! **Texts in pieces.** A travelling container can be [`split`] into the
//! *pack* (flag bit 1) and the *piece files* of its texts
//! ([`crate::bodies`]): each a stored container (flag bit 0) whose index
//! and documents sections are empty and whose html section holds a few
//! consecutive documents as [`Texts::encode`] writes them, each chunk
//! deflated on its own as densely as the publisher deflates
//! ([`Texts::pieces`]), so that the worker takes a piece as it
//! comes. The pack's html section holds the pieces' table instead (the
//! file name stem; per piece its document count, and its file's html
//! section's length and CRC, then its stored length, 0 here). The pack
//! alone answers searches (hits without snippets); the worker then fetches
//! the pieces the hits shown need, and [`Engine::attach_piece`] checks each
//! against the table before taking it. A cache entry of such an engine has
//! flag bits 0 and 1: the same table, each piece that had arrived stored
//! after it (its chunk table and chunks, as [`Texts::encode`] writes them).
//!
//! **Postings and terms in chunks.** [`split`] also takes the segment's
//! postings file (`.idx`) and term dictionary (`.term`), most of an
//! index's bytes, out of the pack: they travel in chunks
//! ([`crate::apart`]: [`crate::apart::POSTINGS_CHUNK`] and
//! [`crate::apart::TERMS_CHUNK`] raw bytes), each a piece file numbered
//! after the pieces of text, the postings' first (a stored container whose
//! index section is the chunk, deflated by itself), named from a stem of
//! their own, and once more whole in the *bundle*, the piece numbered
//! after the last chunk: the chunk files one after the other, which the
//! worker fetches in one request once the first answers are out, so that
//! later keystrokes read nothing from the network. The pack's index
//! section holds their table ([`ApartFiles`]: the stem; per file its name,
//! its length, the *resident* spans tantivy reads when the index opens, as
//! offset and bytes, and a CRC of those; then per chunk the length and CRC
//! of its stored bytes, the CRC of its raw bytes and the raw bytes a cache
//! entry stored of it). A search that reads a chunk not here names it
//! (`SearchResults::pieces_missing`, `lacks_chunks`) and
//! [`Engine::attach_piece`] checks a chunk, or each chunk of the bundle,
//! against the table. A cache entry stores the chunks that had arrived,
//! raw, after the table. A file's tantivy footer checksum cannot be
//! checked before every chunk is here: the table's CRCs of its resident
//! spans and of each chunk's raw bytes, checked before tantivy reads them,
//! stand for it.
//!
//! Only publishers read a container whose texts travel whole: they split
//! it. Its texts are inflated and each chunk deflated again, so decoding it
//! needs a deflater, which the worker does not link:
//! [`Container::served_engine`] refuses such a container, and the cache
//! entry's encoder ([`cache_entry`]) deflates nothing.
//!
//! Every section is checked by its own CRC before it is decoded; the header
//! has its own CRC.
//! Inflating is bounded by the raw length the header states, itself capped.
//! Before tantivy opens the index, each of its files must pass its own
//! footer checksum and be named as one segment's component, once (tantivy's
//! readers trust their files; a file forged with a correct checksum can
//! still make them panic).
//! Every read is bounds-checked and every count is checked against the bytes
//! left before anything is allocated, so no input panics: damage is an
//! [`EngineError`]. Nothing in the format depends on the platform.

use std::path::Path;
use std::sync::Arc;

use hc_core::page_rules::PageRule;
use hc_core::{PublicArticle, PublicCategory, Snapshot};
use tantivy::directory::OwnedBytes;
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::{Directory, Index};

use crate::analysis::Analysis;
use crate::apart::{ApartFiles, ChunkKey};
pub use crate::bodies::PIECE_TARGET;
use crate::bodies::{Bodies, PieceKey};
use crate::codec::{Reader, Writer};
use crate::docs::DocTable;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::index_dir::IndexDir;
use crate::parts::Parts;
use crate::schema::{index_settings, schema};
use crate::texts::Texts;
use crate::travel_deflate;

mod stream;
pub use stream::{InflatedPack, PackStream};

const MAGIC: [u8; 4] = *b"HCSP";
/// Bumped whenever the layout, the schema or the analysis changes. Version
/// 3 was the engine pack without reader documents, 4 this container without
/// synonyms and page rules, 5 adds them, 6 drops elided French, Italian and
/// Catalan particles ("l'", "dell'") from the index, 7 drops the body texts
/// and puts the HTML in chunks, 8 lets the html section travel apart, 9
/// stems before folding (and indexes both forms, `crate::stem`), 10 splits
/// the travelling texts in pieces (`crate::bodies`), 11 keeps a piece's
/// chunks as they travel (deflated each, in a stored container), 12 lets
/// the postings travel in chunks (`crate::apart`), 13 writes the
/// documents section's numbers as varints and a slug as what it adds to
/// its title's (`crate::docs`), 14 writes each category path's chain of
/// ids once, not in every entry, 15 carried a travelling container's term
/// infos in a form of their own, 16 the term dictionaries as tantivy's
/// SSTables in small blocks (`crate::term_blocks`), 17 lets the term
/// dictionary travel in chunks too.
pub const FORMAT_VERSION: u16 = 17;
const SECTIONS: usize = 3;
const HEADER: usize = 8 + SECTIONS * 12 + 4;

/// What an index chunk's file adds to the chunk's stored bytes: a
/// stored container's header (the chunk is its index section).
pub(crate) const CHUNK_FILE_OVERHEAD: usize = HEADER;
/// Largest raw size a section may declare (and so inflate to).
const MAX_SECTION: u32 = 1 << 30;
const FLAG_STORED: u8 = 1;
const FLAG_APART: u8 = 2;

const INDEX: usize = 0;
const DOCUMENTS: usize = 1;
const HTML: usize = 2;
const NAMES: [&str; SECTIONS] = ["index", "documents", "html"];

/// The engine that writes and reads containers: a container or a cache
/// entry of another is refused (by the cache key and by `packs.json`),
/// never misread.
pub fn engine_id() -> String {
    format!(
        "hc-engine-{}/container-{FORMAT_VERSION}",
        env!("CARGO_PKG_VERSION")
    )
}

/// How a container is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Packing {
    /// Every section deflated whole (the html chunks raw inside): the
    /// smallest file, for containers that travel; publishers [`split`]
    /// it before serving it.
    Travel,
    /// Stored as is, the html chunks deflated each as the engine keeps
    /// them: for a local cache, where a warm start in cold wasm code should
    /// not inflate the index nor deflate the texts.
    Cache,
}

/// What the in-widget reader and the empty state need about an article
/// besides its HTML ([`ReaderDocs::html`]): its entry in the engine's
/// result table.
pub use crate::docs::Doc as ReaderDoc;

/// The reader documents of one language, in index order: the engine's
/// result table and their HTML (deflated), both shared with the engine,
/// not copied (at 50,000 articles a copy of the table was 10 MB of the
/// worker's heap).
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderDocs {
    /// The engine's result table.
    pub docs: Arc<DocTable>,
    texts: Bodies,
}

impl ReaderDocs {
    /// The reader documents of an engine's articles (sharing its texts).
    pub fn of(engine: &Engine) -> ReaderDocs {
        ReaderDocs {
            docs: Arc::clone(&engine.docs),
            texts: engine.texts.clone(),
        }
    }

    pub fn get(&self, id: i64) -> Option<ReaderDoc<'_>> {
        self.docs.get(self.docs.position(id)?)
    }

    /// The sanitised HTML of article `id`, inflated on demand; `None` for
    /// an article not here, whose piece of text has not arrived (see
    /// [`ReaderDocs::missing`]), or whose stored text is damaged.
    pub fn html(&self, id: i64) -> Option<String> {
        self.texts.html(self.docs.position(id)?)
    }

    /// The piece of text article `id` waits for, if it has not arrived
    /// (see [`Engine::attach_piece`]).
    pub fn missing(&self, id: i64) -> Option<u32> {
        self.texts.missing(self.docs.position(id)?)
    }

    /// The most viewed articles, for the empty state.
    pub fn most_viewed(&self, limit: usize) -> Vec<ReaderDoc<'_>> {
        let mut all: Vec<ReaderDoc<'_>> = self.docs.iter().collect();
        crate::order::sort_by(&mut all, |a, b| b.views.cmp(&a.views).then(a.id.cmp(&b.id)));
        all.truncate(limit);
        all
    }
}

/// One language's index and reader documents: what a container holds.
pub struct IndexContainer {
    pub engine: Engine,
    pub reader: ReaderDocs,
}

impl IndexContainer {
    /// Builds the index and reader documents of `lang` from a public
    /// snapshot, with the snapshot's synonyms of that language.
    pub fn build(snapshot: &Snapshot, lang: &str) -> Result<IndexContainer> {
        let mut built = Self::from_articles(lang, &snapshot.articles, &snapshot.categories)?;
        let groups = snapshot
            .synonyms
            .iter()
            .find(|(code, _)| code.as_str() == lang)
            .map(|(_, groups)| groups.clone())
            .unwrap_or_default();
        if !groups.is_empty() {
            built.engine = built.engine.with_synonyms(groups);
        }
        built.engine = built.engine.with_page_rules(snapshot.page_rules.clone());
        Ok(built)
    }

    /// As [`IndexContainer::build`], from public articles and categories.
    pub fn from_articles(
        lang: &str,
        articles: &[PublicArticle],
        categories: &[PublicCategory],
    ) -> Result<IndexContainer> {
        let engine = Engine::build(lang, articles, categories)?;
        let reader = ReaderDocs::of(&engine);
        Ok(IndexContainer { engine, reader })
    }

    /// Encodes the container.
    pub fn to_bytes(&self, packing: Packing) -> Result<Vec<u8>> {
        encode(&self.engine, &self.reader, packing)
    }

    /// The pack and its piece files, as [`split`] makes them
    /// from this container's travelling bytes, but from the texts the
    /// engine holds: its chunks are inflated once, and the texts are never
    /// deflated whole only to be inflated again.
    pub fn split(
        &self,
        piece_target: usize,
        mut stem: impl FnMut(&[Vec<u8>]) -> String,
    ) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
        let Some(texts) = self.engine.texts.as_whole() else {
            return Err(EngineError::CorruptPack(
                "only a whole travelling container splits".into(),
            ));
        };
        let empty = (0, 0, crc32fast::hash(&[]));
        let mut files = Vec::new();
        let mut keys = Vec::new();
        for piece in texts.pieces(piece_target, travel_deflate::fast)? {
            let mut html = Vec::with_capacity(piece.encoded_len());
            piece.encode(&mut html);
            let len = section_len(html.len())?;
            let crc = crc32fast::hash(&html);
            keys.push(PieceKey {
                docs: piece.len() as u32,
                len,
                crc,
            });
            let mut file = header(FLAG_STORED, [empty, empty, (len, len, crc)]).to_vec();
            file.extend_from_slice(&html);
            files.push(file);
        }
        let table = Bodies::travelling(stem(&files), keys);
        // The chunks of the postings and the term dictionary, numbered
        // after the pieces of text, named from a stem of their own.
        let whole: Vec<(String, OwnedBytes)> = index_files(&self.engine)?
            .into_iter()
            .filter(|(name, _)| crate::apart::chunk_len(name).is_some())
            .collect();
        let apart = if whole.is_empty() {
            None
        } else {
            let resident = resident_spans(&self.engine, &whole)?;
            let whole: Vec<_> = whole
                .into_iter()
                .zip(resident)
                .map(|((name, bytes), resident)| (name, bytes, resident))
                .collect();
            let chunk_file = |chunk: &[u8], crc: u32| {
                let len = section_len(chunk.len())?;
                let mut file = header(FLAG_STORED, [(len, len, crc), empty, empty]).to_vec();
                file.extend_from_slice(chunk);
                Ok(file)
            };
            let (apart, chunks) =
                ApartFiles::split(&whole, travel_deflate::fast, chunk_file, &mut stem)?;
            files.extend(chunks);
            Some(apart)
        };
        let pack = encode_texts(
            &self.engine,
            &table,
            apart.as_ref(),
            &self.reader,
            Some(TRAVELLING),
        )?
        .into_vec();
        Ok((pack, files))
    }

    /// Decodes a whole container: the engine and the reader documents.
    pub fn from_bytes(bytes: &[u8]) -> Result<IndexContainer> {
        let engine = Container::open(bytes)?.engine()?;
        let reader = ReaderDocs::of(&engine);
        Ok(IndexContainer { engine, reader })
    }
}

/// Encodes an engine and its reader documents (one per indexed document,
/// in the same order, as [`IndexContainer`] holds them).
pub fn encode(engine: &Engine, reader: &ReaderDocs, packing: Packing) -> Result<Vec<u8>> {
    match packing {
        Packing::Travel => encode_texts(
            engine,
            &engine.texts,
            engine.dir.apart_files(),
            reader,
            Some(TRAVELLING),
        ),
        Packing::Cache => cache_entry(engine, reader),
    }
    .map(Parts::into_vec)
}

/// `part`, which lies in `whole`, as a share of it (not a copy). A part
/// that does not lie in it (no caller makes one) is copied.
pub(crate) fn shared_part(whole: &OwnedBytes, part: &[u8]) -> OwnedBytes {
    let at = (part.as_ptr() as usize).checked_sub(whole.as_slice().as_ptr() as usize);
    let range = at.and_then(|at| Some(at..at.checked_add(part.len())?));
    match range {
        Some(range) if range.end <= whole.len() => whole.slice(range),
        _ => OwnedBytes::new(part.to_vec()),
    }
}

/// [`Container::served_engine`] of a container the engine may keep (a
/// cache entry, which the worker reads into a buffer of its own): its
/// stored index files are read where they lie in `bytes`, not copied, so
/// the index is in memory once.
pub fn served_engine_keeping(bytes: Vec<u8>) -> Result<Engine> {
    let bytes = OwnedBytes::new(bytes);
    Container::open_shared(&bytes)?.served_engine()
}

/// [`encode`] with [`Packing::Cache`]: what the worker stores, as its
/// parts (the index files shared with the engine, not copied). Nothing is
/// deflated, and a build that only calls this links no deflater.
pub fn cache_entry(engine: &Engine, reader: &ReaderDocs) -> Result<Parts> {
    encode_texts(
        engine,
        &engine.texts,
        engine.dir.apart_files(),
        reader,
        None,
    )
}

/// How a travelling container's sections are deflated: the index and
/// documents sections densely, the html section (the texts of a whole
/// container, to be split, or a pack's small table of pieces) fast.
struct Deflaters {
    dense: Deflate,
    fast: Deflate,
}

/// Raw bytes to a raw DEFLATE stream.
type Deflate = fn(&[u8]) -> Vec<u8>;

const TRAVELLING: Deflaters = Deflaters {
    dense: travel_deflate::dense,
    fast: travel_deflate::fast,
};

/// [`encode`] with `texts` in the html section: the engine's, or the table
/// of the pieces a pack's texts travel in ([`IndexContainer::split`]);
/// deflated by `travelling` ([`Packing::Travel`]), else stored. The
/// deflaters are a parameter, not chosen here by the packing, so that a
/// build that only writes cache entries ([`cache_entry`]) names none and
/// links no compressor.
fn encode_texts(
    engine: &Engine,
    texts: &Bodies,
    apart: Option<&ApartFiles>,
    reader: &ReaderDocs,
    travelling: Option<Deflaters>,
) -> Result<Parts> {
    let packing = if travelling.is_some() {
        Packing::Travel
    } else {
        Packing::Cache
    };
    if reader.docs.len() != engine.docs.len()
        || reader
            .docs
            .iter()
            .zip(engine.docs.iter())
            .any(|(r, d)| r.id != d.id)
    {
        return Err(EngineError::ReaderMismatch);
    }
    // Each section is written as parts (`Parts`): the index files are
    // shares of tantivy's directory, not copies, and a cache entry stays
    // parts for the worker to hand to the browser. A cache entry of a large
    // help center is tens of MB, and every extra copy of it would stay in
    // the worker's wasm heap, which never shrinks.
    let whole = texts.as_whole();
    let flags = match packing {
        Packing::Travel => 0,
        Packing::Cache => FLAG_STORED,
    } | if whole.is_some() { 0 } else { FLAG_APART };
    let mut index = Parts::default();
    let mut w = Writer::default();
    w.str(engine.lang());
    let files: Vec<_> = index_files(engine)?
        .into_iter()
        .filter(|(name, _)| apart.is_none_or(|a| !a.holds(name)))
        .collect();
    w.u32(files.len() as u32);
    for (name, data) in files {
        w.str(&name);
        w.u32(data.len() as u32);
        index.push(std::mem::take(&mut w.buf));
        index.push_shared(data);
    }
    write_index_tail(engine, &mut w);
    // The chunks of the files that travel apart: their table, and in a
    // cache entry the chunks here (shared).
    match apart {
        None => w.u32(0),
        Some(p) => {
            w.u32(1);
            let chunks = p.encode_table(&mut w, packing == Packing::Cache);
            index.push(std::mem::take(&mut w.buf));
            for chunk in chunks {
                index.push_shared(chunk);
            }
        }
    }
    index.push(w.buf);
    // The table is the documents section as it is encoded: shared.
    let mut documents = Parts::default();
    documents.push_shared(engine.docs.bytes().clone());
    let mut html = Vec::with_capacity(match (packing, whole) {
        (Packing::Travel, Some(texts)) => texts.raw_encoded_len(),
        (Packing::Cache, Some(texts)) => texts.encoded_len(),
        (packing, None) => texts.table_len(packing == Packing::Cache),
    });
    match (packing, whole) {
        (Packing::Travel, Some(texts)) => texts.encode_raw(&mut html)?,
        (Packing::Cache, Some(texts)) => texts.encode(&mut html),
        (packing, None) => texts.encode_table(&mut html, packing == Packing::Cache),
    }
    // A whole container's texts are split into pieces before they are
    // published (and a pack's html section is their small table): not
    // worth Zopfli's time.
    let deflaters = travelling.map(|d| [d.dense, d.dense, d.fast]);
    let mut out = Parts::default();
    let mut fields = [(0, 0, 0); SECTIONS];
    for (i, section) in [index, documents, Parts::from(html)]
        .into_iter()
        .enumerate()
    {
        let raw_len = section.len();
        let stored = match deflaters {
            Some(deflate) if raw_len > 0 => Parts::from(deflate[i](&section.into_vec())),
            _ => section,
        };
        fields[i] = (
            section_len(stored.len())?,
            section_len(raw_len)?,
            stored.crc32(),
        );
        out.append(stored);
    }
    let mut entry = Parts::from(header(flags, fields).to_vec());
    entry.append(out);
    Ok(entry)
}

/// A section length as the header holds it: at most [`MAX_SECTION`].
fn section_len(n: usize) -> Result<u32> {
    u32::try_from(n)
        .ok()
        .filter(|n| *n <= MAX_SECTION)
        .ok_or_else(|| EngineError::CorruptPack("a section is too large".into()))
}

/// A container's header: the flags and, per section, its stored length,
/// raw length and CRC, then the header's own CRC.
fn header(flags: u8, fields: [(u32, u32, u32); SECTIONS]) -> [u8; HEADER] {
    let mut out = [0u8; HEADER];
    out[..4].copy_from_slice(&MAGIC);
    out[4..6].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    out[6] = flags;
    for (i, (len, raw_len, crc)) in fields.into_iter().enumerate() {
        let at = 8 + i * 12;
        out[at..at + 4].copy_from_slice(&len.to_le_bytes());
        out[at + 4..at + 8].copy_from_slice(&raw_len.to_le_bytes());
        out[at + 8..at + 12].copy_from_slice(&crc.to_le_bytes());
    }
    let crc = crc32fast::hash(&out[..HEADER - 4]);
    out[HEADER - 4..].copy_from_slice(&crc.to_le_bytes());
    out
}

/// The index section after its tantivy files: the synonym groups and the
/// page rules.
fn write_index_tail(engine: &Engine, w: &mut Writer) {
    let groups = engine.synonym_groups();
    w.u32(groups.len() as u32);
    for group in groups {
        w.u32(group.len() as u32);
        for member in group {
            w.str(member);
        }
    }
    let rules = engine.page_rules();
    w.u32(rules.len() as u32);
    for rule in rules {
        w.str(&rule.path);
        w.u32(rule.ids.len() as u32);
        for id in &rule.ids {
            w.i64(*id);
        }
        w.str(rule.query.as_deref().unwrap_or(""));
    }
}

/// The id the segment's files carry in a container. tantivy draws a
/// random one for each index it builds, which made two builds of the same
/// articles differ in bytes, and so in content-hashed pack names (a
/// rebuild or a restarted proxy sent browsers and CDNs new files for old
/// content). An engine holds one segment, so a fixed id is enough: a
/// container depends on its articles alone.
const SEGMENT_ID: &str = "00000000000040008000000000000000";

/// The tantivy files of the engine's index, sorted by name (shared with
/// its in-memory directory, not copied; `meta.json` rewritten), the
/// segment's files under [`SEGMENT_ID`].
pub(crate) fn index_files(engine: &Engine) -> Result<Vec<(String, OwnedBytes)>> {
    let dir = engine.index.directory();
    // The segment's meta made again from its reader: listing the index's
    // segments would parse `meta.json` (a loaded container's is outside
    // bytes, carried unread).
    let segment = engine
        .segment
        .as_ref()
        .map(|s| engine.index.new_segment_meta(s.segment_id(), s.max_doc()));
    let mut files: Vec<String> = segment
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
        .filter(|p| engine.dir.apart_files().is_none_or(|a| !a.holds(p)))
        .collect();
    files.push("meta.json".into());
    crate::order::sort_by(&mut files, Ord::cmp);
    files.dedup();
    // A built index's random id, renamed to the fixed one.
    let renamed = segment
        .map(|m| m.id().uuid_string())
        .filter(|id| id != SEGMENT_ID);
    files
        .into_iter()
        .map(|f| {
            // From the RAM directory itself: the index's (managed)
            // directory would cut each file's footer off.
            let storage = |e: &dyn std::fmt::Display| EngineError::Storage(e.to_string());
            let data = engine
                .dir
                .open_read(Path::new(&f))
                .map_err(|e| storage(&e))?
                .read_bytes()
                .map_err(|e| storage(&e))?;
            let Some(id) = &renamed else {
                return Ok((f, data));
            };
            if f == "meta.json" {
                // The id as meta.json writes it: hyphenated.
                let text = std::str::from_utf8(data.as_slice())
                    .map_err(|e| storage(&e))?
                    .replace(&hyphenated(id), &hyphenated(SEGMENT_ID));
                Ok((f, OwnedBytes::new(text.into_bytes())))
            } else {
                Ok((f.replacen(id, SEGMENT_ID, 1), data))
            }
        })
        .collect()
}

/// The spans of each of the `whole` files that tantivy reads when the
/// engine's index opens (their footers, each field's token count and its
/// dictionary's block index): learnt by opening it over files that record
/// their reads. A pack carries them, so that its index opens before any
/// chunk arrives.
fn resident_spans(
    engine: &Engine,
    whole: &[(String, OwnedBytes)],
) -> Result<Vec<Vec<std::ops::Range<usize>>>> {
    let recording = ApartFiles::recording(whole)?;
    let others = index_files(engine)?
        .into_iter()
        .filter(|(n, _)| !recording.holds(n) && n != "meta.json")
        .collect();
    let dir = IndexDir::over(others, Some(recording.clone()));
    let index = Index::create(dir, schema().0, index_settings())?;
    let id = SegmentId::from_uuid_string(SEGMENT_ID)
        .map_err(|_| EngineError::Storage("the fixed segment id".into()))?;
    let max_doc = u32::try_from(engine.docs.len())
        .map_err(|_| EngineError::CorruptPack("too many documents".into()))?;
    let segment =
        tantivy::SegmentReader::open(&index.segment(index.new_segment_meta(id, max_doc)))?;
    for field in crate::schema::fields_of(&index.schema())
        .ok_or_else(|| EngineError::CorruptPack("index schema lacks fields".into()))?
        .all()
    {
        segment.inverted_index(field)?;
    }
    Ok(recording.spans_read())
}

/// A 32-hex-digit UUID in its 8-4-4-4-12 form.
fn hyphenated(id: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &id[..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..]
    )
}

/// A whole travelling container (as [`encode`] writes it with
/// [`Packing::Travel`]) as the pack and its piece files (see the module's
/// doc): the pieces of its texts, each closed once it holds `piece_target`
/// raw bytes ([`PIECE_TARGET`] for a site's), then the chunks of its
/// postings and their bundle. `stem` names a group of files given all
/// their bytes (the pack holds the names, so they are of their content):
/// it is called for the pieces of text, then for the chunks (the bundle
/// takes the chunks' stem). File `n` is served as
/// [`hc_core::static_site::piece_file`]`(its group's stem, n)`, which
/// [`Engine::piece_file`] gives. A publisher that has built the index
/// calls [`IndexContainer::split`].
pub fn split(
    container: &[u8],
    piece_target: usize,
    stem: impl FnMut(&[Vec<u8>]) -> String,
) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    whole_container(container)?.split(piece_target, stem)
}

/// The whole travelling container `container` decodes to; only such a
/// container splits.
fn whole_container(container: &[u8]) -> Result<IndexContainer> {
    let c = Container::open(container)?;
    if c.stored || c.apart {
        return Err(EngineError::CorruptPack(
            "only a whole travelling container splits".into(),
        ));
    }
    IndexContainer::from_bytes(container)
}

/// The texts in a piece file ([`split`]) whose html section has the
/// length and CRC `key` (its pack's table's), taken as they are.
pub(crate) fn bodies(bytes: &[u8], key: (u32, u32)) -> Result<Texts> {
    let c = Container::open(bytes)?;
    let [index, documents, html] = c.sections;
    if !c.stored || c.apart || !index.bytes.is_empty() || !documents.bytes.is_empty() {
        return Err(EngineError::BodiesMismatch("not a piece file".into()));
    }
    // Stored: its raw length is its length (`Container::open` checks).
    if (html.raw_len, html.crc) != key {
        return Err(EngineError::BodiesMismatch(
            "the bodies of another content version".into(),
        ));
    }
    Texts::decode(&c.section(HTML)?)
}

/// The deflated chunk in a chunk file of the index ([`split`]) whose
/// stored bytes have the length and CRC `key` (its pack's table's).
pub(crate) fn index_chunk(bytes: &[u8], key: ChunkKey) -> Result<&[u8]> {
    let c = Container::open(bytes)?;
    let [index, documents, html] = c.sections;
    if !c.stored || c.apart || !documents.bytes.is_empty() || !html.bytes.is_empty() {
        return Err(EngineError::BodiesMismatch(
            "not an index chunk file".into(),
        ));
    }
    if (index.bytes.len() as u32, index.crc) != (key.len, key.crc)
        || crc32fast::hash(index.bytes) != index.crc
    {
        return Err(EngineError::BodiesMismatch(
            "an index chunk of another content version".into(),
        ));
    }
    Ok(index.bytes)
}

/// A container whose header has been checked; its sections are checked
/// and decoded on demand.
pub struct Container<'a> {
    /// Per section, the buffer its bytes are, when the caller shares it
    /// ([`Container::open_shared`], a [`PackStream`]'s sections): a stored
    /// or inflated section the engine keeps (the index files, the result
    /// table) is then read where it lies, not copied.
    owners: [Option<OwnedBytes>; SECTIONS],
    stored: bool,
    /// The texts travel in pieces: the html section is their table.
    apart: bool,
    /// The sections are raw and were checked as they arrived (a
    /// [`PackStream`]'s): nothing is checked or inflated again.
    checked: bool,
    sections: [Section<'a>; SECTIONS],
}

#[derive(Clone, Copy)]
struct Section<'a> {
    bytes: &'a [u8],
    raw_len: u32,
    crc: u32,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// A deflated section's whole bytes inflated (the buffer grows with what
/// comes out, bounded by the raw length the header states, which it must
/// then have).
fn inflate_section(name: &str, deflated: &[u8], raw_len: usize) -> Result<Vec<u8>> {
    inflate_exact(deflated, raw_len)
        .map_err(|e| EngineError::CorruptPack(format!("the {name} section {e}")))
}

/// A raw DEFLATE stream that must inflate to exactly `len` bytes (the
/// output bounded by it); the error says how it did not.
pub(crate) fn inflate_exact(deflated: &[u8], len: usize) -> std::result::Result<Vec<u8>, String> {
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, len)
        .map_err(|e| format!("does not inflate: {e:?}"))?;
    if raw.len() != len {
        return Err(format!("inflates to {} bytes, not {len}", raw.len()));
    }
    Ok(raw)
}

/// A section with no stored bytes: a deflated one must be empty raw too
/// (an empty DEFLATE stream has bytes).
fn check_empty_section(name: &str, stored: bool, raw_len: u32) -> Result<()> {
    if !stored && raw_len != 0 {
        return Err(EngineError::CorruptPack(format!(
            "the {name} section is empty"
        )));
    }
    Ok(())
}

/// A container's checked header: its flags and, per section, the stored
/// length, the raw length and the CRC of the stored bytes.
#[derive(Clone, Copy)]
struct Header {
    stored: bool,
    apart: bool,
    sections: [SectionHead; SECTIONS],
}

#[derive(Clone, Copy, Default)]
struct SectionHead {
    len: usize,
    raw_len: u32,
    crc: u32,
}

impl Header {
    /// Checks the header at the start of `bytes` (magic, version, its CRC,
    /// flags, each section's lengths); what follows it is not looked at.
    fn parse(bytes: &[u8]) -> Result<Header> {
        if bytes.len() < 4 || bytes[..4] != MAGIC {
            return Err(EngineError::NotAPack);
        }
        if bytes.len() < 6 {
            return Err(EngineError::CorruptPack("truncated header".into()));
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version != FORMAT_VERSION {
            return Err(EngineError::UnsupportedVersion {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        if bytes.len() < HEADER {
            return Err(EngineError::CorruptPack("truncated header".into()));
        }
        let expected = u32_at(bytes, HEADER - 4);
        let actual = crc32fast::hash(&bytes[..HEADER - 4]);
        if expected != actual {
            return Err(EngineError::ChecksumMismatch { expected, actual });
        }
        let (stored, apart) = match (bytes[6], bytes[7]) {
            (0, 0) => (false, false),
            (FLAG_STORED, 0) => (true, false),
            (FLAG_APART, 0) => (false, true),
            (f, 0) if f == FLAG_STORED | FLAG_APART => (true, true),
            (flags, reserved) => {
                return Err(EngineError::CorruptPack(format!(
                    "unknown header flags {flags:#04x} {reserved:#04x}"
                )))
            }
        };
        let mut sections = [SectionHead::default(); SECTIONS];
        for (i, section) in sections.iter_mut().enumerate() {
            let at = 8 + i * 12;
            let len = u32_at(bytes, at) as usize;
            let raw_len = u32_at(bytes, at + 4);
            if raw_len > MAX_SECTION || (stored && len != raw_len as usize) {
                return Err(EngineError::CorruptPack(format!(
                    "bad length of the {} section",
                    NAMES[i]
                )));
            }
            *section = SectionHead {
                len,
                raw_len,
                crc: u32_at(bytes, at + 8),
            };
        }
        Ok(Header {
            stored,
            apart,
            sections,
        })
    }
}

impl<'a> Container<'a> {
    /// Checks the header (magic, version, its CRC, flags, section lengths).
    pub fn open(bytes: &'a [u8]) -> Result<Container<'a>> {
        let header = Header::parse(bytes)?;
        let mut rest = &bytes[HEADER..];
        let mut sections = [Section {
            bytes: &[],
            raw_len: 0,
            crc: 0,
        }; SECTIONS];
        for (i, (section, head)) in sections.iter_mut().zip(header.sections).enumerate() {
            let Some((head_bytes, tail)) = rest.split_at_checked(head.len) else {
                return Err(EngineError::CorruptPack(format!(
                    "the {} section is cut short",
                    NAMES[i]
                )));
            };
            *section = Section {
                bytes: head_bytes,
                raw_len: head.raw_len,
                crc: head.crc,
            };
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(EngineError::CorruptPack("trailing bytes".into()));
        }
        Ok(Container {
            owners: [None, None, None],
            stored: header.stored,
            apart: header.apart,
            checked: false,
            sections,
        })
    }

    /// [`Container::open`] over a buffer the engine may keep: its index
    /// files are then slices of `bytes` (a cache entry's stored index is
    /// not copied; the buffer lives as long as the engine).
    fn open_shared(bytes: &'a OwnedBytes) -> Result<Container<'a>> {
        Ok(Container {
            owners: [Some(bytes.clone()), Some(bytes.clone()), None],
            ..Container::open(bytes.as_slice())?
        })
    }

    /// Checks one section's CRC and inflates it (bounded by its raw length;
    /// the html section is never inflated as a whole).
    fn section(&self, i: usize) -> Result<std::borrow::Cow<'a, [u8]>> {
        let s = self.sections[i];
        if self.checked {
            return Ok(std::borrow::Cow::Borrowed(s.bytes));
        }
        let actual = crc32fast::hash(s.bytes);
        if actual != s.crc {
            return Err(EngineError::ChecksumMismatch {
                expected: s.crc,
                actual,
            });
        }
        // A travelling html section of whole texts is inflated as a
        // stream by `texts`.
        let streamed = i == HTML && !self.apart;
        if self.stored || streamed || s.bytes.is_empty() {
            if !streamed && s.bytes.is_empty() {
                check_empty_section(NAMES[i], self.stored, s.raw_len)?;
            }
            return Ok(std::borrow::Cow::Borrowed(s.bytes));
        }
        Ok(std::borrow::Cow::Owned(inflate_section(
            NAMES[i],
            s.bytes,
            s.raw_len as usize,
        )?))
    }

    /// [`Container::section`] as bytes the engine can keep: an inflated
    /// section as it came out (without the inflater's spare capacity), a
    /// stored one as a slice of the shared buffer (copied only when there
    /// is none).
    fn shared_section(&self, i: usize) -> Result<OwnedBytes> {
        Ok(match self.section(i)? {
            std::borrow::Cow::Owned(mut raw) => {
                raw.shrink_to_fit();
                OwnedBytes::new(raw)
            }
            std::borrow::Cow::Borrowed(bytes) => match &self.owners[i] {
                Some(owner) => shared_part(owner, bytes),
                None => OwnedBytes::new(bytes.to_vec()),
            },
        })
    }

    /// The result table, over the section's bytes (shared when the
    /// container's buffer is).
    fn documents(&self) -> Result<DocTable> {
        DocTable::decode(self.shared_section(DOCUMENTS)?)
    }

    /// The article texts of `docs` documents: whole, or the table of
    /// their pieces (with those a cache entry stored). Whole texts that
    /// travel are `whole`'s to decode.
    fn texts_of(&self, docs: usize, whole: impl FnOnce(&Self) -> Result<Texts>) -> Result<Bodies> {
        if self.apart {
            return Bodies::decode_table(&self.section(HTML)?, docs);
        }
        let texts = if self.stored {
            Texts::decode(&self.section(HTML)?)?
        } else {
            whole(self)?
        };
        if texts.len() != docs {
            return Err(EngineError::CorruptPack(format!(
                "{} HTML texts for {} documents",
                texts.len(),
                docs
            )));
        }
        Ok(Bodies::whole(texts))
    }

    /// The texts of a travelling container that holds them whole: inflated
    /// as a stream, each chunk deflated again (the chunks are checked when
    /// inflated).
    fn travelling_texts(&self) -> Result<Texts> {
        Texts::inflate_raw(&self.section(HTML)?, self.sections[HTML].raw_len as usize)
    }

    /// The engine: the index, the documents and their texts.
    pub fn engine(&self) -> Result<Engine> {
        self.engine_with(Self::travelling_texts)
    }

    /// [`Container::engine`] of a container as browsers are served it (a
    /// pack whose texts travel in pieces) or as the worker stores it (a
    /// cache entry); a travelling container of whole texts, which
    /// publishers split first, is refused. Decoding those deflates their
    /// chunks again: a build that opens containers only through this links
    /// no deflater.
    pub fn served_engine(&self) -> Result<Engine> {
        self.engine_with(Self::refuse_whole_texts)
    }

    /// What [`Container::served_engine`] and [`Container::served_reader`]
    /// do with whole travelling texts.
    fn refuse_whole_texts(&self) -> Result<Texts> {
        Err(EngineError::WholeTexts)
    }

    fn engine_with(&self, whole: impl FnOnce(&Self) -> Result<Texts>) -> Result<Engine> {
        let raw = self.shared_section(INDEX)?;
        let mut r = Reader::new(raw.as_slice());
        let lang = r.str("language")?;
        let mut files = Vec::new();
        let n = r.count(8, "file count")?;
        let mut names = FileNames::default();
        let mut meta_json = None;
        for _ in 0..n {
            let name = r.str("file name")?;
            names.check(&name)?;
            let data = r.bytes("file data")?;
            if name == "meta.json" {
                // Kept as it came (an entry written from this engine has
                // the same bytes), never read: see below.
                meta_json = Some(data.to_vec());
                continue;
            }
            if !tantivy_footer_matches(data) {
                return Err(EngineError::CorruptPack(format!(
                    "index file {name:?} fails its own checksum"
                )));
            }
            files.push((name, shared_part(&raw, data)));
        }
        let Some(meta_json) = meta_json else {
            // Without it the entry encoded from this engine would carry
            // the one `Index::create` writes below: refused, as tantivy did.
            return Err(EngineError::CorruptPack("no meta.json".into()));
        };
        let groups = (0..r.count(4, "synonym group count")?)
            .map(|_| {
                (0..r.count(4, "synonym group")?)
                    .map(|_| r.str("synonym"))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let rules = (0..r.count(12, "page rule count")?)
            .map(|_| {
                let path = r.str("page rule path")?;
                let ids = (0..r.count(8, "page rule ids")?)
                    .map(|_| r.i64("page rule id"))
                    .collect::<Result<Vec<_>>>()?;
                let query = Some(r.str("page rule query")?).filter(|q| !q.is_empty());
                Ok(PageRule { path, ids, query })
            })
            .collect::<Result<Vec<_>>>()?;
        let apart = match r.u32("files apart")? {
            0 => None,
            1 if self.apart => Some(ApartFiles::decode_table(&mut r, &raw, |name| {
                names.check(name)
            })?),
            1 => {
                return Err(EngineError::CorruptPack(
                    "index files apart without pieces of text".into(),
                ))
            }
            _ => return Err(EngineError::CorruptPack("bad files-apart flag".into())),
        };
        if !r.is_empty() {
            return Err(EngineError::CorruptPack(
                "trailing bytes in the index section".into(),
            ));
        }
        let dir = IndexDir::over(files, apart);
        let docs = self.documents()?;
        let texts = self.texts_of(docs.len(), whole)?;
        // The index is made over the files, not opened from its
        // `meta.json`: the schema is this engine's (a container of another
        // schema has another format version), the one segment is the files'
        // and it holds one document per entry (`Engine::assemble`), so
        // tantivy's decoder of index metadata stays out of the worker.
        let index = Index::create(dir.clone(), schema().0, index_settings())?;
        dir.atomic_write(Path::new("meta.json"), &meta_json)
            .map_err(|e| EngineError::Storage(e.to_string()))?;
        let max_doc = u32::try_from(docs.len())
            .map_err(|_| EngineError::CorruptPack("too many documents".into()))?;
        let segment = names
            .segment
            .map(|id| {
                SegmentId::from_uuid_string(&id)
                    .map(|id| index.new_segment_meta(id, max_doc))
                    .map_err(|_| EngineError::CorruptPack(format!("bad segment id {id:?}")))
            })
            .transpose()?;
        let engine = Engine::assemble(Analysis::new(&lang), index, dir, docs, texts, segment)?
            .with_page_rules(rules);
        Ok(if groups.is_empty() {
            engine
        } else {
            engine.with_synonyms(groups)
        })
    }

    /// The reader documents: the documents section and the HTML (of the
    /// pieces here, when the texts travel in pieces).
    pub fn reader(&self) -> Result<ReaderDocs> {
        self.reader_with(Self::travelling_texts)
    }

    /// [`Container::reader`] of what [`Container::served_engine`] opens.
    pub fn served_reader(&self) -> Result<ReaderDocs> {
        self.reader_with(Self::refuse_whole_texts)
    }

    fn reader_with(&self, whole: impl FnOnce(&Self) -> Result<Texts>) -> Result<ReaderDocs> {
        let docs = self.documents()?;
        let texts = self.texts_of(docs.len(), whole)?;
        Ok(ReaderDocs {
            docs: Arc::new(docs),
            texts,
        })
    }
}

/// The index section's file names: `meta.json` and the files of one
/// segment (`<32 hex digits>.<component>`), each once. A renamed file (say
/// a fast-field file under a term dictionary's name, whose own checksum is
/// intact) would reach a tantivy reader that trusts its file type.
#[derive(Default)]
struct FileNames {
    segment: Option<String>,
    seen: Vec<String>,
}

impl FileNames {
    const COMPONENTS: [&'static str; 6] = ["fast", "fieldnorm", "idx", "pos", "store", "term"];

    fn check(&mut self, name: &str) -> Result<()> {
        let bad = || EngineError::CorruptPack(format!("bad file name {name:?}"));
        if self.seen.iter().any(|n| n == name) {
            return Err(bad());
        }
        if name != "meta.json" {
            let (id, component) = name.split_once('.').ok_or_else(bad)?;
            let hex = id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !hex || !Self::COMPONENTS.contains(&component) {
                return Err(bad());
            }
            match &self.segment {
                Some(segment) if segment != id => return Err(bad()),
                Some(_) => {}
                None => self.segment = Some(id.to_string()),
            }
        }
        self.seen.push(name.to_string());
        Ok(())
    }
}

/// Whether a tantivy segment file ends with a well-formed tantivy footer
/// (`body | JSON {"version":…,"crc":N} | JSON length u32 | magic 1337 u32`)
/// whose CRC-32 matches the body. tantivy's own readers trust their files
/// (its doc store reader panics on some damaged ones, found by the
/// `container` fuzz target), and its own check of these footers only
/// covers files it manages on disk, so the container checks every file
/// before tantivy opens any: damage that got past the section's CRC (a
/// forged section) cannot reach tantivy's readers unless each file's
/// checksum was forged too.
pub(crate) fn tantivy_footer_matches(file: &[u8]) -> bool {
    let Some((body, json)) = tantivy_footer(file) else {
        return false;
    };
    let crc = tantivy_footer_crc(json)
        .and_then(|at| std::str::from_utf8(&json[at]).ok())
        .and_then(|d| d.parse::<u32>().ok());
    crc == Some(crc32fast::hash(body))
}

/// Where the digits of the checksum are in a tantivy footer's JSON
/// (`{"version":{…},"crc":N}`); `None` when it has none.
pub(crate) fn tantivy_footer_crc(json: &[u8]) -> Option<std::ops::Range<usize>> {
    let at = json.windows(6).rposition(|w| w == b"\"crc\":")? + 6;
    let len = json[at..]
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(json.len() - at);
    (len > 0).then_some(at..at + len)
}

/// The number a tantivy file ends with, after its footer's JSON and that
/// JSON's length (both u32 LE).
pub(crate) const TANTIVY_FOOTER_MAGIC: u32 = 1337;

/// A tantivy file's body and its footer's JSON, if it ends with a footer
/// (see [`tantivy_footer_matches`]).
pub(crate) fn tantivy_footer(file: &[u8]) -> Option<(&[u8], &[u8])> {
    const MAX_FOOTER: usize = 50_000;
    let meta_at = file.len().checked_sub(8)?;
    let json_len = u32_at(file, meta_at) as usize;
    if u32_at(file, meta_at + 4) != TANTIVY_FOOTER_MAGIC
        || json_len > MAX_FOOTER
        || json_len > meta_at
    {
        return None;
    }
    let body_len = meta_at - json_len;
    Some((&file[..body_len], &file[body_len..meta_at]))
}
