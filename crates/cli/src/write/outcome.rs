//! What came of one item's plan: the value the execute step hands back to
//! the run, which prints its line, counts it towards a stop (a streak of
//! transient failures) and adds it to the summary.

use super::item::SourceItem;
use super::report::{Failure, Summary, Written};

/// What happened to one item (or, in a dry run, would happen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to write: the source equals our last write (the state file
    /// may have caught up with upstream's `updated_at`).
    Unchanged,
    /// Not attempted, for this reason (drift): reported as a failure.
    Skipped { reason: String },
    /// Dry run: a POST would be sent.
    WouldCreate { published: bool },
    /// Dry run: the item would be linked to an article already upstream.
    WouldLink {
        article_id: i64,
        fields: Vec<String>,
    },
    /// Dry run: a PATCH of these fields would be sent.
    WouldUpdate {
        article_id: i64,
        fields: Vec<String>,
    },
    /// A new article; also one an earlier attempt's POST created, found by
    /// looking it up after an answer that left it open.
    Created { article_id: i64 },
    /// An existing article now linked to the item, PATCHed with `fields`.
    Linked {
        article_id: i64,
        fields: Vec<String>,
        /// Created by an interrupted run of ours (else found by
        /// `--adopt-existing`).
        resumed: bool,
    },
    /// These fields PATCHed.
    Updated {
        article_id: i64,
        fields: Vec<String>,
    },
    /// The write failed; `transient`: because the API was unavailable
    /// (5xx, timeouts, 429s to the end).
    Failed { reason: String, transient: bool },
}

impl Outcome {
    /// The line to show for it, if any.
    pub fn line(&self, item: &SourceItem) -> Option<String> {
        let id = &item.external_id;
        let and_fields = |lead: &str, fields: &[String]| {
            if fields.is_empty() {
                String::new()
            } else {
                format!("{lead}{}", fields.join(", "))
            }
        };
        Some(match self {
            Outcome::Unchanged => return None,
            Outcome::Skipped { reason } => format!("skipped  {id}: {reason}"),
            Outcome::WouldCreate { published } => {
                let langs: Vec<String> = item.languages().map(|l| l.to_string()).collect();
                format!(
                    "would create  {id} \"{}\" [{}] in category {}{}",
                    item.display_title(),
                    langs.join(", "),
                    item.category,
                    if *published {
                        ", published"
                    } else {
                        " as a draft"
                    }
                )
            }
            Outcome::WouldLink { article_id, fields } => format!(
                "would link  {id} to article {article_id} already upstream{}",
                and_fields(" and update ", fields)
            ),
            Outcome::WouldUpdate { article_id, fields } => format!(
                "would update  {id} (article {article_id}): {}",
                fields.join(", ")
            ),
            Outcome::Created { article_id } => format!("created  {id} → article {article_id}"),
            Outcome::Linked {
                article_id,
                fields,
                resumed,
            } => format!(
                "linked  {id} → article {article_id} ({}){}",
                if *resumed {
                    "created by an interrupted run"
                } else {
                    "already upstream"
                },
                and_fields(", updated ", fields)
            ),
            Outcome::Updated { article_id, fields } => format!(
                "updated  {id} (article {article_id}): {}",
                fields.join(", ")
            ),
            Outcome::Failed { reason, .. } => format!("FAILED  {id}: {reason}"),
        })
    }

    /// Items failed in a row for a transient reason, this one included: a
    /// write that succeeds or fails for a lasting reason ends a streak;
    /// what sends nothing leaves it as it was.
    pub fn streak_after(&self, streak: u32) -> u32 {
        match self {
            Outcome::Created { .. } | Outcome::Linked { .. } | Outcome::Updated { .. } => 0,
            Outcome::Failed { transient, .. } => {
                if *transient {
                    streak + 1
                } else {
                    0
                }
            }
            Outcome::Unchanged
            | Outcome::Skipped { .. }
            | Outcome::WouldCreate { .. }
            | Outcome::WouldLink { .. }
            | Outcome::WouldUpdate { .. } => streak,
        }
    }

    /// Counts it in the run's summary.
    pub fn add_to(self, summary: &mut Summary, item: &SourceItem) {
        let written = |article_id: Option<i64>, fields: Vec<String>| Written {
            external_id: item.external_id.clone(),
            article_id,
            fields,
        };
        let failure = |reason: String| Failure {
            external_id: item.external_id.clone(),
            origin: item.origin.clone(),
            reason,
        };
        match self {
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Skipped { reason } | Outcome::Failed { reason, .. } => {
                summary.failed.push(failure(reason));
            }
            Outcome::WouldCreate { .. } => summary.created.push(written(None, Vec::new())),
            Outcome::Created { article_id } => {
                summary.created.push(written(Some(article_id), Vec::new()));
            }
            Outcome::WouldLink { article_id, fields }
            | Outcome::Linked {
                article_id, fields, ..
            } => {
                summary.linked.push(written(Some(article_id), fields));
            }
            Outcome::WouldUpdate { article_id, fields }
            | Outcome::Updated { article_id, fields } => {
                summary.updated.push(written(Some(article_id), fields));
            }
        }
    }
}
