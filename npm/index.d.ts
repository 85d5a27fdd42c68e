// Types for the <hc-search> custom element (the package's only export is
// the element class; importing the package defines <hc-search> in a browser
// and does nothing else, so it is safe to import during server-side
// rendering). JSX typings: `@hc-search/widget/react`, `/preact`, `/solid`.

/** Attributes, as set in HTML or with `setAttribute`. */
export interface HcSearchAttributes {
  /** hc-proxy base URL; the worker fetches `${proxy}/v1/snapshot`. */
  proxy?: string;
  /** A static snapshot URL (`hcs build-static`), used when `proxy` is absent. */
  snapshot?: string;
  /** The `packs.json` of prebuilt packs (`hcs build-static`); alone it implies `snapshot.json` next to it. */
  packs?: string;
  /** Explicit language; wins over `<html lang>`, then `navigator.languages`, then the site default. */
  lang?: string;
  /** `"default"`: show the default language where a translation is missing. */
  fallback?: "none" | "default";
  theme?: "light" | "dark" | "auto";
  mode?: "modal" | "inline";
  /** Comma list of `mod+k` and `/`, or `none`. Default: both. */
  shortcut?: string;
  placeholder?: string;
  "launcher-label"?: string;
  /** `"none"`: draw no launcher button; call `open()` from your own button (the shortcut still works unless `shortcut="none"`). */
  launcher?: "none";
  /** JSON object overriding UI strings by key. */
  strings?: string;
  /** What the page is about (e.g. `"billing invoices"`): with an empty query the widget lists the best matches first. */
  context?: string;
  /** Article ids to suggest on this page, in order (`"12,40"`), shown first with an empty query. */
  suggest?: string;
  /** Where a visitor who found nothing can ask a person (`https://…` or `mailto:…`): a "Contact support" link under the answers and on "no results". */
  "contact-url"?: string;
  /** The public help center, for "Open the full article" (`{url}/{lang}/articles/{slug}`). */
  "help-center-url"?: string;
  /** `idle` (default): load the UI when the page is idle; `intent`: only on hover, focus or the shortcut. */
  preload?: "idle" | "intent";
  /** `"off"`: no recent searches or recently viewed articles are shown, kept or read (they are only ever stored in the visitor's browser). */
  history?: "on" | "off";
  /** A category id: every search of this widget is limited to that category and its subcategories (no filter chips). */
  category?: string;
  /** `"browser"`: follow the visitor's browser languages, not the page's `<html lang>` (for a page in one language read by visitors of many). */
  "lang-source"?: "page" | "browser";
}

/**
 * Keys of the UI strings a host may override (`strings`). Kept equal to
 * `KEYS` in crates/widget/src/strings.rs by a test there.
 */
export type HcStringKey =
  | "launcher"
  | "placeholder"
  | "label"
  | "dialog_label"
  | "results_label"
  | "close"
  | "results_one"
  | "results_many"
  | "no_results"
  | "no_results_hint"
  | "popular"
  | "loading"
  | "indexing"
  | "offline"
  | "rate_limited"
  | "unavailable"
  | "bad_content"
  | "retry"
  | "back"
  | "open_full"
  | "language"
  | "contact_support"
  | "show_more"
  | "suggested"
  | "recent_searches"
  | "recently_viewed"
  | "clear_history"
  | "remove"
  | "remove_hint"
  | "removed"
  | "history_cleared"
  | "filter_label"
  | "all_categories";

/** UI string overrides by key (`{n}` in `results_many` is the count). */
export type HcStrings = Partial<Record<HcStringKey, string>>;

export interface HcReadyDetail { lang: string; articles: number; fromCache: boolean }
export interface HcQueryDetail { query: string }
/** `lang`: the content language searched, to log zero-result searches per language. */
export interface HcNoResultsDetail { query: string; lang: string }
export interface HcArticleDetail { id: number }
export interface HcErrorDetail {
  kind: "load" | "offline" | "rate_limited" | "unavailable" | "bad_content" | "internal";
  message: string;
}

/** Events the element dispatches (bubbling and composed, so a listener on `document` sees them). */
export interface HcSearchEventMap {
  "hc-ready": CustomEvent<HcReadyDetail>;
  /** The dialog opened (launcher, shortcut or `open()`). */
  "hc-open": CustomEvent<Record<string, never>>;
  /** The dialog closed. */
  "hc-close": CustomEvent<Record<string, never>>;
  "hc-search": CustomEvent<HcQueryDetail>;
  "hc-no-results": CustomEvent<HcNoResultsDetail>;
  /** Cancelable: `preventDefault()` keeps the reader closed, so you can show the article your own way. */
  "hc-result-click": CustomEvent<HcArticleDetail>;
  "hc-article-view": CustomEvent<HcArticleDetail>;
  "hc-error": CustomEvent<HcErrorDetail>;
}

export declare class HcSearch extends HTMLElement {
  // Properties reflect the attributes of the same meaning (camelCase here,
  // kebab-case in HTML); `null` removes the attribute. They are read when
  // the widget mounts, as the attributes are.
  proxy: string | null;
  snapshot: string | null;
  packs: string | null;
  fallback: string | null;
  theme: string | null;
  mode: string | null;
  shortcut: string | null;
  placeholder: string | null;
  launcherLabel: string | null;
  launcher: string | null;
  helpCenterUrl: string | null;
  contactUrl: string | null;
  context: string | null;
  preload: string | null;
  /** UI string overrides; set as an object (stored as the `strings` attribute's JSON). */
  strings: HcStrings | null;

  /** Loads the UI and the search worker now (idempotent). Other calls queue until it is done. */
  mount(): Promise<unknown>;
  /** Opens the dialog (modal mode) or focuses the box (inline mode). */
  open(): void;
  close(): void;
  /** Opens the widget with `query` searched. */
  search(query: string): void;
  /** Switches content and interface language (a code the site has, e.g. `de`, `pt-br`). */
  setLanguage(lang: string): void;
  /** What the page is about now (e.g. after a route change); `""` for nothing in particular. */
  setContext(text: string): void;
  /** Article ids to suggest on this page, in order, before the context's matches and the popular articles. */
  suggest(ids: Array<number | string>): void;
  /** Opens the reader on this article (a modal widget opens first). */
  openArticle(id: number): void;
  /** Removes the UI and stops the worker; the element stays in the page, empty. */
  destroy(): void;

  addEventListener<K extends keyof HcSearchEventMap>(
    type: K,
    listener: (this: HcSearch, ev: HcSearchEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HcSearchEventMap>(
    type: K,
    listener: (this: HcSearch, ev: HcSearchEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-search": HcSearch;
  }
  interface DocumentEventMap extends HcSearchEventMap {}
}
