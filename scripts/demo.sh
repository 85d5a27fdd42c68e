#!/usr/bin/env bash
# Builds what the demo needs and starts it (see scripts/demo.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown >/dev/null
cargo build -p hc-sim -p hc-proxy
cargo xtask build-web
export HC_BIN_DIR="${CARGO_TARGET_DIR:-$PWD/target}/debug"
exec node scripts/demo.mjs "$@"
