//! A Snowball stemmer with a memo in front: help-center text repeats the
//! same few thousand words, and a hash lookup is several times cheaper than
//! running the stemmer, which is what dominated index build time in wasm.
//! The memo is shared by all streams of one analyzer and bounded.

use std::sync::{Arc, Mutex};

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Entries kept before the memo is cleared.
const MEMO_LIMIT: usize = 200_000;

/// The Snowball algorithm for a tantivy stemmer language.
pub fn algorithm(lang: tantivy::tokenizer::Language) -> Algorithm {
    use tantivy::tokenizer::Language as L;
    match lang {
        L::Arabic => Algorithm::Arabic,
        L::Danish => Algorithm::Danish,
        L::Dutch => Algorithm::Dutch,
        L::English => Algorithm::English,
        L::Finnish => Algorithm::Finnish,
        L::French => Algorithm::French,
        L::German => Algorithm::German,
        L::Greek => Algorithm::Greek,
        L::Hungarian => Algorithm::Hungarian,
        L::Italian => Algorithm::Italian,
        L::Norwegian => Algorithm::Norwegian,
        L::Portuguese => Algorithm::Portuguese,
        L::Romanian => Algorithm::Romanian,
        L::Russian => Algorithm::Russian,
        L::Spanish => Algorithm::Spanish,
        L::Swedish => Algorithm::Swedish,
        L::Tamil => Algorithm::Tamil,
        L::Turkish => Algorithm::Turkish,
    }
}

/// Token filter: stems lowercased tokens, memoised.
#[derive(Clone)]
pub struct MemoStemmer {
    algorithm: Algorithm,
    memo: Arc<Mutex<FxHashMap<String, String>>>,
}

impl MemoStemmer {
    pub fn new(lang: tantivy::tokenizer::Language) -> Self {
        MemoStemmer {
            algorithm: algorithm(lang),
            memo: Arc::default(),
        }
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
            stemmer: frostem::Stemmer::new(self.stemmer.algorithm),
            memo: &self.stemmer.memo,
        }
    }
}

pub struct MemoStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    memo: &'a Mutex<FxHashMap<String, String>>,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Short words and words with digits are left as they are.
        if token.text.len() < 3 || token.text.bytes().any(|b| b.is_ascii_digit()) {
            return true;
        }
        let mut memo = match self.memo.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(stem) = memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }
    fn token(&self) -> &Token {
        self.tail.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
