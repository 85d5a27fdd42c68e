//! `hcs export` against hc-sim serving the whole Debian Reference corpus
//! (417 articles with the 30 non-public copies, 110 categories): complete
//! within a rate limit, atomic, a failure mid-way or an unknown key leaves
//! the previous export as it was, and the file is what `hcs demo --data`
//! and `hc-sim --data` read.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::*;
use hc_cli::demo::{self, DemoData, DemoOptions};
use hc_cli::export::{export, ExportError, ExportOptions};
use hc_client::{ApiKey, Client, ClientError, UpstreamLimiter};
use hc_core::HelpCenterData;
use hc_sim::{Faults, SimConfig, SimHandle};
use tokio::process::Command;

async fn sim_serving(data: HelpCenterData, rate_limit: u32, window: Duration) -> SimHandle {
    let config = SimConfig {
        read_keys: vec![READ_KEY.into()],
        rate_limit,
        rate_window: window,
        ..SimConfig::new(data)
    };
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn options(out: &Path) -> ExportOptions {
    ExportOptions {
        out: out.to_path_buf(),
        default_language: None,
        languages: Vec::new(),
        now: SystemTime::now(),
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sorted(mut data: HelpCenterData) -> HelpCenterData {
    data.articles.sort_by_key(|a| a.id);
    data.categories.sort_by_key(|c| c.id);
    data
}

/// An error with its causes, as the command prints it.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn answered(sim: &SimHandle, status: u16) -> u64 {
    sim.calls()
        .iter()
        .filter(|c| c.status == status)
        .map(|c| c.count)
        .sum()
}

/// The simulator allows 4 requests in any second; the client's limiter
/// (burst 2, then one a second) keeps under it, so the 7 pages (5 of
/// articles, 2 of categories) arrive without a single 429.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_everything_page_by_page_within_the_rate_limit() {
    let sim = sim_serving(debian().clone(), 4, Duration::from_secs(1)).await;
    let client =
        client(&sim, READ_KEY).with_limiter(Some(UpstreamLimiter::new(4, Duration::from_secs(1))));
    let dir = tmp();
    let summary = export(&client, &options(dir.path())).await.unwrap();

    assert_eq!(sim.call_count("GET", "/v1/articles"), 5);
    assert_eq!(sim.call_count("GET", "/v1/categories"), 2);
    assert_eq!(answered(&sim, 429), 0, "{:?}", sim.calls());
    assert_eq!((summary.categories, summary.articles), (110, 417));
    assert_eq!((summary.drafts, summary.not_public), (10, 20));

    let date = &summary.exported_at[..10];
    let name = format!("helpcenter-export-{date}.json");
    assert_eq!(summary.path, dir.path().join(&name));
    assert_eq!(files_in(dir.path()), [name], "no temporary file left");
    let bytes = std::fs::read(&summary.path).unwrap();
    assert_eq!(bytes.len() as u64, summary.bytes);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&summary.path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "drafts and share tokens: owner only");
    }

    // Everything the API listed, drafts, private and link-only included,
    // field for field.
    let exported: HelpCenterData = serde_json::from_slice(&bytes).unwrap();
    let source = sorted(debian().clone());
    assert_eq!(exported.articles, source.articles);
    assert_eq!(exported.categories, source.categories);
    assert!(exported.articles.iter().any(|a| a.share_token.is_some()));
    // The site block: the same languages (found in the content), `en` first.
    assert_eq!(exported.site.default_language, source.site.default_language);
    assert_eq!(
        exported.site.languages.iter().collect::<BTreeSet<_>>(),
        source.site.languages.iter().collect::<BTreeSet<_>>()
    );

    let raw: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let stamp = raw["exported_at"].as_str().unwrap();
    assert_eq!(stamp, summary.exported_at);
    assert!(humantime::parse_rfc3339(stamp).is_ok(), "{stamp}");
    assert!(stamp.ends_with('Z') && stamp.starts_with(date));
    // One object per line, like the corpus files.
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 1 + 1 + 110 + 1 + 1 + 417 + 1);
}

/// Without a client-side limiter, the simulator's 429s are waited out
/// (`Retry-After`) and the export is still complete. The 429s are injected
/// (seeded, one draw per request in order), not a sliding window: on a
/// loaded machine requests can come slower than any short window's limit
/// and never meet it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_pages_are_waited_for() {
    let sim = sim_serving(debian().clone(), 0, Duration::from_secs(60)).await;
    sim.set_faults(Faults {
        rate_limit_rate: 0.4,
        retry_after_secs: 1,
        seed: 3,
        ..Faults::default()
    });
    let dir = tmp();
    let out = dir.path().join("backup.json");
    let summary = export(&client(&sim, READ_KEY), &options(&out))
        .await
        .unwrap();
    assert!(
        answered(&sim, 429) > 0,
        "the limit was hit: {:?}",
        sim.calls()
    );
    assert_eq!((summary.categories, summary.articles), (110, 417));
    assert_eq!(summary.path, out);
}

/// The simulator starts failing after the second page of articles: the
/// export fails (after the client's retries) and the previous good export
/// is byte for byte what it was, with no temporary file left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_mid_way_keeps_the_previous_export() {
    let sim = Arc::new(sim_serving(debian().clone(), 0, Duration::from_secs(60)).await);
    let dir = tmp();
    let out = dir.path().join("backup.json");
    std::fs::write(&out, "previous good export\n").unwrap();

    let breaker = Arc::clone(&sim);
    let client = client(&sim, READ_KEY).with_observer(move |e| {
        if e.path.starts_with("/articles?page=2&") && e.status == Some(200) {
            breaker.set_faults(Faults {
                error_rate: 1.0,
                ..Faults::default()
            });
        }
    });
    let err = export(&client, &options(&out)).await.expect_err("fails");
    assert!(
        matches!(
            err,
            ExportError::Api(ClientError::Status { status: 500, .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert!(
        sim.call_count("GET", "/v1/articles") >= 3,
        "pages 1, 2 and 3"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous good export\n"
    );
    assert_eq!(files_in(dir.path()), ["backup.json"]);
}

#[tokio::test]
async fn an_unknown_key_is_a_clear_error_and_writes_nothing() {
    let sim = sim_serving(empty_site(), 0, Duration::from_secs(60)).await;
    let dir = tmp();
    let wrong = Client::new(&sim.api_url(), ApiKey::new(&"x".repeat(64)).unwrap())
        .unwrap()
        .with_retry(fast_policy())
        .with_limiter(None);
    let err = export(&wrong, &options(dir.path()))
        .await
        .expect_err("refused");
    assert!(
        matches!(err, ExportError::Api(ClientError::Unauthorized(_))),
        "{err:?}"
    );
    let msg = chain(&err);
    assert!(msg.contains("401") && msg.contains("HC_API_KEY"), "{msg}");
    assert!(files_in(dir.path()).is_empty());
    assert_eq!(
        sim.call_count("GET", "/v1/categories"),
        1,
        "a 401 is not retried"
    );
}

/// An export of the demo's help center, served by `hcs demo --data`: the
/// proxy in front of it serves exactly its public articles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_is_served_by_the_demo() {
    let source: HelpCenterData = serde_json::from_slice(demo::EMBEDDED_DATA).unwrap();
    let sim = sim_serving(source.clone(), 0, Duration::from_secs(60)).await;
    let dir = tmp();
    let out = dir.path().join("export.json");
    export(&client(&sim, READ_KEY), &options(&out))
        .await
        .unwrap();

    let assets = tmp();
    std::fs::write(assets.path().join("hc-search.js"), "export {};\n").unwrap();
    let running = demo::start(DemoOptions {
        data: DemoData::File(out.clone()),
        listen: "127.0.0.1:0".parse().unwrap(),
        assets: hc_cli::assets::Assets::Dir(assets.path().to_path_buf()),
        proxy_listen: None,
    })
    .await
    .expect("the demo serves the export");
    assert!(
        running.description().contains("export.json"),
        "{}",
        running.description()
    );
    let snapshot: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v1/snapshot", running.proxy_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let served = snapshot_ids(&snapshot);
    let public = public_ids(&source);
    assert_eq!(served, public);
    running.shutdown().await.unwrap();
}

fn hcs_export(sim: &SimHandle, key: &str, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hcs"));
    cmd.args([
        "export",
        "--api",
        &sim.api_url(),
        "--rate-limit",
        "0",
        "--out",
    ])
    .arg(out)
    .env("HC_API_KEY", key)
    .env_remove("RUST_LOG")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    cmd
}

/// The command line: a summary on success, one line and exit 1 on a 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_a_summary_or_one_error_line() {
    let sim = sim_serving(debian().clone(), 0, Duration::from_secs(60)).await;
    let dir = tmp();
    let out = dir.path().join("backup.json");
    let ok = hcs_export(&sim, READ_KEY, &out).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        stdout.starts_with(
            "exported 110 categories and 417 articles (10 drafts, 20 published but not public)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains(&out.display().to_string()), "{stdout}");

    let bad = hcs_export(&sim, &"x".repeat(64), &dir.path().join("other.json"))
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: reading the help center failed"),
        "{stderr}"
    );
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!dir.path().join("other.json").exists());
}
