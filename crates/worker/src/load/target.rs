//! The one language a load installs and the cache entry it reads and
//! writes for it. The visit's wishes (the `Init`'s language request, a
//! language picked in the switcher) are negotiated here against a site's
//! languages, and the IndexedDB key is made here, so that every step of a
//! load asks the same question and gets the same answer.

use hc_core::protocol::{Fallback, LanguageRequest};
use hc_core::{LangCode, Site};

/// Bumped whenever what a cache entry record holds changes, so that an
/// older entry is a miss, not misread (the container's own format version
/// is in `engine_id`, part of every key, too).
const LAYOUT: u32 = 5;

/// The key of the IndexedDB entry of one language's index, per snapshot
/// URL, fallback, engine and cache layout.
pub fn cache_key(url: &str, lang: &LangCode, fallback: Fallback) -> String {
    format!("{url}|{lang}|{fallback:?}|{}", version_suffix())
}

/// The end of every key this engine and cache layout write: what differs
/// between an entry and the stale ones an older build wrote for the same
/// language (the cache deletes those when it writes).
pub fn version_suffix() -> String {
    format!("{}|layout-{LAYOUT}", hc_engine::engine_id())
}

/// What the visit asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wishes {
    pub request: LanguageRequest,
    /// A language picked in the widget's switcher; wins when the site has it.
    pub chosen: Option<LangCode>,
}

impl Wishes {
    /// The language to show on `site`: the switcher's choice when the site
    /// has it, else the negotiated one.
    pub fn choose(&self, site: &Site) -> LangCode {
        let enabled = site.enabled();
        match &self.chosen {
            Some(lang) if enabled.contains(lang) => lang.clone(),
            _ => self.request.resolve(&enabled, &site.default_language),
        }
    }
}

/// A load's language and its cache entry, negotiated against `site`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub lang: LangCode,
    pub key: String,
    /// The site the language was negotiated against: a load negotiates
    /// again only when a fresher copy of the site differs.
    pub site: Site,
}

impl Target {
    pub fn negotiate(wishes: &Wishes, site: &Site, url: &str, fallback: Fallback) -> Target {
        let lang = wishes.choose(site);
        Target {
            key: cache_key(url, &lang, fallback),
            lang,
            site: site.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(default: &str, langs: &[&str]) -> Site {
        Site {
            default_language: default.parse().unwrap(),
            languages: langs.iter().map(|l| l.parse().unwrap()).collect(),
        }
    }

    #[test]
    fn the_switchers_choice_wins_only_when_the_site_has_it() {
        let request = LanguageRequest {
            explicit: None,
            page: Some("de-AT".into()),
            visitor: vec!["ja".into()],
        };
        let mut wishes = Wishes {
            request,
            chosen: None,
        };
        let s = site("en", &["en", "de", "ja"]);
        assert_eq!(wishes.choose(&s).as_str(), "de");
        wishes.chosen = Some("ja".parse().unwrap());
        assert_eq!(wishes.choose(&s).as_str(), "ja");
        wishes.chosen = Some("fr".parse().unwrap());
        assert_eq!(wishes.choose(&s).as_str(), "de");
        assert_eq!(wishes.choose(&site("en", &["en"])).as_str(), "en");
    }

    #[test]
    fn keys_differ_by_url_language_and_fallback_and_end_with_the_version() {
        let en: LangCode = "en".parse().unwrap();
        let de: LangCode = "de".parse().unwrap();
        let a = cache_key("https://p/v1/snapshot", &en, Fallback::None);
        assert!(a.ends_with(&version_suffix()));
        assert!(a.starts_with("https://p/v1/snapshot|en|"));
        assert_ne!(a, cache_key("https://q/v1/snapshot", &en, Fallback::None));
        assert_ne!(a, cache_key("https://p/v1/snapshot", &de, Fallback::None));
        assert_ne!(
            a,
            cache_key("https://p/v1/snapshot", &en, Fallback::Default)
        );
    }
}
