// <hc-search>: the loader. This file is all a page pays for before a visitor
// shows intent: it defines the element, draws the launcher (or the inline
// search box) in an open shadow root and listens for the shortcut. The UI
// (Leptos/wasm) and the search worker load on intent (hover or focus of the
// launcher, focus of the box, the shortcut) or, unless preload="intent",
// when the page is idle.
//
// Asset names are filled in by `cargo xtask build-web` (content hashes).
// Each is written as a literal `new URL("./file", import.meta.url)` so that
// bundlers (Vite, Rollup, webpack 5) see, copy and rename the files when an
// app imports this module from the npm package; served as-is (script tag,
// static site) the URLs resolve next to this file.
const ASSETS = {
  widget: new URL("./__HC_WIDGET_JS__", import.meta.url).href,
  widgetWasm: new URL("./__HC_WIDGET_WASM__", import.meta.url).href,
  worker: new URL("./__HC_WORKER_JS__", import.meta.url).href,
  workerWasm: new URL("./__HC_WORKER_WASM__", import.meta.url).href,
  // The worker's wasm past what its first answers run (crates/xtask/src/split_wasm.rs).
  workerRest: new URL("./__HC_WORKER_REST_WASM__", import.meta.url).href,
  builder: new URL("./__HC_BUILDER_JS__", import.meta.url).href,
  builderWasm: new URL("./__HC_BUILDER_WASM__", import.meta.url).href,
};
// Each language's Snowball stemmer and stop list (crates/snowball), a wasm
// the worker fetches for the language it serves, by primary subtag
// (aliases included): literal URLs too, for bundlers to copy; made only
// when a worker starts, not on every page that loads this file.
const snowballUrls = () => (__HC_SNOWBALL__);
// Names shared with the worker (its IndexedDB cache, its messages), written
// in by `cargo xtask build-web` from `hc_core::loader`, the one definition.
const CONTRACT = __HC_CONTRACT__;
// The launcher's own words (`launcher`, `placeholder` and `label` of every
// built-in language) and the language aliases to find them by, written in
// by `cargo xtask build-web` from the widget's string tables
// (crates/widget/src/strings.rs), so the launcher says what the panel says.
const LAUNCHER = __HC_LAUNCHER_STRINGS__;

/**
 * The built-in table for the first of the given language tags that has
 * one: a tag, an alias of it, or the tag cut at its last subtag, and so
 * on (`de-AT` → `de`, `zh-Hant-HK` → `zh-hant` → `zh-tw`). The order of
 * the tags is the UI's (`Options::ui_language`): explicit, page, browser.
 */
function launcherStrings(tags) {
  for (const tag of tags) {
    let t = typeof tag === "string" ? tag.trim().toLowerCase().replace(/_/g, "-") : "";
    while (t) {
      const code = LAUNCHER.tables[t] ? t : LAUNCHER.aliases[t];
      if (code) return LAUNCHER.tables[code];
      const cut = t.lastIndexOf("-");
      t = cut > 0 ? t.slice(0, cut) : "";
    }
  }
  return LAUNCHER.tables.en;
}

// The worker learns the URLs of its wasm (both parts), of the builder
// (which it starts only to index a snapshot) and of the Snowball modules
// from its own fragment (or, started cross-origin, its channel): after a
// bundler renamed the files, a relative URL inside the worker would break.
const workerFiles = () => ({
  wasm: ASSETS.workerWasm, rest: ASSETS.workerRest, builder: ASSETS.builder, builderWasm: ASSETS.builderWasm,
  snowball: JSON.stringify(snowballUrls()),
});
const workerUrl = () => `${ASSETS.worker}#${new URLSearchParams(workerFiles())}`;

// A worker's script must come from the page's origin. Served from a CDN on
// another origin, the worker starts from a same-origin blob that imports
// the worker module (a cross-origin module import, so the CDN must send
// CORS headers, as it must for this file) and hands it the files' URLs,
// whether a compiled module and a warm-start read follow, and the messages
// that arrive meanwhile. Such pages need `worker-src blob:`.
function createWorker(url, warmComing) {
  const target = new URL(url, location.href);
  if (target.origin === location.origin) return new Worker(target.href, { type: "module" });
  // What its fragment says: the files, a warm-start read if `warmComing`,
  // and a compiled module, which always follows (`_startWorker`).
  const channel = { ...workerFiles(), warmComing, moduleComing: true, queued: [] };
  const source = `const channel = (self[${JSON.stringify(CONTRACT.channel)}] = ${JSON.stringify(channel)});
self.onmessage = (event) => channel.queued.push(event.data);
import(${JSON.stringify(target.href)});`;
  const blob = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return new Worker(blob, { type: "module" });
}

// The launcher follows `theme` as the panel does (crates/widget/src/style.css:
// the same --hc-* properties and the same light and dark defaults).
const DARK = `--_fg:var(--hc-color-text,#e8e8ea);--_bg:var(--hc-color-background,#1f2023);
--_line:var(--hc-color-border,#3b3d42);--_accent:var(--hc-color-accent,#8ab4ff)`;
const LAUNCHER_CSS = `:host{display:inline-block;--_fg:var(--hc-color-text,#1d1d1f);--_bg:var(--hc-color-background,#fff);
--_line:var(--hc-color-border,#d5d7db);--_accent:var(--hc-color-accent,#0b57d0)}
:host([theme=dark]){${DARK}}
@media (prefers-color-scheme:dark){:host(:not([theme=light])){${DARK}}}
button{font:15px/1 system-ui,sans-serif;display:inline-flex;gap:8px;align-items:center;padding:8px 12px;
border:1px solid var(--_line);border-radius:var(--hc-radius,10px);background:var(--_bg);color:var(--_fg);cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid var(--_accent);outline-offset:2px}
kbd{font:12px ui-monospace,monospace;border:1px solid currentColor;border-radius:4px;padding:1px 4px;opacity:.7}
:host([mode=inline]){display:block}
input{box-sizing:border-box;width:100%;font:17px system-ui,sans-serif;padding:10px 12px;color:var(--_fg);background:var(--_bg);
border:1px solid var(--_line);border-radius:var(--hc-radius,10px)}`;

// Read on first use, not at import: a module imported during server-side
// rendering (Node, Deno, Bun, edge runtimes) may have no `navigator`.
let macCache = null;
const isMac = () => (macCache ??= /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent));

function isTypingTarget(el) {
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}

const nonBlank = (s) => (s && s.trim() ? s : null);

/**
 * The worker's `Init` (`ToWorker::Init` of hc-core's protocol, serde JSON),
 * built from the same options the UI gets. Its exact shape is pinned by the
 * test `init_json_is_what_the_loader_sends` in crates/core/src/protocol.rs,
 * so a protocol change breaks that test rather than this file in
 * production; the choice of source mirrors `Options::source` (the proxy
 * wins). Null when there is no source: the UI shows that error.
 */
function initMessage(o) {
  const proxy = nonBlank(o.proxy)?.trim();
  const snapshot = nonBlank(o.snapshot)?.trim();
  const packs = nonBlank(o.packs)?.trim() ?? null;
  // `packs` alone implies `snapshot.json` next to it (`sibling_url`).
  const source = proxy ? { kind: "proxy", url: proxy }
    : snapshot ? { kind: "static", snapshot_url: snapshot, packs_url: packs }
    : packs ? { kind: "static", snapshot_url: new URL("snapshot.json", packs).href, packs_url: packs }
    : null;
  if (!source) return null;
  return {
    type: CONTRACT.initTag,
    source,
    languages: { explicit: nonBlank(o.lang), page: nonBlank(o.pageLang), visitor: o.visitorLanguages },
    fallback: o.fallback === "default" ? "default" : "none",
  };
}

/**
 * A return visit's cached index, read here on intent while the worker
 * starts: this thread is idle then, while the worker's is busy compiling
 * the engine's wasm and could not even issue the reads. The worker's wasm
 * writes the cache (crates/worker/src/web/cache.rs): a lookup record, keyed
 * by the Init's JSON, names the entry its language negotiation picked and
 * holds the site it picked from; the wasm uses what is read here only if
 * it would pick the same entry. Resolves to `{lookup, key, site, value}`,
 * or null on any miss or failure. Read-only: where the database does not
 * exist yet it is not created here (the upgrade is aborted), so that the
 * wasm creates it with its store.
 */
function readWarm(lookup) {
  return new Promise((resolve) => {
    const miss = (db) => {
      db?.close();
      resolve(null);
    };
    let open;
    try {
      open = indexedDB.open(CONTRACT.cacheDb);
    } catch {
      return miss();
    }
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => miss();
    open.onsuccess = () => {
      const db = open.result;
      try {
        const store = db.transaction(CONTRACT.cacheStore, "readonly").objectStore(CONTRACT.cacheStore);
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

// Under server-side rendering there is no DOM: the class still exists (so
// `import { HcSearch }` and `instanceof` checks in shared code do not throw)
// but nothing is defined; the browser defines the element when the same
// module loads there.
const ElementBase = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

class HcSearch extends ElementBase {
  static get observedAttributes() { return ["lang"]; }

  constructor() {
    super();
    this._handle = null;
    this._loading = null;
    this._pending = [];
    this._worker = null;
    this._mounting = null;
    this._token = null;
    this._onKey = this._onKey.bind(this);
  }

  connectedCallback() {
    // A framework may have set a property before this class was defined
    // (the element was created, then the module loaded): that value is an
    // own property hiding the accessor. Move it to the accessor.
    for (const property of [...Object.keys(REFLECTED), "strings"]) {
      if (Object.prototype.hasOwnProperty.call(this, property)) {
        const value = this[property];
        delete this[property];
        this[property] = value;
      }
    }
    if (!this.shadowRoot) this.attachShadow({ mode: "open" });
    const root = this.shadowRoot;
    if (root.childNodes.length === 0) {
      // The page's own texts win, then its `strings` overrides, then the
      // built-in table of the language the panel will start in.
      const o = this._options();
      const table = launcherStrings([o.lang, o.pageLang, ...o.visitorLanguages]);
      const own = (key) => {
        const v = o.strings && typeof o.strings === "object" ? o.strings[key] : null;
        return typeof v === "string" && v.trim() && v.length <= 1000 ? v : null;
      };
      const text = (attribute, key) => nonBlank(this.getAttribute(attribute)) ?? own(key) ?? table[key];
      const style = document.createElement("style");
      style.textContent = LAUNCHER_CSS;
      root.append(style);
      if (this._inline) {
        const input = document.createElement("input");
        input.type = "search";
        input.className = "hc-loader-input";
        input.placeholder = text("placeholder", "placeholder");
        input.setAttribute("aria-label", own("label") ?? table.label);
        input.addEventListener("focus", () => this.mount(), { once: true });
        input.addEventListener("input", () => { this._hcInitialQuery = input.value; this.mount(); });
        root.append(input);
      } else if (this.getAttribute("launcher") !== "none") {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "hc-launcher";
        const label = document.createElement("span");
        label.textContent = text("launcher-label", "launcher");
        button.append(label);
        if (this._shortcuts.has("mod+k")) {
          const kbd = document.createElement("kbd");
          kbd.textContent = isMac() ? "⌘K" : "Ctrl K";
          kbd.setAttribute("aria-hidden", "true");
          button.append(kbd);
        }
        for (const ev of ["pointerenter", "focus"]) button.addEventListener(ev, () => this.mount(), { once: true });
        button.addEventListener("click", () => this.open());
        root.append(button);
      }
    }
    document.addEventListener("keydown", this._onKey);
    if ((this.getAttribute("preload") || "idle") === "idle") {
      const idle = window.requestIdleCallback || ((f) => setTimeout(f, 2000));
      idle(() => this.mount(), { timeout: 5000 });
    }
  }

  disconnectedCallback() {
    document.removeEventListener("keydown", this._onKey);
  }

  attributeChangedCallback(name, old, value) {
    // Only a change after mounting: on first parse the options carry it.
    if (name === "lang" && value && old !== value && this._handle) this.setLanguage(value);
  }

  get _inline() { return this.getAttribute("mode") === "inline"; }

  get _shortcuts() {
    const raw = this.getAttribute("shortcut");
    if (raw === null) return new Set(["mod+k", "/"]);
    return new Set(raw.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s && s !== "none"));
  }

  _onKey(ev) {
    // The host page handled the key already (its own command palette), or
    // an input method is composing text: not ours.
    if (ev.defaultPrevented || ev.isComposing) return;
    const keys = this._shortcuts;
    const mod = isMac() ? ev.metaKey : ev.ctrlKey;
    if (keys.has("mod+k") && mod && !ev.altKey && ev.key.toLowerCase() === "k") {
      ev.preventDefault();
      this.open();
    } else if (keys.has("/") && ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey
               && !isTypingTarget(document.activeElement)) {
      ev.preventDefault();
      this.open();
    }
  }

  // Resolved against the page: the worker would resolve a relative URL
  // against its own script's location instead.
  _url(name) {
    const value = this.getAttribute(name);
    if (value === null || value.trim() === "") return null;
    try { return new URL(value.trim(), document.baseURI).href; } catch { return value; }
  }

  _options() {
    // Passed on whatever its shape: the UI uses the string entries it knows
    // and warns once about the rest (text that is not JSON included).
    const rawStrings = this.getAttribute("strings");
    let strings = null;
    try { strings = rawStrings === null ? null : JSON.parse(rawStrings); } catch { strings = rawStrings; }
    return {
      proxy: this._url("proxy"),
      snapshot: this._url("snapshot"),
      packs: this._url("packs"),
      lang: this.getAttribute("lang"),
      // lang-source="browser": the page's language is not the visitor's.
      pageLang: this.getAttribute("lang-source") === "browser" ? null : document.documentElement.lang || null,
      visitorLanguages: Array.from(navigator.languages || [navigator.language]).filter(Boolean),
      fallback: this.getAttribute("fallback"),
      theme: this.getAttribute("theme"),
      mode: this.getAttribute("mode"),
      placeholder: this.getAttribute("placeholder"),
      helpCenterUrl: this.getAttribute("help-center-url"),
      contactUrl: this.getAttribute("contact-url"),
      context: this.getAttribute("context"),
      suggest: this.getAttribute("suggest"),
      history: this.getAttribute("history"),
      category: this.getAttribute("category"),
      strings,
    };
  }

  /**
   * Starts the search worker and sends it `Init` now, so that the engine's
   * wasm compiles and the snapshot (or the cached pack) loads while the UI's
   * wasm is still loading, instead of after it. What the worker answers
   * before the UI listens is kept in `early` and replayed to the UI.
   * Returns null when no worker can be started here (the UI then tries
   * itself and reports the failure).
   */
  _startWorker(options) {
    const init = initMessage(options);
    // The engine's wasm is compiled here and the module handed to the
    // worker: this starts at once instead of after the worker's thread and
    // script are up, and a later page in the same renderer process finds
    // it compiled (V8 shares a module's code by its bytes). On any failure
    // (e.g. a server without `application/wasm`) the worker loads the wasm
    // itself from `#wasm=…`.
    const compiled = typeof WebAssembly.compileStreaming === "function"
      ? WebAssembly.compileStreaming(fetch(ASSETS.workerWasm)).catch(() => null) : Promise.resolve(null);
    const url = `${options.workerUrl}&module=1${init ? "&warm=1" : ""}`;
    let worker;
    try {
      worker = createWorker(url, Boolean(init));
    } catch {
      return null;
    }
    const early = [];
    worker.onmessage = (event) => early.push(event.data);
    compiled.then((module) => {
      try {
        worker.postMessage({ type: CONTRACT.moduleMessage, module });
      } catch {
        worker.postMessage({ type: CONTRACT.moduleMessage, module: null }); // a module that cannot be cloned
      }
    });
    if (init) {
      worker.postMessage(init);
      // The cached index container is a Blob: a handle goes over, and the
      // worker reads the bytes.
      readWarm(`${CONTRACT.lookupPrefix}${JSON.stringify(init)}`).then((warm) => {
        try {
          worker.postMessage({ type: CONTRACT.warmMessage, warm });
        } catch {
          worker.postMessage({ type: CONTRACT.warmMessage, warm: null }); // the worker reads the cache itself
        }
      });
    }
    return { worker, early };
  }

  /** Loads the UI and the worker now (idempotent); resolves when mounted. */
  mount() {
    if (!this._loading) {
      const token = (this._token = {}); // destroy() drops it: stop there
      // The worker's URL (its fragment names every file it may fetch)
      // only when it starts.
      const options = { ...this._options(), workerUrl: workerUrl() };
      const started = this._startWorker(options);
      this._worker = started?.worker ?? null;
      // Focus moved into the widget (its launcher, its dialog's box, its
      // inline box): the visitor is about to search, and the worker
      // fetches what an idle preload left out (ToWorker::Intent).
      if (started) this.addEventListener("focusin", () => started.worker.postMessage({ type: CONTRACT.intentTag }), { once: true });
      // The UI's wasm downloads while its JS glue loads.
      const wasm = fetch(ASSETS.widgetWasm);
      wasm.catch(() => {}); // a failure is reported below, when it is awaited
      this._loading = import(ASSETS.widget)
        .then(async (mod) => {
          await mod.default({ module_or_path: wasm });
          // When the compiled wasm comes from V8's cache, everything from
          // here on would run in the task that finished the import: yield
          // once so that instantiation and the first render are two tasks,
          // not one long one the host page feels.
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (this._token !== token) return null;
          const placeholder = this.shadowRoot.querySelector(".hc-loader-input");
          const hadFocus = placeholder !== null && this.shadowRoot.activeElement === placeholder;
          placeholder?.remove();
          // The UI takes the worker over (its own onmessage); answers that
          // came before are dispatched to it in order, in this same task.
          const handle = mod.mount(this, this.shadowRoot, options, started?.worker ?? null);
          this._worker = null;
          for (const data of started?.early.splice(0) ?? []) started.worker.dispatchEvent(new MessageEvent("message", { data }));
          if (hadFocus) this.shadowRoot.querySelector("input.hc-input")?.focus();
          // The calls made meanwhile (open() draws the dialog) run in the
          // next task; until then new calls queue behind them.
          this._mounting = handle;
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (this._token !== token) return null; // destroy() destroyed it
          this._mounting = null;
          this._handle = handle;
          for (const call of this._pending.splice(0)) call(this._handle);
          return this._handle;
        })
        .catch((error) => {
          this._loading = null;
          this._worker?.terminate();
          this._worker = null;
          this.dispatchEvent(new CustomEvent("hc-error", {
            bubbles: true, composed: true, detail: { kind: "load", message: String(error) },
          }));
          throw error;
        });
    }
    return this._loading;
  }

  _call(f) {
    if (this._handle) return f(this._handle);
    this._pending.push(f);
    this.mount().catch(() => {});
  }

  open() { this._call((h) => h.open()); }
  close() { this._call((h) => h.close()); }
  search(q) { this._call((h) => h.search(String(q))); }
  setLanguage(lang) { this._call((h) => h.setLanguage(String(lang))); }
  openArticle(id) { this._call((h) => h.openArticle(Number(id))); }
  setContext(text) { this._call((h) => h.setContext(text == null ? "" : String(text))); }
  suggest(ids) { this._call((h) => h.suggest(Array.from(ids ?? []))); }
  destroy() {
    if (this._handle) this._handle.destroy();
    this._mounting?.destroy(); // mounted, its queued calls not yet run
    this._mounting = null;
    this._token = null;
    this._worker?.terminate(); // started, but the UI has not taken it over yet
    this._worker = null;
    this._handle = null;
    this._loading = null;
    document.removeEventListener("keydown", this._onKey);
    if (this.shadowRoot) this.shadowRoot.replaceChildren();
  }
}

// Options as properties too, for frameworks that set properties (React 19,
// Preact, Solid, Vue, Svelte, Lit): each reflects its attribute, so there is
// one source of truth, read when the widget mounts. `lang` is the standard
// HTMLElement property already.
const REFLECTED = {
  proxy: "proxy", snapshot: "snapshot", packs: "packs", fallback: "fallback", theme: "theme",
  mode: "mode", shortcut: "shortcut", placeholder: "placeholder", launcherLabel: "launcher-label",
  helpCenterUrl: "help-center-url", preload: "preload", launcher: "launcher",
  contactUrl: "contact-url", context: "context", history: "history", category: "category",
  langSource: "lang-source",
};
for (const [property, attribute] of Object.entries(REFLECTED)) {
  Object.defineProperty(HcSearch.prototype, property, {
    configurable: true,
    get() { return this.getAttribute(attribute); },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(attribute);
      else this.setAttribute(attribute, String(value));
    },
  });
}
// `strings` takes an object (or its JSON) and reads back as an object.
Object.defineProperty(HcSearch.prototype, "strings", {
  configurable: true,
  get() {
    try {
      const value = JSON.parse(this.getAttribute("strings") ?? "null");
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch {
      return null;
    }
  },
  set(value) {
    if (value === null || value === undefined) this.removeAttribute("strings");
    else this.setAttribute("strings", typeof value === "string" ? value : JSON.stringify(value));
  },
});

if (typeof customElements !== "undefined" && !customElements.get("hc-search")) {
  customElements.define("hc-search", HcSearch);
}
export { HcSearch };
