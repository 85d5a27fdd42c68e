//! `cargo xtask build-npm [--out DIR] [--cli-out DIR]`: the two npm packages,
//! packed with `npm pack` (each tarball's file list and size printed).
//!
//! - `@hc-search/widget` (in `--out`, default `target/npm`): the same
//!   browser build as the demo and static sites (so the package's files
//!   are byte-for-byte those `build-web` writes), plus the hand-written
//!   parts in `npm/` (package.json, TypeScript declarations, README,
//!   CSS-variables reference).
//! - `hc-search` (in `--cli-out`, default `target/npm-cli`), the
//!   `npx hc-search build-static` command: the scripts in `npm-cli/` and
//!   `hc-site-builder` compiled to wasm (profile `wasm-release`, bindgen
//!   `--target web`), depending on the widget package of the same version
//!   for the browser files.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::build_web::{self, target_dir, workspace_root};

/// The licence texts at the repository's root, shipped in the package.
const LICENCES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];

/// Files of `npm/` copied into the package as they are.
const HAND_WRITTEN: [&str; 6] = [
    "README.md",
    "index.d.ts",
    "react.d.ts",
    "preact.d.ts",
    "solid.d.ts",
    "css-variables.md",
];

pub fn run(args: &[String]) -> Result<()> {
    let mut out = target_dir().join("npm");
    let mut cli_out = target_dir().join("npm-cli");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(it.next().context("--out needs a folder")?),
            "--cli-out" => cli_out = PathBuf::from(it.next().context("--cli-out needs a folder")?),
            other => bail!("unknown argument {other}"),
        }
    }
    let tarball = build(&out)?;
    println!("npm package: {}", tarball.display());
    let tarball = build_cli(&cli_out)?;
    println!("npm package: {}", tarball.display());
    Ok(())
}

/// Files of `npm-cli/` copied into the CLI package as they are.
const CLI_FILES: [&str; 5] = [
    "README.md",
    "bin/hc-search.mjs",
    "lib/api.mjs",
    "lib/builder.mjs",
    "lib/site.mjs",
];

/// Builds the `hc-search` package folder and its tarball in `out`; returns
/// the tarball.
pub fn build_cli(out: &std::path::Path) -> Result<PathBuf> {
    let root = workspace_root();
    let package = out.join("package");
    remove_tarballs(out)?;
    let _ = std::fs::remove_dir_all(&package);
    std::fs::create_dir_all(package.join("bin"))?;
    std::fs::create_dir_all(package.join("lib"))?;
    let wasm = build_web::cargo_wasm("hc-site-builder", "wasm-release")?;
    build_web::bindgen(&wasm, &package.join("lib"), "hc_site_builder")?;
    for name in CLI_FILES {
        std::fs::copy(root.join("npm-cli").join(name), package.join(name))
            .with_context(|| format!("copying npm-cli/{name}"))?;
    }
    for name in LICENCES {
        std::fs::copy(root.join(name), package.join(name))
            .with_context(|| format!("copying {name}"))?;
    }
    let manifest = versioned(&root.join("npm-cli/package.json"), 2)?;
    std::fs::write(package.join("package.json"), manifest)?;
    pack(&package, out)
}

/// Removes the tarballs of an earlier build from `out`: one tarball there,
/// this one (the browser tests install it).
fn remove_tarballs(out: &std::path::Path) -> Result<()> {
    if let Ok(entries) = std::fs::read_dir(out) {
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "tgz") {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

/// A package.json template with its version placeholders (`expected` of
/// them: the package's own, and the widget's in the CLI's dependencies)
/// replaced by the workspace version. Copied as text: re-serialising would
/// sort its keys, and in `exports` the order of conditions matters
/// ("types" must come before "default").
fn versioned(template: &std::path::Path, expected: usize) -> Result<String> {
    let text = std::fs::read_to_string(template)
        .with_context(|| format!("reading {}", template.display()))?;
    let placeholder = "0.0.0-set-by-xtask";
    let found = text.matches(placeholder).count();
    if found != expected || !text.contains(&format!("\"version\": \"{placeholder}\"")) {
        bail!(
            "{} must hold \"version\": \"{placeholder}\" and {expected} placeholder(s) in all, found {found}",
            template.display()
        );
    }
    let manifest = text.replace(placeholder, env!("CARGO_PKG_VERSION"));
    serde_json::from_str::<serde_json::Value>(&manifest)
        .with_context(|| format!("{} is not JSON", template.display()))?;
    Ok(manifest)
}

/// Builds the package folder and its tarball in `out`; returns the tarball.
pub fn build(out: &std::path::Path) -> Result<PathBuf> {
    let root = workspace_root();
    let package = out.join("package");
    remove_tarballs(out)?;
    build_web::build(&package, "wasm-release")?;
    for name in HAND_WRITTEN {
        std::fs::copy(root.join("npm").join(name), package.join(name))
            .with_context(|| format!("copying npm/{name}"))?;
    }
    for name in LICENCES {
        std::fs::copy(root.join(name), package.join(name))
            .with_context(|| format!("copying {name}"))?;
    }
    let manifest = versioned(&root.join("npm/package.json"), 1)?;
    std::fs::write(package.join("package.json"), manifest)?;
    pack(&package, out)
}

/// `npm pack` of `package` into `out`; prints its report, returns the tarball.
fn pack(package: &std::path::Path, out: &std::path::Path) -> Result<PathBuf> {
    let output = Command::new("npm")
        .args(["pack", "--json", "--pack-destination"])
        .arg(out)
        .current_dir(package)
        .output()
        .context("running npm pack (Node.js is needed)")?;
    if !output.status.success() {
        bail!(
            "npm pack failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("reading npm pack's report")?;
    let report = &report[0];
    println!(
        "{}@{}",
        report["name"].as_str().unwrap_or("?"),
        report["version"].as_str().unwrap_or("?")
    );
    for file in report["files"].as_array().into_iter().flatten() {
        println!(
            "  {:>9}  {}",
            file["size"].as_u64().unwrap_or(0),
            file["path"].as_str().unwrap_or("?")
        );
    }
    println!(
        "  {} files, {} bytes packed, {} bytes unpacked",
        report["entryCount"], report["size"], report["unpackedSize"]
    );
    let filename = report["filename"]
        .as_str()
        .context("npm pack named no tarball")?;
    Ok(out.join(filename))
}
