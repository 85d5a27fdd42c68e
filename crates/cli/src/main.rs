//! `hcs`: the hc-search command line. A thin dispatcher: each subcommand's
//! arguments and logic live in their own module of the `hc_cli` library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "hcs", version, about = "hc-search command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import articles from a CSV file or a folder of Markdown (idempotent).
    Import(hc_cli::write::import::ImportArgs),
    /// Mirror a folder of Markdown release notes into one category.
    Sync(hc_cli::write::sync::SyncArgs),
    /// Measure search relevance (MRR@10, recall@5) of a corpus on a query set.
    Eval(hc_cli::eval::EvalArgs),
    /// Run the widget locally: simulator, proxy and a product page (Ctrl+C stops).
    Demo(hc_cli::demo::DemoArgs),
    /// Write every category and article (drafts and non-public included) to one JSON file.
    Export(hc_cli::export::ExportArgs),
    /// Write a static site's search: the widget, the public snapshot and
    /// prebuilt per-language packs (no proxy or key needed at run time).
    BuildStatic(hc_cli::static_site::BuildStaticArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // hc-client's warnings are for the person running the
                // command: a 429 wait ("waiting 60 s") and records left out.
                .unwrap_or_else(|_| "error,hc_client=warn".into()),
        )
        .without_time()
        .with_target(false)
        .with_writer(std::io::stderr)
        // Colours only on a terminal: a log file, journald or `docker logs`
        // would get escape codes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => hc_cli::write::import::run(args).await,
        Command::Sync(args) => hc_cli::write::sync::run(args).await,
        Command::Eval(args) => hc_cli::eval::run(args),
        Command::BuildStatic(args) => hc_cli::static_site::run(args).await,
        Command::Demo(args) => hc_cli::demo::run(args).await.map_err(Into::into),
        Command::Export(args) => hc_cli::export::run(args).await.map_err(Into::into),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
