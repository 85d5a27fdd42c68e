// Bootstrap of the search worker (a module worker). Messages that arrive
// while the wasm module is still loading are kept and handed over in order.
import init, { handle_message } from "./__HC_WORKER_JS__";

const queue = [];
let ready = false;
self.onmessage = (event) => (ready ? handle_message(event.data) : queue.push(event.data));
init({ module_or_path: new URL("./__HC_WORKER_WASM__", import.meta.url) }).then(() => {
  ready = true;
  for (const data of queue.splice(0)) handle_message(data);
});
