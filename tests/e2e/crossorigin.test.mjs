// The script tag served from a CDN: the page on one origin, the widget's
// files on another (with CORS, as a CDN sends it). A worker's script must be
// same-origin, so this only works through the loader's blob trampoline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startBackend, startWebServer, launchBrowser, repo, openAndType } from "./harness.mjs";

let cdn, site, plain, backend, browser;
let proxyUrl = "";

/** A page with the widget, its loader from `loader` (a folder URL);
 * `/fallback` with `fallback="default"`, which takes the snapshot route. */
const appPage = (loader) => (url) => {
  const attrs = { "/": "", "/fallback": ' fallback="default"' }[url.pathname];
  return attrs === undefined ? null : `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<script type="module" src="${loader()}/dist/hc-search.js"></script></head>
<body><main><h1>App</h1><hc-search proxy="${proxyUrl}"${attrs}></hc-search></main></body></html>`;
};

before(async () => {
  cdn = await startWebServer({ cors: true });
  site = await startWebServer({ page: appPage(() => cdn.url) });
  // The widget from a server that sends its wasm as a plain download.
  plain = await startWebServer({ wasmType: "application/octet-stream", page: appPage(() => "") });
  backend = await startBackend(join(repo, "crates/sim/tests/fixtures/tiny.json"), { allowOrigin: `${site.url},${plain.url}` });
  proxyUrl = backend.proxyUrl;
  browser = await launchBrowser();
});

/** Opens `url` in a new context and searches; the page and its errors. */
async function searchAt(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  const first = await openAndType(page, "invoice");
  assert.match(await first.innerText(), /invoice/i);
  return { page, context, errors };
}

after(async () => {
  await browser?.close();
  backend?.stop();
  await cdn?.stop();
  await site?.stop();
  await plain?.stop();
});

test("the widget served from another origin (a CDN) starts its worker and searches", async () => {
  const { page, context, errors } = await searchAt(`${site.url}/`);
  assert.ok(cdn.log.some((r) => /^\/dist\/hc_worker\.[0-9a-f]{10}\.wasm$/.test(r.path)), "the engine came from the CDN");
  assert.ok(cdn.log.some((r) => /^\/dist\/hc_snowball_en\.[0-9a-f]{10}\.wasm$/.test(r.path)), "the stemmer came from the CDN");
  // A return: the trampoline hands over the module compiled on the page and
  // the cache entry read there.
  await page.waitForTimeout(500); // the pack is written after the first answer
  // Listen from the reloaded page's first script: a listener added after
  // the reload may come after a from-cache `hc-ready`, and wait forever.
  await page.addInitScript(() => {
    window.__ready = new Promise((resolve) => document.addEventListener("hc-ready", (e) => resolve(e.detail)));
  });
  await page.reload();
  await openAndType(page, "invoice");
  const detail = await page.evaluate(() => window.__ready);
  assert.equal(detail.fromCache, true);
  assert.ok("cache read (prefetched)" in detail.timings, JSON.stringify(detail.timings));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a server that sends the wasm without application/wasm: the worker loads it itself", async () => {
  const { context, errors } = await searchAt(`${plain.url}/`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("from another origin, the snapshot route starts the builder from the CDN too", async () => {
  const { context, errors } = await searchAt(`${site.url}/fallback`);
  for (const file of [/^\/dist\/hc_builder\.[0-9a-f]{10}\.js$/, /^\/dist\/hc_builder\.[0-9a-f]{10}\.wasm$/]) {
    assert.ok(cdn.log.some((r) => file.test(r.path)), `${file} from the CDN`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
