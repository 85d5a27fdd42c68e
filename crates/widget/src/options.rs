//! The widget's configuration, as the loader passes it from the element's
//! attributes and the page (`lang` of `<html>`, `navigator.languages`).

use std::collections::HashMap;

use hc_core::protocol::{ContentSource, Fallback, LanguageRequest};
use hc_core::static_site::sibling_url;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// hc-proxy base URL.
    pub proxy: Option<String>,
    /// Static snapshot URL (`hcs build-static`), used when `proxy` is absent.
    pub snapshot: Option<String>,
    /// `packs.json` of prebuilt per-language packs (`hcs build-static`);
    /// alone it implies the snapshot next to it.
    pub packs: Option<String>,
    pub lang: Option<String>,
    pub page_lang: Option<String>,
    pub visitor_languages: Vec<String>,
    /// `"default"` shows the default language where a translation is missing.
    pub fallback: Option<String>,
    /// `light`, `dark` or `auto` (default).
    pub theme: Option<String>,
    /// `modal` (default) or `inline`.
    pub mode: Option<String>,
    pub placeholder: Option<String>,
    /// The help center's public URL, for "open the full article".
    pub help_center_url: Option<String>,
    /// URL of the worker module (its wasm URL in the fragment), for when
    /// the loader did not start the worker itself.
    pub worker_url: String,
    /// Overrides of UI strings by key.
    pub strings: HashMap<String, String>,
}

impl Options {
    pub fn source(&self) -> Option<ContentSource> {
        match (&self.proxy, &self.snapshot) {
            (Some(url), _) if !url.trim().is_empty() => Some(ContentSource::Proxy {
                url: url.trim().to_string(),
            }),
            (_, Some(url)) if !url.trim().is_empty() => Some(ContentSource::Static {
                snapshot_url: url.trim().to_string(),
                packs_url: self.packs_url(),
            }),
            _ => self.packs_url().map(|packs| ContentSource::Static {
                snapshot_url: sibling_url(&packs, "snapshot.json"),
                packs_url: Some(packs),
            }),
        }
    }

    fn packs_url(&self) -> Option<String> {
        let url = self.packs.as_deref()?.trim();
        (!url.is_empty()).then(|| url.to_string())
    }

    pub fn fallback(&self) -> Fallback {
        match self.fallback.as_deref() {
            Some("default") => Fallback::Default,
            _ => Fallback::None,
        }
    }

    pub fn inline(&self) -> bool {
        self.mode.as_deref() == Some("inline")
    }

    pub fn language_request(&self) -> LanguageRequest {
        LanguageRequest {
            explicit: self.lang.clone().filter(|l| !l.trim().is_empty()),
            page: self.page_lang.clone().filter(|l| !l.trim().is_empty()),
            visitor: self.visitor_languages.clone(),
        }
    }

    /// The language of the widget's own strings before the site's languages
    /// are known: the same negotiation over the built-in tables.
    pub fn ui_language(&self) -> String {
        let available: Vec<hc_core::LangCode> = crate::strings::UI_LANGUAGES
            .iter()
            .filter_map(|l| l.parse().ok())
            .collect();
        let en: hc_core::LangCode = "en".parse().expect("en is a language code");
        self.language_request().resolve(&available, &en).to_string()
    }

    /// Link to the article on the help center itself.
    pub fn article_url(&self, lang: &str, slug: &str) -> Option<String> {
        let base = self
            .help_center_url
            .as_deref()?
            .trim()
            .trim_end_matches('/');
        if base.is_empty() || slug.is_empty() {
            return None;
        }
        Some(format!("{base}/{lang}/articles/{slug}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_language_follows_the_negotiation() {
        let o = Options {
            page_lang: Some("de-DE".into()),
            ..Default::default()
        };
        assert_eq!(o.ui_language(), "de");
        let o = Options {
            visitor_languages: vec!["ko".into(), "zh-Hant-TW".into()],
            ..Default::default()
        };
        assert_eq!(o.ui_language(), "zh-tw");
        assert_eq!(Options::default().ui_language(), "en");
    }

    #[test]
    fn source_prefers_the_proxy() {
        let o = Options {
            proxy: Some(" http://p ".into()),
            snapshot: Some("s.json".into()),
            ..Default::default()
        };
        assert_eq!(
            o.source(),
            Some(ContentSource::Proxy {
                url: "http://p".into()
            })
        );
        assert_eq!(Options::default().source(), None);
        assert_eq!(
            Options {
                help_center_url: Some("https://help.example.com/".into()),
                ..Default::default()
            }
            .article_url("de", "konto"),
            Some("https://help.example.com/de/articles/konto".into())
        );
    }

    #[test]
    fn packs_alone_imply_the_snapshot_next_to_them() {
        let o = Options {
            packs: Some("/hc-search/packs.json".into()),
            ..Default::default()
        };
        assert_eq!(
            o.source(),
            Some(ContentSource::Static {
                snapshot_url: "/hc-search/snapshot.json".into(),
                packs_url: Some("/hc-search/packs.json".into()),
            })
        );
        let o = Options {
            snapshot: Some("/s.json".into()),
            packs: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(
            o.source(),
            Some(ContentSource::Static {
                snapshot_url: "/s.json".into(),
                packs_url: None,
            })
        );
    }
}
