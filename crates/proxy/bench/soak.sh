#!/usr/bin/env bash
# Soak run of hc-proxy, on loopback only: steady load for SOAK_SECS (default
# 600) while the upstream flaps, then a table of what visitors got, what
# the upstream saw, and how the proxy's memory and file descriptors moved.
# A measurement that prints numbers, not a test: it passes or fails nothing.
#
# Starts hc-sim (`--admin`, its real 60/min limit) and hc-proxy (release
# builds) with a short fresh time, so that the proxy refreshes every few
# seconds, warms the cache, then runs wrk (soak.lua: snapshot revalidations
# and full snapshots in brotli, article pages, categories, /healthz) through
# six phases, each its own wrk run so that every phase has its own counts:
#
#   up         (15%)  no faults
#   500s       (12.5%) every upstream request answered 500
#   stall      (12.5%) every upstream request held SOAK_STALL_MS (past the
#                      proxy's --upstream-timeout-secs)
#   429s       (12.5%) every upstream request answered 429, Retry-After
#                      SOAK_RETRY_AFTER_SECS
#   down       (25%)  hc-sim killed (SIGKILL): connections refused
#   up-again   (22.5%) hc-sim restarted on the same port, no faults
#
# At 600 s every phase lasts at least 75 s and the outage 150 s. Every
# SOAK_SAMPLE_SECS it samples the proxy's VmRSS, open fds, threads and
# /healthz; at each phase end it reads /metrics and the simulator's
# /_sim/calls. soak_report.py prints the tables (Markdown).
#
# Usage: crates/proxy/bench/soak.sh [--secs N] [--corpus FILE]
#   --secs N        total load time (SOAK_SECS, default 600; at least 60)
#   --corpus FILE   help center to serve (CORPUS; default the demo subset
#                   crates/cli/demo/debian-reference-subset.json, e.g.
#                   /work/shared/corpus/debian-reference.json for the full one)
# Environment (defaults in brackets): SOAK_THREADS [1], SOAK_CONNECTIONS
# [16], SOAK_PAUSE_MS [10] (per connection between requests, so at most
# CONNECTIONS*1000/PAUSE req/s), SOAK_SAMPLE_SECS [10], SOAK_FRESH_SECS [5],
# SOAK_RETRY_FAILED_SECS [10], SOAK_UPSTREAM_TIMEOUT_SECS [2], SOAK_STALL_MS
# [5000], SOAK_RETRY_AFTER_SECS [2], SOAK_KEEP=1 keeps the work directory
# (logs, samples, raw wrk output), TOKIO_WORKER_THREADS passes through.
# Needs curl, python3 and wrk (installed with apt-get when missing and root).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SOAK_SECS=${SOAK_SECS:-600}
CORPUS=${CORPUS:-$ROOT/crates/cli/demo/debian-reference-subset.json}
while [ $# -gt 0 ]; do
  case $1 in
    --secs) SOAK_SECS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
THREADS=${SOAK_THREADS:-1}
CONNECTIONS=${SOAK_CONNECTIONS:-16}
PAUSE_MS=${SOAK_PAUSE_MS:-10}
SAMPLE_SECS=${SOAK_SAMPLE_SECS:-10}
FRESH_SECS=${SOAK_FRESH_SECS:-5}
RETRY_FAILED_SECS=${SOAK_RETRY_FAILED_SECS:-10}
UPSTREAM_TIMEOUT_SECS=${SOAK_UPSTREAM_TIMEOUT_SECS:-2}
STALL_MS=${SOAK_STALL_MS:-5000}
RETRY_AFTER_SECS=${SOAK_RETRY_AFTER_SECS:-2}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release

case $SOAK_SECS in '' | *[!0-9]*) echo "soak.sh: --secs wants whole seconds" >&2; exit 2 ;; esac
[ "$SOAK_SECS" -ge 60 ] || { echo "soak.sh: --secs must be at least 60" >&2; exit 2; }
[ -r "$CORPUS" ] || { echo "soak.sh: cannot read corpus $CORPUS" >&2; exit 2; }
CORPUS=$(cd "$(dirname "$CORPUS")" && pwd)/$(basename "$CORPUS")
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is missing" >&2; exit 1; }
done
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "soak.sh: wrk is missing: install Debian's wrk package" >&2
    exit 1
  fi
fi

(cd "$ROOT" && cargo build --release -q -p hc-sim -p hc-proxy)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SIM_PORT=$(free_port)
PROXY_PORT=$(free_port)
SIM=http://127.0.0.1:$SIM_PORT
BASE=http://127.0.0.1:$PROXY_PORT
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hc-soak.XXXXXX")
SIM_PID=""
PROXY_PID=""
WRK_PID=""
SAMPLER_PID=""
WATCH_PID=""

stop() { # pid [signal]: stop one process we started, and reap it
  [ -n "$1" ] || return 0
  kill "-${2:-TERM}" "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$WRK_PID"
  stop "$SAMPLER_PID"
  stop "$WATCH_PID"
  stop "$PROXY_PID"
  stop "$SIM_PID"
  if [ "${SOAK_KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then
    echo "soak.sh: work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_sim() {
  HC_SIM_READ_KEY=$KEY RUST_LOG=warn "$BIN/hc-sim" --data "$CORPUS" \
    --listen "127.0.0.1:$SIM_PORT" --admin >>"$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 600); do
    curl -sf --max-time 1 "$SIM/_sim/calls" >/dev/null 2>&1 && return 0
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "soak.sh: hc-sim did not start on $SIM_PORT:" >&2
  tail -n 20 "$WORK/sim.log" >&2
  exit 1
}
# Saves the simulator's call log (it dies with the process), then kills it
# without warning, as a crash or a network cut would.
kill_sim() {
  curl -s --max-time 5 "$SIM/_sim/calls" >"$WORK/simcalls-life$SIM_LIFE.json" || true
  stop "$SIM_PID" KILL
  SIM_PID=""
  SIM_LIFE=$((SIM_LIFE + 1))
}
set_faults() {
  curl -sf --max-time 5 -X PUT -H 'content-type: application/json' -d "$1" \
    "$SIM/_sim/faults" >/dev/null
}

SIM_LIFE=1
start_sim
HC_API_KEY=$KEY RUST_LOG=${SOAK_PROXY_LOG:-warn} "$BIN/hc-proxy" \
  --api "$SIM/v1" --listen "127.0.0.1:$PROXY_PORT" \
  --allow-origin "http://127.0.0.1" --per-ip-per-second 0 \
  --fresh-secs "$FRESH_SECS" --retry-failed-secs "$RETRY_FAILED_SECS" \
  --upstream-timeout-secs "$UPSTREAM_TIMEOUT_SECS" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 600); do
  [ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$BASE/v1/snapshot")" = 200 ] && break
  kill -0 "$PROXY_PID" 2>/dev/null || { echo "soak.sh: hc-proxy exited:" >&2; tail -n 20 "$WORK/proxy.log" >&2; exit 1; }
  sleep 0.1
done
[ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$BASE/v1/snapshot")" = 200 ] ||
  { echo "soak.sh: hc-proxy never served a snapshot" >&2; exit 1; }
ETAG=$(curl -s --max-time 10 -D - -o /dev/null -H 'Accept-Encoding: br' "$BASE/v1/snapshot" |
  tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
PAGES=$(curl -s --max-time 10 "$BASE/v1/articles" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["total_pages"])')

# Samples: seconds since start, phase, VmRSS (kB), open fds, threads, cache
# state and age from /healthz.
T0=$(date +%s)
echo warm >"$WORK/phase"
sample() {
  local rss fds thr health
  rss=$(awk '/^VmRSS:/{print $2}' "/proc/$PROXY_PID/status" 2>/dev/null) || return 0
  thr=$(awk '/^Threads:/{print $2}' "/proc/$PROXY_PID/status" 2>/dev/null) || return 0
  fds=$(ls "/proc/$PROXY_PID/fd" 2>/dev/null | wc -l)
  health=$(curl -s --max-time 2 "$BASE/healthz" |
    python3 -c 'import json,sys
try:
    h=json.load(sys.stdin); print(h.get("cache"), h.get("age_secs"))
except Exception:
    print("? ?")' 2>/dev/null)
  echo "$(($(date +%s) - T0)) $(cat "$WORK/phase") ${rss:-0} $fds ${thr:-0} $health" >>"$WORK/samples.txt"
}
sample
sampler() { # its sleep is ended with it, so nothing outlives the script
  local nap=""
  trap '[ -n "$nap" ] && kill "$nap" 2>/dev/null; exit 0' TERM
  while :; do
    sleep "$SAMPLE_SECS" &
    nap=$!
    wait "$nap" || true
    sample
  done
}
sampler &
SAMPLER_PID=$!

# After the restart: how long until /healthz shows a fresh copy again.
watch_recovery() {
  local start now
  start=$(date +%s.%N)
  for _ in $(seq $((SOAK_SECS * 4))); do
    if curl -s --max-time 2 "$BASE/healthz" | grep -q '"cache":"fresh"'; then
      now=$(date +%s.%N)
      python3 -c "print('recovered_secs %.1f' % ($now - $start))" >"$WORK/recovery.txt"
      return 0
    fi
    sleep 0.5
  done
}

# Phase boundaries: /metrics and the live simulator's call log.
checkpoint() { # index
  [ "$1" = 0 ] || sample
  curl -s --max-time 5 "$BASE/metrics" >"$WORK/metrics-$1.txt" || true
  if [ -n "$SIM_PID" ]; then
    curl -s --max-time 5 "$SIM/_sim/calls" >"$WORK/simcalls-$1.json" || true
    echo "$SIM_LIFE up" >"$WORK/simlife-$1"
  else
    echo "$SIM_LIFE down" >"$WORK/simlife-$1"
  fi
}
checkpoint 0

PHASE_NAMES=(up 500s stall 429s down up-again)
PHASE_PERMILLE=(150 125 125 125 250 225)
{
  echo "secs $SOAK_SECS"
  echo "corpus $CORPUS"
  echo "wrk -t$THREADS -c$CONNECTIONS, pause $PAUSE_MS ms"
  echo "proxy --fresh-secs $FRESH_SECS --retry-failed-secs $RETRY_FAILED_SECS --upstream-timeout-secs $UPSTREAM_TIMEOUT_SECS"
  echo "faults stall $STALL_MS ms, 429 Retry-After $RETRY_AFTER_SECS s"
  echo "nproc $(nproc), load at the start $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$WORK/run.txt"
used=0
for i in "${!PHASE_NAMES[@]}"; do
  name=${PHASE_NAMES[$i]}
  if [ "$i" = $((${#PHASE_NAMES[@]} - 1)) ]; then
    secs=$((SOAK_SECS - used))
  else
    secs=$((SOAK_SECS * PHASE_PERMILLE[i] / 1000))
  fi
  used=$((used + secs))
  case $name in
    up) set_faults '{}' ;;
    500s) set_faults '{"error_rate": 1.0}' ;;
    stall) set_faults "{\"stall_rate\": 1.0, \"stall_ms\": $STALL_MS}" ;;
    429s) set_faults "{\"rate_limit_rate\": 1.0, \"retry_after_secs\": $RETRY_AFTER_SECS}" ;;
    down) kill_sim ;;
    up-again)
      start_sim
      watch_recovery &
      WATCH_PID=$!
      ;;
  esac
  echo "$name" >"$WORK/phase"
  echo "$((i + 1)) $secs $name" >>"$WORK/phases.txt"
  echo "soak.sh: phase $((i + 1))/${#PHASE_NAMES[@]} \"$name\" for ${secs}s ($(date -u +%H:%M:%S) UTC)" >&2
  sample
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 10s -s "$HERE/soak.lua" \
    "$BASE" -- "$ETAG" "$PAUSE_MS" "$PAGES" >"$WORK/wrk-$((i + 1)).txt" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
  checkpoint $((i + 1))
done

# After the load: let keep-alive connections close, then the last sample.
echo end >"$WORK/phase"
sleep 3
sample
stop "$SAMPLER_PID"
SAMPLER_PID=""
stop "$WATCH_PID"
WATCH_PID=""
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/run.txt"
kill_sim

python3 "$HERE/soak_report.py" "$WORK"
