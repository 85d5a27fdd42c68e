// The builder worker's entry, appended by `cargo xtask build-web` to the
// builder's wasm-bindgen glue (crates/builder) so that the builder is one
// module file. The glue's `__wbg_init` and `build_pack` are in scope here;
// build-web checks the glue still defines them.
//
// The search worker starts this worker (the channel's `prepareBuild` and
// `build` in www/hc-worker-main.js) and posts it `{wasm}` at once, which
// starts loading the wasm, then `{snapshot, lang, fill}`, and ends it after
// its one answer: `{pack}` (its buffer moved, not copied), or
// `{error, loaded}`, `loaded` saying whether the builder ran (and rejected
// the snapshot) or could not load. A wasm that cannot load answers at once.
let loading = null;
self.onmessage = async ({ data }) => {
  if (data.wasm) {
    loading = __wbg_init({ module_or_path: data.wasm }).then(() => null, (error) => error);
    const failed = await loading;
    if (failed) self.postMessage({ error: `its wasm could not load (${failed?.message ?? failed})`, loaded: false });
    return;
  }
  if ((await loading) !== null) return; // answered already
  try {
    const pack = build_pack(data.snapshot, data.lang, data.fill);
    self.postMessage({ pack }, [pack.buffer]);
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error), loaded: true });
  }
};
