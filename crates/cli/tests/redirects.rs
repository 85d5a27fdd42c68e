//! `hcs export` (a Read & Write key's usual home) against an upstream that
//! redirects (hc-sim's redirect fault, 308 to a second loopback server that
//! records everything): nothing reaches the second server, the command
//! fails with one line saying where the redirect pointed, and writes
//! nothing. A plain-http `--api` off loopback is refused before any request.

mod common;

use std::process::Stdio;

use common::*;
use hc_sim::{Faults, Redirect, SimConfig};
use tokio::process::Command;

async fn hcs_export(api: &str, out: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hcs"))
        .args(["export", "--api", api, "--rate-limit", "0", "--out"])
        .arg(out)
        .env("HC_API_KEY", WRITE_KEY)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_refuses_a_redirect_and_keeps_the_key() {
    let recorder = hc_sim::Recorder::start().await.unwrap();
    let elsewhere = recorder.url().to_string();
    let sim = hc_sim::spawn(
        SimConfig {
            write_keys: vec![WRITE_KEY.into()],
            rate_limit: 0,
            faults: Faults {
                redirect: Some(Redirect {
                    status: 308,
                    to: elsewhere.clone(),
                }),
                ..Faults::default()
            },
            ..SimConfig::new(empty_site())
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let dir = tmp();
    let out = dir.path().join("backup.json");
    let run = hcs_export(&sim.api_url(), &out).await;
    let received = recorder.seen();
    assert!(
        received.is_empty(),
        "the second server received {} request(s), key included: {}",
        received.len(),
        received.iter().any(|r| r.contains(WRITE_KEY))
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("308"), "{stderr}");
    assert!(
        stderr.contains(elsewhere.trim_start_matches("http://")),
        "{stderr}"
    );
    assert!(stderr.contains("never follows redirects"), "{stderr}");
    assert!(!stderr.contains(WRITE_KEY));
    assert!(!out.exists());

    let insecure = hcs_export("http://api.helpcenter.io/v1", &out).await;
    let stderr = String::from_utf8_lossy(&insecure.stderr);
    assert_eq!(insecure.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("use https://"), "{stderr}");
}
