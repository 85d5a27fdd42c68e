//! `cargo xtask dist [--out DIR]`: the release artefacts, in one folder.
//!
//! - `hcs-VERSION-x86_64-linux-musl`: the command line for site owners,
//!   static (musl), with the browser files embedded (feature `embed-web`)
//!   and no demo help center, so it carries no GPL-2+ data;
//! - `hcs-demo-VERSION-x86_64-linux-musl`: the same with the demo help
//!   center embedded too (features `embed-web`, `demo-data`), so that
//!   `hcs-demo demo` needs nothing else; it carries the GPL-2+ data;
//! - `hc-proxy-VERSION-x86_64-linux-musl`: the proxy, static;
//! - the npm tarball (`cargo xtask build-npm`'s);
//! - `hc-search-web-VERSION.zip`: the browser files for a script tag;
//! - the licence texts, and `SHA256SUMS` (`sha256sum -c SHA256SUMS`).
//!
//! The browser files are built once (`build-web` into the workspace's
//! `dist/`, which `hcs` embeds); the binaries are built with the `dist`
//! profile (release, symbols stripped) for `x86_64-unknown-linux-musl`,
//! and each is checked to be static (no ELF interpreter).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};

use crate::build_web::{self, target_dir, workspace_root};

const TARGET: &str = "x86_64-unknown-linux-musl";
const PROFILE: &str = "dist";
/// The suffix of every binary's file name.
const PLATFORM: &str = "x86_64-linux-musl";

/// The licence texts shipped beside the artefacts: the code's two, and the
/// demo help center's (for `hcs-demo`).
const LICENCES: [&str; 3] = [
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "crates/cli/demo/LICENSE-debian-reference.md",
];

/// One binary to build: its package, the file cargo writes, the features
/// and the name it gets in the release folder.
struct Binary {
    package: &'static str,
    bin: &'static str,
    features: &'static [&'static str],
    name: &'static str,
}

const BINARIES: [Binary; 3] = [
    Binary {
        package: "hc-proxy",
        bin: "hc-proxy",
        features: &[],
        name: "hc-proxy",
    },
    Binary {
        package: "hc-cli",
        bin: "hcs",
        features: &["embed-web"],
        name: "hcs",
    },
    Binary {
        package: "hc-cli",
        bin: "hcs",
        features: &["embed-web", "demo-data"],
        name: "hcs-demo",
    },
];

pub fn run(args: &[String]) -> Result<()> {
    let mut out = target_dir().join("release-artefacts");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(it.next().context("--out needs a folder")?),
            other => bail!("unknown argument {other}"),
        }
    }
    check_toolchain()?;
    let root = workspace_root();
    let version = env!("CARGO_PKG_VERSION");

    let web = build_web::build(&root.join("dist"), "wasm-release")?;
    let tarball = crate::build_npm::build(&target_dir().join("npm"))?;
    let cli_tarball = crate::build_npm::build_cli(&target_dir().join("npm-cli"))?;

    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for binary in &BINARIES {
        let built = cargo_build(binary)?;
        ensure_static(&built)?;
        let name = format!("{}-{version}-{PLATFORM}", binary.name);
        std::fs::copy(&built, out.join(&name))
            .with_context(|| format!("copying {}", built.display()))?;
    }
    for tarball in [&tarball, &cli_tarball] {
        let name = tarball.file_name().context("the tarball has a name")?;
        std::fs::copy(tarball, out.join(name))?;
    }
    zip_flat(&web, &out.join(format!("hc-search-web-{version}.zip")))?;
    for path in LICENCES {
        let from = root.join(path);
        let name = from.file_name().context("a licence file has a name")?;
        std::fs::copy(&from, out.join(name)).with_context(|| format!("copying {path}"))?;
    }
    write_checksums(&out)?;

    println!("release artefacts in {}:", out.display());
    for (name, bytes) in listing(&out)? {
        println!("  {bytes:>11}  {name}");
    }
    Ok(())
}

/// The musl target and a C compiler for it (`ring`, under rustls, has C
/// parts) must be there; say how to get them if not.
fn check_toolchain() -> Result<()> {
    let rustup = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(workspace_root())
        .output();
    if let Ok(output) = rustup {
        let installed = String::from_utf8_lossy(&output.stdout);
        ensure!(
            installed.lines().any(|l| l.trim() == TARGET),
            "the {TARGET} target is missing: run `rustup target add {TARGET}`"
        );
    }
    let cc = Command::new("musl-gcc").arg("--version").output();
    ensure!(
        cc.is_ok_and(|o| o.status.success()),
        "musl-gcc is missing (ring, under rustls, compiles C for {TARGET}): install Debian's \
         musl-tools (`apt-get install musl-tools`)"
    );
    Ok(())
}

/// Builds one binary for the musl target and returns where cargo put it
/// (before the next build of the same package overwrites it).
fn cargo_build(binary: &Binary) -> Result<PathBuf> {
    let mut cmd = build_web::cargo_command();
    cmd.current_dir(workspace_root())
        .args([
            "build",
            "--locked",
            "-p",
            binary.package,
            "--bin",
            binary.bin,
        ])
        .args(["--target", TARGET, "--profile", PROFILE])
        .arg("--no-default-features");
    if !binary.features.is_empty() {
        cmd.args(["--features", &binary.features.join(",")]);
    }
    // cc-rs finds musl-gcc by this name for the musl target.
    cmd.env("CC_x86_64_unknown_linux_musl", "musl-gcc");
    let status = cmd.status().context("running cargo")?;
    ensure!(status.success(), "cargo build of {} failed", binary.name);
    let built = target_dir().join(TARGET).join(PROFILE).join(binary.bin);
    // Copied aside at once: the next binary of the same package lands on
    // the same path.
    let aside = target_dir()
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{}.dist", binary.name));
    std::fs::copy(&built, &aside).with_context(|| format!("copying {}", built.display()))?;
    Ok(aside)
}

/// Refuses a binary that needs a dynamic loader (an ELF `PT_INTERP`
/// program header): a release binary must run on any x86_64 Linux.
fn ensure_static(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    ensure!(
        !has_interpreter(&bytes)?,
        "{} is dynamically linked (it names an ELF interpreter)",
        path.display()
    );
    Ok(())
}

/// Whether a 64-bit little-endian ELF file has a `PT_INTERP` header.
fn has_interpreter(elf: &[u8]) -> Result<bool> {
    const PT_INTERP: u32 = 3;
    ensure!(
        elf.len() >= 64 && elf[..4] == *b"\x7fELF" && elf[4] == 2 && elf[5] == 1,
        "not a 64-bit little-endian ELF file"
    );
    let u16_at = |at: usize| u16::from_le_bytes([elf[at], elf[at + 1]]) as usize;
    let phoff = usize::try_from(u64::from_le_bytes(elf[0x20..0x28].try_into()?))?;
    let (entry_size, entries) = (u16_at(0x36), u16_at(0x38));
    for i in 0..entries {
        let at = phoff + i * entry_size;
        let header = elf
            .get(at..at + 4)
            .context("a program header lies outside the file")?;
        if u32::from_le_bytes(header.try_into()?) == PT_INTERP {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Zips the files of `dir` (one flat folder, as build-web writes it).
fn zip_flat(dir: &Path, to: &Path) -> Result<()> {
    let file = std::fs::File::create(to).with_context(|| format!("creating {}", to.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (name, _) in listing(dir)? {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(&std::fs::read(dir.join(&name))?)?;
    }
    zip.finish()?;
    Ok(())
}

/// `SHA256SUMS` in `sha256sum`'s format, for every other file of `dir`.
fn write_checksums(dir: &Path) -> Result<()> {
    let mut sums = String::new();
    for (name, _) in listing(dir)? {
        let digest = Sha256::digest(std::fs::read(dir.join(&name))?);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        sums.push_str(&format!("{hex}  {name}\n"));
    }
    std::fs::write(dir.join("SHA256SUMS"), sums)?;
    Ok(())
}

/// The files of `dir` with their sizes, by name.
fn listing(dir: &Path) -> Result<Vec<(String, u64)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let name = entry
                .file_name()
                .into_string()
                .map_err(|n| anyhow::anyhow!("{n:?} is not UTF-8"))?;
            files.push((name, entry.metadata()?.len()));
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The static check reads the ELF headers: the test binary itself (a
    /// dynamically linked glibc executable) names an interpreter; a
    /// header without one does not; a non-ELF file is refused.
    #[test]
    fn an_elf_interpreter_is_found() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        assert!(has_interpreter(&me).unwrap());

        let mut elf = vec![0u8; 64 + 56];
        elf[..6].copy_from_slice(b"\x7fELF\x02\x01");
        elf[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        elf[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        elf[0x38..0x3a].copy_from_slice(&1u16.to_le_bytes());
        elf[64..68].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        assert!(!has_interpreter(&elf).unwrap());
        elf[64..68].copy_from_slice(&3u32.to_le_bytes()); // PT_INTERP
        assert!(has_interpreter(&elf).unwrap());
        assert!(has_interpreter(b"#!/bin/sh\n").is_err());
    }
}
