//! `npx hc-search build-static`'s Rust half. The npm package's script
//! (`npm-cli/bin/hc-search.mjs`) does the I/O: it reads the flags and the
//! files they name, sends the requests this crate asks for with Node's
//! `fetch` (the key, retries and the rate limit are the script's), and
//! writes the files this crate returns. Everything that decides what a
//! visitor may see runs here, through the code hc-proxy and `hcs
//! build-static` run ([`hc_publish`], [`hc_core::wire::walk`]): the same
//! walk of the API, the same filter, the same sanitiser, the same packs.
//!
//! Compiled to wasm (bindgen `--target web`, loaded by Node from bytes), it
//! is one artefact for every platform Node runs on, with no Rust toolchain
//! on the site's CI (crates/site-builder/README.md says why this and not
//! per-platform binaries). [`SiteBuild`] is plain Rust, tested natively;
//! `wasm` only converts values.

mod build;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use build::{BuildError, Built, Options, SiteBuild};
