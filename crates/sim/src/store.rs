//! The simulated help center's data: articles, categories, the site's
//! languages, and the set of items changed since start (what `--state`
//! persists). Pure data and rules; no HTTP here.

use std::collections::{BTreeMap, BTreeSet};

use hc_core::wire::{Article, Category, HelpCenterData, Site};

#[derive(Debug, Clone)]
pub struct Store {
    pub site: Site,
    pub articles: BTreeMap<i64, Article>,
    pub categories: BTreeMap<i64, Category>,
    pub next_article_id: i64,
    /// Ids written since the seed data was loaded; only these are persisted.
    pub dirty_articles: BTreeSet<i64>,
    pub dirty_categories: BTreeSet<i64>,
}

impl Store {
    pub fn new(data: HelpCenterData) -> Self {
        let articles: BTreeMap<i64, Article> =
            data.articles.into_iter().map(|a| (a.id, a)).collect();
        let categories = data.categories.into_iter().map(|c| (c.id, c)).collect();
        let next_article_id = articles.keys().next_back().map_or(1, |max| max + 1);
        Store {
            site: data.site,
            articles,
            categories,
            next_article_id,
            dirty_articles: BTreeSet::new(),
            dirty_categories: BTreeSet::new(),
        }
    }

    pub fn allocate_article_id(&mut self) -> i64 {
        let id = self.next_article_id;
        self.next_article_id += 1;
        id
    }

    /// Would setting `parent` as the parent of `id` make a cycle?
    pub fn would_cycle(&self, id: i64, parent: i64) -> bool {
        let mut cursor = Some(parent);
        let mut steps = 0;
        while let Some(current) = cursor {
            if current == id || steps > self.categories.len() {
                return true;
            }
            cursor = self.categories.get(&current).and_then(|c| c.parent);
            steps += 1;
        }
        false
    }

    /// A slug for `title` in `lang` that no other article uses in that
    /// language: `getting-started`, then `getting-started-2`, ….
    pub fn unique_slug(
        &self,
        lang: &hc_core::LangCode,
        wanted: &str,
        except: Option<i64>,
    ) -> String {
        let base = match slug::slugify(wanted) {
            s if s.is_empty() => "article".to_string(),
            s => s.chars().take(120).collect(),
        };
        let taken = |candidate: &str| {
            self.articles.values().any(|a| {
                Some(a.id) != except && a.slug.get(lang).map(String::as_str) == Some(candidate)
            })
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| !taken(c))
            .expect("an unbounded range always yields a free slug")
    }
}
