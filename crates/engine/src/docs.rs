//! What a result needs about each indexed article, kept beside the tantivy
//! index (whose doc store we do not use): id, title, slug, plain text for
//! snippets, category path and the categories a filter may name (the
//! article's own and all their ancestors), and views for the tie-break.
//! Entry `i` is tantivy document `i`: the single-segment writer assigns doc
//! ids in insertion order.
//!
//! In a pack the body text is not stored, only its length and CRC-32: the
//! text is most of a pack's size, and whoever loads a pack holds the
//! snapshot it was built from anyway (the worker needs the HTML to show an
//! article). Loading re-extracts the text and checks the fingerprint.

use crate::codec::{Reader, Writer};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct DocEntry {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub body: String,
    pub category_path: Vec<String>,
    /// Own categories and their ancestors, for filtering.
    pub categories: Vec<i64>,
    pub views: u64,
}

pub fn encode(docs: &[DocEntry], w: &mut Writer) {
    w.u32(docs.len() as u32);
    for d in docs {
        w.i64(d.id);
        w.str(&d.title);
        w.str(&d.slug);
        w.u32(d.body.len() as u32);
        w.u32(crc32fast::hash(d.body.as_bytes()));
        w.u32(d.category_path.len() as u32);
        for c in &d.category_path {
            w.str(c);
        }
        w.u32(d.categories.len() as u32);
        for c in &d.categories {
            w.i64(*c);
        }
        w.u64(d.views);
    }
}

/// The length and CRC-32 a body must have to match the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyPrint {
    pub len: u32,
    pub crc: u32,
}

impl BodyPrint {
    pub fn of(body: &str) -> Self {
        BodyPrint {
            len: body.len() as u32,
            crc: crc32fast::hash(body.as_bytes()),
        }
    }
}

/// Decodes entries with empty bodies, and the fingerprint of each body.
pub fn decode(r: &mut Reader<'_>) -> Result<Vec<(DocEntry, BodyPrint)>> {
    let n = r.count(40, "document count")?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.i64("id")?;
        let title = r.str("title")?;
        let slug = r.str("slug")?;
        let print = BodyPrint {
            len: r.u32("body length")?,
            crc: r.u32("body checksum")?,
        };
        let body = String::new();
        let np = r.count(4, "category path")?;
        let category_path = (0..np)
            .map(|_| r.str("category name"))
            .collect::<Result<_>>()?;
        let nc = r.count(8, "categories")?;
        let categories = (0..nc)
            .map(|_| r.i64("category id"))
            .collect::<Result<_>>()?;
        let views = r.u64("views")?;
        let entry = DocEntry {
            id,
            title,
            slug,
            body,
            category_path,
            categories,
            views,
        };
        docs.push((entry, print));
    }
    Ok(docs)
}
