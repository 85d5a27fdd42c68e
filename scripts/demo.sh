#!/usr/bin/env bash
# The README's demo command: builds the browser files, then runs `hcs demo`
# (hc-sim with the embedded multilingual help center, hc-proxy with a fresh
# read-only key, and a product page with the widget). Arguments go to
# `hcs demo`, e.g. `--data FILE --listen 127.0.0.1:9000`. Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
cargo xtask build-web >/dev/null
exec cargo run --quiet -p hc-cli --bin hcs -- demo "$@"
