//! The one tokenizer every language shares: words are runs of letters and
//! digits, and CJK text (which has no spaces) becomes overlapping character
//! bigrams, so that a query for a word inside a longer run of characters
//! still finds it. A lone CJK character becomes a unigram. Mixed text
//! ("sshの設定") is handled in one pass, which matters for Japanese and
//! Chinese documentation full of command names.

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

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Splits text into words and CJK bigrams. See the module documentation.
#[derive(Clone, Default)]
pub struct WordBigramTokenizer;

/// Tokens are computed eagerly into an owned buffer that filters may edit.
pub struct WordBigramStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordBigramTokenizer {
    type TokenStream<'a> = WordBigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordBigramStream {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        WordBigramStream { tokens, next: 0 }
    }
}

impl TokenStream for WordBigramStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1))]
    }
    fn token_mut(&mut self) -> &mut Token {
        let i = self
            .next
            .saturating_sub(1)
            .min(self.tokens.len().saturating_sub(1));
        &mut self.tokens[i]
    }
}

/// Appends the tokens of `text` to `out` (positions count from 0).
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    let mut position = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if is_word(c) {
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if !is_word(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            out.push(token(text, start, end, position));
            position += 1;
        } else if is_cjk(c) {
            let mut run: Vec<(usize, usize)> = Vec::new();
            while let Some(&(i, c)) = chars.peek() {
                if !is_cjk(c) {
                    break;
                }
                run.push((i, i + c.len_utf8()));
                chars.next();
            }
            if run.len() == 1 {
                out.push(token(text, run[0].0, run[0].1, position));
                position += 1;
            } else {
                for w in run.windows(2) {
                    out.push(token(text, w[0].0, w[1].1, position));
                    position += 1;
                }
            }
        } else {
            chars.next();
        }
    }
}

fn token(text: &str, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text[from..to].to_string(),
        position_length: 1,
    }
}
