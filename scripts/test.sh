#!/usr/bin/env bash
# Runs every test of hc-search. This is the README's test command and what
# .ci/run calls. It installs what it needs (the wasm target, npm packages,
# Debian's chromium) and assumes only rustup, Node.js and the package
# registries.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
LOG_DIR="${TMPDIR:-/tmp}/hc-search-test.$$"
mkdir -p "$LOG_DIR"

step "toolchain"
# rust-toolchain.toml pins the version and lists the wasm target; this makes
# sure the target is really there (older rustup does not install it itself).
rustup target add wasm32-unknown-unknown >/dev/null
rustc --version

step "format"
cargo fmt --all -- --check

step "clippy: native, and the wasm-only glue (workspace lints, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p hc-worker -p hc-widget -p hc-builder -p hc-snowball --target wasm32-unknown-unknown -- -D warnings
# The worker alone, as build-web builds it: without hc-engine's `snowball`
# feature, which hc-builder would unify in above.
cargo clippy -p hc-worker --target wasm32-unknown-unknown -- -D warnings

step "hc-core builds for wasm32-unknown-unknown"
cargo build -p hc-core --target wasm32-unknown-unknown

step "native tests (unit, simulator/proxy/CLI over real HTTP, proptests)"
cargo test --workspace 2>&1 | tee "$LOG_DIR/cargo.log"

step "browser artefacts (cargo xtask build-web) and the npm packages (cargo xtask build-npm)"
cargo xtask build-web
cargo xtask build-npm

step "hcs with the browser files built in (feature embed-web, as the release binaries)"
cargo test -p hc-cli --features embed-web --test embedded_web 2>&1 | tee -a "$LOG_DIR/cargo.log"

step "release checks: one version, cargo package (hc-core, hc-engine), npm publish --dry-run"
cargo xtask release-check

step "browser end-to-end tests (Debian chromium + playwright-core; Debian hugo for the static-site test)"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v hugo >/dev/null 2>&1 || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}: install these Debian packages" >&2
    exit 1
  fi
fi
# The same features as the embed-web test above, so hc-cli is not rebuilt.
cargo build -p hc-sim -p hc-proxy -p hc-cli --features hc-cli/embed-web
# A test waiting on something that never comes fails after 5 minutes
# instead of holding the whole run until CI's limit.
(cd tests/e2e && npm ci --no-audit --no-fund >/dev/null && node --test --test-concurrency=1 --test-timeout=300000 .) 2>&1 | tee "$LOG_DIR/e2e.log"

cargo_pass=$(grep -E '^test result:' "$LOG_DIR/cargo.log" | awk '{p+=$4} END {print p+0}')
cargo_fail=$(grep -E '^test result:' "$LOG_DIR/cargo.log" | awk '{f+=$6} END {print f+0}')
e2e_pass=$(grep -E '^# pass ' "$LOG_DIR/e2e.log" | awk '{print $3}')
e2e_fail=$(grep -E '^# fail ' "$LOG_DIR/e2e.log" | awk '{print $3}')
printf '\ncargo: %d passed, %d failed\n' "$cargo_pass" "$cargo_fail"
printf 'browser: %d passed, %d failed\n' "${e2e_pass:-0}" "${e2e_fail:-0}"
printf 'all: %d passed, %d failed\n' "$((cargo_pass + ${e2e_pass:-0}))" "$((cargo_fail + ${e2e_fail:-0}))"
