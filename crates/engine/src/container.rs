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
//! | 6 | flags: bit 0 = the sections are stored, not deflated; other bits 0 |
//! | 7 | reserved, 0 |
//! | 8..56 | per section (index, documents, bodies, html): stored length, raw length, CRC-32 of the stored bytes (3 × u32) |
//! | 56..60 | CRC-32 of bytes 0..56 |
//! | 60.. | the four sections, in that order, nothing after |
//!
//! Sections (each DEFLATE-compressed unless flag bit 0 is set):
//!
//! - **index**: the language code, the tantivy files of the segment
//!   plus `meta.json` (name, bytes), the site's synonym groups of the
//!   language (members as written) and its suggestions by page path
//!   (pattern, ids, query);
//! - **documents**: the category paths (each once: names root → leaf in the
//!   language) and the result table, one entry per tantivy document in
//!   order: id, title, slug, index of its category path, the categories a
//!   filter may name, views;
//! - **bodies**: the plain text of each document, for snippets; empty
//!   (length 0) when absent, as in a container that travels: the text is
//!   then extracted again from the html section, which holds it anyway;
//! - **html**: the sanitised article HTML of each document, for the reader.
//!
//! Every section is checked by its own CRC before it is inflated, so a
//! warm start checks and decodes what its first answer needs (index,
//! documents, bodies) and the HTML only after; the header has its own CRC.
//! Inflating is bounded by the raw length the header states, itself capped.
//! Before tantivy opens the index, each of its files must pass its own
//! footer checksum and be named as one segment's component, once (tantivy's
//! readers trust their files; a file forged with a correct checksum can
//! still make them panic).
//! Every read is bounds-checked and every count is checked against the bytes
//! left before anything is allocated, so no input panics: damage is an
//! [`EngineError`]. Nothing in the format depends on the platform.

use std::path::Path;

use hc_core::page_rules::PageRule;
use hc_core::{PublicArticle, PublicCategory, Snapshot};
use tantivy::directory::RamDirectory;
use tantivy::index::SegmentComponent;
use tantivy::{Directory, Index};

use crate::analysis::Analysis;
use crate::build::{build_index, collect_docs};
use crate::codec::{Reader, Writer};
use crate::docs::{self, DocEntry};
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::html::html_to_text;

const MAGIC: [u8; 4] = *b"HCSP";
/// Bumped whenever the layout, the schema or the analysis changes. Version
/// 3 was the engine pack without reader documents, 4 this container without
/// synonyms and page rules, 5 adds them, 6 drops elided French, Italian and
/// Catalan particles ("l'", "dell'") from the index.
pub const FORMAT_VERSION: u16 = 6;
const SECTIONS: usize = 4;
const HEADER: usize = 8 + SECTIONS * 12 + 4;
/// Largest raw size a section may declare (and so inflate to).
const MAX_SECTION: u32 = 1 << 30;
const LEVEL: u8 = 8;
const FLAG_STORED: u8 = 1;

const INDEX: usize = 0;
const DOCUMENTS: usize = 1;
const BODIES: usize = 2;
const HTML: usize = 3;
const NAMES: [&str; SECTIONS] = ["index", "documents", "bodies", "html"];

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
    /// Deflated, without the body texts (they are extracted again from the
    /// HTML on load): the smallest file, for containers that travel.
    Travel,
    /// Stored as is, with the body texts: for a local cache, where a warm
    /// start in cold wasm code should neither inflate nor extract text.
    Cache,
}

/// What the in-widget reader and the empty state need about an article:
/// everything in the result table and its sanitised HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderDoc {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub html: String,
    pub category_path: Vec<String>,
    pub views: u64,
}

/// The reader documents of one language, in index order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReaderDocs {
    pub docs: Vec<ReaderDoc>,
}

impl ReaderDocs {
    pub fn get(&self, id: i64) -> Option<&ReaderDoc> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// The most viewed articles, for the empty state.
    pub fn most_viewed(&self, limit: usize) -> Vec<&ReaderDoc> {
        let mut all: Vec<&ReaderDoc> = self.docs.iter().collect();
        all.sort_by(|a, b| b.views.cmp(&a.views).then(a.id.cmp(&b.id)));
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
        let analysis = Analysis::new(lang);
        let (docs, html): (Vec<DocEntry>, Vec<String>) =
            collect_docs(lang, articles, categories).into_iter().unzip();
        let index = build_index(&analysis, &docs)?;
        let reader = reader_docs(&docs, html);
        let engine = Engine::assemble(analysis, index, docs)?;
        Ok(IndexContainer { engine, reader })
    }

    /// Encodes the container.
    pub fn to_bytes(&self, packing: Packing) -> Result<Vec<u8>> {
        encode(&self.engine, &self.reader, packing)
    }

    /// Decodes a whole container: the engine and the reader documents.
    pub fn from_bytes(bytes: &[u8]) -> Result<IndexContainer> {
        let opened = Container::open(bytes)?;
        let html = opened.html()?;
        let engine = opened.engine_with(Some(&html))?;
        let reader = reader_docs(&engine.docs, html);
        Ok(IndexContainer { engine, reader })
    }
}

fn reader_docs(docs: &[DocEntry], html: Vec<String>) -> ReaderDocs {
    ReaderDocs {
        docs: docs
            .iter()
            .zip(html)
            .map(|(d, html)| ReaderDoc {
                id: d.id,
                title: d.title.clone(),
                slug: d.slug.clone(),
                html,
                category_path: d.category_path.clone(),
                views: d.views,
            })
            .collect(),
    }
}

/// Encodes an engine and its reader documents (one per indexed document,
/// in the same order, as [`IndexContainer`] holds them).
pub fn encode(engine: &Engine, reader: &ReaderDocs, packing: Packing) -> Result<Vec<u8>> {
    if reader.docs.len() != engine.docs.len()
        || reader
            .docs
            .iter()
            .zip(&engine.docs)
            .any(|(r, d)| r.id != d.id)
    {
        return Err(EngineError::ReaderMismatch);
    }
    let mut index = Writer::default();
    index.str(engine.lang());
    let files = index_files(engine)?;
    index.u32(files.len() as u32);
    for (name, data) in &files {
        index.str(name);
        index.bytes(data);
    }
    let groups = engine.synonym_groups();
    index.u32(groups.len() as u32);
    for group in groups {
        index.u32(group.len() as u32);
        for member in group {
            index.str(member);
        }
    }
    let rules = engine.page_rules();
    index.u32(rules.len() as u32);
    for rule in rules {
        index.str(&rule.path);
        index.u32(rule.ids.len() as u32);
        for id in &rule.ids {
            index.i64(*id);
        }
        index.str(rule.query.as_deref().unwrap_or(""));
    }
    let mut documents = Writer::default();
    docs::encode(&engine.docs, &mut documents);
    let mut bodies = Writer::default();
    if packing == Packing::Cache {
        bodies.u32(engine.docs.len() as u32);
        for d in &engine.docs {
            bodies.str(&d.body);
        }
    }
    let mut html = Writer::default();
    html.u32(reader.docs.len() as u32);
    for d in &reader.docs {
        html.str(&d.html);
    }
    let raw = [index.buf, documents.buf, bodies.buf, html.buf];
    let stored: Vec<Vec<u8>> = match packing {
        Packing::Travel => raw
            .iter()
            .map(|s| {
                if s.is_empty() {
                    Vec::new()
                } else {
                    miniz_oxide::deflate::compress_to_vec(s, LEVEL)
                }
            })
            .collect(),
        Packing::Cache => raw.to_vec(),
    };
    let mut out = Vec::with_capacity(HEADER + stored.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let flags = match packing {
        Packing::Travel => 0,
        Packing::Cache => FLAG_STORED,
    };
    out.extend_from_slice(&[flags, 0]);
    for (s, r) in stored.iter().zip(&raw) {
        let len = |n: usize| {
            u32::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_SECTION)
                .ok_or_else(|| EngineError::CorruptPack("a section is too large".into()))
        };
        out.extend_from_slice(&len(s.len())?.to_le_bytes());
        out.extend_from_slice(&len(r.len())?.to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(s).to_le_bytes());
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    for s in &stored {
        out.extend_from_slice(s);
    }
    Ok(out)
}

/// The tantivy files of the engine's index, sorted by name.
fn index_files(engine: &Engine) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = engine.index.directory();
    let mut files: Vec<String> = engine
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
    files
        .into_iter()
        .map(|f| {
            let data = dir
                .atomic_read(Path::new(&f))
                .map_err(|e| EngineError::Storage(e.to_string()))?;
            Ok((f, data))
        })
        .collect()
}

/// A container whose header has been checked; its sections are checked
/// and decoded on demand.
pub struct Container<'a> {
    stored: bool,
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

impl<'a> Container<'a> {
    /// Checks the header (magic, version, its CRC, flags, section lengths).
    pub fn open(bytes: &'a [u8]) -> Result<Container<'a>> {
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
        let stored = match (bytes[6], bytes[7]) {
            (0, 0) => false,
            (FLAG_STORED, 0) => true,
            (flags, reserved) => {
                return Err(EngineError::CorruptPack(format!(
                    "unknown header flags {flags:#04x} {reserved:#04x}"
                )))
            }
        };
        let mut rest = &bytes[HEADER..];
        let mut sections = [Section {
            bytes: &[],
            raw_len: 0,
            crc: 0,
        }; SECTIONS];
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
            let Some((head, tail)) = rest.split_at_checked(len) else {
                return Err(EngineError::CorruptPack(format!(
                    "the {} section is cut short",
                    NAMES[i]
                )));
            };
            *section = Section {
                bytes: head,
                raw_len,
                crc: u32_at(bytes, at + 8),
            };
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(EngineError::CorruptPack("trailing bytes".into()));
        }
        Ok(Container { stored, sections })
    }

    /// Whether the container holds the body texts (else loading the engine
    /// extracts them from the HTML).
    pub fn has_bodies(&self) -> bool {
        !self.sections[BODIES].bytes.is_empty()
    }

    /// Checks one section's CRC and inflates it (bounded by its raw length).
    fn section(&self, i: usize) -> Result<std::borrow::Cow<'a, [u8]>> {
        let s = self.sections[i];
        let actual = crc32fast::hash(s.bytes);
        if actual != s.crc {
            return Err(EngineError::ChecksumMismatch {
                expected: s.crc,
                actual,
            });
        }
        if self.stored || s.bytes.is_empty() {
            if !self.stored && s.raw_len != 0 {
                return Err(EngineError::CorruptPack(format!(
                    "the {} section is empty",
                    NAMES[i]
                )));
            }
            return Ok(std::borrow::Cow::Borrowed(s.bytes));
        }
        let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(s.bytes, s.raw_len as usize)
            .map_err(|e| {
            EngineError::CorruptPack(format!("cannot decompress the {} section: {e:?}", NAMES[i]))
        })?;
        if raw.len() != s.raw_len as usize {
            return Err(EngineError::CorruptPack(format!(
                "the {} section inflates to {} bytes, the header says {}",
                NAMES[i],
                raw.len(),
                s.raw_len
            )));
        }
        Ok(std::borrow::Cow::Owned(raw))
    }

    /// One string per document (the bodies and html sections).
    fn strings(&self, i: usize) -> Result<Vec<String>> {
        let raw = self.section(i)?;
        let mut r = Reader::new(&raw);
        let n = r.count(4, NAMES[i])?;
        let out = (0..n)
            .map(|_| r.str(NAMES[i]))
            .collect::<Result<Vec<_>>>()?;
        if !r.is_empty() {
            return Err(EngineError::CorruptPack(format!(
                "trailing bytes in the {} section",
                NAMES[i]
            )));
        }
        Ok(out)
    }

    fn documents(&self) -> Result<Vec<DocEntry>> {
        let raw = self.section(DOCUMENTS)?;
        let mut r = Reader::new(&raw);
        let docs = docs::decode(&mut r)?;
        if !r.is_empty() {
            return Err(EngineError::CorruptPack(
                "trailing bytes in the documents section".into(),
            ));
        }
        Ok(docs)
    }

    /// The article HTML, one per document.
    fn html(&self) -> Result<Vec<String>> {
        self.strings(HTML)
    }

    /// The engine: the index, the documents and their body texts (from the
    /// bodies section, or extracted from the HTML when the container has
    /// none).
    pub fn engine(&self) -> Result<Engine> {
        self.engine_with(None)
    }

    fn engine_with(&self, html: Option<&[String]>) -> Result<Engine> {
        let raw = self.section(INDEX)?;
        let mut r = Reader::new(&raw);
        let lang = r.str("language")?;
        let dir = RamDirectory::create();
        let n = r.count(8, "file count")?;
        let mut names = FileNames::default();
        for _ in 0..n {
            let name = r.str("file name")?;
            names.check(&name)?;
            let data = r.bytes("file data")?;
            if name != "meta.json" && !tantivy_footer_matches(data) {
                return Err(EngineError::CorruptPack(format!(
                    "index file {name:?} fails its own checksum"
                )));
            }
            dir.atomic_write(Path::new(&name), data)
                .map_err(|e| EngineError::Storage(e.to_string()))?;
        }
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
        if !r.is_empty() {
            return Err(EngineError::CorruptPack(
                "trailing bytes in the index section".into(),
            ));
        }
        let mut docs = self.documents()?;
        let bodies = if self.has_bodies() {
            self.strings(BODIES)?
        } else {
            let extract = |html: &[String]| html.iter().map(|h| html_to_text(h)).collect();
            match html {
                Some(html) => extract(html),
                None => extract(&self.html()?),
            }
        };
        if bodies.len() != docs.len() {
            return Err(EngineError::CorruptPack(format!(
                "{} body texts for {} documents",
                bodies.len(),
                docs.len()
            )));
        }
        for (d, body) in docs.iter_mut().zip(bodies) {
            d.body = body;
        }
        let index = Index::open(dir)?;
        let engine = Engine::assemble(Analysis::new(&lang), index, docs)?.with_page_rules(rules);
        Ok(if groups.is_empty() {
            engine
        } else {
            engine.with_synonyms(groups)
        })
    }

    /// The reader documents: the documents section and the HTML.
    pub fn reader(&self) -> Result<ReaderDocs> {
        let docs = self.documents()?;
        let html = self.html()?;
        if html.len() != docs.len() {
            return Err(EngineError::CorruptPack(format!(
                "{} HTML texts for {} documents",
                html.len(),
                docs.len()
            )));
        }
        Ok(reader_docs(&docs, html))
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
fn tantivy_footer_matches(file: &[u8]) -> bool {
    const MAGIC: u32 = 1337;
    const MAX_FOOTER: usize = 50_000;
    let Some(meta_at) = file.len().checked_sub(8) else {
        return false;
    };
    let json_len = u32_at(file, meta_at) as usize;
    if u32_at(file, meta_at + 4) != MAGIC || json_len > MAX_FOOTER || json_len > meta_at {
        return false;
    }
    let body_len = meta_at - json_len;
    let json = &file[body_len..meta_at];
    let Some(at) = json
        .windows(6)
        .rposition(|w| w == b"\"crc\":")
        .map(|at| at + 6)
    else {
        return false;
    };
    let digits: &[u8] = &json[at..];
    let end = digits
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    let crc = std::str::from_utf8(&digits[..end])
        .ok()
        .and_then(|d| d.parse::<u32>().ok());
    crc == Some(crc32fast::hash(&file[..body_len]))
}
