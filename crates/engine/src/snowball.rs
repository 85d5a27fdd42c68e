//! What a language's analysis takes from the Snowball project: its
//! stemmer and its stop list, behind one trait, so that the analysis does
//! not care where they run.
//!
//! With the `snowball` feature (on by default: publishers, the builder,
//! native tests) they are frostem's stemmers and the Snowball project's
//! stop lists (`snowball/stop_lists.rs`, the lists tantivy ships), linked
//! in. They are also the largest part of the search worker's wasm that a
//! visitor does not use: the 17 other languages' stemmers, 35 KB of its
//! 284 KB brotli (README, "The Snowball stemmers and stop lists"). Built
//! without the feature, this crate links neither, and a language's
//! Snowball comes from a provider its host sets ([`provide`]), so that the
//! host can bring only the visitor's language.

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

/// frostem's algorithm and the stop list (words separated by spaces, in
/// byte order; empty for ar, el, ro, ta and tr, which have none) for a
/// subtag of [`LANGUAGES`]. A `const fn`, so that a build for one language
/// (`crates/snowball`) that asks it in a constant links that language's
/// stemmer and list alone.
#[cfg(feature = "snowball")]
pub const fn parts(subtag: &str) -> Option<(frostem::Algorithm, &'static str)> {
    use frostem::Algorithm as A;
    use stop_lists as L;
    Some(match subtag.as_bytes() {
        b"ar" => (A::Arabic, ""),
        b"da" => (A::Danish, L::DANISH),
        b"de" => (A::German, L::GERMAN),
        b"el" => (A::Greek, ""),
        b"en" => (A::English, L::ENGLISH),
        b"es" => (A::Spanish, L::SPANISH),
        b"fi" => (A::Finnish, L::FINNISH),
        b"fr" => (A::French, L::FRENCH),
        b"hu" => (A::Hungarian, L::HUNGARIAN),
        b"it" => (A::Italian, L::ITALIAN),
        b"nl" => (A::Dutch, L::DUTCH),
        b"no" => (A::Norwegian, L::NORWEGIAN),
        b"pt" => (A::Portuguese, L::PORTUGUESE),
        b"ro" => (A::Romanian, ""),
        b"ru" => (A::Russian, L::RUSSIAN),
        b"sv" => (A::Swedish, L::SWEDISH),
        b"ta" => (A::Tamil, ""),
        b"tr" => (A::Turkish, ""),
        _ => return None,
    })
}

#[cfg(feature = "snowball")]
mod stop_lists;

/// frostem's stemmers and the stop lists, linked in.
#[cfg(feature = "snowball")]
mod linked {
    use std::sync::Arc;

    use frostem::Algorithm;

    use super::Snowball;

    /// One language's stemmer and stop list.
    pub struct Linked {
        stemmer: frostem::Stemmer,
        /// The stop list, in byte order as `stop_lists` writes it.
        stops: Vec<&'static str>,
    }

    impl Linked {
        /// A language's stemmer and its stop list (words separated by
        /// spaces, in byte order), as [`super::parts`] gives them.
        /// Inlined, so that with a constant algorithm the other languages'
        /// stemmers are not reached (`crates/snowball`).
        #[inline]
        pub fn new(algorithm: Algorithm, stops: &'static str) -> Self {
            Linked {
                stemmer: frostem::Stemmer::new(algorithm),
                stops: stops.split_whitespace().collect(),
            }
        }
    }

    impl Snowball for Linked {
        fn stem(&self, word: &str) -> String {
            self.stemmer.stem(word).into_owned()
        }

        fn is_stop(&self, word: &str) -> bool {
            self.stops.binary_search(&word).is_ok()
        }
    }

    pub(super) fn snowball(subtag: &str) -> Option<Arc<dyn Snowball>> {
        let (algorithm, stops) = super::parts(subtag)?;
        Some(Arc::new(Linked::new(algorithm, stops)))
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

    /// The lists are the ones tantivy ships, word for word: read from
    /// tantivy's source (where `cargo metadata` says it is), and asked of
    /// its filter.
    #[test]
    fn same_as_tantivys() {
        use tantivy::tokenizer::{Language as L, RawTokenizer, StopWordFilter, TextAnalyzer};
        let source = tantivy_stop_word_source();
        for lang in LANGUAGES {
            let (algorithm, list) = parts(lang).unwrap();
            let ours: Vec<&str> = list.split_whitespace().collect();
            assert!(
                ours.is_sorted() && ours.windows(2).all(|w| w[0] != w[1]),
                "{lang}"
            );
            // tantivy's language of the same name as frostem's algorithm,
            // and its filter, where tantivy has a list.
            let name = format!("{algorithm:?}");
            let language: L = serde_json::from_value(serde_json::json!(name))
                .unwrap_or_else(|_| panic!("{lang}: tantivy has no language {name}"));
            let Some(stop_words) = StopWordFilter::new(language) else {
                assert!(ours.is_empty(), "{lang} has a list tantivy has not");
                continue;
            };
            // Its generated `pub const FRENCH: &[&str] = &[...]`; English's
            // is written inline in the filter's `match`.
            let after = match language {
                L::English => "Language::English =>".to_string(),
                _ => format!("{}: &[&str] = &", name.to_uppercase()),
            };
            let mut theirs = listed_in(&source, &after);
            theirs.sort_unstable();
            theirs.dedup();
            assert_eq!(ours, theirs, "{lang}");
            // And the filter agrees, on every word of every list.
            let snowball = for_lang(lang).unwrap();
            let filter = TextAnalyzer::builder(RawTokenizer::default())
                .filter(stop_words)
                .build();
            for w in LANGUAGES
                .iter()
                .flat_map(|l| parts(l).unwrap().1.split_whitespace())
            {
                let stop = !filter.clone().token_stream(w).advance();
                assert_eq!(snowball.is_stop(w), stop, "{lang}: {w}");
            }
        }
    }

    /// tantivy's `stop_word_filter` sources: the generated lists, then the
    /// filter (where English's is written inline).
    fn tantivy_stop_word_source() -> String {
        let out = std::process::Command::new(env!("CARGO"))
            // Resolved for the web target: its dependencies are downloaded
            // (the worker builds for it), where the host's may name ones
            // for other systems that are not.
            .args(["metadata", "--format-version", "1", "--filter-platform"])
            .args(["wasm32-unknown-unknown", "--manifest-path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "cargo metadata: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("its JSON");
        let tantivy = meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "tantivy")
            .expect("tantivy in the metadata");
        let dir = std::path::Path::new(tantivy["manifest_path"].as_str().unwrap())
            .parent()
            .unwrap()
            .join("src/tokenizer/stop_word_filter");
        ["stopwords.rs", "mod.rs"]
            .iter()
            .map(|f| std::fs::read_to_string(dir.join(f)).expect("tantivy's source"))
            .collect()
    }

    /// The quoted words of the first `[...]` after `after` in `source`.
    fn listed_in<'s>(source: &'s str, after: &str) -> Vec<&'s str> {
        let at = source.find(after).unwrap_or_else(|| panic!("{after}")) + after.len();
        let open = at + source[at..].find('[').unwrap();
        let close = open + source[open..].find(']').unwrap();
        source[open..close].split('"').skip(1).step_by(2).collect()
    }
}
