//! The first step of a write run: what is upstream. One paged walk per
//! category involved, needed before any write to an item we wrote before
//! (drift must not be overwritten), to resume an interrupted create, and
//! for `--adopt-existing`. A run in which nothing changed (and a first run)
//! sends no request at all, unless `check_drift` asks for the drift report
//! anyway.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hc_client::{ArticleQuery, Client};
use hc_core::Article;

use super::item::SourceItem;
use super::state::StateStore;
use super::{Fatal, JobOptions};

/// The articles of the categories walked; empty when nothing needed a walk.
#[derive(Debug, Default)]
pub(super) struct Upstream {
    /// Whether the categories were read at all: if not, an item known to
    /// the state file is taken to be as our last write left it.
    pub walked: bool,
    articles: HashMap<i64, Article>,
    /// Each category's article ids, in the order the API listed them.
    by_category: BTreeMap<i64, Vec<i64>>,
}

impl Upstream {
    pub fn get(&self, id: i64) -> Option<&Article> {
        self.articles.get(&id)
    }

    /// The articles of `category`, in the order the API listed them.
    pub fn in_category(&self, category: i64) -> impl Iterator<Item = &Article> {
        self.by_category
            .get(&category)
            .into_iter()
            .flatten()
            .filter_map(|id| self.articles.get(id))
    }
}

/// Reads every category an item may need, or nothing.
pub(super) async fn walk(
    client: &Client,
    items: &[SourceItem],
    state: &StateStore,
    opts: &JobOptions,
) -> Result<Upstream, Fatal> {
    if !needs_walk(items, state, opts) {
        return Ok(Upstream::default());
    }
    let mut upstream = Upstream {
        walked: true,
        ..Upstream::default()
    };
    for category in categories(items, state, opts) {
        let list = client
            .list_all_articles(&ArticleQuery {
                category_id: Some(category),
                ..Default::default()
            })
            .await
            .map_err(|source| Fatal::of(&source).unwrap_or(Fatal::Listing { category, source }))?;
        for a in list {
            upstream.by_category.entry(category).or_default().push(a.id);
            upstream.articles.insert(a.id, a);
        }
    }
    Ok(upstream)
}

/// Whether any item needs upstream's view: one with an open intent, a
/// change or a publish to send, or a flag that asks for it.
fn needs_walk(items: &[SourceItem], state: &StateStore, opts: &JobOptions) -> bool {
    opts.check_drift
        || opts.adopt_existing
        || items.iter().any(|item| {
            state.data.items.get(&item.external_id).is_some_and(|s| {
                s.article_id.is_none()
                    || s.hash != item.content_hash()
                    || (opts.publish && !s.published)
            })
        })
}

/// The categories where an item's article is, was, or may already be.
fn categories(items: &[SourceItem], state: &StateStore, opts: &JobOptions) -> BTreeSet<i64> {
    let mut categories = BTreeSet::new();
    for item in items {
        let known = state.data.items.get(&item.external_id);
        if known.is_some() || opts.adopt_existing {
            categories.insert(item.category);
        }
        if let Some(s) = known {
            categories.extend(s.intent.as_ref().map(|i| i.category));
            if let Some(c) = s.fields_category() {
                categories.insert(c);
            }
        }
    }
    categories
}
