use serde::{Deserialize, Serialize};

use crate::translations::Translations;
use crate::wire::lenient;

/// Who may see an article. Unknown values from a future API deserialise to
/// [`Visibility::Unknown`], which is treated as not public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Private,
    LinkOnly,
    #[serde(other)]
    Unknown,
}

/// An article as the API returns it (list items and single responses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    #[serde(deserialize_with = "lenient::translations")]
    pub title: Translations<String>,
    #[serde(default, deserialize_with = "lenient::translations")]
    pub slug: Translations<String>,
    #[serde(default, deserialize_with = "lenient::translations")]
    pub content: Translations<String>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub published: bool,
    #[serde(default = "default_visibility", deserialize_with = "visibility")]
    pub visibility: Visibility,
    /// The single category, or `-1` when `categories` holds several, or
    /// `null` for an uncategorised article.
    #[serde(default)]
    pub category_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::ids")]
    pub categories: Vec<i64>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub views: u64,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub created_at: String,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub updated_at: String,
    /// Present on `link_only` articles: the secret of their shareable URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_token: Option<String>,
    /// The editor's cached rich-text form; dropped when `content` is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_json: Option<serde_json::Value>,
}

/// A `null` visibility is as unknown as a missing one: not public.
fn visibility<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Visibility, D::Error> {
    Ok(Option::<Visibility>::deserialize(d)?.unwrap_or(Visibility::Unknown))
}

fn default_visibility() -> Visibility {
    // A missing visibility must not make an article public.
    Visibility::Unknown
}

impl Article {
    /// Published and public: the only articles a visitor may ever see.
    pub fn is_public(&self) -> bool {
        self.published && self.visibility == Visibility::Public
    }

    /// The category ids the article is filed under, whichever of the two
    /// representations the API used.
    pub fn category_ids(&self) -> Vec<i64> {
        if !self.categories.is_empty() {
            return self.categories.clone();
        }
        match self.category_id {
            Some(id) if id > 0 => vec![id],
            _ => Vec::new(),
        }
    }
}
