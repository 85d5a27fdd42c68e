//! The in-widget article reader: the article's sanitized HTML in a
//! sandboxed, script-less frame (so it can never run script on the host
//! page), themed to match, grown to its content.

use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Shared, SharedRef, Ui};
use crate::state::{ArticleView, Msg};
use crate::strings::Text;

#[component]
pub(super) fn Reader(ui: Ui, shared: SharedRef) -> impl IntoView {
    move || {
        let article = ui.article.get()?;
        let strings = ui.strings.get();
        let lang = ui.lang.get();
        let doc = srcdoc(&lang, &article.html, is_dark(&shared));
        let full = shared.options.article_url(&lang, &article.slug);
        let crumbs = breadcrumb(ui, &shared, &article);
        let back_shared = shared.clone();
        Some(view! {
            <article class="hc-reader" aria-labelledby="hc-reader-title">
                <button type="button" class="hc-back"
                    on:click=move |_| ui.dispatch(&back_shared, Msg::Back, None)>
                    "← " {strings.get(Text::Back)}
                </button>
                {crumbs}
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
                    <a class="hc-full" href=href target="_blank" rel="noopener noreferrer">{strings.get(Text::OpenFull)}</a>
                })}
            </article>
        })
    }
}

/// The article's category path; while there is a query to filter, each
/// category is a button that lists the query's hits in that category.
fn breadcrumb(ui: Ui, shared: &SharedRef, article: &ArticleView) -> Option<impl IntoView> {
    if article.category_path.is_empty() {
        return None;
    }
    let path = &article.category_path;
    if !ui.can_filter.get_untracked() || article.category_ids.len() != path.len() {
        return Some(Either::Left(
            view! { <p class="hc-path">{path.join(" › ")}</p> },
        ));
    }
    let items = path
        .iter()
        .zip(&article.category_ids)
        .enumerate()
        .map(|(i, (name, &id))| {
            let shared = shared.clone();
            let filter = Some((id, name.clone()));
            view! {
                {(i > 0).then_some(" › ")}
                <button type="button" class="hc-crumb" title=ui.text(Text::FilterLabel)
                    on:click=move |_| ui.dispatch(&shared, Msg::Filter(filter.clone()), None)>
                    {name.clone()}
                </button>
            }
        })
        .collect_view();
    Some(Either::Right(view! { <p class="hc-path">{items}</p> }))
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
