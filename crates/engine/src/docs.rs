//! What a result needs about each indexed article, kept beside the tantivy
//! index (whose doc store we do not use): id, title, slug, category path
//! and the categories a filter may name (the article's own and all their
//! ancestors), and views for the tie-break.
//! Entry `i` is tantivy document `i`: the single-segment writer assigns doc
//! ids in insertion order.
//!
//! In a container ([`crate::container`]) the table is the documents
//! section: the category paths once each, then the entries, each naming
//! its path by position. The article texts are kept apart, deflated
//! ([`crate::texts`]).
//!
//! An engine keeps that section's bytes as they are ([`DocTable`]), with
//! where each entry starts, and reads an entry when it is asked for. A
//! table of owned entries ([`DocEntry`]: two strings and a list per
//! article, each its own allocation) took twice the section's size in the
//! worker's heap, and decoding it held both at once: at 50,000 articles
//! the section is 4.8 MB.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::directory::OwnedBytes;

use crate::codec::{Reader, Writer};
use crate::error::{EngineError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct DocEntry {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// Names root → leaf, shared by the entries of one category (a decoded
    /// table holds each path once).
    pub category_path: Arc<[String]>,
    /// Own categories and their ancestors, for filtering.
    pub categories: Vec<i64>,
    pub views: u64,
}

pub fn encode(docs: &[DocEntry], w: &mut Writer) {
    let mut paths: Vec<&[String]> = Vec::new();
    let mut position: HashMap<&[String], u32> = HashMap::new();
    let of_doc: Vec<u32> = docs
        .iter()
        .map(|d| {
            *position.entry(&*d.category_path).or_insert_with(|| {
                paths.push(&d.category_path);
                paths.len() as u32 - 1
            })
        })
        .collect();
    // Sized once: at 50,000 articles the section is MBs, and a buffer grown
    // by doubling would leave its spare half in the worker's heap while a
    // cache entry is written.
    let len = 4
        + paths
            .iter()
            .map(|p| 4 + p.iter().map(|name| 4 + name.len()).sum::<usize>())
            .sum::<usize>()
        + 4
        + docs
            .iter()
            .map(|d| 8 + 4 + d.title.len() + 4 + d.slug.len() + 4 + 4 + 8 * d.categories.len() + 8)
            .sum::<usize>();
    w.buf.reserve_exact(len);
    let start = w.buf.len();
    w.u32(paths.len() as u32);
    for p in &paths {
        w.u32(p.len() as u32);
        for name in *p {
            w.str(name);
        }
    }
    w.u32(docs.len() as u32);
    for (d, path) in docs.iter().zip(of_doc) {
        w.i64(d.id);
        w.str(&d.title);
        w.str(&d.slug);
        w.u32(path);
        w.u32(d.categories.len() as u32);
        for c in &d.categories {
            w.i64(*c);
        }
        w.u64(d.views);
    }
    debug_assert_eq!(w.buf.len() - start, len, "the documents section's length");
}

/// The result table: the documents section's bytes, checked once, and
/// where each entry starts in them. Entry `i` is tantivy document `i`.
#[derive(Clone)]
pub struct DocTable {
    bytes: OwnedBytes,
    /// The category paths, decoded once: few, and named by every entry.
    paths: Vec<Arc<[String]>>,
    /// Where each entry starts in `bytes`.
    starts: Vec<u32>,
}

/// One entry of a [`DocTable`], read where it lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Doc<'a> {
    pub id: i64,
    pub title: &'a str,
    pub slug: &'a str,
    /// Names root → leaf.
    pub category_path: &'a [String],
    /// Own categories and their ancestors (see [`Doc::categories`]).
    categories: &'a [u8],
    pub views: u64,
}

impl<'a> Doc<'a> {
    /// Own categories and their ancestors, for filtering.
    pub fn categories(&self) -> impl ExactSizeIterator<Item = i64> + 'a {
        categories(self.categories)
    }

    pub fn in_category(&self, category: i64) -> bool {
        self.categories().any(|c| c == category)
    }

    /// The entry as owned values.
    pub fn to_entry(&self) -> DocEntry {
        DocEntry {
            id: self.id,
            title: self.title.to_string(),
            slug: self.slug.to_string(),
            category_path: self.category_path.into(),
            categories: self.categories().collect(),
            views: self.views,
        }
    }
}

impl DocTable {
    /// The table of `docs`, encoded as a container's documents section.
    pub fn from_entries(docs: &[DocEntry]) -> Result<DocTable> {
        let mut w = Writer::default();
        encode(docs, &mut w);
        DocTable::decode(OwnedBytes::new(w.buf))
    }

    /// A documents section: every entry is checked here (bounds, UTF-8,
    /// its path's position), so reading one later cannot fail.
    pub fn decode(bytes: OwnedBytes) -> Result<DocTable> {
        let mut r = Reader::new(bytes.as_slice());
        let np = r.count(4, "category path count")?;
        let paths = (0..np)
            .map(|_| {
                let n = r.count(4, "category path")?;
                (0..n)
                    .map(|_| r.str("category name"))
                    .collect::<Result<Arc<[_]>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let n = r.count(32, "document count")?;
        let mut starts = Vec::with_capacity(n);
        for _ in 0..n {
            starts.push(
                u32::try_from(r.position()).map_err(|_| {
                    EngineError::CorruptPack("a documents section over 4 GB".into())
                })?,
            );
            entry(&mut r, &paths)?;
        }
        if !r.is_empty() {
            return Err(EngineError::CorruptPack(
                "trailing bytes in the documents section".into(),
            ));
        }
        Ok(DocTable {
            bytes,
            paths,
            starts,
        })
    }

    /// The section's bytes, as a container holds them.
    pub fn bytes(&self) -> &OwnedBytes {
        &self.bytes
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Entry `i`; `None` past the end.
    pub fn get(&self, i: usize) -> Option<Doc<'_>> {
        // Read once by `decode`: this read does not fail.
        entry(&mut self.reader(i)?, &self.paths).ok()
    }

    /// Whether entry `i` is in `category` (own or an ancestor): the
    /// category filter's test of every match, so its title and slug are
    /// not read as text.
    pub(crate) fn in_category(&self, i: usize, category: i64) -> bool {
        self.reader(i)
            .and_then(|mut r| raw_entry(&mut r, &self.paths).ok())
            .is_some_and(|raw| categories(raw.categories).any(|c| c == category))
    }

    /// A reader at entry `i`'s start.
    fn reader(&self, i: usize) -> Option<Reader<'_>> {
        let start = *self.starts.get(i)? as usize;
        Some(Reader::new(self.bytes.as_slice().get(start..)?))
    }

    /// Entry `i` of a document the index gave (the engine checks that the
    /// index has as many documents as the table, so there is one); an
    /// empty entry past the end.
    pub(crate) fn at(&self, i: usize) -> Doc<'_> {
        self.get(i).unwrap_or(EMPTY)
    }

    /// Entry `i`'s views and id, the ranking's tie-break, without reading
    /// the rest: the id starts an entry and the views end it. `(0, 0)` past
    /// the end.
    pub(crate) fn views_and_id(&self, i: usize) -> (u64, i64) {
        let bytes = self.bytes.as_slice();
        let Some(&start) = self.starts.get(i) else {
            return (0, 0);
        };
        let end = self
            .starts
            .get(i + 1)
            .map_or(bytes.len(), |&next| next as usize);
        let word = |at: usize| {
            let mut a = [0u8; 8];
            if let Some(b) = bytes.get(at..at + 8) {
                a.copy_from_slice(b);
            }
            a
        };
        (
            u64::from_le_bytes(word(end.saturating_sub(8))),
            i64::from_le_bytes(word(start as usize)),
        )
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Doc<'_>> + '_ {
        // Every start was checked by `decode`: no entry reads as empty.
        (0..self.len()).map(|i| self.at(i))
    }

    /// The entry of article `id`: its place in the table.
    pub fn position(&self, id: i64) -> Option<usize> {
        let bytes = self.bytes.as_slice();
        self.starts.iter().position(|&start| {
            bytes
                .get(start as usize..start as usize + 8)
                .is_some_and(|b| b == id.to_le_bytes())
        })
    }
}

/// Category ids as an entry holds them, eight bytes each.
fn categories(bytes: &[u8]) -> impl ExactSizeIterator<Item = i64> + '_ {
    bytes.chunks_exact(8).map(|b| {
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        i64::from_le_bytes(a)
    })
}

/// What [`DocTable::at`] gives past the end.
const EMPTY: Doc<'static> = Doc {
    id: 0,
    title: "",
    slug: "",
    category_path: &[],
    categories: &[],
    views: 0,
};

/// The entry `r` is at, named by its place in `paths`: what
/// [`DocTable::decode`] checks and [`DocTable::get`] reads.
fn entry<'a>(r: &mut Reader<'a>, paths: &'a [Arc<[String]>]) -> Result<Doc<'a>> {
    let raw = raw_entry(r, paths)?;
    Ok(Doc {
        id: raw.id,
        title: utf8(raw.title, "title")?,
        slug: utf8(raw.slug, "slug")?,
        category_path: raw.category_path,
        categories: raw.categories,
        views: raw.views,
    })
}

/// An entry as its bytes lie: [`Doc`] before its title and slug are read
/// as text, which a filter by category does not need.
struct RawDoc<'a> {
    id: i64,
    title: &'a [u8],
    slug: &'a [u8],
    category_path: &'a [String],
    categories: &'a [u8],
    views: u64,
}

fn raw_entry<'a>(r: &mut Reader<'a>, paths: &'a [Arc<[String]>]) -> Result<RawDoc<'a>> {
    let id = r.i64("id")?;
    let title = r.bytes("title")?;
    let slug = r.bytes("slug")?;
    let path = r.u32("category path index")? as usize;
    let category_path = paths
        .get(path)
        .ok_or_else(|| EngineError::CorruptPack(format!("no category path {path}")))?;
    let nc = r.count(8, "categories")?;
    let categories = r.take_bytes(nc * 8, "category ids")?;
    let views = r.u64("views")?;
    Ok(RawDoc {
        id,
        title,
        slug,
        category_path,
        categories,
        views,
    })
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| EngineError::CorruptPack(format!("{what} is not UTF-8")))
}

impl std::fmt::Debug for DocTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for DocTable {
    fn eq(&self, other: &DocTable) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, title: &str, path: &[&str], categories: &[i64], views: u64) -> DocEntry {
        DocEntry {
            id,
            title: title.into(),
            slug: format!("slug-{id}"),
            category_path: path.iter().map(|s| s.to_string()).collect(),
            categories: categories.to_vec(),
            views,
        }
    }

    fn entries() -> Vec<DocEntry> {
        vec![
            entry(7, "Wi-Fi", &["Net", "Wifi"], &[5, 1], 3),
            entry(-2, "Über", &["Net"], &[1], 0),
            entry(9, "", &[], &[], u64::MAX),
        ]
    }

    #[test]
    fn entries_read_back_as_written() {
        let table = DocTable::from_entries(&entries()).unwrap();
        assert_eq!(table.len(), 3);
        let back: Vec<DocEntry> = table.iter().map(|d| d.to_entry()).collect();
        assert_eq!(back, entries());
        assert_eq!(table.position(-2), Some(1));
        assert_eq!(table.position(8), None);
        assert!(table.get(1).unwrap().in_category(1));
        assert!(!table.get(1).unwrap().in_category(5));
        assert!(table.in_category(1, 1));
        assert!(!table.in_category(1, 5));
        assert!(!table.in_category(3, 1));
        assert_eq!(table.get(3), None);
        for (i, d) in table.iter().enumerate() {
            assert_eq!(table.views_and_id(i), (d.views, d.id));
        }
        assert_eq!(table.views_and_id(3), (0, 0));
        assert_eq!(table.at(3), EMPTY);
        // Two entries naming one path share it.
        let again = DocTable::from_entries(&[entries()[0].clone(), entries()[0].clone()]).unwrap();
        assert_eq!(
            again.get(0).unwrap().category_path.as_ptr(),
            again.get(1).unwrap().category_path.as_ptr()
        );
    }

    /// The section of `entries()` with one change made to its bytes.
    fn decode_changed(change: impl FnOnce(&mut Vec<u8>)) -> Result<DocTable> {
        let mut bytes = DocTable::from_entries(&entries())
            .unwrap()
            .bytes()
            .as_slice()
            .to_vec();
        change(&mut bytes);
        DocTable::decode(OwnedBytes::new(bytes))
    }

    #[test]
    fn a_damaged_section_is_refused_when_decoded() {
        assert!(decode_changed(|_| ()).is_ok());
        assert!(decode_changed(|b| b.push(0)).is_err(), "trailing bytes");
        assert!(
            decode_changed(|b| b.truncate(b.len() - 1)).is_err(),
            "cut short"
        );
        // "Über" is the only non-ASCII title: its first byte made invalid.
        assert!(decode_changed(|b| {
            let at = b.windows(2).position(|w| w == "Ü".as_bytes()).unwrap();
            b[at] = 0xff;
        })
        .is_err());
        // The last entry's path index (three paths: 0, 1 and 2) made 3.
        // Its fields after the slug: path, no categories, views.
        let path_at = |b: &[u8]| b.len() - 8 - 4 - 4;
        assert!(decode_changed(|b| {
            let at = path_at(b);
            assert_eq!(b[at..at + 4], 2u32.to_le_bytes());
            b[at..at + 4].copy_from_slice(&3u32.to_le_bytes());
        })
        .is_err());
    }
}
