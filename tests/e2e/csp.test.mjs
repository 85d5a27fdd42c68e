// `hcs demo` serves its product page under the strict Content-Security-
// Policy the README documents; the widget must load, search and open the
// reader with no violation reported (by the page or in the console, where
// Chromium also reports those of workers and frames).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startProcess, launchBrowser, distDir, openAndType } from "./harness.mjs";

let demo, url, browser;

before(async () => {
  demo = await startProcess("hcs", ["demo", "--listen", "127.0.0.1:0", "--assets", distDir], { RUST_LOG: "warn" },
    /hc-search demo: (http:\/\/\S+)/);
  url = demo.output().match(/hc-search demo: (http:\/\/\S+)/)[1];
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  demo?.stop();
});

test("the demo page works under its strict CSP with no violation", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  const console_ = [];
  page.on("console", (m) => console_.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => console_.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
  });
  const response = await page.goto(url);
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
  // The policy is enforced (so the check below can fail): an inline
  // script is refused and reported.
  const inline = await page.evaluate(async () => {
    const s = document.createElement("script");
    s.textContent = "window.__inline = 1";
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 50));
    return { ran: window.__inline === 1, violations: window.__violations.splice(0) };
  });
  assert.equal(inline.ran, false);
  assert.match(inline.violations.join(), /script-src/);
  console_.length = 0;

  const first = await openAndType(page, "ssh", { timeout: 30_000 });
  await first.click();
  await page.locator("hc-search .hc-reader").waitFor();
  await page.locator("hc-search iframe").waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(console_.filter((m) => /Content Security Policy|Refused to/i.test(m)), []);
  await context.close();
});
