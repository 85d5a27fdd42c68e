//! Compound words (German): "Arbeitsspeichernutzung" is "Arbeit" + "s" +
//! "Speicher" + "Nutzung", and a visitor who types "Speichernutzung" or
//! "Nutzung" means the article that says it. Without a dictionary in the
//! engine (bytes), the help center's own words are the dictionary:
//!
//! - **At index time** every long word is split against the words the
//!   same articles use on their own ([`Vocabulary`]); its parts are
//!   indexed beside it, at its place, in the same field
//!   ([`CompoundFilter`]): an article about "Arbeitsspeichernutzung" is
//!   about "Nutzung".
//! - **At query time** a long word that no article has is split against
//!   the index's terms (their document frequencies), and an article with
//!   all its parts is a match of that word (`Engine::score_group`). A
//!   word some article has is left whole: splitting it too let articles
//!   that merely use its parts apart ("minimal", "Installation") count
//!   as having every word of the query, above the one that says
//!   "Minimalinstallation".
//!
//! Both sides choose a split the way Koehn and Knight (2003, "Empirical
//! methods for compound splitting") do: of all the ways to cut the word
//! into known parts (with a linking "s", "es", "n" or "en" between two
//! parts), the one whose parts' frequencies have the highest geometric
//! mean, and only when that mean is higher than the word's own frequency:
//! a word used more often than its parts ("Beispiel" against "Bei" and
//! "Spiel") is a word, not a compound. Stop words are never parts.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::tokenizer::primary_subtag;

/// Shorter words are never split.
pub const MIN_WORD_CHARS: usize = 8;
/// Shortest part ("Tag", "Bit", "Weg" are parts).
const MIN_PART_CHARS: usize = 3;
const MAX_PARTS: usize = 4;
/// What may join two parts ("Arbeit-s-speicher", "Seite-n-leiste").
const LINKS: &[&str] = &["s", "es", "n", "en"];

/// Whether the language writes compounds as one word and is split here.
/// German only: the one such language the benchmark corpora have, so the
/// one measured.
pub fn splits_compounds(lang: &str) -> bool {
    primary_subtag(lang) == "de"
}

/// Byte ranges of the parts of a lowercased `word`, if it is a compound.
/// `freq(part, last)` gives how often a part (a slice of `word`; `last`
/// when it ends the word) is used as a word of its own, 0 for an unknown
/// word or a stop word. (A word being typed ends in the start of a part.)
pub fn split(word: &str, mut freq: impl FnMut(&str, bool) -> u32) -> Option<Vec<(usize, usize)>> {
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect();
    let chars = bounds.len() - 1;
    if chars < MIN_WORD_CHARS || word.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut search = Search {
        word,
        bounds: &bounds,
        parts: Vec::new(),
        best: None,
    };
    search.from(0, 1.0, &mut freq);
    let (mean, parts) = search.best?;
    let own = freq(word, true);
    let whole = Mean {
        product: f64::from(own),
        parts: 1,
    };
    (own == 0 || mean.above(&whole)).then_some(parts)
}

/// The geometric mean of the frequencies of a split's parts, kept as
/// their product and count. Compared without logarithms or roots, whose
/// last bits differ between platforms: a pack built natively (hcs,
/// hc-proxy) and one built in wasm (the browser's builder, npx) must cut
/// the same words. Products of at most [`MAX_PARTS`] `u32`s, raised to
/// at most that power, stay far inside `f64`; its multiplications are
/// rounded the same everywhere.
#[derive(Clone, Copy)]
struct Mean {
    product: f64,
    parts: usize,
}

impl Mean {
    /// Whether this mean is higher: `a^(1/n) > b^(1/m)` as `a^m > b^n`.
    fn above(&self, other: &Mean) -> bool {
        let pow = |x: f64, n: usize| (0..n).fold(1.0, |acc, _| acc * x);
        pow(self.product, other.parts) > pow(other.product, self.parts)
    }
}

/// Depth-first over the ways to cut the word into known parts.
struct Search<'a> {
    word: &'a str,
    /// Byte offset of every char, and the word's length.
    bounds: &'a [usize],
    parts: Vec<(usize, usize)>,
    /// The best split so far, and its parts.
    best: Option<(Mean, Vec<(usize, usize)>)>,
}

impl Search<'_> {
    /// Cuts parts from char `start` on; `product` is over `self.parts`.
    fn from(&mut self, start: usize, product: f64, freq: &mut impl FnMut(&str, bool) -> u32) {
        let chars = self.bounds.len() - 1;
        if self.parts.len() == MAX_PARTS {
            return;
        }
        for end in start + MIN_PART_CHARS..=chars {
            let rest = chars - end;
            if rest != 0 && rest < MIN_PART_CHARS {
                continue;
            }
            if start == 0 && rest == 0 {
                break; // the word itself is not a split
            }
            let (from, to) = (self.bounds[start], self.bounds[end]);
            let f = freq(&self.word[from..to], rest == 0);
            if f == 0 {
                continue;
            }
            let product = product * f64::from(f);
            self.parts.push((from, to));
            if rest == 0 {
                let mean = Mean {
                    product,
                    parts: self.parts.len(),
                };
                // Equal means: the fewer parts.
                let better = self.best.as_ref().is_none_or(|(best, parts)| {
                    mean.above(best) || (!best.above(&mean) && self.parts.len() < parts.len())
                });
                if better {
                    self.best = Some((mean, self.parts.clone()));
                }
            } else {
                self.from(end, product, freq);
                let tail = &self.word[to..];
                for link in LINKS {
                    let n = link.len(); // ASCII: bytes are chars
                    if tail.starts_with(link) && rest >= n + MIN_PART_CHARS {
                        self.from(end + n, product, freq);
                    }
                }
            }
            self.parts.pop();
        }
    }
}

/// The words of a help center's articles in one language (lowercased, as
/// written, stop words left out) with how often each is used, and the
/// split of every long one: the dictionary of the index-time split.
#[derive(Debug, Default)]
pub struct Vocabulary {
    splits: FxHashMap<String, Vec<(usize, usize)>>,
}

impl Vocabulary {
    /// Splits every long word of `counts` against the others.
    pub fn new(counts: &FxHashMap<String, u32>) -> Vocabulary {
        let freq = |w: &str, _last| counts.get(w).copied().unwrap_or(0);
        let splits = counts
            .keys()
            .filter_map(|w| Some((w.clone(), split(w, freq)?)))
            .collect();
        Vocabulary { splits }
    }

    /// The parts of `word` (lowercased), if it is a compound.
    pub fn parts(&self, word: &str) -> Option<&[(usize, usize)]> {
        self.splits.get(word).map(Vec::as_slice)
    }
}

/// Token filter (after lowercasing, before stemming): a compound is
/// followed by its parts, at its position (as the stemmer's second form
/// of a word is).
#[derive(Clone)]
pub struct CompoundFilter(pub Arc<Vocabulary>);

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundFilterTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundFilterTokenizer<T> {
        CompoundFilterTokenizer {
            vocabulary: self.0,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct CompoundFilterTokenizer<T> {
    vocabulary: Arc<Vocabulary>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundFilterTokenizer<T> {
    type TokenStream<'a> = CompoundStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundStream {
            tail: self.inner.token_stream(text),
            vocabulary: &self.vocabulary,
            word: String::new(),
            parts: Vec::new(),
        }
    }
}

pub struct CompoundStream<'a, T> {
    tail: T,
    vocabulary: &'a Vocabulary,
    /// The compound whose parts are being given.
    word: String,
    /// Its parts still to give, last first.
    parts: Vec<(usize, usize)>,
}

impl<T: TokenStream> TokenStream for CompoundStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some((from, to)) = self.parts.pop() {
            let part = &self.word[from..to];
            let token = self.tail.token_mut();
            token.text.clear();
            token.text.push_str(part);
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let text = &self.tail.token().text;
        if let Some(parts) = self.vocabulary.parts(text) {
            self.word.clear();
            self.word.push_str(text);
            self.parts.extend(parts.iter().rev());
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(word: &str, known: &[(&str, u32)]) -> Option<Vec<String>> {
        let freq = |w: &str, _last| known.iter().find(|(k, _)| *k == w).map_or(0, |(_, f)| *f);
        split(word, freq).map(|p| p.iter().map(|&(a, b)| word[a..b].to_string()).collect())
    }

    #[test]
    fn a_compound_is_cut_into_known_words_with_linking_letters() {
        let known = [
            ("arbeit", 9),
            ("speicher", 20),
            ("nutzung", 5),
            ("netzwerk", 7),
        ];
        assert_eq!(
            cut("arbeitsspeichernutzung", &known).unwrap(),
            ["arbeit", "speicher", "nutzung"]
        );
        assert_eq!(
            cut("speichernutzung", &known).unwrap(),
            ["speicher", "nutzung"]
        );
        // Umlauts are bytes apart from chars.
        let known = [("größe", 4), ("änderung", 3)];
        assert_eq!(
            cut("größenänderung", &known).unwrap(),
            ["größe", "änderung"]
        );
    }

    #[test]
    fn a_word_used_more_than_its_parts_is_kept() {
        // "Beispiel": "Bei" is a stop word (not known), "beis" is no word.
        assert_eq!(cut("beispiel", &[("spiel", 3), ("beispiel", 80)]), None);
        // "Festplatte" used more than "fest" and "platte" together mean.
        let known = [("fest", 4), ("platte", 9), ("festplatte", 30)];
        assert_eq!(cut("festplatte", &known), None);
        let known = [("fest", 40), ("platte", 90), ("festplatte", 30)];
        assert!(cut("festplatte", &known).is_some());
    }

    #[test]
    fn short_words_unknown_parts_and_numbers_are_not_cut() {
        let known = [("netz", 9), ("plan", 9), ("werk", 9), ("v6", 9)];
        assert_eq!(cut("netzplan", &known).unwrap(), ["netz", "plan"]);
        assert_eq!(cut("netzpla", &known), None, "under 8 chars");
        assert_eq!(
            cut("netzwerkzeugkasten", &known),
            None,
            "\"zeugkasten\" unknown"
        );
        assert_eq!(cut("netzwerkv6", &known), None, "digits");
        // A part shorter than three chars is no part, so neither is what
        // remains before it.
        assert_eq!(cut("netzwerka", &known), None);
    }
}
