// Query syntax and the site's synonyms, end to end in German: exact
// phrases in quotation marks, and a synonym file given to hc-proxy
// (`--synonyms de=FILE`) that makes a word absent from every article find
// the articles that use its synonym, marking the word that matched.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { startBackend, startWebServer, launchBrowser, productPage, shared, input } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

let web, backend, browser;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), "hc-synonyms-"));
  const synonyms = join(dir, "synonyme.csv");
  // "Softwarebündel" is in no article; "Paket" is in many.
  await writeFile(synonyms, "# Synonyme der Support-Abteilung\nPaket, Softwarebündel\n");
  const pages = {};
  web = await startWebServer({ page: (url) => (pages[url.pathname] ? pages[url.pathname]() : null) });
  backend = await startBackend(join(shared, "corpus/debian-reference.json"), {
    allowOrigin: web.url,
    proxyArgs: ["--synonyms", `de=${synonyms}`],
  });
  pages["/de"] = () => productPage({ lang: "de", attrs: { proxy: backend.proxyUrl, "help-center-url": "https://help.example.com" } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  backend?.stop();
  await web?.stop();
});

/** Types `query` into a fresh German page; resolves with the result titles
 * (empty on the no-results message) and the page. */
async function search(query) {
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${web.url}/de`);
  await page.locator("hc-search button.hc-launcher").click();
  await input(page).waitFor();
  await page.locator("hc-search li.hc-option").first().waitFor({ timeout: 30_000 }); // index ready
  await input(page).fill(query);
  const live = page.locator("hc-search [role=status]");
  await page.waitForFunction(
    () => {
      const root = document.querySelector("hc-search").shadowRoot;
      return /Ergebnis/.test(root.querySelector("[role=status]")?.textContent ?? "") || root.querySelector(".hc-empty");
    },
    null,
    { timeout: 20_000 },
  );
  const empty = (await page.locator("hc-search .hc-empty").count()) > 0;
  const titles = empty ? [] : await page.locator("hc-search li.hc-option .hc-title").allInnerTexts();
  const total = empty ? 0 : Number(((await live.textContent()).match(/(\d+) Ergebnis/) ?? [0, 1])[1]);
  return { page, context, errors, titles, total };
}

test("a phrase in quotation marks needs its words in that order, next to each other", async () => {
  const loose = await search("installiert pakete");
  assert.ok(loose.total > 10, `unquoted, any order: ${loose.total} results`);
  await loose.context.close();

  const phrase = await search("„Pakete installiert“");
  assert.ok(phrase.total >= 1 && phrase.total <= 5, `the phrase: ${phrase.total} results`);
  await phrase.context.close();

  const reversed = await search("\"installiert Pakete\"");
  assert.equal(reversed.total, 0, `reversed: ${reversed.titles.join(" | ")}`);
  assert.match(await reversed.page.locator("hc-search .hc-empty").innerText(), /Keine Ergebnisse/);
  assert.deepEqual(reversed.errors, []);
  await reversed.context.close();
});

test("a synonym from the site's file finds the articles that use the other word, and marks that word", async () => {
  const { page, context, errors, total } = await search("Softwarebündel");
  assert.ok(total > 0, "the synonym finds articles");
  const marks = await page.locator("hc-search li.hc-option mark").allInnerTexts();
  assert.ok(marks.some((m) => /^paket/i.test(m)), `marked: ${marks.join(", ")}`);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await context.close();
});
