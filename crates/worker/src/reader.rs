//! What the in-widget reader and the empty state need that the search index
//! does not keep: each article's sanitised HTML in the chosen language, its
//! category path and its views. Cached next to the pack so that a warm
//! start needs no snapshot.

use std::collections::HashMap;

use hc_core::{LangCode, PublicArticle, PublicCategory, Snapshot, Translations};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReaderDoc {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub html: String,
    pub category_path: Vec<String>,
    pub category_ids: Vec<i64>,
    pub views: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReaderDocs {
    pub docs: Vec<ReaderDoc>,
}

impl ReaderDocs {
    /// The articles that have content in `lang`.
    pub fn from_snapshot(snapshot: &Snapshot, lang: &LangCode) -> Self {
        let names: HashMap<i64, &PublicCategory> =
            snapshot.categories.iter().map(|c| (c.id, c)).collect();
        let docs = snapshot
            .articles
            .iter()
            .filter_map(|a| {
                let html = a.content.get(lang)?;
                Some(ReaderDoc {
                    id: a.id,
                    title: a.title.get(lang).cloned().unwrap_or_default(),
                    slug: a.slug.get(lang).cloned().unwrap_or_default(),
                    html: html.clone(),
                    category_path: a
                        .category_ids
                        .first()
                        .map(|c| category_path(*c, &names, lang))
                        .unwrap_or_default(),
                    category_ids: a.category_ids.clone(),
                    views: a.views,
                })
            })
            .collect();
        ReaderDocs { docs }
    }

    /// The articles of `lang` as the engine was built from them, for
    /// [`hc_engine::Engine::from_pack`] (a pack keeps the index, not the texts).
    pub fn to_articles(&self, lang: &LangCode) -> Vec<PublicArticle> {
        let one = |text: &str| -> Translations<String> {
            [(lang.clone(), text.to_string())].into_iter().collect()
        };
        self.docs
            .iter()
            .map(|d| PublicArticle {
                id: d.id,
                title: one(&d.title),
                slug: one(&d.slug),
                content: one(&d.html),
                category_ids: d.category_ids.clone(),
                views: d.views,
                created_at: String::new(),
                updated_at: String::new(),
            })
            .collect()
    }

    pub fn get(&self, id: i64) -> Option<&ReaderDoc> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// The most viewed articles, for the empty state.
    pub fn most_viewed(&self, limit: usize) -> Vec<&ReaderDoc> {
        let mut all: Vec<&ReaderDoc> = self.docs.iter().collect();
        all.sort_by(|a, b| b.views.cmp(&a.views).then(a.id.cmp(&b.id)));
        all.truncate(limit);
        all
    }
}

/// Category names from the root down; a cycle or a missing parent ends the walk.
fn category_path(id: i64, names: &HashMap<i64, &PublicCategory>, lang: &LangCode) -> Vec<String> {
    let mut path = Vec::new();
    let mut cursor = Some(id);
    // Bounded in steps, not names: a cycle through categories without a
    // name in `lang` would otherwise never end.
    for _ in 0..=16 {
        let Some(current) = cursor else {
            break;
        };
        let Some(cat) = names.get(&current) else {
            break;
        };
        if let Some(name) = cat.name.get(lang) {
            path.push(name.clone());
        }
        cursor = cat.parent;
    }
    path.reverse();
    path
}

/// With `fallback="default"`: every article lacking content in `lang` is
/// shown in the site's default language, so the index of `lang` covers the
/// whole help center.
pub fn fill_from_default(snapshot: &Snapshot, lang: &LangCode) -> Snapshot {
    let default = &snapshot.site.default_language;
    let mut out = snapshot.clone();
    if default == lang {
        return out;
    }
    for a in &mut out.articles {
        if a.content.contains(lang) {
            continue;
        }
        if let (Some(content), Some(title)) = (
            a.content.get(default).cloned(),
            a.title.get(default).cloned(),
        ) {
            a.content.insert(lang.clone(), content);
            a.title.insert(lang.clone(), title);
            if let Some(slug) = a.slug.get(default).cloned() {
                a.slug.insert(lang.clone(), slug);
            }
        }
    }
    for c in &mut out.categories {
        if !c.name.contains(lang) {
            if let Some(name) = c.name.get(default).cloned() {
                c.name.insert(lang.clone(), name);
            }
        }
    }
    out
}
