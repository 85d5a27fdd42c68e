//! The `hc-sim` binary: a HelpCenter.io v1 simulator on localhost.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use hc_sim::{Faults, SimConfig};

/// A faithful HelpCenter.io v1 API simulator.
#[derive(Debug, Parser)]
#[command(name = "hc-sim", version)]
struct Args {
    /// Help center to serve: a JSON file shaped like shared/corpus/*.json.
    #[arg(long)]
    data: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8099")]
    listen: SocketAddr,
    /// A Read Only key (64 characters); repeatable.
    #[arg(long = "read-key", env = "HC_SIM_READ_KEY")]
    read_keys: Vec<String>,
    /// A Read & Write key (64 characters); repeatable.
    #[arg(long = "write-key", env = "HC_SIM_WRITE_KEY")]
    write_keys: Vec<String>,
    /// Requests per minute per token (0 = unlimited).
    #[arg(long, default_value_t = 60)]
    rate_limit: u32,
    /// Length of the rate-limit window in seconds.
    #[arg(long, default_value_t = 60)]
    rate_window_secs: u64,
    /// Persist writes to this file (atomically) and reload them on start.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Fault injection: milliseconds added to every request.
    #[arg(long, default_value_t = 0)]
    fault_latency_ms: u64,
    /// Fault injection: share (0-1) of requests answered 500.
    #[arg(long, default_value_t = 0.0)]
    fault_500: f64,
    /// Fault injection: share (0-1) of requests answered 429.
    #[arg(long, default_value_t = 0.0)]
    fault_429: f64,
    /// Fault injection: seed of the generator that draws the faults.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Fault injection: pages after the first start one item early (page 2
    /// repeats page 1's last item), as offset pagination does when an
    /// article is inserted after page 1 was read.
    #[arg(long)]
    fault_shifted_pages: bool,
    /// Fault injection: answer every request with a redirect, given as
    /// STATUS=URL (e.g. 307=http://127.0.0.1:9000); the request's path and
    /// query are appended to URL.
    #[arg(long, value_parser = parse_redirect)]
    fault_redirect: Option<hc_sim::Redirect>,
    /// Fields served in place of records' own in list responses (nulls,
    /// undecodable values): a JSON file
    /// `{"articles": {"ID": {field: value}}, "categories": {…}}`.
    #[arg(long)]
    wire_patches: Option<PathBuf>,
    /// Serve /_sim/calls, /_sim/faults and /_sim/reset for tests.
    #[arg(long)]
    admin: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        // Colours only on a terminal: a log file, journald or `docker logs`
        // would get escape codes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let text =
        std::fs::read(&args.data).with_context(|| format!("reading {}", args.data.display()))?;
    let data = serde_json::from_slice(&text).with_context(|| {
        format!(
            "{} is not a help center file (site, categories, articles)",
            args.data.display()
        )
    })?;
    let wire_patches = match &args.wire_patches {
        None => hc_sim::WirePatches::default(),
        Some(path) => {
            let text =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_slice(&text).with_context(|| {
                format!(
                    "{} is not a wire-patches file ({{\"articles\": {{\"ID\": {{…}}}}, \"categories\": …}})",
                    path.display()
                )
            })?
        }
    };
    if args.read_keys.is_empty() && args.write_keys.is_empty() {
        anyhow::bail!("give at least one --read-key or --write-key (64 characters each)");
    }
    let config = SimConfig {
        read_keys: args.read_keys,
        write_keys: args.write_keys,
        rate_limit: args.rate_limit,
        rate_window: Duration::from_secs(args.rate_window_secs.max(1)),
        faults: Faults {
            latency_ms: args.fault_latency_ms,
            error_rate: args.fault_500,
            rate_limit_rate: args.fault_429,
            retry_after_secs: 1,
            seed: args.fault_seed,
            shifted_pages: args.fault_shifted_pages,
            redirect: args.fault_redirect,
            ..Faults::default()
        },
        wire_patches,
        state_file: args.state,
        admin: args.admin,
        ..SimConfig::new(data)
    };
    let sim = hc_sim::spawn(config, args.listen).await?;
    // Keys are secrets: say how many, never which.
    println!("hc-sim serving {} (Ctrl+C to stop)", sim.api_url());
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl+C")?;
    sim.shutdown().await;
    Ok(())
}

fn parse_redirect(raw: &str) -> Result<hc_sim::Redirect, String> {
    let (status, to) = raw
        .split_once('=')
        .ok_or_else(|| "expected STATUS=URL, e.g. 307=http://127.0.0.1:9000".to_string())?;
    let status: u16 = status
        .parse()
        .ok()
        .filter(|s| (300..400).contains(s))
        .ok_or_else(|| format!("'{status}' is not a 3xx status"))?;
    Ok(hc_sim::Redirect {
        status,
        to: to.trim_end_matches('/').to_string(),
    })
}
