//! The `hc-proxy` binary as an operator runs it, against an in-process
//! simulator: the documented command line, the startup key checks
//! (unknown key and write key refused, write key accepted only with
//! `--allow-write-key`), the key file, and the key absent from its output;
//! and the deployment recipes in `deploy/` (the systemd unit's command
//! line, the Dockerfile's settings and health check) run as written.

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
    started_command(command(key, args)).await
}

async fn started_command(mut command: Command) -> (Running, String) {
    let mut child = command.spawn().unwrap();
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
            "--api",
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
            // `--api`'s other name, still accepted.
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
    let (code, out) = refused(None, &["--api", &api, "--key", READ_KEY]).await;
    assert_ne!(code, 0);
    assert!(out.contains("unexpected argument"), "{out}");
    // No key at all.
    let (code, out) = refused(None, &["--api", &api]).await;
    assert_ne!(code, 0);
    assert!(out.contains("HC_API_KEY"), "{out}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_write_keys_are_refused_at_start() {
    let sim = sim().await;
    let api = sim.api_url();
    let unknown = "u".repeat(64);
    let (code, out) = refused(Some(&unknown), &["--api", &api, "--listen", "127.0.0.1:0"]).await;
    assert_ne!(code, 0);
    assert!(out.contains("does not know this API key"), "{out}");
    assert!(!out.contains(&unknown));

    let (code, out) = refused(Some(WRITE_KEY), &["--api", &api, "--listen", "127.0.0.1:0"]).await;
    assert_ne!(code, 0);
    assert!(out.contains("Read & Write"), "{out}");
    assert!(out.contains("--allow-write-key"), "{out}");
    assert!(!out.contains(WRITE_KEY));

    let (child, url) = started(
        Some(WRITE_KEY),
        &[
            "--api",
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

fn deploy_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The unit's `ExecStart`, run as written but for what only exists on a
/// real server (the upstream, the port, the credentials folder); and
/// `systemd-analyze verify` finds nothing to say about the unit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_systemd_units_command_line_runs() {
    let unit = deploy_file("hc-proxy.service");
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("the unit has an ExecStart");
    let credential = unit
        .lines()
        .find_map(|l| l.strip_prefix("LoadCredential="))
        .and_then(|c| c.split_once(':'))
        .map(|(name, _)| name.to_string())
        .expect("the key comes through LoadCredential");
    let sim = sim().await;
    let credentials = std::env::temp_dir().join(format!("hc-proxy-unit-{}", std::process::id()));
    std::fs::create_dir_all(&credentials).unwrap();
    std::fs::write(credentials.join(&credential), format!("{READ_KEY}\n")).unwrap();

    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/local/bin/hc-proxy"));
    let args: Vec<String> = words
        .map(|w| match w {
            "https://api.helpcenter.io/v1" => sim.api_url(),
            "127.0.0.1:8080" => "127.0.0.1:0".into(),
            other => other.replace("${CREDENTIALS_DIRECTORY}", credentials.to_str().unwrap()),
        })
        .collect();
    assert!(
        args.iter().any(|a| a.ends_with(&format!("/{credential}"))),
        "{args:?}"
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (child, url) = started(None, &args).await;
    let r = http().get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let log = stop(child).await;
    assert!(log.contains("Read Only"), "{log}");

    // Where systemd's own checker exists (Debian's systemd package), it
    // must accept the unit: no unknown key, no bad value.
    if let Ok(analyze) = which("systemd-analyze") {
        let copy = credentials.join("hc-proxy.service");
        std::fs::write(
            &copy,
            unit.replace("/usr/local/bin/hc-proxy", env!("CARGO_BIN_EXE_hc-proxy")),
        )
        .unwrap();
        let out = std::process::Command::new(analyze)
            .arg("verify")
            .arg(&copy)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && said.trim().is_empty(), "{said}");
    } else {
        eprintln!("systemd-analyze not found: the unit's syntax was not verified");
    }
    std::fs::remove_dir_all(credentials).ok();
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or(())
}

/// The runtime stage's settings (its `ENV` lines, names and meaning kept)
/// start the binary, its health check's path answers, it runs as a
/// non-root user, and no key is baked into the image.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dockerfiles_settings_and_health_check_work() {
    let dockerfile = deploy_file("Dockerfile");
    let runtime = &dockerfile[dockerfile.rfind("\nFROM ").expect("a runtime stage")..];
    let user = runtime
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the runtime stage sets a user");
    assert!(
        !["0", "root"].contains(&user.split(':').next().unwrap()),
        "{user}"
    );
    assert!(!dockerfile.contains("HC_API_KEY"), "no key in the image");
    // `ENV A=1 \ B=2` over continued lines.
    let env_block = runtime
        .split("\nENV ")
        .nth(1)
        .expect("an ENV instruction")
        .split("\n")
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let vars: Vec<(String, String)> = env_block
        .split_whitespace()
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let names: Vec<&str> = vars.iter().map(|(k, _)| k.as_str()).collect();
    assert!(
        names.contains(&"HC_PROXY_LISTEN") && names.contains(&"HC_PROXY_KEY_FILE"),
        "{names:?}"
    );
    let health = runtime
        .lines()
        .find_map(|l| l.trim().strip_prefix("CMD curl -fsS http://127.0.0.1:8080"))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a health check against the listening port");

    let sim = sim().await;
    let dir = std::env::temp_dir().join(format!("hc-proxy-docker-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("hc_api_key");
    std::fs::write(&key_file, READ_KEY).unwrap();
    let mut cmd = command(None, &[]);
    cmd.env("HC_PROXY_UPSTREAM", sim.api_url());
    for (name, value) in &vars {
        let value = match name.as_str() {
            // Same setting, a port this test may use, a file it wrote.
            "HC_PROXY_LISTEN" => "127.0.0.1:0".to_string(),
            "HC_PROXY_KEY_FILE" => key_file.to_str().unwrap().to_string(),
            _ => value.clone(),
        };
        cmd.env(name, value);
    }
    let (child, url) = started_command(cmd).await;
    let r = http().get(format!("{url}{health}")).send().await.unwrap();
    assert_eq!(r.status(), 200, "{health}");
    stop(child).await;
    std::fs::remove_dir_all(dir).ok();
}

/// `docker stop`, systemd and `kill` send SIGTERM, Ctrl+C sends SIGINT:
/// either stops the proxy with a clean exit, even when it comes the moment
/// the listening line is out (the handlers are installed before it). Its
/// log, written to a pipe as to journald or `docker logs`, has no colour
/// escape codes (`NO_COLOR` unset here, unlike the other tests).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_and_sigint_stop_it_cleanly_from_the_first_line_on() {
    let sim = sim().await;
    let api = sim.api_url();
    for signal in ["TERM", "INT"] {
        let mut cmd = command(
            Some(SECRET_KEY),
            &["--api", &api, "--listen", "127.0.0.1:0"],
        );
        cmd.env_remove("NO_COLOR");
        let (mut running, _url) = started_command(cmd).await;
        let pid = running.child.id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(Duration::from_secs(20), running.child.wait())
            .await
            .expect("stops in time")
            .unwrap();
        let log = running.stderr.await.unwrap();
        assert!(status.success(), "SIG{signal}: {status:?} {log}");
        assert!(log.contains("hc-proxy serving"), "{log}");
        assert!(!log.contains('\u{1b}'), "escape codes in the log: {log:?}");
    }
}
