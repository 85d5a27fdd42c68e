//! Checks quoted phrases against an article's text.
//!
//! The index records no positions (they would roughly double the pack,
//! see [`crate::schema`]), so a phrase is verified on the candidates the
//! words found: the title and body are tokenized again (lowercased and
//! folded, not stemmed: a quoted phrase matches as written) and scanned for
//! the phrase's words next to each other. Only documents that matched
//! every quoted word are candidates. They are checked best first; once
//! [`PHRASE_CHECK_BYTES`] of text have been checked, only until the hits
//! asked for are found, and never past [`PHRASE_CHECK_MAX_BYTES`], so a
//! phrase of common words in a large help center costs a bounded amount per
//! keystroke (its count is then estimated from the share of matches so
//! far).

use crate::analysis::Analysis;
use crate::query::plan::Phrase;

/// Text checked against the phrases for an exact count; past it, checking
/// stops as soon as the hits asked for are found.
pub const PHRASE_CHECK_BYTES: usize = 128 * 1024;
/// Text checked at most, whatever was found.
pub const PHRASE_CHECK_MAX_BYTES: usize = 256 * 1024;

/// Whether `text` contains every phrase (each words-in-order).
pub fn contains_all(analysis: &Analysis, texts: &[&str], phrases: &[Phrase]) -> bool {
    phrases
        .iter()
        .all(|p| texts.iter().any(|t| contains(analysis, t, p)))
}

/// Whether `text` contains the phrase's words next to each other.
pub fn contains(analysis: &Analysis, text: &str, phrase: &Phrase) -> bool {
    let n = phrase.words.len();
    if n == 0 {
        return true;
    }
    // The last `n` words of the text so far, as a ring (reused buffers).
    let mut ring: Vec<String> = vec![String::new(); n];
    let mut seen = 0usize;
    analysis.folded_words(text, |word| {
        let slot = seen % n;
        ring[slot].clear();
        ring[slot].push_str(word);
        seen += 1;
        if seen < n {
            return true;
        }
        let start = seen - n;
        let matched = phrase.words.iter().enumerate().all(|(i, w)| {
            let got = &ring[(start + i) % n];
            if phrase.open && i == n - 1 {
                got.starts_with(w.as_str())
            } else {
                got == w
            }
        });
        !matched
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(words: &[&str], open: bool) -> Phrase {
        Phrase {
            words: words.iter().map(|s| s.to_string()).collect(),
            open,
        }
    }

    #[test]
    fn words_must_be_adjacent_and_in_order() {
        let a = Analysis::new("en");
        let text = "Set up the Router, and the firewall. Café crème!";
        assert!(contains(&a, text, &phrase(&["the", "router"], false)));
        assert!(contains(
            &a,
            text,
            &phrase(&["router", "and", "the"], false)
        ));
        assert!(!contains(&a, text, &phrase(&["router", "firewall"], false)));
        assert!(!contains(&a, text, &phrase(&["the", "set"], false)));
        assert!(contains(&a, text, &phrase(&["cafe", "creme"], false)));
        // Not stemmed: a quoted word matches as written.
        assert!(!contains(&a, text, &phrase(&["routers"], false)));
        // The word being typed in an open phrase is a prefix.
        assert!(contains(&a, text, &phrase(&["the", "fire"], true)));
        assert!(!contains(&a, text, &phrase(&["the", "fire"], false)));
    }

    #[test]
    fn repeated_words_overlap_correctly() {
        let a = Analysis::new("en");
        assert!(contains(&a, "a a a b", &phrase(&["a", "a", "b"], false)));
        assert!(!contains(&a, "a b a", &phrase(&["a", "a"], false)));
    }

    #[test]
    fn cjk_phrases_are_bigram_runs() {
        let a = Analysis::new("ja");
        let text = "ルーターとファイアウォールを設定します。";
        let q = |s: &str| {
            let p = crate::query::plan::plan(&a, &format!("「{s}」"));
            p.phrases.into_iter().next().expect("a phrase")
        };
        assert!(contains(&a, text, &q("ファイアウォール")));
        assert!(!contains(&a, text, &q("ウォールファイア")));
    }
}
