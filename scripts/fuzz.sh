#!/usr/bin/env bash
# Builds every libFuzzer target in fuzz/ and runs each for SECONDS (default
# 60), starting from the seeds in fuzz/seeds/, then prints a table:
# target, executions, crashes. Not part of CI (scripts/test.sh runs the
# property tests over the same decoders); see fuzz/README.md.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The pinned toolchain is
# stable, so the nightly-only flags are allowed with RUSTC_BOOTSTRAP=1.
# Environment: FUZZ_SANITIZER (none, or address: much slower), FUZZ_TARGETS
# (space-separated subset), CARGO_TARGET_DIR (default fuzz/target),
# FUZZ_JOBS (libFuzzer workers per target, default 1).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-60}"
sanitizer="${FUZZ_SANITIZER:-none}"
jobs="${FUZZ_JOBS:-1}"
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 1
fi

targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"
echo "==> building ($sanitizer sanitizer)" >&2
for t in $targets; do
  cargo fuzz build -s "$sanitizer" --target-dir "$target_dir" "$t" >&2
done

logs="$(mktemp -d)"
parallel=()
# With -jobs libFuzzer runs workers in subprocesses that log to fuzz-N.log.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
rows=()
total_crashes=0
for t in $targets; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  before=$(find "artifacts/$t" -type f | wc -l)
  echo "==> $t for ${seconds}s" >&2
  # A crash ends the run early with a non-zero status: recorded, not fatal.
  cargo fuzz run "$t" -s "$sanitizer" --target-dir "$target_dir" "$corpus" "seeds/$t" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 "${parallel[@]}" >"$logs/$t.log" 2>&1 || true
  # shellcheck disable=SC2046 # the worker logs exist only with FUZZ_JOBS > 1
  execs=$(awk '/^stat::number_of_executed_units/ {s+=$2} END {print s+0}' \
    "$logs/$t.log" $(ls fuzz-*.log 2>/dev/null))
  rm -f fuzz-*.log
  crashes=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
  total_crashes=$((total_crashes + crashes))
  rows+=("$(printf '%-16s %14s %8s' "$t" "$execs" "$crashes")")
  if [ "$crashes" -gt 0 ]; then
    grep -h -A3 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$logs/$t.log" | head -20 >&2
  fi
done

printf '\n%-16s %14s %8s\n' target executions crashes
printf '%s\n' "${rows[@]}"
echo "(${seconds}s per target; logs in $logs; crash inputs in fuzz/artifacts/<target>/)"
[ "$total_crashes" -eq 0 ]
