// Test harness: starts hc-sim, hc-proxy and a static server for the built
// widget on free loopback ports, and Debian's headless Chromium through
// playwright-core (never a browser download). Everything it starts it stops.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { createServer as netServer } from "node:net";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../..");
export const shared = resolve(repo, "../shared");
export const targetDir = process.env.CARGO_TARGET_DIR || join(repo, "target");
export const binDir = process.env.HC_BIN_DIR || join(targetDir, "debug");
export const distDir = process.env.HC_DIST || join(repo, "dist");

export const READ_KEY = "r".repeat(64);
export const WRITE_KEY = "w".repeat(64);

export async function freePort() {
  return new Promise((ok, fail) => {
    const srv = netServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Spawns a binary and resolves once `ready` matches its output. */
export function startProcess(name, args, env, ready, timeoutMs = 60_000) {
  const bin = join(binDir, name);
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build it first (scripts/test.sh does)`);
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        ok({ child, output: () => output, stop: () => child.kill("SIGTERM") });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}

const MIME = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
};

/**
 * Serves the built widget under /dist/ (its wasm as `wasmType`), static
 * files from `extra` (url prefix -> folder), and pages made by `page(url)`
 * for any other path.
 * Counts requests by path, with response sizes.
 */
export async function startWebServer({ extra = {}, page, port = 0, cors = false, wasmType = MIME[".wasm"], deny = () => false }) {
  const log = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    let body = null;
    let type = "text/plain";
    try {
      if (deny(url.pathname)) {
        body = null;
      } else if (url.pathname.startsWith("/dist/")) {
        body = await readFile(join(distDir, url.pathname.slice(6)));
        type = extname(url.pathname) === ".wasm" ? wasmType : MIME[extname(url.pathname)] || "application/octet-stream";
      } else {
        for (const [prefix, dir] of Object.entries(extra)) {
          if (url.pathname.startsWith(prefix)) {
            body = await readFile(join(dir, url.pathname.slice(prefix.length)));
            type = MIME[extname(url.pathname)] || "application/octet-stream";
          }
        }
        if (body === null && page) {
          const html = page(url);
          if (html !== null) {
            body = Buffer.from(html);
            type = MIME[".html"];
          }
        }
      }
    } catch {
      body = null;
    }
    if (body === null) {
      res.writeHead(404).end("not found");
      log.push({ path: url.pathname, status: 404, bytes: 0 });
      return;
    }
    // As a CDN would serve them: content-hashed files forever, the rest never.
    const hashed = /\.[0-9a-f]{10}\.(js|wasm)$/.test(url.pathname);
    const cache = hashed ? "public, max-age=31536000, immutable" : "no-cache";
    const headers = { "content-type": type, "cache-control": cache };
    // As a CDN serving the widget to other origins would.
    if (cors) headers["access-control-allow-origin"] = "*";
    res.writeHead(200, headers).end(body);
    log.push({ path: url.pathname, status: 200, bytes: body.length });
  });
  const listenPort = port || (await freePort());
  await new Promise((ok) => server.listen(listenPort, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${listenPort}`, log, stop: () => new Promise((ok) => server.close(ok)) };
}

/** hc-sim serving `data` (read key READ_KEY, no rate limit, admin routes). */
export async function startSim(data) {
  const port = await freePort();
  const sim = await startProcess(
    "hc-sim",
    ["--data", data, "--listen", `127.0.0.1:${port}`, "--read-key", READ_KEY, "--rate-limit", "0", "--admin"],
    {},
    /serving/,
  );
  return { url: `http://127.0.0.1:${port}`, port, stop: () => sim.stop() };
}

/** Waits until the hc-proxy at `base` serves its packs (it builds them in
 * the background after its first refresh). */
export async function packsReady(base, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${base}/v1/packs.json`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`no packs from the proxy after ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/**
 * hc-sim serving `data` and hc-proxy in front of it; `proxyPort` and
 * `proxyArgs` (extra hc-proxy flags) let a test bring a proxy up on a port
 * that was down, or make it fail fast.
 */
export async function startBackend(data, { allowOrigin, proxyPort: wanted = 0, proxyArgs = [] }) {
  const sim = await startSim(data);
  const simPort = sim.port;
  const proxyPort = wanted || (await freePort());
  const proxy = await startProcess(
    "hc-proxy",
    ["--api", `http://127.0.0.1:${simPort}/v1`, "--listen", `127.0.0.1:${proxyPort}`,
     "--allow-origin", allowOrigin, "--public-url", "https://help.example.com", "--per-ip-per-second", "0", ...proxyArgs],
    { HC_API_KEY: READ_KEY, RUST_LOG: "warn" },
    /listening/,
  );
  return {
    simUrl: `http://127.0.0.1:${simPort}`,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    /** Sets the simulator's injected faults (`PUT /_sim/faults`). */
    setFaults: async (faults) => {
      const r = await fetch(`http://127.0.0.1:${simPort}/_sim/faults`, {
        method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(faults),
      });
      if (!r.ok) throw new Error(`PUT /_sim/faults: ${r.status} ${await r.text()}`);
    },
    /**
     * Resolves once the proxy serves its prebuilt packs: they are built in
     * the background after the first refresh, and until then a worker takes
     * the snapshot route (slower on a loaded machine).
     */
    packsReady: (timeoutMs = 120_000) => packsReady(`http://127.0.0.1:${proxyPort}`, timeoutMs),
    stop: () => { proxy.stop(); sim.stop(); },
  };
}

/**
 * An init script (`page.addInitScript(timeSearches)`) that records, by
 * seq, when each search was posted to the worker and when its first answer
 * reached the UI's handler (a second, with snippets, may follow before a
 * keystroke's figures are read), in `window.__searches`: it splits a
 * keystroke into the worker's part and the UI's. The benchmarks'.
 */
export function timeSearches() {
  window.__searches = {};
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (data, ...rest) {
    if (data?.type === "search") window.__searches[data.seq] = { posted: performance.now() };
    return post.call(this, data, ...rest);
  };
  // The UI's handler is wrapped, so an answer is timed before it renders.
  const handler = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
  Object.defineProperty(Worker.prototype, "onmessage", {
    ...handler,
    set(fn) {
      handler.set.call(this, fn && ((e) => {
        const s = e.data?.type === "results" && window.__searches[e.data.seq];
        if (s && s.answered === undefined) s.answered = performance.now();
        return fn(e);
      }));
    },
  });
}

/**
 * Observes the User Timing measures the search worker makes around each
 * message it handles (`www/hc-worker-main.js`, "hc-search <type>"), from
 * now on: `read()` gives them as `{ name, start, duration }`, `start` in
 * absolute time (`timeOrigin + startTime`, to line up with the page's).
 * `null` when the page has no search worker.
 */
export async function observeWorkerMeasures(page) {
  const worker = page.workers().find((w) => /hc_worker/.test(w.url()));
  if (!worker) return null;
  await worker.evaluate(() => {
    self.__measures = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        self.__measures.push({ name: e.name, start: performance.timeOrigin + e.startTime, duration: e.duration });
      }
    }).observe({ entryTypes: ["measure"] });
  });
  return { worker, read: () => worker.evaluate(() => self.__measures) };
}

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launchBrowser() {
  // Imported here so that the servers above work without npm packages (the demo).
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A product page with one <hc-search>, its attributes from `attrs`. */
export function productPage({ lang = "en", attrs = {}, extraHead = "" }) {
  const attributes = Object.entries(attrs)
    .map(([k, v]) => `${k}="${String(v).replace(/"/g, "&quot;")}"`)
    .join(" ");
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Acme dashboard</title>
${extraHead}<script type="module" src="/dist/hc-search.js"></script></head>
<body><header><h1>Acme dashboard</h1><nav><a href="#">Home</a> <input id="page-field" aria-label="Page field"></nav></header>
<main><p>Your product page. Press Ctrl+K or / to search the help center.</p><hc-search ${attributes}></hc-search></main></body></html>`;
}

/** The widget's combobox and its result options, inside the shadow root. */
export const input = (page) => page.locator("hc-search input.hc-input");
export const options = (page) => page.locator("hc-search li.hc-option");

/**
 * Opens the dialog with the launcher, types `text` key by key and waits for
 * the first result; returns that result's locator.
 */
export async function openAndType(page, text, { timeout = 20_000 } = {}) {
  await page.locator("hc-search button.hc-launcher").click();
  await input(page).waitFor();
  await input(page).pressSequentially(text);
  const first = options(page).first();
  await first.waitFor({ timeout });
  return first;
}
