// The search worker's entry, appended by `cargo xtask build-web` to the
// worker's wasm-bindgen glue so that the worker is one module file: one
// request fewer on the way to the first result, and nothing a bundler could
// separate (bundlers copy the file as it is and may rename it). The glue's
// `__wbg_init`, `handle_message`, `__wbg_get_imports` and `wasm` (its
// instance's exports) are in scope here; build-web checks the glue still
// defines them.
//
// The loader passes the wasm's URL in this module's fragment (`#wasm=…`),
// or, when the worker is cross-origin, on `self` (see `createWorker`). With
// `module=1` it also compiles the wasm itself and posts the module (or null
// when that failed) in one `hc-module` message, which is waited for.
// Messages that arrive while the wasm is still loading are kept and handed
// over in order; a load failure is reported in the protocol's shape, so the
// widget shows a retryable error instead of waiting forever.
//
// A warm start's cached index is read from IndexedDB by the loader, on the
// page's thread, which is idle while this one compiles the wasm (see
// `readWarm` in www/hc-search.js and crates/worker/src/web/cache.rs). The
// loader says so with `warm=1` in the fragment (or the channel's
// `warmComing`) and then posts one `hc-warm` message, taken here, never
// handed to the wasm; the channel's `warm` is the promise of its content
// that the wasm awaits.
//
// Everything handed over on the worker's global scope goes through one
// object, `self[CONTRACT.channel]` (hc_core::loader::CHANNEL): the
// cross-origin start fills `wasm`, `rest`, `builder`, `builderWasm`, `snowball`, `warmComing`,
// `moduleComing` and `queued`; this file sets `warm`, which the wasm takes,
// `prepareBuild` and `build`, which the wasm calls to index a snapshot,
// `snowball` and `prefetchSnowball`, through which it gets a language's
// stemmer and stop list, and `restBy` and `splitMarks` (the wasm's second
// part, below).
//
// The builder (crates/builder: tantivy's indexing side, a third of the
// engine's bytes) is a wasm of its own, fetched only when no prebuilt pack
// serves the visitor, and runs in a worker of its own that ends after its
// one build, so that its memory goes with it.
{
  // Names shared with the loader and the wasm, written in by build-web
  // from hc_core::loader.
  const CONTRACT = __HC_CONTRACT__;
  // Started through the loader's cross-origin trampoline (a blob), the
  // wasm URL and the messages received so far are handed over on `self`.
  const params = new URLSearchParams(self.location.hash.slice(1));
  const channel = (self[CONTRACT.channel] ??= {});
  const queue = [];
  let ready = false;
  // A message the loader said it would post: the promise of its content
  // (null on `timeout`, if given), and what takes it; null when none comes.
  const expect = (coming, timeout) => {
    if (!coming) return null;
    let take;
    const promise = new Promise((resolve) => {
      take = (value) => resolve(value ?? null);
      if (timeout) setTimeout(() => resolve(null), timeout);
    });
    return { promise, take };
  };
  // A read that never answers costs the warm start, not the widget.
  const warm = expect(channel.warmComing ?? params.get("warm") === "1", 3000);
  if (warm) channel[CONTRACT.channelWarm] = warm.promise;
  const compiled = expect(channel.moduleComing ?? params.get("module") === "1");
  // A URL the loader handed over: on the channel (cross-origin start) or
  // in this module's fragment, under the same name.
  const given = (name) => channel[name] ?? params.get(name);
  // A language's Snowball stemmer and stop list (crates/snowball): a wasm
  // of its own per language, whose URLs the loader hands over (`snowball`,
  // by primary subtag), which the wasm asks for, synchronously, when it
  // opens an index of that language (crates/worker/src/web/snowball.rs).
  // Fetched and compiled ahead: for the language the `Init` asks for first
  // as it arrives, and for the language a load installs once it knows it
  // (`prefetchSnowball`, whose promise the load awaits before it opens the
  // index); else read when asked for, with a synchronous request (a worker
  // may make one). The module imports nothing and works on one buffer of
  // its memory (a word's UTF-8 in, its stem out), so it needs no glue.
  const SNOWBALL = (() => {
    try {
      return JSON.parse(given("snowball") ?? "{}") ?? {};
    } catch {
      return {};
    }
  })();
  const snowballUrl = (subtag) => SNOWBALL[subtag] && new URL(SNOWBALL[subtag], self.location.href).href;
  const snowballSubtag = (lang) => String(lang).split(/[-_]/)[0].toLowerCase();
  // subtag -> the promise of its compiled module while it comes, then the
  // module; no entry once instantiated, or when the prefetch failed (read
  // when asked for).
  const modules = new Map();
  const snowballs = new Map(); // subtag -> {stem, isStop, stopsAmong}, or null for a module that is not there
  // Never waited for more than this: past it, the synchronous read decides.
  const SNOWBALL_WAIT_MS = 3000;
  const prefetchSnowball = (subtag) => {
    const url = snowballUrl(subtag);
    if (!url || snowballs.has(subtag)) return null;
    if (!modules.has(subtag)) {
      const coming = fetch(url)
        .then((response) => (response.ok ? response.arrayBuffer() : null))
        .then((bytes) => bytes && WebAssembly.compile(bytes))
        .then(
          (module) => {
            // Kept unless it is not there, or was read meanwhile.
            if (module && !snowballs.has(subtag)) modules.set(subtag, module);
            else modules.delete(subtag);
          },
          () => modules.delete(subtag),
        );
      modules.set(subtag, coming);
    }
    const known = modules.get(subtag);
    if (!(known instanceof Promise)) return null;
    return Promise.race([known, new Promise((resolve) => setTimeout(resolve, SNOWBALL_WAIT_MS))]);
  };
  // The module's bytes now, or null for a file that is not there (a
  // network failure throws, and is not remembered: the next index opened
  // asks again).
  const readNow = (url) => {
    const request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.responseType = "arraybuffer";
    request.send();
    return request.status === 200 ? request.response : null;
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const snowballOf = (exports) => {
    const at = exports.hc_snowball_buffer();
    const room = exports.hc_snowball_buffer_len();
    // The word's byte length in the buffer, or -1 when it does not fit.
    const put = (word) => {
      const { read, written } = encoder.encodeInto(word, new Uint8Array(exports.memory.buffer, at, room));
      return read === word.length ? written : -1;
    };
    return {
      stem(word) {
        const n = put(word);
        if (n < 0) return word;
        // The call may grow the memory: its buffer is read after it.
        const len = exports.hc_snowball_stem(n);
        return decoder.decode(new Uint8Array(exports.memory.buffer, at, len));
      },
      isStop(word) {
        const n = put(word);
        return n >= 0 && exports.hc_snowball_is_stop(n) === 1;
      },
      // Newline-joined words: a "0" or "1" for each, in one call.
      stopsAmong(words) {
        return words.split("\n").map((word) => (this.isStop(word) ? "1" : "0")).join("");
      },
    };
  };
  channel[CONTRACT.channelPrefetchSnowball] = prefetchSnowball;
  channel[CONTRACT.channelSnowball] = (subtag) => {
    if (snowballs.has(subtag)) return snowballs.get(subtag);
    const url = snowballUrl(subtag);
    if (!url) return null;
    try {
      let module = modules.get(subtag);
      if (!(module instanceof WebAssembly.Module)) {
        const bytes = readNow(url);
        module = bytes && new WebAssembly.Module(bytes);
      }
      const made = module ? snowballOf(new WebAssembly.Instance(module).exports) : null;
      snowballs.set(subtag, made);
      modules.delete(subtag);
      return made;
    } catch (error) {
      console.warn(`hc-search: the stemmer of "${subtag}" could not be loaded (${error})`);
      return null;
    }
  };
  // Each message's handling is a User Timing measure, "hc-search <type>":
  // DevTools shows it on this worker's track, and a PerformanceObserver
  // sees it (bench/growth/run.mjs splits a keystroke's time with it).
  // Cleared at once: a long visit keeps none.
  const handle = (data) => {
    const start = performance.now();
    handle_message(data);
    try {
      performance.measure(`hc-search ${data?.type}`, { start });
      performance.clearMeasures();
    } catch {
      // A browser without User Timing Level 3's options: nothing to see.
    }
  };
  const receive = (data) => {
    if (data?.type === CONTRACT.warmMessage) return warm?.take(data.warm);
    if (data?.type === CONTRACT.moduleMessage) return compiled?.take(data.module);
    // The Init names the languages wanted, the likeliest served first.
    if (data?.type === CONTRACT.initTag) {
      const wanted = data.languages?.explicit ?? data.languages?.page ?? data.languages?.visitor?.[0];
      if (wanted) prefetchSnowball(snowballSubtag(wanted));
    }
    if (ready) return handle(data);
    queue.push(data);
  };
  for (const data of (channel.queued ?? []).splice(0)) receive(data);
  self.onmessage = (event) => receive(event.data);
  const builder = { js: given("builder"), wasm: given("builderWasm") };
  // A worker's script must come from its creator's origin: a builder on
  // another (a CDN, as in the cross-origin start) starts from a blob of its
  // text, which is why such pages need `worker-src blob:`.
  const startBuilder = async () => {
    if (!builder.js) throw new Error("no builder URL was given to this worker");
    const target = new URL(builder.js, self.location.href);
    if (target.origin === self.location.origin) return new Worker(target.href, { type: "module" });
    const response = await fetch(target.href);
    if (!response.ok) throw new Error(`GET ${target.href}: ${response.status}`);
    const blob = new Blob([await response.text()], { type: "text/javascript" });
    return new Worker(URL.createObjectURL(blob), { type: "module" });
  };
  // A started builder: its worker, told its wasm's URL at once (so the
  // wasm is fetched and compiled while the snapshot downloads), and the
  // promise of its one answer: `{pack}`, or `{error, loaded}` (see
  // CHANNEL_BUILD), also when it fails to start.
  const spawnBuilder = async () => {
    const worker = await startBuilder();
    const answer = new Promise((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        resolve({ error: event.message || `its script could not run (${builder.js})`, loaded: false });
      };
    });
    worker.postMessage({ wasm: builder.wasm });
    return { worker, answer };
  };
  // At most one builder started ahead; each build takes it (or starts one)
  // and ends it after its answer.
  let spare = null;
  channel[CONTRACT.channelPrepareBuild] = () => {
    spare ??= spawnBuilder();
    spare.catch(() => {}); // reported by the build that takes it
  };
  channel[CONTRACT.channelBuild] = async (snapshot, lang, fill) => {
    const started = spare ?? spawnBuilder();
    spare = null;
    let running;
    try {
      running = await started;
    } catch (error) {
      return { error: String(error?.message ?? error), loaded: false };
    }
    running.worker.postMessage({ snapshot, lang, fill }, [snapshot.buffer]);
    const answer = await running.answer;
    running.worker.terminate();
    return answer;
  };
  // The wasm in two parts (crates/xtask/src/split_wasm.rs): what a visit
  // runs before its first answers, fetched first, and the rest (`rest`),
  // fetched and compiled once the first results are posted, or read at
  // once, synchronously, if the first part calls into it sooner. The glue's
  // imports gain the namespace the split adds (`hc_split`): `load`, which
  // instantiates the rest on the first part's memory, tables and exports
  // (the glue's `wasm`), and in a profiling build (`cargo xtask build-web
  // --instrument-split`) `mark`, which notes each function as it first runs
  // on the channel's `splitMarks` (tests/e2e/profile-split.mjs reads them). How
  // the rest came is left on the channel's `restBy`: "fetched" or "read".
  const restUrl = given("rest");
  let rest = null; // the promise of its compiled module while it comes, then the module
  let glueImports = null;
  const prefetchRest = () => {
    if (rest || !restUrl || !wasm?.hc_split_loaded || wasm.hc_split_loaded.value) return;
    rest = fetch(restUrl)
      .then((response) => (response.ok ? response.arrayBuffer() : null))
      .then((bytes) => bytes && WebAssembly.compile(bytes))
      .then(
        (module) => (rest = module),
        () => (rest = null),
      );
  };
  // The first results are the moment: the wasm posts them on this scope.
  const post = self.postMessage.bind(self);
  self.postMessage = (message, ...transfer) => {
    post(message, ...transfer);
    if (message?.type === CONTRACT.resultsTag) prefetchRest();
  };
  const loadRest = () => {
    if (wasm.hc_split_loaded.value) return;
    let module = rest instanceof WebAssembly.Module ? rest : null;
    const by = module ? "fetched" : "read";
    if (!module) {
      let bytes = null;
      try {
        bytes = restUrl && readNow(restUrl);
      } catch {
        // A network failure: said below.
      }
      if (!bytes) {
        // The call that needs it cannot go on: the widget is told, in the
        // protocol's shape, as when the wasm cannot load (the page hears
        // of it as `hc-error`); the next call into it reads it again.
        const message = `the second part of the search engine could not be read (${restUrl})`;
        const kind = navigator.onLine === false ? "offline" : "unavailable";
        post({ type: "error", seq: null, kind, retryable: true, message });
        throw new Error(message);
      }
      module = new WebAssembly.Module(bytes);
    }
    new WebAssembly.Instance(module, { ...glueImports, p: wasm });
    wasm.hc_split_loaded.value = 1;
    channel.restBy = by;
  };
  const importsOfGlue = __wbg_get_imports;
  __wbg_get_imports = () => {
    glueImports = importsOfGlue();
    const marks = () => (channel.splitMarks ??= new Uint8Array(1 << 16));
    return { ...glueImports, hc_split: { load: loadRest, mark: (i) => (marks()[i] = 1) } };
  };
  const wasmUrl = given("wasm");
  (compiled?.promise ?? Promise.resolve(null))
    .then((module) => __wbg_init({ module_or_path: module ?? wasmUrl }))
    .then(() => {
      ready = true;
      for (const data of queue.splice(0)) handle(data);
    })
    .catch((error) => {
      self.postMessage({
        type: "error", seq: null, kind: "unavailable", retryable: true,
        message: `the search engine could not load (${error})`,
      });
    });
}
