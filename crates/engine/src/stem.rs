//! A Snowball stemmer with a memo in front: help-center text repeats the
//! same few thousand words, and a hash lookup is several times cheaper than
//! running the stemmer, which is what dominated index build time in wasm.
//! The memo is shared by all streams of one analyzer and bounded.
//!
//! It also folds, after stemming: Snowball's rules are written for accented
//! text (French "-ée", "-ité", Spanish "-ación"), so a folded word loses
//! them: folded first, French "activée" stemmed to "active" and "activité"
//! to "activit", both "activ" when stemmed first (of the 9,174 words of
//! the Debian Reference in French, 299 stem differently; 78 of 9,564 in
//! Spanish, 2 in German). A query typed without accents is stemmed
//! without them, so the index (`both`) also holds the folded-then-stemmed
//! form of each word whose two forms differ, at the same position.

use std::sync::{Arc, Mutex};

use crate::snowball::Snowball;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, RawTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Entries kept before the memo is cleared.
const MEMO_LIMIT: usize = 200_000;

/// Token filter: stems lowercased tokens, then folds them, memoised; with
/// `both`, a word whose folded-then-stemmed form differs gives that form
/// too, as a second token at the same place.
#[derive(Clone)]
pub struct MemoStemmer {
    snowball: Arc<dyn Snowball>,
    both: bool,
    memo: Arc<Mutex<Memo>>,
}

/// A word's forms: stemmed then folded, and folded then stemmed when that
/// differs.
type Forms = (String, Option<String>);

struct Memo {
    forms: FxHashMap<String, Forms>,
    fold: TextAnalyzer,
}

impl MemoStemmer {
    /// One form per word: stemmed, then folded.
    pub fn new(snowball: Arc<dyn Snowball>) -> Self {
        MemoStemmer {
            snowball,
            both: false,
            memo: Arc::new(Mutex::new(Memo {
                forms: FxHashMap::default(),
                fold: TextAnalyzer::builder(RawTokenizer::default())
                    .filter(AsciiFoldingFilter)
                    .build(),
            })),
        }
    }

    /// The same stemmer (and memo), also giving a word's folded-then-stemmed
    /// form where it differs: the index's.
    pub fn both_forms(&self) -> Self {
        MemoStemmer {
            both: true,
            ..self.clone()
        }
    }
}

impl Memo {
    fn fold(&mut self, word: &str) -> String {
        if word.is_ascii() {
            return word.to_string();
        }
        let mut s = self.fold.token_stream(word);
        if s.advance() {
            s.token().text.clone()
        } else {
            word.to_string()
        }
    }

    fn forms(&mut self, stemmer: &dyn Snowball, word: &str) -> Forms {
        if let Some(f) = self.forms.get(word) {
            return f.clone();
        }
        let stem = stemmer.stem(word);
        let stemmed_first = self.fold(&stem);
        // A word without accents folds to itself: one stemming, not two
        // (the stemmer may be a call into another wasm, `crate::snowball`).
        let folded = self.fold(word);
        let folded_first = if folded == word {
            stem
        } else {
            stemmer.stem(&folded)
        };
        let forms = (
            stemmed_first.clone(),
            (folded_first != stemmed_first).then_some(folded_first),
        );
        if self.forms.len() >= MEMO_LIMIT {
            self.forms.clear();
        }
        self.forms.insert(word.to_string(), forms.clone());
        forms
    }
}

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            stemmer: self,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    stemmer: MemoStemmer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &*self.stemmer.snowball,
            both: self.stemmer.both,
            memo: &self.stemmer.memo,
            second: None,
        }
    }
}

pub struct MemoStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a dyn Snowball,
    both: bool,
    memo: &'a Mutex<Memo>,
    /// The current word's other form, given on the next `advance`.
    second: Option<String>,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(other) = self.second.take() {
            self.tail.token_mut().text = other;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Short words and words with digits are left as they are (folded).
        let keep = token.text.len() < 3 || token.text.bytes().any(|b| b.is_ascii_digit());
        if keep && token.text.is_ascii() {
            return true;
        }
        let mut memo = match self.memo.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if keep {
            token.text = memo.fold(&token.text);
            return true;
        }
        let (first, second) = memo.forms(self.stemmer, &token.text);
        token.text = first;
        if self.both {
            self.second = second;
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
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};

    use super::MemoStemmer;

    fn terms(both: bool, text: &str) -> Vec<String> {
        let stems = MemoStemmer::new(crate::snowball::for_lang("fr").unwrap());
        let stems = if both { stems.both_forms() } else { stems };
        let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(stems)
            .build();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn stems_before_folding_and_indexes_the_folded_form_too() {
        // Accented, the participle, the noun and the verb meet.
        assert_eq!(terms(false, "activée activité activer"), ["activ"; 3]);
        // Typed without accents, a word stems as the index's second form.
        let typed = terms(false, "activee")[0].clone();
        assert_ne!(typed, "activ");
        assert_eq!(terms(true, "activée"), ["activ".to_string(), typed]);
        // Short words and words with digits are only folded; a word whose
        // forms agree is given once.
        assert_eq!(terms(true, "où ipv6 réseau"), ["ou", "ipv6", "reseau"]);
    }
}
