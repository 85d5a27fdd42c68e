//! [`Engine`]: one language's built index plus the document table, and the
//! search entry point that ties planning, expansion, scoring and snippets
//! together.

use hc_core::page_rules::PageRule;
use std::collections::HashSet;
use std::sync::Arc;

use hc_core::protocol::{Facets, SearchHit};
use hc_core::{PublicArticle, PublicCategory, Snapshot};
use tantivy::index::SegmentMeta;
use tantivy::{Index, SegmentReader};

use crate::analysis::Analysis;
use crate::bodies::Bodies;
use crate::build::{build_index, collect_docs, Collected};
use crate::docs::DocTable;
use crate::error::{EngineError, Result};
use crate::facets::TopCategories;
use crate::index_dir::IndexDir;
use crate::order;
use crate::query::expand::{allowed_distance, fuzzy_terms, prefix_terms, transpositions};
use crate::query::phrase::{contains_all, PHRASE_CHECK_BYTES, PHRASE_CHECK_MAX_BYTES};
use crate::query::plan::{plan, Group, Phrase};
use crate::query::score::{idf, FieldStats, Scores};
use crate::schema::{fields_of, Fields};
use crate::snippet::{snippet, to_highlights, Highlighter};
use crate::synonyms::{SynonymIndex, SYNONYM_WEIGHT};
use crate::texts::Texts;

/// Weight of a prefix completion relative to the exact word.
const PREFIX_WEIGHT: f32 = 0.8;
/// Weight of a typo correction at distance 1 and 2.
const FUZZY_WEIGHT: [f32; 3] = [1.0, 0.5, 0.3];
/// Completions considered for the word being typed (fewer for 1–2 chars).
const MAX_COMPLETIONS: usize = 24;
/// Corrections kept per word.
const MAX_CORRECTIONS: usize = 8;
/// A word is corrected when it is in fewer documents than this.
const FUZZY_BELOW_DOC_FREQ: u32 = 3;
/// What a correction of a word the index has is worth to an article's
/// coverage, in words: a tenth, enough to order the near misses among
/// themselves, not to count as the word (the article with the word
/// usually ranks above; a much higher score can still win).
const CORRECTION_CREDIT: f32 = 0.1;
/// Weight of a compound found through its parts (`crate::compounds`):
/// as a synonym's, below the word as typed.
const COMPOUND_WEIGHT: f32 = 0.9;

/// Options of one search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// Maximum hits returned.
    pub limit: usize,
    /// Only articles in this category or one of its descendants.
    pub category: Option<i64>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            category: None,
        }
    }
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Number of matching articles (before `limit`).
    pub total: usize,
    /// Every match (before the category filter) by top-level category.
    pub facets: Facets,
    /// The pieces the answer waits for (see [`Engine::attach_piece`]):
    /// those of article text its hits lack, in order (until they are
    /// attached those hits have no snippet and their phrases are not
    /// checked), then the chunks of the index it read before they
    /// arrived, in order (see [`SearchResults::lacks_chunks`]).
    pub pieces_missing: Vec<u32>,
    /// What [`Engine::fill_snippets`] needs to give the hits their
    /// snippets once those pieces are here.
    later: Later,
}

impl SearchResults {
    /// Whether the search read chunks of the index that had not
    /// arrived (they are among [`SearchResults::pieces_missing`]): the
    /// terms they hold scored nothing, so this answer may lack hits or
    /// rank them otherwise. Search again once they are here.
    pub fn lacks_chunks(&self) -> bool {
        self.later.lacks_chunks
    }

    /// The chunks of the index among [`SearchResults::pieces_missing`]
    /// (after the pieces of text); empty unless the answer lacks chunks.
    pub fn chunks_missing(&self) -> &[u32] {
        match self.later.lacks_chunks {
            true => &self.pieces_missing[self.later.chunks_from..],
            false => &[],
        }
    }
}

/// The part of an answer kept for [`Engine::fill_snippets`].
#[derive(Debug, Clone, PartialEq, Default)]
struct Later {
    /// The terms the query matched (sorted), which the snippets mark.
    terms: Vec<String>,
    /// Each hit's document.
    docs: Vec<u32>,
    /// The query has phrases, checked against the texts.
    phrases: bool,
    /// The search read chunks of the index that had not arrived.
    lacks_chunks: bool,
    /// Where the chunks of the index start in `pieces_missing` (0 when
    /// none is missing).
    chunks_from: usize,
}

/// A searchable index of one language.
pub struct Engine {
    pub(crate) analysis: Analysis,
    pub(crate) index: Index,
    /// The directory the index lives in, read as is (files with their
    /// footers, shared, not copied) when a container is encoded.
    pub(crate) dir: IndexDir,
    /// The result table, shared with the reader ([`crate::ReaderDocs::of`]).
    pub(crate) docs: Arc<DocTable>,
    /// Each document's HTML, deflated (whole, or in pieces that arrive on
    /// demand): its plain text for snippets and phrase checks is extracted
    /// on demand.
    pub(crate) texts: Bodies,
    pub(crate) synonyms: SynonymIndex,
    /// The site's suggestions by page path (not used by search: carried
    /// with the index so a warm start has them).
    pub(crate) page_rules: Vec<PageRule>,
    /// The index's one segment (an empty build has one too; none only when
    /// a container holds no segment files), opened
    /// directly: an `IndexReader` would bring its warming and executor
    /// code (a rayon pool, crossbeam channels) into the browser's engine,
    /// which has nothing to warm or reload.
    pub(crate) segment: Option<SegmentReader>,
    fields: Fields,
    tops: TopCategories,
}

impl Engine {
    /// Builds the index of `lang` from a snapshot.
    pub fn from_snapshot(snapshot: &Snapshot, lang: &str) -> Result<Engine> {
        Engine::build(lang, &snapshot.articles, &snapshot.categories)
    }

    /// Builds the index of `lang` from public articles and categories.
    pub fn build(
        lang: &str,
        articles: &[PublicArticle],
        categories: &[PublicCategory],
    ) -> Result<Engine> {
        let analysis = Analysis::new(lang);
        let collected = collect_docs(lang, articles, categories);
        let mut docs = Vec::with_capacity(collected.len());
        let mut bodies = Vec::with_capacity(collected.len());
        let mut html = Vec::with_capacity(collected.len());
        for Collected { doc, body, html: h } in collected {
            docs.push(doc);
            bodies.push(body);
            html.push(h);
        }
        let (index, dir, segment) = build_index(&analysis, &docs, &bodies)?;
        drop(bodies);
        let texts = Bodies::whole(Texts::build(&html));
        drop(html);
        let docs = DocTable::from_entries(&docs)?;
        Engine::assemble(analysis, index, IndexDir::built(dir), docs, texts, segment)
    }

    /// The engine of `index`'s one `segment` (none: an index without
    /// one), given by the caller: listing it would read the index's
    /// `meta.json`, whose schema decoder (serde's buffered enums of every
    /// field type) was 9% of the worker's code, and a container's engine
    /// knows its segment from the files' names and its documents' count.
    pub(crate) fn assemble(
        analysis: Analysis,
        index: Index,
        dir: IndexDir,
        docs: DocTable,
        texts: Bodies,
        segment_meta: Option<SegmentMeta>,
    ) -> Result<Engine> {
        if texts.len() != docs.len() {
            return Err(EngineError::CorruptPack(format!(
                "{} article texts for {} documents",
                texts.len(),
                docs.len()
            )));
        }
        let fields = fields_of(&index.schema())
            .ok_or_else(|| EngineError::CorruptPack("index schema lacks fields".into()))?;
        let segment = segment_meta
            .map(|meta| SegmentReader::open(&index.segment(meta)))
            .transpose()?;
        let max_doc = segment.as_ref().map_or(0, |s| s.max_doc());
        if max_doc as usize != docs.len() {
            return Err(EngineError::CorruptPack(format!(
                "index has {max_doc} documents for {} entries",
                docs.len()
            )));
        }
        // Scoring reads a document's field lengths by index: each field's
        // must cover every document (tantivy writes one per document and
        // field, an empty build included; only a forged file has fewer).
        if let Some(seg) = &segment {
            for field in fields.all() {
                if seg.get_fieldnorms_reader(field)?.num_docs() != max_doc {
                    return Err(EngineError::CorruptPack(
                        "field lengths that do not cover the documents".into(),
                    ));
                }
            }
        }
        Ok(Engine {
            analysis,
            index,
            dir,
            tops: TopCategories::new(&docs),
            docs: Arc::new(docs),
            texts,
            synonyms: SynonymIndex::default(),
            page_rules: Vec::new(),
            segment,
            fields,
        })
    }

    /// The name stem of the files the article texts travel in, when they
    /// travel in pieces (a pack's, see [`crate::bodies`]).
    pub fn pieces_stem(&self) -> Option<&str> {
        self.texts.stem()
    }

    /// The file name of piece `n` (served beside the pack), when the
    /// texts travel in pieces: the pieces of article text first, then the
    /// chunks of the index files that travel too (`crate::apart`), then
    /// their bundle ([`Engine::chunks_bundle`]).
    pub fn piece_file(&self, n: u32) -> Option<String> {
        let texts = self.texts.piece_count();
        let stem = match (n.checked_sub(texts), self.dir.apart_files()) {
            (None, _) => self.texts.stem()?,
            (Some(chunk), Some(apart)) if chunk <= apart.chunks() => apart.stem(),
            _ => return None,
        };
        Some(hc_core::static_site::piece_file(stem, n))
    }

    /// The piece that brings every chunk of the index at once, when they
    /// travel apart: fetched in one request once the first answers are
    /// out, so that later searches wait for none.
    pub fn chunks_bundle(&self) -> Option<u32> {
        let apart = self.dir.apart_files()?;
        Some(self.texts.piece_count() + apart.chunks())
    }

    /// Whether piece `n` (see [`Engine::piece_file`]) is here: the
    /// bundle, once every chunk is.
    pub fn has_piece(&self, n: u32) -> bool {
        match (
            n.checked_sub(self.texts.piece_count()),
            self.dir.apart_files(),
        ) {
            (Some(chunk), Some(apart)) if chunk == apart.chunks() => apart.complete(),
            (Some(chunk), Some(apart)) => apart.has(chunk),
            _ => self.texts.has_piece(n),
        }
    }

    /// Number of pieces of article text: pieces `0..text_pieces()` are
    /// those, the rest the chunks of the index and their bundle (none
    /// when the texts are all here).
    pub fn text_pieces(&self) -> u32 {
        self.texts.piece_count()
    }

    /// Attaches piece `n` (see [`Engine::piece_file`]) from its file's
    /// bytes; an error, leaving the engine as it was, if the bytes are
    /// damaged or are not that piece of this pack (a bundle is checked
    /// whole before any of its chunks is taken). The reader documents
    /// share the texts ([`crate::ReaderDocs::of`]) and see a piece of text
    /// too.
    pub fn attach_piece(&self, n: u32, bytes: &[u8]) -> Result<()> {
        let texts = self.texts.piece_count();
        let Some((chunk, apart)) = n.checked_sub(texts).zip(self.dir.apart_files()) else {
            return self.texts.attach(n, bytes);
        };
        let no_piece = || EngineError::BodiesMismatch(format!("no piece {n} here"));
        let files = match chunk == apart.chunks() {
            true => apart.bundle(bytes)?,
            false => vec![(chunk, bytes)],
        };
        let mut chunks = Vec::with_capacity(files.len());
        for (c, file) in files {
            let key = apart.key(c).ok_or_else(no_piece)?;
            chunks.push((c, crate::container::index_chunk(file, key)?));
        }
        // Each is inflated to its length as it is taken; one that does not
        // stops the bundle there, the chunks before it kept (each checked).
        for (c, deflated) in chunks {
            apart.attach(c, deflated)?;
        }
        Ok(())
    }

    /// The engine with the site's synonym groups of its language
    /// (`hc_core::synonyms`; members as written), applied at query time.
    pub fn with_synonyms(mut self, groups: Vec<Vec<String>>) -> Engine {
        self.synonyms = SynonymIndex::new(&self.analysis, groups);
        self
    }

    /// The engine carrying the site's suggestions by page path.
    pub fn with_page_rules(mut self, rules: Vec<PageRule>) -> Engine {
        self.page_rules = rules;
        self
    }

    /// The site's suggestions by page path (`hc_core::page_rules`).
    pub fn page_rules(&self) -> &[PageRule] {
        &self.page_rules
    }

    /// The synonym groups in use, as given.
    pub fn synonym_groups(&self) -> &[Vec<String>] {
        self.synonyms.groups()
    }

    /// The language this index serves.
    pub fn lang(&self) -> &str {
        self.analysis.lang()
    }

    /// Number of indexed articles.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Bytes of plain text (titles and bodies) indexed: the baseline pack
    /// sizes are compared with. (Extracts every text: for benchmarks.)
    pub fn plain_text_bytes(&self) -> usize {
        self.docs
            .iter()
            .enumerate()
            .map(|(i, d)| d.title.len() + self.texts.body(i).map_or(0, |b| b.len()))
            .sum()
    }

    /// Ids of the indexed articles, in index order.
    pub fn article_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.docs.iter().map(|d| d.id)
    }

    /// Searches raw search-box text. Never fails: text without words, or
    /// an empty index, gives no hits.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> SearchResults {
        let plan = plan(&self.analysis, query);
        let groups = &plan.groups;
        let Some(seg) = self.segment.as_ref() else {
            return SearchResults::default();
        };
        if plan.is_empty() {
            return SearchResults::default();
        }
        let Ok(stats) = FieldStats::open(seg, &self.fields.all()) else {
            return SearchResults::default();
        };
        let num_docs = seg.num_docs();
        let mut scores = Scores::new(seg.max_doc() as usize);
        let mut matched_terms: HashSet<String> = HashSet::new();
        for g in groups.iter().filter(|g| !g.weak) {
            self.score_group(query, g, &stats, num_docs, &mut scores, &mut matched_terms);
        }
        // Weak words last, and only for the documents another word found:
        // nothing else can be a hit.
        if groups.iter().any(|g| g.weak) {
            let candidates: Vec<u32> = (0..scores.matched.len() as u32)
                .filter(|&d| scores.matched[d as usize] > 0.0)
                .collect();
            for g in groups.iter().filter(|g| g.weak) {
                scores.add_weak(&stats, num_docs, &g.token.term, &candidates);
            }
        }
        let mut chunks_missing: Vec<u32> = stats.iter().flat_map(|s| s.missing.take()).collect();
        order::sort_by(&mut chunks_missing, Ord::cmp);
        chunks_missing.dedup();
        // Weak words (stop words beside other words) score but count in
        // neither the coverage nor the quoted words a document must have.
        let n_groups = groups.iter().filter(|g| !g.weak).count() as f32;
        let quoted_groups = groups.iter().filter(|g| g.quoted && !g.weak).count() as u16;
        let mut ranked: Vec<(f32, u32)> = Vec::new();
        let mut facets = self.tops.counter();
        for (doc, &s) in scores.total.iter().enumerate() {
            if s <= 0.0 {
                continue;
            }
            if scores.matched_quoted[doc] < quoted_groups {
                continue; // lacks a quoted word, so cannot hold its phrase
            }
            // (With a phrase, chips count the candidates that have its
            // words: checking the phrase in every category would cost a
            // scan of all of them per keystroke.)
            facets.add(doc);
            if let Some(c) = opts.category {
                if !self.docs.in_category(doc, c) {
                    continue;
                }
            }
            let coverage = scores.matched[doc] / n_groups;
            ranked.push((s * coverage * coverage, doc as u32));
        }
        let facets = facets.finish();
        // Most comparisons are settled by the scores: the documents are
        // looked up only for a tie (selecting the top ten of 37,000
        // matches at 50,000 articles compares ~100,000 pairs).
        let cmp = |a: &(f32, u32), b: &(f32, u32)| {
            b.0.total_cmp(&a.0).then_with(|| {
                let (va, ia) = self.docs.views_and_id(a.1 as usize);
                let (vb, ib) = self.docs.views_and_id(b.1 as usize);
                vb.cmp(&va).then(ia.cmp(&ib))
            })
        };
        let total = if plan.phrases.is_empty() {
            ranked.len()
        } else {
            self.keep_phrase_matches(&mut ranked, &plan.phrases, opts.limit, cmp)
        };
        let limit = opts.limit.min(ranked.len());
        let first_chunk = self.texts.piece_count();
        if limit == 0 {
            return SearchResults {
                hits: Vec::new(),
                total,
                facets,
                pieces_missing: chunks_missing.iter().map(|c| first_chunk + c).collect(),
                later: Later {
                    lacks_chunks: !chunks_missing.is_empty(),
                    ..Later::default()
                },
            };
        }
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit - 1, cmp);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(cmp);
        let docs: Vec<u32> = ranked.iter().map(|&(_, doc)| doc).collect();
        let mut terms: Vec<String> = matched_terms.into_iter().collect();
        order::sort_by(&mut terms, Ord::cmp);
        let mut hl = Highlighter::new(&self.analysis, terms.iter().cloned());
        let hits = ranked
            .into_iter()
            .map(|(score, doc)| {
                let d = self.docs.at(doc as usize);
                let title_hl = hl.find(d.title, d.title.len(), 32);
                let body = self.texts.body(doc as usize);
                let (snippet, snippet_highlights) = snippet(body.as_deref().unwrap_or(""), &mut hl);
                SearchHit {
                    id: d.id,
                    title: d.title.to_string(),
                    title_highlights: to_highlights(&title_hl, 0),
                    snippet,
                    snippet_highlights,
                    category_path: d.category_path.to_vec(),
                    category_ids: d.category_ids(),
                    slug: d.slug(),
                    score,
                }
            })
            .collect();
        let mut pieces_missing = self.pieces_missing(&docs);
        // 0 when no chunk is missing, so that equal answers compare equal.
        let chunks_from = match chunks_missing.is_empty() {
            true => 0,
            false => pieces_missing.len(),
        };
        pieces_missing.extend(chunks_missing.iter().map(|c| first_chunk + c));
        SearchResults {
            hits,
            total,
            facets,
            pieces_missing,
            later: Later {
                terms,
                docs,
                phrases: !plan.phrases.is_empty(),
                lacks_chunks: !chunks_missing.is_empty(),
                chunks_from,
            },
        }
    }

    /// The pieces of text these documents lack, in order.
    fn pieces_missing(&self, docs: &[u32]) -> Vec<u32> {
        let mut missing: Vec<u32> = docs
            .iter()
            .filter_map(|&doc| self.texts.missing(doc as usize))
            .collect();
        order::sort_by(&mut missing, Ord::cmp);
        missing.dedup();
        missing
    }

    /// Gives the hits of an answer of this engine the snippets of the
    /// pieces of text attached since (as the search would now give them),
    /// and says whether that answers as the search would: not when the
    /// query has phrases, whose candidates are checked against the texts,
    /// nor when the search lacked chunks of the index (then search
    /// again). Much cheaper than searching again: a prefix of one letter
    /// walks many terms, a snippet only the hit's text.
    pub fn fill_snippets(&self, results: &mut SearchResults) -> bool {
        if results.later.phrases || results.later.lacks_chunks {
            return false;
        }
        let mut hl = Highlighter::new(&self.analysis, results.later.terms.iter().cloned());
        for (hit, &doc) in results.hits.iter_mut().zip(&results.later.docs) {
            if !hit.snippet.is_empty() {
                continue;
            }
            if let Some(body) = self.texts.body(doc as usize) {
                (hit.snippet, hit.snippet_highlights) = snippet(&body, &mut hl);
            }
        }
        results.pieces_missing = self.pieces_missing(&results.later.docs);
        true
    }

    /// Keeps the candidates that contain every phrase, checking them best
    /// first (see `query::phrase`): all of them while the text checked stays
    /// within [`PHRASE_CHECK_BYTES`], past that only until `limit` are
    /// found, and never more than [`PHRASE_CHECK_MAX_BYTES`]. Returns the number of matches, estimated from the share found
    /// so far when not every candidate was checked.
    fn keep_phrase_matches(
        &self,
        ranked: &mut Vec<(f32, u32)>,
        phrases: &[Phrase],
        limit: usize,
        cmp: impl Fn(&(f32, u32), &(f32, u32)) -> std::cmp::Ordering,
    ) -> usize {
        ranked.sort_unstable_by(cmp);
        let mut kept = 0;
        let mut checked = 0;
        let mut bytes = 0usize;
        while checked < ranked.len() {
            if (kept >= limit && bytes >= PHRASE_CHECK_BYTES) || bytes >= PHRASE_CHECK_MAX_BYTES {
                break;
            }
            let doc = ranked[checked].1 as usize;
            // A candidate whose text is on its way is kept unchecked: the
            // hits shown ask for their texts, and the answer is given
            // again once they are attached.
            if self.texts.missing(doc).is_some() {
                ranked.swap(kept, checked);
                kept += 1;
                checked += 1;
                continue;
            }
            let d = self.docs.at(doc);
            let body = self.texts.body(doc);
            let body = body.as_deref().unwrap_or("");
            bytes += d.title.len() + body.len();
            if contains_all(&self.analysis, &[d.title, body], phrases) {
                ranked.swap(kept, checked);
                kept += 1;
            }
            checked += 1;
        }
        let unchecked = ranked.len() - checked;
        ranked.truncate(kept);
        if unchecked == 0 {
            return kept;
        }
        // At least one more, so "show more" stays offered.
        let estimate = (unchecked as f64 * kept as f64 / checked as f64).ceil() as usize;
        kept + estimate.max(1)
    }

    /// The indexed terms of the parts of a query word that is a compound
    /// (`crate::compounds`), split against the index's own terms: a part
    /// is known when its term is in some document. The last part of a
    /// word being typed may also be the start of a term: its most
    /// frequent completion stands for it.
    fn compound_parts(&self, g: &Group, stats: &[FieldStats]) -> Option<Vec<String>> {
        if !self.analysis.splits_compounds() || g.token.cjk || g.quoted {
            return None;
        }
        let term_of = |part: &str, last: bool| -> Option<(String, u32)> {
            if self.analysis.is_stop(part) {
                return None;
            }
            let term = self.analysis.stem(part);
            let df = stats.iter().map(|s| s.doc_freq(&term)).max().unwrap_or(0);
            if df > 0 || !(last && g.prefix) {
                return (df > 0).then_some((term, df));
            }
            let mut completions = Vec::new();
            for s in stats {
                prefix_terms(s, part, 1, &mut completions);
            }
            completions.into_iter().max_by_key(|(_, df)| *df)
        };
        let word = &g.token.folded;
        let parts = crate::compounds::split(word, |part, last| {
            term_of(part, last).map_or(0, |(_, df)| df)
        })?;
        let last = parts.len() - 1;
        parts
            .into_iter()
            .enumerate()
            .map(|(i, (from, to))| term_of(&word[from..to], i == last).map(|(t, _)| t))
            .collect()
    }

    /// Scores one query word: the exact term, then completions if it is
    /// being typed, then corrections if it is (nearly) absent.
    fn score_group(
        &self,
        query: &str,
        g: &Group,
        stats: &[FieldStats],
        num_docs: u32,
        scores: &mut Scores,
        matched: &mut HashSet<String>,
    ) {
        let term = &g.token.term;
        let doc_freqs: Vec<u32> = stats.iter().map(|s| s.doc_freq(term)).collect();
        let exact_df: u32 = doc_freqs.iter().copied().max().unwrap_or(0);
        let caps: Vec<f32> = doc_freqs
            .iter()
            .map(|&df| if df > 0 { idf(df, num_docs) } else { 0.0 })
            .collect();
        if exact_df > 0 && scores.add_variant(stats, num_docs, term, 1.0, None) {
            matched.insert(term.clone());
        }
        let mut found_other = false;
        let cap = (exact_df > 0).then_some(caps.as_slice());
        for alt in self.synonyms.alternatives(term) {
            let found = match alt.as_slice() {
                [one] => scores.add_variant(stats, num_docs, one, SYNONYM_WEIGHT, cap),
                all => scores.add_all_of(stats, num_docs, all, SYNONYM_WEIGHT, cap),
            };
            if found {
                found_other = true;
                matched.extend(alt.iter().cloned());
            }
        }
        // A word no article has may be a compound of words they have.
        let parts = (exact_df == 0)
            .then(|| self.compound_parts(g, stats))
            .flatten();
        if let Some(parts) = parts {
            if scores.add_all_of(stats, num_docs, &parts, COMPOUND_WEIGHT, cap) {
                found_other = true;
                matched.extend(parts);
            }
        }
        if g.prefix {
            let chars = g.token.folded.chars().count();
            let min_chars = if g.token.cjk { 1 } else { 2 };
            if chars >= min_chars {
                let max = if chars <= 2 && !g.token.cjk {
                    MAX_COMPLETIONS / 3
                } else {
                    MAX_COMPLETIONS
                };
                let mut completions = Vec::new();
                for s in stats {
                    prefix_terms(s, &g.token.folded, max, &mut completions);
                }
                for (t, _) in completions {
                    if t == *term {
                        continue;
                    }
                    let cap = (exact_df > 0).then_some(caps.as_slice());
                    if scores.add_variant(stats, num_docs, &t, PREFIX_WEIGHT, cap) {
                        found_other = true;
                        matched.insert(t);
                    }
                }
            }
        }
        let dist = allowed_distance(g.token.folded.chars().count());
        if exact_df < FUZZY_BELOW_DOC_FREQ && !found_other && !g.token.cjk && !g.quoted && dist > 0
        {
            let mut corrections = Vec::new();
            for s in stats {
                fuzzy_terms(s, term, dist, &mut corrections);
            }
            order::sort_by(&mut corrections, |a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)));
            corrections.truncate(MAX_CORRECTIONS);
            let cap = (exact_df > 0).then_some(caps.as_slice());
            // A word some article has is what was meant: an article with
            // only a near miss of it scores, but has not the word.
            if exact_df > 0 {
                scores.set_credit(CORRECTION_CREDIT);
            }
            for (t, d, _) in corrections {
                if scores.add_variant(stats, num_docs, &t, FUZZY_WEIGHT[d as usize], cap) {
                    matched.insert(t);
                }
            }
            scores.set_credit(1.0);
        }
        if exact_df == 0 && !found_other && g.token.cjk && !g.quoted {
            for t in transpositions(&self.analysis, query, &g.token) {
                if scores.add_variant(stats, num_docs, &t, FUZZY_WEIGHT[1], None) {
                    matched.insert(t);
                }
            }
        }
        scores.end_group(g.quoted);
    }
}
