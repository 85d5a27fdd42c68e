//! Highlights and snippets, computed on plain text after the search.
//!
//! The index has no positions, so matches are found again by scanning the
//! text: a word matches when its lowercased, folded form starts with a
//! matched index term and (for stemmed languages) stems to it; CJK bigrams
//! match by equality. Only the first [`SCAN_BYTES`] of a body are scanned so
//! a huge article costs no more than a normal one.

use std::collections::{HashMap, HashSet};

use hc_core::protocol::Highlight;

use crate::analysis::Analysis;
use crate::compounds::MIN_WORD_CHARS;
use crate::tokenizer::{is_cjk, script_break};

/// Target snippet length in characters.
pub const SNIPPET_CHARS: usize = 160;
/// How much of a body is scanned for the best snippet.
pub const SCAN_BYTES: usize = 4 * 1024;
const MAX_MATCHES: usize = 32;
/// Shortest word term looked for inside a compound (stems of parts:
/// "speich", "nutzung"; shorter ones match inside too many words).
const MIN_PART_BYTES: usize = 4;
const ELLIPSIS: &str = "…";

/// Finds words of a text that match the terms a search matched.
pub struct Highlighter<'a> {
    analysis: &'a Analysis,
    words: HashSet<String>,
    /// Each word term and the term without its last char: a text word is
    /// a stemming candidate only when one of its prefixes is in here.
    stems: HashSet<String>,
    cjk: HashSet<String>,
    cache: HashMap<String, bool>,
    buf: String,
    /// First characters of word terms (ASCII), and whether any word term
    /// could match a word starting with a non-ASCII character.
    first_ascii: [bool; 128],
    any_non_ascii: bool,
    cjk_first: Vec<char>,
    /// German: word terms a long word may hold as a part of a compound
    /// ("nutzung" in "Arbeitsspeichernutzung"), which marks the whole word.
    parts: Vec<String>,
}

impl<'a> Highlighter<'a> {
    pub fn new(analysis: &'a Analysis, terms: impl IntoIterator<Item = String>) -> Self {
        let mut words = HashSet::new();
        let mut stems = HashSet::new();
        let mut cjk = HashSet::new();
        for t in terms {
            if t.chars().next().is_some_and(is_cjk) {
                cjk.insert(t);
            } else if !t.is_empty() {
                if analysis.has_stemmer() {
                    let mut short = t.clone();
                    short.pop();
                    if short.len() >= 2 {
                        stems.insert(short);
                    }
                    stems.insert(t.clone());
                }
                words.insert(t);
            }
        }
        let mut first_ascii = [false; 128];
        for w in &words {
            if let Some(c) = w.chars().next().filter(char::is_ascii) {
                first_ascii[c as usize] = true;
            }
        }
        // Folding maps non-ASCII initials (é, ü) to ASCII ones; keep it simple
        // and let any non-ASCII initial through when there are word terms.
        let any_non_ascii = !words.is_empty();
        let cjk_first = cjk.iter().filter_map(|t| t.chars().next()).collect();
        let parts = if analysis.splits_compounds() {
            let long = words.iter().filter(|w| w.len() >= MIN_PART_BYTES);
            long.cloned().collect()
        } else {
            Vec::new()
        };
        Highlighter {
            parts,
            first_ascii,
            any_non_ascii,
            cjk_first,
            analysis,
            words,
            stems,
            cjk,
            cache: HashMap::new(),
            buf: String::new(),
        }
    }

    /// Byte ranges of matching words in `text[..limit]`, at most `max`.
    /// Scans bytes (ASCII fast path) and only looks a word up when its
    /// first character starts some matched term.
    pub fn find(&mut self, text: &str, limit: usize, max: usize) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let bytes = text.as_bytes();
        let limit = limit.min(bytes.len());
        let mut i = 0;
        while i < limit && out.len() < max {
            let b = bytes[i];
            let (c, len) = if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                (b as char, 1)
            } else {
                match text[i..].chars().next() {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            if is_cjk(c) {
                // Same segmentation as the tokenizer: sub-runs cut by
                // `script_break`, pairs inside, lone characters as unigrams.
                let mut prev = (c, i, i + len);
                let mut sub_len = 1;
                i += len;
                loop {
                    let next = text[i..].chars().next().filter(|n| is_cjk(*n));
                    let cut = next.is_none_or(|n| script_break(prev.0, n));
                    if cut {
                        if sub_len == 1 && self.cjk.contains(&text[prev.1..prev.2]) {
                            push_merged(&mut out, (prev.1, prev.2));
                        }
                        sub_len = 0;
                    }
                    let Some(n) = next else { break };
                    let cur = (n, i, i + n.len_utf8());
                    if !cut
                        && self.cjk_first.contains(&prev.0)
                        && self.cjk.contains(&text[prev.1..cur.2])
                    {
                        push_merged(&mut out, (prev.1, cur.2));
                    }
                    prev = cur;
                    sub_len += 1;
                    i = cur.2;
                }
                continue;
            }
            if !c.is_alphanumeric() {
                i += len;
                continue;
            }
            let start = i;
            i += len;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                } else {
                    match text[i..].chars().next() {
                        Some(n) if n.is_alphanumeric() && !is_cjk(n) => i += n.len_utf8(),
                        _ => break,
                    }
                }
            }
            let first = c.to_lowercase().next().unwrap_or(c);
            // A long word may be a compound holding a part anywhere; an
            // ASCII one is checked for one here, before any folding.
            let word = &text[start..i];
            let compound = !self.parts.is_empty()
                && word.len() >= MIN_WORD_CHARS
                && (!word.is_ascii() || holds_part(word, &self.parts));
            if !compound
                && ((first.is_ascii() && !self.first_ascii[first as usize])
                    || (!first.is_ascii() && !self.any_non_ascii))
            {
                continue;
            }
            if self.word_matches(word) {
                out.push((start, i));
            }
        }
        out
    }

    fn word_matches(&mut self, word: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        self.buf.clear();
        if word.is_ascii() {
            self.buf
                .extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            self.buf.push_str(&self.analysis.fold(word));
        }
        let buf = &self.buf;
        if self.words.contains(buf.as_str()) {
            return true;
        }
        if let Some(&hit) = self.cache.get(buf) {
            return hit;
        }
        // A stemmed term is (nearly) a prefix of the words it comes from.
        let candidate = buf
            .char_indices()
            .skip(2)
            .any(|(i, _)| self.stems.contains(&buf[..i]));
        // A compound holds its parts anywhere (`crate::compounds`).
        let compound = !self.parts.is_empty() && buf.chars().count() >= MIN_WORD_CHARS;
        if !candidate && !compound {
            return false;
        }
        // The word's two indexed forms (`crate::stem`): the folded word's,
        // and, when it has accents, the accented word's.
        let hit = (candidate
            && (self.words.contains(&self.analysis.stem(buf))
                || (!word.is_ascii() && self.words.contains(&self.analysis.stem(word)))))
            || (compound && self.parts.iter().any(|p| buf.contains(p.as_str())));
        self.cache.insert(buf.clone(), hit);
        hit
    }
}

/// Whether an ASCII `word` holds one of the (ASCII, lowercased) `parts`,
/// case aside.
fn holds_part(word: &str, parts: &[String]) -> bool {
    let word = word.as_bytes();
    parts.iter().any(|p| {
        let p = p.as_bytes();
        word.windows(p.len()).any(|w| w.eq_ignore_ascii_case(p))
    })
}

fn push_merged(out: &mut Vec<(usize, usize)>, r: (usize, usize)) {
    match out.last_mut() {
        Some(last) if r.0 < last.1 => last.1 = last.1.max(r.1),
        _ => out.push(r),
    }
}

pub fn to_highlights(ranges: &[(usize, usize)], shift: usize) -> Vec<Highlight> {
    ranges
        .iter()
        .map(|&(s, e)| Highlight {
            start: (s + shift) as u32,
            end: (e + shift) as u32,
        })
        .collect()
}

/// A ~160-character window of `body` around its densest cluster of
/// matches, with highlight ranges into the returned snippet.
pub fn snippet(body: &str, hl: &mut Highlighter<'_>) -> (String, Vec<Highlight>) {
    let matches = hl.find(body, SCAN_BYTES, MAX_MATCHES);
    let (start, end) = window(body, &matches);
    let mut out = String::with_capacity(end - start + 8);
    let mut shift = 0isize - start as isize;
    if start > 0 {
        out.push_str(ELLIPSIS);
        shift += ELLIPSIS.len() as isize;
    }
    out.push_str(&body[start..end]);
    if end < body.len() {
        out.push_str(ELLIPSIS);
    }
    let highlights = matches
        .iter()
        .filter(|&&(s, e)| s >= start && e <= end)
        .map(|&(s, e)| Highlight {
            start: (s as isize + shift) as u32,
            end: (e as isize + shift) as u32,
        })
        .collect();
    (out, highlights)
}

/// Picks the byte window: starts a little before the match that begins
/// the densest run of distinct matched words, on word boundaries.
fn window(body: &str, matches: &[(usize, usize)]) -> (usize, usize) {
    let approx_bytes = SNIPPET_CHARS * bytes_per_char(body);
    let mut best = (0usize, 0usize);
    for (i, &(s, _)) in matches.iter().enumerate() {
        let mut distinct: Vec<&str> = Vec::new();
        for &(ms, me) in &matches[i..] {
            if me > s + approx_bytes * 3 / 4 {
                break;
            }
            let w = &body[ms..me];
            if !distinct.iter().any(|d| d.eq_ignore_ascii_case(w)) {
                distinct.push(w);
            }
        }
        if distinct.len() > best.0 {
            best = (distinct.len(), i);
        }
    }
    let anchor = if matches.is_empty() {
        0
    } else {
        matches[best.1].0
    };
    let start = if anchor == 0 {
        0
    } else {
        back_chars(body, anchor, SNIPPET_CHARS / 5)
    };
    let end = forward_chars(body, start, SNIPPET_CHARS);
    (start, end)
}

fn bytes_per_char(text: &str) -> usize {
    let sample = &text[..crate::query::plan::truncate(text, 2048).len()];
    let chars = sample.chars().count().max(1);
    sample.len().div_ceil(chars).max(1)
}

/// Moves back `n` characters from `pos`, then forward to a word start.
fn back_chars(text: &str, pos: usize, n: usize) -> usize {
    let start = text[..pos]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if start == 0 {
        return 0;
    }
    // Start after the first space in the window, if there is one early.
    match text[start..pos].find(' ') {
        Some(sp) => start + sp + 1,
        None => start,
    }
}

/// Moves forward `n` characters from `pos`, then back to a word end.
fn forward_chars(text: &str, pos: usize, n: usize) -> usize {
    let Some((end, _)) = text[pos..].char_indices().nth(n) else {
        return text.len();
    };
    let end = pos + end;
    match text[pos..end].rfind(' ') {
        Some(sp) if sp > (end - pos) * 3 / 4 => pos + sp,
        _ => end,
    }
}
