//! The second step of a write run: one [`Plan`] per item, decided from the
//! source, the state file and what the walk read, without a request.
//! Drift found on the way (an article edited or deleted upstream) is noted
//! for the summary.

use std::collections::BTreeSet;

use hc_core::Article;

use super::item::SourceItem;
use super::state::{ItemState, StateStore};
use super::walk::Upstream;
use super::JobOptions;

#[derive(Debug, Clone)]
pub(super) enum Plan {
    Create,
    /// Link to this existing article, PATCHing these fields.
    Link {
        article: Box<Article>,
        fields: Vec<String>,
        /// The article is one an interrupted run of ours created.
        resumed: bool,
    },
    Update {
        article_id: i64,
        fields: Vec<String>,
        publish: bool,
    },
    Unchanged,
    /// Upstream already equals the source: store its `updated_at`.
    Refresh(Box<Article>),
    /// Not written, for this reason (reported as a failure).
    Skip(String),
}

impl Plan {
    /// Whether carrying it out sends a write (what the progress bar counts).
    pub fn is_write(&self) -> bool {
        match self {
            Plan::Link { fields, .. } => !fields.is_empty(),
            Plan::Create | Plan::Update { .. } => true,
            Plan::Unchanged | Plan::Refresh(_) | Plan::Skip(_) => false,
        }
    }
}

/// The plans of `items`, in order. An upstream article linked to an item
/// joins `claimed`, so no two items link to the same one.
pub(super) fn plan(
    items: &[SourceItem],
    state: &StateStore,
    upstream: &Upstream,
    opts: &JobOptions,
    claimed: &mut BTreeSet<i64>,
    drift: &mut Vec<String>,
) -> Vec<Plan> {
    let mut plans = Vec::with_capacity(items.len());
    for item in items {
        // Link an unclaimed upstream article with the same title(s), if any.
        let mut link_or_create = |resumed: bool| match find_candidate(item, upstream, claimed) {
            Some(a) => {
                claimed.insert(a.id);
                let mut fields = item.fields_differing_from(a);
                if opts.publish && !a.published {
                    fields.push("published".into());
                }
                Plan::Link {
                    article: Box::new(a.clone()),
                    fields,
                    resumed,
                }
            }
            None => Plan::Create,
        };
        let plan = match state.data.items.get(&item.external_id) {
            None if opts.adopt_existing => link_or_create(false),
            None => Plan::Create,
            Some(s) => match s.article_id {
                None => link_or_create(true),
                Some(_) if !upstream.walked => Plan::Unchanged,
                Some(id) => plan_existing(item, s, id, upstream.get(id), opts, drift),
            },
        };
        plans.push(plan);
    }
    plans
}

/// The plan of an item we wrote before as article `id`: nothing, a PATCH
/// of what changed, or nothing with the reason (drift).
fn plan_existing(
    item: &SourceItem,
    s: &ItemState,
    id: i64,
    upstream: Option<&Article>,
    opts: &JobOptions,
    drift: &mut Vec<String>,
) -> Plan {
    let ours = item.field_hashes();
    let mut fields: Vec<String> = ours
        .iter()
        .filter(|(k, v)| s.fields.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    fields.sort();
    let publish = opts.publish && !s.published;
    let Some(article) = upstream else {
        let reason = format!(
            "article {id} is no longer in category {} upstream (deleted or moved); not recreated: \
             remove '{}' from the state file to create it again",
            s.fields_category().unwrap_or(item.category),
            item.external_id
        );
        drift.push(format!(
            "{}: article {id} deleted or moved upstream",
            item.external_id
        ));
        return Plan::Skip(reason);
    };
    let edited = !s.updated_at.is_empty() && article.updated_at != s.updated_at;
    if edited {
        drift.push(format!(
            "{}: article {id} edited upstream (updated_at {}, our last write left {})",
            item.external_id, article.updated_at, s.updated_at
        ));
        if opts.force {
            // Make the article equal to the source again.
            for f in item.fields_differing_from(article) {
                if !fields.contains(&f) {
                    fields.push(f);
                }
            }
            fields.sort();
            if fields.is_empty() && !publish {
                return Plan::Refresh(Box::new(article.clone()));
            }
        } else if !fields.is_empty() || publish {
            return Plan::Skip(format!(
                "article {id} was edited upstream since our last write; not overwritten (rerun \
                 with --force to overwrite it with the source)"
            ));
        }
    }
    if fields.is_empty() && !publish {
        Plan::Unchanged
    } else {
        Plan::Update {
            article_id: id,
            fields,
            publish,
        }
    }
}

/// An unclaimed article in the item's category with the item's titles in
/// every language; one whose contents match too is preferred.
fn find_candidate<'a>(
    item: &SourceItem,
    upstream: &'a Upstream,
    claimed: &BTreeSet<i64>,
) -> Option<&'a Article> {
    let candidates: Vec<&Article> = upstream
        .in_category(item.category)
        .filter(|a| !claimed.contains(&a.id))
        .filter(|a| item.title_matches(a))
        .collect();
    candidates
        .iter()
        .find(|a| item.content_matches(a))
        .or_else(|| candidates.first())
        .copied()
}
