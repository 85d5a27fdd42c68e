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

use std::collections::HashMap;
use std::sync::Arc;

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

/// Decodes the entries. Each path is decoded once and shared by the
/// entries naming it, so a table naming one long path from every entry
/// allocates nothing per entry for it.
pub fn decode(r: &mut Reader<'_>) -> Result<Vec<DocEntry>> {
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
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.i64("id")?;
        let title = r.str("title")?;
        let slug = r.str("slug")?;
        let path = r.u32("category path index")? as usize;
        let category_path = paths
            .get(path)
            .ok_or_else(|| EngineError::CorruptPack(format!("no category path {path}")))?
            .clone();
        let nc = r.count(8, "categories")?;
        let categories = (0..nc)
            .map(|_| r.i64("category id"))
            .collect::<Result<_>>()?;
        let views = r.u64("views")?;
        docs.push(DocEntry {
            id,
            title,
            slug,
            category_path,
            categories,
            views,
        });
    }
    Ok(docs)
}
