//! The result list (the combobox's listbox): suggestions under a heading
//! while the query is blank, hits otherwise, "no results" when the answer
//! to the current query is empty. A keystroke changes the query at once
//! and the hits a few milliseconds later; only the rows memo re-renders
//! rows, and rows whose content did not change are kept (keyed by position
//! and content), so each answer costs one small DOM update.

use hc_core::protocol::SearchHit;
use leptos::prelude::*;

use super::{SharedRef, Ui, LISTBOX_ID};
use crate::highlight::runs;
use crate::state::{Model, Msg};
use crate::strings::Text;

#[component]
pub(super) fn Results(ui: Ui, shared: SharedRef) -> impl IntoView {
    let contact_url = ui
        .model
        .with_untracked(|m| m.contact_url().map(str::to_string));
    let has_heading = move || ui.showing_suggestions.get() && ui.rows.with(|r| !r.is_empty());
    view! {
        <Show when=move || ui.article.with(Option::is_none)>
            <Show when=move || ui.no_results.get()>
                <div class="hc-empty">
                    <p>{move || ui.strings.with(|s| s.no_results(&ui.answered.get()))}</p>
                    <p class="hc-hint">{ui.text(Text::NoResultsHint)}</p>
                </div>
            </Show>
            <Show when=has_heading>
                <h2 class="hc-heading" id="hc-popular">
                    {move || ui.strings.with(|s| s.get(ui.model.with(Model::suggestions_heading)))}
                </h2>
            </Show>
            <ul class="hc-list" id=LISTBOX_ID role="listbox" data-seq=move || ui.shown_seq.get()
                aria-label=ui.text(Text::ResultsLabel)>
                <For
                    each=move || ui.rows.get().into_iter().enumerate()
                    key=|(i, hit)| row_key(*i, hit)
                    children={
                        let shared = shared.clone();
                        move |(i, hit)| row(ui, &shared, i, hit)
                    }
                />
            </ul>
            {
                let more = shared.clone();
                view! {
                    <Show when=move || ui.has_more.get()>
                        <button class="hc-more" type="button" on:click={
                            let more = more.clone();
                            move |_| ui.dispatch(&more, Msg::ShowMore, None)
                        }>
                            {ui.text(Text::ShowMore)}
                        </button>
                    </Show>
                }
            }
            {contact_url.clone().map(|href| view! {
                <Show when=move || ui.offers_contact.get()>
                    <a class="hc-contact" href=href.clone() target="_blank" rel="noopener noreferrer">
                        {ui.text(Text::ContactSupport)}
                    </a>
                </Show>
            })}
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

fn row(ui: Ui, shared: &SharedRef, i: usize, hit: SearchHit) -> impl IntoView {
    let shared = shared.clone();
    let selected = move || (ui.active.get() == Some(i)).to_string();
    let path = hit.category_path.join(" › ");
    view! {
        <li id=format!("hc-opt-{i}") role="option" class="hc-option"
            class:hc-active=move || ui.active.get() == Some(i)
            aria-selected=selected
            on:mousedown=|ev: web_sys::MouseEvent| ev.prevent_default()
            on:click=move |_| ui.dispatch(&shared, Msg::Choose(i), None)>
            <span class="hc-title">{marked(&hit.title, &hit.title_highlights)}</span>
            {(!hit.snippet.is_empty()).then(|| view! {
                <span class="hc-snippet">{marked(&hit.snippet, &hit.snippet_highlights)}</span>
            })}
            {(!path.is_empty()).then(|| view! { <span class="hc-path">{path}</span> })}
        </li>
    }
}
