#!/usr/bin/env node
// `npx hc-search build-static --api URL --out DIR`: a static site's search
// files from its help center, with Node alone. This script does the I/O
// (flags, files, HTTP, the output folder); what is published and how it is
// indexed is decided by the Rust code hc-proxy and `hcs` run, compiled to
// wasm (lib/hc_site_builder.js, crates/site-builder).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { ApiClient } from "../lib/api.mjs";
import { loadBuilder } from "../lib/builder.mjs";
import { writeSite, widgetFiles } from "../lib/site.mjs";

const HELP = `hc-search build-static: search for a static site, from a HelpCenter.io help center

Usage: HC_API_KEY=... npx hc-search build-static --out DIR [options]

Options (the same names as \`hcs build-static\`):
  --out DIR                 the folder to write (replaced whole; empty, absent,
                            or an earlier build)
  --api URL                 the API base (default https://api.helpcenter.io/v1;
                            a host alone means its /v1)
  --public-url URL          the public help center; relative links in
                            articles point there
  --language LANGS          the site's languages (repeatable or comma-separated;
                            default: every language found)
  --default-language LANG   default: en if present, else the first
  --synonyms FILE           FILE.json, or LANG=FILE.csv (repeatable)
  --suggestions FILE        suggestions by page path (JSON rules file)
  --api-per-minute N        requests per minute (default 60, the API's limit
                            per token; 0 = no limit); --rate-limit is the same
  -h, --help                this text
  -V, --version             versions

The key is read from HC_API_KEY (a read-only key is enough) and never
written anywhere. Progress goes to stderr, the summary to stdout.
`;

const OPTIONS = {
  out: { type: "string" },
  api: { type: "string" },
  "public-url": { type: "string" },
  language: { type: "string", multiple: true },
  "default-language": { type: "string" },
  synonyms: { type: "string", multiple: true },
  suggestions: { type: "string" },
  "api-per-minute": { type: "string" },
  "rate-limit": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

async function main(argv) {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  if (values.version) {
    const builder = await loadBuilder();
    console.log(`hc-search ${pkg.version} (${builder.engineId()})`);
    return 0;
  }
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (positionals[0] !== "build-static" || positionals.length > 1) {
    throw new UsageError(`unknown command ${JSON.stringify(positionals.join(" "))}; the command is build-static (see --help)`);
  }
  if (!values.out) throw new UsageError("--out DIR is required: the folder to write");
  const perMinute = Number(values["api-per-minute"] ?? values["rate-limit"] ?? 60);
  if (!Number.isInteger(perMinute) || perMinute < 0) {
    throw new UsageError("--api-per-minute takes a whole number of requests per minute (0 = no limit)");
  }
  const key = process.env.HC_API_KEY?.trim();
  if (!key) throw new UsageError("set HC_API_KEY to your help center's API key (a read-only key is enough)");

  const builder = await loadBuilder();
  const build = new builder.SiteBuild(
    {
      publicUrl: values["public-url"],
      languages: (values.language ?? []).flatMap((l) => l.split(",")).map((l) => l.trim()).filter(Boolean),
      defaultLanguage: values["default-language"],
      synonyms: values.synonyms ?? [],
      suggestions: values.suggestions,
    },
    (path) => readFileSync(path, "utf8"),
  );
  const base = builder.normalizeApiBase(values.api ?? "https://api.helpcenter.io/v1");
  const widget = widgetFiles(); // fail before the walk if the widget is missing
  console.error(`fetching the help center from ${base}`);
  const api = new ApiClient({ base, key, perMinute, log: (line) => console.error(`  ${line}`) });
  for (let request = build.nextRequest(); request !== undefined; request = build.nextRequest()) {
    build.feed(await api.get(request));
  }
  const built = build.finish((lang) => console.error(`indexing ${lang}`));
  const kept = writeSite(values.out, builder, widget, built.files);

  console.log(`wrote ${values.out}: ${built.articles} public articles, snapshot ${Math.floor(built.snapshotBytes / 1024)} KB, ${built.packs.length} language packs`);
  for (const p of built.packs) {
    console.log(`  ${p.lang.padEnd(6)} ${String(p.articles).padStart(5)} articles  ${String(Math.floor(p.bytes / 1024)).padStart(7)} KB  ${p.file}`);
  }
  if (kept > 0) console.log(`  kept ${kept} file(s) of the build this one replaces, for pages loaded before it`);
  if (built.skipped.length > 0) {
    console.log(`  left out ${built.skipped.length} record(s) the API sent in a form that cannot be read: ${built.skipped.join(", ")}`);
  }
  console.log(`\nServe the folder with your site (say at /hc-search/) and add:
  <script type="module" src="/hc-search/hc-search.js"></script>
  <hc-search packs="/hc-search/packs.json"></hc-search>`);
  return 0;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // parseArgs' own errors (an unknown flag, a missing value) are usage errors too.
    const usage = e instanceof UsageError || e?.code?.startsWith?.("ERR_PARSE_ARGS");
    console.error(`hc-search: ${e?.message ?? e}`);
    if (process.env.HC_SEARCH_DEBUG && e?.stack) console.error(e.stack);
    process.exit(usage ? 2 : 1);
  },
);
