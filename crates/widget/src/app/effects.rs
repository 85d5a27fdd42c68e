//! Performing the reducer's [`Effect`]s: the only code that posts to the
//! worker, dispatches the host page's events or moves focus. Also the
//! dialog's focus trap, which is DOM work with no state of its own.

use std::rc::Rc;
use std::time::Duration;

use hc_core::protocol::ToWorker;
use leptos::prelude::{request_animation_frame, set_timeout};
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use super::{Shared, Ui};
use crate::state::{Effect, HostEvent, Msg};

pub(super) fn perform(ui: Ui, shared: &Rc<Shared>, effect: Effect, event: Option<&web_sys::Event>) {
    match effect {
        Effect::After { ms, msg } => {
            // A frame's callbacks run before it paints: the task they
            // queue runs after.
            let shared = Rc::clone(shared);
            request_animation_frame(move || {
                set_timeout(
                    move || ui.dispatch(&shared, msg, None),
                    Duration::from_millis(u64::from(ms)),
                )
            });
        }
        Effect::OfferResultClick { id } => {
            if emit(shared, &HostEvent::ResultClick { id }) {
                ui.dispatch(shared, Msg::ShowArticle(id), None);
            }
        }
        Effect::Send(mut msg) => {
            // The page's path is read when asked: a single-page app moves.
            if let ToWorker::Suggestions { path, .. } = &mut msg {
                *path = web_sys::window().and_then(|w| w.location().pathname().ok());
            }
            send(shared, &msg)
        }
        Effect::Emit(ev) => {
            emit(shared, &ev);
        }
        Effect::Warn(line) => web_sys::console::warn_1(&JsValue::from_str(&line)),
        Effect::PreventDefault => {
            if let Some(ev) = event {
                ev.prevent_default();
            }
        }
        Effect::RememberFocus => *shared.return_focus.borrow_mut() = deep_active_element(),
        Effect::FocusInput => {
            // After the dialog is in the DOM.
            let root = shared.root.clone();
            request_animation_frame(move || {
                if let Some(input) = input(&root) {
                    let _ = input.focus();
                }
            });
        }
        Effect::RestoreFocus => {
            let target = shared.return_focus.borrow_mut().take();
            let target = target
                .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                .or_else(|| shared.host.clone().dyn_into::<HtmlElement>().ok());
            if let Some(t) = target {
                let _ = t.focus();
            }
        }
        Effect::SaveHistory(history) => {
            if let Some(key) = &shared.history_key {
                super::storage::save(key, &history);
            }
        }
        Effect::FocusChip(i) => {
            let root = shared.root.clone();
            request_animation_frame(move || {
                if let Some(chip) = root
                    .query_selector(&format!(".hc-chip[data-i=\"{i}\"]"))
                    .ok()
                    .flatten()
                    .and_then(|el| el.dyn_into::<HtmlElement>().ok())
                {
                    let _ = chip.focus();
                }
            });
        }
        Effect::ScrollTo(i) => {
            if let Ok(Some(el)) = shared.root.query_selector(&format!("#hc-opt-{i}")) {
                el.scroll_into_view_with_bool(false);
            }
        }
    }
}

fn send(shared: &Shared, msg: &ToWorker) {
    if let Some(link) = shared.link.borrow().as_ref() {
        link.send(msg);
    }
}

fn input(root: &web_sys::ShadowRoot) -> Option<HtmlElement> {
    root.query_selector("input.hc-input")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<HtmlElement>().ok())
}

pub(super) fn focus_input(shared: &Shared) {
    if let Some(input) = input(&shared.root) {
        let _ = input.focus();
    }
}

/// Dispatches `ev` on the host element (bubbling, composed: it leaves the
/// shadow root). `hc-result-click` is cancelable; false when a listener
/// called `preventDefault()`.
fn emit(shared: &Shared, ev: &HostEvent) -> bool {
    let detail = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&detail, &JsValue::from_str(k), &v);
    };
    match ev {
        HostEvent::Search { query } => set("query", JsValue::from_str(query)),
        HostEvent::NoResults { query, lang } => {
            set("query", JsValue::from_str(query));
            set("lang", JsValue::from_str(lang));
        }
        HostEvent::ResultClick { id } | HostEvent::ArticleView { id } => {
            set("id", JsValue::from_f64(*id as f64))
        }
        HostEvent::Ready {
            lang,
            articles,
            from_cache,
            timings,
        } => {
            set("lang", JsValue::from_str(lang));
            set("articles", JsValue::from_f64(f64::from(*articles)));
            set("fromCache", JsValue::from_bool(*from_cache));
            let steps = js_sys::Object::new();
            for t in timings {
                let _ = js_sys::Reflect::set(
                    &steps,
                    &JsValue::from_str(&t.step),
                    &JsValue::from_f64(f64::from(t.ms)),
                );
            }
            set("timings", steps.into());
        }
        HostEvent::Error { kind, message } => {
            set("kind", JsValue::from_str(kind.as_str()));
            set("message", JsValue::from_str(message));
        }
        HostEvent::Open | HostEvent::Close => {}
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    init.set_cancelable(matches!(ev, HostEvent::ResultClick { .. }));
    match CustomEvent::new_with_event_init_dict(ev.name(), &init) {
        Ok(event) => shared.host.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
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

/// Tab and Shift+Tab cycle inside the dialog.
pub(super) fn trap_focus(shared: &Shared, ev: &web_sys::KeyboardEvent) {
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
