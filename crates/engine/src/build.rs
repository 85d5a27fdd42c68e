//! Building the index of one language from public articles and categories.
//!
//! Only [`PublicArticle`]s are accepted, so a draft, private or link-only
//! article cannot reach the index by construction. An article is indexed in
//! a language only when it has content there (after HTML extraction).

use std::collections::HashMap;
use std::sync::Arc;

use hc_core::{PublicArticle, PublicCategory};
use tantivy::directory::{Directory, RamDirectory};
use tantivy::index::{SegmentComponent, SegmentMeta};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, TantivyDocument};

use crate::analysis::Analysis;
use crate::docs::DocEntry;
use crate::error::{EngineError, Result};
use crate::html::html_to_text;
use crate::schema::{index_settings, schema, TOKENIZER};

/// Memory budget of the single-segment writer. It never flushes early;
/// tantivy sizes the term hash table's first allocation from it (a third
/// of it, at most 4 MiB), and the table doubles as terms come. 1 MiB starts
/// it at 256 KiB: the wasm heap never shrinks, and a 4 MiB table made
/// a small help center's heap ~4 MB larger for nothing.
const WRITER_BUDGET: usize = 1 << 20;
/// Guard against parent cycles in hostile category data.
const MAX_DEPTH: usize = 16;

/// One document of a language as extracted from its article.
pub struct Collected {
    pub doc: DocEntry,
    /// The plain text indexed (and shown in snippets).
    pub body: String,
    /// The article's HTML in the language, for the reader.
    pub html: String,
}

/// Extracts the documents of `lang` from articles and categories. This is
/// the one place where category paths are made.
pub fn collect_docs(
    lang: &str,
    articles: &[PublicArticle],
    categories: &[PublicCategory],
) -> Vec<Collected> {
    let by_id: HashMap<i64, &PublicCategory> = categories.iter().map(|c| (c.id, c)).collect();
    let mut docs = Vec::new();
    for a in articles {
        let Some(html) = a.content.get_str(lang) else {
            continue;
        };
        let body = html_to_text(html);
        // Titles are plain text in the API ("Box<[T]>" is a title, not markup).
        let title = a
            .title
            .get_str(lang)
            .map(|t| crate::html::fold_whitespace(t))
            .unwrap_or_default();
        if body.is_empty() && title.is_empty() {
            continue;
        }
        let mut ancestors = Vec::new();
        let mut category_path = Vec::new();
        for (i, &cid) in a.category_ids.iter().enumerate() {
            let chain = chain(cid, &by_id);
            if i == 0 {
                // Every known category of the chain is named (in another
                // language if it lacks this one), so that the path lines
                // up with the chain's ids (`facets::crumbs`); an unknown
                // id can only end a chain.
                category_path = chain
                    .iter()
                    .rev()
                    .filter_map(|c| {
                        let names = &by_id.get(c)?.name;
                        Some(
                            match names.get_str(lang).or(names.iter().next().map(|(_, n)| n)) {
                                Some(name) => name.clone(),
                                None => c.to_string(),
                            },
                        )
                    })
                    .collect();
            }
            for c in chain {
                if !ancestors.contains(&c) {
                    ancestors.push(c);
                }
            }
        }
        let doc = DocEntry {
            id: a.id,
            title,
            slug: a.slug.get_str(lang).cloned().unwrap_or_default(),
            category_path: category_path.into(),
            categories: ancestors,
            views: a.views,
        };
        docs.push(Collected {
            doc,
            body,
            html: html.clone(),
        });
    }
    docs
}

/// The category and its ancestors, leaf first; a parent cycle or a chain
/// deeper than [`MAX_DEPTH`] ends the walk.
fn chain(id: i64, by_id: &HashMap<i64, &PublicCategory>) -> Vec<i64> {
    let mut out = vec![id];
    let mut cur = by_id.get(&id).and_then(|c| c.parent);
    while let Some(p) = cur {
        if out.contains(&p) || out.len() > MAX_DEPTH {
            break;
        }
        out.push(p);
        cur = by_id.get(&p).and_then(|c| c.parent);
    }
    out
}

/// Builds the tantivy index over `docs` (document `i` = `docs[i]`, whose
/// plain text is `bodies[i]`), in the returned in-memory directory, its
/// term dictionaries in small blocks (`crate::term_blocks`), and its one
/// segment (none when there are no documents).
pub fn build_index(
    analysis: &Analysis,
    docs: &[DocEntry],
    bodies: &[String],
) -> Result<(Index, RamDirectory, Option<SegmentMeta>)> {
    let (index, dir) = tantivy_index(analysis, docs, bodies)?;
    let mut segments = index.searchable_segment_metas()?.into_iter();
    let segment = segments.next();
    if segments.next().is_some() {
        return Err(EngineError::Storage(
            "the index was built in several segments".into(),
        ));
    }
    if let Some(segment) = &segment {
        let storage = |e: &dyn std::fmt::Display| EngineError::Storage(e.to_string());
        let path = segment.relative_path(SegmentComponent::Terms);
        let file = dir.open_read(&path).map_err(|e| storage(&e))?;
        let file = file.read_bytes().map_err(|e| storage(&e))?;
        let file = crate::term_blocks::rewrite(file, &schema().1.all())?;
        dir.atomic_write(&path, &file).map_err(|e| storage(&e))?;
    }
    Ok((index, dir, segment))
}

/// The index as tantivy writes it.
pub(crate) fn tantivy_index(
    analysis: &Analysis,
    docs: &[DocEntry],
    bodies: &[String],
) -> Result<(Index, RamDirectory)> {
    let dir = RamDirectory::create();
    let (schema, fields) = schema();
    let tokenizers = TokenizerManager::new();
    let analyzer = if analysis.splits_compounds() {
        let titles = docs.iter().map(|d| d.title.as_str());
        let vocabulary = analysis.vocabulary(titles.chain(bodies.iter().map(String::as_str)));
        analysis.index_analyzer_with(Arc::new(vocabulary))
    } else {
        analysis.index_analyzer()
    };
    tokenizers.register(TOKENIZER, analyzer);
    let mut writer = Index::builder()
        .schema(schema)
        .settings(index_settings())
        .tokenizers(tokenizers)
        .single_segment_index_writer(dir.clone(), WRITER_BUDGET)?;
    for (d, body) in docs.iter().zip(bodies) {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.title, &d.title);
        doc.add_text(fields.body, body);
        let mut meta = d.category_path.join(" \n ");
        meta.push_str(" \n ");
        meta.push_str(&d.slug.replace('-', " "));
        doc.add_text(fields.meta, &meta);
        writer.add_document(doc)?;
    }
    Ok((writer.finalize()?, dir))
}
