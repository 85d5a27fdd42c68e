//! The real `hcs` binary against hc-sim: killed with SIGKILL at random
//! moments and rerun, and its one-line errors.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use hc_sim::SimHandle;
use rand::Rng;
use tokio::process::Command;

fn hcs(sim: &SimHandle, key: &str, args: &[String]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hcs"));
    cmd.arg("import")
        .args(args)
        .env("HC_API_KEY", key)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let _ = sim;
    cmd
}

fn titles_upstream(sim: &SimHandle) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for a in in_category(sim, CATEGORY) {
        *m.entry(a.title.get_str("en").unwrap().clone()).or_insert(0) += 1;
    }
    m
}

fn state_entries(path: &Path) -> usize {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["items"]
        .as_object()
        .unwrap()
        .values()
        .filter(|i| i["article_id"].is_i64())
        .count()
}

/// SIGKILL at random moments, several times, then run to completion:
/// exactly the source set exists upstream, each article once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_then_resumed_makes_no_duplicates() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    let rows = corpus_rows(300, &["en"]);
    write_csv(&csv, &rows);
    let args = words(&sim, &csv, &[]);
    let mut rng = rand::rng();
    let mut kills = 0;
    for _ in 0..6 {
        // Killed after a random number of new POSTs rather than a random
        // time: a fast machine finishes 300 rows before a timer fires, and
        // once a run completes there is nothing left to interrupt.
        let before = sim.call_count("POST", "/v1/articles");
        let posts = rng.random_range(1..=40);
        let mut child = hcs(&sim, WRITE_KEY, &args).spawn().unwrap();
        let started = std::time::Instant::now();
        while sim.call_count("POST", "/v1/articles") < before + posts
            && child.try_wait().unwrap().is_none()
            && started.elapsed() < Duration::from_secs(30)
        {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let after = started.elapsed().as_millis();
        if child.try_wait().unwrap().is_none() {
            child.start_kill().unwrap();
            kills += 1;
        }
        child.wait().await.unwrap();
        eprintln!(
            "killed after {after} ms: {} POSTs so far, {} articles upstream",
            sim.call_count("POST", "/v1/articles"),
            in_category(&sim, CATEGORY).len()
        );
    }
    assert!(kills >= 3, "the runs were killed mid-way ({kills})");
    let out = hcs(&sim, WRITE_KEY, &args).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{stdout}");
    let upstream = titles_upstream(&sim);
    let expected: BTreeMap<String, usize> = rows.iter().map(|r| (r.2.clone(), 1)).collect();
    assert_eq!(upstream, expected, "exactly the source set, each once");
    assert_eq!(
        state_entries(&dir.path().join("faq.csv.hcs-state.json")),
        300
    );
    // And a further rerun writes nothing.
    sim.reset_calls();
    let out = hcs(&sim, WRITE_KEY, &args).output().await.unwrap();
    assert!(out.status.success());
    assert_eq!(writes(&sim), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_key_gets_one_line() {
    let sim = sim().await;
    let dir = tmp();
    let csv = path_in(&dir, "faq.csv");
    write_csv(&csv, &corpus_rows(2, &["en"]));
    let out = hcs(&sim, READ_KEY, &words(&sim, &csv, &[]))
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: HC_API_KEY is a Read Only key"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_csv_input_is_explained() {
    let sim = sim().await;
    let dir = tmp();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "missing.csv",
            b"external_id,title\n1,x\n",
            "missing column 'content'",
        ),
        (
            "latin1.csv",
            b"external_id,title,content\n1,Caf\xE9,x\n",
            "not valid UTF-8",
        ),
        ("empty.csv", b"", "the file is empty"),
    ];
    for (name, bytes, want) in cases {
        let csv = path_in(&dir, name);
        std::fs::write(&csv, bytes).unwrap();
        let out = hcs(&sim, WRITE_KEY, &words(&sim, &csv, &[]))
            .output()
            .await
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(want), "{name}: {stderr}");
    }
    assert!(sim.calls().is_empty());
}

/// `hcs build-static` says what it is doing as it does it: each API call
/// and each language on stderr, and a wait for the API's rate limit is
/// visible without `RUST_LOG`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build_static_shows_progress_and_the_rate_limit_wait() {
    // One request per 2 s: the second call of the walk gets a 429.
    let sim = sim_with(1, Duration::from_secs(2)).await;
    let dir = tmp();
    let assets = path_in(&dir, "dist");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(assets.join("hc-search.js"), "export {};").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hcs"))
        .arg("build-static")
        .args(["--api", &sim.api_url(), "--rate-limit", "0", "--out"])
        .arg(path_in(&dir, "site"))
        .arg("--assets")
        .arg(&assets)
        .env("HC_API_KEY", READ_KEY)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("fetching the help center from"), "{stderr}");
    assert!(stderr.contains("GET /categories"), "{stderr}");
    assert!(stderr.contains("-> 429"), "{stderr}");
    assert!(
        stderr.contains("upstream answered 429; waiting"),
        "{stderr}"
    );
}
