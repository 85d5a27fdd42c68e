// Writes crates/worker/first-answer.txt: the worker's functions a visit
// runs before its first results, which `cargo xtask build-web` keeps in the
// first part of the worker's wasm (crates/xtask/src/split_wasm.rs). Run it
// when the worker's code changed (the test `worker-split.test.mjs` fails
// when a first answer reads the second part):
//   cargo build -p hc-sim -p hc-proxy -p hc-cli && node tests/e2e/profile-split.mjs
// It builds the browser artefacts with the worker instrumented
// (`--instrument-split`: each function marks itself on the worker's
// channel the first time it runs) into target/split-dist, and, in headless
// Chromium, opens the Debian Reference in each of its languages, from
// static packs and through the proxy, each on a cold visit and then a warm
// one (the same browser profile), and on the snapshot route; types a query
// and takes the marks as the first results show with their snippets. Then the first errors a
// visitor can meet (the proxy down, answering 404, 429 or 503, the
// connection lost, the builder missing), marks taken as the alert shows:
// an error before the first answer must not need the second part, which
// may not come (offline). The list is the union, by name (split_wasm's
// `function_keys`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startBackend, startSim, startWebServer, packsReady, CHROMIUM_ARGS, productPage, shared, binDir, READ_KEY,
  openAndType, input, repo, targetDir, freePort,
} from "./harness.mjs";

const dist = process.env.HC_DIST;
if (!dist) {
  // harness.mjs reads HC_DIST when imported: run again with it set.
  const out = join(targetDir, "split-dist");
  execFileSync("cargo", ["xtask", "build-web", "--instrument-split", "--out", out], { cwd: repo, stdio: "inherit" });
  execFileSync(process.execPath, [process.argv[1]], { env: { ...process.env, HC_DIST: out }, stdio: "inherit" });
  process.exit(0);
}
const keys = readFileSync(join(dist, "split-keys.txt"), "utf8").split("\n");
const corpus = join(shared, "corpus/debian-reference.json");
const QUERIES = { en: "apt pinning", fr: "créer image iso", es: "paquete", de: "paket", ja: "パッケージ", "zh-cn": "软件包" };

const sim = await startSim(corpus);
const site = join(mkdtempSync(join(tmpdir(), "hc-split-site-")), "hc-search");
try {
  execFileSync(join(binDir, "hcs"), ["build-static", "--api", `${sim.url}/v1`, "--out", site, "--assets", dist, "--rate-limit", "0"], {
    env: { ...process.env, HC_API_KEY: READ_KEY }, stdio: ["ignore", "ignore", "inherit"],
  });
} finally {
  sim.stop();
}
const pages = {};
let denied = null;
const web = await startWebServer({
  extra: { "/site/": site }, page: (url) => pages[url.pathname]?.() ?? null, deny: (path) => denied?.test(path) ?? false,
});
const backend = await startBackend(corpus, { allowOrigin: web.url });
await fetch(`${backend.proxyUrl}/v1/snapshot`, { headers: { origin: web.url } }).then((r) => r.arrayBuffer());
await packsReady(backend.proxyUrl, 60_000);
const ALERT = "hc-search .hc-error[role=alert]";
// Each scenario: its page's attributes, its visits, what is waited for,
// and what its browser context meets on the way.
const scenarios = [];
for (const lang of Object.keys(QUERIES)) {
  for (const [name, attrs] of [["static", { packs: "/site/packs.json" }], ["proxy", { proxy: backend.proxyUrl }]]) {
    scenarios.push({ name: `${name} ${lang}`, lang, attrs, visits: ["cold", "warm"] });
  }
}
scenarios.push({ name: "snapshot route", lang: "fr", attrs: { proxy: backend.proxyUrl, fallback: "default" }, visits: ["cold", "warm"] });
const failing = (name, attrs, setup = async () => {}) => scenarios.push({ name, lang: "en", attrs, visits: ["cold"], alert: true, setup });
failing("proxy down", { proxy: `http://127.0.0.1:${await freePort()}` });
failing("proxy answering 404", { proxy: `${backend.proxyUrl}/api` });
for (const status of [429, 503]) {
  failing(`proxy answering ${status}`, { proxy: backend.proxyUrl }, (context) => context.route(/\/v1\/(snapshot|packs)/, (route) =>
    route.fulfill({ status, headers: { "retry-after": "1", "access-control-allow-origin": "*" }, body: "{}" })));
}
failing("connection lost", { proxy: backend.proxyUrl }, (context) => context.route(/\/v1\/packs\.json/, async (route) => {
  await context.setOffline(true);
  await route.abort("internetdisconnected");
}));
failing("builder missing", { proxy: backend.proxyUrl, fallback: "default" }, async () => (denied = /^\/dist\/hc_builder\./));

const { chromium } = await import("playwright-core");
const kept = new Set();
try {
  for (const { name, lang, attrs, visits, alert, setup } of scenarios) {
    const path = `/${name.replace(/ /g, "-")}`;
    pages[path] = () => productPage({ lang, attrs: { lang, ...attrs } });
    const profile = mkdtempSync(join(tmpdir(), "hc-split-profile-"));
    for (const visit of visits) {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS,
      });
      await setup?.(context);
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${web.url}${path}`);
      if (alert) {
        await page.locator("hc-search button.hc-launcher").click();
        await input(page).waitFor();
        await page.locator(ALERT).waitFor({ timeout: 30_000 });
      } else {
        // The first results, and their snippets (cut from pieces of text
        // that come after them).
        await openAndType(page, QUERIES[lang], { timeout: 30_000 });
        await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
      }
      const marks = await Promise.any(
        page.workers().map((w) => w.evaluate(() => {
          const marks = self.__hcChannel?.splitMarks;
          return marks ? Array.from(marks.keys()).filter((i) => marks[i]) : Promise.reject(new Error("no marks"));
        })),
      );
      const before = kept.size;
      for (const i of marks) if (keys[i]) kept.add(keys[i]);
      console.log(`${name} ${visit}: ${marks.length} functions ran, ${kept.size - before} new`);
      await context.close();
      denied = null;
    }
  }
} finally {
  backend.stop();
  web.stop?.();
}
const header = `# The worker's functions a visit runs before its first results, by name
# (crates/xtask/src/split_wasm.rs, function_keys): cargo xtask build-web
# keeps them in the first part of the worker's wasm. Written by
# tests/e2e/profile-split.mjs (${kept.size} functions); not edited by hand.
`;
writeFileSync(join(repo, "crates/worker/first-answer.txt"), header + [...kept].sort().join("\n") + "\n");
console.log(`crates/worker/first-answer.txt: ${kept.size} functions`);
process.exit(0);
