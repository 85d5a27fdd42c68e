//! `hcs`: the hc-search command line. `main` only parses arguments and
//! dispatches; each subcommand lives in its own module.

use clap::{Parser, Subcommand};

mod eval;

#[derive(Parser)]
#[command(name = "hcs", version, about = "hc-search command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure search relevance (MRR@10, recall@5) of a corpus on a query set.
    Eval(eval::EvalArgs),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Eval(args) => eval::run(&args),
    }
}
