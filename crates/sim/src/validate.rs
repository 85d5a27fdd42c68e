//! Request-body validation with Laravel's field-error messages.
//!
//! Bodies are parsed to a `serde_json::Value` first and checked field by
//! field, so that a title sent as a string, an unknown field or a bad
//! language code each get their own message, instead of serde's first error.
//! Language codes the site has not enabled are reported separately, as the
//! reference's `status: "error"` shape.

use hc_core::wire::{CreateArticle, FieldErrors, Site, UpdateArticle, UpdateCategory, Visibility};
use hc_core::{LangCode, Translations};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::store::Store;

/// Longest title accepted, in characters (Laravel's usual `max:255`).
pub const MAX_TITLE_CHARS: usize = 255;

struct Checker<'a> {
    site: &'a Site,
    errors: FieldErrors,
    unsupported: Option<String>,
}

impl<'a> Checker<'a> {
    fn new(site: &'a Site) -> Self {
        Checker {
            site,
            errors: FieldErrors::new(),
            unsupported: None,
        }
    }

    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }

    fn translations(
        &mut self,
        obj: &Map<String, Value>,
        field: &str,
        is_title: bool,
    ) -> Option<Translations<String>> {
        let value = obj.get(field)?;
        let Some(map) = value.as_object() else {
            self.fail(
                field,
                format!("The {field} must be an object keyed by language code, such as {{\"en\": \"…\"}}."),
            );
            return None;
        };
        let mut out = Translations::new();
        for (key, v) in map {
            let lang = match LangCode::parse(key) {
                Ok(lang) => lang,
                Err(_) => {
                    self.fail(
                        field,
                        format!(
                            "The {field} key '{}' is not a language code.",
                            truncate(key)
                        ),
                    );
                    continue;
                }
            };
            if !self.site.supports(&lang) && self.unsupported.is_none() {
                self.unsupported = Some(lang.to_string());
            }
            match v.as_str() {
                Some(s) if is_title && s.trim().is_empty() => self.fail(
                    &format!("{field}.{lang}"),
                    format!("The {field}.{lang} field is required."),
                ),
                Some(s) if is_title && s.chars().count() > MAX_TITLE_CHARS => self.fail(
                    &format!("{field}.{lang}"),
                    format!(
                        "The {field}.{lang} may not be greater than {MAX_TITLE_CHARS} characters."
                    ),
                ),
                Some(s) => {
                    out.insert(lang, s.to_string());
                }
                None => self.fail(
                    &format!("{field}.{lang}"),
                    format!("The {field}.{lang} must be a string."),
                ),
            }
        }
        Some(out)
    }

    fn boolean(&mut self, obj: &Map<String, Value>, field: &str) -> Option<bool> {
        let value = obj.get(field)?;
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                self.fail(field, format!("The {field} field must be true or false."));
                None
            }
        }
    }

    fn visibility(&mut self, obj: &Map<String, Value>) -> Option<Visibility> {
        let value = obj.get("visibility")?;
        match value.as_str() {
            Some("public") => Some(Visibility::Public),
            Some("private") => Some(Visibility::Private),
            Some("link_only") => Some(Visibility::LinkOnly),
            _ => {
                self.fail(
                    "visibility",
                    "The selected visibility is invalid (public, private or link_only).",
                );
                None
            }
        }
    }

    fn category_id(&mut self, obj: &Map<String, Value>, store: &Store) -> Option<i64> {
        let value = obj.get("category_id")?;
        match value.as_i64() {
            Some(id) if store.categories.contains_key(&id) => Some(id),
            Some(_) => {
                self.fail("category_id", "The selected category id is invalid.");
                None
            }
            None => {
                self.fail("category_id", "The category id must be an integer.");
                None
            }
        }
    }

    fn categories(&mut self, obj: &Map<String, Value>, store: &Store) -> Option<Vec<i64>> {
        let value = obj.get("categories")?;
        let Some(items) = value.as_array() else {
            self.fail(
                "categories",
                "The categories must be an array of category ids.",
            );
            return None;
        };
        let mut ids = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_i64() {
                Some(id) if store.categories.contains_key(&id) => {
                    if !ids.contains(&id) {
                        ids.push(id)
                    }
                }
                Some(_) => self.fail(
                    &format!("categories.{i}"),
                    format!("The selected categories.{i} is invalid."),
                ),
                None => self.fail(
                    &format!("categories.{i}"),
                    format!("The categories.{i} must be an integer."),
                ),
            }
        }
        Some(ids)
    }

    fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if !self.errors.is_empty() {
            return Err(ApiError::BodyValidation(self.errors));
        }
        if let Some(code) = self.unsupported {
            return Err(ApiError::UnsupportedLanguage(code));
        }
        Ok(value)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// The body as a JSON object, with unknown fields refused.
fn object<'v>(body: &'v Value, allowed: &[&str]) -> Result<&'v Map<String, Value>, ApiError> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::BodyValidation(ApiError::field(
            "body",
            "The request body must be a JSON object.",
        )));
    };
    let unknown: FieldErrors = obj
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| {
            (
                truncate(k),
                vec![format!("The {} field is not allowed.", truncate(k))],
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(obj)
    } else {
        Err(ApiError::BodyValidation(unknown))
    }
}

const ARTICLE_FIELDS: &[&str] = &[
    "title",
    "slug",
    "content",
    "published",
    "visibility",
    "category_id",
    "categories",
];

pub fn create_article(body: &Value, store: &Store) -> Result<CreateArticle, ApiError> {
    let obj = object(body, ARTICLE_FIELDS)?;
    let mut c = Checker::new(&store.site);
    let title = c.translations(obj, "title", true);
    match &title {
        None if !obj.contains_key("title") => c.fail("title", "The title field is required."),
        Some(t) if !t.contains(&store.site.default_language) => c.fail(
            "title",
            format!(
                "The title must include the site's default language ({}).",
                store.site.default_language
            ),
        ),
        _ => {}
    }
    let request = CreateArticle {
        title: title.unwrap_or_default(),
        slug: c.translations(obj, "slug", false),
        content: c.translations(obj, "content", false),
        published: c.boolean(obj, "published"),
        visibility: c.visibility(obj),
        category_id: c.category_id(obj, store),
        categories: c.categories(obj, store),
    };
    c.finish(request)
}

pub fn update_article(body: &Value, store: &Store) -> Result<UpdateArticle, ApiError> {
    let obj = object(body, ARTICLE_FIELDS)?;
    let mut c = Checker::new(&store.site);
    let request = UpdateArticle {
        title: c.translations(obj, "title", true),
        slug: c.translations(obj, "slug", false),
        content: c.translations(obj, "content", false),
        published: c.boolean(obj, "published"),
        visibility: c.visibility(obj),
        category_id: c.category_id(obj, store),
        categories: c.categories(obj, store),
    };
    c.finish(request)
}

pub fn update_category(body: &Value, id: i64, store: &Store) -> Result<UpdateCategory, ApiError> {
    let obj = object(body, &["name", "description", "parent", "icon"])?;
    let mut c = Checker::new(&store.site);
    let name = c.translations(obj, "name", true);
    let description = c.translations(obj, "description", false);
    let parent = match obj.get("parent") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(v) => match v.as_i64() {
            Some(p) if !store.categories.contains_key(&p) => {
                c.fail("parent", "The selected parent is invalid.");
                None
            }
            Some(p) if store.would_cycle(id, p) => {
                c.fail("parent", "A category cannot be its own ancestor.");
                None
            }
            Some(p) => Some(Some(p)),
            None => {
                c.fail("parent", "The parent must be an integer or null.");
                None
            }
        },
    };
    let icon = match obj.get("icon") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) if s.chars().count() <= 64 => Some(Some(s.clone())),
        Some(_) => {
            c.fail(
                "icon",
                "The icon must be a string of at most 64 characters, or null.",
            );
            None
        }
    };
    c.finish(UpdateCategory {
        name,
        description,
        parent,
        icon,
    })
}
