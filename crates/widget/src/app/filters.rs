//! The category chips: a radio group ("All" and the top-level categories
//! of the query's hits, each with its count) above the list. One tab stop;
//! the arrows move the choice (`Msg::ChipKey`, the reducer decides).
//! The chips are one plain list re-rendered from the memo: tachys rebuilds
//! a list position by position, updating each button's text and attributes
//! in place, so a new answer keeps the chip elements (and the focus on
//! one) without a keyed list's diffing code in the wasm.

use leptos::prelude::*;

use super::{SharedRef, Ui};
use crate::nav::Key;
use crate::state::{Chip, Msg};
use crate::strings::Text;

#[component]
pub(super) fn Chips(ui: Ui, shared: SharedRef) -> impl IntoView {
    let chips = move || {
        ui.chips.with(|chips| {
            chips
                .iter()
                .enumerate()
                .map(|(i, chip)| chip_view(ui, &shared, i, chip))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || ui.chips.with(|c| !c.is_empty())>
            <div class="hc-chips" role="radiogroup" aria-label=ui.text(Text::FilterLabel)>
                {chips.clone()}
            </div>
        </Show>
    }
}

fn chip_view(ui: Ui, shared: &SharedRef, i: usize, chip: &Chip) -> impl IntoView {
    let filter = chip.id.zip(chip.name.clone());
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
    let (label, count) = ui.strings.with(|s| {
        let label = chip
            .name
            .clone()
            .unwrap_or_else(|| s.get(Text::AllCategories));
        (label, s.count(chip.count))
    });
    view! {
        <button type="button" class="hc-chip" role="radio" data-i=i
            aria-checked=chip.checked.to_string()
            tabindex=if chip.checked { "0" } else { "-1" }
            on:click=click on:keydown=key>
            <span>{label}</span>
            <span class="hc-count" aria-hidden="true">{chip.count}</span>
            <span class="hc-sr-only">", " {count}</span>
        </button>
    }
}
