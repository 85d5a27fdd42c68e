// The npm package as a customer gets it: the `npm pack` tarball written by
// `cargo xtask build-npm` is installed into two Vite apps, a vanilla
// TypeScript one (tests/npm-fixture) and a React + TSX one that also
// type-checks the Preact and Solid typings (tests/npm-fixture-react); each
// is type-checked against the package's declarations, built with
// `vite build`, served as plain files and driven in Chromium against
// hc-sim + hc-proxy. The same installed package is imported in Node with
// no DOM, as server-side rendering does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startBackend, startWebServer, launchBrowser, repo, targetDir, openAndType } from "./harness.mjs";

const run = promisify(execFile);
const apps = {};
let backend, browser;

async function tarball() {
  if (process.env.HC_NPM_TARBALL) return process.env.HC_NPM_TARBALL;
  const dir = join(targetDir, "npm");
  const found = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(".tgz"));
  if (found.length !== 1) throw new Error(`expected one tarball in ${dir} (run cargo xtask build-npm), found ${found}`);
  return join(dir, found[0]);
}

/** Copies a fixture app, installs its lockfile and the tarball, type-checks and builds it, and serves its build. */
async function buildApp(fixture) {
  const dir = await mkdtemp(join(tmpdir(), "hc-npm-app-"));
  await cp(join(repo, "tests", fixture), dir, { recursive: true, filter: (p) => !/node_modules|[/\\]dist$/.test(p) });
  const npm = (args) => run("npm", args, { cwd: dir, maxBuffer: 1 << 24 });
  await npm(["ci", "--no-audit", "--no-fund"]);
  await npm(["install", "--no-save", "--no-audit", "--no-fund", await tarball()]);
  await run("npx", ["--no-install", "tsc", "-p", "."], { cwd: dir });
  const built = (await run("npx", ["--no-install", "vite", "build"], { cwd: dir })).stdout;
  const web = await startWebServer({ extra: { "/": join(dir, "dist") } });
  return { dir, built, web };
}

before(async () => {
  apps.vanilla = await buildApp("npm-fixture");
  apps.react = await buildApp("npm-fixture-react");
  backend = await startBackend(join(repo, "crates/sim/tests/fixtures/tiny.json"), {
    allowOrigin: [apps.vanilla.web.url, apps.react.web.url].join(","),
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  backend?.stop();
  for (const app of Object.values(apps)) {
    await app.web?.stop();
    await rm(app.dir, { recursive: true, force: true });
  }
});

test("vite copies the package's wasm and worker files into the app's build", () => {
  for (const app of [apps.vanilla, apps.react]) {
    for (const pattern of [/assets\/hc_widget\.[0-9a-f]{10}-[\w-]+\.wasm/, /assets\/hc_worker\.[0-9a-f]{10}-[\w-]+\.wasm/,
      /assets\/hc_worker_rest\.[0-9a-f]{10}-[\w-]+\.wasm/,
      /assets\/hc_snowball_en\.[0-9a-f]{10}-[\w-]+\.wasm/, /assets\/hc_snowball_fr\.[0-9a-f]{10}-[\w-]+\.wasm/,
      /assets\/hc_widget\.[0-9a-f]{10}-[\w-]+\.js/, /assets\/hc_worker\.[0-9a-f]{10}-[\w-]+\.js/]) {
      assert.match(app.built, pattern);
    }
  }
});

test("the bundled widget searches, reads and reports through its typed events", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${apps.vanilla.web.url}/index.html?proxy=${encodeURIComponent(backend.proxyUrl)}`);
  assert.equal(await page.evaluate(() => window.hcIsElement), true);
  const first = await openAndType(page, "invoice");
  assert.match(await first.innerText(), /invoice/i);
  await first.click();
  await page.locator("hc-search .hc-reader").waitFor();
  // Set by the app's typed `hc-ready` listener: language and article count.
  assert.match(await page.evaluate(() => document.body.dataset.ready), /^en:\d+$/);
  assert.ok(requests.some((p) => /^\/assets\/hc_worker\..+\.wasm$/.test(p)), requests.join(" "));
  // The worker wasm's second part (the reader runs in it), and the
  // English stemmer, from the app's build as the bundler named them.
  assert.ok(requests.some((p) => /^\/assets\/hc_worker_rest\..+\.wasm$/.test(p)), requests.join(" "));
  assert.ok(requests.some((p) => /^\/assets\/hc_snowball_en\..+\.wasm$/.test(p)), requests.join(" "));
  assert.deepEqual(errors, []);
  await context.close();
});

test("in a React app, <hc-search> in TSX gets its props (strings as a property) and searches", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${apps.react.web.url}/index.html?proxy=${encodeURIComponent(backend.proxyUrl)}`);
  await page.locator("hc-search").waitFor({ state: "attached" });
  // React 19 sets `strings` as a property because the element has one; it
  // reflects to the attribute the widget reads.
  assert.deepEqual(await page.evaluate(() => document.querySelector("hc-search").strings), { launcher: "Need help?" });
  assert.equal(await page.evaluate(() => document.querySelector("hc-search").getAttribute("proxy")), backend.proxyUrl);
  const first = await openAndType(page, "invoice");
  assert.match(await first.innerText(), /invoice/i);
  await page.waitForFunction(() => /^en:\d+$/.test(document.body.dataset.ready ?? ""));
  assert.deepEqual(errors, []);
  await context.close();
});

test("importing the package in Node with no DOM (server-side rendering) does not throw and defines nothing", async () => {
  // React's own server renderer, as Next.js or Astro would run it, with the
  // package and its `/react` entry imported first.
  const script = `
    const pkg = await import("@hc-search/widget");
    const react = await import("@hc-search/widget/react");
    const { createElement } = await import("react");
    const { renderToString } = await import("react-dom/server");
    if (typeof pkg.HcSearch !== "function" || react.HcSearch !== pkg.HcSearch) throw new Error("no HcSearch export");
    if (typeof globalThis.customElements !== "undefined") throw new Error("this test needs a runtime without a DOM");
    const html = renderToString(createElement("hc-search", { proxy: "https://proxy.example.com", theme: "dark" }));
    console.log(html);
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: apps.react.dir });
  assert.match(stdout.trim(), /^<hc-search proxy="https:\/\/proxy\.example\.com" theme="dark"><\/hc-search>$/);
});
