// hc-search's engine (hc-engine, tantivy in wasm) through the `Bench` class
// of crates/engine-bench-wasm, bindgen --target web. Default SearchOptions:
// no tuning for this benchmark.
import init, { Bench } from '/pkg/hc_engine_bench_wasm.js';

globalThis.ENGINE = {
  name: 'hc-search',
  async load() {
    const exports = await init({ module_or_path: '/pkg/hc_engine_bench_wasm_bg.wasm' });
    this.memory = exports.memory;
  },
  build(snapshotText, lang) {
    this.b = new Bench(snapshotText, lang);
    const t = performance.now();
    this.b.build();
    return performance.now() - t;
  },
  // The static and proxy paths: a prebuilt pack (bytes fetched already).
  loadPack(bytes, lang) {
    const t = performance.now();
    this.b = Bench.fromPack(bytes, lang);
    return performance.now() - t;
  },
  // The pack's pieces of text, all of them (framed as splitFiles frames them), as
  // the widget attaches the pieces of the hits it shows.
  attachPieces(bytes) {
    return this.b.attachPieces(bytes);
  },
  wasmBytes() {
    return this.memory.buffer.byteLength;
  },
  search(q) {
    return Array.from(this.b.search(q), Number);
  },
};
