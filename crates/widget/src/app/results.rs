//! The result list (the combobox's listbox): while the query is blank, the
//! groups of [`crate::state::Model::sections`] (suggestions, recent
//! searches, recently viewed, popular), each a labelled `group` of
//! options; otherwise the hits, and "no results" when the answer to the
//! current query is empty. A keystroke changes the query at once and the
//! hits a few milliseconds later; only the rows memo re-renders rows, and
//! rows whose content did not change are kept (keyed by position and
//! content), so each answer costs one small DOM update.
//!
//! A history option carries a ✕ for the mouse (inside the option, so not
//! a focusable control: an option's content is presentational) and, for
//! the keyboard, the description "Press Delete to remove it"; "Clear
//! history" is a button under the list.

use hc_core::protocol::SearchHit;
use leptos::either::Either;
use leptos::prelude::*;

use super::{SharedRef, Ui, LISTBOX_ID};
use crate::highlight::runs;
use crate::state::{Group, Msg, Row};
use crate::strings::Text;

const REMOVE_HINT_ID: &str = "hc-remove-hint";

#[component]
pub(super) fn Results(ui: Ui, shared: SharedRef) -> impl IntoView {
    let contact_url = ui
        .model
        .with_untracked(|m| m.contact_url().map(str::to_string));
    let clear = shared.clone();
    // The groups shown, apart from their rows: the sections re-render
    // (position by position, in place) only when the groups change; each
    // section's rows are a keyed list of their own.
    let groups = Memo::new(move |_| {
        ui.sections
            .with(|s| s.iter().map(|x| x.group).collect::<Vec<_>>())
    });
    view! {
        <Show when=move || ui.article.with(Option::is_none)>
            <Show when=move || ui.no_results.get()>
                <div class="hc-empty">
                    <p>{move || ui.strings.with(|s| s.no_results(&ui.answered.get()))}</p>
                    <p class="hc-hint">{ui.text(Text::NoResultsHint)}</p>
                </div>
            </Show>
            <ul class="hc-list" id=LISTBOX_ID role="listbox" data-seq=move || ui.shown_seq.get()
                aria-label=ui.text(Text::ResultsLabel)>
                {
                    let shared = shared.clone();
                    move || groups.with(|g| g.iter().map(|&group| section(ui, &shared, group)).collect::<Vec<_>>())
                }
            </ul>
            <span id=REMOVE_HINT_ID hidden>{ui.text(Text::RemoveHint)}</span>
            {
                let clear = clear.clone();
                view! {
                    <Show when=move || ui.offers_clear_history.get()>
                        <button class="hc-clear" type="button" on:click={
                            let clear = clear.clone();
                            move |_| ui.dispatch(&clear, Msg::ClearHistory, None)
                        }>
                            {ui.text(Text::ClearHistory)}
                        </button>
                    </Show>
                }
            }
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

/// One group's options; the hits are not wrapped (no heading), the other
/// groups are a `group` labelled by their heading.
fn section(ui: Ui, shared: &SharedRef, group: Group) -> impl IntoView {
    let rows = move || {
        ui.sections.with(|s| {
            s.iter()
                .find(|x| x.group == group)
                .map(|x| {
                    x.rows
                        .iter()
                        .cloned()
                        .enumerate()
                        .map(|(j, r)| (x.start + j, r))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let shared = shared.clone();
    let list = view! {
        <For
            each=rows
            key=|(i, r)| row_key(*i, r)
            children=move |(i, r)| row(ui, &shared, group, i, r)
        />
    };
    match group.heading() {
        None => Either::Left(list),
        Some(text) => {
            let id = group.heading_id();
            Either::Right(view! {
                <ul class="hc-group" role="group" aria-labelledby=id>
                    <li class="hc-heading" role="presentation" id=id>{ui.text(text)}</li>
                    {list}
                </ul>
            })
        }
    }
}

/// A row's identity: its position (its id and active state depend on it)
/// and everything it shows.
fn row_key(i: usize, row: &Row) -> (usize, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match row {
        Row::Article(hit) => {
            (hit.id, &hit.title, &hit.snippet, &hit.category_path).hash(&mut h);
            (&hit.title_highlights, &hit.snippet_highlights).hash(&mut h);
        }
        Row::Search(q) => q.hash(&mut h),
    }
    (i, h.finish())
}

fn marked(text: &str, highlights: &[hc_core::protocol::Highlight]) -> Vec<impl IntoView> {
    runs(text, highlights)
        .into_iter()
        .map(|(t, m)| {
            let t = t.to_string();
            if m {
                Either::Left(view! { <mark>{t}</mark> })
            } else {
                Either::Right(t)
            }
        })
        .collect()
}

fn row(ui: Ui, shared: &SharedRef, group: Group, i: usize, row: Row) -> impl IntoView {
    let choose = shared.clone();
    let selected = move || (ui.active.get() == Some(i)).to_string();
    let removable = group.is_history();
    let remove = removable.then(|| {
        let shared = shared.clone();
        view! {
            <span class="hc-remove" aria-hidden="true" title=ui.text(Text::Remove)
                on:click=move |ev: web_sys::MouseEvent| {
                    ev.stop_propagation();
                    ui.dispatch(&shared, Msg::Remove(i), None);
                }>"✕"</span>
        }
    });
    // Only a hit's snippet may be on its way (suggestions have none).
    let room = (group == Group::Results).then_some(ui.keeps_snippet_room);
    let content = match row {
        Row::Article(hit) => Either::Left(article(&hit, room)),
        Row::Search(q) => Either::Right(view! { <span class="hc-title hc-recent">{q}</span> }),
    };
    view! {
        <li id=format!("hc-opt-{i}") role="option" class="hc-option"
            class:hc-active=move || ui.active.get() == Some(i)
            class:hc-removable=removable
            aria-selected=selected
            aria-describedby=removable.then_some(REMOVE_HINT_ID)
            on:mousedown=|ev: web_sys::MouseEvent| ev.prevent_default()
            on:click=move |_| ui.dispatch(&choose, Msg::Choose(i), None)>
            {content}
            {remove}
        </li>
    }
}

/// An article's title, snippet and category path. A hit whose snippet is
/// on its way (`room`) keeps the snippet's room with an empty block, so
/// the rows under it stay put when it lands.
fn article(hit: &SearchHit, room: Option<Memo<bool>>) -> impl IntoView {
    let path = hit.category_path.join(" › ");
    let snippet = if hit.snippet.is_empty() {
        Either::Right(room.map(|room| {
            view! {
                <Show when=move || room.get()>
                    <span class="hc-snippet-room" aria-hidden="true"></span>
                </Show>
            }
        }))
    } else {
        Either::Left(view! {
            <span class="hc-snippet">{marked(&hit.snippet, &hit.snippet_highlights)}</span>
        })
    };
    view! {
        <span class="hc-title">{marked(&hit.title, &hit.title_highlights)}</span>
        {snippet}
        {(!path.is_empty()).then(|| view! { <span class="hc-path">{path}</span> })}
    }
}
