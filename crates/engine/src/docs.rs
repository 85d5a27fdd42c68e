//! What a result needs about each indexed article, kept beside the tantivy
//! index (whose doc store we do not use): id, title, slug, category path
//! and the categories a filter may name (the article's own and all their
//! ancestors), and views for the tie-break.
//! Entry `i` is tantivy document `i`: the single-segment writer assigns doc
//! ids in insertion order.
//!
//! In a container ([`crate::container`]) the table is the documents
//! section: the category paths once each (names, and the chain of ids
//! every entry of that path starts its categories with), then the
//! entries, each naming its path by position and holding only the
//! categories after its chain. The article texts are kept apart, deflated
//! ([`crate::texts`]).
//!
//! An entry's numbers are varints (`codec::Writer::varint`), and its slug
//! is written as what it adds to the slug its title suggests
//! ([`slug_of`]): the API makes an article's slug from its title when
//! none is given, so most slugs are their title's, or it and a suffix.
//! Every visitor fetches the section and the worker holds it raw: at
//! 10,000 synthetic articles this made it 309 → 196 KB deflated and 963
//! → 420 KB raw (engine README, "The documents section in varints").
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

use crate::codec::{varint_len, zigzag, Reader, Writer};
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
    // A path is its names and the ids of its chain: the entry's first
    // categories, as many as the path has names (`facets::crumbs`). An
    // entry holds only the categories after them.
    let mut paths: Vec<(&[String], &[i64])> = Vec::new();
    let mut position: HashMap<(&[String], &[i64]), u32> = HashMap::new();
    let entries: Vec<Entry<'_>> = docs
        .iter()
        .map(|d| {
            let chain = &d.categories[..d.category_path.len().min(d.categories.len())];
            let path = *position
                .entry((&d.category_path, chain))
                .or_insert_with(|| {
                    paths.push((&d.category_path, chain));
                    paths.len() as u32 - 1
                });
            let (slug_shared, slug_rest) = slug_parts(&d.title, &d.slug);
            Entry {
                doc: d,
                path,
                slug_shared,
                slug_rest,
                extra: &d.categories[chain.len()..],
            }
        })
        .collect();
    let signed = |ids: &[i64]| ids.iter().map(|&c| varint_len(zigzag(c))).sum::<usize>();
    let bytes = |b: &[u8]| varint_len(b.len() as u64) + b.len();
    // Sized once: at 50,000 articles the section is MBs, and a buffer grown
    // by doubling would leave its spare half in the worker's heap while a
    // cache entry is written.
    let len = 4
        + paths
            .iter()
            .map(|(names, chain)| {
                4 + names.iter().map(|name| 4 + name.len()).sum::<usize>()
                    + varint_len(chain.len() as u64)
                    + signed(chain)
            })
            .sum::<usize>()
        + 4
        + entries
            .iter()
            .map(|e| {
                varint_len(zigzag(e.doc.id))
                    + varint_len(e.doc.views)
                    + bytes(e.doc.title.as_bytes())
                    + varint_len(e.slug_shared as u64)
                    + bytes(e.slug_rest.as_bytes())
                    + varint_len(e.path.into())
                    + varint_len(e.extra.len() as u64)
                    + signed(e.extra)
            })
            .sum::<usize>();
    w.buf.reserve_exact(len);
    let start = w.buf.len();
    w.u32(paths.len() as u32);
    for (names, chain) in &paths {
        w.u32(names.len() as u32);
        for name in *names {
            w.str(name);
        }
        w.varint(chain.len() as u64);
        for &c in *chain {
            w.signed_varint(c);
        }
    }
    w.u32(docs.len() as u32);
    // The id and the views first: the ranking's tie-break reads them
    // alone ([`DocTable::views_and_id`]).
    for e in &entries {
        w.signed_varint(e.doc.id);
        w.varint(e.doc.views);
        w.short_bytes(e.doc.title.as_bytes());
        w.varint(e.slug_shared as u64);
        w.short_bytes(e.slug_rest.as_bytes());
        w.varint(e.path.into());
        w.varint(e.extra.len() as u64);
        for &c in e.extra {
            w.signed_varint(c);
        }
    }
    debug_assert_eq!(w.buf.len() - start, len, "the documents section's length");
}

/// An entry as [`encode`] writes it: which path (names and chain), its
/// slug after the part its title's guess gives, its categories after the
/// chain.
struct Entry<'a> {
    doc: &'a DocEntry,
    path: u32,
    slug_shared: usize,
    slug_rest: &'a str,
    extra: &'a [i64],
}

/// The slug an article titled `title` is likely to have: its letters and
/// digits folded to ASCII and lowercased, every other run a hyphen, none
/// at either end ("Désactiver les bips" → "desactiver-les-bips"). Only
/// a guess, which an entry's slug adds to ([`slug_parts`]); the reader
/// must make the same guess as the writer, so changing it changes the
/// format (`container::FORMAT_VERSION`; `tests::slugs_are_guessed_so`
/// pins it).
pub(crate) fn slug_of(title: &str) -> String {
    let folded = crate::analysis::fold(title);
    let mut slug = String::with_capacity(folded.len());
    let mut gap = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    slug
}

/// `slug` as an entry holds it: how many bytes it shares with the start
/// of [`slug_of`]`(title)`, and the rest.
fn slug_parts<'a>(title: &str, slug: &'a str) -> (usize, &'a str) {
    let guess = slug_of(title);
    // The guess is ASCII: a shared byte is a shared char.
    let shared = guess
        .bytes()
        .zip(slug.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    (shared, &slug[shared..])
}

/// The result table: the documents section's bytes, checked once, and
/// where each entry starts in them. Entry `i` is tantivy document `i`.
#[derive(Clone)]
pub struct DocTable {
    bytes: OwnedBytes,
    /// The category paths, decoded once: few, and named by every entry.
    paths: Vec<Path>,
    /// Where each entry starts in `bytes`.
    starts: Vec<u32>,
}

/// A category path of a [`DocTable`]: names root → leaf, and the ids its
/// entries' categories start with (see [`encode`]).
#[derive(Debug, Clone)]
struct Path {
    names: Arc<[String]>,
    chain: Box<[i64]>,
}

/// One entry of a [`DocTable`], read where it lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Doc<'a> {
    pub id: i64,
    pub title: &'a str,
    /// The slug as held: the bytes it shares with its title's
    /// ([`slug_of`]), then the rest (see [`Doc::slug`]).
    slug_shared: usize,
    slug_rest: &'a str,
    /// Names root → leaf.
    pub category_path: &'a [String],
    /// Own categories and their ancestors (see [`Doc::categories`]).
    categories: CategoryIds<'a>,
    pub views: u64,
}

impl<'a> Doc<'a> {
    /// Own categories and their ancestors, for filtering.
    pub fn categories(&self) -> impl ExactSizeIterator<Item = i64> + 'a {
        self.categories
    }

    /// The article's slug. A damaged section's shared part longer than
    /// the title's slug gives that slug whole (its CRC is checked before).
    pub fn slug(&self) -> String {
        if self.slug_shared == 0 {
            return self.slug_rest.to_string();
        }
        let mut guess = slug_of(self.title);
        guess.truncate(self.slug_shared);
        guess.push_str(self.slug_rest);
        guess
    }

    /// The ids of its category path, root first (see
    /// [`crate::facets::crumbs`]).
    pub fn category_ids(&self) -> Vec<i64> {
        crate::facets::crumbs(self)
    }

    pub fn in_category(&self, category: i64) -> bool {
        self.categories().any(|c| c == category)
    }

    /// The entry as owned values.
    pub fn to_entry(&self) -> DocEntry {
        DocEntry {
            id: self.id,
            title: self.title.to_string(),
            slug: self.slug(),
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
                let names = (0..n)
                    .map(|_| r.str("category name"))
                    .collect::<Result<Arc<[_]>>>()?;
                let ids = r.count_varint(1, "category chain")?;
                let chain = (0..ids)
                    .map(|_| r.signed_varint("category id"))
                    .collect::<Result<Box<[_]>>>()?;
                Ok(Path { names, chain })
            })
            .collect::<Result<Vec<_>>>()?;
        // An entry is seven varints at least.
        let n = r.count(7, "document count")?;
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
            .is_some_and(|raw| raw.categories.into_iter().any(|c| c == category))
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
    /// the rest: the id and the views start an entry. `(0, 0)` past the
    /// end.
    pub(crate) fn views_and_id(&self, i: usize) -> (u64, i64) {
        let Some(mut r) = self.reader(i) else {
            return (0, 0);
        };
        // Read once by `decode`: these reads do not fail.
        let id = r.signed_varint("id").unwrap_or(0);
        (r.varint("views").unwrap_or(0), id)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Doc<'_>> + '_ {
        // Every start was checked by `decode`: no entry reads as empty.
        (0..self.len()).map(|i| self.at(i))
    }

    /// The entry of article `id`: its place in the table. Each entry
    /// starts with its id's varint, which names one id (a varint ends at
    /// its first byte below 128), so the bytes are compared, not read: a
    /// reader's lookup walks every entry, and at 50,000 articles reading
    /// each id took seven times as long.
    pub fn position(&self, id: i64) -> Option<usize> {
        let mut w = Writer::default();
        w.signed_varint(id);
        let (&first, rest) = w.buf.split_first()?;
        let bytes = self.bytes.as_slice();
        self.starts.iter().position(|&start| {
            let start = start as usize;
            // Most entries differ in their first byte.
            bytes.get(start) == Some(&first)
                && bytes
                    .get(start + 1..start + 1 + rest.len())
                    .is_some_and(|b| b == rest)
        })
    }
}

/// An entry's category ids: its path's chain, then its own after it,
/// read as they are iterated (varints, see [`encode`]; checked when the
/// table was decoded).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CategoryIds<'a> {
    chain: &'a [i64],
    bytes: &'a [u8],
    left: usize,
}

impl Iterator for CategoryIds<'_> {
    type Item = i64;

    fn next(&mut self) -> Option<i64> {
        if let Some((&first, rest)) = self.chain.split_first() {
            self.chain = rest;
            return Some(first);
        }
        if self.left == 0 {
            return None;
        }
        let mut r = Reader::new(self.bytes);
        let id = r.signed_varint("category id").ok()?;
        self.bytes = &self.bytes[r.position()..];
        self.left -= 1;
        Some(id)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.chain.len() + self.left;
        (n, Some(n))
    }
}

impl ExactSizeIterator for CategoryIds<'_> {}

/// What [`DocTable::at`] gives past the end.
const EMPTY: Doc<'static> = Doc {
    id: 0,
    title: "",
    slug_shared: 0,
    slug_rest: "",
    category_path: &[],
    categories: CategoryIds {
        chain: &[],
        bytes: &[],
        left: 0,
    },
    views: 0,
};

/// The entry `r` is at, named by its place in `paths`: what
/// [`DocTable::decode`] checks and [`DocTable::get`] reads.
fn entry<'a>(r: &mut Reader<'a>, paths: &'a [Path]) -> Result<Doc<'a>> {
    let raw = raw_entry(r, paths)?;
    Ok(Doc {
        id: raw.id,
        title: utf8(raw.title, "title")?,
        slug_shared: raw.slug_shared,
        slug_rest: utf8(raw.slug_rest, "slug")?,
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
    slug_shared: usize,
    slug_rest: &'a [u8],
    category_path: &'a [String],
    categories: CategoryIds<'a>,
    views: u64,
}

fn raw_entry<'a>(r: &mut Reader<'a>, paths: &'a [Path]) -> Result<RawDoc<'a>> {
    let id = r.signed_varint("id")?;
    let views = r.varint("views")?;
    let title = r.short_bytes("title")?;
    let slug_shared = r.varint_usize("slug")?;
    let slug_rest = r.short_bytes("slug")?;
    let path = r.varint_usize("category path index")?;
    let path = paths
        .get(path)
        .ok_or_else(|| EngineError::CorruptPack(format!("no category path {path}")))?;
    let left = r.varint_usize("categories")?;
    let start = r.position();
    for _ in 0..left {
        r.signed_varint("category id")?;
    }
    let category_path = &path.names[..];
    let categories = CategoryIds {
        chain: &path.chain,
        bytes: r.consumed_since(start),
        left,
    };
    Ok(RawDoc {
        id,
        title,
        slug_shared,
        slug_rest,
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
        let with_slug = |slug: &str, e: DocEntry| DocEntry {
            slug: slug.into(),
            ..e
        };
        vec![
            entry(7, "Wi-Fi", &["Net", "Wifi"], &[5, 1], 3),
            with_slug(
                "uber-uns-2",
                entry(-2, "Über uns", &["Net"], &[1, i64::MIN], 0),
            ),
            with_slug("wi-fi", entry(i64::MAX, "Wi-Fi", &["Net"], &[], 12)),
            with_slug("", entry(3, "Wi-Fi", &["Net"], &[], 1)),
            entry(9, "", &[], &[], u64::MAX),
        ]
    }

    #[test]
    fn slugs_are_guessed_so() {
        for (title, slug) in [
            ("Désactiver les bips", "desactiver-les-bips"),
            ("  Wi-Fi: ändern (5 GHz)!", "wi-fi-andern-5-ghz"),
            ("Straße", "strasse"),
            ("l’installation", "l-installation"),
            ("日本語", ""),
            ("", ""),
        ] {
            assert_eq!(slug_of(title), slug, "{title}");
        }
        // What an entry holds of a slug: none of it, a suffix, all of it.
        assert_eq!(slug_parts("Wi-Fi", "wi-fi"), (5, ""));
        assert_eq!(slug_parts("Wi-Fi", "wi-fi-2"), (5, "-2"));
        assert_eq!(slug_parts("Wi-Fi", "wlan"), (1, "lan"));
        assert_eq!(slug_parts("日本語", "ri-ben-yu"), (0, "ri-ben-yu"));
    }

    #[test]
    fn entries_read_back_as_written() {
        let table = DocTable::from_entries(&entries()).unwrap();
        assert_eq!(table.len(), 5);
        let back: Vec<DocEntry> = table.iter().map(|d| d.to_entry()).collect();
        assert_eq!(back, entries());
        assert_eq!(table.get(2).unwrap().slug(), "wi-fi");
        assert_eq!(table.position(-2), Some(1));
        assert_eq!(table.position(8), None);
        assert!(table.get(1).unwrap().in_category(1));
        assert!(!table.get(1).unwrap().in_category(5));
        assert!(table.in_category(1, 1));
        assert!(!table.in_category(1, 5));
        assert!(!table.in_category(3, 1));
        assert!(!table.in_category(5, 1));
        assert_eq!(table.position(i64::MAX), Some(2));
        assert_eq!(table.get(5), None);
        for (i, d) in table.iter().enumerate() {
            assert_eq!(table.views_and_id(i), (d.views, d.id));
        }
        assert_eq!(table.views_and_id(5), (0, 0));
        assert_eq!(table.at(5), EMPTY);
        // Two entries naming one path share it.
        let again = DocTable::from_entries(&[entries()[0].clone(), entries()[0].clone()]).unwrap();
        assert_eq!(
            again.get(0).unwrap().category_path.as_ptr(),
            again.get(1).unwrap().category_path.as_ptr()
        );
    }

    proptest::proptest! {
        /// Any entries read back as written: titles of any script, slugs
        /// their title's, with a suffix, or anything else.
        #[test]
        fn any_entries_read_back(
            docs in proptest::collection::vec(
                (
                    proptest::num::i64::ANY,
                    "\\PC{0,24}",
                    0usize..3,
                    "[a-z0-9-]{0,6}|\\PC{0,8}",
                    proptest::collection::vec(proptest::num::i64::ANY, 0..4),
                    proptest::num::u64::ANY,
                    0usize..5,
                ),
                0..12,
            )
        ) {
            let entries: Vec<DocEntry> = docs
                .into_iter()
                .map(|(id, title, slug_kind, tail, categories, views, names)| {
                    let slug = match slug_kind {
                        0 => slug_of(&title),
                        1 => format!("{}{tail}", slug_of(&title)),
                        _ => tail,
                    };
                    DocEntry {
                        id,
                        slug,
                        // Paths shorter and longer than the categories.
                        category_path: (0..names).map(|n| format!("c{}", n % 2)).collect(),
                        categories,
                        title,
                        views,
                    }
                })
                .collect();
            let table = DocTable::from_entries(&entries).unwrap();
            let back: Vec<DocEntry> = table.iter().map(|d| d.to_entry()).collect();
            proptest::prop_assert_eq!(back, entries.clone());
            for (i, d) in entries.iter().enumerate() {
                proptest::prop_assert_eq!(table.views_and_id(i), (d.views, d.id));
                let first = entries.iter().position(|e| e.id == d.id);
                proptest::prop_assert_eq!(table.position(d.id), first);
            }
        }
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
        // The last entry's path index (four paths, each names and chain:
        // Net/Wifi [5, 1], Net [1], Net [], none []) made 4. Its fields
        // after the slug: path, no categories after its chain.
        let path_at = |b: &[u8]| b.len() - 2;
        assert!(decode_changed(|b| {
            let at = path_at(b);
            assert_eq!(b[at], 3);
            b[at] = 4;
        })
        .is_err());
        // Its category count made 1: a category id past the end.
        assert!(decode_changed(|b| *b.last_mut().unwrap() = 1).is_err());
        // A varint that does not end.
        assert!(decode_changed(|b| *b.last_mut().unwrap() = 0x80).is_err());
    }
}
