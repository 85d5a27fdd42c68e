//! Project automation, run as `cargo xtask <command>` (alias in
//! `.cargo/config.toml`). Keeping this in Rust means the bindgen step uses
//! the `wasm-bindgen-cli-support` crate pinned to the exact version of the
//! `wasm-bindgen` crate, with no global tool to keep in sync.
//!
//! Commands:
//! - `build-web`: the browser artefacts (widget, worker, loader) with
//!   content-hashed names, for the demo, the npm package and static builds;
//! - `build-npm`: the npm package (`npm pack` tarball) from that build;
//! - `bench-engine`: native benchmark, engine wasm build + bindgen +
//!   `wasm-opt -Oz`, size (raw/gzip/brotli) and a Node benchmark of the
//!   same cases; prints one table.
//! - `dist [--out DIR]`: the release artefacts in one folder (static musl
//!   binaries of `hcs` and `hc-proxy`, the npm tarball, a zip of the
//!   browser files, SHA-256 checksums);
//! - `bench-web-pkg --out DIR`: the engine bench wasm for the browser
//!   (bindgen `--target web`, `wasm-opt -Oz`), used by `bench/run`.
//! - `pub-api`: public items nothing outside their crate uses (a test
//!   keeps the list empty).

mod bench_engine;
mod bench_peers;
mod build_npm;
mod build_web;
mod dist;
mod pub_api;
mod release_check;
mod snowball_web;
mod split_wasm;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(status) = run_this_checkouts_xtask(&args)? {
        std::process::exit(status.code().unwrap_or(1));
    }
    match args.first().map(String::as_str) {
        Some("build-web") => build_web::run(&args[1..]),
        Some("build-npm") => build_npm::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        Some("bench-engine") => bench_engine::run(&args[1..]),
        Some("bench-web-pkg") => bench_peers::run(&args[1..]),
        Some("release-check") => release_check::run(&args[1..]),
        Some("pub-api") => pub_api::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask build-web [--out DIR] [--dev]");
            eprintln!("       cargo xtask build-npm [--out DIR]");
            eprintln!("       cargo xtask dist [--out DIR]");
            eprintln!("       cargo xtask bench-engine [--profile wasm-release|wasm-speed]");
            eprintln!("       cargo xtask bench-web-pkg --out DIR");
            eprintln!("       cargo xtask release-check");
            eprintln!("       cargo xtask pub-api");
            std::process::exit(2);
        }
    }
}

/// `cargo xtask` runs `target/debug/xtask`, which checkouts sharing one
/// `CARGO_TARGET_DIR` (git worktrees) share too. Cargo links it again only
/// when this checkout's xtask changed, so it may be another checkout's,
/// which would build that checkout's sources into that checkout's `dist/`.
/// `cargo run` tells the binary which checkout ran it (`CARGO_MANIFEST_DIR`
/// at run time); when that is not the one it was built from, this
/// checkout's xtask is linked (its `main.rs` made newer) and run instead.
/// Returns its exit status then, `None` when this binary is the right one.
fn run_this_checkouts_xtask(args: &[String]) -> anyhow::Result<Option<std::process::ExitStatus>> {
    use anyhow::Context;
    let Some(ran_from) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Ok(None);
    };
    let ran_from = std::path::PathBuf::from(ran_from);
    let built_from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let same = |a: &std::path::Path, b: &std::path::Path| {
        a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().ok() == Some(a))
    };
    if same(&ran_from, built_from) || std::env::var_os("HC_XTASK_RELINKED").is_some() {
        return Ok(None);
    }
    eprintln!(
        "xtask: this binary was built from {}; building the one of {}",
        built_from.display(),
        ran_from.display()
    );
    std::fs::File::options()
        .append(true)
        .open(ran_from.join("src/main.rs"))
        .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        .context("making this checkout's xtask newer")?;
    let status = build_web::cargo_command()
        .current_dir(&ran_from)
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .env("HC_XTASK_RELINKED", "1")
        .status()
        .context("running this checkout's xtask")?;
    Ok(Some(status))
}
