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
//
// A warm start reads its cached index from IndexedDB here, while the wasm
// compiles, instead of after (see crates/worker/src/web/cache.rs, which
// writes what this reads and checks what it read before using it). It
// starts from the Init's JSON in the fragment (`init=…`) when the loader
// put it there, so that it need not wait for the Init message, else from
// that message.
{
  // Started through the loader's cross-origin trampoline (a blob), the
  // wasm URL, the Init and the messages received so far are on `self`.
  const params = new URLSearchParams(self.location.hash.slice(1));
  const queue = self.__hcQueued ?? [];
  let ready = false;
  let prefetching = false;
  const prefetch = (json) => {
    if (prefetching || !json) return;
    prefetching = true;
    self.__hcWarm = readWarm(`init|${json}`);
  };
  const prefetchFor = (data) => data?.type === "init" && prefetch(JSON.stringify(data));
  prefetch(self.__hcInit ?? params.get("init"));
  queue.forEach(prefetchFor);
  self.onmessage = (event) => {
    if (ready) return handle_message(event.data);
    prefetchFor(event.data);
    queue.push(event.data);
  };
  const wasm = self.__hcWorkerWasm ?? params.get("wasm");
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

/**
 * The cache entry the lookup record `lookup` names, as
 * `{lookup, key, site, value}`, or null on any miss or failure. Read-only:
 * where the database does not exist yet it is not created here (the
 * upgrade is aborted), so that the wasm creates it with its store.
 */
function readWarm(lookup) {
  return new Promise((resolve) => {
    const miss = (db) => {
      db?.close();
      resolve(null);
    };
    let open;
    try {
      open = indexedDB.open("hc-search");
    } catch {
      return miss();
    }
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => miss();
    open.onsuccess = () => {
      const db = open.result;
      try {
        const store = db.transaction("packs", "readonly").objectStore("packs");
        const pointer = store.get(lookup);
        pointer.onerror = () => miss(db);
        pointer.onsuccess = () => {
          const [key, site] = Array.isArray(pointer.result) ? pointer.result : [];
          if (typeof key !== "string" || typeof site !== "string") return miss(db);
          const entry = store.get(key);
          entry.onerror = () => miss(db);
          entry.onsuccess = () => {
            db.close();
            resolve(entry.result === undefined ? null : { lookup, key, site, value: entry.result });
          };
        };
      } catch {
        miss(db);
      }
    };
  });
}
