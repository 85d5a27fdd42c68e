use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::{Article, Category};

/// The literal `"status": "success"` of every successful response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Success;

impl Serialize for Success {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("success")
    }
}

impl<'de> Deserialize<'de> for Success {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s == "success" {
            Ok(Success)
        } else {
            Err(serde::de::Error::custom(format!(
                "expected status \"success\", got {s:?}"
            )))
        }
    }
}

/// Pagination block of list responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMeta {
    pub page: u32,
    pub per_page: u32,
    pub total_pages: u32,
    pub items_count: u64,
}

impl ListMeta {
    /// The meta of page `page` (1-based) of `items_count` items, `per_page`
    /// at a time. An empty list has one (empty) page.
    pub fn new(page: u32, per_page: u32, items_count: u64) -> Self {
        let per = u64::from(per_page.max(1));
        let total_pages = items_count.div_ceil(per).max(1);
        ListMeta {
            page,
            per_page,
            total_pages: u32::try_from(total_pages).unwrap_or(u32::MAX),
            items_count,
        }
    }

    pub fn is_last(&self) -> bool {
        self.page >= self.total_pages
    }
}

/// `GET /v1/articles`. Generic so that the proxy can answer the same shape
/// with public articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleList<A = Article> {
    pub status: Success,
    pub articles: Vec<A>,
    pub meta: ListMeta,
}

/// `GET /v1/categories`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryList<C = Category> {
    pub status: Success,
    pub categories: Vec<C>,
    pub meta: ListMeta,
}

/// `POST /v1/articles`, `PATCH /v1/articles/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleEnvelope {
    pub status: Success,
    pub article: Article,
}

/// `PATCH /v1/categories/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryEnvelope {
    pub status: Success,
    pub category: Category,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_arithmetic() {
        assert_eq!(ListMeta::new(1, 100, 247).total_pages, 3);
        assert_eq!(ListMeta::new(1, 100, 300).total_pages, 3);
        assert_eq!(ListMeta::new(1, 100, 0).total_pages, 1);
        assert!(ListMeta::new(3, 100, 247).is_last());
    }

    #[test]
    fn status_must_be_success() {
        let ok = r#"{"status":"success","categories":[],"meta":{"page":1,"per_page":100,"total_pages":1,"items_count":0}}"#;
        assert!(serde_json::from_str::<CategoryList>(ok).is_ok());
        assert!(serde_json::from_str::<CategoryList>(&ok.replace("success", "error")).is_err());
    }
}
