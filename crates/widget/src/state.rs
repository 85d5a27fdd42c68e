//! The widget's behaviour as a reducer: [`Model::update`] takes a message
//! (a keystroke, a click, an answer from the worker, a call from the host
//! page) and returns what the browser must do ([`Effect`]s). Plain Rust,
//! tested with `cargo test`; `app.rs` only renders the model and performs
//! the effects (post to the worker, dispatch DOM events, move focus).
//!
//! Whatever the panel lists is [`Model::rows`], grouped by
//! [`Model::sections`]: while the query is blank the page's suggestions,
//! the visitor's recent searches and recently viewed articles, then the
//! popular ones; otherwise the hits; nothing while the reader is open. The
//! keyboard, `aria-expanded` and the list all read it.
//!
//! Filters: the chips ([`Model::chips`]) are the top-level categories of
//! the current query's hits with their counts, from the worker's answer;
//! a chip or a breadcrumb in the reader sets the category every search
//! carries, unless the page scoped the widget to one (`category="ID"`).

use std::collections::HashMap;

use hc_core::protocol::{ErrorKind, Facets, FromWorker, SearchHit, Stage, Timing, ToWorker};

use crate::history::History;
use crate::nav::{on_key, radio_key, Action, Key, Situation};
use crate::strings::{Strings, Text};

/// Hits asked of the worker per search.
pub const RESULT_LIMIT: u16 = 10;
/// The most hits "Show more" goes to (the worker's cap).
pub const MAX_RESULTS: u16 = hc_core::protocol::MAX_SEARCH_LIMIT;
/// How long an empty answer must stay the answer before `hc-no-results`
/// fires: typing "invoic" on the way to "invoice" is not a search that
/// found nothing, and a host counting zero-result searches should not see
/// every prefix.
pub const NO_RESULTS_SETTLE_MS: u32 = 1000;

/// Suggestions asked of the worker for the empty state.
pub const SUGGESTION_LIMIT: u16 = 5;

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Loading(Stage),
    Ready,
    Failed { kind: ErrorKind, retryable: bool },
}

/// The article open in the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleView {
    pub id: i64,
    pub title: String,
    pub html: String,
    pub slug: String,
    pub category_path: Vec<String>,
    /// The ids of `category_path` (empty when unknown).
    pub category_ids: Vec<i64>,
}

/// A group of options in the list, in this order while the query is
/// blank (the suggestions go first when the page chose them, last when
/// they are only the popular ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// The hits of the query (no heading).
    Results,
    Suggested,
    RecentSearches,
    RecentlyViewed,
    Popular,
}

impl Group {
    /// The heading shown above the group.
    pub fn heading(self) -> Option<Text> {
        match self {
            Group::Results => None,
            Group::Suggested => Some(Text::Suggested),
            Group::RecentSearches => Some(Text::RecentSearches),
            Group::RecentlyViewed => Some(Text::RecentlyViewed),
            Group::Popular => Some(Text::Popular),
        }
    }

    /// The id of its heading (a fixed text: formatting the variant's name
    /// would pull Unicode case tables into the wasm).
    pub fn heading_id(self) -> &'static str {
        match self {
            Group::Results => "hc-group-results",
            Group::Suggested => "hc-group-suggested",
            Group::RecentSearches => "hc-group-recentsearches",
            Group::RecentlyViewed => "hc-group-recentlyviewed",
            Group::Popular => "hc-group-popular",
        }
    }

    /// Its options come from the visitor's history (removable).
    pub fn is_history(self) -> bool {
        matches!(self, Group::RecentSearches | Group::RecentlyViewed)
    }
}

/// One option of the list.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// An article: a hit, a suggestion or a recently viewed one.
    Article(SearchHit),
    /// A recent search: choosing it searches again.
    Search(String),
}

impl Row {
    /// The article's id (`None` for a search).
    pub fn id(&self) -> Option<i64> {
        match self {
            Row::Article(hit) => Some(hit.id),
            Row::Search(_) => None,
        }
    }
}

/// The options of one group; `start` is the position of its first option
/// in [`Model::rows`] (option ids and the keyboard count across groups).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub group: Group,
    pub start: usize,
    pub rows: Vec<Row>,
}

/// A filter chip: every category (`id` `None`, "All") or one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    pub id: Option<i64>,
    /// The category's name (`None`: "All").
    pub name: Option<String>,
    pub count: u32,
    pub checked: bool,
}

/// What the widget was configured with; fixed for its life.
#[derive(Debug, Clone)]
pub struct Config {
    /// A dialog (Escape closes it), not an inline panel.
    pub modal: bool,
    /// The `Init` message to (re)start the worker with; `None` when the
    /// page gave no usable content source.
    pub init: Option<ToWorker>,
    /// The page's own strings (`strings` attribute), by key.
    pub overrides: HashMap<String, String>,
    /// The interface language before the worker has said which it serves.
    pub ui_language: String,
    /// The "Contact support" link (`contact-url`), already checked.
    pub contact_url: Option<String>,
    /// What the page is about (`context`), for the empty state.
    pub context: Option<String>,
    /// Articles the page suggests (`suggest`), in order.
    pub suggest: Vec<i64>,
    /// The visitor's stored history; `None` with `history="off"` (nothing
    /// is shown, kept or stored).
    pub history: Option<History>,
    /// `category="ID"`: every search is in this category, and there are no
    /// filters to choose.
    pub scope: Option<i64>,
}

/// A DOM event for the host page (`hc-…`, bubbling and composed).
#[derive(Debug, Clone, PartialEq)]
pub enum HostEvent {
    Open,
    Close,
    Search {
        query: String,
    },
    /// Cancelable: `preventDefault()` keeps the reader closed, so the host
    /// can route to its own article page.
    ResultClick {
        id: i64,
    },
    ArticleView {
        id: i64,
    },
    NoResults {
        query: String,
        /// The content language searched.
        lang: String,
    },
    Ready {
        lang: String,
        articles: u32,
        from_cache: bool,
        timings: Vec<Timing>,
    },
    Error {
        kind: ErrorKind,
        message: String,
    },
}

impl HostEvent {
    /// The DOM event's name.
    pub fn name(&self) -> &'static str {
        match self {
            HostEvent::Open => "hc-open",
            HostEvent::Close => "hc-close",
            HostEvent::Search { .. } => "hc-search",
            HostEvent::ResultClick { .. } => "hc-result-click",
            HostEvent::ArticleView { .. } => "hc-article-view",
            HostEvent::NoResults { .. } => "hc-no-results",
            HostEvent::Ready { .. } => "hc-ready",
            HostEvent::Error { .. } => "hc-error",
        }
    }
}

/// What the browser side must do after an update, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Send(ToWorker),
    Emit(HostEvent),
    /// A line for the page author's console.
    Warn(String),
    /// The key was ours: the browser must not act on it too.
    PreventDefault,
    /// Note where focus is, to return it when the dialog closes.
    RememberFocus,
    /// Focus the search box (once the dialog is in the DOM).
    FocusInput,
    /// Give focus back to where it was before the dialog opened.
    RestoreFocus,
    /// Scroll the option at this position into view.
    ScrollTo(usize),
    /// Deliver `msg` once the browser has painted what is drawn now, and
    /// `ms` milliseconds after that.
    After {
        ms: u32,
        msg: Msg,
    },
    /// Dispatch the cancelable `hc-result-click` for this article and,
    /// unless the host cancels it, answer with [`Msg::ShowArticle`].
    OfferResultClick {
        id: i64,
    },
    /// Store the visitor's history (in their browser only).
    SaveHistory(History),
    /// Focus the filter chip at this position (once it is drawn).
    FocusChip(usize),
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// The widget is mounted; `init` says whether it must send the worker
    /// its `Init` (the loader may have done so already).
    Mounted {
        init: bool,
    },
    /// Open the dialog (launcher, shortcut, host `open()`).
    Open,
    /// Close the dialog (close button, backdrop, Escape, host `close()`).
    Close,
    /// The search box's text changed (typing, Escape clearing it, or the
    /// host's `search(q)`).
    Input(String),
    /// The host page's `search(q)`: opens a dialog first.
    HostSearch(String),
    /// A key the combobox handles, in the search box.
    Key(Key),
    /// The option at this position was clicked.
    Choose(usize),
    /// Open this article in the reader: the host let a result click
    /// through.
    ShowArticle(i64),
    /// The host page's `openArticle(id)`: opens a dialog first.
    HostOpenArticle(i64),
    /// "Show more results": ask for more hits of the same query.
    ShowMore,
    /// The host page's `setContext(text)`: what the page is about now
    /// (blank: nothing in particular).
    SetContext(String),
    /// The host page's `suggest(ids)`: articles for this page, in order.
    Suggest(Vec<i64>),
    /// [`NO_RESULTS_SETTLE_MS`] after search `seq` came back empty.
    Settled {
        seq: u32,
    },
    /// The first answer after the index was ready has been painted: the
    /// language switcher may be drawn.
    ListLanguages,
    /// Leave the reader for the list.
    Back,
    /// The retry button after a failed load.
    Retry,
    /// The visitor (or the host) picked a content language.
    ChooseLanguage(hc_core::LangCode),
    /// Search only in this category (a chip or a breadcrumb: its id and
    /// name), or in all (`None`).
    Filter(Option<(i64, String)>),
    /// A key on the filter chip at this position.
    ChipKey {
        key: Key,
        at: usize,
    },
    /// Remove the option at this position from the visitor's history (its
    /// ✕ was clicked).
    Remove(usize),
    /// Forget every recent search and recently viewed article.
    ClearHistory,
    Worker(FromWorker),
}

/// Where the language switcher is ([`Model::language_choices`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switcher {
    /// No answer of a ready index yet.
    Waiting,
    /// Asked for once that answer is painted.
    Coming,
    Drawn,
}

/// Every piece of UI state.
#[derive(Debug, Clone)]
pub struct Model {
    config: Config,
    pub open: bool,
    pub query: String,
    pub hits: Vec<SearchHit>,
    pub total: u32,
    /// The query the shown hits answer (for "no results for …").
    pub answered: String,
    pub suggestions: Vec<SearchHit>,
    pub active: Option<usize>,
    pub status: Status,
    pub article: Option<ArticleView>,
    /// The content language the worker serves (the interface's too).
    pub lang: String,
    /// The languages the worker serves.
    pub languages: Vec<String>,
    switcher: Switcher,
    pub strings: Strings,
    /// The live region's text.
    pub live: String,
    /// Sequence number of the newest search sent; older answers are dropped.
    latest: u32,
    /// The shown hits without a snippet may get one: the worker is
    /// fetching the text it is cut from, and will answer again.
    snippets_pending: bool,
    /// Hits asked for the current query ("Show more" raises it).
    limit: u16,
    /// After "Show more", the first new row becomes active when it arrives.
    reveal_from: Option<usize>,
    /// Sequence number of the search whose results are shown (`data-seq`
    /// on the listbox, for tests and benchmarks).
    pub shown_seq: u32,
    article_seq: u32,
    /// The first worker error also goes to the console, once.
    warned: bool,
    /// What the page is about and the articles it suggests, for the
    /// empty state (the host may change both).
    context: Option<String>,
    picks: Vec<i64>,
    history: Option<History>,
    /// The visitor's category filter (id and name).
    filter: Option<(i64, String)>,
    /// The shown answer's hits by top-level category.
    facets: Facets,
}

impl Model {
    pub fn new(config: Config) -> Model {
        let lang = config.ui_language.clone();
        Model {
            context: config.context.clone(),
            picks: config.suggest.clone(),
            history: config.history.clone(),
            filter: None,
            facets: Facets::default(),
            strings: Strings::new(&lang, &config.overrides),
            config,
            open: false,
            query: String::new(),
            hits: Vec::new(),
            total: 0,
            snippets_pending: false,
            answered: String::new(),
            suggestions: Vec::new(),
            active: None,
            status: Status::Loading(Stage::LoadingCache),
            article: None,
            lang,
            languages: Vec::new(),
            switcher: Switcher::Waiting,
            live: String::new(),
            latest: 0,
            limit: RESULT_LIMIT,
            reveal_from: None,
            shown_seq: 0,
            article_seq: 0,
            warned: false,
        }
    }

    pub fn modal(&self) -> bool {
        self.config.modal
    }

    /// Suggestions are listed while the query is blank.
    pub fn showing_suggestions(&self) -> bool {
        self.query.trim().is_empty()
    }

    /// The options the list shows, in order (see the module comment).
    pub fn rows(&self) -> Vec<Row> {
        self.sections().into_iter().flat_map(|s| s.rows).collect()
    }

    /// The options by group; empty groups are left out.
    pub fn sections(&self) -> Vec<Section> {
        let mut out: Vec<Section> = Vec::new();
        let mut push = |group, rows: Vec<Row>| {
            if !rows.is_empty() {
                let start = out.last().map_or(0, |s: &Section| s.start + s.rows.len());
                out.push(Section { group, start, rows });
            }
        };
        let articles = |hits: &[SearchHit]| hits.iter().cloned().map(Row::Article).collect();
        if self.article.is_some() {
            return out;
        }
        if !self.showing_suggestions() {
            push(Group::Results, articles(&self.hits));
            return out;
        }
        let contextual = self.suggestions_heading() == Text::Suggested;
        if contextual {
            push(Group::Suggested, articles(&self.suggestions));
        }
        if let Some(history) = &self.history {
            push(
                Group::RecentSearches,
                history
                    .searches_in(&self.lang)
                    .map(|s| Row::Search(s.query.clone()))
                    .collect(),
            );
            push(
                Group::RecentlyViewed,
                history
                    .viewed_in(&self.lang)
                    .filter(|v| !self.suggestions.iter().any(|h| h.id == v.id))
                    .map(|v| {
                        Row::Article(SearchHit {
                            id: v.id,
                            title: v.title.clone(),
                            title_highlights: Vec::new(),
                            snippet: String::new(),
                            snippet_highlights: Vec::new(),
                            category_path: v.category_path.clone(),
                            category_ids: Vec::new(),
                            slug: String::new(),
                            score: 0.0,
                        })
                    })
                    .collect(),
            );
        }
        if !contextual {
            push(Group::Popular, articles(&self.suggestions));
        }
        out
    }

    /// The group of the option at position `i`.
    pub fn group_of(&self, i: usize) -> Option<Group> {
        self.sections()
            .into_iter()
            .find(|s| (s.start..s.start + s.rows.len()).contains(&i))
            .map(|s| s.group)
    }

    /// The empty state's options change under the visitor (the history is
    /// listed before the index is ready, so the suggestions can arrive
    /// above an active recent search): no option stays active, rather
    /// than the one that took its place, which Delete would remove.
    /// Finding the same option again in the new list costs the UI's wasm
    /// about 600 B brotli, more than its 150 KB budget has left.
    fn forget_active_option(&mut self) {
        if self.showing_suggestions() {
            self.active = None;
        }
    }

    /// "Clear history" is offered while history is listed.
    pub fn offers_clear_history(&self) -> bool {
        self.sections().iter().any(|s| s.group.is_history())
    }

    /// The filter chips: "All" and the top-level categories of the current
    /// query's hits, shown while there is a query and either a choice
    /// between two categories or a filter to undo; none in a scoped widget.
    pub fn chips(&self) -> Vec<Chip> {
        let filter = self.filter.as_ref().map(|(id, _)| *id);
        if self.config.scope.is_some()
            || self.showing_suggestions()
            || self.article.is_some()
            || (self.facets.categories.len() < 2 && filter.is_none())
        {
            return Vec::new();
        }
        let mut chips = vec![Chip {
            id: None,
            name: None,
            count: self.facets.all,
            checked: filter.is_none(),
        }];
        if let Some((id, name)) = &self.filter {
            if !self.facets.categories.iter().any(|c| c.id == *id) {
                chips.push(Chip {
                    id: Some(*id),
                    name: Some(name.clone()),
                    count: self.total,
                    checked: true,
                });
            }
        }
        chips.extend(self.facets.categories.iter().map(|c| Chip {
            id: Some(c.id),
            name: Some(c.name.clone()),
            count: c.count,
            checked: filter == Some(c.id),
        }));
        chips
    }

    /// A breadcrumb in the reader filters by its category: there is a
    /// query to filter and the widget is not scoped.
    pub fn can_filter(&self) -> bool {
        self.config.scope.is_none() && !self.showing_suggestions()
    }

    /// The category searches are limited to.
    pub fn category(&self) -> Option<i64> {
        self.config
            .scope
            .or(self.filter.as_ref().map(|(id, _)| *id))
    }

    /// Where "Contact support" leads, when the page gave one.
    pub fn contact_url(&self) -> Option<&str> {
        self.config.contact_url.as_deref()
    }

    /// "Contact support" is offered under every answer to a query (empty or
    /// not), never under the suggestions: no dead ends.
    pub fn offers_contact(&self) -> bool {
        self.config.contact_url.is_some()
            && !self.showing_suggestions()
            && self.status == Status::Ready
            && self.answered == self.query
    }

    /// The suggestions' heading: the page's own when it said what it is
    /// about or suggested articles, else the popular ones.
    pub fn suggestions_heading(&self) -> Text {
        let contextual = !self.picks.is_empty()
            || self
                .context
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty());
        if contextual {
            Text::Suggested
        } else {
            Text::Popular
        }
    }

    /// The hits shown that have no snippet keep its room: their snippets
    /// are on their way (`FromWorker::Results::snippets_pending`), and a
    /// row that grows when they land moves the rows under it.
    pub fn keeps_snippet_room(&self) -> bool {
        self.snippets_pending && !self.showing_suggestions()
    }

    /// More hits than shown answer the current query ("Show more").
    pub fn has_more(&self) -> bool {
        !self.showing_suggestions()
            && self.article.is_none()
            && self.answered == self.query
            && (self.hits.len() as u64) < u64::from(self.total)
            && self.limit < MAX_RESULTS
    }

    /// "No results for …": the shown answer is for the current query and
    /// is empty.
    pub fn no_results(&self) -> bool {
        !self.showing_suggestions()
            && self.status == Status::Ready
            && self.hits.is_empty()
            && self.answered == self.query
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        match msg {
            Msg::Mounted { init } => {
                if init || self.config.init.is_none() {
                    self.start_worker(&mut fx);
                }
            }
            Msg::Open => self.open(&mut fx),
            Msg::Close => self.close(&mut fx),
            Msg::Input(text) => self.search(text, &mut fx),
            Msg::HostSearch(text) => {
                if self.config.modal {
                    self.open(&mut fx);
                }
                self.search(text, &mut fx);
            }
            Msg::Key(key) => self.key(key, &mut fx),
            Msg::Choose(i) => self.choose(i, &mut fx),
            Msg::ShowArticle(id) => self.request_article(id, &mut fx),
            Msg::ShowMore => {
                if self.has_more() {
                    self.limit = self.limit.saturating_mul(2).min(MAX_RESULTS);
                    self.reveal_from = Some(self.hits.len());
                    self.ask(&mut fx);
                    fx.push(Effect::FocusInput);
                }
            }
            Msg::Settled { seq } => {
                // Still the newest search, still shown, still empty.
                if seq == self.latest && self.shown_seq == seq && self.hits.is_empty() {
                    fx.push(Effect::Emit(HostEvent::NoResults {
                        query: self.query.clone(),
                        lang: self.lang.clone(),
                    }));
                }
            }
            Msg::SetContext(text) => {
                self.context = Some(text).filter(|t| !t.trim().is_empty());
                self.ask_suggestions(&mut fx);
            }
            Msg::Suggest(ids) => {
                self.picks = ids;
                self.ask_suggestions(&mut fx);
            }
            Msg::HostOpenArticle(id) => {
                if self.config.modal {
                    self.open(&mut fx);
                }
                self.active = None;
                self.request_article(id, &mut fx);
            }
            Msg::Back => self.article = None,
            Msg::Retry => self.start_worker(&mut fx),
            Msg::ChooseLanguage(lang) => fx.push(Effect::Send(ToWorker::SetLanguage { lang })),
            Msg::Filter(filter) => self.set_filter(filter, &mut fx),
            Msg::ChipKey { key, at } => {
                let chips = self.chips();
                if let Some(next) = radio_key(key, at, chips.len()) {
                    fx.push(Effect::PreventDefault);
                    let chip = &chips[next];
                    let filter = chip.id.zip(chip.name.clone());
                    self.set_filter(filter, &mut fx);
                    fx.push(Effect::FocusChip(next));
                }
            }
            Msg::Remove(i) => self.remove(i, &mut fx),
            Msg::ClearHistory => {
                if let Some(history) = &mut self.history {
                    *history = History::default();
                    fx.push(Effect::SaveHistory(history.clone()));
                    self.active = None;
                    self.live = self.strings.get(Text::HistoryCleared);
                    fx.push(Effect::FocusInput);
                }
            }
            Msg::ListLanguages => self.switcher = Switcher::Drawn,
            Msg::Worker(answer) => {
                // The first such answer of a ready index: the switcher
                // is still waiting for it.
                let an_answer = matches!(
                    answer,
                    FromWorker::Results { .. } | FromWorker::Suggestions { .. }
                );
                self.answer(answer, &mut fx);
                if an_answer && self.status == Status::Ready && self.switcher == Switcher::Waiting {
                    self.switcher = Switcher::Coming;
                    fx.push(Effect::After {
                        ms: 0,
                        msg: Msg::ListLanguages,
                    });
                }
            }
        }
        fx
    }

    /// The languages the switcher offers: none until the first answer
    /// after the index was ready has been painted. Drawing the `<select>`
    /// (it measures every option's name, some in scripts a machine may
    /// have no font for) took 18–25 ms of layout in a new renderer
    /// process, which delayed the first results of a new tab by as much
    /// (this crate's README, "The language switcher after the first
    /// answer").
    pub fn language_choices(&self) -> &[String] {
        match self.switcher {
            Switcher::Drawn => &self.languages,
            Switcher::Waiting | Switcher::Coming => &[],
        }
    }

    /// A new category filter: the current query is asked again (from ten
    /// hits), and a breadcrumb's click leaves the reader for the list.
    fn set_filter(&mut self, filter: Option<(i64, String)>, fx: &mut Vec<Effect>) {
        if self.config.scope.is_some() {
            return;
        }
        let changed = self.filter.as_ref().map(|f| f.0) != filter.as_ref().map(|f| f.0);
        self.filter = filter;
        if self.article.take().is_some() {
            fx.push(Effect::FocusInput);
        }
        if changed && !self.showing_suggestions() {
            self.active = None;
            self.limit = RESULT_LIMIT;
            self.reveal_from = None;
            self.ask(fx);
        }
    }

    /// Removes the history option at `i` (a recent search or article);
    /// the option that takes its place becomes active.
    fn remove(&mut self, i: usize, fx: &mut Vec<Effect>) {
        let Some(group) = self.group_of(i).filter(|g| g.is_history()) else {
            return;
        };
        let row = self.rows().into_iter().nth(i);
        let lang = self.lang.clone();
        let Some(history) = &mut self.history else {
            return;
        };
        match (group, row) {
            (Group::RecentSearches, Some(Row::Search(q))) => history.remove_search(&q, &lang),
            (Group::RecentlyViewed, Some(Row::Article(hit))) => {
                history.remove_viewed(hit.id, &lang)
            }
            _ => return,
        }
        fx.push(Effect::SaveHistory(history.clone()));
        self.live = self.strings.get(Text::Removed);
        if self.active.is_some() {
            let len = self.rows().len();
            self.active = len.checked_sub(1).map(|last| i.min(last));
            if let Some(a) = self.active {
                fx.push(Effect::ScrollTo(a));
            }
        }
    }

    fn start_worker(&mut self, fx: &mut Vec<Effect>) {
        match &self.config.init {
            Some(init) => {
                self.status = Status::Loading(Stage::LoadingCache);
                fx.push(Effect::Send(init.clone()));
            }
            None => {
                self.status = Status::Failed {
                    kind: ErrorKind::Unavailable,
                    retryable: false,
                }
            }
        }
    }

    fn open(&mut self, fx: &mut Vec<Effect>) {
        if self.open {
            return;
        }
        fx.push(Effect::RememberFocus);
        self.open = true;
        fx.push(Effect::FocusInput);
        fx.push(Effect::Emit(HostEvent::Open));
    }

    fn close(&mut self, fx: &mut Vec<Effect>) {
        if !self.open {
            return;
        }
        self.open = false;
        self.article = None;
        self.active = None;
        fx.push(Effect::RestoreFocus);
        fx.push(Effect::Emit(HostEvent::Close));
    }

    fn search(&mut self, text: String, fx: &mut Vec<Effect>) {
        self.query = text;
        self.active = None;
        self.article = None;
        self.limit = RESULT_LIMIT;
        self.reveal_from = None;
        if self.showing_suggestions() {
            self.latest += 1;
            self.hits.clear();
            self.total = 0;
            self.facets = Facets::default();
            self.answered.clear();
            self.live.clear();
            return;
        }
        self.ask(fx);
        fx.push(Effect::Emit(HostEvent::Search {
            query: self.query.clone(),
        }));
    }

    /// Asks the worker for the empty state's articles (once it has an
    /// index; `Ready` asks again).
    fn ask_suggestions(&mut self, fx: &mut Vec<Effect>) {
        if self.status != Status::Ready {
            return;
        }
        fx.push(Effect::Send(ToWorker::Suggestions {
            seq: self.latest,
            limit: SUGGESTION_LIMIT,
            ids: self.picks.clone(),
            context: self.context.clone(),
            // Filled in by the glue from `location.pathname` when sent.
            path: None,
        }));
    }

    /// Sends the current query with the current limit as the newest search.
    fn ask(&mut self, fx: &mut Vec<Effect>) {
        self.latest += 1;
        fx.push(Effect::Send(ToWorker::Search {
            seq: self.latest,
            query: self.query.clone(),
            category: self.category(),
            limit: self.limit,
        }));
    }

    /// An option chosen: an article is offered to the host (then read); a
    /// recent search is searched again. Opening a hit keeps its query as a
    /// recent search.
    fn choose(&mut self, i: usize, fx: &mut Vec<Effect>) {
        match self.rows().into_iter().nth(i) {
            Some(Row::Article(hit)) => {
                if !self.showing_suggestions() {
                    if let Some(history) = &mut self.history {
                        history.add_search(&self.query, &self.lang);
                        fx.push(Effect::SaveHistory(history.clone()));
                    }
                }
                fx.push(Effect::OfferResultClick { id: hit.id });
            }
            Some(Row::Search(query)) => {
                self.search(query, fx);
                fx.push(Effect::FocusInput);
            }
            None => {}
        }
    }

    fn request_article(&mut self, id: i64, fx: &mut Vec<Effect>) {
        self.article_seq += 1;
        fx.push(Effect::Send(ToWorker::Article {
            seq: self.article_seq,
            id,
        }));
    }

    fn key(&mut self, key: Key, fx: &mut Vec<Effect>) {
        let situation = Situation {
            active: self.active,
            options: self.rows().len(),
            query_empty: self.query.is_empty(),
            reader_open: self.article.is_some(),
            modal: self.config.modal,
            removable: self
                .active
                .and_then(|i| self.group_of(i))
                .is_some_and(Group::is_history),
        };
        let action = on_key(key, situation);
        if action != Action::Ignore {
            fx.push(Effect::PreventDefault);
        }
        match action {
            Action::Activate(i) => {
                self.active = i;
                if let Some(i) = i {
                    fx.push(Effect::ScrollTo(i));
                }
            }
            Action::Open(i) => self.choose(i, fx),
            Action::Back => self.article = None,
            Action::Clear => self.search(String::new(), fx),
            Action::Close => self.close(fx),
            Action::Remove(i) => self.remove(i, fx),
            Action::Ignore => {}
        }
    }

    fn answer(&mut self, answer: FromWorker, fx: &mut Vec<Effect>) {
        match answer {
            FromWorker::Progress { stage } => {
                if self.status != Status::Ready {
                    self.status = Status::Loading(stage);
                }
            }
            FromWorker::Ready {
                lang,
                languages,
                articles,
                from_cache,
                timings,
            } => {
                self.status = Status::Ready;
                // The language served may not be the one asked for: its
                // history is listed instead.
                let lang = lang.to_string();
                if lang != self.lang {
                    self.forget_active_option();
                }
                self.lang = lang;
                self.languages = languages.iter().map(ToString::to_string).collect();
                self.strings = Strings::new(&self.lang, &self.config.overrides);
                self.ask_suggestions(fx);
                // Shown results came from the previous index (a language
                // switch): ask again. A search still unanswered is waiting
                // in the worker, which answers it right after this `Ready`;
                // asking again would only queue a second search behind
                // whatever the worker does next (writing the pack).
                if !self.showing_suggestions() && self.shown_seq == self.latest {
                    self.search(self.query.clone(), fx);
                }
                fx.push(Effect::Emit(HostEvent::Ready {
                    lang: self.lang.clone(),
                    articles,
                    from_cache,
                    timings,
                }));
            }
            FromWorker::Suggestions { hits, .. } => {
                if !hits
                    .iter()
                    .map(|h| h.id)
                    .eq(self.suggestions.iter().map(|h| h.id))
                {
                    self.forget_active_option();
                }
                self.suggestions = hits;
            }
            FromWorker::Results {
                seq,
                total,
                hits,
                facets,
                snippets_pending,
            } => {
                if seq != self.latest {
                    return; // stale: a newer search is on its way
                }
                self.live = if total == 0 {
                    self.strings.no_results(&self.query)
                } else {
                    self.strings.count(total)
                };
                if total == 0 {
                    fx.push(Effect::After {
                        ms: NO_RESULTS_SETTLE_MS,
                        msg: Msg::Settled { seq },
                    });
                }
                self.total = total;
                self.hits = hits;
                self.snippets_pending = snippets_pending;
                self.facets = facets;
                self.answered = self.query.clone();
                self.shown_seq = seq;
                if let Some(i) = self.reveal_from.take().filter(|&i| i < self.hits.len()) {
                    self.active = Some(i);
                    fx.push(Effect::ScrollTo(i));
                }
            }
            FromWorker::Article {
                seq,
                id,
                title,
                html,
                slug,
                category_path,
                category_ids,
            } => {
                if seq != self.article_seq {
                    return;
                }
                fx.push(Effect::Emit(HostEvent::ArticleView { id }));
                if let Some(history) = &mut self.history {
                    history.add_viewed(id, &title, &self.lang, &category_path);
                    fx.push(Effect::SaveHistory(history.clone()));
                }
                self.live = title.clone();
                self.article = Some(ArticleView {
                    id,
                    title,
                    html,
                    slug,
                    category_path,
                    category_ids,
                });
            }
            FromWorker::Error {
                kind,
                message,
                retryable,
                ..
            } => {
                if self.status != Status::Ready {
                    self.status = Status::Failed { kind, retryable };
                }
                if !std::mem::replace(&mut self.warned, true) {
                    fx.push(Effect::Warn(format!(
                        "hc-search: {} ({message})",
                        kind.as_str()
                    )));
                }
                fx.push(Effect::Emit(HostEvent::Error { kind, message }));
            }
        }
    }

    /// The text of `key` in the current language.
    pub fn text(&self, key: Text) -> String {
        self.strings.get(key)
    }
}

#[cfg(test)]
mod tests;
