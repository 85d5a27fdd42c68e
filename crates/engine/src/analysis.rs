//! Per-language text analysis, shared by indexing, querying and
//! highlighting so the three always agree on what a term is.
//!
//! Chain: [`WordBigramTokenizer`] (with the language's elision rule) →
//! drop tokens over 48 bytes → lowercase → the Snowball stemmer where
//! tantivy has one for the language, then ASCII/diacritic folding
//! ("réseau" → "reseau", "über" → "uber"). Snowball wants the accents, so
//! it stems first; the index also holds a word's folded-then-stemmed form
//! where that differs, which is what a query typed without accents gives
//! (`crate::stem`). Stop words are *not* removed from the index (a query
//! made only of stop words still finds something); beside other words a
//! query's stop words only score weakly (`query::plan::Group::weak`). A
//! word is a stop word when the language's Snowball stop list has it as
//! typed (lowercased), or its folded form is one of the common ones we
//! list. The stemmer and the stop list come from `crate::snowball`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, TokenStream,
};

use crate::compounds::{CompoundFilter, Vocabulary};
use crate::snowball::Snowball;
use crate::tokenizer::{is_cjk, primary_subtag, WordBigramTokenizer};

/// Longest token kept, in bytes; longer ones are noise (hashes, base64).
const MAX_TOKEN_BYTES: usize = 48;

/// One word (or CJK bigram) of a query, in every form the engine needs.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryToken {
    /// Byte range in the query text.
    pub from: usize,
    pub to: usize,
    /// Lowercased and folded, not stemmed: what prefix matching uses.
    pub folded: String,
    /// The indexed form (folded and stemmed).
    pub term: String,
    /// A stop word of the language.
    pub stop: bool,
    /// A CJK bigram or unigram.
    pub cjk: bool,
}

/// The analyzers of one language.
#[derive(Clone)]
pub struct Analysis {
    lang: String,
    index: TextAnalyzer,
    /// The index's analysis with one form per word (see `new`).
    query: TextAnalyzer,
    folded: TextAnalyzer,
    lowered: TextAnalyzer,
    stop: Option<HashSet<String>>,
    /// The language's stemmer and stop list, whose stop list is asked
    /// about each query word as typed; it cannot be listed, so the set
    /// above holds the folded forms of the listed words among
    /// `CANDIDATES`.
    snowball: Option<Arc<dyn Snowball>>,
    /// Japanese: a query token of hiragana alone is a stop word too.
    hiragana_stops: bool,
    stems: bool,
    /// The stemmer of the index analyzer, for `index_analyzer_with`.
    stemmer: Option<crate::stem::MemoStemmer>,
    /// German: long words are split into their parts (`crate::compounds`).
    compounds: bool,
    one_folded: Arc<Mutex<TextAnalyzer>>,
    one_query: Arc<Mutex<TextAnalyzer>>,
}

impl Analysis {
    pub fn new(lang: &str) -> Self {
        Self::with_snowball(lang, crate::snowball::for_lang(lang))
    }

    /// The analysis of `lang` with this stemmer and stop list.
    fn with_snowball(lang: &str, snowball: Option<Arc<dyn Snowball>>) -> Self {
        let base = || {
            TextAnalyzer::builder(WordBigramTokenizer::for_lang(lang))
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
        };
        // With a stemmer: stemmed, then folded (`crate::stem`); the index
        // holds the folded-then-stemmed form too where it differs, which
        // is what a query typed without accents gives. One memo for both.
        let memo = snowball.clone().map(crate::stem::MemoStemmer::new);
        let (index, query) = match &memo {
            Some(stems) => (
                base().filter(stems.both_forms()).build(),
                base().filter(stems.clone()).build(),
            ),
            None => {
                let a = base().filter(AsciiFoldingFilter).build();
                (a.clone(), a)
            }
        };
        let folded = base().filter(AsciiFoldingFilter).build();
        let lowered = base().build();
        let primary = primary_subtag(lang);
        // English keeps its question words without its stop list (a
        // module that could not be had).
        let stop = if snowball.is_some() || primary == "en" {
            Some(stop_words(&primary, snowball.as_deref()))
        } else {
            cjk_stop_words(&primary)
        };
        let one_folded = Arc::new(Mutex::new(folded.clone()));
        let one_query = Arc::new(Mutex::new(query.clone()));
        Analysis {
            lang: lang.to_string(),
            index,
            query,
            folded,
            lowered,
            stop,
            hiragana_stops: primary == "ja",
            stems: snowball.is_some(),
            compounds: snowball.is_some() && crate::compounds::splits_compounds(lang),
            snowball,
            stemmer: memo,
            one_folded,
            one_query,
        }
    }

    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Whether the language has a stemmer.
    pub fn has_stemmer(&self) -> bool {
        self.stems
    }

    /// The analyzer used for the index (registered with tantivy).
    pub fn index_analyzer(&self) -> TextAnalyzer {
        self.index.clone()
    }

    /// Whether long words are split into their parts (`crate::compounds`).
    pub fn splits_compounds(&self) -> bool {
        self.compounds
    }

    /// The index analyzer, with each word that `vocabulary` splits
    /// followed by its parts (split before stemming: the parts are words).
    pub fn index_analyzer_with(&self, vocabulary: Arc<Vocabulary>) -> TextAnalyzer {
        match &self.stemmer {
            Some(stems) => TextAnalyzer::builder(WordBigramTokenizer::for_lang(&self.lang))
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(CompoundFilter(vocabulary))
                .filter(stems.both_forms())
                .build(),
            None => self.index_analyzer(),
        }
    }

    /// The vocabulary of `texts` for splitting compounds: every word
    /// (lowercased, as written) but stop words, with its count.
    pub fn vocabulary<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Vocabulary {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        let mut lowered = self.lowered.clone();
        for text in texts {
            let mut s = lowered.token_stream(text);
            while s.advance() {
                let w = &s.token().text;
                match counts.get_mut(w.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(w.clone(), 1);
                    }
                }
            }
        }
        counts.retain(|w, _| !self.is_stop(w));
        Vocabulary::new(&counts)
    }

    /// Lowercased and folded form of one word.
    pub fn fold(&self, word: &str) -> String {
        first_token(&self.one_folded, word)
    }

    /// The query form of one word (lowercased, stemmed, then folded): what
    /// the word typed in a query searches for. Of a folded word, the form
    /// the index also holds for the accented one.
    pub fn stem(&self, word: &str) -> String {
        first_token(&self.one_query, word)
    }

    /// Calls `each` with every word of `text` lowercased and folded (not
    /// stemmed; CJK as bigrams), until it returns `false`. Returns whether
    /// it stopped early.
    pub fn folded_words(&self, text: &str, mut each: impl FnMut(&str) -> bool) -> bool {
        let mut a = self.one_folded.lock().unwrap_or_else(|p| p.into_inner());
        let mut s = a.token_stream(text);
        while s.advance() {
            if !each(&s.token().text) {
                return true;
            }
        }
        false
    }

    /// Analyses query text into tokens (all three forms aligned by position).
    pub fn query_tokens(&self, text: &str) -> Vec<QueryToken> {
        let collect = |a: &TextAnalyzer| {
            let mut a = a.clone();
            let mut out = Vec::new();
            let mut s = a.token_stream(text);
            while s.advance() {
                let t = s.token();
                out.push((t.offset_from, t.offset_to, t.text.clone()));
            }
            out
        };
        let terms = collect(&self.query);
        let folded = collect(&self.folded);
        let lowered = collect(&self.lowered);
        terms
            .into_iter()
            .zip(folded)
            .zip(lowered)
            .map(
                |(((from, to, term), (_, _, folded)), (_, _, lower))| QueryToken {
                    cjk: text[from..to].chars().next().is_some_and(is_cjk),
                    stop: self.is_stop(&lower) || self.is_listed_stop(&folded),
                    from,
                    to,
                    folded,
                    term,
                },
            )
            .collect()
    }

    /// Whether a folded query word is one of `CANDIDATES`' stop words
    /// (folded), or a question word: not asked of the language's whole
    /// list, where a folded word can be another word's stop form ("ändern",
    /// to change, folds to "andern", others).
    fn is_listed_stop(&self, word: &str) -> bool {
        self.stop.as_ref().is_some_and(|s| s.contains(word))
            || (self.hiragana_stops && word.chars().all(crate::tokenizer::is_hiragana))
    }

    /// Whether a lowercased query word is a stop word of the language.
    pub fn is_stop(&self, word: &str) -> bool {
        self.is_listed_stop(word) || self.snowball.as_ref().is_some_and(|s| s.is_stop(word))
    }
}

/// What the language's stop list cannot answer, as a set: the folded
/// forms of the `CANDIDATES` on its (Snowball/Lucene) list, probed since
/// the lists cannot be listed, plus question words for English (`primary`
/// "en"), whose Lucene list is very short. Words as typed are asked of the
/// list itself (`Analysis::is_stop`).
fn stop_words(primary: &str, snowball: Option<&dyn Snowball>) -> HashSet<String> {
    let mut set = HashSet::new();
    if let Some(snowball) = snowball {
        let candidates: Vec<&str> = CANDIDATES.split_whitespace().collect();
        let stops = snowball.stops_among(&candidates);
        for (w, stop) in candidates.iter().zip(stops) {
            if stop {
                set.insert(fold(w));
            }
        }
    }
    if primary == "en" {
        set.extend(
            ENGLISH_QUESTION_WORDS
                .split_whitespace()
                .map(str::to_string),
        );
    }
    set
}

/// The query stop words of Japanese and Chinese, as the tokenizer cuts
/// them (words of two characters are bigrams, one of one a unigram): the
/// words that turn a search into a question ("how", "what", "which",
/// "method"), which an article answering it need not contain. Modal verbs
/// ("should", "need") stay: "应该避免" (should avoid) is what an article
/// of things to avoid says. Japanese particles and inflections, written in
/// hiragana, are dropped by script instead (`hiragana_stops`).
fn cjk_stop_words(primary: &str) -> Option<HashSet<String>> {
    let words = match primary {
        "ja" => "方法 何 場合 時",
        "zh" => "如何 怎么 怎样 什么 为什 哪些 哪个 是否 吗 呢",
        _ => return None,
    };
    Some(words.split_whitespace().map(str::to_string).collect())
}

const ENGLISH_QUESTION_WORDS: &str =
    "how what when where which who why do does did can i my me you your we our should would could";

/// `w` folded to ASCII as the index folds words ("Über" → "Uber"). ASCII
/// text is itself (most titles, whose slugs `docs::slug_of` guesses for
/// each hit of a keystroke): no analyzer is built for it.
pub(crate) fn fold(w: &str) -> String {
    if w.is_ascii() {
        return w.to_string();
    }
    let mut a = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(AsciiFoldingFilter)
        .build();
    let mut s = a.token_stream(w);
    if s.advance() {
        s.token().text.clone()
    } else {
        w.to_string()
    }
}

/// Common function words of the stemmed languages; only those the
/// language's tantivy filter rejects are used.
const CANDIDATES: &str = "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with \
der die das den dem des ein eine einen einem einer eines und oder aber mit von zu zum zur im in ist sind wie was wo wer ich du er sie es wir ihr man nicht auf für an aus bei nach über unter vor kann können soll muss mein meine \
el la los las un una unos unas y o pero con de del al en es son como qué que cómo donde dónde quien yo tu él ella no se su sus por para mi lo le \
le la les un une des et ou mais avec de du au aux en est sont comment que quoi où qui je tu il elle nous vous ils ne pas sur pour par dans ce cette mon ma mes se sa son \
il lo la i gli le un uno una e o ma con di del della da in è sono come che cosa dove chi io tu lui lei noi voi non su per nel \
o a os as um uma e ou mas com de do da dos das em no na é são como que onde quem eu tu ele ela nós não se por para meu minha";

/// The first token of `word` through a shared analyzer (no clone per call:
/// this runs per word while highlighting).
fn first_token(analyzer: &Mutex<TextAnalyzer>, word: &str) -> String {
    let mut a = analyzer.lock().unwrap_or_else(|p| p.into_inner());
    let mut s = a.token_stream(word);
    if s.advance() {
        s.token().text.clone()
    } else {
        word.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{Analysis, Snowball};

    /// A Snowball of no language: drops a final "s"; "zz" is its one stop
    /// word.
    struct Plural;

    impl Snowball for Plural {
        fn stem(&self, word: &str) -> String {
            word.strip_suffix('s').unwrap_or(word).to_string()
        }
        fn is_stop(&self, word: &str) -> bool {
            word == "zz"
        }
    }

    #[test]
    fn the_analysis_stems_and_stops_with_the_snowball_it_is_given() {
        let a = Analysis::with_snowball("xx", Some(Arc::new(Plural)));
        assert!(a.has_stemmer());
        let tokens = a.query_tokens("Cables zz éclairs");
        let terms: Vec<&str> = tokens.iter().map(|t| t.term.as_str()).collect();
        // Stemmed, then folded; the stop word is kept, and marked.
        assert_eq!(terms, ["cable", "zz", "eclair"]);
        let stops: Vec<bool> = tokens.iter().map(|t| t.stop).collect();
        assert_eq!(stops, [false, true, false]);
        // The same language without one is only folded.
        let none = Analysis::with_snowball("xx", None);
        assert!(!none.has_stemmer() && !none.is_stop("zz"));
        assert_eq!(none.stem("Éclairs"), "eclairs");
        // English without its Snowball keeps its question words.
        let en = Analysis::with_snowball("en", None);
        assert!(en.is_stop("how") && !en.is_stop("the"));
    }
}
