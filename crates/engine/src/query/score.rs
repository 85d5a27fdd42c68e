//! Scoring: BM25 per field computed straight from the postings, combined
//! per query word and across words.
//!
//! - Fields weigh differently: title and category/slug 1.5, body 1.0 (a
//!   higher title weight hurt the dev queries: questions match bodies).
//! - Each query word is a group of variants (the exact term, prefix
//!   completions, typo corrections); a document gets the best variant of
//!   each group, each variant scaled by its weight (exact 1.0, completion
//!   0.8, correction 0.5 or 0.3), and a completion or correction never gets a higher IDF
//!   than the exact word when that exists, so the exact word wins.
//! - Documents that contain more of the query's words win: the sum is
//!   multiplied by (matched words / words)². A correction of a word the
//!   index has counts a tenth of a word: the article has a near miss,
//!   not the word (`Scores::set_credit`). Stop words beside other words
//!   are weak: they add their (small, BM25) score, so an article that has
//!   them too ranks a little higher, but count in neither the matched words
//!   nor the words, and a document with nothing else is not a hit.
//!
//! Walking postings ourselves (instead of tantivy's `Weight`/`Collector`)
//! keeps the per-document bookkeeping in dense arrays, which is what makes
//! the coverage factor and the tie-break cheap.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, SegmentReader, Term, TERMINATED};

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Weight of a field's BM25 score.
pub fn field_boost(idx: usize) -> f32 {
    // Order of `Fields::all()`: title, body, meta.
    [1.5, 1.0, 1.5][idx]
}

/// One field's view of the segment, with what BM25 needs.
pub struct FieldStats {
    pub field: Field,
    /// Chunks of the index this search read before they arrived
    /// (`crate::apart`): the terms they hold scored nothing.
    pub missing: RefCell<Vec<u32>>,
    pub inv: std::sync::Arc<tantivy::InvertedIndexReader>,
    pub norms: tantivy::fieldnorm::FieldNormReader,
    pub avg_len: f32,
    pub boost: f32,
    /// The term infos this search looked up: a search asks for a term's
    /// document count and then its postings.
    infos: RefCell<HashMap<String, Option<TermInfo>>>,
}

impl FieldStats {
    /// The IDF of `term` in this field and its postings (with term
    /// frequencies); `None` when the field does not have it.
    fn postings(&self, term: &str, num_docs: u32) -> Option<(f32, SegmentPostings)> {
        let ti = self.term_info(term)?;
        let postings = match self
            .inv
            .read_postings_from_terminfo(&ti, IndexRecordOption::WithFreqs)
        {
            Ok(postings) => postings,
            Err(e) => {
                self.note(&e);
                return None;
            }
        };
        Some((idf(ti.doc_freq, num_docs), postings))
    }

    /// Boost × BM25 of a term `tf` times in `doc` of this field.
    fn bm25(&self, idf: f32, tf: u32, doc: u32) -> f32 {
        let tf = tf as f32;
        let len = self.norms.fieldnorm(doc) as f32;
        self.boost * idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_len))
    }

    pub fn open(seg: &SegmentReader, fields: &[Field]) -> tantivy::Result<Vec<FieldStats>> {
        let n = seg.num_docs().max(1) as f32;
        fields
            .iter()
            .enumerate()
            .map(|(i, &field)| {
                let inv = seg.inverted_index(field)?;
                let avg_len = (inv.total_num_tokens() as f32 / n).max(1.0);
                Ok(FieldStats {
                    field,
                    missing: Default::default(),
                    inv,
                    norms: seg.get_fieldnorms_reader(field)?,
                    avg_len,
                    boost: field_boost(i),
                    infos: Default::default(),
                })
            })
            .collect()
    }

    /// Notes the chunks a failed read of this field waited for, if that
    /// is why it failed.
    pub fn note(&self, e: &std::io::Error) {
        if let Some(m) = crate::apart::Missing::of(e) {
            self.missing.borrow_mut().extend(&m.0);
        }
    }

    pub fn doc_freq(&self, term: &str) -> u32 {
        self.term_info(term).map_or(0, |ti| ti.doc_freq)
    }

    fn term_info(&self, term: &str) -> Option<TermInfo> {
        if let Some(ti) = self.infos.borrow().get(term) {
            return ti.clone();
        }
        let ti = self
            .inv
            .get_term_info(&Term::from_field_text(self.field, term))
            .unwrap_or_else(|e| {
                self.note(&e);
                None
            });
        self.infos.borrow_mut().insert(term.to_string(), ti.clone());
        ti
    }
}

pub fn idf(doc_freq: u32, num_docs: u32) -> f32 {
    let df = doc_freq as f32;
    (1.0 + (num_docs as f32 - df + 0.5) / (df + 0.5)).ln()
}

/// Dense per-document accumulators for one search.
pub struct Scores {
    pub total: Vec<f32>,
    /// Query words matched, each counted by its best variant's credit
    /// (see `set_credit`).
    pub matched: Vec<f32>,
    /// Quoted words matched: a phrase can only be in a document that has
    /// all of them.
    pub matched_quoted: Vec<u16>,
    group: Vec<f32>,
    /// The best credit of the current group's variants, per document.
    group_credit: Vec<f32>,
    variant: Vec<f32>,
    touched_group: Vec<u32>,
    touched_variant: Vec<u32>,
    credit: f32,
}

impl Scores {
    pub fn new(max_doc: usize) -> Self {
        Scores {
            total: vec![0.0; max_doc],
            matched: vec![0.0; max_doc],
            matched_quoted: vec![0; max_doc],
            group: vec![0.0; max_doc],
            group_credit: vec![0.0; max_doc],
            variant: vec![0.0; max_doc],
            touched_group: Vec::new(),
            touched_variant: Vec::new(),
            credit: 1.0,
        }
    }

    /// How much of a query word the variants added from now on are worth
    /// to a document's coverage (1 until changed; the group's end resets
    /// it): a document matching a word only by a variant of credit 0.1
    /// counts a tenth of a word matched.
    pub fn set_credit(&mut self, credit: f32) {
        self.credit = credit;
    }

    /// Adds one variant term of the current group: `weight` × Σ fields
    /// boost × BM25, with the IDF of each field capped by `idf_cap` (per
    /// field) when given. Returns whether any document matched.
    pub fn add_variant(
        &mut self,
        stats: &[FieldStats],
        num_docs: u32,
        term: &str,
        weight: f32,
        idf_cap: Option<&[f32]>,
    ) -> bool {
        let variant = &mut self.variant;
        let touched = &mut self.touched_variant;
        for_term(stats, num_docs, term, idf_cap, |doc, s| {
            let d = doc as usize;
            if variant[d] == 0.0 {
                touched.push(doc);
            }
            variant[d] += s;
        });
        self.fold_variant(weight)
    }

    /// Adds a variant of several terms (a synonym of more than one word):
    /// only documents that contain every term, each scored the mean of
    /// the terms' scores × `weight`. Returns whether any document matched.
    pub fn add_all_of(
        &mut self,
        stats: &[FieldStats],
        num_docs: u32,
        terms: &[String],
        weight: f32,
        idf_cap: Option<&[f32]>,
    ) -> bool {
        let mut per_doc: HashMap<u32, (usize, f32)> = Default::default();
        for (i, term) in terms.iter().enumerate() {
            let mut this_term: HashMap<u32, f32> = Default::default();
            for_term(stats, num_docs, term, idf_cap, |doc, s| {
                *this_term.entry(doc).or_default() += s;
            });
            for (doc, s) in this_term {
                let e = per_doc.entry(doc).or_default();
                // Only documents that had every earlier term move on.
                if e.0 == i {
                    *e = (i + 1, e.1 + s);
                }
            }
        }
        let n = terms.len();
        for (doc, (count, sum)) in per_doc {
            let d = doc as usize;
            if count == n {
                self.touched_variant.push(doc);
                self.variant[d] = sum / n.max(1) as f32;
            }
        }
        self.fold_variant(weight)
    }

    /// Adds a weak word (a stop word beside other words, exact term only)
    /// to the totals of `candidates` (ascending: the documents that matched
    /// another word) that contain it. Such a word is in most documents, so
    /// its postings are skipped through to the candidates, not walked.
    pub fn add_weak(
        &mut self,
        stats: &[FieldStats],
        num_docs: u32,
        term: &str,
        candidates: &[u32],
    ) {
        for fs in stats {
            let Some((idf, mut postings)) = fs.postings(term, num_docs) else {
                continue;
            };
            for &doc in candidates {
                let at = if postings.doc() < doc {
                    postings.seek(doc)
                } else {
                    postings.doc()
                };
                if at == TERMINATED {
                    break;
                }
                if at == doc {
                    if let Some(t) = self.total.get_mut(doc as usize) {
                        *t += fs.bm25(idf, postings.term_freq(), doc);
                    }
                }
            }
        }
    }

    /// Moves the current variant's scores (× `weight`) into the group,
    /// keeping each document's best variant.
    fn fold_variant(&mut self, weight: f32) -> bool {
        let any = !self.touched_variant.is_empty();
        for &doc in &self.touched_variant {
            let d = doc as usize;
            let s = self.variant[d] * weight;
            if self.group[d] == 0.0 {
                self.touched_group.push(doc);
            }
            if s > self.group[d] {
                self.group[d] = s;
            }
            self.group_credit[d] = self.group_credit[d].max(self.credit);
            self.variant[d] = 0.0;
        }
        self.touched_variant.clear();
        any
    }

    /// Closes the current group: adds its best-variant scores to the totals.
    pub fn end_group(&mut self, quoted: bool) {
        for &doc in &self.touched_group {
            let d = doc as usize;
            self.total[d] += self.group[d];
            self.matched[d] += self.group_credit[d];
            self.matched_quoted[d] += u16::from(quoted);
            self.group[d] = 0.0;
            self.group_credit[d] = 0.0;
        }
        self.touched_group.clear();
        self.credit = 1.0;
    }
}

/// Calls `each(doc, score)` for every posting of `term` in every field:
/// boost × BM25, the IDF of each field capped by `idf_cap` when given.
fn for_term(
    stats: &[FieldStats],
    num_docs: u32,
    term: &str,
    idf_cap: Option<&[f32]>,
    mut each: impl FnMut(u32, f32),
) {
    for (fi, fs) in stats.iter().enumerate() {
        let Some((mut idf, mut postings)) = fs.postings(term, num_docs) else {
            continue;
        };
        if let Some(cap) = idf_cap.and_then(|c| c.get(fi)).filter(|c| **c > 0.0) {
            idf = idf.min(*cap);
        }
        // A posting past the documents (possible only in a forged
        // container whose files carry valid checksums) is skipped: its
        // fieldnorm lookup would be out of bounds. Every field's lengths
        // cover exactly the segment's documents (`Engine::assemble`), so
        // `each` gets only documents below `max_doc`, what the scores are
        // sized by.
        let docs = fs.norms.num_docs();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if doc < docs {
                each(doc, fs.bm25(idf, postings.term_freq(), doc));
            }
            doc = postings.advance();
        }
    }
}
