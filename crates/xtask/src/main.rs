//! Project automation, run as `cargo xtask <command>` (alias in
//! `.cargo/config.toml`). Keeping this in Rust means the bindgen step uses
//! the `wasm-bindgen-cli-support` crate pinned to the exact version of the
//! `wasm-bindgen` crate, with no global tool to keep in sync.
//!
//! Commands:
//! - `bench-engine`: native benchmark, engine wasm build + bindgen +
//!   `wasm-opt -Oz`, size (raw/gzip/brotli) and a Node benchmark of the
//!   same cases; prints one table.

mod bench_engine;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench-engine") => bench_engine::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask bench-engine [--profile wasm-release|wasm-speed]");
            std::process::exit(2);
        }
    }
}
