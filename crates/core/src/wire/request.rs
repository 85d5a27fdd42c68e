use serde::{Deserialize, Deserializer, Serialize};

use crate::translations::Translations;
use crate::wire::Visibility;

/// `POST /v1/articles`. `title` is the only required field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateArticle {
    pub title: Translations<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<Translations<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Translations<String>>,
    /// Draft when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    /// Several categories; makes `category_id` −1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<i64>>,
}

/// `PATCH /v1/articles/{id}`: every field optional; translations merge.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Translations<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<Translations<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Translations<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<i64>>,
}

impl UpdateArticle {
    pub fn is_empty(&self) -> bool {
        *self == UpdateArticle::default()
    }
}

/// `PATCH /v1/categories/{id}`: name, description, parent, icon. `parent`
/// and `icon` distinguish "not sent" (`None`) from "set to null"
/// (`Some(None)`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Translations<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Translations<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub icon: Option<Option<String>>,
}

/// Deserialises a field that is present (possibly `null`) as `Some(_)`;
/// `#[serde(default)]` leaves an absent one `None`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_null_parent_differs_from_absent() {
        let absent: UpdateCategory = serde_json::from_str("{}").unwrap();
        let null: UpdateCategory = serde_json::from_str(r#"{"parent":null}"#).unwrap();
        let set: UpdateCategory = serde_json::from_str(r#"{"parent":4}"#).unwrap();
        assert_eq!(absent.parent, None);
        assert_eq!(null.parent, Some(None));
        assert_eq!(set.parent, Some(Some(4)));
        assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"parent":null}"#);
    }

    #[test]
    fn create_serialises_only_what_is_set() {
        let req = CreateArticle {
            title: crate::tr!("en" => "Hello"),
            published: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"title":{"en":"Hello"},"published":true}"#
        );
        assert!(
            serde_json::from_str::<CreateArticle>(r#"{"title":{"en":"x"},"bogus":1}"#).is_err()
        );
    }
}
