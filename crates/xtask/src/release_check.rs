//! `cargo xtask release-check`: what must hold before anything is
//! published, checked by the test script so it holds on every commit.
//!
//! - One version: every package of the workspace has the workspace's
//!   version, and the npm tarball `build-npm` packed carries it too.
//! - Every path dependency also names that version, so a crate can be
//!   published (`cargo package` refuses a bare path dependency).
//! - Only the crates meant for crates.io can be published, and they
//!   package and build from their tarballs (`cargo package`, verified).
//! - The npm tarballs (`@hc-search/widget`, `hc-search`) pass
//!   `npm publish --dry-run`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use crate::build_web::{target_dir, workspace_root};

/// The crates meant for crates.io; every other one has `publish = false`.
pub const PUBLISHED: [&str; 2] = ["hc-core", "hc-engine"];

/// `cargo package` verifies hc-engine against the hc-core it has just
/// packed, which it sees as a registry crate: and a registry crate of an
/// unchanged name and version is never rebuilt, so in a target folder kept
/// from an earlier run hc-engine was checked against the old hc-core (and
/// failed once it used something new in it). Verification therefore builds
/// in a folder of its own, kept for the dependencies, from which the
/// builds of our own published crates are removed first.
fn forget_own_builds(verify_dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(verify_dir.join("debug").join(".fingerprint")) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if PUBLISHED.iter().any(|p| name.starts_with(&format!("{p}-"))) {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The same holds for the sources: cargo unpacks the hc-core it has just
/// packed into `$CARGO_HOME/registry/src/<its temporary registry>/`, and
/// never unpacks a crate of an unchanged name and version again, so a
/// machine that had run this check before verified hc-engine against the
/// old hc-core's sources (a function added to hc-core was "not found").
/// The unpacked sources of our published crates are removed first, from
/// every registry but crates.io's (they are not published there).
fn forget_own_sources(version: &str) -> Result<()> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(home) = home else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(home.join("registry").join("src")) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if registry
            .file_name()
            .to_string_lossy()
            .starts_with("index.crates.io-")
        {
            continue;
        }
        for p in PUBLISHED {
            let unpacked = registry.path().join(format!("{p}-{version}"));
            if unpacked.exists() {
                std::fs::remove_dir_all(&unpacked)
                    .with_context(|| format!("removing {}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

pub fn run(args: &[String]) -> Result<()> {
    ensure!(args.is_empty(), "release-check takes no arguments");
    let root = workspace_root();
    let metadata = cargo_metadata(&root)?;
    let version = env!("CARGO_PKG_VERSION");
    check_manifests(&metadata, version)?;
    println!("versions: every package and path dependency is {version}");

    let verify_dir = target_dir().join("package-verify");
    forget_own_builds(&verify_dir)?;
    forget_own_sources(version)?;
    let status = Command::new(env!("CARGO"))
        .args(["package", "--allow-dirty", "--target-dir"])
        .arg(&verify_dir)
        .args(PUBLISHED.iter().flat_map(|p| ["-p", p]))
        .current_dir(&root)
        .status()
        .context("running cargo package")?;
    ensure!(status.success(), "cargo package failed");

    for (dir, name) in [("npm", "@hc-search/widget"), ("npm-cli", "hc-search")] {
        npm_dry_run(&npm_tarball(&target_dir().join(dir))?, name, version)?;
    }
    Ok(())
}

fn cargo_metadata(root: &Path) -> Result<Value> {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    ensure!(output.status.success(), "cargo metadata failed");
    serde_json::from_slice(&output.stdout).context("reading cargo metadata")
}

/// The version and publishing rules over `cargo metadata --no-deps`.
fn check_manifests(metadata: &Value, version: &str) -> Result<()> {
    let mut problems = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or("?");
        if package["version"] != version {
            problems.push(format!("{name} is version {}", package["version"]));
        }
        // `publish = false` is an empty list of registries.
        let publishable = package["publish"] != Value::Array(Vec::new());
        if publishable != PUBLISHED.contains(&name) {
            problems.push(format!(
                "{name} {} be published: set `publish` accordingly",
                if publishable { "must not" } else { "should" }
            ));
        }
        for dep in package["dependencies"].as_array().into_iter().flatten() {
            if dep.get("path").is_some() && dep["req"] != format!("^{version}") {
                problems.push(format!(
                    "{name} depends on {} by path with version requirement {} (want {version})",
                    dep["name"], dep["req"]
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!("release rules broken:\n  {}", problems.join("\n  "));
    }
    Ok(())
}

/// `npm publish --dry-run` of `tarball`, which must be `name` at `version`.
fn npm_dry_run(tarball: &Path, name: &str, version: &str) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("hc-release-check-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let output = Command::new("npm")
        .args(["publish", "--dry-run", "--json"])
        .arg(tarball)
        .current_dir(&scratch)
        .output()
        .context("running npm publish --dry-run (Node.js is needed)")?;
    let _ = std::fs::remove_dir_all(&scratch);
    ensure!(
        output.status.success(),
        "npm publish --dry-run of {name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value =
        serde_json::from_slice(&output.stdout).context("reading npm publish --dry-run's report")?;
    let report = report.get(name).unwrap_or(&report);
    ensure!(
        report["name"] == name && report["version"] == version,
        "the npm tarball {} is {}@{}, expected {name}@{version}",
        tarball.display(),
        report["name"],
        report["version"]
    );
    println!(
        "npm: {name}@{version} would publish {} files",
        report["files"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}

fn npm_tarball(dir: &Path) -> Result<std::path::PathBuf> {
    let found: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{} (run cargo xtask build-npm first)", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tgz"))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one tarball in {}, found {found:?}", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn package(name: &str, version: &str, publish: Value, deps: Value) -> Value {
        json!({"name": name, "version": version, "publish": publish, "dependencies": deps})
    }

    #[test]
    fn the_rules_catch_drift() {
        let good = json!({"packages": [
            package("hc-core", "0.1.0", Value::Null, json!([])),
            package("hc-proxy", "0.1.0", json!([]), json!([
                {"name": "hc-core", "req": "^0.1.0", "path": "/x/crates/core"},
                {"name": "serde", "req": "^1"}
            ])),
        ]});
        check_manifests(&good, "0.1.0").unwrap();
        for bad in [
            package("hc-core", "0.2.0", Value::Null, json!([])),
            package("hc-proxy", "0.1.0", Value::Null, json!([])),
            package("hc-engine", "0.1.0", json!([]), json!([])),
            package(
                "hc-engine",
                "0.1.0",
                Value::Null,
                json!([{"name": "hc-core", "req": "*", "path": "/x/crates/core"}]),
            ),
        ] {
            let metadata = json!({ "packages": [bad] });
            assert!(check_manifests(&metadata, "0.1.0").is_err(), "{metadata}");
        }
    }
}
