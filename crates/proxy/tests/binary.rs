//! The `hc-proxy` binary as an operator runs it, against an in-process
//! simulator: the documented command line, the startup key checks
//! (unknown key and write key refused, write key accepted only with
//! `--allow-write-key`), the key file, and the key absent from its output.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;
use hc_sim::SimHandle;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

fn command(key: Option<&str>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hc-proxy"));
    cmd.args(args)
        .env_remove("HC_API_KEY")
        .env("RUST_LOG", "debug")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(k) = key {
        cmd.env("HC_API_KEY", k);
    }
    cmd
}

/// Runs to completion (it is expected to refuse to start).
async fn refused(key: Option<&str>, args: &[&str]) -> (i32, String) {
    let out = tokio::time::timeout(Duration::from_secs(30), command(key, args).output())
        .await
        .expect("exits promptly")
        .unwrap();
    let all =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), all)
}

/// A running binary whose stderr is drained all the time (a full pipe
/// would block its logging, and with it the server).
struct Running {
    child: Child,
    stderr: tokio::task::JoinHandle<String>,
}

/// Starts it and waits for the "listening" line; returns the base URL.
async fn started(key: Option<&str>, args: &[&str]) -> (Running, String) {
    let mut child = command(key, args).spawn().unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let stderr = tokio::spawn(async move {
        let mut err = String::new();
        let _ = pipe.read_to_string(&mut err).await;
        err
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("starts promptly")
        .unwrap()
        .expect("a listening line");
    let url = line
        .strip_prefix("hc-proxy listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line}"))
        .to_string();
    // Keep draining stdout too.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (Running { child, stderr }, url)
}

async fn stop(mut running: Running) -> String {
    running.child.start_kill().unwrap();
    let _ = running.child.wait().await;
    running.stderr.await.unwrap()
}

async fn sim() -> SimHandle {
    let mut data = debian();
    data.articles.truncate(30);
    start_sim(sim_config(data)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_command_line_serves_with_the_key_in_the_environment() {
    let sim = sim().await;
    let api = sim.api_url();
    let (child, url) = started(
        Some(SECRET_KEY),
        &[
            "--upstream",
            &api,
            "--listen",
            "127.0.0.1:0",
            "--allow-origin",
            "https://docs.example.com",
        ],
    )
    .await;
    let c = http();
    let r = c
        .get(format!("{url}/v1/snapshot"))
        .header("origin", "https://docs.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://docs.example.com"
    );
    let headers = format!("{:?}", r.headers());
    let body = r.text().await.unwrap();
    assert!(!body.contains(SECRET_KEY) && !headers.contains(SECRET_KEY));
    let metrics = c
        .get(format!("{url}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!metrics.contains(SECRET_KEY));
    let log = stop(child).await;
    assert!(log.contains("Read Only"), "{log}");
    assert!(log.contains("help center refreshed"), "{log}");
    assert!(!log.contains(SECRET_KEY), "the key is in the log");
    // The probe was one empty PATCH, refused; nothing was written.
    assert_eq!(
        sim.call_count("PATCH", "/v1/articles/{id}"),
        1,
        "{:?}",
        sim.calls()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_file_works_and_flags_cannot_carry_the_key() {
    let sim = sim().await;
    let api = sim.api_url();
    let dir = std::env::temp_dir().join(format!("hc-proxy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("key");
    std::fs::write(&key_file, format!("{READ_KEY}\n")).unwrap();
    let (child, url) = started(
        None,
        &[
            "--upstream",
            &api,
            "--listen",
            "127.0.0.1:0",
            "--key-file",
            key_file.to_str().unwrap(),
            "--no-warm",
        ],
    )
    .await;
    let r = http()
        .get(format!("{url}/v1/articles"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let log = stop(child).await;
    assert!(!log.contains(READ_KEY));
    // There is no flag for the key itself.
    let (code, out) = refused(None, &["--upstream", &api, "--key", READ_KEY]).await;
    assert_ne!(code, 0);
    assert!(out.contains("unexpected argument"), "{out}");
    // No key at all.
    let (code, out) = refused(None, &["--upstream", &api]).await;
    assert_ne!(code, 0);
    assert!(out.contains("HC_API_KEY"), "{out}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_write_keys_are_refused_at_start() {
    let sim = sim().await;
    let api = sim.api_url();
    let unknown = "u".repeat(64);
    let (code, out) = refused(
        Some(&unknown),
        &["--upstream", &api, "--listen", "127.0.0.1:0"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(out.contains("does not know this API key"), "{out}");
    assert!(!out.contains(&unknown));

    let (code, out) = refused(
        Some(WRITE_KEY),
        &["--upstream", &api, "--listen", "127.0.0.1:0"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(out.contains("Read & Write"), "{out}");
    assert!(out.contains("--allow-write-key"), "{out}");
    assert!(!out.contains(WRITE_KEY));

    let (child, url) = started(
        Some(WRITE_KEY),
        &[
            "--upstream",
            &api,
            "--listen",
            "127.0.0.1:0",
            "--allow-write-key",
            "--no-warm",
        ],
    )
    .await;
    assert_eq!(
        http()
            .get(format!("{url}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let log = stop(child).await;
    assert!(log.contains("can write"), "{log}");
    // Nothing was changed upstream by the probes.
    let before = common::debian();
    let after = sim.data();
    for a in &after.articles {
        let orig = before.articles.iter().find(|o| o.id == a.id).unwrap();
        assert_eq!(a.updated_at, orig.updated_at);
    }
}
