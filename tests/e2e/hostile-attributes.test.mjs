// <hc-search> with hostile or mistaken attributes: a `strings` that is
// valid JSON of the wrong shape (or not JSON), and a `help-center-url`
// that is not http(s). Each page must still open, search and read an
// article, never render or follow a javascript:/data: link, and say once
// in the console what it ignored. A static snapshot (no backend) is enough.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startWebServer, launchBrowser, productPage, repo, input, options } from "./harness.mjs";

const FIXTURES = join(repo, "tests/e2e/fixtures");
const HUGE = "x".repeat(200_000);

// `strings` and `help-center-url` as the page writes them, and what the
// widget must make of them: the placeholder shown, the "full article"
// link (null: none), and how many console warnings.
const CASES = [
  { strings: "[1,2]", url: "javascript:alert(1)", placeholder: "Search help articles…", link: null, warnings: 2 },
  { strings: '{"placeholder": {"x": 1}}', url: "data:text/html,<script>alert(1)</script>",
    placeholder: "Search help articles…", link: null, warnings: 2 },
  { strings: "5", url: " JavaScript:alert(document.domain)//https://help.example.com", placeholder: "Search help articles…",
    link: null, warnings: 2 },
  { strings: '{"placeholder": "Ask us", "close": 3, "retry": ["a"], "nope": "x", "__proto__": {"open_full": "x"}}',
    url: "java\tscript:alert(1)", placeholder: "Ask us", link: null, warnings: 2 },
  { strings: "{not json", url: "//evil.example/x", placeholder: "Search help articles…", link: null, warnings: 2 },
  { strings: `{"placeholder": "${HUGE}"}`, url: "vbscript:msgbox(1)", placeholder: "Search help articles…",
    link: null, warnings: 2 },
  { strings: `{"a": ${"[".repeat(5000)}${"]".repeat(5000)}, "placeholder": "Deep"}`, url: "https:",
    placeholder: "Deep", link: null, warnings: 2 },
  // The control: well-formed attributes give the overrides and an https link, and no warning.
  { strings: "null", url: "https://help.example.com", placeholder: "Search help articles…",
    link: "https://help.example.com/en/articles/download-invoice", warnings: 0 },
  { strings: '{"placeholder": "Ask us", "open_full": "Read it on the site"}', url: "https://help.example.com/",
    placeholder: "Ask us", link: "https://help.example.com/en/articles/download-invoice", warnings: 0 },
];

let web, browser;

before(async () => {
  web = await startWebServer({
    extra: { "/fixtures/": FIXTURES },
    page: (url) => {
      const i = Number(url.pathname.slice("/case/".length));
      const c = CASES[i];
      if (!url.pathname.startsWith("/case/") || !c) return null;
      return productPage({
        lang: "en",
        attrs: { snapshot: "/fixtures/fallback-snapshot.json", strings: c.strings, "help-center-url": c.url },
      });
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await web?.stop();
});

for (const [i, c] of CASES.entries()) {
  const label = `strings=${c.strings.length > 60 ? `${c.strings.slice(0, 60)}…` : c.strings} help-center-url=${JSON.stringify(c.url)}`;
  test(`hostile attributes: ${label}`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    const warnings = [];
    const dialogs = [];
    const navigations = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "warning" && m.text().startsWith("hc-search")) warnings.push(m.text());
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    page.on("popup", (p) => navigations.push(`popup ${p.url()}`));
    const home = `${web.url}/case/${i}`;
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame() && f.url() !== home) navigations.push(f.url());
    });
    await page.addInitScript(() => {
      window.__hcErrors = [];
      document.addEventListener("hc-error", (e) => window.__hcErrors.push(e.detail));
    });
    await page.goto(home);

    // It opens and searches.
    await page.locator("hc-search button.hc-launcher").click();
    await input(page).waitFor({ timeout: 20_000 });
    const placeholder = await input(page).getAttribute("placeholder");
    assert.ok(placeholder === c.placeholder, `placeholder ${JSON.stringify(placeholder.slice(0, 80))} (${placeholder.length} characters)`);
    await input(page).pressSequentially("invoice");
    await options(page).first().waitFor({ timeout: 20_000 });
    assert.equal((await page.locator("hc-search .hc-title").first().innerText()).trim(), "Download an invoice");

    // The reader opens; a link to the full article only where the URL is http(s).
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.locator("hc-search .hc-reader").waitFor();
    const full = page.locator("hc-search a.hc-full");
    if (c.link === null) {
      assert.equal(await full.count(), 0, "no link from a URL that is not http(s)");
    } else {
      assert.equal(await full.getAttribute("href"), c.link);
      if (c.strings.includes("open_full")) assert.equal((await full.innerText()).trim(), "Read it on the site");
    }
    // Nowhere in the widget a link or frame to anything but http(s) or the page itself.
    const hrefs = await page.evaluate(() => {
      const root = document.querySelector("hc-search").shadowRoot;
      return [...root.querySelectorAll("[href], [src], [action], [formaction]")].map(
        (el) => el.getAttribute("href") ?? el.getAttribute("src") ?? el.getAttribute("action") ?? el.getAttribute("formaction"),
      );
    });
    for (const href of hrefs) assert.doesNotMatch(href.replace(/[\s\u0000-\u001f]/g, ""), /^(javascript|data|vbscript):/i, href);

    // Back to the results, and the dialog closes: the page never went anywhere.
    await page.keyboard.press("Escape");
    await options(page).first().waitFor();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.locator("hc-search .hc-dialog").waitFor({ state: "detached" });
    assert.equal(page.url(), home);
    assert.deepEqual(navigations, []);
    assert.deepEqual(dialogs, [], "no script ran an alert");
    assert.deepEqual(await page.evaluate(() => window.__hcErrors), []);
    assert.deepEqual(errors, []);
    assert.equal(warnings.length, c.warnings, warnings.join("\n"));
    for (const w of warnings) assert.ok(w.length < 600, "a warning stays short");
    await context.close();
  });
}
