// Side-by-side benchmark: hc-search's engine (tantivy in wasm) against
// MiniSearch, FlexSearch, Lunr, Orama and Pagefind, on the same corpus and
// queries, in one headless Debian Chromium run (playwright-core).
// Usage: node bench/run.mjs --queries FILE [--corpus NAME] [--engines a,b] [--out FILE]
// (bench/run installs the pinned packages and builds the wasm first.)
import { readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, resolve, dirname, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { brotliCompressSync, constants as zc } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const shared = resolve(repo, '../shared');
const targetDir = process.env.CARGO_TARGET_DIR || join(repo, 'target');
const pkgDir = process.env.HC_BENCH_PKG || join(targetDir, 'bench-web-pkg');
const work = join(here, '.work');
const www = join(work, 'www');

// ---- arguments
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const queriesFile = opt('--queries');
if (!queriesFile) {
  console.error('usage: bench/run --queries FILE [--corpus rust-docs|debian-reference|all] [--engines hc-search,minisearch,...]');
  process.exit(2);
}
const corpusArg = opt('--corpus', 'debian-reference');
const corpusDir = process.env.HC_CORPUS_DIR || join(shared, 'corpus');
// hc-search twice: building its index in the page from the public snapshot
// (the reference row, compared with the peers), and loading the prebuilt
// pack of the language, as the widget does on the static and proxy paths.
const HC = ['hc-search', 'hc-search-pack'];
const ALL_ENGINES = ['hc-search', 'hc-search-pack', 'minisearch', 'flexsearch', 'lunr', 'orama', 'pagefind'];
const engines = opt('--engines', ALL_ENGINES.join(',')).split(',');
const latencyBudgetMs = Number(opt('--latency-budget-ms', '20000'));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outFile = opt('--out', join(here, 'results', `bench-${stamp}.json`));

const queries = JSON.parse(readFileSync(queriesFile, 'utf8'));
const caseKeys = [];
for (const q of queries) {
  if (corpusArg !== 'all' && q.corpus !== corpusArg) continue;
  const k = `${q.corpus}|${q.lang}`;
  if (!caseKeys.includes(k)) caseKeys.push(k);
}
if (!caseKeys.length) {
  console.error(`no queries for corpus ${corpusArg} in ${queriesFile}`);
  process.exit(2);
}
const cases = caseKeys.map((k) => {
  const [corpus, lang] = k.split('|');
  return { corpus, lang, id: `${corpus}-${lang}`, queries: queries.filter((q) => q.corpus === corpus && q.lang === lang) };
});

// ---- deterministic typos: swap two adjacent letters of the longest word,
// position from a PRNG seeded by the query text.
function seed(s) {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0), 16777619);
  return h >>> 0;
}
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function typo(q) {
  const words = q.split(/(\s+)/);
  let best = -1;
  for (let i = 0; i < words.length; i++) {
    if (/\s/.test(words[i])) continue;
    if (best < 0 || Array.from(words[i]).length > Array.from(words[best]).length) best = i;
  }
  const w = Array.from(words[best] ?? '');
  if (w.length < 2) return q;
  const rnd = mulberry32(seed(q));
  for (let tries = 0; tries < 8; tries++) {
    const i = Math.floor(rnd() * (w.length - 1));
    if (w[i] !== w[i + 1]) {
      [w[i], w[i + 1]] = [w[i + 1], w[i]];
      break;
    }
  }
  words[best] = w.join('');
  return words.join('');
}

// ---- corpus preparation
const ENT = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function htmlToText(html) {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
      if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENT[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
const br = (buf) => brotliCompressSync(buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const corpora = {};
function prepare(c) {
  corpora[c.corpus] ??= JSON.parse(readFileSync(join(corpusDir, `${c.corpus}.json`), 'utf8'));
  const data = corpora[c.corpus];
  const pub = data.articles.filter((a) => a.published === true && a.visibility === 'public' && a.content?.[c.lang] && a.title?.[c.lang]);
  // What hc-search fetches: the public snapshot in one language (API shape, HTML content).
  const pick = (o) => (o && o[c.lang] !== undefined ? { [c.lang]: o[c.lang] } : {});
  const snapshot = {
    site: data.site,
    categories: data.categories,
    articles: pub.map((a) => ({ ...a, title: pick(a.title), slug: pick(a.slug), content: pick(a.content) })),
  };
  const snapText = JSON.stringify(snapshot);
  writeFileSync(join(www, `snap-${c.id}.json`), snapText);
  // What in-memory peers fetch and index: plain text documents.
  const docs = pub.map((a) => ({ id: a.id, title: a.title[c.lang], body: htmlToText(a.content[c.lang]) }));
  const docsText = JSON.stringify(docs);
  writeFileSync(join(www, `docs-${c.id}.json`), docsText);
  c.docs = docs.length;
  c.snapBr = br(Buffer.from(snapText));
  if (engines.includes('hc-search-pack')) {
    // The pack as `hcs build-static` writes it (a travelling container,
    // split), made here in Node by the same engine code, outside any
    // measured page.
    const b = new PackBench(snapText, c.lang);
    b.build();
    const pack = b.pack();
    b.free();
    // One split: the pack (the first framed file), then its pieces.
    const files = splitFiles(pack);
    const packLen = new DataView(files.buffer, files.byteOffset).getUint32(0, true);
    writeFileSync(join(www, `pack-${c.id}.hcpack`), files.subarray(4, 4 + packLen));
    writeFileSync(join(www, `pieces-${c.id}.bin`), files.subarray(4 + packLen));
    // Written as the pack and the chunks of its postings the first
    // query reads, which the first answer needs, and the pieces of its
    // texts, which the widget fetches for the hits shown (snippets, the
    // reader): those of the first query's top ten, as Pagefind's figure
    // counts its ten fragments.
    [c.packBytes, c.piecesBytes, c.pieces, c.firstPiecesBytes, c.firstChunkBytes] = splitSizes(pack, c.queries[0].q);
  }
  c.docsBr = br(Buffer.from(docsText));
}

// Pagefind: one HTML page per article, indexed by its real binary.
function pagefindIndex(c) {
  const site = join(www, `pf-${c.id}`);
  rmSync(site, { recursive: true, force: true });
  mkdirSync(join(site, 'a'), { recursive: true });
  const data = corpora[c.corpus];
  for (const a of data.articles) {
    if (!(a.published === true && a.visibility === 'public' && a.content?.[c.lang] && a.title?.[c.lang])) continue;
    const t = a.title[c.lang];
    writeFileSync(
      join(site, 'a', `a${a.id}.html`),
      `<!doctype html><html lang="${c.lang}"><head><meta charset="utf-8"><title>${esc(t)}</title></head>` +
        `<body><main data-pagefind-body><h1>${esc(t)}</h1>${a.content[c.lang]}</main></body></html>\n`,
    );
  }
  const bin = join(here, 'node_modules/.bin/pagefind');
  const t0 = performance.now();
  execFileSync(bin, ['--site', site, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t0;
}

// ---- static server (cross-origin isolated: 5 µs performance.now())
const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };
const served = [];
const brCache = new Map();
function startServer() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (path === '/' || path === '/index.html') file = null;
    else if (path.startsWith('/pkg/')) file = join(pkgDir, path.slice(5));
    else file = join(www, path.slice(1));
    let body;
    try {
      body = file ? await readFile(file) : Buffer.from('<!doctype html><meta charset="utf-8"><title>bench</title><body>bench</body>');
    } catch {
      res.writeHead(404).end();
      return;
    }
    // Bytes on the wire: text at brotli -q 11 (what a CDN would send);
    // binary files as they are (Pagefind's index files are already compressed).
    const ext = file ? extname(path) : '.html';
    let wire = body.length;
    if (['.js', '.mjs', '.json', '.html', '.wasm'].includes(ext) && !path.includes('/pagefind/wasm') ) {
      if (!brCache.has(file)) brCache.set(file, br(body));
      wire = brCache.get(file);
    }
    served.push({ path, bytes: body.length, wire });
    res.writeHead(200, {
      'content-type': MIME[ext] || 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cache-control': 'no-store',
    }).end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

// ---- metrics
function relevance(qs, answers) {
  let mrr = 0, rec = 0;
  qs.forEach((q, i) => {
    const ids = answers[i] || [];
    const rank = ids.slice(0, 10).findIndex((id) => q.relevant.includes(id));
    if (rank >= 0) mrr += 1 / (rank + 1);
    rec += q.relevant.filter((r) => ids.slice(0, 5).includes(r)).length / q.relevant.length;
  });
  return { mrr: mrr / qs.length, recall5: rec / qs.length, mrrSum: mrr };
}
const pct = (sorted, p) => sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? 0;
function typed(qs) {
  const out = [];
  for (const q of qs) {
    const ch = Array.from(q);
    for (let i = 1; i <= ch.length; i++) out.push(ch.slice(0, i).join(''));
  }
  return out;
}

// Runs in the page: relevance answers, then latency over every typed prefix.
async function measureInPage({ qs, typos, prefixes, budget, isPagefind }) {
  const E = globalThis.ENGINE;
  const top = async (q) => (isPagefind ? E.ids(q) : await E.search(q));
  const normal = [];
  for (const q of qs) normal.push(await top(q));
  const typo = [];
  for (const q of typos) typo.push(await top(q));
  for (const q of prefixes.slice(0, 30)) await E.search(q);
  const ms = [];
  const start = performance.now();
  for (const q of prefixes) {
    const t = performance.now();
    const r = E.search(q);
    if (r && typeof r.then === 'function') await r;
    ms.push(performance.now() - t);
    if (performance.now() - start > budget) break;
  }
  return { normal, typo, ms, isolated: globalThis.crossOriginIsolated, failures: E.failures || 0 };
}

async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

// ---- main
mkdirSync(www, { recursive: true });
mkdirSync(dirname(outFile), { recursive: true });
if (!existsSync(join(pkgDir, 'hc_engine_bench_wasm.js'))) {
  console.error(`${pkgDir} is missing: run bench/run (it runs cargo xtask bench-web-pkg)`);
  process.exit(1);
}
const peerEntries = engines.filter((e) => ![...HC, 'pagefind'].includes(e));
const { initSync, Bench: PackBench, splitSizes, splitFiles } = await import(pathToFileURL(join(pkgDir, 'hc_engine_bench_wasm.js')).href);
initSync({ module: readFileSync(join(pkgDir, 'hc_engine_bench_wasm_bg.wasm')) });
await esbuild.build({
  entryPoints: [...peerEntries, 'hc', 'pagefind'].map((e) => join(here, 'page', `${e}.mjs`)),
  bundle: true, minify: true, format: 'esm', outdir: www, logLevel: 'warning', external: ['/pkg/*'],
});
const codeBr = {};
for (const e of peerEntries) codeBr[e] = br(readFileSync(join(www, `${e}.js`)));
// What the widget fetches to search (brotli), from the product's build
// (`bench/run` runs `cargo xtask build-web` into bench-dist): the search
// worker, which opens packs, and on the snapshot route also the builder
// (crates/builder), which builds the index in a worker of its own. The
// measuring itself runs hc-engine-bench-wasm, the same engine.
const distManifest = join(process.env.HC_BENCH_DIST || join(targetDir, 'bench-dist'), 'manifest.json');
if (!existsSync(distManifest)) {
  console.error(`${distManifest} is missing: run bench/run (it runs cargo xtask build-web)`);
  process.exit(2);
}
const dist = JSON.parse(readFileSync(distManifest, 'utf8'));
// The worker and its language's Snowball module (crates/snowball; none for
// a language without a stemmer), which it fetches beside the pack. The
// worker's wasm is the first of its two parts (crates/xtask/src/split_wasm.rs):
// the second comes after the first answer (tests/e2e/split.test.mjs checks
// that no first answer calls into it).
const snowballSubtag = (lang) => ({ nb: 'no', nn: 'no' })[lang.split('-')[0]] ?? lang.split('-')[0];
const hcPackCodeBr = (lang) =>
  dist.hc_worker_js.brotli + dist.hc_worker_wasm.brotli + (dist[`hc_snowball_${snowballSubtag(lang)}_wasm`]?.brotli ?? 0);
const hcSnapshotCodeBr = (lang) => hcPackCodeBr(lang) + dist.hc_builder_js.brotli + dist.hc_builder_wasm.brotli;

const { server, url } = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
});
const chromiumVersion = browser.version();
const results = [];
try {
  for (const c of cases) {
    prepare(c);
    const qs = c.queries.map((q) => q.q);
    const typos = qs.map(typo);
    // Typed prefixes in a seeded random order, so that an engine stopped by
    // the latency budget is timed on a sample of every query, not the first few.
    const prefixes = typed(qs);
    const rnd = mulberry32(12345);
    for (let i = prefixes.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [prefixes[i], prefixes[j]] = [prefixes[j], prefixes[i]];
    }
    let pfBuild = null;
    for (const engine of engines) {
      const row = { corpus: c.corpus, lang: c.lang, engine, docs: c.docs, queries: qs.length };
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${url}/`);
      const cdp = await ctx.newCDPSession(page);
      try {
        const heap0 = await heap(cdp);
        served.length = 0;
        if (engine === 'pagefind') {
          pfBuild ??= pagefindIndex(c);
          row.build_ms = pfBuild;
          row.build_note = 'native binary, wall time';
          await page.addScriptTag({ url: '/pagefind.js', type: 'module' });
          await page.waitForFunction(() => globalThis.ENGINE);
          const first = await page.evaluate(async ({ base, q }) => {
            await ENGINE.load(base);
            return ENGINE.ids(q);
          }, { base: `/pf-${c.id}`, q: qs[0] });
          row.fetch_bytes = served.reduce((s, r) => s + r.wire, 0);
          row.fetch_note = 'bytes served until the first answer (pagefind.js + wasm + index chunks + 10 fragments)';
        } else if (HC.includes(engine)) {
          // The snapshot, built into an index in the page; or the pack,
          // loaded (what the widget does on the static and proxy paths).
          const pack = engine === 'hc-search-pack';
          await page.addScriptTag({ url: '/hc.js', type: 'module' });
          await page.waitForFunction(() => globalThis.ENGINE);
          row.build_ms = await page.evaluate(async ({ url, lang, pack }) => {
            await ENGINE.load();
            const res = await fetch(url);
            return pack ? ENGINE.loadPack(new Uint8Array(await res.arrayBuffer()), lang) : ENGINE.build(await res.text(), lang);
          }, { url: pack ? `/pack-${c.id}.hcpack` : `/snap-${c.id}.json`, lang: c.lang, pack });
          if (pack) row.build_note = 'loading the prebuilt pack, not building';
          row.fetch_bytes = pack ? hcPackCodeBr(c.lang) + c.packBytes + c.firstChunkBytes : hcSnapshotCodeBr(c.lang) + c.snapBr;
          row.fetch_note = pack
            ? `the widget's worker wasm (its first part; the second, ${dist.hc_worker_rest_wasm.brotli} B, comes after the first answer) + js and its language's Snowball module (brotli) + the language pack as written (deflated already, served as is) + the chunks of its postings the first query reads (${c.firstChunkBytes} B), without its texts (${c.pieces} pieces and chunks, ${c.piecesBytes} B in all), of which the widget fetches those of the hits shown after the first answer (results without snippets; ${c.firstPiecesBytes} B for the first query)`
            : `the widget's worker (its wasm's first part; the second, ${dist.hc_worker_rest_wasm.brotli} B, comes after the first answer) and builder, wasm + js (brotli) + public snapshot of the language (brotli)`;
          row.wasm_memory = await page.evaluate(() => ENGINE.wasmBytes());
        } else {
          await page.addScriptTag({ url: `/${engine}.js`, type: 'module' });
          await page.waitForFunction(() => globalThis.ENGINE);
          const supported = await page.evaluate((lang) => (ENGINE.supports ? ENGINE.supports(lang) : true), c.lang);
          if (!supported) {
            row.unsupported = true;
            row.mrr = 0; row.recall5 = 0; row.typo_mrr = 0; row.typo_recall5 = 0; row.mrrSum = 0;
            results.push(row);
            console.error(`${c.id} ${engine}: language not supported, counted as 0`);
            continue;
          }
          row.build_ms = await page.evaluate(async ({ docsUrl, lang }) => {
            const docs = await (await fetch(docsUrl)).json();
            const t = performance.now();
            await ENGINE.build(docs, lang);
            return performance.now() - t;
          }, { docsUrl: `/docs-${c.id}.json`, lang: c.lang });
          row.fetch_bytes = codeBr[engine] + c.docsBr;
          row.fetch_note = 'minified bundle + plain-text documents JSON (brotli)';
        }
        row.js_heap_bytes = await heap(cdp);
        row.js_heap_delta_bytes = row.js_heap_bytes - heap0;
        // hc-search's index lives in wasm linear memory, not the JS heap: both count.
        // (measureUserAgentSpecificMemory() leaves wasm memory out too, so it is not used.)
        row.heap_bytes = row.js_heap_bytes + (row.wasm_memory || 0);
        if (engine === 'pagefind') row.heap_note = 'JS heap only: Pagefind keeps its index in wasm memory that the page cannot see';
        if (engine === 'hc-search-pack') {
          // The heap above is the pack's, as the widget holds it before the
          // first answer; the searches below make snippets as the widget's
          // do once the hits' pieces of text have arrived: all of them here.
          row.pieces_attached = await page.evaluate(async (url) => {
            const res = await fetch(url);
            return ENGINE.attachPieces(new Uint8Array(await res.arrayBuffer()));
          }, `/pieces-${c.id}.bin`);
        }
        const m = await page.evaluate(measureInPage, { qs, typos, prefixes, budget: latencyBudgetMs, isPagefind: engine === 'pagefind' });
        const rel = relevance(c.queries, m.normal);
        const relT = relevance(c.queries, m.typo);
        Object.assign(row, { mrr: rel.mrr, recall5: rel.recall5, mrrSum: rel.mrrSum, typo_mrr: relT.mrr, typo_recall5: relT.recall5 });
        const ms = m.ms.sort((a, b) => a - b);
        Object.assign(row, { p50_ms: pct(ms, 0.5), p95_ms: pct(ms, 0.95), searches: ms.length, prefixes: prefixes.length, isolated: m.isolated });
        if (m.failures) row.search_failures = m.failures;
        if (errors.length) row.errors = errors;
      } catch (e) {
        row.error = String(e).slice(0, 500);
        console.error(`${c.id} ${engine}: ${row.error}`);
      }
      results.push(row);
      console.error(`${c.id} ${engine}: mrr=${row.mrr?.toFixed(3)} build=${row.build_ms?.toFixed(0)}ms p50=${row.p50_ms?.toFixed(3)} p95=${row.p95_ms?.toFixed(3)} n=${row.searches}`);
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

// ---- report
const FIG = [
  ['mrr', 'MRR@10', 'max', (v) => v.toFixed(3)],
  ['recall5', 'R@5', 'max', (v) => v.toFixed(3)],
  ['typo_mrr', 'typo MRR@10', 'max', (v) => v.toFixed(3)],
  ['typo_recall5', 'typo R@5', 'max', (v) => v.toFixed(3)],
  ['build_ms', 'build ms', 'min', (v) => v.toFixed(0)],
  ['p50_ms', 'p50 ms', 'min', (v) => v.toFixed(3)],
  ['p95_ms', 'p95 ms', 'min', (v) => v.toFixed(3)],
  ['fetch_bytes', 'fetch KB', 'min', (v) => (v / 1024).toFixed(0)],
  ['heap_bytes', 'heap MB', 'min', (v) => (v / 1048576).toFixed(1)],
];
const lines = [];
lines.push(`queries: ${queriesFile}; corpus: ${corpusArg}; Chromium ${chromiumVersion}`);
lines.push('');
lines.push(`| corpus | lang | engine | ${FIG.map((f) => f[1]).join(' | ')} |`);
lines.push(`|---|---|---|${FIG.map(() => '---').join('|')}|`);
const ratios = [];
const staticPath = [];
for (const c of cases) {
  const rows = results.filter((r) => r.corpus === c.corpus && r.lang === c.lang);
  for (const r of rows) {
    const cells = FIG.map(([k, , , f]) => (r.unsupported ? 'n/a' : typeof r[k] === 'number' ? f(r[k]) + (k === 'heap_bytes' && r.heap_note ? '*' : '') : '—'));
    lines.push(`| ${c.corpus} | ${c.lang} | ${r.engine}${r.error ? ' (error)' : ''} | ${cells.join(' | ')} |`);
  }
  const peers = rows.filter((r) => !HC.includes(r.engine) && !r.unsupported && !r.error);
  for (const [name, label] of [['hc-search', 'hc/best peer'], ['hc-search-pack', 'hc pack/best peer']]) {
    const hc = rows.find((r) => r.engine === name);
    if (!hc) continue;
    const cells = FIG.map(([k, , dir]) => {
      const vals = peers.filter((p) => typeof p[k] === 'number' && !(k === 'heap_bytes' && p.heap_note));
      if (typeof hc[k] !== 'number' || !vals.length) return '—';
      const best = vals.reduce((a, b) => ((dir === 'max' ? b[k] > a[k] : b[k] < a[k]) ? b : a));
      const ratio = best[k] === 0 ? Infinity : hc[k] / best[k];
      ratios.push({ corpus: c.corpus, lang: c.lang, engine: name, figure: k, hc: hc[k], best_peer: best.engine, best: best[k], ratio });
      return `${ratio.toFixed(2)}× (${best.engine})`;
    });
    lines.push(`| ${c.corpus} | ${c.lang} | **${label}** | ${cells.join(' | ')} |`);
  }
  // The figures issue #17 names for the static path: first-visit bytes
  // against Pagefind's, heap against MiniSearch's.
  const pack = rows.find((r) => r.engine === 'hc-search-pack');
  const pf = rows.find((r) => r.engine === 'pagefind');
  const ms = rows.find((r) => r.engine === 'minisearch');
  if (pack && pf && typeof pack.fetch_bytes === 'number' && typeof pf.fetch_bytes === 'number') {
    const withTexts = pack.fetch_bytes + c.firstPiecesBytes;
    staticPath.push(`${c.id}: fetch ${(pack.fetch_bytes / 1024).toFixed(0)} KB vs pagefind ${(pf.fetch_bytes / 1024).toFixed(0)} KB (${(pack.fetch_bytes / pf.fetch_bytes).toFixed(2)}×; with the texts for the first query's snippets ${(withTexts / 1024).toFixed(0)} KB, ${(withTexts / pf.fetch_bytes).toFixed(2)}×; pack ${(c.packBytes / 1024).toFixed(0)} KB, of its ${c.pieces} pieces of text and chunks of postings (${(c.piecesBytes / 1024).toFixed(0)} KB) the first query's chunks ${(c.firstChunkBytes / 1024).toFixed(0)} KB)` +
      (ms && typeof pack.heap_bytes === 'number' && typeof ms.heap_bytes === 'number' ? `; heap ${(pack.heap_bytes / 1048576).toFixed(1)} MB vs minisearch ${(ms.heap_bytes / 1048576).toFixed(1)} MB (${(pack.heap_bytes / ms.heap_bytes).toFixed(2)}×)` : ''));
  }
}
// Overall MRR across every query of the run (unsupported/error = 0).
const nQ = cases.reduce((s, c) => s + c.queries.length, 0);
const overall = {};
for (const e of engines) overall[e] = results.filter((r) => r.engine === e).reduce((s, r) => s + (r.mrrSum || 0), 0) / nQ;
const bestPeer = engines.filter((e) => !HC.includes(e)).sort((a, b) => overall[b] - overall[a])[0];
lines.push('');
lines.push('* JS heap only (Pagefind\'s wasm memory is not visible to the page); left out of the heap ratio.');
if (staticPath.length) lines.push(`static path (hc-search-pack): ${staticPath.join('; ')}`);
lines.push(`overall MRR@10 over ${nQ} queries: ${engines.map((e) => `${e} ${overall[e].toFixed(3)}`).join(', ')}`);
writeFileSync(outFile, JSON.stringify({ queries: queriesFile, corpus: corpusArg, chromium: chromiumVersion, when: new Date().toISOString(), results, ratios, overall }, null, 2));
lines.push(`JSON: ${outFile}`);
lines.push(`hc-search MRR@10=${(overall['hc-search'] ?? 0).toFixed(3)} best-peer=${bestPeer} MRR@10=${(overall[bestPeer] ?? 0).toFixed(3)}`);
console.log(lines.join('\n'));
