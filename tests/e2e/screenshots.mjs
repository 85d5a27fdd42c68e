// Writes the README's screenshots: results open in English, the reader open
// in Japanese, the empty query with suggestions and recent searches in
// German, filters applied in Japanese, and no results with the contact
// link. Run after `cargo xtask build-web`: node tests/e2e/screenshots.mjs
import { join } from "node:path";
import { startBackend, startWebServer, launchBrowser, productPage, shared, repo } from "./harness.mjs";

const web = await startWebServer({ page: (url) => pages[url.pathname]?.() ?? null });
const backend = await startBackend(join(shared, "corpus/debian-reference.json"), { allowOrigin: web.url });
const hc = { proxy: backend.proxyUrl, "help-center-url": "https://help.example.com" };
const pages = {
  "/en": () => productPage({ lang: "en", attrs: { ...hc } }),
  "/ja": () => productPage({ lang: "ja", attrs: { ...hc } }),
  "/de": () => productPage({ lang: "de", attrs: { ...hc, context: "ssh" } }),
  "/contact": () => productPage({ lang: "en", attrs: { ...hc, "contact-url": "mailto:help@acme.example" } }),
};
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
const launcher = page.locator("hc-search button.hc-launcher");
const box = page.locator("hc-search input.hc-input");
const written = [];
const shot = async (name) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(repo, "docs", name) });
  written.push(`docs/${name}`);
};

await page.goto(`${web.url}/en`);
await launcher.click();
await box.pressSequentially("ssh key");
await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
await page.keyboard.press("ArrowDown");
await shot("screenshot-results-en.png");

await page.goto(`${web.url}/ja`);
await launcher.click();
await box.pressSequentially("エイリアス");
await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
await page.keyboard.press("Enter");
await page.locator("hc-search .hc-reader iframe").waitFor();
await shot("screenshot-reader-ja.png");

// Filters applied: the second chip (the category with the most hits).
await page.locator("hc-search .hc-back").click();
await box.fill("");
await box.pressSequentially("パッケージ");
await page.locator("hc-search .hc-chips [role=radio]").nth(1).click();
await page.waitForFunction(() => document.querySelector("hc-search").shadowRoot.querySelector("[role=radio][data-i='1']")?.getAttribute("aria-checked") === "true");
await shot("screenshot-filters-ja.png");

// German: a search whose result was read, then an empty query.
await page.goto(`${web.url}/de`);
await launcher.click();
await box.pressSequentially("Paketverwaltung");
await page.locator("hc-search li.hc-option .hc-snippet").first().waitFor({ timeout: 30_000 });
await page.keyboard.press("Enter");
await page.locator("hc-search .hc-reader iframe").waitFor();
await page.keyboard.press("Escape");
await box.fill("");
await page.locator("hc-search #hc-group-recentsearches").waitFor();
await shot("screenshot-history-de.png");

await page.goto(`${web.url}/contact`);
await launcher.click();
await box.pressSequentially("qqqzzzxxqv");
await page.locator("hc-search .hc-empty").waitFor({ timeout: 30_000 });
await page.locator("hc-search a.hc-contact").waitFor();
await shot("screenshot-no-results-contact.png");

await browser.close();
backend.stop();
await web.stop();
console.log(`wrote ${written.join(", ")}`);
