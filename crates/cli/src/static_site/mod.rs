//! `hcs build-static --api URL --out DIR`: everything a static site needs to
//! search its help center with no proxy and no key at run time, in one
//! folder: the widget's files and [`hc_publish::StaticSite`] (the public
//! snapshot, one prebuilt pack per language, `packs.json` naming them).
//!
//! The snapshot is made by the code hc-proxy uses (`hc_publish`: same
//! filter, same sanitiser), so a static site never publishes more than the proxy would:
//! no draft, no private or link-only article, no share token. The folder is
//! written next to its final place and swapped in whole, so a failed build
//! leaves the previous one serving; the files it replaces stay in it for
//! one more build (`previous`), for the pages loaded before the swap.

use std::path::PathBuf;

use anyhow::{Context, Result};
use hc_core::LangCode;
use hc_publish::{LanguageConfig, Sanitizer, StaticSite};

use crate::api::ApiArgs;
use crate::assets::Assets;

mod previous;
mod staging;

use staging::Staging;

#[derive(Debug, Clone, clap::Args)]
pub struct BuildStaticArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// The folder to write (replaced whole; it must be empty, absent, or an
    /// earlier `hcs build-static` output).
    #[arg(long)]
    pub out: PathBuf,
    /// The built browser files. Default: the files built into this hcs
    /// (release binaries), else the checkout's dist/, from `cargo xtask
    /// build-web`.
    #[arg(long, env = "HC_ASSETS")]
    pub assets: Option<PathBuf>,
    /// The public help center URL; relative links in articles point there.
    #[arg(long)]
    pub public_url: Option<String>,
    /// The site's languages (repeatable or comma-separated); default: every
    /// language found in the content (the v1 API does not list them).
    #[arg(long, value_delimiter = ',')]
    pub language: Vec<String>,
    /// The site's default language; default `en` if present, else the first.
    #[arg(long)]
    pub default_language: Option<String>,
    /// Synonyms applied at query time (repeatable): a JSON file for every
    /// language, or `LANG=FILE.csv` for one language (one group per line:
    /// `invoice, bill, receipt`).
    #[arg(long)]
    pub synonyms: Vec<String>,
    /// Suggestions by page path: a JSON rules file
    /// (`{"rules": [{"path": "/billing/*", "ids": [12]}]}`).
    #[arg(long)]
    pub suggestions: Option<PathBuf>,
}

/// What was written, for the summary and for tests.
#[derive(Debug)]
pub struct Built {
    pub out: PathBuf,
    pub articles: usize,
    pub snapshot_bytes: usize,
    /// (language, file, articles, bytes, its pieces of text and their
    /// bytes)
    pub packs: Vec<(LangCode, String, usize, usize, usize, usize)>,
    /// Records the API sent in a form that cannot be read, left out (ids
    /// and fields only).
    pub skipped: Vec<hc_core::wire::Undecodable>,
    /// Files of the replaced build kept beside the new ones.
    pub kept: usize,
}

pub async fn run(args: BuildStaticArgs) -> Result<std::process::ExitCode> {
    let built = build(&args).await?;
    println!(
        "wrote {}: {} public articles, snapshot {} KB, {} language packs",
        built.out.display(),
        built.articles,
        built.snapshot_bytes / 1024,
        built.packs.len()
    );
    for (lang, file, articles, bytes, pieces, pieces_bytes) in &built.packs {
        println!(
            "  {lang:6} {articles:5} articles  {:7} KB  {file}  (+ {} KB of article texts in {pieces} pieces, fetched as hits need them)",
            bytes / 1024,
            pieces_bytes / 1024
        );
    }
    if built.kept > 0 {
        println!(
            "  kept {} file(s) of the build this one replaces, for pages loaded before it",
            built.kept
        );
    }
    if !built.skipped.is_empty() {
        let which: Vec<String> = built.skipped.iter().map(ToString::to_string).collect();
        println!(
            "  left out {} record(s) the API sent in a form that cannot be read: {}",
            built.skipped.len(),
            which.join(", ")
        );
    }
    println!(
        "\nServe the folder with your site (say at /hc-search/) and add:\n  \
         <script type=\"module\" src=\"/hc-search/hc-search.js\"></script>\n  \
         <hc-search packs=\"/hc-search/packs.json\"></hc-search>"
    );
    Ok(std::process::ExitCode::SUCCESS)
}

/// [`build_with`] a client for `--api` with the key from `HC_API_KEY`.
///
/// Progress goes to stderr as it happens (each API call, each language
/// indexed), so a site's CI log shows where a slow or stuck build is; the
/// summary goes to stdout.
pub async fn build(args: &BuildStaticArgs) -> Result<Built> {
    eprintln!("fetching the help center from {}", args.api.normalized());
    let client = args.api.client()?.with_observer(|call| {
        let status = call
            .status
            .map_or("no answer".to_string(), |s| s.to_string());
        eprintln!(
            "  {} {} -> {status} ({:.1} s)",
            call.method,
            call.path,
            call.elapsed.as_secs_f64()
        );
    });
    build_with(&client, args).await
}

pub async fn build_with(client: &hc_client::Client, args: &BuildStaticArgs) -> Result<Built> {
    let assets = Assets::locate(args.assets.as_deref())?;
    let sanitizer = Sanitizer::new(
        args.public_url
            .as_deref()
            .map(hc_publish::parse_public_url)
            .transpose()
            .context("--public-url")?
            .as_ref(),
    );
    let languages = LanguageConfig {
        languages: args
            .language
            .iter()
            .map(|l| LangCode::parse(l))
            .collect::<Result<_, _>>()
            .context("--language")?,
        default_language: args
            .default_language
            .as_deref()
            .map(LangCode::parse)
            .transpose()
            .context("--default-language")?,
        synonyms: hc_proxy::config::read_synonyms(&args.synonyms)?,
        page_rules: hc_proxy::config::read_page_rules(args.suggestions.as_deref())?,
    };
    // A record that cannot be decoded is left out (and reported), as the
    // proxy does: one bad record must not stop the whole site's build.
    let categories = client
        .walk_categories()
        .await
        .context("listing categories")?;
    let articles = client
        .walk_articles(&Default::default())
        .await
        .context("listing articles")?;
    let mut skipped = categories.skipped;
    skipped.extend(articles.skipped);
    let snapshot =
        hc_publish::public_snapshot(articles.items, categories.items, &sanitizer, &languages);
    let site = StaticSite::build(&snapshot, |lang| eprintln!("indexing {lang}"))
        .context("building the packs")?;

    let staging = Staging::next_to(&args.out)?;
    assets
        .write_into(staging.path())
        .with_context(|| format!("copying the browser files from {}", assets.describe()))?;
    for (name, bytes) in &site.files {
        std::fs::write(staging.path().join(name), bytes)?;
    }
    let written = previous::list_own(staging.path())?;
    let kept = if args.out.is_dir() {
        previous::keep(&args.out, staging.path(), &written)
    } else {
        0
    };
    staging.swap_into(&args.out)?;
    Ok(Built {
        out: args.out.clone(),
        articles: site.articles,
        snapshot_bytes: site.snapshot_bytes,
        packs: site
            .packs
            .into_iter()
            .map(|p| {
                (
                    p.lang,
                    p.file,
                    p.articles,
                    p.bytes,
                    p.pieces,
                    p.pieces_bytes,
                )
            })
            .collect(),
        skipped,
        kept,
    })
}
