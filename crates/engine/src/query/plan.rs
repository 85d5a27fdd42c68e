//! From the raw text of a search box to the words to look for.
//!
//! There is no query syntax: quotes, `AND`, `-`, `:` and brackets are just
//! characters, which the tokenizer drops like any other punctuation, so no
//! input can fail to parse. The text is cut to [`MAX_QUERY_BYTES`] first
//! (on a char boundary) so a pasted novel is still answered fast.

use crate::analysis::{Analysis, QueryToken};

/// Longest query text considered; the rest is ignored.
pub const MAX_QUERY_BYTES: usize = 512;
/// Most words considered (after dropping stop words and duplicates).
pub const MAX_GROUPS: usize = 16;

/// One word of the query: all its variants (exact, prefix completions,
/// typo corrections) count once towards "all words present".
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub token: QueryToken,
    /// The word is still being typed: also match it as a prefix.
    pub prefix: bool,
}

/// Cuts `text` to at most `max` bytes on a char boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Plans the query. Empty when the text has no words.
pub fn plan(analysis: &Analysis, raw: &str) -> Vec<Group> {
    let truncated = raw.len() > MAX_QUERY_BYTES;
    let text = truncate(raw, MAX_QUERY_BYTES);
    let tokens = analysis.query_tokens(text);
    let Some(last) = tokens.last() else {
        return Vec::new();
    };
    // The last word is being typed when nothing follows it.
    let typing = !truncated && last.to == text.len();
    let last_from = last.from;
    let all_stop = tokens.iter().all(|t| t.stop);
    let mut groups: Vec<Group> = Vec::new();
    for t in tokens {
        let is_last = t.from == last_from;
        let prefix = typing && is_last;
        if t.stop && !all_stop && !prefix {
            continue;
        }
        if t.stop && prefix && !all_stop {
            // A finished-looking stop word at the end: only as a prefix.
            if t.folded.chars().count() < 3 {
                continue;
            }
        }
        if let Some(g) = groups.iter_mut().find(|g| g.token.term == t.term) {
            g.prefix |= prefix;
            continue;
        }
        groups.push(Group { token: t, prefix });
    }
    if groups.len() > MAX_GROUPS {
        // Keep the first words and the one being typed.
        let last = groups.pop();
        groups.truncate(MAX_GROUPS - 1);
        groups.extend(last);
    }
    groups
}
