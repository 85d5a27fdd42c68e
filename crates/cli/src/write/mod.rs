//! The write workflows, `hcs import` and `hcs sync`, and the run both
//! share: compare the source with the state file (and, for items already
//! written, with what is upstream), plan, then write one item at a time,
//! recording each write in the state file as soon as the API has answered.
//!
//! A run is three steps, a module each: `walk` reads what is upstream
//! (only when an item needs it), `plan` decides one `Plan` per item without
//! a request, and `execute` carries each plan out and says what came of it
//! as an [`Outcome`], which [`run`] prints and adds to the [`Summary`].
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

pub mod import;
pub mod item;
pub mod report;
pub mod state;
pub mod sync;

mod execute;
mod outcome;
mod plan;
mod walk;

use std::collections::BTreeSet;

use hc_client::{Client, ClientError};

pub use outcome::Outcome;

use item::SourceItem;
use report::{Progress, Summary};
use state::StateStore;

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

/// How one run behaves.
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
    State(#[from] state::StateError),
}

impl Fatal {
    /// The API error that dooms every item (the key), if `e` is one.
    fn of(e: &ClientError) -> Option<Fatal> {
        match e {
            ClientError::Forbidden(body) => Some(Fatal::ReadOnlyKey(body.summary())),
            ClientError::Unauthorized(body) => Some(Fatal::Unauthorized(body.summary())),
            _ => None,
        }
    }
}

/// Items failing in a row for a transient reason before the run stops.
pub const MAX_TRANSIENT_STREAK: u32 = 5;

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
        gone_from_source: gone_from_source(items, state),
        ..Default::default()
    };
    let upstream = walk::walk(client, items, state, opts).await?;
    let mut claimed: BTreeSet<i64> = state
        .data
        .items
        .values()
        .filter_map(|s| s.article_id)
        .collect();
    let plans = plan::plan(
        items,
        state,
        &upstream,
        opts,
        &mut claimed,
        &mut summary.drift,
    );

    let writes = plans.iter().filter(|p| p.is_write()).count() as u64;
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

    let mut executor = execute::Executor {
        client,
        state,
        opts,
        claimed,
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
        if plan.is_write() {
            progress.step();
        }
        let outcome = match executor.execute(item, plan).await {
            Ok(outcome) => outcome,
            Err(fatal) => {
                progress.finish();
                return Err(fatal);
            }
        };
        if let Some(line) = outcome.line(item) {
            say(line);
        }
        streak = outcome.streak_after(streak);
        outcome.add_to(&mut summary, item);
    }
    progress.finish();
    Ok(summary)
}

/// Items of the state file that the source no longer has, for the report
/// (the API has no delete, so their articles stay).
fn gone_from_source(items: &[SourceItem], state: &StateStore) -> Vec<String> {
    let in_source: BTreeSet<&str> = items.iter().map(|i| i.external_id.as_str()).collect();
    state
        .data
        .items
        .iter()
        .filter(|(id, _)| !in_source.contains(id.as_str()))
        .map(|(id, s)| match s.article_id {
            Some(a) => format!("{id} (article {a})"),
            None => id.clone(),
        })
        .collect()
}
