//! Records served as a test wrote them, not as the store would write them.
//!
//! The store holds typed `Article`s and `Category`s, so whatever a data file
//! says, the simulator would only ever answer with well-formed records. The
//! real API is not so tidy: a `null` where a number or a translation is
//! expected, or a record no client can read at all, must be servable so the
//! clients' tolerance of them can be tested. A patch replaces whole
//! top-level fields of one record in every list response (`GET
//! /v1/articles`, `GET /v1/categories`); writes and their responses, search
//! and filters still see the stored record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Per id, the fields that replace the record's own in list responses.
/// A field set to `null` is served as `null`; to serve
/// `"title": {"en": null, "de": "…"}` give the whole `title` object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WirePatches {
    pub articles: BTreeMap<i64, Map<String, Value>>,
    pub categories: BTreeMap<i64, Map<String, Value>>,
}

impl WirePatches {
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.categories.is_empty()
    }
}

/// Applies `patches` to the records in `body[field]` (a list response
/// serialised to JSON), matching them by their `id`.
pub fn apply(body: &mut Value, field: &str, patches: &BTreeMap<i64, Map<String, Value>>) {
    if patches.is_empty() {
        return;
    }
    let Some(items) = body.get_mut(field).and_then(Value::as_array_mut) else {
        return;
    };
    for item in items {
        let Some(patch) = item
            .get("id")
            .and_then(Value::as_i64)
            .and_then(|id| patches.get(&id))
        else {
            continue;
        };
        if let Some(obj) = item.as_object_mut() {
            for (k, v) in patch {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_fields_of_the_matching_record_only() {
        let patches: WirePatches = serde_json::from_str(
            r#"{"articles": {"2": {"views": null, "title": {"en": null, "de": "Hallo"}}}}"#,
        )
        .unwrap();
        let mut body = serde_json::json!({"articles": [
            {"id": 1, "views": 3, "title": {"en": "One"}},
            {"id": 2, "views": 4, "title": {"en": "Two", "fr": "Deux"}}
        ]});
        apply(&mut body, "articles", &patches.articles);
        assert_eq!(
            body,
            serde_json::json!({"articles": [
                {"id": 1, "views": 3, "title": {"en": "One"}},
                {"id": 2, "views": null, "title": {"en": null, "de": "Hallo"}}
            ]})
        );
        assert!(serde_json::from_str::<WirePatches>(r#"{"artikles": {}}"#).is_err());
    }
}
