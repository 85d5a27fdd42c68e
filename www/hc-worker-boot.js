// Bootstrap of the search worker (a module worker). The loader passes the
// worker module's and its wasm's URLs in this script's fragment
// (`#js=…&wasm=…`), so the files may be renamed or moved by a bundler.
// Messages that arrive while the wasm module is still loading are kept and
// handed over in order.
const params = new URLSearchParams(self.location.hash.slice(1));
const queue = [];
let handle = null;
self.onmessage = (event) => (handle ? handle(event.data) : queue.push(event.data));
// The wasm is fetched (and compiled as it streams in) while the JS glue
// loads, not after it.
const wasm = fetch(params.get("wasm"));
wasm.catch(() => {}); // a failure is reported below, when it is awaited
import(params.get("js"))
  .then(async (mod) => {
    await mod.default({ module_or_path: wasm });
    handle = mod.handle_message;
    for (const data of queue.splice(0)) handle(data);
  })
  .catch((error) => {
    // Reported to the widget in the protocol's shape, so it shows a
    // retryable error instead of waiting forever.
    self.postMessage({ type: "error", seq: null, kind: "unavailable", message: `the search engine could not load (${error})`, retryable: true });
  });
