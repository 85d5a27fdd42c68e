// The script tag served from a CDN: the page on one origin, the widget's
// files on another (with CORS, as a CDN sends it). A worker's script must be
// same-origin, so this only works through the loader's blob trampoline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startBackend, startWebServer, launchBrowser, repo, openAndType } from "./harness.mjs";

let cdn, site, plain, backend, browser;

before(async () => {
  cdn = await startWebServer({ cors: true });
  let proxyUrl = "";
  site = await startWebServer({
    page: (url) => (url.pathname === "/" ? `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<script type="module" src="${cdn.url}/dist/hc-search.js"></script></head>
<body><main><h1>App</h1><hc-search proxy="${proxyUrl}"></hc-search></main></body></html>` : null),
  });
  // The widget from a server that sends its wasm as a plain download.
  plain = await startWebServer({
    wasmType: "application/octet-stream",
    page: (url) => (url.pathname === "/" ? `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title>
<script type="module" src="/dist/hc-search.js"></script></head>
<body><main><h1>App</h1><hc-search proxy="${proxyUrl}"></hc-search></main></body></html>` : null),
  });
  backend = await startBackend(join(repo, "crates/sim/tests/fixtures/tiny.json"), { allowOrigin: `${site.url},${plain.url}` });
  proxyUrl = backend.proxyUrl;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  backend?.stop();
  await cdn?.stop();
  await site?.stop();
  await plain?.stop();
});

test("the widget served from another origin (a CDN) starts its worker and searches", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${site.url}/`);
  const first = await openAndType(page, "invoice");
  assert.match(await first.innerText(), /invoice/i);
  assert.ok(cdn.log.some((r) => /^\/dist\/hc_worker\.[0-9a-f]{10}\.wasm$/.test(r.path)), "the engine came from the CDN");
  // A return: the trampoline hands over the module compiled on the page and
  // the cache entry read there.
  await page.waitForTimeout(500); // the pack is written after the first answer
  await page.reload();
  const ready = page.evaluate(() => new Promise((resolve) => document.addEventListener("hc-ready", (e) => resolve(e.detail))));
  await openAndType(page, "invoice");
  const detail = await ready;
  assert.equal(detail.fromCache, true);
  assert.ok("cache read (prefetched)" in detail.timings, JSON.stringify(detail.timings));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a server that sends the wasm without application/wasm: the worker loads it itself", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${plain.url}/`);
  const first = await openAndType(page, "invoice");
  assert.match(await first.innerText(), /invoice/i);
  assert.deepEqual(errors, []);
  await context.close();
});
