//! Term-dictionary walks that turn a typed word into indexed terms: prefix
//! completions for the word being typed, and typo corrections.
//!
//! `QueryParser::set_field_fuzzy` on every term was measured at p95 30–83 ms
//! in wasm (DESIGN.md). Here typo correction runs only for a word that is
//! absent from the index, only from 4 characters (distance 1) or 8
//! (distance 2), and walks only the dictionary range that shares the word's
//! first character, with an early-exit bounded edit distance. A CJK bigram
//! has no edit-distance corrections but [`transpositions`]. Completions
//! walk the prefix range and keep the most frequent few.

use crate::analysis::{Analysis, QueryToken};
use crate::query::score::FieldStats;
use crate::tokenizer::is_cjk;

/// Terms of `field` starting with `prefix` and their document
/// frequencies, the most frequent first, at most `max`.
pub fn prefix_terms(field: &FieldStats, prefix: &str, max: usize, out: &mut Vec<(String, u32)>) {
    const SCAN_LIMIT: usize = 4096;
    let Some(mut stream) = terms_starting_with(field, prefix.as_bytes()) else {
        return;
    };
    // Keep the best `max` while scanning (most documents, then shortest,
    // then first in dictionary order), allocating only for those.
    let rank = |df: u32, len: usize, seq: usize| (std::cmp::Reverse(df), len, seq);
    let mut best: Vec<(String, u32, usize)> = Vec::with_capacity(max);
    let mut scanned = 0;
    while stream.advance() {
        let key = stream.key();
        if !key.starts_with(prefix.as_bytes()) || scanned >= SCAN_LIMIT {
            break;
        }
        scanned += 1;
        let df = stream.value().doc_freq;
        let Ok(s) = std::str::from_utf8(key) else {
            continue;
        };
        if best.len() < max {
            best.push((s.to_string(), df, scanned));
            continue;
        }
        let Some((worst, _)) = best
            .iter()
            .enumerate()
            .max_by_key(|(_, (t, d, q))| rank(*d, t.len(), *q))
        else {
            continue;
        };
        let (t, d, q) = &best[worst];
        if rank(df, s.len(), scanned) < rank(*d, t.len(), *q) {
            best[worst] = (s.to_string(), df, scanned);
        }
    }
    crate::order::sort_by(&mut best, |a, b| {
        rank(a.1, a.0.len(), a.2).cmp(&rank(b.1, b.0.len(), b.2))
    });
    let found = best.into_iter().map(|(t, d, _)| (t, d));
    for f in found {
        if !out.iter().any(|o| o.0 == f.0) {
            out.push(f);
        }
    }
}

/// The terms of `field` that start with `prefix`, in dictionary order:
/// the range ends where the prefix does, so the dictionary is read (and
/// its chunks fetched, `crate::apart`) for that range only. None when the
/// read failed (noted, [`FieldStats::note`]).
fn terms_starting_with<'a>(
    field: &'a FieldStats,
    prefix: &[u8],
) -> Option<tantivy::termdict::TermStreamer<'a>> {
    let mut range = field.inv.terms().range().ge(prefix);
    if let Some(end) = after_prefix(prefix) {
        range = range.lt(end);
    }
    range.into_stream().map_err(|e| field.note(&e)).ok()
}

/// The first byte string after every string that starts with `prefix`
/// (`None` if there is none: all its bytes are 0xFF).
fn after_prefix(prefix: &[u8]) -> Option<Vec<u8>> {
    let last = prefix.iter().rposition(|&b| b != 0xFF)?;
    let mut end = prefix[..=last].to_vec();
    end[last] += 1;
    Some(end)
}

/// The edit distance a word of `chars` characters may be corrected by.
pub fn allowed_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Terms of `field` within `max_dist` edits of `word` that share its
/// first character, as (term, distance, doc freq).
pub fn fuzzy_terms(field: &FieldStats, word: &str, max_dist: u8, out: &mut Vec<(String, u8, u32)>) {
    let Some(first) = word.chars().next() else {
        return;
    };
    if max_dist == 0 {
        return;
    }
    let Some(mut stream) = terms_starting_with(field, first.to_string().as_bytes()) else {
        return;
    };
    let target: Vec<char> = word.chars().collect();
    let mut buf: Vec<char> = Vec::with_capacity(32);
    while stream.advance() {
        let Ok(s) = std::str::from_utf8(stream.key()) else {
            continue;
        };
        let n = s.chars().count();
        if n.abs_diff(target.len()) > max_dist as usize || n < 2 {
            continue;
        }
        buf.clear();
        buf.extend(s.chars());
        if let Some(d) = bounded_distance(&target, &buf, max_dist) {
            if d > 0 && !out.iter().any(|o| o.0 == s) {
                out.push((s.to_string(), d, stream.value().doc_freq));
            }
        }
    }
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent
/// transpositions) if it is at most `max`, else `None`. Gives up on a row
/// as soon as every cell exceeds `max`.
pub fn bounded_distance(a: &[char], b: &[char], max: u8) -> Option<u8> {
    let max = max as usize;
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..w {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d as u8)
}

/// The corrections of a CJK bigram absent from the index, as if two
/// neighbouring characters of its run had been typed the wrong way round.
/// Such a swap ("ACBD" for "ABCD") changes three bigrams: the middle one
/// is the text's reversed ("CB" for "BC"), and the two beside it each
/// hold one character of the swap where the text has the other ("AC" for
/// "AB", "BD" for "CD"). Each absent bigram is tried all three ways: its
/// characters swapped, its first with the character after it, the one
/// before it with its second; a stop word found so is not a correction.
/// (Edit distance by substitution would match every bigram sharing a
/// character: for CJK, most of the dictionary.)
pub fn transpositions(analysis: &Analysis, query: &str, token: &QueryToken) -> Vec<String> {
    let mut chars = token.term.chars();
    let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) else {
        return Vec::new();
    };
    let before = query.get(..token.from).and_then(|s| s.chars().next_back());
    let after = query.get(token.to..).and_then(|s| s.chars().next());
    let mut out: Vec<String> = Vec::new();
    let mut add = |x: char, y: char| {
        let t: String = [x, y].iter().collect();
        if !out.contains(&t) && !analysis.is_stop(&t) {
            out.push(t);
        }
    };
    if a != b {
        add(b, a);
    }
    if let Some(next) = after.filter(|c| is_cjk(*c)) {
        add(a, next);
    }
    if let Some(prev) = before.filter(|c| is_cjk(*c)) {
        add(prev, b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{bounded_distance, transpositions};
    use crate::analysis::Analysis;

    fn d(a: &str, b: &str, max: u8) -> Option<u8> {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        bounded_distance(&a, &b, max)
    }

    #[test]
    fn distances() {
        assert_eq!(d("config", "config", 1), Some(0));
        assert_eq!(d("confg", "config", 1), Some(1));
        assert_eq!(d("cnofig", "config", 1), Some(1));
        assert_eq!(d("alocation", "allocation", 2), Some(1));
        assert_eq!(d("abc", "xyz", 2), None);
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("über", "uber", 1), Some(1));
    }

    /// The corrections of each bigram of `query`, as the engine would try
    /// them were the bigram in no document.
    fn corrections(lang: &str, query: &str) -> Vec<(String, Vec<String>)> {
        let analysis = Analysis::new(lang);
        analysis
            .query_tokens(query)
            .iter()
            .filter(|t| t.cjk)
            .map(|t| (t.term.clone(), transpositions(&analysis, query, t)))
            .collect()
    }

    #[test]
    fn a_swap_is_undone_in_each_of_the_three_bigrams_it_changes() {
        // "挂在分区" with 在 and 分 swapped.
        let got = corrections("zh-cn", "挂分在区");
        let want = [
            ("挂分", vec!["分挂", "挂在"]),
            ("分在", vec!["在分", "分区", "挂在"]),
            ("在区", vec!["区在", "分区"]),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((term, alts), (want_term, want_alts)) in got.iter().zip(want) {
            assert_eq!(term, want_term);
            assert_eq!(alts, &want_alts);
        }
        // "需要哪些" with 要 and 哪 swapped: "哪些" (which) is a stop word,
        // so it is no correction of "哪要".
        assert_eq!(
            corrections("zh-cn", "需哪要些")[1],
            ("哪要".into(), vec!["要哪".to_string(), "需要".to_string()])
        );
        // Nothing across a word of another script, nor for one character.
        assert_eq!(
            corrections("zh-cn", "UUID挂分 x"),
            [("挂分".into(), vec!["分挂".to_string()])]
        );
        assert!(corrections("ja", "設")
            .iter()
            .all(|(_, alts)| alts.is_empty()));
    }
}
