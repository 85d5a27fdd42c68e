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

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
