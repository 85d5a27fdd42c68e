// The no-toolchain static route end to end, as a docs site's CI runs it:
// the two npm tarballs (`cargo xtask build-npm`) installed into an empty
// folder, `npx hc-search build-static` run with a PATH that has Node and
// not cargo, against hc-sim; then a real Hugo site (Debian's hugo) with the
// widget in its base template is built, served as plain files and searched
// in Chromium. The same content built by `hcs build-static` must publish
// the same snapshot: one pipeline, two front doors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import {
  startSim, startWebServer, launchBrowser, binDir, distDir, repo, targetDir, READ_KEY, options, openAndType,
} from "./harness.mjs";

const run = promisify(execFile);
const DATA = join(repo, "crates/cli/demo/debian-reference-subset.json");
let tmp, sim, web, browser, built, publicCount;

async function tarball(dir) {
  const found = (await readdir(join(targetDir, dir)).catch(() => [])).filter((f) => f.endsWith(".tgz"));
  if (found.length !== 1) throw new Error(`expected one tarball in ${join(targetDir, dir)} (run cargo xtask build-npm), found ${found}`);
  return join(targetDir, dir, found[0]);
}

/** Node's own folder and the system's, nothing from ~/.cargo: no Rust toolchain. */
const NODE_ONLY_PATH = [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":");

/** `npx hc-search ARGS` in the install folder; resolves to {code, stdout, stderr}. */
async function hcSearch(args, env = {}) {
  try {
    const { stdout, stderr } = await run("npx", ["--no-install", "hc-search", ...args], {
      cwd: join(tmp, "ci"),
      env: { PATH: NODE_ONLY_PATH, HOME: join(tmp, "home"), HC_API_KEY: READ_KEY, ...env },
      maxBuffer: 1 << 24,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (typeof e.code !== "number") throw e;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const HUGO_CONFIG = `baseURL = "/"\nlanguageCode = "en"\ntitle = "Acme Docs"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n`;
const BASEOF = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }}</title>
<script type="module" src="/hc-search/hc-search.js"></script></head>
<body><header><a href="/">Acme Docs</a> <hc-search packs="/hc-search/packs.json" help-center-url="https://help.example.com"></hc-search></header>
<main>{{ block "main" . }}{{ end }}</main></body>
</html>
`;
const PAGE = `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n`;

before(async () => {
  const data = JSON.parse(await readFile(DATA, "utf8"));
  publicCount = data.articles.filter((a) => a.published && a.visibility === "public").length;
  assert.ok(publicCount > 0 && publicCount < data.articles.length, "the data has drafts or private articles to leave out");
  tmp = await mkdtemp(join(tmpdir(), "hc-npx-"));
  await mkdir(join(tmp, "ci"), { recursive: true });
  await mkdir(join(tmp, "home"), { recursive: true });
  await writeFile(join(tmp, "ci/package.json"), JSON.stringify({ name: "acme-docs-ci", private: true }));
  // Both tarballs in one install: hc-search's dependency on
  // @hc-search/widget of its version is met by the local tarball.
  await run("npm", ["install", "--no-audit", "--no-fund", "--offline", await tarball("npm"), await tarball("npm-cli")],
    { cwd: join(tmp, "ci"), maxBuffer: 1 << 24 });
  sim = await startSim(DATA);

  const site = join(tmp, "ci/site");
  for (const [path, text] of [
    ["hugo.toml", HUGO_CONFIG],
    ["layouts/_default/baseof.html", BASEOF],
    ["layouts/_default/single.html", PAGE],
    ["layouts/_default/list.html", PAGE],
    ["layouts/index.html", PAGE],
    ["content/_index.md", "---\ntitle: Acme Docs\n---\nWelcome. Search the help center from the header.\n"],
    ["content/install.md", "---\ntitle: Installing\n---\nDownload the installer.\n"],
  ]) {
    await mkdir(dirname(join(site, path)), { recursive: true });
    await writeFile(join(site, path), text);
  }
  const started = Date.now();
  built = await hcSearch(["build-static", "--api", sim.url, "--out", "site/static/hc-search",
    "--public-url", "https://help.example.com", "--api-per-minute", "0"]);
  built.seconds = (Date.now() - started) / 1000;
  assert.equal(built.code, 0, built.stderr);
  await run("hugo", ["--source", site, "--destination", join(site, "public"), "--quiet"]);
  web = await startWebServer({ extra: { "/": join(site, "public") } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
  sim?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test("npx hc-search build-static runs with Node alone and says what it wrote", async () => {
  await assert.rejects(run("cargo", ["--version"], { env: { PATH: NODE_ONLY_PATH } }), "no cargo on the build's PATH");
  console.log(`npx hc-search build-static: ${built.seconds.toFixed(1)} s\n${built.stdout}`);
  assert.match(built.stdout, new RegExp(`wrote site/static/hc-search: ${publicCount} public articles, snapshot \\d+ KB, 11 language packs`));
  assert.match(built.stderr, /^fetching the help center from http:\/\/127\.0\.0\.1:\d+\/v1$/m, "a host alone means its /v1");
  assert.match(built.stderr, /GET \/articles\?page=2&limit=100 -> 200/);
  assert.match(built.stderr, /^indexing en$/m);
  const out = join(tmp, "ci/site/static/hc-search");
  const files = await readdir(out);
  for (const file of ["hc-search.js", "manifest.json", "packs.json", "snapshot.json"]) assert.ok(files.includes(file), file);
  for (const file of files) {
    const text = await readFile(join(out, file), "latin1");
    assert.ok(!text.includes(READ_KEY), `${file} holds no key`);
    assert.ok(!text.includes("share_token"), `${file} holds no share token`);
  }
});

test("the npx route publishes what hcs build-static publishes", async () => {
  const hcsOut = join(tmp, "hcs-out");
  await run(join(binDir, "hcs"), ["build-static", "--api", `${sim.url}/v1`, "--out", hcsOut, "--assets", distDir,
    "--public-url", "https://help.example.com", "--api-per-minute", "0"],
  { env: { ...process.env, HC_API_KEY: READ_KEY }, maxBuffer: 1 << 24 });
  const npxOut = join(tmp, "ci/site/static/hc-search");
  const read = (dir, name) => readFile(join(dir, name), "utf8");
  assert.equal(await read(npxOut, "snapshot.json"), await read(hcsOut, "snapshot.json"), "the same public snapshot");
  const [a, b] = [JSON.parse(await read(npxOut, "packs.json")), JSON.parse(await read(hcsOut, "packs.json"))];
  assert.deepEqual({ ...a, packs: Object.keys(a.packs) }, { ...b, packs: Object.keys(b.packs) },
    "the same engine, content version, site and languages");
  // The packs hold the same index, but not the same bytes: tantivy-fst
  // dedupes the term dictionary's nodes through a table indexed by a hash
  // cut to the pointer's width, so a dictionary built in wasm (npx) is
  // laid out differently from a native one (hcs). Their pieces agree.
  const notPacks = (names) => names.filter((f) => !f.endsWith(".hcpack")).sort();
  assert.deepEqual(notPacks(await readdir(npxOut)), notPacks(await readdir(hcsOut)), "the same widget files");
  // Both list their own files the same way, for the next build to keep.
  const listed = async (dir) => notPacks((await read(dir, ".hcs-files")).split("\n").filter(Boolean));
  assert.deepEqual(await listed(npxOut), await listed(hcsOut), "the same list of the build's files");
  assert.deepEqual(await listed(npxOut), notPacks(await readdir(npxOut)).filter((f) => f !== ".hcs-files"));
});

test("a Hugo site built with it searches its help center in the browser", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${web.url}/install/index.html`);
  assert.equal(await page.locator("main h1").innerText(), "Installing", "Hugo rendered the page");
  await openAndType(page, "apt-get install");
  const titles = await page.locator("hc-search .hc-title").allInnerTexts();
  assert.ok(titles.length > 0 && titles.some((t) => /apt|package|install/i.test(t)), titles.join(" | "));
  await options(page).first().click();
  await page.locator("hc-search .hc-reader-title").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("mistakes get a sentence that says what to change, and the previous build stays", async () => {
  const out = join(tmp, "ci/site/static/hc-search");
  const before = await readFile(join(out, "packs.json"), "utf8");
  const noKey = await hcSearch(["build-static", "--api", sim.url, "--out", "x"], { HC_API_KEY: "" });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /set HC_API_KEY/);
  const wrongPath = await hcSearch(["build-static", "--api", `${sim.url}/api`, "--out", "site/static/hc-search", "--api-per-minute", "0"]);
  assert.equal(wrongPath.code, 1);
  assert.match(wrongPath.stderr, /404 .*is --api the API's base/);
  const badFlag = await hcSearch(["build-static", "--out", "x", "--langage", "en"]);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--langage/);
  const badLanguage = await hcSearch(["build-static", "--api", sim.url, "--out", "x", "--language", "english please"]);
  assert.equal(badLanguage.code, 1);
  assert.match(badLanguage.stderr, /--language: "english please" is not a language code/);
  const notOurs = await hcSearch(["build-static", "--api", sim.url, "--out", "site/content", "--api-per-minute", "0"]);
  assert.equal(notOurs.code, 1);
  assert.match(notOurs.stderr, /site\/content is not empty and is not an earlier build-static output/);
  assert.equal(await readFile(join(out, "packs.json"), "utf8"), before, "the failed builds left the last one alone");
});

test("5xx and 429 answers are retried and waited out, and the wait is shown", async () => {
  const faults = (body) => fetch(`${sim.url}/_sim/faults`, {
    method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  await faults({ error_rate: 0.3, rate_limit_rate: 0.3, retry_after_secs: 1, seed: 11 });
  try {
    const r = await hcSearch(["build-static", "--api", sim.url, "--out", "again", "--language", "en", "--api-per-minute", "0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /-> 429 .*\n.*rate limited \(429\): waiting 1 s as the API asked/);
    assert.match(r.stderr, /-> 500 /);
    assert.match(r.stdout, new RegExp(`${publicCount} public articles, snapshot \\d+ KB, 1 language packs`));
  } finally {
    await faults({});
  }
});
