//! The third step of a write run: carry out one item's plan against the API
//! and the state file, and say what came of it as an [`Outcome`]. A dry run
//! stops here, before any request.
//!
//! A create stores its intent first; after an answer that leaves it open
//! whether the article was created (5xx, timeout, a dropped connection), it
//! looks for the article upstream before trying again.

use std::collections::{BTreeMap, BTreeSet};

use hc_client::{ArticleQuery, Client, ClientError};
use hc_core::Article;

use super::item::SourceItem;
use super::outcome::Outcome;
use super::plan::Plan;
use super::state::{now_secs, CreateIntent, ItemState, StateError, StateStore};
use super::{Fatal, JobOptions};

/// What the execute step works with across items.
pub(super) struct Executor<'a> {
    pub client: &'a Client,
    pub state: &'a mut StateStore,
    pub opts: &'a JobOptions,
    /// Article ids linked to an item: never taken for another one.
    pub claimed: BTreeSet<i64>,
}

/// Why one create did not give an article.
enum CreateError {
    Fatal(Fatal),
    Failed { reason: String, transient: bool },
}

impl CreateError {
    fn of(e: &ClientError) -> Self {
        CreateError::Failed {
            reason: e.to_string(),
            transient: e.is_transient(),
        }
    }
}

impl From<StateError> for CreateError {
    fn from(e: StateError) -> Self {
        CreateError::Fatal(Fatal::State(e))
    }
}

impl Executor<'_> {
    /// Carries out `plan` for `item`. Errors that doom every item are
    /// returned; everything else is an [`Outcome`].
    pub async fn execute(&mut self, item: &SourceItem, plan: Plan) -> Result<Outcome, Fatal> {
        let dry_run = self.opts.dry_run;
        match plan {
            Plan::Unchanged => Ok(Outcome::Unchanged),
            Plan::Refresh(_) if dry_run => Ok(Outcome::Unchanged),
            Plan::Refresh(article) => {
                let published = self
                    .state
                    .data
                    .items
                    .get(&item.external_id)
                    .is_some_and(|s| s.published);
                record_written(self.state, item, &article, published)?;
                Ok(Outcome::Unchanged)
            }
            Plan::Skip(reason) => Ok(Outcome::Skipped { reason }),
            Plan::Create if dry_run => Ok(Outcome::WouldCreate {
                published: self.opts.publish,
            }),
            Plan::Link {
                article, fields, ..
            } if dry_run => Ok(Outcome::WouldLink {
                article_id: article.id,
                fields,
            }),
            Plan::Update {
                article_id,
                mut fields,
                publish,
            } if dry_run => {
                if publish {
                    fields.push("published".into());
                }
                Ok(Outcome::WouldUpdate { article_id, fields })
            }
            Plan::Create => match self.create(item).await {
                Ok(article) => {
                    self.claimed.insert(article.id);
                    Ok(Outcome::Created {
                        article_id: article.id,
                    })
                }
                Err(CreateError::Fatal(f)) => Err(f),
                Err(CreateError::Failed { reason, transient }) => {
                    Ok(Outcome::Failed { reason, transient })
                }
            },
            Plan::Link {
                article,
                fields,
                resumed,
            } => {
                let result = if fields.is_empty() {
                    Ok(*article)
                } else {
                    patch(self.client, item, article.id, &fields).await
                };
                match result {
                    Ok(a) => {
                        record_written(self.state, item, &a, a.published)?;
                        Ok(Outcome::Linked {
                            article_id: a.id,
                            fields,
                            resumed,
                        })
                    }
                    Err(e) => failed(&e, e.to_string()),
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
                match patch(self.client, item, article_id, &fields).await {
                    Ok(a) => {
                        let published = self
                            .state
                            .data
                            .items
                            .get(&item.external_id)
                            .is_some_and(|s| s.published)
                            || publish
                            || a.published;
                        record_written(self.state, item, &a, published)?;
                        Ok(Outcome::Updated { article_id, fields })
                    }
                    Err(e) => {
                        let reason = if e.status() == Some(404) {
                            format!(
                                "article {article_id} no longer exists upstream (deleted); not \
                                 recreated: remove '{}' from the state file to create it again",
                                item.external_id
                            )
                        } else {
                            e.to_string()
                        };
                        failed(&e, reason)
                    }
                }
            }
        }
    }

    /// POST with an intent recorded first. After an answer that leaves it
    /// open whether the article was created, look for it upstream before
    /// trying again.
    async fn create(&mut self, item: &SourceItem) -> Result<Article, CreateError> {
        let (client, opts) = (self.client, self.opts);
        let key = item.external_id.clone();
        self.state.data.items.insert(
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
        self.state.save()?;
        let request = item.create_request(opts.publish);
        let attempts = opts.create_attempts.max(1);
        let mut last_error = String::new();
        for attempt in 1..=attempts {
            let e = match client.create_article(&request).await {
                Ok(article) => {
                    record_written(self.state, item, &article, opts.publish)?;
                    return Ok(article);
                }
                Err(e) => e,
            };
            if let Some(f) = Fatal::of(&e) {
                self.state.data.items.remove(&key);
                self.state.save()?;
                return Err(CreateError::Fatal(f));
            }
            let maybe_applied = matches!(e.status(), None | Some(500..))
                && !matches!(e, ClientError::RateLimited { .. });
            if !maybe_applied {
                // Refused (4xx, or 429s to the end): nothing was created.
                self.state.data.items.remove(&key);
                self.state.save()?;
                return Err(CreateError::of(&e));
            }
            last_error = e.to_string();
            tracing::warn!(external_id = %key, attempt, error = %e, "create may or may not have been applied; looking it up");
            match lookup(client, item, &self.claimed).await {
                Ok(Some(article)) => {
                    let fields = item.fields_differing_from(&article);
                    let article = if fields.is_empty() {
                        article
                    } else {
                        patch(client, item, article.id, &fields)
                            .await
                            .map_err(|e| CreateError::of(&e))?
                    };
                    record_written(self.state, item, &article, opts.publish)?;
                    return Ok(article);
                }
                Ok(None) => continue,
                Err(e) => {
                    return Err(CreateError::Failed {
                        reason: format!(
                            "{last_error}; and looking the article up failed ({e}); the \
                             intent is kept, rerun to resume"
                        ),
                        transient: true,
                    })
                }
            }
        }
        Err(CreateError::Failed {
            reason: format!(
                "{last_error} ({attempts} attempts; the article was not found upstream; rerun to resume)"
            ),
            transient: true,
        })
    }
}

/// A PATCH's error as the item's outcome, unless it dooms every item.
fn failed(e: &ClientError, reason: String) -> Result<Outcome, Fatal> {
    match Fatal::of(e) {
        Some(f) => Err(f),
        None => Ok(Outcome::Failed {
            reason,
            transient: e.is_transient(),
        }),
    }
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

/// Stores what our write left upstream, durably, before the next write.
fn record_written(
    state: &mut StateStore,
    item: &SourceItem,
    article: &Article,
    published: bool,
) -> Result<(), StateError> {
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
