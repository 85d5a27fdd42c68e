// Benchmarks hc-engine compiled to wasm, under Node.
// Usage: node run.mjs PKG_DIR CORPUS_DIR NATIVE_OUT_DIR
// PKG_DIR holds the wasm-bindgen (nodejs target) output of
// crates/engine-bench-wasm; NATIVE_OUT_DIR holds the packs and expected
// answers written by the native bench, to prove a native pack loads here.
// Prints one `ROW wasm ...` line per case (parsed by `cargo xtask bench-engine`).
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [pkgDir, corpusDir, nativeDir] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { Bench } = require(join(pkgDir, 'hc_engine_bench_wasm.js'));

const queries = JSON.parse(readFileSync(join(corpusDir, 'queries-dev.json'), 'utf8'));
const cases = [['rust-docs', 'en'], ['debian-reference', 'en'], ['debian-reference', 'de'], ['debian-reference', 'ja']];

// Every query and each of its prefixes, as typed (same as the native bench).
function typed(qs) {
  const out = [];
  for (const q of qs) {
    const chars = Array.from(q);
    for (let i = 1; i <= chars.length; i++) out.push(chars.slice(0, i).join(''));
  }
  return out;
}
const pct = (sorted, p) => sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? 0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const texts = {};
for (const [corpus, lang] of cases) {
  texts[corpus] ??= readFileSync(join(corpusDir, `${corpus}.json`), 'utf8');
  const bench = new Bench(texts[corpus], lang);
  const builds = [];
  let docs = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    docs = bench.build();
    builds.push(performance.now() - t);
  }
  const textBytes = bench.text_bytes();
  const pack = bench.pack();
  let t = performance.now();
  bench.load(pack);
  const loadMs = performance.now() - t;

  const qs = queries.filter((q) => q.corpus === corpus && q.lang === lang).map((q) => q.q);
  const all = typed(qs);
  for (const q of all.slice(0, 50)) bench.search(q);
  const us = all.map((q) => {
    const t0 = performance.now();
    bench.search(q);
    return (performance.now() - t0) * 1000;
  }).sort((a, b) => a - b);

  // A pack built natively must load here and answer the same.
  let native = 'absent';
  const packFile = join(nativeDir, `${corpus}-${lang}.pack`);
  if (existsSync(packFile)) {
    const expect = JSON.parse(readFileSync(join(nativeDir, `${corpus}-${lang}.expect.json`), 'utf8'));
    bench.load(new Uint8Array(readFileSync(packFile)));
    const bad = Object.entries(expect).filter(([q, ids]) => JSON.stringify(Array.from(bench.search(q), Number)) !== JSON.stringify(ids));
    native = bad.length === 0 ? `ok(${Object.keys(expect).length})` : `MISMATCH(${bad.length})`;
  }
  console.log(`ROW wasm ${corpus} ${lang} docs=${docs} build_ms=${median(builds).toFixed(1)} load_ms=${loadMs.toFixed(1)} text_bytes=${textBytes} pack_bytes=${pack.length} p50_us=${pct(us, 0.5).toFixed(0)} p95_us=${pct(us, 0.95).toFixed(0)} n=${us.length} native_pack=${native}`);
}
