#!/usr/bin/env python3
"""Tables of a soak run (soak.sh): reads the work directory soak.sh fills
(phases.txt, wrk-N.txt, metrics-N.txt, simcalls-*.json, simlife-N,
samples.txt, run.txt) and prints Markdown, per phase and for the whole run.

Usage: soak_report.py WORK_DIR
"""

import json
import os
import re
import sys

work = sys.argv[1]


def path(name):
    return os.path.join(work, name)


def read(name, default=""):
    try:
        with open(path(name)) as f:
            return f.read()
    except OSError:
        return default


METRIC = re.compile(r'^(hc_proxy_[a-z_]+)(?:\{([^}]*)\})?\s+(\S+)$')


def metrics(i):
    """Counters of /metrics at checkpoint i as {(name, labels): value}."""
    out = {}
    for line in read(f"metrics-{i}.txt").splitlines():
        m = METRIC.match(line)
        if not m:
            continue
        labels = tuple(sorted(re.findall(r'(\w+)="([^"]*)"', m.group(2) or "")))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


def m_sum(ms, name, **want):
    return sum(v for (n, labels), v in ms.items()
               if n == name and all(dict(labels).get(k) == w for k, w in want.items()))


def m_by(ms, name, key):
    out = {}
    for (n, labels), v in ms.items():
        if n == name:
            k = dict(labels).get(key, "?")
            out[k] = out.get(k, 0) + v
    return out


def sim_total(name):
    try:
        calls = json.loads(read(name, "[]") or "[]")
    except json.JSONDecodeError:
        return 0
    return sum(c["count"] for c in calls if c.get("route", "").startswith("/v1"))


def sim_cumulative(i):
    """Upstream calls the simulator received up to checkpoint i, over all
    its lives (each kill loses its log, so soak.sh saved it first)."""
    life, state = (read(f"simlife-{i}", "1 up").split() + ["up"])[:2]
    life = int(life)
    total = sum(sim_total(f"simcalls-life{k}.json") for k in range(1, life))
    if state == "up":
        total += sim_total(f"simcalls-{i}.json")
    return total


def wrk(i):
    out = {}
    for line in read(f"wrk-{i}.txt").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "soak":
            out[parts[1]] = int(float(parts[2]))
    return out


phases = []
for line in read("phases.txt").splitlines():
    idx, secs, name = line.split(" ", 2)
    phases.append((int(idx), int(secs), name))

samples = []
for line in read("samples.txt").splitlines():
    # t, phase, VmRSS kB, fds, threads, cache state, cache age
    p = line.split()
    if len(p) == 7 and p[2].isdigit():
        samples.append(dict(t=int(p[0]), phase=p[1], rss=int(p[2]), fds=int(p[3]),
                            thr=int(p[4]), cache=p[5], age=p[6]))

DATA = "hc_proxy_cache_requests_total"
REFRESH = "hc_proxy_refreshes_total"
CALLS = "hc_proxy_upstream_calls_total"


def delta(a, b, name, **want):
    return int(m_sum(b, name, **want) - m_sum(a, name, **want))


def mib(kb):
    return f"{kb / 1024:.1f}"


def pct(n, d):
    return f"{100.0 * n / d:.1f}%" if d else "–"


def statuses(w):
    return {int(k[7:]): v for k, v in w.items() if k.startswith("status_")}


print("### Run")
print()
for line in read("run.txt").splitlines():
    print(f"- {line}")
print()

print("### Per phase")
print()
print("Statuses are what wrk received; stale is the share of data requests "
      "answered from an expired copy (/metrics); upstream calls are the proxy's "
      "count (status 0: no answer); \"sim received\" is hc-sim's log, which "
      "records a call when it answers, so calls the proxy abandoned (stalls past "
      "its timeout) and calls to a dead simulator are not in it.")
print()
print("| phase | s | requests | req/s | 200 | 304 | 5xx | other | socket errors | p99 ms | max ms "
      "| stale | refreshes ok/failed | upstream calls (proxy) | per refresh | sim received "
      "| RSS max MiB | fds max |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
totals = dict(req=0, ok=0, nm=0, s5=0, other={}, sockerr=0, secs=0)
for idx, secs, name in phases:
    w = wrk(idx)
    st = statuses(w)
    a, b = metrics(idx - 1), metrics(idx)
    data = delta(a, b, DATA)
    stale = delta(a, b, DATA, outcome="stale")
    ok = delta(a, b, REFRESH, result="ok")
    err = delta(a, b, REFRESH, result="error")
    calls = delta(a, b, CALLS)
    sim = sim_cumulative(idx) - sim_cumulative(idx - 1)
    req = w.get("requests", 0)
    dur = w.get("duration_us", 0) / 1e6 or secs
    s5 = sum(v for k, v in st.items() if k >= 500)
    other = {k: v for k, v in st.items() if k not in (200, 304) and k < 500}
    sockerr = sum(w.get(k, 0) for k in ("err_connect", "err_read", "err_write", "err_timeout"))
    ps = [s for s in samples if s["phase"] == name]
    totals["req"] += req
    totals["ok"] += st.get(200, 0)
    totals["nm"] += st.get(304, 0)
    totals["s5"] += s5
    totals["sockerr"] += sockerr
    totals["secs"] += dur
    for k, v in other.items():
        totals["other"][k] = totals["other"].get(k, 0) + v
    refreshes = ok + err
    per_refresh = f"{calls / refreshes:.1f}" if refreshes else "–"
    print(f"| {name} | {secs} | {req:,} | {req / dur:,.0f} | {st.get(200, 0):,} | {st.get(304, 0):,} "
          f"| {s5:,} | {sum(other.values()):,} | {sockerr:,} "
          f"| {w.get('latency_p99_us', 0) / 1000:.1f} | {w.get('latency_max_us', 0) / 1000:.1f} "
          f"| {pct(stale, data)} | {ok} / {err} | {calls} | {per_refresh} | {sim} "
          f"| {mib(max((s['rss'] for s in ps), default=0))} "
          f"| {max((s['fds'] for s in ps), default=0)} |")
print()

m0, mend = metrics(0), metrics(len(phases))
data = delta(m0, mend, DATA)
stale = delta(m0, mend, DATA, outcome="stale")
unavailable = delta(m0, mend, DATA, outcome="unavailable")
ok = delta(m0, mend, REFRESH, result="ok")
err = delta(m0, mend, REFRESH, result="error")
calls_run = delta(m0, mend, CALLS)
calls_all = int(m_sum(mend, CALLS))
by_status = {k: int(v - m_by(m0, CALLS, "status").get(k, 0))
             for k, v in sorted(m_by(mend, CALLS, "status").items())}
sim_run = sim_cumulative(len(phases)) - sim_cumulative(0)
sim_all = sim_cumulative(len(phases))
# Calls per successful refresh where the upstream was healthy all along.
up_calls = up_ok = up_err = 0
for idx, _, name in phases:
    if name.startswith("up"):
        a, b = metrics(idx - 1), metrics(idx)
        up_calls += delta(a, b, CALLS)
        up_ok += delta(a, b, REFRESH, result="ok")
        up_err += delta(a, b, REFRESH, result="error")

load = [s for s in samples if s["phase"] not in ("warm", "end")]
first, last = (samples[0] if samples else None), (samples[-1] if samples else None)
rss_max = max((s["rss"] for s in samples), default=0)
fds_max = max((s["fds"] for s in load), default=0)
thr_max = max((s["thr"] for s in samples), default=0)
ages = [int(s["age"]) for s in load if s["age"].isdigit()]

print("### Whole run")
print()
print("| measure | value |")
print("|---|---|")
print(f"| requests served | {totals['req']:,} in {totals['secs']:.0f} s ({totals['req'] / max(totals['secs'], 1):,.0f} req/s): "
      f"{totals['ok']:,} × 200, {totals['nm']:,} × 304 |")
print(f"| data requests served stale (/metrics) | {stale:,} of {data:,} ({pct(stale, data)}) |")
print(f"| 5xx answered | {totals['s5']:,} (on a cold cache, `outcome=\"unavailable\"`: {unavailable:,}; "
      f"with a cached copy: {max(totals['s5'] - unavailable, 0):,}) |")
other = ", ".join(f"{v:,} × {k}" for k, v in sorted(totals["other"].items())) or "none"
print(f"| other non-2xx/304 | {other} |")
print(f"| socket errors and timeouts (wrk, 10 s timeout) | {totals['sockerr']:,} |")
print(f"| upstream calls during the load (proxy's count, any answer or none) | {calls_run:,}: "
      + ", ".join(f"{v:,} × {'no answer' if k == '0' else k}" for k, v in by_status.items() if v) + " |")
print(f"| upstream calls received by hc-sim (during the load / since start) | {sim_run:,} / {sim_all:,} |")
print(f"| refreshes during the load | {ok:,} succeeded, {err:,} failed |")
print(f"| upstream calls per refresh | {calls_run / max(ok + err, 1):.2f} overall; "
      f"{up_calls / max(up_ok + up_err, 1):.2f} in the healthy phases ({up_ok} ok, {up_err} failed) |")
recovery = read("recovery.txt").split()
print(f"| hc-sim restarted → fresh copy again (/healthz polled every 0.5 s) | "
      f"{recovery[1] + ' s' if len(recovery) == 2 else 'not within the phase'} |")
print(f"| oldest copy served (/healthz age, sampled) | {max(ages, default=0)} s |")
if first and last:
    # Flat or growing: the peak of the last phase against the peak of the
    # first, both healthy phases with the same traffic and refresh rhythm.
    peak_first = max((s["rss"] for s in samples if s["phase"] == phases[0][2]), default=0)
    peak_last = max((s["rss"] for s in samples if s["phase"] == phases[-1][2]), default=0)
    print(f"| RSS start (before load) / max / end | {mib(first['rss'])} / {mib(rss_max)} / {mib(last['rss'])} MiB; "
          f"peak of the first phase {mib(peak_first)} MiB, of the last {mib(peak_last)} MiB "
          f"({100.0 * (peak_last - peak_first) / max(peak_first, 1):+.1f}%) |")
    print(f"| open fds start / max under load / end | {first['fds']} / {fds_max} / {last['fds']} |")
    print(f"| threads start / max / end | {first['thr']} / {thr_max} / {last['thr']} |")
print(f"| upstream calls since start (proxy, incl. key probe and warm-up) | {calls_all:,} |")
print()

print("### Samples")
print()
print("| t s | phase | RSS MiB | fds | threads | cache | age s |")
print("|---:|---|---:|---:|---:|---|---:|")
for s in samples:
    print(f"| {s['t']} | {s['phase']} | {mib(s['rss'])} | {s['fds']} | {s['thr']} | {s['cache']} | {s['age']} |")
