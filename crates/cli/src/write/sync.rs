//! `hcs sync`: a folder of Markdown release notes mirrored into one
//! category. New files create articles (published, as the reference's
//! release-notes workflow does, unless `--draft`), changed files PATCH only
//! what changed, unchanged files cost no request.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use hc_client::Client;
use hc_core::LangCode;

use super::import::markdown_source;
use super::item::{merge_source, SourceItem};
use super::report::Summary;
use super::state::StateStore;
use super::JobFlags;
use crate::api::ApiArgs;

/// Mirror a folder of Markdown release notes into one category.
#[derive(Debug, Clone, clap::Args)]
pub struct SyncArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// Folder of Markdown files with front matter (title; optional lang,
    /// slug, external_id).
    #[arg(long)]
    pub from: PathBuf,
    /// The category every note goes to.
    #[arg(long)]
    pub category: i64,
    /// Language of files that do not name one.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Create new notes as drafts instead of publishing them.
    #[arg(long)]
    pub draft: bool,
    #[command(flatten)]
    pub job: JobFlags,
    /// State file (default DIR/.hcs-sync-state.json).
    #[arg(long)]
    pub state: Option<PathBuf>,
}

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    args: SyncArgs,
}

impl SyncArgs {
    /// Parses command-line words (without `hcs sync`), for tests.
    pub fn from_words<I: IntoIterator<Item = S>, S: Into<String>>(
        words: I,
    ) -> anyhow::Result<Self> {
        let all = std::iter::once("sync".to_string()).chain(words.into_iter().map(Into::into));
        Ok(Wrapper::try_parse_from(all)?.args)
    }

    pub fn state_path(&self) -> PathBuf {
        self.state
            .clone()
            .unwrap_or_else(|| self.from.join(".hcs-sync-state.json"))
    }

    pub fn load_items(&self) -> anyhow::Result<Vec<SourceItem>> {
        let lang = LangCode::parse(&self.lang).context("--lang")?;
        anyhow::ensure!(
            self.category > 0,
            "--category must be a category id (a positive number)"
        );
        anyhow::ensure!(self.from.is_dir(), "{}: not a folder", self.from.display());
        let records = markdown_source::read_dir(&self.from, &lang, self.category, true)?;
        merge_source(records, &self.from)
    }
}

pub async fn run_with_client(
    client: &Client,
    args: &SyncArgs,
    quiet: bool,
) -> anyhow::Result<Summary> {
    let items = args.load_items()?;
    let mut state = StateStore::open(
        &args.state_path(),
        &args.api.normalized(),
        "sync",
        !args.job.dry_run,
    )?;
    let opts = args.job.options(!args.draft);
    let summary = super::run(client, &items, &mut state, &opts, quiet).await?;
    if !quiet {
        print!("{}", summary.table("sync"));
    }
    Ok(summary)
}

pub async fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let client = args.api.client()?;
    let summary = run_with_client(&client, &args, false).await?;
    Ok(super::import::exit_code(&summary))
}
