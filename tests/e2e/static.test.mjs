// The static-site build end to end: `hcs build-static` against hc-sim,
// then the simulator is stopped and the folder is served as plain files, as
// a static host would. The widget must search, read and switch languages
// with no proxy and no key, from the prebuilt packs (the snapshot is never
// downloaded), and a reload must come from IndexedDB.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  startSim, startWebServer, launchBrowser, binDir, distDir, shared, READ_KEY, options, openAndType, input,
} from "./harness.mjs";

let web, browser, out, buildOutput;

before(async () => {
  const sim = await startSim(join(shared, "corpus/debian-reference.json"));
  const tmp = await mkdtemp(join(tmpdir(), "hc-static-"));
  out = join(tmp, "site/hc-search");
  try {
    const { stdout } = await promisify(execFile)(
      join(binDir, "hcs"),
      ["build-static", "--api", `${sim.url}/v1`, "--out", out, "--assets", distDir, "--rate-limit", "0",
       "--public-url", "https://help.example.com"],
      { env: { ...process.env, HC_API_KEY: READ_KEY }, maxBuffer: 1 << 20 },
    );
    buildOutput = stdout;
  } finally {
    sim.stop();
  }
  const page = (lang) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Docs</title>
<script type="module" src="/hc-search/hc-search.js"></script></head>
<body><main><h1>Docs</h1><hc-search packs="/hc-search/packs.json" help-center-url="https://help.example.com"></hc-search></main></body></html>`;
  web = await startWebServer({
    extra: { "/hc-search/": out },
    page: (url) => (url.pathname === "/en" ? page("en") : url.pathname === "/ja" ? page("ja") : null),
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
  if (out) await rm(join(out, "../.."), { recursive: true, force: true });
});

/**
 * The files of `lang`'s postings as the build wrote them: beside the pack,
 * `{lang}.{stem}.{n}.hcbodies` in two groups, the pieces of text from 0 and
 * the chunks of the postings after them, whose last file is their bundle.
 */
async function postingsFiles(lang) {
  const groups = new Map();
  for (const f of await readdir(out)) {
    const m = f.match(new RegExp(`^${lang}\\.([0-9a-f]{10})\\.(\\d+)\\.hcbodies$`));
    if (!m) continue;
    const ns = groups.get(m[1]) ?? [];
    ns.push(Number(m[2]));
    groups.set(m[1], ns);
  }
  const [stem, ns] = [...groups].find(([, ns]) => !ns.includes(0));
  return { chunkStem: `/hc-search/${lang}.${stem}.`, bundle: `/hc-search/${lang}.${stem}.${Math.max(...ns)}.hcbodies` };
}

async function search(page, text) {
  await openAndType(page, text);
  return page.locator("hc-search .hc-title").allInnerTexts();
}

test("the build writes the widget, the snapshot and one pack per language", async () => {
  const index = JSON.parse(await readFile(join(out, "packs.json"), "utf8"));
  assert.deepEqual(Object.keys(index.packs).sort(),
    ["de", "en", "es", "fr", "id", "it", "ja", "pt", "pt-br", "zh-cn", "zh-tw"]);
  const snapshot = await readFile(join(out, index.snapshot), "utf8");
  assert.ok(!snapshot.includes("share_token"), "no share token is published");
  assert.ok(!/"id":1000\d\d,/.test(snapshot), "no draft, private or link-only copy is published");
  assert.match(buildOutput, /387 public articles/);
});

test("a static site searches and reads from its prebuilt pack, with no proxy and no snapshot download", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const start = web.log.length;
  const visit = () => web.log.slice(start).map((r) => r.path);
  await page.goto(`${web.url}/en`);
  // The default preload loads the pack while the page is idle; the
  // visitor's opening the dialog brings the rest of the postings, in one
  // request (their bundle, the last file of the chunks' stem), before the
  // first keystroke, which then waits for no chunk.
  const { chunkStem, bundle } = await postingsFiles("en");
  for (let i = 0; i < 100 && !visit().some((p) => p.endsWith(".hcpack")); i++) await page.waitForTimeout(100);
  assert.ok(!visit().some((p) => p.startsWith(chunkStem)), `no chunk before the intent: ${visit().join(" ")}`);
  await page.locator("hc-search button.hc-launcher").click();
  for (let i = 0; i < 50 && !visit().includes(bundle); i++) await page.waitForTimeout(100);
  await page.waitForTimeout(500); // the bundle arrives; the cache entry is written again, with every chunk
  await input(page).pressSequentially("apt pinning");
  await options(page).first().waitFor();
  const titles = await page.locator("hc-search .hc-title").allInnerTexts();
  assert.ok(titles.some((t) => /pin|candidate|unstable|testing/i.test(t)), titles.join(" | "));
  await options(page).first().click();
  await page.locator("hc-search .hc-reader").waitFor();
  const paths = web.log.slice(start).map((r) => r.path);
  assert.ok(paths.includes("/hc-search/packs.json"), paths.join(" "));
  assert.ok(paths.some((p) => /^\/hc-search\/en\.[0-9a-f]{10}\.hcpack$/.test(p)), paths.join(" "));
  assert.ok(!paths.includes("/hc-search/snapshot.json"), "the snapshot is not needed");

  assert.deepEqual(visit().filter((p) => p.startsWith(chunkStem)), [bundle]);

  // A reload answers from IndexedDB: packs.json is checked, no pack and no
  // chunk of the postings is fetched, whatever is typed.
  const again = web.log.length;
  await page.reload();
  await search(page, "ssh");
  for (const q of ["kernel module", "xorg"]) {
    await input(page).fill("");
    await input(page).pressSequentially(q);
    await options(page).first().waitFor();
  }
  await page.waitForTimeout(300);
  const reloaded = web.log.slice(again).map((r) => r.path);
  assert.ok(reloaded.includes("/hc-search/packs.json"), reloaded.join(" "));
  assert.ok(!reloaded.some((p) => p.endsWith(".hcpack") || p.endsWith("snapshot.json")), reloaded.join(" "));
  assert.ok(!reloaded.some((p) => p.startsWith(chunkStem)), reloaded.join(" "));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a browser without BYOB readers still loads the pack and the cached index", async () => {
  // The worker reads a pack's body and its cached entry's Blob through a
  // BYOB reader, with a stream's default reader where there is none:
  // here the worker's script is served with that global removed.
  const context = await browser.newContext();
  await context.route(/\/hc_worker\.[0-9a-f]+\.js$/, async (route) => {
    const response = await route.fetch();
    const body = `delete globalThis.ReadableStreamBYOBReader;\n${await response.text()}`;
    await route.fulfill({ response, body });
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${web.url}/en`);
  const titles = await search(page, "apt pinning");
  assert.ok(titles.some((t) => /pin|candidate|unstable|testing/i.test(t)), titles.join(" | "));
  const workers = page.workers();
  assert.ok(workers.length > 0);
  assert.deepEqual(await Promise.all(workers.map((w) => w.evaluate(() => typeof ReadableStreamBYOBReader))),
    workers.map(() => "undefined"));

  await page.waitForTimeout(500); // the cache entry is written
  await page.addInitScript(() => {
    document.addEventListener("hc-ready", (e) => { window.__ready = e.detail; });
  });
  await page.reload();
  const again = await search(page, "ssh");
  assert.ok(again.length > 0);
  assert.equal(await page.evaluate(() => window.__ready?.fromCache), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a Japanese page gets the Japanese pack", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const start = web.log.length;
  await page.goto(`${web.url}/ja`);
  const titles = await search(page, "パッケージ");
  assert.ok(titles.some((t) => /パッケージ/.test(t)), titles.join(" | "));
  const paths = web.log.slice(start).map((r) => r.path);
  assert.ok(paths.some((p) => /^\/hc-search\/ja\.[0-9a-f]{10}\.hcpack$/.test(p)), paths.join(" "));
  assert.ok(!paths.some((p) => /\/en\.[0-9a-f]+\.hcpack$/.test(p)), "only the visitor's language");
  await context.close();
});
