//! The widget's behaviour without a browser: each test drives a [`Model`]
//! with messages and checks the state and the effects.

use hc_core::protocol::{ContentSource, Fallback, LanguageRequest};

use super::*;
use crate::history::History;

fn init() -> ToWorker {
    ToWorker::Init {
        source: ContentSource::Proxy {
            url: "https://proxy.example.com".into(),
        },
        languages: LanguageRequest::default(),
        fallback: Fallback::None,
    }
}

fn config(modal: bool) -> Config {
    Config {
        modal,
        init: Some(init()),
        overrides: HashMap::new(),
        ui_language: "en".into(),
        contact_url: None,
        context: None,
        suggest: Vec::new(),
        history: Some(History::default()),
        scope: None,
    }
}

fn hit(id: i64) -> SearchHit {
    SearchHit {
        id,
        title: format!("Article {id}"),
        title_highlights: Vec::new(),
        snippet: String::new(),
        snippet_highlights: Vec::new(),
        category_path: Vec::new(),
        category_ids: Vec::new(),
        slug: format!("article-{id}"),
        score: 1.0,
    }
}

fn ready(lang: &str) -> Msg {
    Msg::Worker(FromWorker::Ready {
        lang: lang.parse().unwrap(),
        languages: vec!["en".parse().unwrap(), "de".parse().unwrap()],
        articles: 3,
        from_cache: false,
        timings: Vec::new(),
    })
}

fn results(seq: u32, ids: &[i64]) -> Msg {
    Msg::Worker(FromWorker::Results {
        seq,
        total: ids.len() as u32,
        hits: ids.iter().map(|&id| hit(id)).collect(),
        facets: Facets::default(),
        snippets_pending: false,
    })
}

fn suggestions(seq: u32, ids: &[i64]) -> Msg {
    Msg::Worker(FromWorker::Suggestions {
        seq,
        hits: ids.iter().map(|&id| hit(id)).collect(),
    })
}

/// A modal widget whose stored history holds `searches` (query,
/// language), the newest last, shown in `ui_language`.
fn with_searches(searches: &[(&str, &str)], ui_language: &str) -> Model {
    let mut stored = History::default();
    for (query, lang) in searches {
        stored.add_search(query, lang);
    }
    Model::new(Config {
        history: Some(stored),
        ui_language: ui_language.into(),
        ..config(true)
    })
}

/// A ready modal widget, open, with suggestions 7 and 8.
fn ready_widget() -> Model {
    let mut m = Model::new(config(true));
    m.update(Msg::Mounted { init: true });
    m.update(ready("en"));
    m.update(suggestions(0, &[7, 8]));
    m.update(Msg::Open);
    m
}

/// The effects other than storing the history (tested on their own).
fn unsaved(fx: Vec<Effect>) -> Vec<Effect> {
    fx.into_iter()
        .filter(|e| !matches!(e, Effect::SaveHistory(_)))
        .collect()
}

fn ids(m: &Model) -> Vec<i64> {
    m.rows().iter().filter_map(Row::id).collect()
}

fn sent(fx: &[Effect]) -> Vec<&ToWorker> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn emitted(fx: &[Effect]) -> Vec<&'static str> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Emit(ev) => Some(ev.name()),
            _ => None,
        })
        .collect()
}

#[test]
fn mounting_sends_init_unless_the_loader_did_and_no_source_fails_for_good() {
    let mut m = Model::new(config(true));
    assert_eq!(sent(&m.update(Msg::Mounted { init: true })), [&init()]);
    let mut m2 = Model::new(config(true));
    assert!(m2.update(Msg::Mounted { init: false }).is_empty());
    let mut none = Model::new(Config {
        init: None,
        ..config(true)
    });
    assert!(none.update(Msg::Mounted { init: false }).is_empty());
    assert_eq!(
        none.status,
        Status::Failed {
            kind: ErrorKind::Unavailable,
            retryable: false
        }
    );
    m.update(Msg::Worker(FromWorker::Progress {
        stage: Stage::Indexing,
    }));
    assert_eq!(m.status, Status::Loading(Stage::Indexing));
}

#[test]
fn typing_searches_with_a_new_seq_and_stale_answers_are_dropped() {
    let mut m = ready_widget();
    let fx = m.update(Msg::Input("ins".into()));
    assert_eq!(
        sent(&fx),
        [&ToWorker::Search {
            seq: 1,
            query: "ins".into(),
            category: None,
            limit: RESULT_LIMIT
        }]
    );
    assert_eq!(emitted(&fx), ["hc-search"]);
    m.update(Msg::Input("install".into()));
    // The answer to "ins" arrives after "install" was sent: dropped.
    m.update(results(1, &[1, 2]));
    assert!(m.hits.is_empty());
    m.update(results(2, &[3]));
    assert_eq!(ids(&m), [3]);
    assert_eq!(m.live, "1 result");
    assert_eq!(m.shown_seq, 2);
}

#[test]
fn hits_keep_their_snippets_room_while_the_worker_says_they_are_coming() {
    let mut m = ready_widget();
    m.update(Msg::Input("apt".into()));
    let pending = |seq, ids: &[i64], snippets_pending| {
        Msg::Worker(FromWorker::Results {
            seq,
            total: ids.len() as u32,
            hits: ids.iter().map(|&id| hit(id)).collect(),
            facets: Facets::default(),
            snippets_pending,
        })
    };
    assert!(!m.keeps_snippet_room());
    m.update(pending(1, &[1, 2], true));
    assert!(m.keeps_snippet_room());
    // The same answer again, with its snippets: the room goes.
    m.update(pending(1, &[1, 2], false));
    assert!(!m.keeps_snippet_room());
    // A stale answer changes nothing; suggestions keep no room.
    m.update(Msg::Input("apt-get".into()));
    m.update(pending(1, &[1, 2], true));
    assert!(!m.keeps_snippet_room());
    m.update(pending(2, &[3], true));
    assert!(m.keeps_snippet_room());
    m.update(Msg::Input("".into()));
    assert!(!m.keeps_snippet_room());
}

#[test]
fn a_blank_query_shows_suggestions_and_sends_nothing() {
    let mut m = ready_widget();
    m.update(Msg::Input("apt".into()));
    m.update(results(1, &[1, 2, 3]));
    let fx = m.update(Msg::Input("   ".into()));
    assert!(sent(&fx).is_empty());
    assert!(m.showing_suggestions());
    assert_eq!(ids(&m), [7, 8]);
    assert!(!m.no_results());
    assert_eq!(m.live, "");
}

#[test]
fn no_results_is_announced_and_told_to_the_host() {
    let mut m = ready_widget();
    m.update(Msg::Input("zzqx".into()));
    let fx = m.update(results(1, &[]));
    assert_eq!(
        fx,
        [Effect::After {
            ms: NO_RESULTS_SETTLE_MS,
            msg: Msg::Settled { seq: 1 }
        }]
    );
    // Still the answer a second later: the host hears of it.
    assert_eq!(
        m.update(Msg::Settled { seq: 1 }),
        [Effect::Emit(HostEvent::NoResults {
            query: "zzqx".into(),
            lang: "en".into()
        })]
    );
    assert!(m.no_results());
    assert_eq!(m.live, "No results for “zzqx”");
    // Typing on: the empty answer is for another query until answered.
    m.update(Msg::Input("zzqxy".into()));
    assert!(!m.no_results());
}

#[test]
fn arrows_enter_and_the_reader() {
    let mut m = ready_widget();
    m.update(Msg::Input("apt".into()));
    m.update(results(1, &[4, 5, 6]));
    let fx = m.update(Msg::Key(Key::Down));
    assert_eq!(fx, [Effect::PreventDefault, Effect::ScrollTo(0)]);
    m.update(Msg::Key(Key::Down));
    assert_eq!(m.active, Some(1));
    // Enter offers the click to the host; let through, the reader asks
    // the worker for the article.
    let fx = m.update(Msg::Key(Key::Enter));
    assert_eq!(
        unsaved(fx),
        [Effect::PreventDefault, Effect::OfferResultClick { id: 5 }]
    );
    let fx = m.update(Msg::ShowArticle(5));
    assert_eq!(sent(&fx), [&ToWorker::Article { seq: 1, id: 5 }]);
    let fx = m.update(Msg::Worker(FromWorker::Article {
        seq: 1,
        id: 5,
        title: "Article 5".into(),
        html: "<p>x</p>".into(),
        slug: "article-5".into(),
        category_path: vec![],
        category_ids: vec![],
    }));
    assert_eq!(emitted(&fx), ["hc-article-view"]);
    assert_eq!(m.article.as_ref().map(|a| a.id), Some(5));
    assert!(m.rows().is_empty(), "the reader replaces the list");
    assert_eq!(m.live, "Article 5");
    // Escape in the reader goes back to the list, not out of the dialog.
    m.update(Msg::Key(Key::Escape));
    assert!(m.article.is_none() && m.open);
    assert_eq!(m.rows().len(), 3);
}

#[test]
fn an_article_answer_for_an_older_click_is_dropped() {
    let mut m = ready_widget();
    m.update(Msg::ShowArticle(7));
    m.update(Msg::ShowArticle(8));
    m.update(Msg::Worker(FromWorker::Article {
        seq: 1,
        id: 7,
        title: "Article 7".into(),
        html: String::new(),
        slug: "article-7".into(),
        category_path: vec![],
        category_ids: vec![],
    }));
    assert!(m.article.is_none());
    // A click past the list does nothing.
    assert!(m.update(Msg::Choose(9)).is_empty());
}

#[test]
fn escape_unwinds_one_step_at_a_time() {
    let mut m = ready_widget();
    m.update(Msg::Input("apt".into()));
    m.update(results(1, &[4, 5]));
    m.update(Msg::Key(Key::Down));
    m.update(Msg::Key(Key::Escape));
    assert_eq!(m.active, None);
    assert!(m.open);
    let fx = m.update(Msg::Key(Key::Escape));
    assert!(!m.open);
    assert_eq!(
        fx,
        [
            Effect::PreventDefault,
            Effect::RestoreFocus,
            Effect::Emit(HostEvent::Close)
        ]
    );

    // Inline: Escape clears the text, then is the page's.
    let mut inline = Model::new(config(false));
    inline.update(Msg::Input("apt".into()));
    inline.update(Msg::Key(Key::Escape));
    assert_eq!(inline.query, "");
    assert!(inline.update(Msg::Key(Key::Escape)).is_empty());
}

#[test]
fn opening_and_closing_move_focus_and_reset_the_reader() {
    let mut m = Model::new(config(true));
    assert_eq!(
        m.update(Msg::Open),
        [
            Effect::RememberFocus,
            Effect::FocusInput,
            Effect::Emit(HostEvent::Open)
        ]
    );
    assert!(m.update(Msg::Open).is_empty(), "already open");
    m.update(Msg::Input("a".into()));
    m.update(results(1, &[1]));
    m.update(Msg::Key(Key::Down));
    m.update(Msg::ShowArticle(1));
    m.update(Msg::Worker(FromWorker::Article {
        seq: 1,
        id: 1,
        title: "Article 1".into(),
        html: String::new(),
        slug: "article-1".into(),
        category_path: vec![],
        category_ids: vec![],
    }));
    assert_eq!(
        m.update(Msg::Close),
        [Effect::RestoreFocus, Effect::Emit(HostEvent::Close)]
    );
    assert!(m.article.is_none() && m.active.is_none());
    assert!(m.update(Msg::Close).is_empty(), "already closed");
    // The host's search() opens a modal widget first.
    let fx = m.update(Msg::HostSearch("apt".into()));
    assert!(m.open);
    assert_eq!(fx[..2], [Effect::RememberFocus, Effect::FocusInput]);
    let mut inline = Model::new(config(false));
    let fx = inline.update(Msg::HostSearch("apt".into()));
    assert!(!inline.open);
    assert_eq!(sent(&fx).len(), 1);
}

#[test]
fn a_language_switch_searches_again_unless_the_search_is_still_unanswered() {
    let mut m = ready_widget();
    m.update(Msg::Input("apt".into()));
    m.update(results(1, &[1]));
    let fx = m.update(Msg::ChooseLanguage("de".parse().unwrap()));
    assert_eq!(
        sent(&fx),
        [&ToWorker::SetLanguage {
            lang: "de".parse().unwrap()
        }]
    );
    let fx = m.update(ready("de"));
    let sent_now = sent(&fx);
    assert!(matches!(
        sent_now[..],
        [
            ToWorker::Suggestions { .. },
            ToWorker::Search { seq: 2, .. }
        ]
    ));
    assert_eq!(emitted(&fx), ["hc-search", "hc-ready"]);
    assert_eq!(m.lang, "de");
    assert_eq!(m.text(Text::Close), "Schließen");
    // Unanswered search 2, then another Ready: no second search.
    let fx = m.update(ready("en"));
    assert_eq!(sent(&fx).len(), 1);
    m.update(results(2, &[]));
    assert_eq!(m.live, "No results for “apt”");
}

#[test]
fn errors_fail_the_load_only_before_ready_and_warn_once() {
    let error = |retryable| {
        Msg::Worker(FromWorker::Error {
            seq: None,
            kind: ErrorKind::Offline,
            message: "fetch https://proxy.example.com/v1/snapshot failed".into(),
            retryable,
        })
    };
    let mut m = Model::new(config(true));
    m.update(Msg::Mounted { init: true });
    let fx = m.update(error(true));
    assert_eq!(
        m.status,
        Status::Failed {
            kind: ErrorKind::Offline,
            retryable: true
        }
    );
    assert!(
        matches!(&fx[0], Effect::Warn(w) if w.contains("offline") && w.contains("/v1/snapshot"))
    );
    assert_eq!(emitted(&fx), ["hc-error"]);
    let fx = m.update(Msg::Retry);
    assert_eq!(sent(&fx), [&init()]);
    assert_eq!(m.status, Status::Loading(Stage::LoadingCache));
    let fx = m.update(error(true));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Warn(_))),
        "warned once"
    );
    m.update(ready("en"));
    m.update(error(false));
    assert_eq!(m.status, Status::Ready, "a later error keeps the index");
}

#[test]
fn the_hosts_strings_override_every_language() {
    let mut m = Model::new(Config {
        overrides: [("close".to_string(), "Done".to_string())].into(),
        ..config(true)
    });
    assert_eq!(m.text(Text::Close), "Done");
    m.update(ready("de"));
    assert_eq!(m.text(Text::Close), "Done");
    assert_eq!(m.text(Text::Back), "Zurück zu den Ergebnissen");
}

#[test]
fn the_host_opens_an_article_and_may_keep_a_result_click_for_itself() {
    let mut m = Model::new(config(true));
    m.update(Msg::Mounted { init: true });
    // openArticle(id) before the index is ready: the worker answers when
    // it can; a modal widget opens first.
    let fx = m.update(Msg::HostOpenArticle(42));
    assert!(m.open);
    assert_eq!(sent(&fx), [&ToWorker::Article { seq: 1, id: 42 }]);
    assert_eq!(emitted(&fx), ["hc-open"]);
    assert!(
        !emitted(&fx).contains(&"hc-result-click"),
        "not a visitor's click"
    );
    // A click the host cancels (no `ShowArticle` follows) asks the worker
    // for nothing.
    m.update(ready("en"));
    m.update(Msg::Input("apt".into()));
    m.update(results(1, &[4]));
    let fx = m.update(Msg::Choose(0));
    assert!(sent(&fx).is_empty());
    assert_eq!(unsaved(fx), [Effect::OfferResultClick { id: 4 }]);
}

#[test]
fn contact_support_follows_every_answer_but_not_the_suggestions() {
    let mut m = Model::new(Config {
        contact_url: Some("mailto:help@acme.example".into()),
        ..config(true)
    });
    m.update(ready("de"));
    assert!(!m.offers_contact(), "suggestions: no dead end yet");
    m.update(Msg::Input("apt".into()));
    assert!(!m.offers_contact(), "not before the answer");
    m.update(results(1, &[1, 2]));
    assert!(m.offers_contact());
    m.update(Msg::Input("zzqx".into()));
    m.update(results(2, &[]));
    assert!(m.offers_contact() && m.no_results());
    assert_eq!(
        m.update(Msg::Settled { seq: 2 }),
        [Effect::Emit(HostEvent::NoResults {
            query: "zzqx".into(),
            lang: "de".into()
        })]
    );
    assert_eq!(m.text(Text::ContactSupport), "Support kontaktieren");
    assert_eq!(m.contact_url(), Some("mailto:help@acme.example"));
    assert!(!ready_widget().offers_contact(), "no contact-url, no link");
}

#[test]
fn show_more_asks_for_more_of_the_same_query_and_lands_on_the_first_new_row() {
    let mut m = ready_widget();
    m.update(Msg::Input("apt".into()));
    m.update(Msg::Worker(FromWorker::Results {
        seq: 1,
        total: 25,
        hits: (1..=10).map(hit).collect(),
        facets: Facets::default(),
        snippets_pending: false,
    }));
    assert!(m.has_more());
    let fx = m.update(Msg::ShowMore);
    assert_eq!(
        sent(&fx),
        [&ToWorker::Search {
            seq: 2,
            query: "apt".into(),
            category: None,
            limit: 20
        }]
    );
    assert!(emitted(&fx).is_empty(), "not a new search for the host");
    assert!(fx.contains(&Effect::FocusInput));
    assert_eq!(m.rows().len(), 10, "the shown rows stay until the answer");
    let fx = m.update(Msg::Worker(FromWorker::Results {
        seq: 2,
        total: 25,
        hits: (1..=20).map(hit).collect(),
        facets: Facets::default(),
        snippets_pending: false,
    }));
    assert_eq!(m.active, Some(10));
    assert_eq!(fx, [Effect::ScrollTo(10)]);
    assert_eq!(m.live, "25 results");
    m.update(Msg::ShowMore);
    m.update(Msg::Worker(FromWorker::Results {
        seq: 3,
        total: 25,
        hits: (1..=25).map(hit).collect(),
        facets: Facets::default(),
        snippets_pending: false,
    }));
    assert!(!m.has_more(), "every hit shown");
    assert!(m.update(Msg::ShowMore).is_empty());
    // A new query starts again at ten.
    let fx = m.update(Msg::Input("apt-get".into()));
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Search {
            limit: RESULT_LIMIT,
            ..
        }]
    ));
}

#[test]
fn the_page_says_what_to_suggest_before_and_after_the_index_is_ready() {
    let mut m = Model::new(Config {
        context: Some("billing invoices".into()),
        suggest: vec![12, 40],
        ..config(true)
    });
    assert_eq!(m.suggestions_heading(), Text::Suggested);
    // Nothing to ask before there is an index; `Ready` asks.
    assert!(m.update(Msg::Suggest(vec![12, 40])).is_empty());
    let fx = m.update(ready("en"));
    assert_eq!(
        sent(&fx)[0],
        &ToWorker::Suggestions {
            seq: 0,
            limit: SUGGESTION_LIMIT,
            ids: vec![12, 40],
            context: Some("billing invoices".into()),
            path: None,
        }
    );
    // A single-page app moves on: new context, no picks.
    m.update(Msg::Suggest(Vec::new()));
    let fx = m.update(Msg::SetContext("  ".into()));
    assert_eq!(
        sent(&fx),
        [&ToWorker::Suggestions {
            seq: 0,
            limit: SUGGESTION_LIMIT,
            ids: Vec::new(),
            context: None,
            path: None,
        }]
    );
    assert_eq!(m.suggestions_heading(), Text::Popular);
    let fx = m.update(Msg::SetContext("ssh keys".into()));
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Suggestions { context: Some(c), .. }] if c == "ssh keys"
    ));
    assert_eq!(m.suggestions_heading(), Text::Suggested);
}

#[test]
fn a_prefix_that_found_nothing_on_the_way_is_not_reported() {
    let mut m = ready_widget();
    m.update(Msg::Input("qqqz".into()));
    m.update(results(1, &[]));
    m.update(Msg::Input("qqqzz".into()));
    // The visitor typed on before the second passed: seq 1 is old.
    assert!(m.update(Msg::Settled { seq: 1 }).is_empty());
    m.update(results(2, &[3]));
    assert!(m.update(Msg::Settled { seq: 2 }).is_empty(), "not empty");
    m.update(Msg::Input("".into()));
    m.update(Msg::Input("zz".into()));
    m.update(results(4, &[]));
    m.update(Msg::Input("zz ".into()));
    assert!(
        m.update(Msg::Settled { seq: 4 }).is_empty(),
        "not the newest"
    );
}

fn saved(fx: &[Effect]) -> Option<&History> {
    fx.iter().rev().find_map(|e| match e {
        Effect::SaveHistory(h) => Some(h),
        _ => None,
    })
}

fn article(seq: u32, id: i64) -> Msg {
    Msg::Worker(FromWorker::Article {
        seq,
        id,
        title: format!("Article {id}"),
        html: String::new(),
        slug: format!("article-{id}"),
        category_path: vec!["Net".into(), "Wifi".into()],
        category_ids: vec![1, 5],
    })
}

fn rows_of(m: &Model) -> Vec<(Group, Option<i64>, Option<String>)> {
    m.sections()
        .into_iter()
        .flat_map(|s| {
            s.rows.into_iter().map(move |r| match r {
                Row::Article(h) => (s.group, Some(h.id), None),
                Row::Search(q) => (s.group, None, Some(q)),
            })
        })
        .collect()
}

/// Opening a hit keeps its query, reading an article keeps the article;
/// both come back with an empty query, after the page's suggestions and
/// before the popular ones, in the language they were made in.
#[test]
fn recent_searches_and_articles_are_kept_shown_and_saved() {
    let mut m = ready_widget();
    m.update(Msg::Input("  ssh key ".into()));
    m.update(results(1, &[4, 5]));
    let fx = m.update(Msg::Choose(1));
    assert_eq!(saved(&fx).unwrap().searches[0].query, "ssh key");
    m.update(Msg::ShowArticle(5));
    let fx = m.update(article(1, 5));
    let stored = saved(&fx).unwrap();
    assert_eq!(stored.viewed[0].id, 5);
    assert_eq!(stored.viewed[0].category_path, ["Net", "Wifi"]);
    assert_eq!(m.article.as_ref().unwrap().category_ids, [1, 5]);
    m.update(Msg::Back);
    m.update(Msg::Input(String::new()));
    assert_eq!(
        rows_of(&m),
        [
            (Group::RecentSearches, None, Some("ssh key".into())),
            (Group::RecentlyViewed, Some(5), None),
            (Group::Popular, Some(7), None),
            (Group::Popular, Some(8), None),
        ]
    );
    assert!(m.offers_clear_history());
    // Suggestions the page chose come first; an article already suggested
    // is not listed twice.
    m.update(Msg::Suggest(vec![5]));
    m.update(suggestions(0, &[5, 7]));
    assert_eq!(
        rows_of(&m),
        [
            (Group::Suggested, Some(5), None),
            (Group::Suggested, Some(7), None),
            (Group::RecentSearches, None, Some("ssh key".into())),
        ]
    );
    // Another language shows its own history only.
    m.update(ready("de"));
    assert!(!m.offers_clear_history());
    // Choosing a recent search searches it again.
    m.update(ready("en"));
    let fx = m.update(Msg::Choose(2));
    assert_eq!(m.query, "ssh key");
    assert!(matches!(sent(&fx)[..], [ToWorker::Search { query, .. }] if query == "ssh key"));
    assert!(fx.contains(&Effect::FocusInput));
}

#[test]
fn history_rows_are_removed_with_delete_or_their_button_and_all_are_cleared() {
    let mut stored = History::default();
    stored.add_viewed(3, "Article 3", "en", &[]);
    stored.add_search("b", "en");
    stored.add_search("a", "en");
    let mut m = Model::new(Config {
        history: Some(stored),
        ..config(true)
    });
    m.update(ready("en"));
    m.update(suggestions(0, &[7]));
    m.update(Msg::Open);
    assert_eq!(
        rows_of(&m).iter().map(|r| r.0).collect::<Vec<_>>(),
        [
            Group::RecentSearches,
            Group::RecentSearches,
            Group::RecentlyViewed,
            Group::Popular
        ]
    );
    // Delete on a suggestion is the text's, not ours.
    m.update(Msg::Key(Key::Up));
    assert_eq!(m.active, Some(3));
    assert!(m.update(Msg::Key(Key::Delete)).is_empty());
    // Delete on the active recent search removes it; the next row is active.
    m.update(Msg::Key(Key::Home));
    let fx = m.update(Msg::Key(Key::Delete));
    assert_eq!(fx[0], Effect::PreventDefault);
    assert_eq!(saved(&fx).unwrap().searches.len(), 1);
    assert_eq!(m.active, Some(0));
    assert_eq!(m.live, "Removed from your history");
    assert_eq!(
        rows_of(&m)[0],
        (Group::RecentSearches, None, Some("b".into()))
    );
    // The ✕ of the article.
    let fx = m.update(Msg::Remove(1));
    assert!(saved(&fx).unwrap().viewed.is_empty());
    assert!(
        m.update(Msg::Remove(1)).is_empty(),
        "a popular article stays"
    );
    let fx = m.update(Msg::ClearHistory);
    assert!(saved(&fx).unwrap().is_empty());
    assert!(fx.contains(&Effect::FocusInput));
    assert_eq!(m.live, "History cleared");
    assert_eq!(rows_of(&m), [(Group::Popular, Some(7), None)]);
}

#[test]
fn history_off_shows_keeps_and_stores_nothing() {
    let mut m = Model::new(Config {
        history: None,
        ..config(true)
    });
    m.update(ready("en"));
    m.update(Msg::Input("ssh".into()));
    m.update(results(1, &[4]));
    let mut fx = m.update(Msg::Choose(0));
    fx.extend(m.update(Msg::ShowArticle(4)));
    fx.extend(m.update(article(1, 4)));
    assert!(saved(&fx).is_none());
    m.update(Msg::Input(String::new()));
    assert!(!m.offers_clear_history());
    assert!(m.update(Msg::ClearHistory).is_empty());
}

fn faceted(seq: u32, ids: &[i64], total: u32, counts: &[(i64, &str, u32)]) -> Msg {
    Msg::Worker(FromWorker::Results {
        seq,
        total,
        hits: ids.iter().map(|&id| hit(id)).collect(),
        facets: Facets {
            all: counts.iter().map(|c| c.2).sum(),
            categories: counts
                .iter()
                .map(|&(id, name, count)| hc_core::protocol::CategoryCount {
                    id,
                    name: name.into(),
                    count,
                })
                .collect(),
        },
        snippets_pending: false,
    })
}

#[test]
fn chips_filter_the_query_by_top_level_category() {
    let mut m = ready_widget();
    m.update(Msg::Input("ssh".into()));
    assert!(m.chips().is_empty(), "no answer yet");
    m.update(faceted(
        1,
        &[1, 2, 3],
        3,
        &[(10, "Net", 2), (20, "Shell", 1)],
    ));
    let chips = m.chips();
    assert_eq!(
        chips
            .iter()
            .map(|c| (c.id, c.count, c.checked))
            .collect::<Vec<_>>(),
        [(None, 3, true), (Some(10), 2, false), (Some(20), 1, false)]
    );
    // A chip asks again in its category, from ten hits.
    let fx = m.update(Msg::Filter(Some((20, "Shell".into()))));
    assert_eq!(
        sent(&fx),
        [&ToWorker::Search {
            seq: 2,
            query: "ssh".into(),
            category: Some(20),
            limit: RESULT_LIMIT
        }]
    );
    m.update(faceted(2, &[3], 1, &[(10, "Net", 2), (20, "Shell", 1)]));
    assert!(m.chips()[2].checked);
    // Typing on keeps the filter.
    let fx = m.update(Msg::Input("ssh-agent".into()));
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Search {
            category: Some(20),
            ..
        }]
    ));
    m.update(faceted(3, &[], 0, &[(10, "Net", 1)]));
    // One category left, but a filter to undo: the chips stay, the chosen
    // one with the answer's count.
    assert_eq!(
        m.chips()
            .iter()
            .map(|c| (c.id, c.count, c.checked))
            .collect::<Vec<_>>(),
        [(None, 1, false), (Some(20), 0, true), (Some(10), 1, false)]
    );
    // Arrow keys move the choice (selection follows focus) and wrap.
    let fx = m.update(Msg::ChipKey {
        key: Key::Right,
        at: 1,
    });
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Search {
            category: Some(10),
            ..
        }]
    ));
    assert_eq!(fx.last(), Some(&Effect::FocusChip(2)));
    let fx = m.update(Msg::ChipKey {
        key: Key::Right,
        at: 2,
    });
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Search { category: None, .. }]
    ));
    assert!(m
        .update(Msg::ChipKey {
            key: Key::Enter,
            at: 0
        })
        .is_empty());
    // A blank query: suggestions, no chips.
    m.update(Msg::Input(" ".into()));
    assert!(m.chips().is_empty());
}

#[test]
fn a_breadcrumb_in_the_reader_filters_the_list_by_its_category() {
    let mut m = ready_widget();
    m.update(Msg::Input("wifi".into()));
    m.update(results(1, &[4]));
    m.update(Msg::ShowArticle(4));
    m.update(article(1, 4));
    assert!(m.can_filter());
    let fx = m.update(Msg::Filter(Some((5, "Wifi".into()))));
    assert!(m.article.is_none(), "back to the list");
    assert!(fx.contains(&Effect::FocusInput));
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Search {
            category: Some(5),
            ..
        }]
    ));
    m.update(faceted(2, &[4], 1, &[(1, "Net", 1)]));
    // A subcategory is not a top-level chip: it gets one while chosen.
    assert_eq!(
        m.chips()
            .iter()
            .map(|c| (c.id, c.name.as_deref(), c.checked))
            .collect::<Vec<_>>(),
        [
            (None, None, false),
            (Some(5), Some("Wifi"), true),
            (Some(1), Some("Net"), false)
        ]
    );
}

#[test]
fn a_scoped_widget_searches_its_category_and_offers_no_filters() {
    let mut m = Model::new(Config {
        scope: Some(42),
        ..config(true)
    });
    m.update(ready("en"));
    let fx = m.update(Msg::Input("ssh".into()));
    assert!(matches!(
        sent(&fx)[..],
        [ToWorker::Search {
            category: Some(42),
            ..
        }]
    ));
    m.update(faceted(1, &[1], 1, &[(10, "Net", 2), (20, "Shell", 1)]));
    assert!(m.chips().is_empty());
    assert!(!m.can_filter());
    assert!(m.update(Msg::Filter(Some((10, "Net".into())))).is_empty());
}

/// Each headed group labels its `group` element by its own heading id
/// (the browser tests select groups by these ids).
#[test]
fn every_group_heading_has_its_own_id() {
    let all = [
        Group::Results,
        Group::Suggested,
        Group::RecentSearches,
        Group::RecentlyViewed,
        Group::Popular,
    ];
    let ids: std::collections::HashSet<&str> = all.iter().map(|g| g.heading_id()).collect();
    assert_eq!(ids.len(), all.len());
    assert_eq!(
        Group::RecentSearches.heading_id(),
        "hc-group-recentsearches"
    );
    assert_eq!(
        Group::RecentlyViewed.heading_id(),
        "hc-group-recentlyviewed"
    );
    assert_eq!(Group::Popular.heading_id(), "hc-group-popular");
}

#[test]
fn no_option_stays_active_when_suggestions_arrive_above_it() {
    let mut m = with_searches(&[("b", "en"), ("a", "en")], "en");
    m.update(Msg::SetContext("ssh".into()));
    m.update(Msg::Open);
    m.update(Msg::Key(Key::Down));
    m.update(Msg::Key(Key::Down));
    assert_eq!(
        rows_of(&m)[1],
        (Group::RecentSearches, None, Some("b".into()))
    );
    assert_eq!(m.active, Some(1));
    m.update(ready("en"));
    m.update(suggestions(0, &[5, 7]));
    assert_eq!(rows_of(&m)[1], (Group::Suggested, Some(7), None));
    assert_eq!(m.active, None, "not the suggestion that took its place");
    assert!(m.update(Msg::Key(Key::Delete)).is_empty());
    // The same suggestions again move nothing.
    m.update(Msg::Key(Key::Down));
    m.update(Msg::Key(Key::Down));
    assert_eq!(m.active, Some(1));
    m.update(suggestions(1, &[5, 7]));
    assert_eq!(m.active, Some(1));
    m.update(suggestions(2, &[9]));
    assert_eq!(m.active, None);
}

#[test]
fn a_language_served_instead_lists_its_history_with_no_option_active() {
    let mut m = with_searches(&[("bonjour", "fr"), ("hello", "en")], "fr");
    m.update(Msg::Open);
    m.update(Msg::Key(Key::Down));
    assert_eq!(
        rows_of(&m)[0],
        (Group::RecentSearches, None, Some("bonjour".into()))
    );
    assert_eq!(m.active, Some(0));
    m.update(ready("en"));
    assert_eq!(
        rows_of(&m)[0],
        (Group::RecentSearches, None, Some("hello".into()))
    );
    assert_eq!(m.active, None, "not the English search that took its place");
    assert!(m.update(Msg::Key(Key::Delete)).is_empty());
}

#[test]
fn the_language_switcher_is_drawn_after_the_first_answer_of_a_ready_index_is_painted() {
    let mut m = Model::new(config(true));
    m.update(Msg::Mounted { init: true });
    m.update(Msg::Open);
    let list = Effect::After {
        ms: 0,
        msg: Msg::ListLanguages,
    };
    assert!(!m.update(Msg::Input("apt".into())).contains(&list));
    assert!(
        !m.update(ready("en")).contains(&list),
        "the Ready itself draws nothing"
    );
    assert_eq!(m.languages, ["en", "de"]);
    assert!(m.language_choices().is_empty());
    let fx = m.update(results(m.latest, &[1]));
    assert_eq!(fx.iter().filter(|e| **e == list).count(), 1);
    assert!(m.language_choices().is_empty(), "not before the paint");
    // Asked for once.
    let fx = m.update(suggestions(0, &[7]));
    assert!(!fx.contains(&list));
    m.update(Msg::ListLanguages);
    assert_eq!(m.language_choices(), ["en", "de"]);
    // A language switch keeps it drawn.
    m.update(ready("de"));
    assert_eq!(m.language_choices(), ["en", "de"]);
}
