//! Term-dictionary walks that turn a typed word into indexed terms: prefix
//! completions for the word being typed, and typo corrections.
//!
//! `QueryParser::set_field_fuzzy` on every term was measured at p95 30–83 ms
//! in wasm (DESIGN.md). Here typo correction runs only for a word that is
//! absent from the index, only from 4 characters (distance 1) or 8
//! (distance 2), and walks only the dictionary range that shares the word's
//! first character, with an early-exit bounded edit distance. Completions
//! walk the prefix range and keep the most frequent few.

use tantivy::InvertedIndexReader;

/// Terms starting with `prefix` and their document frequencies, the most
/// frequent first, at most `max`.
pub fn prefix_terms(
    inv: &InvertedIndexReader,
    prefix: &str,
    max: usize,
    out: &mut Vec<(String, u32)>,
) {
    const SCAN_LIMIT: usize = 4096;
    let Ok(mut stream) = inv.terms().range().ge(prefix.as_bytes()).into_stream() else {
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
    best.sort_by_key(|(t, d, q)| rank(*d, t.len(), *q));
    let found = best.into_iter().map(|(t, d, _)| (t, d));
    for f in found {
        if !out.iter().any(|o| o.0 == f.0) {
            out.push(f);
        }
    }
}

/// The edit distance a word of `chars` characters may be corrected by.
pub fn allowed_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Terms within `max_dist` edits of `word` that share its first
/// character, as (term, distance, doc freq).
pub fn fuzzy_terms(
    inv: &InvertedIndexReader,
    word: &str,
    max_dist: u8,
    out: &mut Vec<(String, u8, u32)>,
) {
    let Some(first) = word.chars().next() else {
        return;
    };
    if max_dist == 0 {
        return;
    }
    let lo = first.to_string();
    let hi = char::from_u32(first as u32 + 1).map(|c| c.to_string());
    let mut builder = inv.terms().range().ge(lo.as_bytes());
    if let Some(hi) = &hi {
        builder = builder.lt(hi.as_bytes());
    }
    let Ok(mut stream) = builder.into_stream() else {
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

#[cfg(test)]
mod tests {
    use super::bounded_distance;

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
}
