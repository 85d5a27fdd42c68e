// Growth benchmark: how the widget's costs grow with the size of the help
// center, through both real paths, in headless Chromium.
//
// For each size N (default 2,000, 10,000 and 50,000 articles in one
// language): `gen.mjs` writes a synthetic help center; hc-sim serves it;
// `hcs build-static` builds the static site from that simulator (timed),
// and hc-proxy serves it (its first refresh timed); then a fresh browser
// profile per path opens a product page with <hc-search> (static: `packs`,
// proxy: `proxy`) and measures what a visitor gets: bytes before the first
// results (every response's encoded body and headers, from page load to the
// first result in the DOM, with the widget's files and the static site
// served brotli -q 11 as a CDN would, the proxy serving its own), cold and
// warm (reload, IndexedDB) intent to results, the worker's own steps,
// keystroke to results in the DOM (p50/p95, the keystroke loop of
// tests/e2e/bench.mjs), and the renderer's memory (resident set of the
// renderer process holding the page and its worker, from /proc: the
// engine's wasm memory is not visible to the page's heap counters). Prints
// one table, the growth per 10× (fitted between the smallest and largest
// size) and each budget met or not; the raw figures go to a JSON file in
// bench/growth/data/ (ignored by git).
//
//   cargo build -p hc-sim -p hc-proxy -p hc-cli && cargo xtask build-web
//   node bench/growth/run.mjs [--sizes 2000,10000,50000] [--lang en] [--typed growth|debian|ja] [--paths static,proxy] [--timeout-s 300] [--key-gap-ms 0]
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { brotliCompressSync, constants as zc } from "node:zlib";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, extname, join, relative } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { generate } from "./gen.mjs";
import { startProcess, freePort, packsReady, CHROMIUM_ARGS, binDir, distDir, READ_KEY, timeSearches, observeWorkerMeasures } from "../../tests/e2e/harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg("sizes", "2000,10000,50000").split(",").map(Number);
const lang = arg("lang", "en");
const paths = arg("paths", "static,proxy").split(",");
const timeoutMs = Number(arg("timeout-s", "300")) * 1000;
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

// The query sets, in `queries.json` (which `--example loadtime` reads
// too): `growth`, words both source corpora answer (the synthetic text
// mixes them); `debian`, the keystroke queries of tests/e2e/bench.mjs (the
// Debian Reference's), to compare the two benchmarks' figures; `ja`,
// Japanese words of the Debian Reference for `--lang ja` (each character a
// keystroke, as an IME commits them). Each has its cold query.
const QUERY_SETS = JSON.parse(readFileSync(join(here, "queries.json"), "utf8"));
const typedSet = arg("typed", "growth");
if (!QUERY_SETS[typedSet]) throw new Error(`--typed: one of ${Object.keys(QUERY_SETS).join(", ")}`);
const { cold: COLD_QUERY, typed: TYPED } = QUERY_SETS[typedSet];
// --wait-ms: the pause between the first results and the keystrokes (the
// cold load's cache write runs in the worker meanwhile). --key-gap-ms: the
// pause before each keystroke (default 0: each is typed the moment the one
// before is in the DOM, so it competes with that one's frame; 100 is a
// typist of 120 words a minute).
const typeAfterMs = Number(arg("wait-ms", "1000"));
const keyGapMs = Number(arg("key-gap-ms", "0"));

// ---- a static file server that compresses as a CDN would ----------------
const MIME = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html; charset=utf-8" };
const compressed = new Map();
function brotli(file) {
  const key = `${file}:${statSync(file).mtimeMs}`;
  if (!compressed.has(key)) {
    const raw = readFileSync(file);
    compressed.set(key, brotliCompressSync(raw, {
      params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length, [zc.BROTLI_PARAM_LGWIN]: 24 },
    }));
  }
  return compressed.get(key);
}
/**
 * Compresses the files under `dir` now, so that no request waits for it
 * (brotli -q 11 of a 2 MB wasm takes seconds). A static site's
 * snapshot.json is left alone: the widget never fetches it when there
 * are packs, and compressing tens of MB would block this server.
 */
/** Packs and their bodies files: deflated already, so compressing them
 * again gains nothing. */
const DEFLATED = /\.(hcpack|hcbodies)$/;
function precompress(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = join(e.parentPath ?? e.path, e.name);
    if (e.isFile() && !DEFLATED.test(file) && !file.endsWith("snapshot.json")) brotli(file);
  }
}
async function startWeb(pages, roots) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const html = pages[url.pathname]?.();
    if (html) return res.writeHead(200, { "content-type": MIME[".html"], "cache-control": "no-cache" }).end(html);
    for (const [prefix, dir] of Object.entries(roots())) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = join(dir, url.pathname.slice(prefix.length));
      if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) break;
      const hashed = /\.[0-9a-f]{10}\.\w+$/.test(url.pathname);
      const headers = {
        "content-type": MIME[extname(file)] || "application/octet-stream",
        "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
      };
      if (/\bbr\b/.test(req.headers["accept-encoding"] || "") && !DEFLATED.test(file)) {
        headers["content-encoding"] = "br";
        return res.writeHead(200, headers).end(brotli(file));
      }
      return res.writeHead(200, headers).end(readFileSync(file));
    }
    res.writeHead(404).end("not found");
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((ok) => server.close(ok)) };
}

// ---- CPU per thread ------------------------------------------------------
/**
 * CPU time (clock ticks) so far of every thread of the browser, this
 * script (node: playwright's driver and the static server) and the
 * servers it started (hc-sim, hc-proxy), keyed by process type and thread
 * name: the machine has two cores, and a keystroke's legs wait for one.
 */
function threadTicks() {
  const out = new Map();
  for (const { pid, cmd } of procs()) {
    const exe = (cmd[0] || "").split("/").pop();
    if (!/^(chromium|chrome|node|hc-sim|hc-proxy)$/.test(exe)) continue;
    const type = cmd.find((a) => a.startsWith("--type="))?.slice(7) ?? exe;
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch { /* gone */ }
    for (const t of tasks) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        out.set(`${pid}/${t}`, { who: `${type} ${name}`, ticks: Number(f[11]) + Number(f[12]) });
      } catch { /* gone */ }
    }
  }
  return out;
}
/** Milliseconds of CPU per process type and thread name between two
 * `threadTicks()`, the largest first (clock ticks of 10 ms). */
function cpuBetween(before, after) {
  const ms = {};
  for (const [k, { who, ticks }] of after) {
    const d = ticks - (before.get(k)?.ticks ?? 0);
    if (d > 0) ms[who] = (ms[who] ?? 0) + d * 10;
  }
  return Object.entries(ms).sort((a, b) => b[1] - a[1]);
}

// ---- renderer memory -----------------------------------------------------
function procs() {
  const out = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Chromium rewrites the command lines of its children into one
      // space-separated string.
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split(/[\0\s]+/);
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const rss = Number(readFileSync(`/proc/${d}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      out.push({ pid: Number(d), ppid, cmd, rss });
    } catch { /* gone */ }
  }
  return out;
}
/** Largest resident set (MB) of a renderer of the browser using `profile`. */
function rendererMb(profile) {
  const all = procs();
  const root = all.find((p) => p.cmd.some((a) => a === `--user-data-dir=${profile}`) && !p.cmd.some((a) => a.startsWith("--type=")));
  if (!root) return null;
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const descends = (p) => {
    for (let q = p, n = 0; q && n < 10; q = byPid.get(q.ppid), n++) if (q.ppid === root.pid) return true;
    return false;
  };
  const renderers = all.filter((p) => p.cmd.includes("--type=renderer") && descends(p));
  return renderers.length ? Math.max(...renderers.map((p) => p.rss)) / 1024 : null;
}

// ---- the browser side ------------------------------------------------------
async function instrumented(context) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(timeSearches);
  await page.addInitScript(() => {
    document.addEventListener("hc-ready", (e) => { window.__ready = e.detail; });
  });
  return page;
}

async function intentToResults(page, query) {
  return page.evaluate(async ([q, limit]) => {
    const host = document.querySelector("hc-search");
    const t0 = performance.now();
    host.search(q);
    const root = host.shadowRoot;
    // The first hits of a pack come before the pieces of text they need,
    // without snippets: the time of the first titles is kept too.
    let titles = null;
    const done = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), limit);
      const check = () => {
        if (titles === null && root.querySelector("li.hc-option .hc-title")) titles = performance.now() - t0;
        if (root.querySelector("li.hc-option .hc-snippet")) {
          clearTimeout(timer);
          mo.disconnect();
          resolve(true);
        }
      };
      const mo = new MutationObserver(check);
      mo.observe(root, { subtree: true, childList: true });
      check();
    });
    const err = root.querySelector("[role=alert], .hc-error")?.textContent ?? null;
    // When, on the machine's clock, the results showed: the requests that
    // ended before are what they needed (the rest of the postings, one
    // request, starts once the first answer is out).
    const at = performance.timeOrigin + performance.now();
    return { ok: done, ms: performance.now() - t0, titles_ms: titles, at, steps: window.__ready?.timings ?? [], error: err };
  }, [query, timeoutMs]);
}

async function keystrokes(page) {
  return page.evaluate(async ([qs, gapMs]) => {
    const root = document.querySelector("hc-search").shadowRoot;
    const input = root.querySelector("input.hc-input");
    const shown = () => Number(root.querySelector("#hc-listbox")?.dataset.seq ?? -1);
    const abs = (t) => performance.timeOrigin + t;
    const out = [];
    for (const q of qs) {
      for (let i = 1; i <= q.length; i++) {
        if (q[i - 1] === " ") continue;
        if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        const before = shown();
        const inDomAt = new Promise((resolve) => {
          const timer = setTimeout(() => resolve(null), 10_000);
          const mo = new MutationObserver(() => {
            if (shown() > before) {
              clearTimeout(timer);
              mo.disconnect();
              resolve(performance.now());
            }
          });
          mo.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-seq"] });
        });
        const t0 = performance.now();
        input.value = q.slice(0, i);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const at = await inDomAt;
        // Absolute times (timeOrigin + now), to line up with the worker's.
        const s = window.__searches[shown()] ?? {};
        out.push(at === null ? null : {
          ms: at - t0, q: q.slice(0, i), n: out.length,
          posted: abs(s.posted), answered: abs(s.answered), inDom: abs(at),
        });
      }
    }
    return out;
  }, [TYPED, keyGapMs]);
}

// The worker's own part of each keystroke: the User Timing measure
// "hc-search search" that www/hc-worker-main.js makes around each message
// it handles, as [absolute start, duration] (null: no such worker).
async function observeWorker(page) {
  const observed = await observeWorkerMeasures(page);
  if (!observed) return null;
  return async () => (await observed.read())
    .filter((m) => m.name === "hc-search search")
    .map((m) => [m.start, m.duration]);
}

// A keystroke's legs: to the worker (posted → its handling starts), in
// the worker (the search and its answer), back (→ the page's onmessage),
// and render (→ the DOM); null when the worker has no measure for its
// search.
const LEG = { to: "to the worker", in: "in it", back: "back to the page", render: "page to DOM" };
function legsOf(k, handled) {
  const h = handled.find(([start]) => start >= k.posted - 0.5 && start <= k.answered);
  if (!h) return null;
  return { to: Math.max(0, h[0] - k.posted), in: h[1], back: Math.max(0, k.answered - (h[0] + h[1])), render: k.inDom - k.answered };
}

const pct = (list, p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
const stepsText = (steps) => Object.entries(steps ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");

async function measure(url) {
  // playwright-core as tests/e2e installs it (`npm ci` there).
  const e2e = createRequire(join(here, "../../tests/e2e/package.json"));
  const pw = await import(pathToFileURL(e2e.resolve("playwright-core")).href);
  const chromium = pw.chromium ?? pw.default.chromium;
  const profile = mkdtempSync(join(tmpdir(), "hc-growth-"));
  const r = { url };
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS,
    });
    const page = await instrumented(context);
    let crashed = false;
    page.on("crash", () => { crashed = true; });
    // Each finished request: its bytes and when it ended (epoch ms).
    const sizes = [];
    // The second part of the worker's wasm is left out: the worker asks
    // for it once it has posted the first results, which need none of it
    // (tests/e2e/split.test.mjs), and it may land before their snippets.
    page.on("requestfinished", (req) => /\/hc_worker_rest\.[0-9a-f]+\.wasm$/.test(new URL(req.url()).pathname) || sizes.push(req.sizes().then(
      (s) => ({ bytes: s.responseBodySize + s.responseHeadersSize, end: req.timing().startTime + req.timing().responseEnd }),
      () => ({ bytes: 0, end: Infinity }),
    )));
    await page.goto(url);
    await page.waitForTimeout(1500);
    r.mb_idle = rendererMb(profile);
    const cold = await intentToResults(page, COLD_QUERY).catch((e) => ({ ok: false, error: String(e.message).slice(0, 200) }));
    const before = (await Promise.all(sizes)).filter((x) => cold.ok && x.end <= cold.at);
    r.bytes_first_results = before.reduce((a, x) => a + x.bytes, 0);
    r.requests_first_results = before.length;
    r.cold_ok = cold.ok && !crashed;
    r.cold_ms = cold.ms;
    r.cold_titles_ms = cold.titles_ms;
    r.cold_steps = cold.steps;
    r.load_before = loadavg()[0];
    r.cold_error = crashed ? "renderer crashed" : cold.error;
    r.mb_results = rendererMb(profile);
    if (!r.cold_ok) return r;
    await page.waitForTimeout(typeAfterMs);
    // Everything fetched by the time typing starts: the rest of the
    // postings too, which later keystrokes read.
    r.bytes_before_typing = (await Promise.all(sizes)).reduce((a, x) => a + x.bytes, 0);
    const handled = await observeWorker(page);
    const cpuBefore = threadTicks();
    const typingStart = Date.now();
    const lat = await keystrokes(page);
    r.typing_ms = Date.now() - typingStart;
    r.typing_cpu = cpuBetween(cpuBefore, threadTicks());
    r.keystrokes = lat.length;
    r.keystrokes_lost = lat.filter((x) => x === null).length;
    r.typed = typedSet;
    const done = lat.filter((x) => x !== null);
    const ok = done.map((x) => x.ms).sort((a, b) => a - b);
    r.key_p50 = pct(ok, 50);
    r.key_p95 = pct(ok, 95);
    // The worker's part: the search message posted to its answer.
    const workerPart = (x) => x.answered - x.posted;
    const worker = done.map(workerPart).filter(Number.isFinite).sort((a, b) => a - b);
    r.key_worker_p50 = pct(worker, 50);
    r.key_worker_p95 = pct(worker, 95);
    r.key_gap_ms = keyGapMs;
    if (handled) {
      const measures = await handled();
      for (const k of done) k.legs = legsOf(k, measures);
      const split = done.filter((k) => k.legs);
      r.key_split = Object.fromEntries(Object.keys(LEG).map((leg) => {
        const v = split.map((k) => k.legs[leg]).sort((a, b) => a - b);
        return [leg, v.length ? [pct(v, 50), pct(v, 95)] : null];
      }));
    }
    // The slowest keystrokes: which prefix, its place in the sequence, and
    // how much of it the worker took, split into its legs.
    r.key_slowest = [...done].sort((a, b) => b.ms - a.ms).slice(0, 5)
      .map((x) => `#${x.n} "${x.q}" ${x.ms.toFixed(1)} (worker ${Number.isFinite(workerPart(x)) ? workerPart(x).toFixed(1) : "-"}${x.legs ? `: to ${x.legs.to.toFixed(1)}, in ${x.legs.in.toFixed(1)}, back ${x.legs.back.toFixed(1)}` : ""})`);
    r.mb_typed = rendererMb(profile);
    // Warm: the cache entry is written after the first answers; give it,
    // and V8's code cache, time to land.
    await page.waitForTimeout(3000);
    await page.reload();
    await page.waitForTimeout(500);
    const warm = await intentToResults(page, COLD_QUERY).catch((e) => ({ ok: false, error: String(e.message).slice(0, 200) }));
    r.warm_ok = warm.ok && !crashed;
    r.warm_ms = warm.ms;
    r.warm_steps = warm.steps;
    r.warm_error = warm.error;
    // The warm start's memory, in a new browser process on the same
    // profile (nothing of the first visit left in the renderer): the page
    // idle, then one second after the cached index answered.
    if (r.warm_ok) {
      await context.close();
      context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS,
      });
      const again = await instrumented(context);
      await again.goto(url);
      await again.waitForTimeout(1500);
      r.mb_warm_idle = rendererMb(profile);
      const answered = await intentToResults(again, COLD_QUERY).catch(() => ({ ok: false }));
      if (answered.ok) {
        await again.waitForTimeout(1000);
        r.mb_warm = rendererMb(profile);
      }
    }
    return r;
  } catch (e) {
    r.error = String(e.message).slice(0, 300);
    return r;
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

// ---- one size --------------------------------------------------------------
async function runSize(n, web, state) {
  const row = { articles: n, lang };
  const t0 = Date.now();
  const g = generate({ articles: n, lang, seed: 1, out: join(here, "data", `${lang}-${n}-s1.json`) });
  row.data_bytes = g.bytes;
  row.sha256 = g.sha256;
  log(`generated ${n} articles (${(g.bytes / 1e6).toFixed(1)} MB, ${Date.now() - t0} ms)`);
  const simPort = await freePort();
  // HC_SIM_BIN: an hc-sim other than the one beside the other binaries
  // (HC_BIN_DIR, by default $CARGO_TARGET_DIR/debug).
  const simBin = process.env.HC_SIM_BIN ? relative(binDir, process.env.HC_SIM_BIN) : "hc-sim";
  const sim = await startProcess(simBin,
    ["--data", g.out, "--listen", `127.0.0.1:${simPort}`, "--read-key", READ_KEY, "--rate-limit", "0"],
    {}, /serving/, timeoutMs);
  const api = `http://127.0.0.1:${simPort}/v1`;
  let proxy;
  try {
    if (paths.includes("static")) await staticPath(n, api, web, state, row);
    if (paths.includes("proxy")) proxy = await proxyPath(api, web, state, row);
  } finally {
    proxy?.stop();
    sim.stop();
  }
  return row;
}

/** The static path: `hcs build-static`, then the browser. Failures are figures. */
async function staticPath(n, api, web, state, row) {
  try {
    const out = mkdtempSync(join(tmpdir(), "hc-growth-site-"));
    state.site = join(out, "hc-search");
    const b0 = Date.now();
    await promisify(execFile)(join(binDir, "hcs"),
      ["build-static", "--api", api, "--out", state.site, "--assets", distDir, "--rate-limit", "0", "--public-url", "https://help.example.com"],
      { env: { ...process.env, HC_API_KEY: READ_KEY, RUST_LOG: "warn" }, maxBuffer: 1 << 24, timeout: 3 * timeoutMs });
    row.static_build_s = (Date.now() - b0) / 1000;
    precompress(state.site);
    const index = JSON.parse(readFileSync(join(state.site, "packs.json"), "utf8"));
    const file = index.packs[lang];
    // The language's data as written: its pack and, beside it
    // (`{lang}.{hash}.{n}.hcbodies`), the pieces of its texts (a visitor
    // fetches those of the hits shown), the chunks of its postings and
    // their bundle (the chunks again, in one file).
    const pieces = readdirSync(state.site).filter((f) => f.startsWith(`${lang}.`) && f.endsWith(".hcbodies"));
    row.pack_bytes = file ? statSync(join(state.site, file)).size + pieces.reduce((sum, f) => sum + statSync(join(state.site, f)).size, 0) : null;
    log(`static build ${row.static_build_s} s, pack ${row.pack_bytes} B`);
    row.static = await measure(`${web.url}/static`);
    log("static", JSON.stringify(row.static));
    rmSync(out, { recursive: true, force: true });
  } catch (e) {
    row.static = { error: `hcs build-static: ${firstLine(e)}` };
    log(`size ${n}, static: ${firstLine(e)}`);
  }
}

/** The proxy path: hc-proxy's first refresh, then the browser. */
async function proxyPath(api, web, state, row) {
  let proxy;
  try {
    const proxyPort = await freePort();
    proxy = await startProcess("hc-proxy",
      ["--api", api, "--listen", `127.0.0.1:${proxyPort}`, "--allow-origin", web.url,
       "--public-url", "https://help.example.com", "--per-ip-per-second", "0",
       // The API's 60 requests a minute would make a 50k walk take 8 min;
       // the simulator has no limit here, and neither has the proxy.
       "--api-per-minute", "1000000", "--cold-wait-secs", String(timeoutMs / 1000)],
      { HC_API_KEY: READ_KEY, RUST_LOG: "warn" }, /listening/, timeoutMs);
    state.proxy = `http://127.0.0.1:${proxyPort}`;
    // The proxy's first refresh (upstream walk, sanitising, compressing)
    // is its own cold start, not the visitor's: timed apart, before.
    const p0 = Date.now();
    let res, body;
    do {
      res = await fetch(`${state.proxy}/v1/snapshot`, { headers: { origin: web.url, "accept-encoding": "br" } });
      body = await res.arrayBuffer();
      // 503: the cold wait ran out; 408: this request's own timeout.
    } while ((res.status === 503 || res.status === 408) && Date.now() - p0 < 3 * timeoutMs);
    if (res.status !== 200) throw new Error(`the proxy's snapshot answered ${res.status}`);
    row.proxy_refresh_s = (Date.now() - p0) / 1000;
    row.snapshot_br_bytes = Number(res.headers.get("content-length")) || body.byteLength;
    // Its per-language packs are built after that refresh: wait for them
    // (as tests/e2e/bench.mjs does), so the visitor gets a pack, as on a
    // running proxy, rather than the snapshot to index in the browser.
    const k0 = Date.now();
    // (Still none after the timeout: the visitor gets the snapshot route.)
    await packsReady(state.proxy, timeoutMs).catch(() => {});
    row.proxy_packs_s = (Date.now() - k0) / 1000;
    log(`proxy refresh ${row.proxy_refresh_s} s, snapshot ${res.status} ${res.headers.get("content-encoding")} ${row.snapshot_br_bytes} B`);
    row.proxy = await measure(`${web.url}/proxy`);
    log("proxy", JSON.stringify(row.proxy));
  } catch (e) {
    row.proxy = { error: `hc-proxy: ${firstLine(e)}` };
    log(`proxy: ${firstLine(e)}`);
  }
  return proxy;
}

/** An error's first line (execFile's message quotes the whole command and its output). */
const firstLine = (e) => String(e?.killed ? `killed after ${(3 * timeoutMs) / 1000} s` : e?.message ?? e).split("\n")[0].slice(0, 200);

// ---- main ----------------------------------------------------------------
// --report FILE: print the table of an earlier run's JSON (or of several,
// comma-separated, e.g. a 50k run added to a 2k/10k one) without measuring.
const report = arg("report", null);
const rows = report ? report.split(",").flatMap((f) => JSON.parse(readFileSync(f, "utf8"))) : await measureAll();

async function measureAll() {
const state = {};
const page = (attrs) => () => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Acme</title>
<script type="module" src="${attrs.packs ? "/hc-search/hc-search.js" : "/dist/hc-search.js"}"></script></head>
<body><main><h1>Acme</h1><hc-search ${Object.entries(attrs).map(([k, v]) => `${k}="${v}"`).join(" ")}></hc-search></main></body></html>`;
precompress(distDir);
const web = await startWeb({
  "/static": () => page({ packs: "/hc-search/packs.json", lang, preload: "intent" })(),
  "/proxy": () => page({ proxy: state.proxy, lang, preload: "intent" })(),
}, () => ({ "/dist/": distDir, ...(state.site ? { "/hc-search/": state.site } : {}) }));
const rows = [];
for (const n of sizes) rows.push(await runSize(n, web, state));
await web.stop();
const jsonOut = join(here, "data", `growth-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(jsonOut, JSON.stringify(rows, null, 1));
log(`JSON: ${jsonOut}`);
return rows;
}

// ---- table -----------------------------------------------------------------
const f0 = (x) => (x == null || Number.isNaN(x) ? "-" : x.toFixed(0));
const f1 = (x) => (x == null || Number.isNaN(x) ? "-" : x.toFixed(1));
// What the widget adds to the renderer: after typing, minus the idle page.
const widgetMb = (m) => (m?.mb_typed != null && m?.mb_idle != null ? m.mb_typed - m.mb_idle : null);
// The same for a warm start in a new browser process: answered − idle.
const widgetWarmMb = (m) => (m?.mb_warm != null && m?.mb_warm_idle != null ? m.mb_warm - m.mb_warm_idle : null);
const kb = (x) => (x == null ? "-" : `${(x / 1024).toFixed(0)}`);
console.log(`growth benchmark, lang ${lang}, synthetic help centers (bench/growth/gen.mjs, seed 1); Chromium headless, 2-core machine`);
console.log("| path | articles | data KB (pack / snapshot br) | server build s | bytes before first results / before typing KB | cold intent→results ms (titles / snippets) | worker steps (cold) | warm (reload) ms | keystroke p50 / p95 ms | renderer MB idle / results / typed | widget MB cold / warm | load avg |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  for (const p of paths) {
    const m = r[p];
    if (!m || (m.error && m.cold_ok === undefined)) {
      console.log(`| ${p} | ${r.articles} | - | - | failed: ${m?.error ?? "not run"} | | | | | | | |`);
      continue;
    }
    const data = p === "static" ? r.pack_bytes : r.snapshot_br_bytes;
    const build = p === "static" ? r.static_build_s : r.proxy_refresh_s;
    const cold = m.cold_ok ? `${m.cold_titles_ms != null ? `${f0(m.cold_titles_ms)} / ` : ""}${f0(m.cold_ms)}` : `failed (${m.cold_error ?? m.error ?? "timeout"}, ${f0(m.cold_ms)} ms)`;
    const warm = m.warm_ok ? f0(m.warm_ms) : m.cold_ok ? `failed (${m.warm_error ?? m.error ?? "timeout"})` : "-";
    console.log(`| ${p} | ${r.articles} | ${kb(data)} | ${f1(build)} | ${kb(m.bytes_first_results)} / ${kb(m.bytes_before_typing)} | ${cold} | ${stepsText(m.cold_steps)} | ${warm} | ${f1(m.key_p50)} / ${f1(m.key_p95)}${m.keystrokes_lost ? ` (${m.keystrokes_lost} lost)` : ""} | ${f0(m.mb_idle)} / ${f0(m.mb_results)} / ${f0(m.mb_typed)} | ${f0(widgetMb(m))} / ${f0(widgetWarmMb(m))} | ${f1(m.load_before)} |`);
  }
}
// Growth per 10×: the ratio between the smallest and largest size that
// both measured, scaled to a factor of 10 in articles (log-log slope).
for (const p of paths) {
  const measured = rows.filter((r) => r[p]?.cold_ok);
  const first = measured[0];
  const last = measured[measured.length - 1];
  if (!first || first === last) continue;
  const k = 1 / Math.log10(last.articles / first.articles);
  const per10 = (a, b) => (a > 0 && b > 0 ? `×${((b / a) ** k).toFixed(2)}` : "-");
  {
    const a = first[p] ?? {}, b = last[p] ?? {};
    const dataA = p === "static" ? first.pack_bytes : first.snapshot_br_bytes;
    const dataB = p === "static" ? last.pack_bytes : last.snapshot_br_bytes;
    console.log(`growth per 10× articles, ${p} (${first.articles} → ${last.articles}): data ${per10(dataA, dataB)}, bytes before first results ${per10(a.bytes_first_results, b.bytes_first_results)}, cold ${per10(a.cold_ok && a.cold_ms, b.cold_ok && b.cold_ms)}, warm ${per10(a.warm_ok && a.warm_ms, b.warm_ok && b.warm_ms)}, keystroke p95 ${per10(a.key_p95, b.key_p95)}, widget MB ${per10(widgetMb(a), widgetMb(b))}`);
  }
}
// The issue's budgets at each size: keystroke p95 ≤ 16 ms, cold from static
// packs ≤ 2 s, memory ≤ 150 MB (what the widget adds to the renderer).
for (const r of rows) {
  const s = r.static ?? {}, x = r.proxy ?? {};
  const verdict = (v, max) => (v == null ? "not measured" : v <= max ? `met (${f1(v)})` : `NOT met (${f1(v)})`);
  console.log(`budgets at ${r.articles}: static keystroke p95 ≤ 16 ms ${verdict(s.key_p95, 16)}; proxy keystroke p95 ≤ 16 ms ${verdict(x.key_p95, 16)}; static cold ≤ 2000 ms ${verdict(s.cold_ok ? s.cold_ms : null, 2000)}; widget memory ≤ 150 MB static ${verdict(widgetMb(s), 150)}, proxy ${verdict(widgetMb(x), 150)}`);
}
// Where keystroke time goes: the worker's part (search posted → answer),
// split into its legs, and the slowest keystrokes (#n = place in the typed
// sequence).
for (const r of rows) {
  for (const p of paths) {
    const m = r[p];
    if (m?.key_worker_p95 == null) continue;
    const legs = m.key_split && Object.entries(m.key_split).map(([k, v]) => `${LEG[k]} ${v ? `${f1(v[0])} / ${f1(v[1])}` : "-"}`).join(", ");
    console.log(`keystrokes at ${r.articles}, ${p} (${m.typed} queries, ${m.key_gap_ms} ms apart): worker p50 / p95 ${f1(m.key_worker_p50)} / ${f1(m.key_worker_p95)} ms${legs ? ` (${legs})` : ""}; slowest ${m.key_slowest.join(", ")}`);
    if (m.typing_cpu) {
      const total = m.typing_cpu.reduce((a, [, v]) => a + v, 0);
      console.log(`  CPU while typing (${m.typing_ms} ms, ${m.keystrokes} keystrokes): ${total} ms in all; ${m.typing_cpu.slice(0, 8).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    }
  }
}
