//! Reading what the API sends without letting one bad record spoil a page.
//!
//! Two layers. Field by field, a `null` where the reference shows a value
//! is read as the field's absence when that is a safe reading (`views: 0`,
//! an empty date, `published: false`, an unknown — so not public —
//! visibility, no translation in a language whose value is `null`): these
//! helpers are the `deserialize_with` of the response types. Record by
//! record, [`Lenient`] decodes one list item on its own, so a record that
//! is still unreadable (`"title": 42`, no id) becomes an [`Undecodable`]
//! naming its id and the field that failed, never its text, instead of
//! failing the whole page.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::lang::LangCode;
use crate::translations::Translations;

/// A `null` reads as the type's default; anything else as usual.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// A translation object where a `null` value means "no translation in that
/// language", and a `null` object means no translations at all.
pub(crate) fn translations<'de, D, T>(d: D) -> Result<Translations<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let map = Option::<BTreeMap<LangCode, Option<T>>>::deserialize(d)?.unwrap_or_default();
    Ok(map.into_iter().filter_map(|(k, v)| Some((k, v?))).collect())
}

/// A list of ids where `null` (the list or an item) means nothing.
pub(crate) fn ids<'de, D>(d: D) -> Result<Vec<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    let list = Option::<Vec<Option<i64>>>::deserialize(d)?.unwrap_or_default();
    Ok(list.into_iter().flatten().collect())
}

/// One list item, decoded on its own: the record, or why it could not be.
#[derive(Debug, Clone, PartialEq)]
pub struct Lenient<T>(pub Result<T, Undecodable>);

/// A record that could not be decoded: its id when it has a readable one,
/// and the path of the field that failed (`title.en`, `views`). Never the
/// record's text, which may be private (a draft, a share token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    pub id: Option<i64>,
    pub field: String,
}

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "id {id} (field `{}`)", self.field),
            None => write!(f, "a record without a readable id (field `{}`)", self.field),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Anything that is JSON at all is accepted here; only the record's
        // own shape can fail, and that failure stays with the record.
        let value = serde_json::Value::deserialize(d)?;
        let id = value.get("id").and_then(serde_json::Value::as_i64);
        Ok(Lenient(
            serde_path_to_error::deserialize::<_, T>(&value).map_err(|e| Undecodable {
                id,
                field: safe_path(&e.path().to_string()),
            }),
        ))
    }
}

/// The failing field's path, reduced to characters a field name or a
/// language code uses: a map key on the path is data (a bad language key
/// could be any text), so it must not carry text into a log line.
fn safe_path(path: &str) -> String {
    let cleaned: String = path
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']') {
                c
            } else {
                '?'
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned == "." {
        "(record)".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Article, ArticleList, Category, Visibility};

    #[test]
    fn nulls_read_as_absent() {
        let a: Article = serde_json::from_str(
            r#"{"id": 7, "title": {"en": "Hi", "de": null}, "slug": null, "content": {"en": null},
                "published": null, "visibility": null, "category_id": null, "categories": [3, null],
                "views": null, "created_at": null, "updated_at": null, "share_token": null,
                "content_json": null}"#,
        )
        .unwrap();
        assert_eq!(a.title, crate::tr!("en" => "Hi"));
        assert!(a.slug.is_empty() && a.content.is_empty());
        assert!(!a.published && a.visibility == Visibility::Unknown && !a.is_public());
        assert_eq!(
            (a.views, a.created_at.as_str(), a.categories),
            (0, "", vec![3])
        );
        let c: Category = serde_json::from_str(
            r#"{"id": 2, "name": null, "description": {"en": null}, "parent": null, "icon": null, "position": null}"#,
        )
        .unwrap();
        assert!(c.name.is_empty() && c.description.is_empty());
    }

    #[test]
    fn a_bad_record_is_named_by_id_and_field_only() {
        let page: ArticleList<Lenient<Article>> = serde_json::from_str(
            r#"{"status": "success", "meta": {"page": 1, "per_page": 100, "total_pages": 1, "items_count": 3},
                "articles": [{"id": 1, "title": {"en": "Fine"}},
                             {"id": 2, "title": {"en": "Secret draft text", "de": 5}},
                             {"title": "Secret"}]}"#,
        )
        .unwrap();
        let outcomes: Vec<_> = page.articles.into_iter().map(|l| l.0).collect();
        assert_eq!(outcomes[0].as_ref().unwrap().id, 1);
        let bad = outcomes[1].as_ref().unwrap_err();
        assert_eq!(
            bad,
            &Undecodable {
                id: Some(2),
                field: "title.de".into()
            }
        );
        let no_id = outcomes[2].as_ref().unwrap_err();
        assert_eq!(no_id.id, None);
        for e in [bad, no_id] {
            assert!(!format!("{e} {e:?}").contains("Secret"), "{e}");
        }
        assert!(
            serde_json::from_str::<ArticleList<Lenient<Article>>>(
                r#"{"status": "success", "articles": [], "meta": null}"#
            )
            .is_err(),
            "the envelope itself must still be right"
        );
        assert_eq!(safe_path("title.\"Geheim ist\""), "title.?Geheim?ist?");
    }

    mod properties {
        use proptest::prelude::*;
        use serde_json::{json, Value};

        use super::*;

        /// Top-level fields of an article that may arrive as `null`.
        const NULLABLE: [&str; 11] = [
            "views",
            "created_at",
            "updated_at",
            "slug",
            "content",
            "published",
            "visibility",
            "categories",
            "category_id",
            "share_token",
            "content_json",
        ];

        fn record(id: i64, nulls: u16, nulled_langs: u8, broken: bool) -> Value {
            let mut r = json!({
                "id": id,
                "title": {"en": format!("T{id}"), "de": format!("D{id}")},
                "slug": {"en": format!("t-{id}"), "de": format!("d-{id}")},
                "content": {"en": "<p>x</p>", "de": "<p>y</p>"},
                "published": true, "visibility": "public", "category_id": -1,
                "categories": [1, 2], "views": id, "share_token": "a",
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z",
                "content_json": {"k": 1}
            });
            for (bit, field) in NULLABLE.iter().enumerate() {
                if nulls & (1 << bit) != 0 {
                    r[*field] = Value::Null;
                }
            }
            for (bit, (field, lang)) in [
                ("title", "de"),
                ("title", "en"),
                ("content", "de"),
                ("slug", "en"),
            ]
            .into_iter()
            .enumerate()
            {
                if nulled_langs & (1 << bit) != 0 && r[field].is_object() {
                    r[field][lang] = Value::Null;
                }
            }
            if broken {
                r["title"] = json!(42);
            }
            r
        }

        proptest! {
            /// Any mix of nulls in these fields never fails the page; every
            /// record without a wrong-typed value survives with its id, and
            /// a broken one is reported by id.
            #[test]
            fn nulls_never_fail_the_page_and_good_records_survive(
                shapes in prop::collection::vec((any::<u16>(), any::<u8>(), prop::bool::weighted(0.2)), 1..12)
            ) {
                let records: Vec<Value> = shapes
                    .iter()
                    .enumerate()
                    .map(|(i, (n, l, b))| record(i as i64 + 1, *n, *l, *b))
                    .collect();
                let body = json!({
                    "status": "success", "articles": records,
                    "meta": {"page": 1, "per_page": 100, "total_pages": 1, "items_count": shapes.len()}
                });
                let page: ArticleList<Lenient<Article>> =
                    serde_json::from_value(body).expect("the page never fails");
                for (i, (Lenient(outcome), (nulls, langs, broken))) in
                    page.articles.into_iter().zip(&shapes).enumerate()
                {
                    let id = i as i64 + 1;
                    if *broken {
                        prop_assert_eq!(outcome.unwrap_err(), Undecodable { id: Some(id), field: "title".into() });
                        continue;
                    }
                    let a = outcome.expect("a record with only nulls decodes");
                    prop_assert_eq!(a.id, id);
                    prop_assert_eq!(a.views, if nulls & 1 != 0 { 0 } else { id as u64 });
                    prop_assert_eq!(a.title.get_str("en").is_some(), langs & 2 == 0);
                    prop_assert_eq!(a.title.get_str("de").is_some(), langs & 1 == 0);
                    prop_assert_eq!(a.is_public(), nulls & (0b11 << 5) == 0);
                }
            }
        }
    }
}
