// The npm package as a customer gets it: the `npm pack` tarball written by
// `cargo xtask build-npm` is installed into a Vite + TypeScript app
// (tests/npm-fixture), type-checked against the package's declarations,
// built with `vite build`, served as plain files, and driven in Chromium
// against hc-sim + hc-proxy.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startBackend, startWebServer, launchBrowser, repo, targetDir, openAndType } from "./harness.mjs";

const run = promisify(execFile);
let app, web, backend, browser, built;

async function tarball() {
  if (process.env.HC_NPM_TARBALL) return process.env.HC_NPM_TARBALL;
  const dir = join(targetDir, "npm");
  const found = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(".tgz"));
  if (found.length !== 1) throw new Error(`expected one tarball in ${dir} (run cargo xtask build-npm), found ${found}`);
  return join(dir, found[0]);
}

before(async () => {
  app = await mkdtemp(join(tmpdir(), "hc-npm-app-"));
  const fixture = join(repo, "tests/npm-fixture");
  await cp(fixture, app, { recursive: true, filter: (p) => !/node_modules|[/\\]dist$/.test(p) });
  const npm = (args) => run("npm", args, { cwd: app, maxBuffer: 1 << 24 });
  await npm(["ci", "--no-audit", "--no-fund"]);
  await npm(["install", "--no-save", "--no-audit", "--no-fund", await tarball()]);
  await run("npx", ["--no-install", "tsc", "-p", "."], { cwd: app });
  built = (await run("npx", ["--no-install", "vite", "build"], { cwd: app })).stdout;
  web = await startWebServer({ extra: { "/": join(app, "dist") } });
  backend = await startBackend(join(repo, "crates/sim/tests/fixtures/tiny.json"), { allowOrigin: web.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  backend?.stop();
  await web?.stop();
  if (app) await rm(app, { recursive: true, force: true });
});

test("vite copies the package's wasm and worker files into the app's build", () => {
  for (const pattern of [/assets\/hc_widget\.[0-9a-f]{10}-[\w-]+\.wasm/, /assets\/hc_worker\.[0-9a-f]{10}-[\w-]+\.wasm/,
    /assets\/hc_widget\.[0-9a-f]{10}-[\w-]+\.js/, /assets\/hc_worker\.[0-9a-f]{10}-[\w-]+\.js/]) {
    assert.match(built, pattern);
  }
});

test("the bundled widget searches, reads and reports through its typed events", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${web.url}/index.html?proxy=${encodeURIComponent(backend.proxyUrl)}`);
  assert.equal(await page.evaluate(() => window.hcIsElement), true);
  const first = await openAndType(page, "invoice");
  assert.match(await first.innerText(), /invoice/i);
  await first.click();
  await page.locator("hc-search .hc-reader").waitFor();
  // Set by the app's typed `hc-ready` listener: language and article count.
  assert.match(await page.evaluate(() => document.body.dataset.ready), /^en:\d+$/);
  assert.ok(requests.some((p) => /^\/assets\/hc_worker\..+\.wasm$/.test(p)), requests.join(" "));
  assert.deepEqual(errors, []);
  await context.close();
});
