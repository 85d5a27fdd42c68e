//! The Leptos UI and its JS handle: the browser side of [`crate::state`].
//! The [`Model`] lives in one signal; the view reads it through memos (so a
//! keystroke re-renders only what changed), every event becomes a [`Msg`],
//! and the [`Effect`]s the reducer returns are performed here (`effects`).
//! Browser objects that are not `Send` travel in `SendWrapper` (the widget
//! is single-threaded).

mod effects;
mod filters;
mod panel;
mod reader;
mod results;
mod storage;

use std::cell::RefCell;
use std::rc::Rc;

use leptos::either::Either;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

use crate::link::Link;
use crate::options::{article_id, Options, MAX_SUGGESTED};
use crate::state::{ArticleView, Chip, Config, Model, Msg, Section, Status};
use crate::strings::{Strings, Text};

const STYLE: &str = include_str!("../style.css");
const LISTBOX_ID: &str = "hc-listbox";

/// The model and the views of it the components read. All `Copy`, so the
/// view, the worker callback and the JS methods share them.
#[derive(Clone, Copy)]
struct Ui {
    model: RwSignal<Model>,
    open: Memo<bool>,
    query: Memo<String>,
    sections: Memo<Vec<Section>>,
    chips: Memo<Vec<Chip>>,
    can_filter: Memo<bool>,
    offers_clear_history: Memo<bool>,
    no_results: Memo<bool>,
    offers_contact: Memo<bool>,
    has_more: Memo<bool>,
    keeps_snippet_room: Memo<bool>,
    answered: Memo<String>,
    active: Memo<Option<usize>>,
    status: Memo<Status>,
    article: Memo<Option<ArticleView>>,
    lang: Memo<String>,
    languages: Memo<Vec<String>>,
    strings: Memo<Strings>,
    live: Memo<String>,
    shown_seq: Memo<u32>,
}

impl Ui {
    fn new(model: Model) -> Ui {
        let model = RwSignal::new(model);
        Ui {
            model,
            open: Memo::new(move |_| model.with(|m| m.open)),
            query: Memo::new(move |_| model.with(|m| m.query.clone())),
            sections: Memo::new(move |_| model.with(Model::sections)),
            chips: Memo::new(move |_| model.with(Model::chips)),
            can_filter: Memo::new(move |_| model.with(Model::can_filter)),
            offers_clear_history: Memo::new(move |_| model.with(Model::offers_clear_history)),
            no_results: Memo::new(move |_| model.with(Model::no_results)),
            offers_contact: Memo::new(move |_| model.with(Model::offers_contact)),
            has_more: Memo::new(move |_| model.with(Model::has_more)),
            keeps_snippet_room: Memo::new(move |_| model.with(Model::keeps_snippet_room)),
            answered: Memo::new(move |_| model.with(|m| m.answered.clone())),
            active: Memo::new(move |_| model.with(|m| m.active)),
            status: Memo::new(move |_| model.with(|m| m.status.clone())),
            article: Memo::new(move |_| model.with(|m| m.article.clone())),
            lang: Memo::new(move |_| model.with(|m| m.lang.clone())),
            languages: Memo::new(move |_| model.with(|m| m.language_choices().to_vec())),
            strings: Memo::new(move |_| model.with(|m| m.strings.clone())),
            live: Memo::new(move |_| model.with(|m| m.live.clone())),
            shown_seq: Memo::new(move |_| model.with(|m| m.shown_seq)),
        }
    }

    /// A closure giving `text` in the current language, for the view.
    fn text(self, text: Text) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.strings.with(|s| s.get(text))
    }

    /// Runs `msg` through the reducer and performs its effects; `event` is
    /// the DOM event it came from, if any (for `PreventDefault`).
    fn dispatch(self, shared: &Rc<Shared>, msg: Msg, event: Option<&web_sys::Event>) {
        let effects = self.model.try_update(|m| m.update(msg)).unwrap_or_default();
        for effect in effects {
            effects::perform(self, shared, effect, event);
        }
    }
}

struct Shared {
    options: Options,
    host: HtmlElement,
    root: ShadowRoot,
    link: RefCell<Option<Link>>,
    /// Where the visitor's history is stored; `None` with `history="off"`
    /// or without a content source.
    history_key: Option<String>,
    /// Where focus was before the dialog opened.
    return_focus: RefCell<Option<web_sys::Element>>,
}

type SharedRef = SendWrapper<Rc<Shared>>;

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
        self.ui.dispatch(&self.shared, Msg::Open, None);
    }

    pub fn close(&self) {
        self.ui.dispatch(&self.shared, Msg::Close, None);
    }

    /// Types `q` into the search box and searches.
    pub fn search(&self, q: String) {
        self.ui.dispatch(&self.shared, Msg::HostSearch(q), None);
    }

    /// Opens the reader on article `id` (a modal widget opens first).
    #[wasm_bindgen(js_name = openArticle)]
    pub fn open_article(&self, id: f64) {
        if let Some(id) = article_id(id) {
            self.ui
                .dispatch(&self.shared, Msg::HostOpenArticle(id), None);
        } else {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "hc-search: openArticle needs an article id, not {id}"
            )));
        }
    }

    /// What the page is about now (a single-page app's route changed); a
    /// blank text: nothing in particular.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&self, text: String) {
        self.ui.dispatch(&self.shared, Msg::SetContext(text), None);
    }

    /// Article ids to suggest on this page, in order (numbers or numeric
    /// strings; anything else is left out).
    pub fn suggest(&self, ids: Vec<JsValue>) {
        let ids = ids
            .iter()
            .filter_map(|v| {
                v.as_f64()
                    .and_then(article_id)
                    .or_else(|| v.as_string().and_then(|s| s.trim().parse().ok()))
            })
            .take(MAX_SUGGESTED)
            .collect();
        self.ui.dispatch(&self.shared, Msg::Suggest(ids), None);
    }

    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&self, lang: String) {
        if let Ok(lang) = lang.parse() {
            self.ui
                .dispatch(&self.shared, Msg::ChooseLanguage(lang), None);
        }
    }

    pub fn destroy(&mut self) {
        self.mounted.take();
        self.shared.link.borrow_mut().take();
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
    let history_key = options
        .source()
        .filter(|_| options.history_enabled())
        .map(|source| crate::history::storage_key(&source.snapshot_url()));
    let history = options
        .history_enabled()
        .then(|| storage::load(history_key.as_deref()));
    let config = Config {
        modal: !options.inline(),
        init: options
            .source()
            .map(|source| hc_core::protocol::ToWorker::Init {
                source,
                languages: options.language_request(),
                fallback: options.fallback(),
            }),
        overrides: options.strings.values().clone(),
        ui_language: options.ui_language(),
        contact_url: options.contact_url(),
        context: options.context.clone().filter(|c| !c.trim().is_empty()),
        suggest: options.suggested_ids(),
        history,
        scope: options.scope(),
    };
    let ui = Ui::new(Model::new(config));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let container = document.create_element("div")?.dyn_into::<HtmlElement>()?;
    container.set_class_name("hc-root");
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLE));
    root.append_child(&style)?;
    root.append_child(&container)?;
    let worker_url = options.worker_url.clone();
    let shared = Rc::new(Shared {
        options,
        host,
        root,
        link: RefCell::new(None),
        history_key,
        return_focus: RefCell::new(None),
    });
    let callback_shared = SendWrapper::new(shared.clone());
    let on_message = move |msg| ui.dispatch(&callback_shared, Msg::Worker(msg), None);
    let started_by_loader = worker.is_some();
    let link = match worker {
        Some(worker) => Link::attach(worker, on_message),
        None => Link::start(&worker_url, on_message)?,
    };
    *shared.link.borrow_mut() = Some(link);
    ui.dispatch(
        &shared,
        Msg::Mounted {
            init: !started_by_loader,
        },
        None,
    );
    let view_shared = SendWrapper::new(shared.clone());
    let mounted = leptos::mount::mount_to(
        container,
        move || view! { <Widget ui=ui shared=view_shared.clone()/> },
    );
    if !initial_query.is_empty() {
        ui.dispatch(&shared, Msg::Input(initial_query), None);
        effects::focus_input(&shared);
    }
    Ok(WidgetHandle {
        ui,
        shared: SendWrapper::new(shared),
        mounted: Some(Box::new(mounted)),
    })
}

#[component]
fn Widget(ui: Ui, shared: SharedRef) -> impl IntoView {
    let modal = ui.model.with_untracked(Model::modal);
    let body = {
        let shared = shared.clone();
        move || view! { <panel::Panel ui=ui shared=shared.clone() modal=modal/> }
    };
    if !modal {
        Either::Left(view! { <div class="hc-inline">{body}</div> })
    } else {
        let close_shared = shared.clone();
        let backdrop = move |_| ui.dispatch(&close_shared, Msg::Close, None);
        Either::Right(view! {
            <Show when=move || ui.open.get()>
                <div class="hc-backdrop" on:click=backdrop.clone()></div>
                <div
                    class="hc-dialog"
                    role="dialog"
                    aria-modal="true"
                    aria-label=ui.text(Text::DialogLabel)
                    on:keydown={
                        let shared = shared.clone();
                        move |ev: web_sys::KeyboardEvent| effects::trap_focus(&shared, &ev)
                    }
                >
                    {body.clone()}
                </div>
            </Show>
        })
    }
}
