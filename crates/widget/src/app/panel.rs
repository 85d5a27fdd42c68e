//! The search panel: the combobox input, the language switcher, the
//! loading/failure state, then the list or the reader, and the live region.

use hc_core::protocol::{ErrorKind, Stage};
use leptos::either::EitherOf3;
use leptos::prelude::*;

use super::filters::Chips;
use super::reader::Reader;
use super::results::Results;
use super::{SharedRef, Ui, LISTBOX_ID};
use crate::nav::Key;
use crate::state::{Msg, Status};
use crate::strings::Text;

#[component]
pub(super) fn Panel(ui: Ui, shared: SharedRef, modal: bool) -> impl IntoView {
    let expanded = move || ui.sections.with(|r| !r.is_empty()).to_string();
    let keydown = {
        let shared = shared.clone();
        move |ev: web_sys::KeyboardEvent| {
            if let Some(key) = Key::from_name(&ev.key()) {
                ui.dispatch(&shared, Msg::Key(key), Some(&ev));
            }
        }
    };
    let on_input = {
        let shared = shared.clone();
        move |ev: web_sys::Event| ui.dispatch(&shared, Msg::Input(event_target_value(&ev)), None)
    };
    let placeholder = {
        let custom = shared.options.placeholder.clone();
        move || {
            custom
                .clone()
                .unwrap_or_else(|| ui.strings.with(|s| s.get(Text::Placeholder)))
        }
    };
    let close_shared = shared.clone();
    let list_shared = shared.clone();
    let reader_shared = shared.clone();
    let retry_shared = shared.clone();
    let lang_shared = shared.clone();
    let chips_shared = shared.clone();
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
                        if ui.article.with(Option::is_some) {
                            None
                        } else {
                            ui.active.get().map(|i| format!("hc-opt-{i}"))
                        }
                    }
                    aria-label=ui.text(Text::Label)
                    placeholder=placeholder
                    prop:value=move || ui.query.get()
                    on:input=on_input
                    on:keydown=keydown
                />
                <LanguageSwitcher ui=ui shared=lang_shared/>
                {modal.then(|| view! {
                    <button class="hc-close" type="button" aria-label=ui.text(Text::Close)
                        on:click=move |_| ui.dispatch(&close_shared, Msg::Close, None)>"×"</button>
                })}
            </div>
            <LoadState ui=ui shared=retry_shared/>
            <Chips ui=ui shared=chips_shared/>
            <Results ui=ui shared=list_shared/>
            <Reader ui=ui shared=reader_shared/>
            <div class="hc-sr-only" role="status" aria-live="polite">{move || ui.live.get()}</div>
        </div>
    }
}

#[component]
fn LanguageSwitcher(ui: Ui, shared: SharedRef) -> impl IntoView {
    let change = move |ev: web_sys::Event| {
        if let Ok(lang) = event_target_value(&ev).parse() {
            ui.dispatch(&shared, Msg::ChooseLanguage(lang), None);
        }
    };
    view! {
        <Show when=move || ui.languages.with(|l| l.len() > 1)>
            <select class="hc-lang" aria-label=ui.text(Text::Language) on:change=change.clone()>
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

/// Loading, or why loading failed (with a retry when it may help).
#[component]
fn LoadState(ui: Ui, shared: SharedRef) -> impl IntoView {
    move || {
        let strings = ui.strings.get();
        match ui.status.get() {
            Status::Ready => EitherOf3::A(()),
            Status::Loading(stage) => {
                let text = match stage {
                    Stage::Indexing => strings.get(Text::Indexing),
                    _ => strings.get(Text::Loading),
                };
                EitherOf3::B(
                    view! { <p class="hc-state" aria-busy="true"><span class="hc-spinner" aria-hidden="true"></span>{text}</p> },
                )
            }
            Status::Failed { kind, retryable } => {
                let text = match kind {
                    ErrorKind::Offline => strings.get(Text::Offline),
                    ErrorKind::RateLimited => strings.get(Text::RateLimited),
                    ErrorKind::BadContent => strings.get(Text::BadContent),
                    _ => strings.get(Text::Unavailable),
                };
                let shared = shared.clone();
                EitherOf3::C(view! {
                    <div class="hc-state hc-error" role="alert">
                        <p>{text}</p>
                        {retryable.then(|| view! {
                            <button type="button" class="hc-retry"
                                on:click=move |_| ui.dispatch(&shared, Msg::Retry, None)>
                                {strings.get(Text::Retry)}
                            </button>
                        })}
                    </div>
                })
            }
        }
    }
}
