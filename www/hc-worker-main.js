// The search worker's entry, appended by `cargo xtask build-web` to the
// worker's wasm-bindgen glue so that the worker is one module file: one
// request fewer on the way to the first result, and nothing a bundler could
// separate (bundlers copy the file as it is and may rename it). The glue's
// `__wbg_init` and `handle_message` are in scope here; build-web checks the
// glue still defines them.
//
// The loader passes the wasm's URL in this module's fragment (`#wasm=…`),
// or, when the worker is cross-origin, on `self` (see `createWorker`).
// Messages that arrive while the wasm is still loading are kept and handed
// over in order; a load failure is reported in the protocol's shape, so the
// widget shows a retryable error instead of waiting forever.
{
  // Started through the loader's cross-origin trampoline (a blob), the
  // wasm URL and the messages received so far are handed over on `self`.
  const queue = self.__hcQueued ?? [];
  let ready = false;
  self.onmessage = (event) => (ready ? handle_message(event.data) : queue.push(event.data));
  const wasm = self.__hcWorkerWasm ?? new URLSearchParams(self.location.hash.slice(1)).get("wasm");
  __wbg_init({ module_or_path: wasm })
    .then(() => {
      ready = true;
      for (const data of queue.splice(0)) handle_message(data);
    })
    .catch((error) => {
      self.postMessage({
        type: "error", seq: null, kind: "unavailable", retryable: true,
        message: `the search engine could not load (${error})`,
      });
    });
}
