// Widget benchmark in headless Chromium against hc-sim + hc-proxy with the
// Debian Reference: first intent to first results (cold; warm after a
// reload; warm on a return visit: new tabs of the running browser, the
// median of BENCH_NEW_TABS (5), and a new browser process on the same
// profile), keystroke to rendered results, bytes before intent, the size
// of what intent brings, and the bytes downloaded between the cold intent
// and the first results. Prints one table. Run after
// `cargo xtask build-web`:
//   node tests/e2e/bench.mjs
// BENCH_LANG=ja benchmarks a Japanese page (query "パッケージ").
// BENCH_PATH=static benchmarks a static site instead of the proxy path: the
// packs `hcs build-static` writes, served as files, no proxy.
// BENCH_PATH=snapshot benchmarks the proxy's snapshot route (the widget
// with `fallback="default"`, which packs cannot serve): the index is built
// in the browser, by the builder (crates/builder).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startBackend, startSim, startWebServer, packsReady, CHROMIUM_ARGS, productPage, shared, distDir, binDir, READ_KEY, timeSearches,
} from "./harness.mjs";

const manifest = JSON.parse(readFileSync(join(distDir, "manifest.json"), "utf8"));
const corpus = join(shared, "corpus/debian-reference.json");
const STATIC = process.env.BENCH_PATH === "static";
const SNAPSHOT = process.env.BENCH_PATH === "snapshot";
const site = STATIC ? await buildStaticSite() : null;
const web = await startWebServer({
  extra: site ? { "/site/": site } : {},
  page: (url) => pages[url.pathname]?.() ?? null,
});
const backend = STATIC ? null : await startBackend(corpus, { allowOrigin: web.url });
const LANG = process.env.BENCH_LANG || "en";
const QUERY = LANG === "ja" ? "パッケージ" : "apt pinning";
const source = STATIC ? { packs: "/site/packs.json" } : { proxy: backend.proxyUrl, ...(SNAPSHOT ? { fallback: "default" } : {}) };
const pages = {
  "/idle": () => productPage({ attrs: { ...source, lang: LANG } }),
  "/intent": () => productPage({ attrs: { ...source, lang: LANG, preload: "intent" } }),
};
if (backend) {
  // The proxy's own cold start (upstream walk, sanitising) is not the
  // widget's: warm it first.
  await fetch(`${backend.proxyUrl}/v1/snapshot`, { headers: { origin: web.url } }).then((r) => r.arrayBuffer());
  // Its prebuilt packs are built after that refresh (a proxy without a
  // packs route answers 404 for good: then go on after a minute).
  // Said out loud: a proxy path measured on the snapshot route is
  // another benchmark (a slow pack build once showed only as a slow cold
  // start).
  await packsReady(backend.proxyUrl, 60_000).catch((e) => {
    if (!SNAPSHOT) console.warn(`warning: ${e.message}; the proxy path below is the snapshot route`);
  });
}

/** The corpus through `hcs build-static` into a temporary folder. */
async function buildStaticSite() {
  const sim = await startSim(corpus);
  const out = join(mkdtempSync(join(tmpdir(), "hc-bench-site-")), "hc-search");
  try {
    execFileSync(
      join(binDir, "hcs"),
      ["build-static", "--api", `${sim.url}/v1`, "--out", out, "--assets", distDir, "--rate-limit", "0"],
      { env: { ...process.env, HC_API_KEY: READ_KEY }, stdio: ["ignore", "ignore", "inherit"] },
    );
  } finally {
    sim.stop();
  }
  return out;
}
// A profile on disk, so that a second browser process finds what the first
// left: the HTTP cache, V8's cache of the compiled wasm, IndexedDB.
const { chromium } = await import("playwright-core");
const profile = mkdtempSync(join(tmpdir(), "hc-bench-"));
const launch = (dir = profile) => chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS,
});
let context = await launch();
let page = await instrumented(context);

const brotliOf = (path) => {
  const file = path.split("/").pop();
  const entry = Object.values(manifest).find((e) => e.file === file);
  return entry ? entry.brotli : null;
};

/** A page that times hc-ready and each search's round trip. */
async function instrumented(context) {
  const page = context.pages().find((p) => p.url() === "about:blank") ?? (await context.newPage());
  await page.addInitScript(timeSearches);
  await page.addInitScript(() => {
    document.addEventListener("hc-ready", (e) => {
      window.__ready = e.detail;
      window.__readyAt = performance.now();
    });
  });
  return page;
}

// Bytes before intent: a page with preload="intent", nothing touched.
const fetched = [];
page.on("requestfinished", (r) => fetched.push(new URL(r.url()).pathname));
await page.goto(`${web.url}/intent`);
await page.waitForTimeout(1500);
const beforeIntent = fetched.filter((p) => p.startsWith("/dist/"));
const beforeIntentBrotli = beforeIntent.map(brotliOf).reduce((a, b) => a + (b ?? 0), 0);

async function intentToResults(query) {
  return page.evaluate(async (q) => {
    const host = document.querySelector("hc-search");
    const t0 = performance.now();
    host.search(q); // what a visitor's shortcut + typing does, as one step
    // Where the time goes on the main thread's side: the UI mounted (its
    // module fetched, compiled, run) and the worker's hc-ready delivered.
    let mounted = null;
    host.mount().then(() => (mounted = performance.now() - t0));
    // The moment the first result is in the DOM (a MutationObserver, not
    // animation-frame polling, which added up to a frame).
    const root = host.shadowRoot;
    // The first hits may come without snippets (the pieces of text they
    // need are still on their way): the figure is the first hit with its snippet,
    // and the moment the first titles showed is a step.
    let titles = null;
    await new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (titles === null && root.querySelector("li.hc-option .hc-title")) titles = performance.now() - t0;
        if (root.querySelector("li.hc-option .hc-snippet")) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(root, { subtree: true, childList: true });
    });
    const ms = performance.now() - t0;
    // The first search's round trip (timeSearches): posted once the UI
    // mounted, answered once the index is in and the search ran.
    const first = Object.values(window.__searches).find((s) => s.posted >= t0);
    const at = {
      "UI mounted": mounted, "search posted": first && first.posted - t0, "hc-ready": window.__readyAt - t0,
      "answer received": first?.answered && first.answered - t0, "first titles": titles,
    };
    return { ms, steps: window.__ready?.timings ?? {}, at };
  }, query);
}

// What the cold start downloads, per request (encoded body bytes).
const coldRequests = [];
const onCold = async (r) => {
  const sizes = await r.sizes().catch(() => null);
  coldRequests.push([new URL(r.url()).pathname, sizes?.responseBodySize ?? 0]);
};
page.on("requestfinished", onCold);
const cold = await intentToResults(QUERY); // UI, worker, snapshot and index all load now
page.off("requestfinished", onCold);
const coldTotal = coldRequests.reduce((a, [, n]) => a + n, 0);
// The worker's wasm's second part, asked for once the first results were
// posted, may land before their snippets: said apart.
const coldRest = coldRequests.filter(([p]) => /\/hc_worker_rest\./.test(p)).reduce((a, [, n]) => a + n, 0);
const coldData = coldRequests.filter(([p]) => !p.startsWith("/dist/"));
const coldDataBytes = coldData.reduce((a, [, n]) => a + n, 0);
// The pack is stored by then. RELOAD_WAIT=ms: V8 writes its cache of the
// compiled wasm only some time after compiling.
await page.waitForTimeout(Number(process.env.RELOAD_WAIT || 1000));
await page.reload();
await page.waitForTimeout(300);
// A reload stays in the same renderer process, which may still hold the
// engine compiled on the first visit.
const reloaded = await intentToResults(QUERY);
// A return visit in a running browser: the tab closed, a new tab (a new
// renderer process) opened later. One sample swings by tens of
// milliseconds from run to run (V8 compiles again in each new process,
// and two cores are shared), so BENCH_NEW_TABS visits (5) are made in
// turn and the median is the figure.
/** BENCH_NEW_TABS return visits in turn, each in a new tab of `path`, the intent `waitMs` after it loaded. */
async function newTabVisits(path, waitMs) {
  const visits = [];
  for (let i = 0; i < Math.max(1, Number(process.env.BENCH_NEW_TABS || 5)); i++) {
    await page.waitForTimeout(1000);
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.RELOAD_WAIT || 1000)));
    page = await instrumented(context);
    await page.goto(`${web.url}${path}`);
    await page.waitForTimeout(waitMs);
    visits.push(await intentToResults(QUERY));
  }
  return visits;
}
const median = (visits) => [...visits].sort((a, b) => a.ms - b.ms)[Math.floor((visits.length - 1) / 2)];
const newTabs = await newTabVisits("/intent", 300);
const newTab = median(newTabs);
// The same return visit with the default preload ("idle"): the page
// starts the UI and the worker, which loads the cached index, once it is
// idle, so that a visitor's first intent, a second after the page
// loaded, finds only the search left to do.
const idleTabs = await newTabVisits("/idle", 1000);
const idleTab = median(idleTabs);
// A return visit: a new browser process, with only what is on disk.
await page.waitForTimeout(1000);
await context.close();
context = await launch();
page = await instrumented(context);
await page.goto(`${web.url}/intent`);
await page.waitForTimeout(300);
const newProcess = await intentToResults(QUERY);

// Keystroke to rendered results, one character at a time, once the warm
// start's background work (the reader documents, the revalidation) is
// done, as when a visitor reads the first results and types on: the start
// itself is the figure above.
await page.waitForTimeout(1000);
const queries = ["network configuration", "ssh key", "backup", "locale", "kernel module", "sudo", "firewall", "mount usb"];
const latencies = await page.evaluate(async (qs) => {
  const root = document.querySelector("hc-search").shadowRoot;
  const input = root.querySelector("input.hc-input");
  const shown = () => Number(root.querySelector("#hc-listbox")?.dataset.seq ?? -1);
  const out = [];
  for (const q of qs) {
    for (let i = 1; i <= q.length; i++) {
      if (q[i - 1] === " ") continue; // a trailing space asks the same question
      const before = shown();
      // Noticed the moment the DOM changes (a setTimeout(0) polling loop
      // is clamped to 4 ms steps once nested, which blurred the figure).
      const inDomAt = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (shown() > before) {
            mo.disconnect();
            resolve(performance.now());
          }
        });
        mo.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-seq"] });
      });
      const t0 = performance.now();
      input.value = q.slice(0, i);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const inDom = (await inDomAt) - t0;
      await new Promise((r) => requestAnimationFrame(r)); // the frame that paints it
      const painted = performance.now() - t0;
      const s = window.__searches[shown()] ?? {};
      const split = [s.answered - s.posted, t0 + inDom - s.answered];
      out.push([inDom, painted, q.slice(0, i), split]);
    }
  }
  return out;
}, queries);
const dom = latencies.map((l) => l[0]).sort((a, b) => a - b);
const frame = latencies.map((l) => l[1]).sort((a, b) => a - b);
const pct = (list, p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];

const slowest = [...latencies].sort((a, b) => b[0] - a[0]).slice(0, 5)
  .map(([ms, , q, [w, r]]) => `"${q}" ${ms.toFixed(1)} (worker ${w.toFixed(1)}, UI ${r.toFixed(1)})`).join(", ");
const workerPart = latencies.map((l) => l[3][0]).sort((a, b) => a - b);
const uiPart = latencies.map((l) => l[3][1]).sort((a, b) => a - b);
const steps = (r) => [...Object.entries(r.steps).map(([k, v]) => `${k} ${v} ms`),
  ...Object.entries(r.at).map(([k, v]) => `${k} at ${v?.toFixed(0)} ms`)].join(", ");
const ui = ["loader", "hc_widget_js", "hc_widget_wasm"].reduce((a, k) => a + manifest[k].brotli, 0);
// With the language's Snowball module (crates/snowball), if it has one.
const snowball = `hc_snowball_${LANG.split(/[-_]/)[0].toLowerCase()}_wasm`;
const engine = ["hc_worker_js", "hc_worker_wasm", snowball].reduce((a, k) => a + (manifest[k]?.brotli ?? 0), 0);
const builder = ["hc_builder_js", "hc_builder_wasm"].reduce((a, k) => a + (manifest[k]?.brotli ?? 0), 0);
// A first visit with the default preload (idle), in a new profile: the
// page is left 1.5 s (its worker loads the pack meanwhile), the dialog is
// opened and the query typed 300 ms later, as a visitor who looks at the
// box first. The figure: the query to its first results with snippets,
// and what was fetched on its way (a keystroke that read chunks of the
// postings not yet here waits for them).
await context.close();
const firstProfile = mkdtempSync(join(tmpdir(), "hc-bench-"));
context = await launch(firstProfile);
page = await instrumented(context);
const firstVisitRequests = [];
page.on("request", (r) => firstVisitRequests.push(new URL(r.url()).pathname));
await page.goto(`${web.url}/idle`);
await page.waitForTimeout(1500);
await page.evaluate(() => document.querySelector("hc-search").open());
await page.waitForTimeout(300);
const typedAt = firstVisitRequests.length;
const idleFirst = await intentToResults(QUERY);
const onItsWay = firstVisitRequests.slice(typedAt).filter((p) => !p.startsWith("/dist/")).map((p) => p.split("/").pop());
const preloaded = firstVisitRequests.slice(0, typedAt).filter((p) => !p.startsWith("/dist/")).length;

const rows = [
  [`${STATIC ? "static site (hcs build-static packs)" : SNAPSHOT ? "proxy, snapshot route (fallback=\"default\")" : "proxy path"}, language ${LANG}, query "${QUERY}"`, "", ""],
  [`bytes from intent to first results, cold: content (${coldData.map(([p, n]) => `${p} ${n}`).join(", ")})`, `${coldDataBytes} B`, "(report)"],
  [`bytes from intent to first results, cold: everything (UI, engine, content; of it the worker wasm's second part, after the first titles: ${coldRest} B)`, `${coldTotal} B`, "(report)"],
  ["first intent to first results with snippets, cold (fetch + build)", `${cold.ms.toFixed(0)} ms`, "≤ 800 ms"],
  [`  steps, cold: ${steps(cold)}`, "", ""],
  ["first intent to first results, warm (IndexedDB): reload, same renderer process", `${reloaded.ms.toFixed(0)} ms`, "≤ 150 ms"],
  [`  steps, reload: ${steps(reloaded)}`, "", ""],
  [`first intent to first results, warm (IndexedDB): new tab, running browser (median of ${newTabs.length}: ${newTabs.map((r) => r.ms.toFixed(0)).join(", ")} ms in turn)`, `${newTab.ms.toFixed(0)} ms`, "≤ 100 ms"],
  [`  steps, new tab (the median visit): ${steps(newTab)}`, "", ""],
  [`  … with the default preload (idle), intent 1 s after the page loaded (median of ${idleTabs.length}: ${idleTabs.map((r) => r.ms.toFixed(0)).join(", ")} ms)`, `${idleTab.ms.toFixed(0)} ms`, "(report)"],
  ["first intent to first results, warm (IndexedDB): new browser process, same profile", `${newProcess.ms.toFixed(0)} ms`, "(report)"],
  [`  steps, new process: ${steps(newProcess)}`, "", ""],
  [`first visit, default preload (idle): the query 300 ms after the dialog opened, 1.5 s after the page loaded, to first results with snippets (${preloaded} requests of content before it; on its way: ${onItsWay.join(", ") || "none"})`, `${idleFirst.ms.toFixed(0)} ms`, "(report)"],
  [`  steps, first visit, default preload: ${steps(idleFirst)}`, "", ""],
  [`keystroke to results in the DOM, p50 / p95 (${dom.length} keystrokes)`, `${pct(dom, 50).toFixed(1)} / ${pct(dom, 95).toFixed(1)} ms`, "p95 ≤ 16 ms"],
  [`  p50 / p95 of the parts: worker (search posted → answer received) ${pct(workerPart, 50).toFixed(1)} / ${pct(workerPart, 95).toFixed(1)} ms, UI (answer → DOM) ${pct(uiPart, 50).toFixed(1)} / ${pct(uiPart, 95).toFixed(1)} ms`, "", ""],
  [`  slowest keystrokes (ms): ${slowest}`, "", ""],
  ["keystroke to the frame that paints them, p50 / p95", `${pct(frame, 50).toFixed(1)} / ${pct(frame, 95).toFixed(1)} ms`, "(60 Hz frames)"],
  [`bytes before any intent (${beforeIntent.join(", ")})`, `${beforeIntentBrotli} B brotli`, "≤ 20 KB"],
  ["UI on intent: loader + widget JS + wasm", `${ui} B brotli`, "≤ 150 KB"],
  [`engine on intent: worker JS + wasm (its first part)${manifest[snowball] ? ` + ${LANG} Snowball module` : ""}`, `${engine} B brotli`, "(report)"],
  ["engine after the first results: the worker wasm's second part", `${manifest.hc_worker_rest_wasm?.brotli ?? 0} B brotli`, "(report)"],
  ["builder, on the snapshot route only: builder JS + wasm", `${builder} B brotli`, "(report)"],
];
console.log("| figure | measured | target |\n|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
await context.close();
rmSync(profile, { recursive: true, force: true });
rmSync(firstProfile, { recursive: true, force: true });
backend?.stop();
if (site) rmSync(join(site, ".."), { recursive: true, force: true });
await web.stop();
