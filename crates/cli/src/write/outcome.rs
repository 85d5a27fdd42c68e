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

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> SourceItem {
        SourceItem {
            external_id: "faq-1".into(),
            origin: "row 2".into(),
            category: 7,
            translations: Default::default(),
        }
    }

    /// A transient failure extends a streak, a write or a lasting failure
    /// ends it, and what sends nothing leaves it as it was.
    #[test]
    fn only_transient_failures_make_a_streak() {
        let failed = |transient| Outcome::Failed {
            reason: "x".into(),
            transient,
        };
        assert_eq!(failed(true).streak_after(2), 3);
        assert_eq!(failed(false).streak_after(2), 0);
        assert_eq!(Outcome::Created { article_id: 1 }.streak_after(4), 0);
        for quiet in [
            Outcome::Unchanged,
            Outcome::Skipped { reason: "x".into() },
            Outcome::WouldCreate { published: true },
        ] {
            assert_eq!(quiet.streak_after(4), 4, "{quiet:?}");
        }
    }

    /// A dry run's outcomes count where the real ones would, with no
    /// article id for a create; skipped items count as failed.
    #[test]
    fn outcomes_land_in_their_rows_of_the_summary() {
        let mut summary = Summary::default();
        let item = item();
        for outcome in [
            Outcome::WouldCreate { published: false },
            Outcome::Created { article_id: 3 },
            Outcome::WouldUpdate {
                article_id: 3,
                fields: vec!["published".into()],
            },
            Outcome::Skipped {
                reason: "edited upstream".into(),
            },
            Outcome::Unchanged,
        ] {
            outcome.add_to(&mut summary, &item);
        }
        let ids: Vec<Option<i64>> = summary.created.iter().map(|w| w.article_id).collect();
        assert_eq!(ids, [None, Some(3)]);
        assert_eq!(summary.updated[0].fields, ["published"]);
        assert_eq!(summary.failed[0].reason, "edited upstream");
        assert_eq!(summary.failed[0].origin, "row 2");
        assert_eq!(summary.unchanged, 1);
        assert_eq!(
            Outcome::Created { article_id: 3 }.line(&item).as_deref(),
            Some("created  faq-1 → article 3")
        );
        assert_eq!(Outcome::Unchanged.line(&item), None);
    }
}
