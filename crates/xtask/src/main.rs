//! Project automation, run as `cargo xtask <command>` (alias in
//! `.cargo/config.toml`). Keeping this in Rust means the bindgen step uses
//! the `wasm-bindgen-cli-support` crate pinned to the exact version of the
//! `wasm-bindgen` crate, with no global tool to keep in sync.

mod build_web;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("build-web") => build_web::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask build-web [--out DIR] [--dev]");
            std::process::exit(2);
        }
    }
}
