#!/usr/bin/env bash
# Load benchmark of hc-proxy with a warm cache, on loopback only.
#
# Starts hc-sim (Debian corpus, admin routes on, the real 60/min limit) and
# hc-proxy (release builds), warms the cache, then runs wrk, bounded in
# time, against:
#   1. GET /v1/snapshot with If-None-Match (304s)
#   2. GET /v1/snapshot with Accept-Encoding: br (200s, precomputed brotli)
#   3. GET /v1/articles?page=N (N in 1..4, identity JSON, ~2.7 MB a page)
# and prints req/s, p99 and the simulator's upstream call count over the
# whole run. Not part of the test suite.
#
# Usage: crates/proxy/bench/load.sh [DURATION] [THREADS] [CONNECTIONS]
# Needs wrk (apt-get install -y wrk), curl and python3 (to pick free ports).
# TOKIO_WORKER_THREADS=N in the environment sets the proxy's worker threads
# (tokio's default is one per core; on a 2-core box shared with wrk, 1 is
# faster, see the README).
set -euo pipefail

DURATION=${1:-10s}
THREADS=${2:-2}
CONNECTIONS=${3:-64}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CORPUS=${CORPUS:-$ROOT/../shared/corpus/debian-reference.json}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

(cd "$ROOT" && cargo build --release -q -p hc-sim -p hc-proxy)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SIM_PORT=$(free_port)
PROXY_PORT=$(free_port)
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d)
SIM_PID=""
PROXY_PID=""
cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

HC_SIM_READ_KEY=$KEY RUST_LOG=warn "$TARGET/release/hc-sim" --data "$CORPUS" \
  --listen "127.0.0.1:$SIM_PORT" --admin >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$SIM_PORT/_sim/calls" >/dev/null && break; sleep 0.1; done

HC_API_KEY=$KEY RUST_LOG=warn "$TARGET/release/hc-proxy" \
  --api "http://127.0.0.1:$SIM_PORT/v1" --listen "127.0.0.1:$PROXY_PORT" \
  --allow-origin "http://127.0.0.1" --per-ip-per-second 0 >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
BASE="http://127.0.0.1:$PROXY_PORT"
for _ in $(seq 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/v1/snapshot")" = 200 ] && break
  sleep 0.1
done
ETAG=$(curl -s -D - -o /dev/null -H 'Accept-Encoding: br' "$BASE/v1/snapshot" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
SIZE_BR=$(curl -s -H 'Accept-Encoding: br' "$BASE/v1/snapshot" | wc -c)
SIZE_ID=$(curl -s "$BASE/v1/snapshot" | wc -c)
echo "warm: snapshot $SIZE_ID bytes identity, $SIZE_BR bytes brotli, ETag $ETAG"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION each"
echo

cat >"$WORK/pages.lua" <<'LUA'
request = function()
  return wrk.format("GET", "/v1/articles?page=" .. math.random(1, 4))
end
LUA

summary() { # label, wrk output file
  local rps p99
  rps=$(awk '/^Requests\/sec/{print $2}' "$2")
  p99=$(awk '$1=="99%"{print $2}' "$2")
  printf '%-44s %12s req/s   p99 %s\n' "$1" "$rps" "$p99"
}

wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
  -H "If-None-Match: $ETAG" -H 'Accept-Encoding: br' "$BASE/v1/snapshot" >"$WORK/304.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
  -H 'Accept-Encoding: br' "$BASE/v1/snapshot" >"$WORK/br.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
  -s "$WORK/pages.lua" "$BASE" >"$WORK/pages.txt"

for f in 304 br pages; do echo "--- wrk output: $f"; cat "$WORK/$f.txt"; done
echo
echo "=== summary"
summary "GET /v1/snapshot + If-None-Match (304)" "$WORK/304.txt"
summary "GET /v1/snapshot, Accept-Encoding: br (200)" "$WORK/br.txt"
summary "GET /v1/articles?page=1..4 (200, identity)" "$WORK/pages.txt"
echo
echo "upstream calls over the whole run (GET /_sim/calls):"
curl -s "http://127.0.0.1:$SIM_PORT/_sim/calls"
echo
curl -s "$BASE/metrics" | grep -E '^hc_proxy_(upstream_calls|refreshes|cache_requests|not_modified)' || true
