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
    /// Measure search relevance (MRR@10, recall@5) of a corpus on a query set.
    Eval(hc_cli::eval::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eval(args) => hc_cli::eval::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
