// The demo until `hcs demo` lands: hc-sim serving a help center, hc-proxy in
// front of it with a read-only key, and a product page using <hc-search>,
// all on loopback. Ctrl+C stops everything.
//   node scripts/demo.mjs [--data FILE] [--port N]
import { resolve } from "node:path";
import { startBackend, startWebServer, productPage, repo } from "../tests/e2e/harness.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const data = resolve(opt("--data", resolve(repo, "crates/sim/tests/fixtures/tiny.json")));
const port = Number(opt("--port", "0"));

let pageHtml = "";
const web = await startWebServer({ port, page: (url) => (url.pathname === "/" ? pageHtml : null) });
const backend = await startBackend(data, { allowOrigin: web.url });
pageHtml = productPage({ lang: "", attrs: { proxy: backend.proxyUrl, "help-center-url": "https://help.example.com" } });
console.log(`hc-search demo: ${web.url}/  (help center: ${data}; proxy: ${backend.proxyUrl}; Ctrl+C to stop)`);
const stop = async () => {
  backend.stop();
  await web.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
