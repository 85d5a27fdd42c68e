//! The `hc-proxy` binary: parse the configuration, load the key, check it,
//! then serve. The only place that uses `anyhow` and exits non-zero.

use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use hc_proxy::shutdown::StopSignal;
use hc_proxy::{Args, KeyScope, Proxy, Settings, StartupError};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal: a log file, journald or `docker logs`
        // would get escape codes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let settings = Settings::from_args(Args::parse())?;
    let key = hc_proxy::config::load_key(settings.key_file.as_deref())?;
    let proxy = Proxy::new(settings.clone(), key)?;

    match proxy.check_key().await {
        Ok(KeyScope::ReadOnly) => tracing::info!("the API key is Read Only"),
        Ok(KeyScope::ReadWrite) => {
            tracing::warn!("the API key can write (accepted because of --allow-write-key)")
        }
        Err(StartupError::Inconclusive(why)) => {
            // The upstream is unreachable or failing: start anyway (visitors
            // get 503 until it answers) and keep checking in the background.
            tracing::warn!(%why, "could not check the API key yet; will retry");
            let checker = proxy.clone();
            tokio::spawn(async move { recheck(checker).await });
        }
        Err(e) => return Err(e).context("refusing to start"),
    }

    if settings.warm_on_start {
        proxy.warm();
    }
    let listener = hc_proxy::server::bind(settings.listen)
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    let stop = StopSignal::listen().context("cannot listen for signals")?;
    // A plain line on stdout for scripts and tests that start us on port 0.
    println!("hc-proxy listening on http://{addr}");
    tracing::info!(
        listen = %addr,
        upstream = %settings.upstream,
        "hc-proxy serving"
    );
    proxy
        .serve(listener, async {
            let _ = stop.requested().await;
        })
        .await
        .context("server failed")?;
    Ok(())
}

/// Re-runs the key check until it is conclusive; exits the process if the
/// key turns out unknown or able to write.
async fn recheck(proxy: Proxy) {
    loop {
        tokio::time::sleep(Duration::from_secs(30)).await;
        match proxy.check_key().await {
            Ok(_) => return,
            Err(StartupError::Inconclusive(why)) => {
                tracing::warn!(%why, "still cannot check the API key")
            }
            Err(e) => {
                tracing::error!(error = %e, "refusing to go on");
                eprintln!("hc-proxy: refusing to go on: {e}");
                std::process::exit(2);
            }
        }
    }
}
