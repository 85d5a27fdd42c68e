//! The Leptos UI and its JS handle. Signals live in [`Ui`] (all `Copy`), so
//! the view, the worker callback and the JS methods share them without
//! borrowing; browser objects that are not `Send` travel in `SendWrapper`
//! (the widget is single-threaded).

use std::cell::RefCell;
use std::rc::Rc;

use hc_core::protocol::{ErrorKind, FromWorker, SearchHit, Stage, ToWorker};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement, ShadowRoot};

use crate::highlight::runs;
use crate::link::Link;
use crate::nav::{on_key, Action, Key, Situation};
use crate::options::Options;
use crate::strings::Strings;

const STYLE: &str = include_str!("style.css");
const RESULT_LIMIT: u16 = 10;
const LISTBOX_ID: &str = "hc-listbox";

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Loading(Stage),
    Ready,
    Failed { kind: ErrorKind, retryable: bool },
}

#[derive(Debug, Clone, PartialEq)]
struct ArticleView {
    id: i64,
    title: String,
    html: String,
    slug: String,
    category_path: Vec<String>,
}

/// Every piece of UI state.
#[derive(Clone, Copy)]
struct Ui {
    open: RwSignal<bool>,
    query: RwSignal<String>,
    hits: RwSignal<Vec<SearchHit>>,
    total: RwSignal<u32>,
    /// The query the shown hits answer (for "no results for …").
    answered: RwSignal<String>,
    suggestions: RwSignal<Vec<SearchHit>>,
    active: RwSignal<Option<usize>>,
    status: RwSignal<Status>,
    article: RwSignal<Option<ArticleView>>,
    lang: RwSignal<String>,
    languages: RwSignal<Vec<String>>,
    strings: RwSignal<Strings>,
    live: RwSignal<String>,
    /// Sequence number of the newest search sent; older answers are dropped.
    latest: RwSignal<u32>,
    /// Sequence number of the search whose results are shown (exposed as
    /// `data-seq` on the listbox for tests and benchmarks).
    shown_seq: RwSignal<u32>,
    article_seq: RwSignal<u32>,
}

struct Shared {
    options: Options,
    host: HtmlElement,
    root: ShadowRoot,
    link: RefCell<Option<Link>>,
    /// Where focus was before the dialog opened.
    return_focus: RefCell<Option<web_sys::Element>>,
    /// The first error is also written to the console (with the URL the
    /// worker tried), so a misconfigured page is diagnosed without a
    /// listener; later ones (retries) are not, to keep the console quiet.
    warned: std::cell::Cell<bool>,
}

type SharedRef = SendWrapper<Rc<Shared>>;

fn emit(shared: &Shared, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(ev) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = shared.host.dispatch_event(&ev);
    }
}

fn detail(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), v);
    }
    obj.into()
}

impl Ui {
    fn new(options: &Options) -> Ui {
        let ui_lang = options.ui_language();
        Ui {
            open: RwSignal::new(false),
            query: RwSignal::new(String::new()),
            hits: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            answered: RwSignal::new(String::new()),
            suggestions: RwSignal::new(Vec::new()),
            active: RwSignal::new(None),
            status: RwSignal::new(Status::Loading(Stage::LoadingCache)),
            article: RwSignal::new(None),
            lang: RwSignal::new(ui_lang.clone()),
            languages: RwSignal::new(Vec::new()),
            strings: RwSignal::new(Strings::new(&ui_lang, options.strings.values())),
            live: RwSignal::new(String::new()),
            latest: RwSignal::new(0),
            shown_seq: RwSignal::new(0),
            article_seq: RwSignal::new(0),
        }
    }

    fn send(&self, shared: &Shared, msg: ToWorker) {
        if let Some(link) = shared.link.borrow().as_ref() {
            link.send(&msg);
        }
    }

    fn search(&self, shared: &Shared, text: String) {
        self.query.set(text.clone());
        self.active.set(None);
        self.article.set(None);
        let seq = self.latest.get_untracked() + 1;
        self.latest.set(seq);
        if text.trim().is_empty() {
            self.hits.set(Vec::new());
            self.total.set(0);
            self.answered.set(String::new());
            self.live.set(String::new());
            return;
        }
        self.send(
            shared,
            ToWorker::Search {
                seq,
                query: text.clone(),
                category: None,
                limit: RESULT_LIMIT,
            },
        );
        emit(
            shared,
            "hc-search",
            &detail(&[("query", JsValue::from_str(&text))]),
        );
    }

    fn open_article(&self, shared: &Shared, id: i64) {
        let seq = self.article_seq.get_untracked() + 1;
        self.article_seq.set(seq);
        self.send(shared, ToWorker::Article { seq, id });
        emit(
            shared,
            "hc-result-click",
            &detail(&[("id", JsValue::from_f64(id as f64))]),
        );
    }

    fn on_message(&self, shared: &Shared, msg: FromWorker) {
        match msg {
            FromWorker::Progress { stage } => {
                if self.status.get_untracked() != Status::Ready {
                    self.status.set(Status::Loading(stage));
                }
            }
            FromWorker::Ready {
                lang,
                languages,
                articles,
                from_cache,
                timings,
            } => {
                self.status.set(Status::Ready);
                self.lang.set(lang.to_string());
                self.languages
                    .set(languages.iter().map(ToString::to_string).collect());
                self.strings
                    .set(Strings::new(lang.as_str(), shared.options.strings.values()));
                let seq = self.latest.get_untracked();
                self.send(shared, ToWorker::Suggestions { seq, limit: 5 });
                // Shown results came from the previous index (a language
                // switch): ask again. A search still unanswered is waiting in
                // the worker, which answers it right after this `Ready`;
                // asking again would only queue a second search behind
                // whatever the worker does next (writing the pack).
                let q = self.query.get_untracked();
                if !q.trim().is_empty() && self.shown_seq.get_untracked() == seq {
                    self.search(shared, q);
                }
                emit(
                    shared,
                    "hc-ready",
                    &detail(&[
                        ("lang", JsValue::from_str(lang.as_str())),
                        ("articles", JsValue::from_f64(f64::from(articles))),
                        ("fromCache", JsValue::from_bool(from_cache)),
                        ("timings", {
                            let obj = js_sys::Object::new();
                            for t in &timings {
                                let _ = js_sys::Reflect::set(
                                    &obj,
                                    &JsValue::from_str(&t.step),
                                    &JsValue::from_f64(f64::from(t.ms)),
                                );
                            }
                            obj.into()
                        }),
                    ]),
                );
            }
            FromWorker::Suggestions { hits, .. } => self.suggestions.set(hits),
            FromWorker::Results { seq, total, hits } => {
                if seq != self.latest.get_untracked() {
                    return; // stale: a newer search is on its way
                }
                let strings = self.strings.get_untracked();
                let query = self.query.get_untracked();
                self.live.set(if total == 0 {
                    strings.no_results(&query)
                } else {
                    strings.count(total)
                });
                if total == 0 {
                    emit(
                        shared,
                        "hc-no-results",
                        &detail(&[("query", JsValue::from_str(&query))]),
                    );
                }
                self.total.set(total);
                self.hits.set(hits);
                self.answered.set(query);
                self.shown_seq.set(seq);
            }
            FromWorker::Article {
                seq,
                id,
                title,
                html,
                slug,
                category_path,
            } => {
                if seq != self.article_seq.get_untracked() {
                    return;
                }
                emit(
                    shared,
                    "hc-article-view",
                    &detail(&[("id", JsValue::from_f64(id as f64))]),
                );
                self.live.set(title.clone());
                self.article.set(Some(ArticleView {
                    id,
                    title,
                    html,
                    slug,
                    category_path,
                }));
            }
            FromWorker::Error {
                seq: _,
                kind,
                message,
                retryable,
            } => {
                if self.status.get_untracked() != Status::Ready {
                    self.status.set(Status::Failed { kind, retryable });
                }
                if !shared.warned.replace(true) {
                    web_sys::console::warn_1(
                        &format!("hc-search: {} ({message})", kind.as_str()).into(),
                    );
                }
                emit(
                    shared,
                    "hc-error",
                    &detail(&[
                        ("kind", JsValue::from_str(kind.as_str())),
                        ("message", JsValue::from_str(&message)),
                    ]),
                );
            }
        }
    }

    fn init_worker(&self, shared: &Shared) {
        if let Some(source) = shared.options.source() {
            self.status.set(Status::Loading(Stage::LoadingCache));
            self.send(
                shared,
                ToWorker::Init {
                    source,
                    languages: shared.options.language_request(),
                    fallback: shared.options.fallback(),
                },
            );
        } else {
            self.status.set(Status::Failed {
                kind: ErrorKind::Unavailable,
                retryable: false,
            });
        }
    }
}

/// The handle the loader keeps: the JS API of `<hc-search>`.
#[wasm_bindgen]
pub struct WidgetHandle {
    ui: Ui,
    shared: SharedRef,
    mounted: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    pub fn open(&self) {
        open_dialog(self.ui, &self.shared);
    }

    pub fn close(&self) {
        close_dialog(self.ui, &self.shared);
    }

    /// Types `q` into the search box and searches.
    pub fn search(&self, q: String) {
        if !self.shared.options.inline() {
            open_dialog(self.ui, &self.shared);
        }
        self.ui.search(&self.shared, q);
    }

    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&self, lang: String) {
        if let Ok(lang) = lang.parse() {
            self.ui.send(&self.shared, ToWorker::SetLanguage { lang });
        }
    }

    pub fn destroy(&mut self) {
        self.mounted.take();
        self.shared.link.borrow_mut().take();
    }
}

fn focus_input(shared: &Shared) {
    if let Ok(Some(el)) = shared.root.query_selector("input.hc-input") {
        if let Ok(el) = el.dyn_into::<HtmlElement>() {
            let _ = el.focus();
        }
    }
}

fn open_dialog(ui: Ui, shared: &Shared) {
    if ui.open.get_untracked() {
        return;
    }
    *shared.return_focus.borrow_mut() = deep_active_element();
    ui.open.set(true);
    let shared = shared.root.clone();
    // Focus after the dialog is in the DOM.
    request_animation_frame(move || {
        if let Ok(Some(el)) = shared.query_selector("input.hc-input") {
            if let Ok(el) = el.dyn_into::<HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// The focused element, looking inside open shadow roots (the launcher
/// lives in ours, and the host page may use shadow DOM too).
fn deep_active_element() -> Option<web_sys::Element> {
    let mut el = web_sys::window()?.document()?.active_element()?;
    while let Some(inner) = el.shadow_root().and_then(|r| r.active_element()) {
        el = inner;
    }
    Some(el)
}

fn close_dialog(ui: Ui, shared: &Shared) {
    if !ui.open.get_untracked() {
        return;
    }
    ui.open.set(false);
    ui.article.set(None);
    ui.active.set(None);
    let target = shared.return_focus.borrow_mut().take();
    let target = target
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .or_else(|| shared.host.clone().dyn_into::<HtmlElement>().ok());
    if let Some(t) = target {
        let _ = t.focus();
    }
}

/// Mounts the UI into `root` (the open shadow root of `host`). `worker` is
/// the search worker the loader started and already sent `Init` (see
/// `www/hc-search.js`); without one the UI starts its own and sends `Init`.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    root: ShadowRoot,
    options: JsValue,
    worker: Option<web_sys::Worker>,
) -> Result<WidgetHandle, JsValue> {
    let options: Options = serde_wasm_bindgen::from_value(options)
        .map_err(|e| JsValue::from_str(&format!("hc-search options: {e}")))?;
    // Hostile or mistaken attributes were ignored; the page's author hears why.
    for warning in options.warnings() {
        web_sys::console::warn_1(&JsValue::from_str(&warning));
    }
    let initial_query = js_sys::Reflect::get(&host, &JsValue::from_str("_hcInitialQuery"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let ui = Ui::new(&options);
    let container = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?
        .create_element("div")?
        .dyn_into::<HtmlElement>()?;
    container.set_class_name("hc-root");
    let style = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?
        .create_element("style")?;
    style.set_text_content(Some(STYLE));
    root.append_child(&style)?;
    root.append_child(&container)?;
    let worker_url = options.worker_url.clone();
    let shared = Rc::new(Shared {
        options,
        host,
        root,
        link: RefCell::new(None),
        return_focus: RefCell::new(None),
        warned: std::cell::Cell::new(false),
    });
    let callback_shared = SendWrapper::new(shared.clone());
    let on_message = move |msg| ui.on_message(&callback_shared, msg);
    let started_by_loader = worker.is_some();
    let link = match worker {
        Some(worker) => Link::attach(worker, on_message),
        None => Link::start(&worker_url, on_message)?,
    };
    *shared.link.borrow_mut() = Some(link);
    if !started_by_loader || shared.options.source().is_none() {
        ui.init_worker(&shared);
    }
    let view_shared = SendWrapper::new(shared.clone());
    let mounted = leptos::mount::mount_to(
        container,
        move || view! { <Widget ui=ui shared=view_shared.clone()/> },
    );
    if !initial_query.is_empty() {
        ui.search(&shared, initial_query);
        focus_input(&shared);
    }
    Ok(WidgetHandle {
        ui,
        shared: SendWrapper::new(shared),
        mounted: Some(Box::new(mounted)),
    })
}

#[component]
fn Widget(ui: Ui, shared: SharedRef) -> impl IntoView {
    let inline = shared.options.inline();
    let body = {
        let shared = shared.clone();
        move || view! { <Panel ui=ui shared=shared.clone() modal=!inline/> }
    };
    if inline {
        view! { <div class="hc-inline">{body}</div> }.into_any()
    } else {
        let close_shared = shared.clone();
        let backdrop = move |_| close_dialog(ui, &close_shared);
        view! {
            <Show when=move || ui.open.get()>
                <div class="hc-backdrop" on:click=backdrop.clone()></div>
                <div
                    class="hc-dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-label=move || ui.strings.get().get("dialog_label")
                    on:keydown={
                        let shared = shared.clone();
                        move |ev: web_sys::KeyboardEvent| trap_focus(&shared, &ev)
                    }
                >
                    {body.clone()}
                </div>
            </Show>
        }
        .into_any()
    }
}

/// Tab and Shift+Tab cycle inside the dialog.
fn trap_focus(shared: &Shared, ev: &web_sys::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Ok(list) = shared
        .root
        .query_selector_all(".hc-dialog button, .hc-dialog input, .hc-dialog a[href], .hc-dialog iframe, .hc-dialog select")
    else {
        return;
    };
    let items: Vec<web_sys::Element> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let current = shared.root.active_element();
    let wrap_to = if ev.shift_key() && current.as_ref() == Some(first) {
        Some(last)
    } else if !ev.shift_key() && current.as_ref() == Some(last) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = wrap_to.and_then(|t| t.clone().dyn_into::<HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = target.focus();
    }
}

#[component]
fn Panel(ui: Ui, shared: SharedRef, modal: bool) -> impl IntoView {
    let s = move |key: &'static str| move || ui.strings.get().get(key);
    let options_shown = move || {
        if ui.article.get().is_some() {
            0
        } else if ui.query.get().trim().is_empty() {
            ui.suggestions.with(Vec::len)
        } else {
            ui.hits.with(Vec::len)
        }
    };
    let expanded = move || (options_shown() > 0).to_string();
    let hit_at = move |i: usize| -> Option<SearchHit> {
        if ui.query.get_untracked().trim().is_empty() {
            ui.suggestions.with_untracked(|v| v.get(i).cloned())
        } else {
            ui.hits.with_untracked(|v| v.get(i).cloned())
        }
    };
    let keydown = {
        let shared = shared.clone();
        move |ev: web_sys::KeyboardEvent| {
            let Some(key) = Key::from_name(&ev.key()) else {
                return;
            };
            let situation = Situation {
                active: ui.active.get_untracked(),
                options: options_shown(),
                query_empty: ui.query.get_untracked().is_empty(),
                reader_open: ui.article.get_untracked().is_some(),
                modal,
            };
            match on_key(key, situation) {
                Action::Activate(i) => {
                    ev.prevent_default();
                    ui.active.set(i);
                    if let Some(i) = i {
                        scroll_into_view(&shared, i);
                    }
                }
                Action::Open(i) => {
                    ev.prevent_default();
                    if let Some(hit) = hit_at(i) {
                        ui.open_article(&shared, hit.id);
                    }
                }
                Action::Back => {
                    ev.prevent_default();
                    ui.article.set(None);
                }
                Action::Clear => {
                    ev.prevent_default();
                    ui.search(&shared, String::new());
                }
                Action::Close => {
                    ev.prevent_default();
                    close_dialog(ui, &shared);
                }
                Action::Ignore => {}
            }
        }
    };
    let on_input = {
        let shared = shared.clone();
        move |ev: web_sys::Event| ui.search(&shared, event_target_value(&ev))
    };
    let placeholder = {
        let custom = shared.options.placeholder.clone();
        move || {
            custom
                .clone()
                .unwrap_or_else(|| ui.strings.get().get("placeholder"))
        }
    };
    let close_shared = shared.clone();
    let list_shared = shared.clone();
    let reader_shared = shared.clone();
    let retry_shared = shared.clone();
    let lang_shared = shared.clone();
    view! {
        <div class="hc-panel" lang=move || ui.lang.get()>
            <div class="hc-bar">
                <input
                    class="hc-input"
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-controls=LISTBOX_ID
                    aria-expanded=expanded
                    aria-activedescendant=move || {
                        if ui.article.get().is_some() {
                            None
                        } else {
                            ui.active.get().map(|i| format!("hc-opt-{i}"))
                        }
                    }
                    aria-label=s("label")
                    placeholder=placeholder
                    prop:value=move || ui.query.get()
                    on:input=on_input
                    on:keydown=keydown
                />
                <LanguageSwitcher ui=ui shared=lang_shared/>
                {modal.then(|| view! {
                    <button class="hc-close" type="button" aria-label=s("close")
                        on:click=move |_| close_dialog(ui, &close_shared)>"×"</button>
                })}
            </div>
            <Status ui=ui shared=retry_shared/>
            <Results ui=ui shared=list_shared/>
            <Reader ui=ui shared=reader_shared/>
            <div class="hc-sr-only" role="status" aria-live="polite">{move || ui.live.get()}</div>
        </div>
    }
}

fn scroll_into_view(shared: &Shared, i: usize) {
    if let Ok(Some(el)) = shared.root.query_selector(&format!("#hc-opt-{i}")) {
        el.scroll_into_view_with_bool(false);
    }
}

#[component]
fn LanguageSwitcher(ui: Ui, shared: SharedRef) -> impl IntoView {
    let change = move |ev: web_sys::Event| {
        if let Ok(lang) = event_target_value(&ev).parse() {
            ui.send(&shared, ToWorker::SetLanguage { lang });
        }
    };
    view! {
        <Show when=move || ui.languages.with(|l| l.len() > 1)>
            <select class="hc-lang" aria-label=move || ui.strings.get().get("language") on:change=change.clone()>
                {move || {
                    let current = ui.lang.get();
                    ui.languages
                        .get()
                        .into_iter()
                        .map(|l| {
                            let selected = l == current;
                            let name = crate::strings::language_name(&l).to_string();
                            view! { <option value=l.clone() selected=selected>{name}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </Show>
    }
}

#[component]
fn Status(ui: Ui, shared: SharedRef) -> impl IntoView {
    move || {
        let strings = ui.strings.get();
        match ui.status.get() {
            Status::Ready => ().into_any(),
            Status::Loading(stage) => {
                let text = match stage {
                    Stage::Indexing => strings.get("indexing"),
                    _ => strings.get("loading"),
                };
                view! { <p class="hc-state" aria-busy="true"><span class="hc-spinner" aria-hidden="true"></span>{text}</p> }
                    .into_any()
            }
            Status::Failed { kind, retryable } => {
                let text = match kind {
                    ErrorKind::Offline => strings.get("offline"),
                    ErrorKind::RateLimited => strings.get("rate_limited"),
                    ErrorKind::BadContent => strings.get("bad_content"),
                    _ => strings.get("unavailable"),
                };
                let shared = shared.clone();
                view! {
                    <div class="hc-state hc-error" role="alert">
                        <p>{text}</p>
                        {retryable.then(|| view! {
                            <button type="button" class="hc-retry" on:click=move |_| ui.init_worker(&shared)>
                                {strings.get("retry")}
                            </button>
                        })}
                    </div>
                }
                .into_any()
            }
        }
    }
}

fn marked(text: &str, highlights: &[hc_core::protocol::Highlight]) -> Vec<AnyView> {
    runs(text, highlights)
        .into_iter()
        .map(|(t, m)| {
            let t = t.to_string();
            if m {
                view! { <mark>{t}</mark> }.into_any()
            } else {
                t.into_any()
            }
        })
        .collect()
}

/// The result list. A keystroke changes the query at once and the hits a
/// few milliseconds later; only the hits (or the switch between
/// suggestions and hits) re-render rows, and rows whose content did not
/// change are kept (keyed by position and content), so each answer costs
/// one small DOM update rather than two full rebuilds.
#[component]
fn Results(ui: Ui, shared: SharedRef) -> impl IntoView {
    let showing_suggestions = Memo::new(move |_| ui.query.with(|q| q.trim().is_empty()));
    let rows = Memo::new(move |_| {
        if showing_suggestions.get() {
            ui.suggestions.get()
        } else {
            ui.hits.get()
        }
    });
    let no_results = Memo::new(move |_| {
        !showing_suggestions.get()
            && ui.status.with(|s| *s == Status::Ready)
            && ui.hits.with(Vec::is_empty)
            && ui.answered.with(|a| ui.query.with(|q| a == q))
    });
    let has_heading = move || showing_suggestions.get() && ui.suggestions.with(|s| !s.is_empty());
    let text = move |key: &'static str| move || ui.strings.with(|s| s.get(key));
    view! {
        <Show when=move || ui.article.with(Option::is_none)>
            <Show when=move || no_results.get()>
                <div class="hc-empty">
                    <p>{move || ui.strings.with(|s| s.no_results(&ui.answered.get()))}</p>
                    <p class="hc-hint">{text("no_results_hint")}</p>
                </div>
            </Show>
            <Show when=has_heading>
                <h2 class="hc-heading" id="hc-popular">{text("popular")}</h2>
            </Show>
            <ul class="hc-list" id=LISTBOX_ID role="listbox" data-seq=move || ui.shown_seq.get()
                aria-label=text("results_label")>
                <For
                    each=move || rows.get().into_iter().enumerate()
                    key=|(i, hit)| row_key(*i, hit)
                    children={
                        let shared = shared.clone();
                        move |(i, hit)| row(ui, &shared, i, hit)
                    }
                />
            </ul>
        </Show>
    }
}

/// A row's identity: its position (its id and active state depend on it)
/// and everything it shows.
fn row_key(i: usize, hit: &SearchHit) -> (usize, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (hit.id, &hit.title, &hit.snippet, &hit.category_path).hash(&mut h);
    (&hit.title_highlights, &hit.snippet_highlights).hash(&mut h);
    (i, h.finish())
}

fn row(ui: Ui, shared: &SharedRef, i: usize, hit: SearchHit) -> impl IntoView {
    let shared = shared.clone();
    let id = hit.id;
    let selected = move || (ui.active.get() == Some(i)).to_string();
    let path = hit.category_path.join(" › ");
    view! {
        <li id=format!("hc-opt-{i}") role="option" class="hc-option"
            class:hc-active=move || ui.active.get() == Some(i)
            aria-selected=selected
            on:mousedown=|ev: web_sys::MouseEvent| ev.prevent_default()
            on:click=move |_| ui.open_article(&shared, id)>
            <span class="hc-title">{marked(&hit.title, &hit.title_highlights)}</span>
            {(!hit.snippet.is_empty()).then(|| view! {
                <span class="hc-snippet">{marked(&hit.snippet, &hit.snippet_highlights)}</span>
            })}
            {(!path.is_empty()).then(|| view! { <span class="hc-path">{path}</span> })}
        </li>
    }
}

fn srcdoc(lang: &str, html: &str, dark: bool) -> String {
    let (fg, bg, link) = if dark {
        ("#e8e8ea", "#1f2023", "#8ab4ff")
    } else {
        ("#1d1d1f", "#ffffff", "#0b57d0")
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src https: data:; style-src 'unsafe-inline'\">\
         <base target=\"_blank\"><style>body{{margin:0;font:15px/1.55 system-ui,sans-serif;color:{fg};background:{bg};overflow-wrap:anywhere}}\
         a{{color:{link}}}pre{{overflow:auto;padding:.6em;background:rgba(127,127,127,.12);border-radius:6px}}\
         code{{font-family:ui-monospace,monospace;font-size:.92em}}img{{max-width:100%}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid rgba(127,127,127,.35);padding:.25em .5em}}</style></head><body>{html}</body></html>"
    )
}

fn is_dark(shared: &Shared) -> bool {
    match shared.options.theme.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}

#[component]
fn Reader(ui: Ui, shared: SharedRef) -> impl IntoView {
    move || {
        let article = ui.article.get()?;
        let strings = ui.strings.get();
        let lang = ui.lang.get();
        let doc = srcdoc(&lang, &article.html, is_dark(&shared));
        let full = shared.options.article_url(&lang, &article.slug);
        let path = article.category_path.join(" › ");
        let _ = article.id;
        Some(view! {
            <article class="hc-reader" aria-labelledby="hc-reader-title">
                <button type="button" class="hc-back" on:click=move |_| ui.article.set(None)>
                    "← " {strings.get("back")}
                </button>
                {(!path.is_empty()).then(|| view! { <p class="hc-path">{path.clone()}</p> })}
                <h2 id="hc-reader-title" class="hc-reader-title">{article.title.clone()}</h2>
                <iframe
                    class="hc-frame"
                    title=article.title.clone()
                    sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
                    referrerpolicy="no-referrer"
                    srcdoc=doc
                    on:load=|ev: web_sys::Event| fit_frame(&ev)
                ></iframe>
                {full.map(|href| view! {
                    <a class="hc-full" href=href target="_blank" rel="noopener noreferrer">{strings.get("open_full")}</a>
                })}
            </article>
        })
    }
}

/// Grows the sandboxed frame to its content (same-origin, scripts disabled).
fn fit_frame(ev: &web_sys::Event) {
    let Some(frame) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlIFrameElement>().ok())
    else {
        return;
    };
    if let Some(body) = frame.content_document().and_then(|d| d.body()) {
        let height = body.scroll_height().clamp(80, 20_000);
        let _ = web_sys::HtmlElement::style(&frame).set_property("height", &format!("{height}px"));
    }
}
