//! The one tokenizer every language shares: words are runs of letters and
//! digits, and CJK text (which has no spaces) becomes overlapping character
//! bigrams, so that a query for a word inside a longer run of characters
//! still finds it. A lone CJK character becomes a unigram, and runs
//! are first cut where hiragana meets other scripts (see [`script_break`]).
//! Mixed text
//! ("sshの設定") is handled in one pass, which matters for Japanese and
//! Chinese documentation full of command names.
//!
//! Elision: in French, Italian and Catalan an article or particle written
//! before an apostrophe ("l'installation", "qu'un", "dell'archivio") is not
//! a word of its own, so [`WordBigramTokenizer::for_lang`] drops it; the
//! noun after the apostrophe is then indexed and queried alone, and the
//! elided particle neither matches every document nor pollutes prefixes.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana (incl. ー)
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9F   // Half-width Katakana
        | 0x20000..=0x2FFFF // Extensions B and later
        | 0x31F0..=0x31FF   // Katakana Phonetic Extensions
    )
}

pub fn is_hiragana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x309F)
}

/// Where a CJK run is cut before pairing: between hiragana and anything
/// else. Hiragana is mostly particles and inflections, so this cut falls
/// near word boundaries ("設定を" → "設定", "を"), which shrinks the term
/// dictionary by dropping junk pairs across particles and turns a kanji
/// between two particles into a findable unigram.
pub fn script_break(prev: char, next: char) -> bool {
    is_hiragana(prev) != is_hiragana(next)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Splits text into words and CJK bigrams. See the module documentation.
#[derive(Clone, Default)]
pub struct WordBigramTokenizer {
    /// Lowercase particles dropped when an apostrophe and a letter follow.
    elisions: &'static [&'static str],
}

/// French elided particles (l', d', qu', jusqu', …).
const FR_ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];
/// Italian elided articles and articulated prepositions (l', un', dell', …).
const IT_ELISIONS: &[&str] = &[
    "l", "un", "d", "c", "v", "m", "t", "s", "n", "dell", "all", "dall", "nell", "sull", "coll",
    "quell", "quest", "bell", "sant",
];
/// Catalan elided articles and prepositions.
const CA_ELISIONS: &[&str] = &["l", "d", "m", "t", "s", "n"];

/// Apostrophes that mark an elision: ASCII and the typographic right quote.
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The primary subtag of a site language code, lowercased: `pt` for
/// `pt-BR` or `pt_br`. What the per-language choices (stemmer, elisions,
/// query stop words) go by.
pub fn primary_subtag(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

impl WordBigramTokenizer {
    /// The tokenizer for a site language: elision rules for French,
    /// Italian and Catalan, none for other languages.
    pub fn for_lang(lang: &str) -> Self {
        let elisions = match primary_subtag(lang).as_str() {
            "fr" => FR_ELISIONS,
            "it" => IT_ELISIONS,
            "ca" => CA_ELISIONS,
            _ => &[],
        };
        WordBigramTokenizer { elisions }
    }

    /// Whether `word` (just read, ending at `end`) is an elided particle:
    /// on the language's list and followed by an apostrophe and a letter.
    fn elided(elisions: &[&str], text: &str, word: &str, end: usize) -> bool {
        if elisions.is_empty() || word.len() > 6 {
            return false;
        }
        let mut rest = text[end..].chars();
        let (Some(a), Some(next)) = (rest.next(), rest.next()) else {
            return false;
        };
        is_apostrophe(a)
            && next.is_alphabetic()
            && elisions.iter().any(|e| e.eq_ignore_ascii_case(word))
    }
}

/// A lazy stream over the text: one reused token buffer, no per-token
/// allocation beyond what filters do.
pub struct WordBigramStream<'a> {
    text: &'a str,
    elisions: &'static [&'static str],
    pos: usize,
    /// The previous character of the current CJK run, and the run length.
    cjk_prev: Option<(usize, usize)>,
    cjk_run: usize,
    token: Token,
}

impl Tokenizer for WordBigramTokenizer {
    type TokenStream<'a> = WordBigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordBigramStream<'a> {
        WordBigramStream {
            text,
            elisions: self.elisions,
            pos: 0,
            cjk_prev: None,
            cjk_run: 0,
            token: Token::default(),
        }
    }
}

impl WordBigramStream<'_> {
    fn emit(&mut self, from: usize, to: usize) -> bool {
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        true
    }

    fn next_char(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
}

impl TokenStream for WordBigramStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some(c) = self.next_char() else {
                // End of text: a pending single CJK char is a unigram.
                if let Some((s, e)) = self.cjk_prev.take() {
                    if self.cjk_run == 1 {
                        return self.emit(s, e);
                    }
                }
                return false;
            };
            let start = self.pos;
            if let Some((s, e)) = self.cjk_prev {
                let prev = self.text[s..e].chars().next().unwrap_or(c);
                if is_cjk(c) && !script_break(prev, c) {
                    self.pos += c.len_utf8();
                    self.cjk_prev = Some((start, self.pos));
                    self.cjk_run += 1;
                    return self.emit(s, self.pos);
                }
                self.cjk_prev = None;
                if self.cjk_run == 1 {
                    return self.emit(s, e);
                }
            }
            if is_word(c) {
                let end = self.text[start..]
                    .find(|c: char| !is_word(c))
                    .map_or(self.text.len(), |p| start + p);
                self.pos = end;
                if WordBigramTokenizer::elided(
                    self.elisions,
                    self.text,
                    &self.text[start..end],
                    end,
                ) {
                    continue;
                }
                return self.emit(start, end);
            }
            self.pos += c.len_utf8();
            if is_cjk(c) {
                self.cjk_prev = Some((start, self.pos));
                self.cjk_run = 1;
            }
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{TokenStream, Tokenizer};

    use super::WordBigramTokenizer;

    fn toks(text: &str) -> Vec<(String, usize)> {
        toks_in("en", text)
    }

    fn toks_in(lang: &str, text: &str) -> Vec<(String, usize)> {
        let mut t = WordBigramTokenizer::for_lang(lang);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().text.clone(), s.token().position));
        }
        out
    }

    #[test]
    fn words_and_bigrams() {
        let words = |text: &str| toks(text).into_iter().map(|(t, _)| t).collect::<Vec<_>>();
        assert_eq!(
            words("Hello, wörld! x-y_z 42"),
            ["Hello", "wörld", "x", "y", "z", "42"]
        );
        assert_eq!(
            words("sshの設定方法"),
            ["ssh", "の", "設定", "定方", "方法"]
        );
        assert_eq!(words("鍵をかける"), ["鍵", "をか", "かけ", "ける"]);
        assert_eq!(words("鍵 と ssh"), ["鍵", "と", "ssh"]);
        assert_eq!(words("パスワード"), ["パス", "スワ", "ワー", "ード"]);
        assert_eq!(words("a設"), ["a", "設"]);
        assert_eq!(words(""), Vec::<String>::new());
        assert_eq!(words("🔥\u{0}"), Vec::<String>::new());
        let positions: Vec<usize> = toks("one two 設定").into_iter().map(|(_, p)| p).collect();
        assert_eq!(positions, [0, 1, 2]);
    }

    #[test]
    fn elided_particles_are_dropped_in_french_and_italian_only() {
        let words = |lang: &str, text: &str| {
            toks_in(lang, text)
                .into_iter()
                .map(|(t, _)| t)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            words("fr", "l'installation d\u{2019}un paquet qu'il faut"),
            ["installation", "un", "paquet", "il", "faut"]
        );
        // Not a listed particle, or no letter after the apostrophe: kept.
        assert_eq!(
            words("fr", "aujourd'hui l' x"),
            ["aujourd", "hui", "l", "x"]
        );
        assert_eq!(
            words("it", "dell'archivio L'utente"),
            ["archivio", "utente"]
        );
        // English keeps "don" and "t"; German has no elision rule.
        assert_eq!(words("en", "don't l'x"), ["don", "t", "l", "x"]);
        assert_eq!(words("de", "l'x"), ["l", "x"]);
        // Positions stay consecutive over a dropped particle.
        let positions: Vec<usize> = toks_in("fr", "voir l'aide")
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(positions, [0, 1]);
    }
}
