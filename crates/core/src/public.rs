//! What may leave the proxy and reach a browser.
//!
//! [`PublicArticle`] is deliberately narrower than the wire [`Article`]: it
//! has no `published`, `visibility`, `share_token` or `content_json`, and the
//! only conversion from the wire ([`PublicArticle::from_wire`]) refuses any
//! article that is not published and public. A draft, a private article or a
//! share token therefore cannot be serialised to a visitor through this type.

use serde::{Deserialize, Serialize};

use crate::page_rules::PageRule;
use crate::synonyms::Synonyms;
use crate::translations::Translations;
use crate::wire::{Article, Category, HelpCenterData, Site};

/// A published, public article in the languages where it has content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicArticle {
    pub id: i64,
    pub title: Translations<String>,
    pub slug: Translations<String>,
    /// Sanitised HTML, per language.
    pub content: Translations<String>,
    /// Every category the article is filed under (the wire's `category_id`
    /// or `categories`, whichever applies).
    pub category_ids: Vec<i64>,
    pub views: u64,
    pub created_at: String,
    pub updated_at: String,
}

impl PublicArticle {
    /// Converts a wire article, or `None` if it is a draft, private,
    /// link-only or of unknown visibility. `sanitize` is applied to every
    /// translation of the content; languages whose content is empty (before
    /// or after sanitising) are dropped, as the API shows an article only in
    /// the languages where it has content.
    pub fn from_wire(article: Article, mut sanitize: impl FnMut(&str) -> String) -> Option<Self> {
        if !article.is_public() {
            return None;
        }
        let category_ids = article.category_ids();
        let mut content = Translations::new();
        for (lang, html) in article.content {
            let clean = sanitize(&html);
            if !clean.trim().is_empty() {
                content.insert(lang, clean);
            }
        }
        let keep = |t: Translations<String>| -> Translations<String> {
            t.into_iter()
                .filter(|(lang, _)| content.contains(lang))
                .collect()
        };
        let title = keep(article.title);
        let slug = keep(article.slug);
        Some(PublicArticle {
            id: article.id,
            title,
            slug,
            content,
            category_ids,
            views: article.views,
            created_at: article.created_at,
            updated_at: article.updated_at,
        })
    }
}

/// A category as visitors see it. v1 categories carry nothing private, but
/// the public shape is its own type so that the wire type can grow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCategory {
    pub id: i64,
    pub name: Translations<String>,
    #[serde(default)]
    pub description: Translations<String>,
    pub parent: Option<i64>,
    pub icon: Option<String>,
    pub position: Option<i64>,
}

impl From<Category> for PublicCategory {
    fn from(c: Category) -> Self {
        PublicCategory {
            id: c.id,
            name: c.name,
            description: c.description,
            parent: c.parent,
            icon: c.icon,
            position: c.position,
        }
    }
}

/// Everything a widget needs in one response: the site's languages, every
/// category and every public article, in all languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub site: Site,
    pub categories: Vec<PublicCategory>,
    pub articles: Vec<PublicArticle>,
    /// The site owner's synonym groups per language ([`crate::synonyms`]),
    /// applied at query time. Absent from the JSON when there are none.
    #[serde(default, skip_serializing_if = "Synonyms::is_empty")]
    pub synonyms: Synonyms,
    /// Suggestions by page path ([`crate::page_rules`]). Absent from the
    /// JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_rules: Vec<PageRule>,
}

impl Snapshot {
    /// The public part of a whole help center (an API export or a corpus
    /// file): every category, and the published public articles with
    /// `sanitize` applied to their HTML.
    pub fn from_data(data: HelpCenterData, mut sanitize: impl FnMut(&str) -> String) -> Snapshot {
        Snapshot {
            site: data.site,
            categories: data
                .categories
                .into_iter()
                .map(PublicCategory::from)
                .collect(),
            articles: data
                .articles
                .into_iter()
                .filter_map(|a| PublicArticle::from_wire(a, &mut sanitize))
                .collect(),
            synonyms: Synonyms::new(),
            page_rules: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Visibility;

    fn article(published: bool, visibility: Visibility) -> Article {
        Article {
            id: 7,
            title: crate::tr!("en" => "Hello", "de" => "Hallo"),
            slug: crate::tr!("en" => "hello", "de" => "hallo"),
            content: crate::tr!("en" => "<p>Hi</p>", "de" => "   "),
            published,
            visibility,
            category_id: Some(-1),
            categories: vec![3, 4],
            views: 9,
            created_at: "2024-01-01T00:00:00Z".into(),
            updated_at: "2024-01-02T00:00:00Z".into(),
            share_token: Some("f".repeat(64)),
            content_json: Some(serde_json::json!({"doc": 1})),
        }
    }

    #[test]
    fn only_published_public_articles_convert() {
        for (published, vis, ok) in [
            (true, Visibility::Public, true),
            (false, Visibility::Public, false),
            (true, Visibility::Private, false),
            (true, Visibility::LinkOnly, false),
            (true, Visibility::Unknown, false),
        ] {
            assert_eq!(
                PublicArticle::from_wire(article(published, vis), str::to_owned).is_some(),
                ok
            );
        }
    }

    #[test]
    fn drops_empty_languages_and_private_fields() {
        let p = PublicArticle::from_wire(article(true, Visibility::Public), str::to_owned).unwrap();
        assert_eq!(p.category_ids, vec![3, 4]);
        let json = serde_json::to_string(&p).unwrap();
        assert!(
            !json.contains("share_token")
                && !json.contains("fff")
                && !json.contains("content_json")
        );
        assert!(
            !json.contains("Hallo"),
            "de has no content, so no de title: {json}"
        );
    }

    #[test]
    fn missing_visibility_is_not_public() {
        let a: Article = serde_json::from_str(
            r#"{"id":1,"title":{"en":"x"},"content":{"en":"y"},"published":true}"#,
        )
        .unwrap();
        assert!(!a.is_public());
    }
}
