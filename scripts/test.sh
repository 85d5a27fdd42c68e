#!/usr/bin/env bash
# Runs every test of hc-search. This is the README's test command and what
# .ci/run calls. It installs what it needs (the wasm target) and assumes only
# rustup and the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
# rust-toolchain.toml pins the version and lists the wasm target; this makes
# sure the target is really there (older rustup does not install it itself).
rustup target add wasm32-unknown-unknown >/dev/null
rustc --version

step "format"
cargo fmt --all -- --check

step "hc-core builds for wasm32-unknown-unknown"
cargo build -p hc-core --target wasm32-unknown-unknown

step "native tests (unit, simulator over real HTTP, proptests)"
cargo test --workspace --exclude xtask 2>&1 | tee /tmp/hc-search-test.log
grep -E '^test result:' /tmp/hc-search-test.log | awk '{p+=$4; f+=$6} END {printf "\nnative: %d passed, %d failed\n", p, f}'
