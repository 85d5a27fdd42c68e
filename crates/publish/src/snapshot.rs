//! The public snapshot: wire articles and categories filtered to what a
//! visitor may see, sanitised, with the site's languages and its
//! configured synonyms and suggestions.

use std::collections::BTreeSet;

use hc_core::page_rules::PageRule;
use hc_core::synonyms::Synonyms;
use hc_core::wire::{Article, Category};
use hc_core::{LangCode, PublicArticle, PublicCategory, Site, Snapshot};
use sha2::{Digest, Sha256};

use crate::sanitize::Sanitizer;

/// Language settings the v1 API does not expose.
#[derive(Debug, Clone, Default)]
pub struct LanguageConfig {
    pub languages: Vec<LangCode>,
    pub default_language: Option<LangCode>,
    /// The site's synonym groups per language, served in the snapshot.
    pub synonyms: Synonyms,
    /// Suggestions by page path, served in the snapshot.
    pub page_rules: Vec<PageRule>,
}

/// The snapshot of what `articles` and `categories` publish: only published
/// public articles (through [`PublicArticle::from_wire`], the only
/// conversion there is), their HTML cleaned by `sanitizer`.
pub fn public_snapshot(
    articles: Vec<Article>,
    categories: Vec<Category>,
    sanitizer: &Sanitizer,
    langs: &LanguageConfig,
) -> Snapshot {
    let articles: Vec<PublicArticle> = articles
        .into_iter()
        .filter_map(|a| PublicArticle::from_wire(a, |html| sanitizer.clean(html)))
        .collect();
    let categories: Vec<PublicCategory> =
        categories.into_iter().map(PublicCategory::from).collect();
    let site = site_languages(&articles, &categories, langs);
    Snapshot {
        site,
        categories,
        articles,
        synonyms: langs.synonyms.clone(),
        page_rules: langs.page_rules.clone(),
    }
}

/// The content version of a serialised body: the hex of the first 16
/// bytes of its SHA-256 (the proxy's strong ETag, a static site's
/// `packs.json` `etag`).
pub fn content_etag(body: &[u8]) -> String {
    hex(&Sha256::digest(body)[..16])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The site's languages: the configured list, else every language that
/// appears in public article content or category names (sorted). The
/// default: the configured one, else `en` when present, else the first.
fn site_languages(
    articles: &[PublicArticle],
    categories: &[PublicCategory],
    config: &LanguageConfig,
) -> Site {
    let languages: Vec<LangCode> = if config.languages.is_empty() {
        let mut found = BTreeSet::new();
        for a in articles {
            found.extend(a.content.languages().cloned());
        }
        for c in categories {
            found.extend(c.name.languages().cloned());
        }
        found.into_iter().collect()
    } else {
        config.languages.clone()
    };
    let en = LangCode::parse("en").expect("en is a language code");
    let default_language = config
        .default_language
        .clone()
        .or_else(|| languages.contains(&en).then(|| en.clone()))
        .or_else(|| languages.first().cloned())
        .unwrap_or(en);
    Site {
        default_language,
        languages,
    }
}
