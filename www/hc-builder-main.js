// The builder worker's entry, appended by `cargo xtask build-web` to the
// builder's wasm-bindgen glue (crates/builder) so that the builder is one
// module file. The glue's `__wbg_init` and `build_pack` are in scope here;
// build-web checks the glue still defines them.
//
// The search worker starts this worker to index a snapshot (the channel's
// `build` in www/hc-worker-main.js), posts it one message,
// `{snapshot, lang, fill, wasm}`, and ends it after the answer: `{pack}`
// (its buffer moved, not copied), or `{error, loaded}`, `loaded` saying
// whether the builder ran (and rejected the snapshot) or could not load.
self.onmessage = async ({ data }) => {
  try {
    await __wbg_init({ module_or_path: data.wasm });
  } catch (error) {
    self.postMessage({ error: `its wasm could not load (${error?.message ?? error})`, loaded: false });
    return;
  }
  try {
    const pack = build_pack(data.snapshot, data.lang, data.fill);
    self.postMessage({ pack }, [pack.buffer]);
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error), loaded: true });
  }
};
