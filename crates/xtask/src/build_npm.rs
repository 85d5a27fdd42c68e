//! `cargo xtask build-npm [--out DIR]`: the npm package `@hc-search/widget`
//! from the same browser build as the demo and static sites (so the
//! package's files are byte-for-byte those `build-web` writes), plus the
//! hand-written parts in `npm/` (package.json, TypeScript declarations,
//! README, CSS-variables reference), packed with `npm pack`. Prints the
//! tarball's file list and size.

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
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(it.next().context("--out needs a folder")?),
            other => bail!("unknown argument {other}"),
        }
    }
    let tarball = build(&out)?;
    println!("npm package: {}", tarball.display());
    Ok(())
}

/// Builds the package folder and its tarball in `out`; returns the tarball.
pub fn build(out: &std::path::Path) -> Result<PathBuf> {
    let root = workspace_root();
    let package = out.join("package");
    // One tarball in `out`, this one (the browser test installs it).
    if let Ok(entries) = std::fs::read_dir(out) {
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "tgz") {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    build_web::build(&package, "wasm-release")?;
    for name in HAND_WRITTEN {
        std::fs::copy(root.join("npm").join(name), package.join(name))
            .with_context(|| format!("copying npm/{name}"))?;
    }
    for name in LICENCES {
        std::fs::copy(root.join(name), package.join(name))
            .with_context(|| format!("copying {name}"))?;
    }
    // The template is copied as text with only its version placeholder
    // replaced: re-serialising it would sort its keys, and in `exports`
    // the order of conditions matters ("types" must come before "default").
    let template =
        std::fs::read_to_string(root.join("npm/package.json")).context("npm/package.json")?;
    let placeholder = "\"version\": \"0.0.0-set-by-xtask\"";
    if template.matches(placeholder).count() != 1 {
        bail!("npm/package.json must hold the line {placeholder} once");
    }
    let manifest = template.replace(
        placeholder,
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
    );
    serde_json::from_str::<serde_json::Value>(&manifest).context("npm/package.json")?;
    std::fs::write(package.join("package.json"), manifest)?;

    let output = Command::new("npm")
        .args(["pack", "--json", "--pack-destination"])
        .arg(out)
        .current_dir(&package)
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
