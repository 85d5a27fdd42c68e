// Writes the README's screenshots: results open in English, the reader open
// in Japanese. Run after `cargo xtask build-web`: node tests/e2e/screenshots.mjs
import { join } from "node:path";
import { startBackend, startWebServer, launchBrowser, productPage, shared, repo } from "./harness.mjs";

const web = await startWebServer({ page: (url) => pages[url.pathname]?.() ?? null });
const backend = await startBackend(join(shared, "corpus/debian-reference.json"), { allowOrigin: web.url });
const hc = { proxy: backend.proxyUrl, "help-center-url": "https://help.example.com" };
const pages = {
  "/en": () => productPage({ lang: "en", attrs: { ...hc } }),
  "/ja": () => productPage({ lang: "ja", attrs: { ...hc } }),
};
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });

await page.goto(`${web.url}/en`);
await page.locator("hc-search button.hc-launcher").click();
await page.locator("hc-search input.hc-input").pressSequentially("ssh key");
await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
await page.keyboard.press("ArrowDown");
await page.screenshot({ path: join(repo, "docs/screenshot-results-en.png") });

await page.goto(`${web.url}/ja`);
await page.locator("hc-search button.hc-launcher").click();
await page.locator("hc-search input.hc-input").pressSequentially("エイリアス");
await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
await page.keyboard.press("Enter");
await page.locator("hc-search .hc-reader iframe").waitFor();
await page.waitForTimeout(400);
await page.screenshot({ path: join(repo, "docs/screenshot-reader-ja.png") });

await browser.close();
backend.stop();
await web.stop();
console.log("wrote docs/screenshot-results-en.png and docs/screenshot-reader-ja.png");
