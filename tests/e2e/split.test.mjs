// The worker's wasm in two parts (crates/xtask/src/split_wasm.rs): a first
// visit's first answers, with their snippets, run in the first part only,
// on a static site and through the proxy, and the second part is fetched
// once, after them; a call into the second part before it came reads it at
// once and goes on. When the first of these fails, a change put code the
// first answers run outside crates/worker/first-answer.txt: run
// `node tests/e2e/profile-split.mjs` and commit the list it writes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  startSim, startBackend, startWebServer, launchBrowser, binDir, distDir, shared, READ_KEY, productPage,
  options, openAndType,
} from "./harness.mjs";

const corpus = join(shared, "corpus/debian-reference.json");
const REST = /\/hc_worker_rest\.[0-9a-f]+\.wasm$/;
let web, browser, backend, site;

before(async () => {
  const sim = await startSim(corpus);
  site = join(await mkdtemp(join(tmpdir(), "hc-split-")), "hc-search");
  try {
    await promisify(execFile)(
      join(binDir, "hcs"),
      ["build-static", "--api", `${sim.url}/v1`, "--out", site, "--assets", distDir, "--rate-limit", "0"],
      { env: { ...process.env, HC_API_KEY: READ_KEY }, maxBuffer: 1 << 20 },
    );
  } finally {
    sim.stop();
  }
  const pages = {};
  web = await startWebServer({ extra: { "/site/": site }, page: (url) => pages[url.pathname]?.() ?? null });
  backend = await startBackend(corpus, { allowOrigin: web.url });
  pages["/static"] = () => productPage({ lang: "fr", attrs: { packs: "/site/packs.json", lang: "fr" } });
  pages["/proxy"] = () => productPage({ attrs: { proxy: backend.proxyUrl } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
  backend?.stop();
  if (site) await rm(join(site, ".."), { recursive: true, force: true });
});

/** How the worker's second part came so far: "fetched", "read", or undefined (no call into it yet). */
const restBy = (page) => Promise.any(page.workers().map((w) => w.evaluate(() => self.__hcChannel?.restBy ?? null)));

for (const [path, query] of [["/static", "créer image iso"], ["/proxy", "apt pinning"]]) {
  test(`${path}: the first answers and their snippets need only the first part; the second comes once, after them`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const rests = [];
    context.on("request", (r) => { if (REST.test(new URL(r.url()).pathname)) rests.push(r.url()); });
    await page.goto(`${web.url}${path}`);
    await openAndType(page, query, { timeout: 30_000 });
    await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
    assert.equal(
      await restBy(page), null,
      "a first answer called into the second part of the worker's wasm: run `node tests/e2e/profile-split.mjs`",
    );
    // Fetched once the first results were posted, and only once.
    for (let i = 0; i < 50 && rests.length === 0; i++) await page.waitForTimeout(100);
    assert.equal(rests.length, 1, rests.join("\n"));
    await context.close();
  });
}

test("a call into the second part before it came reads it at once, and the answer comes", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The fetch after the first results never answers: whatever calls into
  // the second part reads it itself.
  let held = 0;
  await context.route(REST, (route) => (held++ === 0 ? undefined : route.continue()));
  await page.goto(`${web.url}/proxy`);
  const first = await openAndType(page, "apt pinning", { timeout: 30_000 });
  await first.click(); // the reader: code no first answer runs
  await page.locator("hc-search .hc-reader-title").waitFor({ timeout: 30_000 });
  assert.equal(await restBy(page), "read");
  assert.equal(held, 2, "the fetch held, then the read");
  await context.close();
});

test("a second part that cannot be read: the page hears of it, and the reader works once it can be", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__errors = [];
    document.addEventListener("hc-error", (e) => window.__errors.push(e.detail));
  });
  let fail = true;
  await context.route(REST, (route) => (fail ? route.abort() : route.continue()));
  await page.goto(`${web.url}/proxy`);
  const first = await openAndType(page, "apt pinning", { timeout: 30_000 });
  await first.click(); // the reader needs the second part: neither fetch nor read gets it
  await page.waitForFunction(() => window.__errors.length > 0, null, { timeout: 30_000 });
  const [error] = await page.evaluate(() => window.__errors);
  assert.equal(error.kind, "unavailable");
  assert.match(error.message, /second part of the search engine could not be read/);
  // Back online: the next call into it reads it, and the article shows.
  fail = false;
  // The reader did not open: the list is still there.
  await options(page).first().click({ timeout: 30_000 });
  await page.locator("hc-search .hc-reader-title").waitFor({ timeout: 30_000 });
  assert.equal(await restBy(page), "read");
  await context.close();
});
