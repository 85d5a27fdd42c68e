//! What a language's analysis takes from the Snowball project: its
//! stemmer and its stop list, behind one trait, so that the analysis does
//! not care where they run.
//!
//! With the `snowball` feature (on by default: publishers, the builder,
//! native tests) they are frostem's stemmers and tantivy's stop lists,
//! linked in. They are also the largest part of the search worker's wasm
//! that a visitor does not use: the 17 other languages' stemmers, 35 KB of
//! its 284 KB brotli (README, "The Snowball stemmers and stop lists").
//! Built without the feature, this crate links neither, and a language's
//! Snowball comes from a provider its host sets ([`provide`]), so that
//! the host can bring only the visitor's language.

use std::sync::Arc;

/// A language's stemmer and stop list.
pub trait Snowball: Send + Sync {
    /// The Snowball stem of a lowercased word, accents as Snowball leaves
    /// them (the analysis folds afterwards).
    fn stem(&self, word: &str) -> String;
    /// Whether a lowercased word is on the language's stop list (always
    /// false for a language without one).
    fn is_stop(&self, word: &str) -> bool;

    /// [`Snowball::is_stop`] of each of `words`, in order: one question
    /// for many, where asking costs a call into another wasm.
    fn stops_among(&self, words: &[&str]) -> Vec<bool> {
        words.iter().map(|w| self.is_stop(w)).collect()
    }
}

/// The primary subtag of every language that has a Snowball stemmer, as
/// [`for_lang`] takes it: `pt-br` is `pt`, `nb` and `nn` are `no`.
pub const LANGUAGES: [&str; 18] = [
    "ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv",
    "ta", "tr",
];

/// Primary subtags served by another's Snowball: Norwegian Bokmål and
/// Nynorsk by Norwegian's.
pub const ALIASES: [(&str, &str); 2] = [("nb", "no"), ("nn", "no")];

/// The subtag of [`LANGUAGES`] that serves the site language `lang`, if
/// any: `id`, CJK and unknown languages have no stemmer.
pub fn subtag(lang: &str) -> Option<&'static str> {
    let primary = crate::tokenizer::primary_subtag(lang);
    let primary = ALIASES
        .iter()
        .find(|(alias, _)| *alias == primary)
        .map_or(primary.as_str(), |(_, to)| to);
    LANGUAGES.iter().copied().find(|l| *l == primary)
}

/// The Snowball of the site language `lang`, if it has one (and, without
/// the `snowball` feature, if the provider gives it).
pub fn for_lang(lang: &str) -> Option<Arc<dyn Snowball>> {
    let subtag = subtag(lang)?;
    #[cfg(feature = "snowball")]
    {
        linked::snowball(subtag)
    }
    #[cfg(not(feature = "snowball"))]
    {
        PROVIDER.get().and_then(|provide| provide(subtag))
    }
}

/// A host's source of a language's Snowball, given a subtag of
/// [`LANGUAGES`] (see [`provide`]).
pub type Provider = fn(&str) -> Option<Arc<dyn Snowball>>;

/// Where a build without the `snowball` feature gets a language's
/// Snowball: called with a subtag of [`LANGUAGES`] each time an analysis
/// of that language is made. Set once; a second call is ignored. Until it
/// is set, languages are analysed as if they had no stemmer. With the
/// feature on (as when a workspace build unifies it in), the linked ones
/// serve and the provider is not asked.
pub fn provide(provider: Provider) {
    let _ = PROVIDER.set(provider);
}

#[cfg_attr(feature = "snowball", allow(dead_code))]
static PROVIDER: std::sync::OnceLock<Provider> = std::sync::OnceLock::new();

/// frostem's algorithm and tantivy's stop list for a subtag of
/// [`LANGUAGES`] (tantivy has no list for ar, el, ro, ta and tr: its
/// filter for them is `None`). A `const fn`, so that a build for one
/// language (`crates/snowball`) that asks it in a constant links that
/// language's stemmer and list alone.
#[cfg(feature = "snowball")]
pub const fn parts(subtag: &str) -> Option<(frostem::Algorithm, tantivy::tokenizer::Language)> {
    use frostem::Algorithm as A;
    use tantivy::tokenizer::Language as L;
    Some(match subtag.as_bytes() {
        b"ar" => (A::Arabic, L::Arabic),
        b"da" => (A::Danish, L::Danish),
        b"de" => (A::German, L::German),
        b"el" => (A::Greek, L::Greek),
        b"en" => (A::English, L::English),
        b"es" => (A::Spanish, L::Spanish),
        b"fi" => (A::Finnish, L::Finnish),
        b"fr" => (A::French, L::French),
        b"hu" => (A::Hungarian, L::Hungarian),
        b"it" => (A::Italian, L::Italian),
        b"nl" => (A::Dutch, L::Dutch),
        b"no" => (A::Norwegian, L::Norwegian),
        b"pt" => (A::Portuguese, L::Portuguese),
        b"ro" => (A::Romanian, L::Romanian),
        b"ru" => (A::Russian, L::Russian),
        b"sv" => (A::Swedish, L::Swedish),
        b"ta" => (A::Tamil, L::Tamil),
        b"tr" => (A::Turkish, L::Turkish),
        _ => return None,
    })
}

/// frostem's stemmers and tantivy's stop lists, linked in.
#[cfg(feature = "snowball")]
mod linked {
    use std::sync::{Arc, Mutex};

    use frostem::Algorithm;
    use tantivy::tokenizer::{Language, RawTokenizer, StopWordFilter, TextAnalyzer, TokenStream};

    use super::Snowball;

    /// One language's stemmer and stop list.
    pub struct Linked {
        stemmer: frostem::Stemmer,
        /// The stop list, asked through tantivy's filter: its lists are
        /// not public.
        stops: Option<Mutex<TextAnalyzer>>,
    }

    impl Linked {
        /// Inlined, so that with a constant algorithm the other
        /// languages' stemmers are not reached (`crates/snowball`; tantivy's
        /// `StopWordFilter::new` still reaches every list).
        #[inline]
        pub fn new(algorithm: Algorithm, language: Language) -> Self {
            let stops = StopWordFilter::new(language).map(|filter| {
                Mutex::new(
                    TextAnalyzer::builder(RawTokenizer::default())
                        .filter(filter)
                        .build(),
                )
            });
            Linked {
                stemmer: frostem::Stemmer::new(algorithm),
                stops,
            }
        }
    }

    impl Snowball for Linked {
        fn stem(&self, word: &str) -> String {
            self.stemmer.stem(word).into_owned()
        }

        fn is_stop(&self, word: &str) -> bool {
            self.stops.as_ref().is_some_and(|f| {
                let mut a = f.lock().unwrap_or_else(|p| p.into_inner());
                let mut s = a.token_stream(word);
                !s.advance()
            })
        }
    }

    pub(super) fn snowball(subtag: &str) -> Option<Arc<dyn Snowball>> {
        let (algorithm, language) = super::parts(subtag)?;
        Some(Arc::new(Linked::new(algorithm, language)))
    }
}

#[cfg(feature = "snowball")]
pub use linked::Linked;

#[cfg(all(test, feature = "snowball"))]
mod tests {
    use super::*;

    #[test]
    fn every_listed_language_has_a_linked_snowball_and_no_other_does() {
        for lang in LANGUAGES {
            let s = for_lang(lang).unwrap_or_else(|| panic!("{lang} has no Snowball"));
            assert!(!s.stem("xyzzy").is_empty(), "{lang}");
        }
        for lang in ["ja", "zh-cn", "id", "ko", "xx"] {
            assert!(for_lang(lang).is_none(), "{lang}");
            assert!(parts(lang).is_none(), "{lang}");
        }
        assert_eq!(subtag("pt-BR"), Some("pt"));
        assert_eq!(subtag("nb"), Some("no"));
    }

    #[test]
    fn stems_and_stop_words_are_the_languages() {
        let fr = for_lang("fr").unwrap();
        assert_eq!(fr.stem("activée"), fr.stem("activité"));
        assert!(fr.is_stop("les") && !fr.is_stop("réseau"));
        let en = for_lang("en-US").unwrap();
        assert_eq!(en.stem("connections"), "connect");
        assert!(en.is_stop("the") && !en.is_stop("network"));
        // A language with a stemmer and no stop list.
        let ta = for_lang("ta").unwrap();
        assert!(!ta.is_stop("the"));
    }
}
