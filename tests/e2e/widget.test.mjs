// <hc-search> end to end: hc-sim + hc-proxy + the built page in Debian's
// headless Chromium. Each test starts from a fresh browser context (its own
// IndexedDB) unless it is about the cache.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequire } from "node:module";
import {
  startBackend, startWebServer, launchBrowser, productPage, shared, repo,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const FIXTURES = join(repo, "tests/e2e/fixtures");

let web, debian, hostile, browser;

before(async () => {
  const pages = {};
  web = await startWebServer({
    extra: { "/fixtures/": FIXTURES },
    page: (url) => (pages[url.pathname] ? pages[url.pathname](url) : null),
  });
  [debian, hostile] = await Promise.all([
    startBackend(join(shared, "corpus/debian-reference.json"), { allowOrigin: web.url }),
    startBackend(join(FIXTURES, "hostile.json"), { allowOrigin: web.url }),
  ]);
  const hc = { "help-center-url": "https://help.example.com" };
  pages["/en"] = () => productPage({ lang: "en", attrs: { proxy: debian.proxyUrl, ...hc } });
  pages["/no-lang"] = () => productPage({ lang: "", attrs: { proxy: debian.proxyUrl, ...hc } });
  pages["/ja"] = () => productPage({ lang: "en", attrs: { proxy: debian.proxyUrl, lang: "ja", ...hc } });
  pages["/inline"] = () => productPage({ lang: "en", attrs: { proxy: debian.proxyUrl, mode: "inline", ...hc } });
  pages["/hostile-proxy"] = () => productPage({ attrs: { proxy: hostile.proxyUrl } });
  pages["/hostile-static"] = () => productPage({ attrs: { snapshot: "/fixtures/hostile-snapshot.json" } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  debian?.stop();
  hostile?.stop();
  await web?.stop();
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__xss = 0;
    window.__events = [];
    window.__longtasks = [];
    for (const name of ["hc-ready", "hc-search", "hc-no-results", "hc-result-click", "hc-article-view", "hc-error"]) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail, t: performance.now() }));
    }
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  return { page, context, errors };
}

const input = (page) => page.locator("hc-search input.hc-input");
const options = (page) => page.locator("hc-search li.hc-option");

async function openAndType(page, text) {
  await page.locator("hc-search button.hc-launcher").click();
  await input(page).waitFor();
  await input(page).pressSequentially(text);
  await options(page).first().waitFor({ timeout: 20_000 });
}

test("types, sees highlighted results, reads an article, and the keyboard works throughout", async () => {
  const { page, context, errors } = await newPage();
  await page.goto(`${web.url}/en`);
  // '/' typed into a page field stays in the field.
  await page.locator("#page-field").click();
  await page.keyboard.type("a/b");
  assert.equal(await page.locator("#page-field").inputValue(), "a/b");
  assert.equal(await page.locator("hc-search .hc-dialog").count(), 0);
  // Ctrl+K opens the dialog with the focus in the combobox.
  await page.keyboard.press("Control+k");
  await input(page).waitFor();
  await page.waitForFunction(() => document.querySelector("hc-search").shadowRoot.activeElement?.classList.contains("hc-input"));
  const box = input(page);
  assert.equal(await box.getAttribute("role"), "combobox");
  assert.equal(await box.getAttribute("aria-activedescendant"), null);
  await box.pressSequentially("apt pinning");
  await options(page).first().waitFor({ timeout: 20_000 });
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  const listId = await box.getAttribute("aria-controls");
  assert.equal(await page.locator(`hc-search #${listId}`).getAttribute("role"), "listbox");
  assert.ok((await options(page).count()) >= 3);
  assert.ok((await page.locator("hc-search li.hc-option mark").count()) > 0, "matches are highlighted");
  const titles = await page.locator("hc-search .hc-title").allInnerTexts();
  assert.ok(titles.some((t) => /pin|candidate|unstable|testing/i.test(t)), titles.join(" | "));
  const status = await page.locator("hc-search [role=status]").innerText();
  assert.match(status, /\d+ results?/);
  // Arrows move the active option; Home/End jump.
  await page.keyboard.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "hc-opt-0");
  assert.equal(await page.locator("hc-search #hc-opt-0").getAttribute("aria-selected"), "true");
  await page.keyboard.press("ArrowDown");
  assert.equal(await box.getAttribute("aria-activedescendant"), "hc-opt-1");
  await page.keyboard.press("End");
  const last = (await options(page).count()) - 1;
  assert.equal(await box.getAttribute("aria-activedescendant"), `hc-opt-${last}`);
  await page.keyboard.press("Home");
  assert.equal(await box.getAttribute("aria-activedescendant"), "hc-opt-0");
  const firstTitle = (await page.locator("hc-search #hc-opt-0 .hc-title").innerText()).trim();
  // Enter opens the reader with that article.
  await page.keyboard.press("Enter");
  await page.locator("hc-search .hc-reader").waitFor();
  assert.equal((await page.locator("hc-search .hc-reader-title").innerText()).trim(), firstTitle);
  const full = page.locator("hc-search a.hc-full");
  assert.match(await full.getAttribute("href"), /^https:\/\/help\.example\.com\/en\/articles\/.+/);
  // Escape leaves the reader, then closes the dialog; focus returns to the page field.
  await page.keyboard.press("Escape");
  await options(page).first().waitFor();
  await page.keyboard.press("Escape"); // clears the active option
  await page.keyboard.press("Escape");
  await page.locator("hc-search .hc-dialog").waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.id), "page-field");
  const names = await page.evaluate(() => window.__events.map((e) => e.name));
  for (const name of ["hc-ready", "hc-search", "hc-result-click", "hc-article-view"]) {
    assert.ok(names.includes(name), `${name} in ${names}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("Tab stays inside the dialog and a click on a result opens it", async () => {
  const { page, context } = await newPage();
  await page.goto(`${web.url}/en`);
  await openAndType(page, "ssh");
  for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
  const inside = await page.evaluate(() => {
    const root = document.querySelector("hc-search").shadowRoot;
    return root.activeElement !== null && root.querySelector(".hc-dialog").contains(root.activeElement);
  });
  assert.ok(inside, "focus is trapped in the dialog");
  await options(page).nth(1).click();
  await page.locator("hc-search .hc-reader").waitFor();
  await context.close();
});

test("a de-DE browser sees German titles and a German interface", async () => {
  const { page, context } = await newPage({ locale: "de-DE" });
  await page.goto(`${web.url}/no-lang`);
  await openAndType(page, "Paketempfehlungen");
  assert.equal(await input(page).getAttribute("placeholder"), "Hilfeartikel durchsuchen…");
  assert.equal(await page.locator("hc-search .hc-panel").getAttribute("lang"), "de");
  const titles = await page.locator("hc-search .hc-title").allInnerTexts();
  assert.ok(titles.some((t) => t.includes("Zusätzliche Paketempfehlungen")), titles.join(" | "));
  assert.match(await page.locator("hc-search [role=status]").innerText(), /Ergebnis/);
  await context.close();
});

test("a Japanese query finds the Japanese article", async () => {
  const { page, context } = await newPage();
  await page.goto(`${web.url}/ja`);
  await openAndType(page, "エイリアス");
  const titles = await page.locator("hc-search .hc-title").allInnerTexts();
  assert.ok(titles.some((t) => t.includes("コマンドエイリアス")), titles.join(" | "));
  assert.equal(await input(page).getAttribute("placeholder"), "ヘルプ記事を検索…");
  await context.close();
});

test("no results: a clear message, suggestions and an event", async () => {
  const { page, context } = await newPage();
  await page.goto(`${web.url}/en`);
  await page.locator("hc-search button.hc-launcher").click();
  await input(page).waitFor();
  await options(page).first().waitFor({ timeout: 20_000 }); // popular articles on an empty query
  await input(page).pressSequentially("qqqzzzxxqv");
  await page.locator("hc-search .hc-empty").waitFor({ timeout: 20_000 });
  assert.match(await page.locator("hc-search .hc-empty").innerText(), /No results for “qqqzzzxxqv”/);
  assert.ok(await page.evaluate(() => window.__events.some((e) => e.name === "hc-no-results")));
  await context.close();
});

for (const route of ["/hostile-proxy", "/hostile-static"]) {
  test(`hostile article HTML runs no script (${route})`, async () => {
    const { page, context } = await newPage();
    await page.goto(`${web.url}${route}`);
    await openAndType(page, "hostile");
    const count = await options(page).count();
    assert.ok(count >= 7, `${count} hostile articles listed`);
    const titles = await page.locator("hc-search .hc-title").allInnerTexts();
    assert.ok(titles.some((t) => t.includes("<img src=x onerror=top.__xss=1>")), "markup in a title is text");
    for (let i = 0; i < count; i++) {
      await options(page).nth(i).click();
      await page.locator("hc-search .hc-reader iframe").waitFor();
      await page.waitForTimeout(150);
      const frame = page.locator("hc-search .hc-reader iframe");
      assert.match(await frame.getAttribute("sandbox"), /^(?!.*allow-scripts)/);
      // Follow the javascript: link if the article has one.
      const link = page.frameLocator("hc-search .hc-reader iframe").locator("#jslink");
      if (await link.count()) await link.click({ timeout: 2000 }).catch(() => {});
      await page.locator("hc-search .hc-back").click();
      await options(page).first().waitFor();
    }
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__xss), 0);
    await context.close();
  });
}

test("a reload uses the IndexedDB pack: no snapshot body is downloaded again", async () => {
  const { page, context } = await newPage();
  const snapshots = [];
  page.on("response", async (r) => {
    if (r.url().endsWith("/v1/snapshot")) snapshots.push({ status: r.status(), bytes: (await r.body().catch(() => Buffer.alloc(0))).length });
  });
  await page.goto(`${web.url}/en`);
  await openAndType(page, "backup");
  let ready = await page.evaluate(() => window.__events.find((e) => e.name === "hc-ready").detail);
  assert.equal(ready.fromCache, false);
  await page.waitForTimeout(500); // the pack is written after the index is installed
  await page.reload();
  await openAndType(page, "backup");
  ready = await page.evaluate(() => window.__events.find((e) => e.name === "hc-ready").detail);
  assert.equal(ready.fromCache, true);
  await page.waitForTimeout(500); // background revalidation
  assert.deepEqual(snapshots.map((s) => s.status), [200, 304]);
  assert.equal(snapshots[1].bytes, 0);
  await context.close();
});

test("the host page sees no long task over 50 ms while the index builds", async () => {
  const { page, context } = await newPage();
  await page.goto(`${web.url}/en`);
  const start = await page.evaluate(() => performance.now());
  await page.locator("hc-search button.hc-launcher").click();
  await page.waitForFunction(() => window.__events.some((e) => e.name === "hc-ready"), null, { timeout: 30_000 });
  const { tasks, readyAt } = await page.evaluate(() => ({
    tasks: window.__longtasks,
    readyAt: window.__events.find((e) => e.name === "hc-ready").t,
  }));
  const during = tasks.filter((t) => t.start >= start && t.start <= readyAt && t.duration > 50);
  assert.deepEqual(during, [], `long tasks between intent and ready: ${JSON.stringify(during)}`);
  await context.close();
});

test("inline mode: keystrokes typed before the UI loads are kept", async () => {
  const { page, context } = await newPage();
  await page.goto(`${web.url}/inline`);
  await page.locator("hc-search input").first().click();
  await page.keyboard.type("ssh key", { delay: 5 });
  await options(page).first().waitFor({ timeout: 20_000 });
  assert.equal(await input(page).inputValue(), "ssh key");
  await context.close();
});

test("axe-core finds no violations with results open and in the reader", async () => {
  const { page, context } = await newPage();
  await page.goto(`${web.url}/en`);
  await openAndType(page, "network");
  await page.keyboard.press("ArrowDown");
  await page.addScriptTag({ path: AXE });
  const run = () => page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(await run(), [], "results open");
  await page.keyboard.press("Enter");
  await page.locator("hc-search .hc-reader iframe").waitFor();
  await page.waitForTimeout(200);
  assert.deepEqual(await run(), [], "reader open");
  await context.close();
});
