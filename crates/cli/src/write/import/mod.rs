//! `hcs import`: a CSV export or a folder of Markdown into one help
//! center, as drafts unless `--publish`, safe to rerun.

pub mod csv_source;
pub mod markdown_source;

/// Parses YAML (front matter, a CSV mapping file) with serde-saphyr: pure
/// Rust, no `unsafe`, and limits on nesting, aliases and events, so a
/// hostile file is refused with an error rather than exhausting memory.
/// Errors stay on one line (no source snippet): they are listed one per
/// file.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(text, serde_saphyr::options! { with_snippet: false })
}

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use hc_client::Client;
use hc_core::LangCode;

use super::item::{merge_source, SourceItem};
use super::report::Summary;
use super::state::StateStore;
use super::JobFlags;
use crate::api::ApiArgs;

/// Import articles from a CSV file or a folder of Markdown files.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// A CSV file (header row) or a folder of Markdown files with front matter.
    #[arg(long)]
    pub from: PathBuf,
    /// Category id for items that do not name one.
    #[arg(long)]
    pub category: i64,
    /// Language of rows/files that do not name one.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Publish on create, and publish already imported drafts.
    #[arg(long)]
    pub publish: bool,
    #[command(flatten)]
    pub job: JobFlags,
    /// State file (default: next to the CSV as FILE.hcs-state.json, or
    /// DIR/.hcs-import-state.json).
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// CSV column mapping file (YAML/JSON: `title: Question`, …).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// CSV header of the external id column.
    #[arg(long)]
    pub col_external_id: Option<String>,
    /// CSV header of the language column.
    #[arg(long)]
    pub col_language: Option<String>,
    /// CSV header of the title column.
    #[arg(long)]
    pub col_title: Option<String>,
    /// CSV header of the content (HTML) column.
    #[arg(long)]
    pub col_content: Option<String>,
    /// CSV header of the category id column.
    #[arg(long)]
    pub col_category: Option<String>,
    /// CSV header of the slug column.
    #[arg(long)]
    pub col_slug: Option<String>,
}

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    args: ImportArgs,
}

impl ImportArgs {
    /// Parses command-line words (without `hcs import`), for tests.
    pub fn from_words<I: IntoIterator<Item = S>, S: Into<String>>(
        words: I,
    ) -> anyhow::Result<Self> {
        let all = std::iter::once("import".to_string()).chain(words.into_iter().map(Into::into));
        Ok(Wrapper::try_parse_from(all)?.args)
    }

    pub fn state_path(&self) -> PathBuf {
        if let Some(p) = &self.state {
            return p.clone();
        }
        if self.from.is_dir() {
            self.from.join(".hcs-import-state.json")
        } else {
            let mut name = self.from.as_os_str().to_owned();
            name.push(".hcs-state.json");
            PathBuf::from(name)
        }
    }

    /// Reads and checks the whole source before anything is sent.
    pub fn load_items(&self) -> anyhow::Result<Vec<SourceItem>> {
        let lang = LangCode::parse(&self.lang).context("--lang")?;
        anyhow::ensure!(
            self.category > 0,
            "--category must be a category id (a positive number)"
        );
        let records = if self.from.is_dir() {
            markdown_source::read_dir(&self.from, &lang, self.category, false)?
        } else if self.from.exists() {
            let overrides: BTreeMap<&'static str, Option<String>> = [
                ("external_id", self.col_external_id.clone()),
                ("language", self.col_language.clone()),
                ("title", self.col_title.clone()),
                ("content", self.col_content.clone()),
                ("category", self.col_category.clone()),
                ("slug", self.col_slug.clone()),
            ]
            .into();
            let columns = csv_source::column_map(self.mapping.as_deref(), &overrides)?;
            csv_source::read(&self.from, &columns, &lang, self.category)?
        } else {
            anyhow::bail!("{}: no such file or folder", self.from.display());
        };
        merge_source(records, &self.from)
    }
}

/// Runs an import with a ready client (tests give one with a fast limiter).
pub async fn run_with_client(
    client: &Client,
    args: &ImportArgs,
    quiet: bool,
) -> anyhow::Result<Summary> {
    let items = args.load_items()?;
    let mut state = StateStore::open(
        &args.state_path(),
        &args.api.normalized(),
        "import",
        !args.job.dry_run,
    )?;
    let opts = args.job.options(args.publish);
    let summary = super::run(client, &items, &mut state, &opts, quiet).await?;
    if !quiet {
        print!("{}", summary.table("import"));
        if !args.job.dry_run {
            println!("state: {}", state.path().display());
        }
    }
    Ok(summary)
}

pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let client = args.api.client()?;
    let summary = run_with_client(&client, &args, false).await?;
    Ok(exit_code(&summary))
}

pub fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed.is_empty() && summary.stopped.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
