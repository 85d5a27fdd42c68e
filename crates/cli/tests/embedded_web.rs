//! `hcs` with the browser files built in (feature `embed-web`, as in the
//! release binaries), run as a user would run a downloaded binary: from an
//! empty folder, with an environment holding only `PATH` and the key (no
//! `HC_ASSETS`, no checkout's `dist/` to fall back on), `--assets` never
//! given. `hcs build-static` writes the very files `dist/` held when the
//! binary was built, and `hcs demo` serves them with the headers a folder
//! gets.
//!
//! Needs `dist/` (`cargo xtask build-web`) at build time, so it is not
//! part of a plain `cargo test`: `scripts/test.sh` runs it after
//! build-web as `cargo test -p hc-cli --features embed-web --test
//! embedded_web`.
#![cfg(feature = "embed-web")]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use hc_cli::assets::{Assets, LOADER};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// The workspace's `dist/` as it is now, file by file.
fn dist_files() -> BTreeMap<String, Vec<u8>> {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    std::fs::read_dir(&dist)
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask build-web`)", dist.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The binary in `cwd` with nothing of this process's environment.
fn hcs(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hcs"));
    cmd.current_dir(cwd)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    cmd
}

#[test]
fn the_built_in_files_are_dist_as_it_was_built() {
    let assets = Assets::locate(None).unwrap();
    assert_eq!(assets, Assets::Embedded);
    let embedded: BTreeMap<String, Vec<u8>> = assets
        .names()
        .unwrap()
        .into_iter()
        .map(|n| {
            let bytes = assets.get(&n).unwrap().into_owned();
            (n, bytes)
        })
        .collect();
    assert!(embedded.contains_key(LOADER), "{:?}", embedded.keys());
    assert!(embedded.len() >= 5, "loader, 2 x (js, wasm): {embedded:?}");
    assert_eq!(embedded, dist_files(), "rebuild after build-web");
    for outside in ["../Cargo.toml", "..", "", "/etc/passwd"] {
        assert!(assets.get(outside).is_none(), "{outside}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build_static_from_an_empty_folder_writes_the_built_in_files() {
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sim/tests/fixtures/tiny.json");
    let config = hc_sim::SimConfig {
        read_keys: vec![READ_KEY.into()],
        ..hc_sim::SimConfig::new(serde_json::from_slice(&std::fs::read(tiny).unwrap()).unwrap())
    };
    let sim = hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let cwd = tmp();
    let out = hcs(cwd.path())
        .args(["build-static", "--api", &sim.api_url(), "--out", "site"])
        .args(["--api-per-minute", "0"])
        .env("HC_API_KEY", READ_KEY)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let site = cwd.path().join("site");
    for (name, bytes) in dist_files() {
        let written = std::fs::read(site.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(written == bytes, "{name} differs from dist/");
    }
    assert!(site.join("packs.json").is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_from_an_empty_folder_serves_the_built_in_files() {
    let cwd = tmp();
    let mut child = hcs(cwd.path())
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the demo prints its URL")
        .unwrap()
        .unwrap_or_default();
    let url = first
        .strip_prefix("hc-search demo: ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let http = reqwest::Client::new();
    let files = dist_files();
    let hashed = files
        .keys()
        .find(|n| n.ends_with(".wasm"))
        .expect("a hashed wasm file");
    for (name, cache, content_type) in [
        (LOADER, "no-cache", "text/javascript"),
        (
            hashed.as_str(),
            "public, max-age=31536000, immutable",
            "application/wasm",
        ),
    ] {
        let r = http
            .get(format!("{url}hc-search/{name}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{name}");
        let h = |k: &str| r.headers()[k].to_str().unwrap().to_string();
        assert_eq!(h("cache-control"), cache, "{name}");
        assert!(h("content-type").starts_with(content_type), "{name}");
        assert!(h("content-security-policy").contains("default-src 'none'"));
        assert!(r.bytes().await.unwrap() == files[name], "{name}");
    }
    for missing in ["nothing.js", "..%2FCargo.toml"] {
        let r = http
            .get(format!("{url}hc-search/{missing}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{missing}");
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
}
