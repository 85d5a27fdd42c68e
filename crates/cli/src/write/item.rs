//! What a source (a CSV file or a folder of Markdown) turns into: one
//! [`SourceItem`] per external id, holding every language found for it,
//! and the hashes the state file keeps to tell what changed.

use std::collections::BTreeMap;

use hc_core::wire::{CreateArticle, UpdateArticle};
use hc_core::{LangCode, Translations};
use sha2::{Digest, Sha256};

/// One language of one article, as read from the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTranslation {
    pub title: String,
    /// HTML, as the API stores it.
    pub content: String,
    pub slug: Option<String>,
}

/// One article to exist upstream: the unit of idempotency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceItem {
    pub external_id: String,
    /// Where it came from, for messages: `row 12`, `notes/1.2.md`.
    pub origin: String,
    pub category: i64,
    pub translations: BTreeMap<LangCode, SourceTranslation>,
}

/// Short SHA-256 (first 16 hex digits): enough to notice a change.
pub(crate) fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl SourceItem {
    /// One hash per field the API stores separately: `title.en`,
    /// `content.de`, `slug.en`, `category_id`. A PATCH sends exactly the
    /// ones whose hash changed.
    pub fn field_hashes(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        out.insert(
            "category_id".to_string(),
            short_hash(self.category.to_string().as_bytes()),
        );
        for (lang, t) in &self.translations {
            out.insert(format!("title.{lang}"), short_hash(t.title.as_bytes()));
            out.insert(format!("content.{lang}"), short_hash(t.content.as_bytes()));
            if let Some(slug) = &t.slug {
                out.insert(format!("slug.{lang}"), short_hash(slug.as_bytes()));
            }
        }
        out
    }

    /// A hash of everything that is written (fields, in order).
    pub fn content_hash(&self) -> String {
        let joined: Vec<String> = self
            .field_hashes()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        short_hash(joined.join("\n").as_bytes())
    }

    pub fn languages(&self) -> impl Iterator<Item = &LangCode> {
        self.translations.keys()
    }

    /// The title used in messages: English if present, else the first.
    pub(crate) fn display_title(&self) -> &str {
        self.translations
            .iter()
            .find(|(l, _)| l.as_str() == "en")
            .or_else(|| self.translations.iter().next())
            .map(|(_, t)| t.title.as_str())
            .unwrap_or("")
    }

    pub fn create_request(&self, publish: bool) -> CreateArticle {
        let mut title = Translations::new();
        let mut content = Translations::new();
        let mut slug = Translations::new();
        for (lang, t) in &self.translations {
            title.insert(lang.clone(), t.title.clone());
            content.insert(lang.clone(), t.content.clone());
            if let Some(s) = &t.slug {
                slug.insert(lang.clone(), s.clone());
            }
        }
        CreateArticle {
            title,
            slug: (!slug.is_empty()).then_some(slug),
            content: Some(content),
            published: Some(publish),
            category_id: Some(self.category),
            ..Default::default()
        }
    }

    /// A PATCH carrying only `fields` (names as in [`Self::field_hashes`]).
    pub(crate) fn update_request(&self, fields: &[String]) -> UpdateArticle {
        let mut req = UpdateArticle::default();
        for field in fields {
            if field == "category_id" {
                req.category_id = Some(self.category);
                continue;
            }
            let Some((name, lang)) = field.split_once('.') else {
                continue;
            };
            let Ok(lang) = LangCode::parse(lang) else {
                continue;
            };
            let Some(t) = self.translations.get(&lang) else {
                continue;
            };
            let (slot, value) = match name {
                "title" => (&mut req.title, t.title.clone()),
                "content" => (&mut req.content, t.content.clone()),
                "slug" => match &t.slug {
                    Some(s) => (&mut req.slug, s.clone()),
                    None => continue,
                },
                _ => continue,
            };
            slot.get_or_insert_with(Translations::new)
                .insert(lang, value);
        }
        req
    }

    /// Does an upstream article carry our title in every language we have?
    /// (How an article whose creation was not recorded is recognised.)
    pub(crate) fn title_matches(&self, article: &hc_core::Article) -> bool {
        self.translations
            .iter()
            .all(|(lang, t)| article.title.get(lang).is_some_and(|x| x == &t.title))
    }

    /// Same titles and contents in every language we have.
    pub(crate) fn content_matches(&self, article: &hc_core::Article) -> bool {
        self.title_matches(article)
            && self
                .translations
                .iter()
                .all(|(lang, t)| article.content.get(lang).is_some_and(|x| x == &t.content))
    }

    /// The fields (as in [`Self::field_hashes`]) whose upstream value differs
    /// from ours; used when adopting an article we have no hashes for.
    pub(crate) fn fields_differing_from(&self, article: &hc_core::Article) -> Vec<String> {
        let mut out = Vec::new();
        if !article.category_ids().contains(&self.category) {
            out.push("category_id".to_string());
        }
        for (lang, t) in &self.translations {
            if article.title.get(lang) != Some(&t.title) {
                out.push(format!("title.{lang}"));
            }
            if article.content.get(lang) != Some(&t.content) {
                out.push(format!("content.{lang}"));
            }
            if let Some(s) = &t.slug {
                if article.slug.get(lang) != Some(s) {
                    out.push(format!("slug.{lang}"));
                }
            }
        }
        out
    }
}

/// [`merge_records`] for a source at `from`, its input errors as one
/// message listing them all (what `import` and `sync` report).
pub(crate) fn merge_source(
    records: Vec<Record>,
    from: &std::path::Path,
) -> anyhow::Result<Vec<SourceItem>> {
    merge_records(records).map_err(|errors| {
        anyhow::anyhow!(
            "{} problem(s) in {}:\n  {}",
            errors.len(),
            from.display(),
            errors.join("\n  ")
        )
    })
}

/// Groups per-language records by external id into items. Two records of
/// one id in one language, or with different categories, are input errors.
pub(crate) fn merge_records(records: Vec<Record>) -> Result<Vec<SourceItem>, Vec<String>> {
    let mut items: Vec<SourceItem> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for r in records {
        match index.get(&r.external_id) {
            None => {
                index.insert(r.external_id.clone(), items.len());
                items.push(SourceItem {
                    external_id: r.external_id,
                    origin: r.origin,
                    category: r.category,
                    translations: [(r.lang, r.translation)].into(),
                });
            }
            Some(&i) => {
                let item = &mut items[i];
                if item.category != r.category {
                    errors.push(format!(
                        "{}: external id '{}' has category {} here but {} in {}",
                        r.origin, r.external_id, r.category, item.category, item.origin
                    ));
                } else if item.translations.contains_key(&r.lang) {
                    errors.push(format!(
                        "{}: external id '{}' appears twice in language '{}' (first in {})",
                        r.origin, r.external_id, r.lang, item.origin
                    ));
                } else {
                    item.origin = format!("{}, {}", item.origin, r.origin);
                    item.translations.insert(r.lang, r.translation);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// One language of one article as a source yields it (a CSV row, a file).
#[derive(Debug, Clone)]
pub struct Record {
    pub external_id: String,
    pub origin: String,
    pub category: i64,
    pub lang: LangCode,
    pub translation: SourceTranslation,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, lang: &str, title: &str) -> Record {
        Record {
            external_id: id.into(),
            origin: format!("row {id}{lang}"),
            category: 3,
            lang: LangCode::parse(lang).unwrap(),
            translation: SourceTranslation {
                title: title.into(),
                content: format!("<p>{title}</p>"),
                slug: None,
            },
        }
    }

    #[test]
    fn merges_languages_and_diffs_fields() {
        let items = merge_records(vec![
            rec("a", "en", "Hello"),
            rec("b", "en", "Other"),
            rec("a", "de", "Hallo"),
        ])
        .unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].translations.len(), 2);
        let mut changed = items[0].clone();
        changed
            .translations
            .get_mut(&LangCode::parse("de").unwrap())
            .unwrap()
            .content = "<p>neu</p>".into();
        let before = items[0].field_hashes();
        let after = changed.field_hashes();
        let diff: Vec<String> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(diff, vec!["content.de".to_string()]);
        let req = changed.update_request(&diff);
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"content": {"de": "<p>neu</p>"}})
        );
        assert_ne!(items[0].content_hash(), changed.content_hash());
    }

    #[test]
    fn duplicate_language_is_an_error() {
        let err = merge_records(vec![rec("a", "en", "x"), rec("a", "en", "y")]).unwrap_err();
        assert!(err[0].contains("appears twice"), "{err:?}");
    }
}
