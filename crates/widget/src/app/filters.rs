//! The category chips: a radio group ("All" and the top-level categories
//! of the query's hits, each with its count) above the list. One tab stop;
//! the arrows move the choice (`Msg::ChipKey`, the reducer decides).
//! Chips are keyed by position and category, so a new answer updates
//! counts and the checked state in place and a focused chip keeps focus.

use leptos::prelude::*;

use super::{SharedRef, Ui};
use crate::nav::Key;
use crate::state::Msg;
use crate::strings::Text;

#[component]
pub(super) fn Chips(ui: Ui, shared: SharedRef) -> impl IntoView {
    let chip = move |i: usize| ui.chips.with(|c| c.get(i).cloned());
    view! {
        <Show when=move || ui.chips.with(|c| !c.is_empty())>
            <div class="hc-chips" role="radiogroup" aria-label=ui.text(Text::FilterLabel)>
                <For
                    each=move || {
                        ui.chips.with(|c| {
                            c.iter().enumerate().map(|(i, c)| (i, c.id, c.name.clone())).collect::<Vec<_>>()
                        })
                    }
                    key=|k| k.clone()
                    children={
                        let shared = shared.clone();
                        move |(i, id, name)| {
                            let filter = id.zip(name.clone());
                            let click = {
                                let shared = shared.clone();
                                move |_| ui.dispatch(&shared, Msg::Filter(filter.clone()), None)
                            };
                            let key = {
                                let shared = shared.clone();
                                move |ev: web_sys::KeyboardEvent| {
                                    if let Some(key) = Key::from_name(&ev.key()) {
                                        ui.dispatch(&shared, Msg::ChipKey { key, at: i }, Some(&ev));
                                    }
                                }
                            };
                            let checked = move || chip(i).is_some_and(|c| c.checked);
                            let count = move || chip(i).map_or(0, |c| c.count);
                            let label = name.clone();
                            view! {
                                <button type="button" class="hc-chip" role="radio" data-i=i
                                    aria-checked=move || checked().to_string()
                                    tabindex=move || if checked() { "0" } else { "-1" }
                                    on:click=click on:keydown=key>
                                    <span>{move || label.clone().unwrap_or_else(|| ui.strings.with(|s| s.get(Text::AllCategories)))}</span>
                                    <span class="hc-count" aria-hidden="true">{count}</span>
                                    <span class="hc-sr-only">{move || format!(", {}", ui.strings.with(|s| s.count(count())))}</span>
                                </button>
                            }
                        }
                    }
                />
            </div>
        </Show>
    }
}
