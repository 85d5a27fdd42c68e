//! The write engine shared by `hcs import` and `hcs sync`: compare the
//! source with the state file (and, for items already written, with what
//! is upstream), plan, then write one item at a time, recording each write
//! in the state file as soon as the API has answered.
//!
//! Guarantees:
//! - an item whose content hash and publish state match the state file
//!   costs no request;
//! - a changed item gets one PATCH carrying only the fields that changed;
//! - before every POST an intent is stored; an item found with an intent
//!   and no article id (the process died between the POST and the state
//!   write, or the POST got a 5xx/timeout) is looked up upstream by its
//!   titles in its category before anything is created;
//! - an article edited upstream since our last write is reported and not
//!   overwritten (unless `force`); one deleted upstream is reported and not
//!   recreated.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hc_client::{ArticleQuery, Client, ClientError};
use hc_core::Article;

use crate::item::SourceItem;
use crate::report::{Failure, Progress, Summary, Written};
use crate::state::{now_secs, CreateIntent, ItemState, StateStore};

/// The flags both write jobs (`import`, `sync`) take.
#[derive(Debug, Clone, clap::Args)]
pub struct JobFlags {
    /// Print the plan; send no write.
    #[arg(long)]
    pub dry_run: bool,
    /// Link items the state file does not know to an article with the same
    /// title(s) already in their category instead of creating a duplicate
    /// (for recovering from a lost state file).
    #[arg(long)]
    pub adopt_existing: bool,
    /// Read the target categories even when nothing changed, to report
    /// articles edited or deleted upstream (otherwise checked only before
    /// writing).
    #[arg(long)]
    pub check_drift: bool,
    /// Overwrite articles edited upstream since the last run.
    #[arg(long)]
    pub force: bool,
}

impl JobFlags {
    pub fn options(&self, publish: bool) -> JobOptions {
        JobOptions {
            publish,
            dry_run: self.dry_run,
            adopt_existing: self.adopt_existing,
            force: self.force,
            create_attempts: 3,
            check_drift: self.check_drift,
        }
    }
}

/// How one run of the write engine behaves.
#[derive(Debug, Clone, Default)]
pub struct JobOptions {
    /// Create published; PATCH `published: true` on items imported as drafts.
    pub publish: bool,
    pub dry_run: bool,
    /// Link items with no state entry to an article with the same titles
    /// already in their category instead of creating one.
    pub adopt_existing: bool,
    /// Overwrite articles edited upstream since our last write.
    pub force: bool,
    /// Creates tried again after a 5xx/timeout whose article is not found.
    pub create_attempts: u32,
    /// Read the target categories even when nothing needs writing, to
    /// report articles edited or deleted upstream.
    pub check_drift: bool,
}

/// Stops the whole run: every other item would fail the same way.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    #[error(
        "HC_API_KEY is a Read Only key: the API answered 403 ({0}). This job needs a Read & Write \
         key: generate one in Settings → API Keys (and delete it when the job is done)."
    )]
    ReadOnlyKey(String),
    #[error("the API refused HC_API_KEY (401): {0}")]
    Unauthorized(String),
    #[error("cannot read the articles already in category {category}: {source}")]
    Listing {
        category: i64,
        #[source]
        source: ClientError,
    },
    #[error(transparent)]
    State(#[from] crate::state::StateError),
}

#[derive(Debug, Clone)]
enum Plan {
    Create,
    /// Link to this existing article, PATCHing these fields.
    Link {
        article: Box<Article>,
        fields: Vec<String>,
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
    Skip(String),
}

fn fatal_of(e: &ClientError) -> Option<Fatal> {
    match e {
        ClientError::Forbidden(body) => Some(Fatal::ReadOnlyKey(body.summary())),
        ClientError::Unauthorized(body) => Some(Fatal::Unauthorized(body.summary())),
        _ => None,
    }
}

/// Runs one job. Per-item API errors land in the summary; only errors that
/// doom every item (a Read Only key, an unreadable state) are returned.
pub async fn run(
    client: &Client,
    items: &[SourceItem],
    state: &mut StateStore,
    opts: &JobOptions,
    progress_quiet: bool,
) -> Result<Summary, Fatal> {
    let mut summary = Summary {
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let in_source: BTreeSet<&str> = items.iter().map(|i| i.external_id.as_str()).collect();
    summary.gone_from_source = state
        .data
        .items
        .iter()
        .filter(|(id, _)| !in_source.contains(id.as_str()))
        .map(|(id, s)| match s.article_id {
            Some(a) => format!("{id} (article {a})"),
            None => id.clone(),
        })
        .collect();

    // What is upstream: one paged walk per category involved, needed before
    // any write to an item we wrote before (drift must not be overwritten),
    // to resume an interrupted create, and for --adopt-existing. A run in
    // which nothing changed (and a first run) sends no request at all,
    // unless `check_drift` asks for the drift report anyway.
    let walk = opts.check_drift
        || opts.adopt_existing
        || items.iter().any(|item| {
            state.data.items.get(&item.external_id).is_some_and(|s| {
                s.article_id.is_none()
                    || s.hash != item.content_hash()
                    || (opts.publish && !s.published)
            })
        });
    let mut categories: BTreeSet<i64> = BTreeSet::new();
    for item in items.iter().filter(|_| walk) {
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
    let mut upstream: HashMap<i64, Article> = HashMap::new();
    let mut by_category: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &category in &categories {
        let list = client
            .list_all_articles(&ArticleQuery {
                category_id: Some(category),
                ..Default::default()
            })
            .await
            .map_err(|source| fatal_of(&source).unwrap_or(Fatal::Listing { category, source }))?;
        for a in list {
            by_category.entry(category).or_default().push(a.id);
            upstream.insert(a.id, a);
        }
    }
    let mut claimed: BTreeSet<i64> = state
        .data
        .items
        .values()
        .filter_map(|s| s.article_id)
        .collect();

    // Plan.
    let mut plans = Vec::with_capacity(items.len());
    for item in items {
        // Link an unclaimed upstream article with the same title(s), if any.
        let mut link_or_create =
            |resumed: bool| match find_candidate(item, &by_category, &upstream, &claimed) {
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
                Some(_) if !walk => Plan::Unchanged,
                Some(id) => plan_existing(item, s, id, upstream.get(&id), opts, &mut summary),
            },
        };
        plans.push(plan);
    }

    let writes = plans
        .iter()
        .filter(|p| match p {
            Plan::Link { fields, .. } => !fields.is_empty(),
            Plan::Create | Plan::Update { .. } => true,
            _ => false,
        })
        .count() as u64;
    let progress = if opts.dry_run || progress_quiet {
        Progress::quiet()
    } else {
        Progress::new(writes, false)
    };
    let say = |msg: String| {
        if opts.dry_run && !progress_quiet {
            println!("{msg}");
        } else {
            progress.line(&msg);
        }
    };

    let mut streak = 0u32;
    let total = items.len();
    for (done, (item, plan)) in items.iter().zip(plans).enumerate() {
        if streak >= MAX_TRANSIENT_STREAK {
            let last = summary
                .failed
                .last()
                .map(|f| f.reason.clone())
                .unwrap_or_default();
            summary.stopped = Some(format!(
                "stopped after {streak} items in a row failed because the API was unavailable \
                 (last: {last}); {} items not attempted; rerun to resume",
                total - done
            ));
            break;
        }
        let id = &item.external_id;
        match plan {
            Plan::Unchanged => summary.unchanged += 1,
            Plan::Refresh(_) if opts.dry_run => summary.unchanged += 1,
            Plan::Refresh(article) => {
                let published = state.data.items.get(id).is_some_and(|s| s.published);
                record_written(state, item, &article, published)?;
                summary.unchanged += 1;
            }
            Plan::Skip(reason) => {
                say(format!("skipped  {id}: {reason}"));
                summary.failed.push(failure(item, reason));
            }
            Plan::Create if opts.dry_run => {
                let langs: Vec<String> = item.languages().map(|l| l.to_string()).collect();
                say(format!(
                    "would create  {id} \"{}\" [{}] in category {}{}",
                    item.display_title(),
                    langs.join(", "),
                    item.category,
                    if opts.publish {
                        ", published"
                    } else {
                        " as a draft"
                    }
                ));
                summary.created.push(written(item, None, Vec::new()));
            }
            Plan::Link {
                article, fields, ..
            } if opts.dry_run => {
                say(format!(
                    "would link  {id} to article {} already upstream{}",
                    article.id,
                    if fields.is_empty() {
                        String::new()
                    } else {
                        format!(" and update {}", fields.join(", "))
                    }
                ));
                summary.linked.push(written(item, Some(article.id), fields));
            }
            Plan::Update {
                article_id,
                mut fields,
                publish,
            } if opts.dry_run => {
                if publish {
                    fields.push("published".into());
                }
                say(format!(
                    "would update  {id} (article {article_id}): {}",
                    fields.join(", ")
                ));
                summary
                    .updated
                    .push(written(item, Some(article_id), fields));
            }
            Plan::Create => {
                let outcome = create(client, item, state, opts, &claimed).await;
                progress.step();
                match outcome {
                    Ok((article, how)) => {
                        claimed.insert(article.id);
                        streak = 0;
                        say(format!("{how}  {id} → article {}", article.id));
                        let w = written(item, Some(article.id), Vec::new());
                        if how == "created" {
                            summary.created.push(w);
                        } else {
                            summary.linked.push(w);
                        }
                    }
                    Err(ItemError::Fatal(f)) => {
                        progress.finish();
                        return Err(f);
                    }
                    Err(ItemError::Failed { reason, transient }) => {
                        say(format!("FAILED  {id}: {reason}"));
                        summary.failed.push(failure(item, reason));
                        streak = if transient { streak + 1 } else { 0 };
                    }
                }
            }
            Plan::Link {
                article,
                fields,
                resumed,
            } => {
                let result = if fields.is_empty() {
                    Ok((*article).clone())
                } else {
                    progress.step();
                    patch(client, item, article.id, &fields).await
                };
                match result {
                    Ok(a) => {
                        let published = a.published;
                        record_written(state, item, &a, published)?;
                        streak = 0;
                        say(format!(
                            "linked  {id} → article {} ({}){}",
                            a.id,
                            if resumed {
                                "created by an interrupted run"
                            } else {
                                "already upstream"
                            },
                            if fields.is_empty() {
                                String::new()
                            } else {
                                format!(", updated {}", fields.join(", "))
                            }
                        ));
                        summary.linked.push(written(item, Some(a.id), fields));
                    }
                    Err(e) => {
                        if let Some(f) = fatal_of(&e) {
                            progress.finish();
                            return Err(f);
                        }
                        let reason = e.to_string();
                        say(format!("FAILED  {id}: {reason}"));
                        summary.failed.push(failure(item, reason));
                        streak = if e.is_transient() { streak + 1 } else { 0 };
                    }
                }
            }
            Plan::Update {
                article_id,
                mut fields,
                publish,
            } => {
                if publish {
                    fields.push("published".into());
                }
                progress.step();
                match patch(client, item, article_id, &fields).await {
                    Ok(a) => {
                        let published = state.data.items.get(id).is_some_and(|s| s.published)
                            || publish
                            || a.published;
                        record_written(state, item, &a, published)?;
                        streak = 0;
                        say(format!(
                            "updated  {id} (article {article_id}): {}",
                            fields.join(", ")
                        ));
                        summary
                            .updated
                            .push(written(item, Some(article_id), fields));
                    }
                    Err(e) => {
                        if let Some(f) = fatal_of(&e) {
                            progress.finish();
                            return Err(f);
                        }
                        let reason = if e.status() == Some(404) {
                            format!(
                                "article {article_id} no longer exists upstream (deleted); not \
                                 recreated: remove '{id}' from the state file to create it again"
                            )
                        } else {
                            e.to_string()
                        };
                        say(format!("FAILED  {id}: {reason}"));
                        summary.failed.push(failure(item, reason));
                        streak = if e.is_transient() { streak + 1 } else { 0 };
                    }
                }
            }
        }
    }
    progress.finish();
    Ok(summary)
}

fn written(item: &SourceItem, article_id: Option<i64>, fields: Vec<String>) -> Written {
    Written {
        external_id: item.external_id.clone(),
        article_id,
        fields,
    }
}

fn failure(item: &SourceItem, reason: String) -> Failure {
    Failure {
        external_id: item.external_id.clone(),
        origin: item.origin.clone(),
        reason,
    }
}

fn plan_existing(
    item: &SourceItem,
    s: &ItemState,
    id: i64,
    upstream: Option<&Article>,
    opts: &JobOptions,
    summary: &mut Summary,
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
        summary.drift.push(format!(
            "{}: article {id} deleted or moved upstream",
            item.external_id
        ));
        return Plan::Skip(reason);
    };
    let edited = !s.updated_at.is_empty() && article.updated_at != s.updated_at;
    if edited {
        summary.drift.push(format!(
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
    by_category: &BTreeMap<i64, Vec<i64>>,
    upstream: &'a HashMap<i64, Article>,
    claimed: &BTreeSet<i64>,
) -> Option<&'a Article> {
    let ids = by_category.get(&item.category)?;
    let candidates: Vec<&Article> = ids
        .iter()
        .filter(|id| !claimed.contains(id))
        .filter_map(|id| upstream.get(id))
        .filter(|a| item.title_matches(a))
        .collect();
    candidates
        .iter()
        .find(|a| item.content_matches(a))
        .or_else(|| candidates.first())
        .copied()
}

enum ItemError {
    Fatal(Fatal),
    /// `transient`: the API was unavailable (5xx, timeouts, 429s to the end).
    Failed {
        reason: String,
        transient: bool,
    },
}

impl ItemError {
    fn of(e: &ClientError) -> Self {
        ItemError::Failed {
            reason: e.to_string(),
            transient: e.is_transient(),
        }
    }
}

/// Items failing in a row for a transient reason before the run stops.
pub const MAX_TRANSIENT_STREAK: u32 = 5;

impl From<crate::state::StateError> for ItemError {
    fn from(e: crate::state::StateError) -> Self {
        ItemError::Fatal(Fatal::State(e))
    }
}

/// POST with an intent recorded first. After an answer that leaves it open
/// whether the article was created (5xx, timeout, a dropped connection),
/// look for it upstream before trying again.
async fn create(
    client: &Client,
    item: &SourceItem,
    state: &mut StateStore,
    opts: &JobOptions,
    claimed: &BTreeSet<i64>,
) -> Result<(Article, &'static str), ItemError> {
    let key = item.external_id.clone();
    state.data.items.insert(
        key.clone(),
        ItemState {
            article_id: None,
            hash: String::new(),
            fields: BTreeMap::new(),
            published: false,
            updated_at: String::new(),
            category: None,
            intent: Some(CreateIntent {
                hash: item.content_hash(),
                category: item.category,
                at: now_secs(),
            }),
        },
    );
    state.save()?;
    let request = item.create_request(opts.publish);
    let attempts = opts.create_attempts.max(1);
    let mut last_error = String::new();
    for attempt in 1..=attempts {
        match client.create_article(&request).await {
            Ok(article) => {
                record_written(state, item, &article, opts.publish)?;
                return Ok((article, "created"));
            }
            Err(e) => {
                if let Some(f) = fatal_of(&e) {
                    state.data.items.remove(&key);
                    state.save()?;
                    return Err(ItemError::Fatal(f));
                }
                let maybe_applied = matches!(e.status(), None | Some(500..))
                    && !matches!(e, ClientError::RateLimited { .. });
                if !maybe_applied {
                    // Refused (4xx, or 429s to the end): nothing was created.
                    state.data.items.remove(&key);
                    state.save()?;
                    return Err(ItemError::of(&e));
                }
                last_error = e.to_string();
                tracing::warn!(external_id = %key, attempt, error = %e, "create may or may not have been applied; looking it up");
                match lookup(client, item, claimed).await {
                    Ok(Some(article)) => {
                        let fields = item.fields_differing_from(&article);
                        let article = if fields.is_empty() {
                            article
                        } else {
                            patch(client, item, article.id, &fields)
                                .await
                                .map_err(|e| ItemError::of(&e))?
                        };
                        record_written(state, item, &article, opts.publish)?;
                        return Ok((article, "created"));
                    }
                    Ok(None) => continue,
                    Err(e) => {
                        return Err(ItemError::Failed {
                            reason: format!(
                                "{last_error}; and looking the article up failed ({e}); the \
                                 intent is kept, rerun to resume"
                            ),
                            transient: true,
                        })
                    }
                }
            }
        }
    }
    Err(ItemError::Failed {
        reason: format!(
            "{last_error} ({attempts} attempts; the article was not found upstream; rerun to resume)"
        ),
        transient: true,
    })
}

/// The item's article upstream, if a create of it was applied: searched by
/// its title in its category.
async fn lookup(
    client: &Client,
    item: &SourceItem,
    claimed: &BTreeSet<i64>,
) -> Result<Option<Article>, ClientError> {
    let title: String = item.display_title().chars().take(200).collect();
    let found = client
        .list_all_articles(&ArticleQuery {
            search: Some(title),
            category_id: Some(item.category),
            ..Default::default()
        })
        .await?;
    let candidates: Vec<&Article> = found
        .iter()
        .filter(|a| !claimed.contains(&a.id) && item.title_matches(a))
        .collect();
    Ok(candidates
        .iter()
        .find(|a| item.content_matches(a))
        .or_else(|| candidates.first())
        .map(|a| (*a).clone()))
}

async fn patch(
    client: &Client,
    item: &SourceItem,
    article_id: i64,
    fields: &[String],
) -> Result<Article, ClientError> {
    let mut request = item.update_request(fields);
    if fields.iter().any(|f| f == "published") {
        request.published = Some(true);
    }
    client.update_article(article_id, &request).await
}

fn record_written(
    state: &mut StateStore,
    item: &SourceItem,
    article: &Article,
    published: bool,
) -> Result<(), crate::state::StateError> {
    state.data.items.insert(
        item.external_id.clone(),
        ItemState {
            article_id: Some(article.id),
            hash: item.content_hash(),
            fields: item.field_hashes(),
            published: published || article.published,
            updated_at: article.updated_at.clone(),
            category: Some(item.category),
            intent: None,
        },
    );
    state.save()
}
