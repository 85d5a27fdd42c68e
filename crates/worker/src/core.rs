//! The worker's state machine, free of browser APIs: which engine is
//! loaded, what to answer to each message, which searches wait for the
//! engine, and which pieces of article text the answers wait for (a pack's
//! texts travel in pieces, `hc_engine::container`). The wasm glue feeds it
//! messages and performs the I/O it asks for.

use std::collections::BTreeSet;

use hc_core::protocol::{ErrorKind, FromWorker, SearchHit, ToWorker};
use hc_core::static_site::sibling_url;
use hc_core::LangCode;
use hc_engine::{Engine, SearchOptions, SearchResults};

use crate::reader::ReaderDocs;

/// Hits a search may ask for at most.
pub const MAX_LIMIT: u16 = hc_core::protocol::MAX_SEARCH_LIMIT;

/// A loaded language: its engine and reader documents.
pub struct Loaded {
    pub lang: LangCode,
    pub engine: Engine,
    /// `None` until they are decoded: a warm start installs the engine
    /// first, so that the first search does not wait for the documents only
    /// the reader and the suggestions need. Those requests wait instead,
    /// until [`WorkerCore::set_reader`].
    pub reader: Option<ReaderDocs>,
    /// The URL of the pack whose pieces of text are served beside it, once
    /// known (a warm start learns it from `packs.json`); `None` for texts
    /// that are all here.
    pub pack_url: Option<String>,
}

/// A piece of the loaded engine's article texts to fetch: the glue hands
/// the result to [`WorkerCore::piece_fetched`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceFetch {
    pub url: String,
    /// The piece's file name: a piece that arrives for another engine
    /// (the language or the content changed meanwhile) is dropped.
    pub file: String,
    pub piece: u32,
    /// A chunk of the index or the chunks' bundle, not a piece of text: an
    /// answer waits for it or it is the rest of the index, so it does not
    /// count as a round of the pieces of text the glue spaces out.
    pub index_chunk: bool,
}

/// The loaded engine's pieces of text the answers wait for.
#[derive(Default)]
struct Pieces {
    /// Wanted, not asked for yet.
    wanted: BTreeSet<u32>,
    in_flight: BTreeSet<u32>,
    /// Arrived damaged or not this pack's: not asked for again, except
    /// when the visitor opens (or retries) an article of one. A piece that
    /// could not be fetched (offline, 429) is asked for again by the next
    /// answer that needs it; a chunk of the index, by the next search
    /// the visitor makes (see `unreachable`).
    failed: BTreeSet<u32>,
    /// Chunks of the index among `failed` because they could not be
    /// fetched: the search that waited for them is answered without them
    /// (searching again would ask for them again at once, in a loop while
    /// offline), and the visitor's next search asks for them again.
    unreachable: BTreeSet<u32>,
    /// The last search's answer, while it lacks pieces: given again, its
    /// snippets filled in, once they have arrived.
    last_answer: Option<(u32, SearchResults)>,
    /// Articles waiting for their piece: (seq, id, piece).
    articles: Vec<(u32, i64, u32)>,
    /// The suggestions asked for last, while the search of their page's
    /// context waits for chunks of the index.
    suggestions: Option<ToWorker>,
    /// The bundle of the index chunks was attached and the cache entry has
    /// not been told yet ([`WorkerCore::take_chunks_completed`]).
    completed: bool,
}

impl Pieces {
    /// The pieces an answer needs replace those a superseded answer
    /// wanted and that were not asked for yet (typing on, the visitor
    /// never sees those hits): only the articles' stay.
    fn want_for_answer(&mut self, pieces: &[u32]) {
        self.wanted.clear();
        let articles: Vec<u32> = self.articles.iter().map(|a| a.2).collect();
        self.want(&articles);
        self.want(pieces);
    }

    fn want(&mut self, pieces: &[u32]) {
        for p in pieces {
            if !self.in_flight.contains(p) && !self.failed.contains(p) {
                self.wanted.insert(*p);
            }
        }
    }

    fn pending(&self, p: u32) -> bool {
        self.wanted.contains(&p) || self.in_flight.contains(&p)
    }

    /// Asks again for the chunks of the index that could not be fetched.
    fn retry_unreachable(&mut self) {
        for p in std::mem::take(&mut self.unreachable) {
            self.failed.remove(&p);
        }
    }
}

#[derive(Default)]
pub struct WorkerCore {
    loaded: Option<Loaded>,
    /// The newest search that arrived before the engine was ready; older
    /// ones are superseded (the widget only shows the newest anyway).
    waiting_search: Option<ToWorker>,
    /// Other requests that arrived before the engine was ready.
    waiting_other: Vec<ToWorker>,
    /// The last search answered: answered again, with snippets, when the
    /// pieces of text its hits lacked arrive ([`WorkerCore::piece_fetched`]).
    last_search: Option<ToWorker>,
    pieces: Pieces,
    /// The visitor searches (a search was answered, or the widget sent
    /// `Intent`): the rest of the index chunks is worth fetching
    /// ([`WorkerCore::bundle_due`]). Kept across loads: a visitor who
    /// searched or opened the dialog searches in the next language too.
    visitor_searches: bool,
}

impl WorkerCore {
    pub fn is_ready(&self) -> bool {
        self.loaded.is_some()
    }

    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// Swaps in a (new) index and answers everything that waited for one.
    pub fn install(&mut self, loaded: Loaded) -> Vec<FromWorker> {
        self.loaded = Some(loaded);
        self.pieces = Pieces::default();
        let waiting: Vec<ToWorker> = self
            .waiting_other
            .drain(..)
            .chain(self.waiting_search.take())
            .collect();
        waiting.into_iter().filter_map(|m| self.answer(m)).collect()
    }

    /// Hands the loaded engine its reader documents (see [`Loaded::reader`])
    /// and answers the requests that waited for them. Nothing happens when no
    /// engine is loaded (the load they belonged to was superseded).
    pub fn set_reader(&mut self, reader: ReaderDocs) -> Vec<FromWorker> {
        let Some(loaded) = &mut self.loaded else {
            return Vec::new();
        };
        loaded.reader = Some(reader);
        let waiting = std::mem::take(&mut self.waiting_other);
        waiting.into_iter().filter_map(|m| self.answer(m)).collect()
    }

    /// Tells the loaded engine where its pack is (its pieces of text are
    /// served beside it): a warm start learns it from `packs.json`.
    pub fn set_pack_url(&mut self, url: String) {
        if let Some(loaded) = &mut self.loaded {
            loaded.pack_url = Some(url);
        }
    }

    /// Whether a chunk of the index is wanted (an answer waits for
    /// it) or their bundle is due: fetched at once.
    pub fn chunks_wanted(&self) -> bool {
        self.bundle_due().is_some()
            || self.loaded.as_ref().is_some_and(|l| {
                let first_chunk = l.engine.text_pieces();
                self.pieces.wanted.iter().any(|&p| p >= first_chunk)
            })
    }

    /// The bundle of the index chunks, when it is time to fetch it: the
    /// visitor searches (a search was answered, or the widget told of
    /// their intent: an index preloaded while the page was idle then has
    /// every chunk before the first keystroke), nothing an answer waits
    /// for is wanted or on its way, and some chunk is not here. One
    /// request then brings every chunk, so that later keystrokes wait for
    /// none (and a proxy's rate limit sees one request, not one per
    /// chunk). Not while a chunk could not be fetched (offline, say): the
    /// bundle, like that chunk, is asked for again after the visitor's
    /// next search. Not before: a page that preloads the index and is
    /// never searched fetches no chunk.
    fn bundle_due(&self) -> Option<u32> {
        let loaded = self.loaded.as_ref()?;
        let bundle = loaded.engine.chunks_bundle()?;
        let idle = self.pieces.wanted.is_empty() && self.pieces.in_flight.is_empty();
        (idle
            && self.visitor_searches
            && self.pieces.unreachable.is_empty()
            && loaded.pack_url.is_some()
            && !self.pieces.failed.contains(&bundle)
            && !loaded.engine.has_piece(bundle))
        .then_some(bundle)
    }

    /// Whether the bundle of the index chunks arrived since this was last
    /// asked: the cache entry, written before, lacks chunks it now has.
    pub fn take_chunks_completed(&mut self) -> bool {
        std::mem::take(&mut self.pieces.completed)
    }

    /// Whether pieces of text are wanted or on their way.
    pub fn pieces_pending(&self) -> bool {
        !self.pieces.wanted.is_empty() || !self.pieces.in_flight.is_empty()
    }

    /// The pieces of text to fetch now (each asked for once); none until
    /// the pack's URL is known.
    pub fn take_piece_fetches(&mut self) -> Vec<PieceFetch> {
        let Some(loaded) = &self.loaded else {
            return Vec::new();
        };
        let Some(pack_url) = &loaded.pack_url else {
            return Vec::new();
        };
        let bundle = self.bundle_due();
        let mut wanted = std::mem::take(&mut self.pieces.wanted);
        wanted.extend(bundle);
        self.pieces.in_flight.extend(&wanted);
        wanted
            .into_iter()
            .filter_map(|piece| {
                let file = loaded.engine.piece_file(piece)?;
                Some(PieceFetch {
                    url: sibling_url(pack_url, &file),
                    file,
                    piece,
                    index_chunk: piece >= loaded.engine.text_pieces(),
                })
            })
            .collect()
    }

    /// A piece of text fetched (its file's bytes) or not (why: a failed
    /// request, which a later answer may ask for again): attached
    /// to the engine of `stem` if that is still the loaded one, then the
    /// answers that waited for it: the last search again once every piece
    /// it lacked has settled, and the articles of that piece. The error,
    /// if any, is for the console.
    pub fn piece_fetched(
        &mut self,
        file: &str,
        piece: u32,
        result: Result<Vec<u8>, String>,
    ) -> (Vec<FromWorker>, Option<String>) {
        let Some(loaded) = &self.loaded else {
            return (Vec::new(), None);
        };
        if loaded.engine.piece_file(piece).as_deref() != Some(file)
            || !self.pieces.in_flight.remove(&piece)
        {
            return (Vec::new(), None);
        }
        let chunk = piece >= loaded.engine.text_pieces();
        let bundle = loaded.engine.chunks_bundle() == Some(piece);
        let error = match result {
            Ok(bytes) => match loaded.engine.attach_piece(piece, &bytes) {
                Ok(()) => {
                    self.pieces.completed |= bundle;
                    Ok(())
                }
                Err(e) => {
                    self.pieces.failed.insert(piece);
                    Err(e.to_string())
                }
            },
            Err(e) => {
                if chunk {
                    self.pieces.failed.insert(piece);
                    self.pieces.unreachable.insert(piece);
                }
                Err(e)
            }
        };
        let mut answers = Vec::new();
        let error = error.err().map(|e| {
            if bundle {
                format!(
                    "hc-search: the rest of the index could not be loaded ahead, searches fetch the parts they read ({e})"
                )
            } else if chunk {
                format!(
                    "hc-search: a chunk of the index could not be loaded, answers lack the words it holds ({e})"
                )
            } else {
                format!(
                    "hc-search: a piece of the article texts could not be loaded, its hits show no snippet ({e})"
                )
            }
        });
        let settled = self.pieces.last_answer.as_ref().is_some_and(|(_, r)| {
            r.pieces_missing.contains(&piece)
                && !r.pieces_missing.iter().any(|p| self.pieces.pending(*p))
        });
        let settled = if settled {
            self.pieces.last_answer.take()
        } else {
            None
        };
        if let Some((seq, mut results)) = settled {
            // Cheaper than searching again (a one-letter prefix walks many
            // terms), and the same answer; a query with phrases, or one
            // that lacked chunks of the index, is searched again.
            if self
                .loaded
                .as_ref()
                .is_some_and(|l| l.engine.fill_snippets(&mut results))
            {
                answers.push(results_message(seq, &results, &self.pieces));
                self.keep_if_lacking(seq, results);
            } else {
                answers.extend(self.last_search.clone().and_then(|s| self.search(s)));
            }
        }
        // Suggestions that waited are composed again (and wait again if
        // their context's search still lacks chunks on their way).
        if let Some(msg) = self.pieces.suggestions.take() {
            answers.extend(self.search(msg));
        }
        let articles = std::mem::take(&mut self.pieces.articles);
        for (seq, id, p) in articles {
            if p != piece {
                self.pieces.articles.push((seq, id, p));
            } else if error.is_some() {
                answers.push(article_unavailable(seq, id, "could not be loaded", true));
            } else {
                answers.extend(self.answer(ToWorker::Article { seq, id }));
            }
        }
        (answers, error)
    }

    /// Drops the index (language change): later queries wait for the next.
    pub fn unload(&mut self) {
        self.loaded = None;
        self.pieces = Pieces::default();
    }

    /// Answers a query message now, or keeps it until an index is installed.
    /// `Init` and `SetLanguage` are the glue's business and yield nothing;
    /// nor does `Intent`, which makes the bundle of the index chunks due
    /// ([`WorkerCore::bundle_due`]). A search the visitor makes asks again
    /// for the chunks of the index that could not be fetched.
    pub fn answer(&mut self, msg: ToWorker) -> Option<FromWorker> {
        match msg {
            ToWorker::Intent => {
                self.visitor_searches = true;
                return None;
            }
            ToWorker::Search { .. } => self.pieces.retry_unreachable(),
            _ => {}
        }
        self.search(msg)
    }

    /// [`WorkerCore::answer`], as a search is answered again when what it
    /// waited for has settled.
    fn search(&mut self, msg: ToWorker) -> Option<FromWorker> {
        let Some(loaded) = &self.loaded else {
            match msg {
                ToWorker::Search { .. } => self.waiting_search = Some(msg),
                ToWorker::Article { .. } | ToWorker::Suggestions { .. } => {
                    self.waiting_other.push(msg)
                }
                _ => {}
            }
            return None;
        };
        let reader = match (&msg, &loaded.reader) {
            (ToWorker::Article { .. } | ToWorker::Suggestions { .. }, None) => {
                self.waiting_other.push(msg);
                return None;
            }
            (_, reader) => reader,
        };
        // Suggestions are asked for again as they were if their context's
        // search waits for chunks of the index.
        let suggestions = matches!(msg, ToWorker::Suggestions { .. }).then(|| msg.clone());
        match msg {
            ToWorker::Search {
                seq,
                query,
                category,
                limit,
            } => {
                let opts = SearchOptions {
                    limit: usize::from(limit.clamp(1, MAX_LIMIT)),
                    category,
                };
                let results = loaded.engine.search(&query, &opts);
                // An answer lacking chunks of the index is searched again
                // when they arrive: until then its hits (too few) need no
                // text.
                self.pieces.want_for_answer(if results.lacks_chunks() {
                    results.chunks_missing()
                } else {
                    &results.pieces_missing
                });
                self.last_search = Some(ToWorker::Search {
                    seq,
                    query,
                    category,
                    limit,
                });
                self.pieces.last_answer = None;
                // An answer without chunks on their way is not given: the
                // widget would show too few hits, then the right ones. It is
                // searched again when they arrive; without them if they
                // cannot be fetched.
                let waits = results
                    .chunks_missing()
                    .iter()
                    .any(|&p| self.pieces.pending(p));
                let message = (!waits).then(|| results_message(seq, &results, &self.pieces));
                self.visitor_searches |= message.is_some();
                self.keep_if_lacking(seq, results);
                message
            }
            ToWorker::Article { seq, id } => {
                // An article whose piece of text is on its way waits for it;
                // one that failed is asked for again (the visitor opened or
                // retried it).
                if let Some(p) = reader.as_ref().and_then(|r| r.missing(id)) {
                    self.pieces.failed.remove(&p);
                    self.pieces.want(&[p]);
                    self.pieces.articles.push((seq, id, p));
                    return None;
                }
                Some(
                    match reader
                        .as_ref()
                        .and_then(|r| Some((r.get(id)?, r.html(id)?)))
                    {
                        Some((doc, html)) => FromWorker::Article {
                            seq,
                            id,
                            title: doc.title.to_string(),
                            html,
                            slug: doc.slug(),
                            category_path: doc.category_path.to_vec(),
                            category_ids: doc.category_ids(),
                        },
                        None => article_unavailable(
                            seq,
                            id,
                            &format!("is not available in {}", loaded.lang),
                            false,
                        ),
                    },
                )
            }
            ToWorker::Suggestions {
                seq,
                limit,
                mut ids,
                mut context,
                path,
            } => {
                let limit = usize::from(limit.clamp(1, MAX_LIMIT));
                // The site's rule for this page: the page's own picks and
                // context come first.
                let rule = path
                    .as_deref()
                    .and_then(|p| hc_core::page_rules::first_match(loaded.engine.page_rules(), p));
                if let Some(rule) = rule {
                    ids.extend(&rule.ids);
                    if context.as_deref().is_none_or(|c| c.trim().is_empty()) {
                        context.clone_from(&rule.query);
                    }
                }
                let listed = |d: crate::reader::ReaderDoc<'_>| SearchHit {
                    id: d.id,
                    title: d.title.to_string(),
                    title_highlights: Vec::new(),
                    snippet: String::new(),
                    snippet_highlights: Vec::new(),
                    category_path: d.category_path.to_vec(),
                    category_ids: d.category_ids(),
                    slug: d.slug(),
                    score: 0.0,
                };
                let context_hits = match context.as_deref().map(str::trim) {
                    Some(text) if !text.is_empty() => {
                        let opts = SearchOptions {
                            limit,
                            category: None,
                        };
                        // Listed like the popular ones: the page's words
                        // are not the visitor's, so nothing is marked.
                        let answer = loaded.engine.search(text, &opts);
                        // Without the chunks of the index it read, the
                        // context's matches would be missing: wait for them
                        // (unless they cannot be fetched).
                        let chunks = answer.chunks_missing();
                        self.pieces.want(chunks);
                        if chunks.iter().any(|&p| self.pieces.pending(p)) {
                            self.pieces.suggestions = suggestions;
                            return None;
                        }
                        let mut hits = answer.hits;
                        for h in &mut hits {
                            h.title_highlights.clear();
                            h.snippet.clear();
                            h.snippet_highlights.clear();
                        }
                        hits
                    }
                    _ => Vec::new(),
                };
                let popular = reader
                    .iter()
                    .flat_map(|r| r.most_viewed(limit))
                    .map(listed)
                    .collect();
                let hits = crate::suggest::compose(
                    &ids,
                    |id| reader.as_ref().and_then(|r| r.get(id)).map(listed),
                    context_hits,
                    popular,
                    limit,
                );
                Some(FromWorker::Suggestions { seq, hits })
            }
            ToWorker::Init { .. } | ToWorker::SetLanguage { .. } | ToWorker::Intent => None,
        }
    }
}

impl WorkerCore {
    /// Keeps the answer to search `seq` while it lacks pieces of text
    /// (see [`Pieces::last_answer`]).
    fn keep_if_lacking(&mut self, seq: u32, results: SearchResults) {
        if !results.pieces_missing.is_empty() {
            self.pieces.last_answer = Some((seq, results));
        }
    }
}

/// The message answering search `seq`; `pieces` says which pieces of
/// text are on their way.
fn results_message(seq: u32, results: &SearchResults, pieces: &Pieces) -> FromWorker {
    FromWorker::Results {
        seq,
        total: u32::try_from(results.total).unwrap_or(u32::MAX),
        hits: results.hits.clone(),
        facets: results.facets.clone(),
        snippets_pending: results.pieces_missing.iter().any(|p| pieces.pending(*p)),
    }
}

/// The answer to an article that cannot be shown.
fn article_unavailable(seq: u32, id: i64, why: &str, retryable: bool) -> FromWorker {
    FromWorker::Error {
        seq: Some(seq),
        kind: if retryable {
            ErrorKind::Unavailable
        } else {
            ErrorKind::BadContent
        },
        message: format!("article {id} {why}"),
        retryable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hc_core::{PublicArticle, PublicCategory, Site, Snapshot};

    fn snapshot() -> Snapshot {
        let article = |id: i64, en: &str, views: u64| PublicArticle {
            id,
            title: hc_core::tr!("en" => en),
            slug: hc_core::tr!("en" => format!("a{id}")),
            content: hc_core::tr!("en" => format!("<p>{en} body text</p>")),
            category_ids: vec![2],
            views,
            created_at: String::new(),
            updated_at: String::new(),
        };
        Snapshot {
            site: Site {
                default_language: "en".parse().unwrap(),
                languages: vec!["en".parse().unwrap(), "de".parse().unwrap()],
            },
            categories: vec![
                PublicCategory {
                    id: 1,
                    name: hc_core::tr!("en" => "Billing"),
                    description: Default::default(),
                    parent: None,
                    icon: None,
                    position: None,
                },
                PublicCategory {
                    id: 2,
                    name: hc_core::tr!("en" => "Invoices"),
                    description: Default::default(),
                    parent: Some(1),
                    icon: None,
                    position: None,
                },
            ],
            articles: vec![
                article(1, "Download an invoice", 5),
                article(2, "Change your plan", 50),
            ],
            synonyms: Default::default(),
            page_rules: Vec::new(),
        }
    }

    /// The ids of the empty state's list for these picks, context and path.
    fn suggested(
        core: &mut WorkerCore,
        limit: u16,
        ids: Vec<i64>,
        context: Option<&str>,
        path: Option<&str>,
    ) -> Vec<i64> {
        match core.answer(ToWorker::Suggestions {
            seq: 1,
            limit,
            ids,
            context: context.map(str::to_string),
            path: path.map(str::to_string),
        }) {
            Some(FromWorker::Suggestions { hits, .. }) => hits.iter().map(|h| h.id).collect(),
            other => panic!("{other:?}"),
        }
    }

    fn loaded(lang: &str) -> Loaded {
        let snap = snapshot();
        let lang: LangCode = lang.parse().unwrap();
        let snap = hc_builder::fill_from_default(snap, &lang);
        let built = hc_engine::IndexContainer::build(&snap, lang.as_str()).unwrap();
        Loaded {
            engine: built.engine,
            reader: Some(built.reader),
            pack_url: None,
            lang,
        }
    }

    #[test]
    fn searches_before_ready_wait_and_only_the_newest_is_answered() {
        let mut core = WorkerCore::default();
        let search = |seq, q: &str| ToWorker::Search {
            seq,
            query: q.into(),
            category: None,
            limit: 5,
        };
        assert_eq!(core.answer(search(1, "inv")), None);
        assert_eq!(core.answer(search(2, "invoice")), None);
        assert_eq!(core.answer(ToWorker::Article { seq: 3, id: 2 }), None);
        let answers = core.install(loaded("en"));
        assert_eq!(answers.len(), 2);
        match &answers[1] {
            FromWorker::Results { seq, hits, .. } => {
                assert_eq!(*seq, 2);
                assert_eq!(hits[0].id, 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&answers[0], FromWorker::Article { id: 2, .. }));
    }

    /// A results message counts the top-level categories with the most
    /// hits, no more than the chips a widget shows.
    #[test]
    fn results_count_at_most_the_top_categories() {
        let mut snap = snapshot();
        let tops = hc_core::protocol::MAX_FACET_CATEGORIES as i64 + 4;
        for c in 0..tops {
            snap.categories.push(PublicCategory {
                id: 100 + c,
                name: hc_core::tr!("en" => format!("Area {c}")),
                description: Default::default(),
                parent: None,
                icon: None,
                position: None,
            });
            // Category 100 + c holds c + 1 articles about invoices.
            for n in 0..=c {
                let id = 1000 + c * 100 + n;
                snap.articles.push(PublicArticle {
                    id,
                    title: hc_core::tr!("en" => format!("Invoice guide {id}")),
                    slug: hc_core::tr!("en" => format!("g{id}")),
                    content: hc_core::tr!("en" => "<p>invoice</p>"),
                    category_ids: vec![100 + c],
                    views: 0,
                    created_at: String::new(),
                    updated_at: String::new(),
                });
            }
        }
        let built = hc_engine::IndexContainer::build(&snap, "en").unwrap();
        let mut core = WorkerCore::default();
        core.install(Loaded {
            engine: built.engine,
            reader: Some(built.reader),
            pack_url: None,
            lang: "en".parse().unwrap(),
        });
        let answer = core.answer(ToWorker::Search {
            seq: 1,
            query: "invoice".into(),
            category: None,
            limit: 10,
        });
        let Some(FromWorker::Results { facets, .. }) = answer else {
            panic!("{answer:?}");
        };
        let ids: Vec<i64> = facets.categories.iter().map(|c| c.id).collect();
        let expected: Vec<i64> = (0..tops)
            .rev()
            .take(hc_core::protocol::MAX_FACET_CATEGORIES)
            .map(|c| 100 + c)
            .collect();
        assert_eq!(
            ids, expected,
            "the categories with the most hits, most first"
        );
        assert!(facets.all > facets.categories.iter().map(|c| c.count).sum::<u32>());
    }

    /// A warm start installs the engine before the reader documents:
    /// searches are answered at once, articles and suggestions once the
    /// documents are there.
    #[test]
    fn reader_requests_wait_for_late_reader_documents() {
        let mut core = WorkerCore::default();
        let Loaded {
            lang,
            engine,
            reader,
            ..
        } = loaded("en");
        assert!(core
            .install(Loaded {
                lang,
                engine,
                reader: None,
                pack_url: None,
            })
            .is_empty());
        assert_eq!(core.answer(ToWorker::Article { seq: 1, id: 1 }), None);
        assert_eq!(
            core.answer(ToWorker::Suggestions {
                seq: 2,
                limit: 5,
                ids: Vec::new(),
                context: None,
                path: None,
            }),
            None
        );
        let search = ToWorker::Search {
            seq: 3,
            query: "invoice".into(),
            category: None,
            limit: 5,
        };
        assert!(matches!(
            core.answer(search),
            Some(FromWorker::Results { seq: 3, .. })
        ));
        let answers = core.set_reader(reader.unwrap());
        assert!(matches!(
            answers.as_slice(),
            [
                FromWorker::Article { seq: 1, id: 1, .. },
                FromWorker::Suggestions { seq: 2, .. }
            ]
        ));
        assert!(matches!(
            core.answer(ToWorker::Article { seq: 4, id: 2 }),
            Some(FromWorker::Article { seq: 4, .. })
        ));
    }

    #[test]
    fn reader_documents_for_a_superseded_load_are_dropped() {
        let mut core = WorkerCore::default();
        assert_eq!(core.answer(ToWorker::Article { seq: 1, id: 1 }), None);
        assert!(core.set_reader(loaded("en").reader.unwrap()).is_empty());
        assert!(!core.is_ready());
    }

    #[test]
    fn reader_suggestions_and_category_paths() {
        let mut core = WorkerCore::default();
        core.install(loaded("en"));
        match core.answer(ToWorker::Suggestions {
            seq: 1,
            limit: 10,
            ids: Vec::new(),
            context: None,
            path: None,
        }) {
            Some(FromWorker::Suggestions { hits, .. }) => {
                assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![2, 1]);
                assert_eq!(hits[0].category_path, vec!["Billing", "Invoices"]);
            }
            other => panic!("{other:?}"),
        }
        // The host's picks (an unknown id skipped), then the context's
        // matches, come before the most viewed.
        let mut suggest =
            |ids: Vec<i64>, context: Option<&str>| suggested(&mut core, 10, ids, context, None);
        assert_eq!(suggest(vec![1, 99], None), vec![1, 2]);
        assert_eq!(suggest(Vec::new(), Some(" invoice ")), vec![1, 2]);
        assert_eq!(suggest(Vec::new(), Some("  ")), vec![2, 1]);
        match core.answer(ToWorker::Article { seq: 2, id: 1 }) {
            Some(FromWorker::Article { html, .. }) => assert!(html.contains("invoice")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            core.answer(ToWorker::Article { seq: 3, id: 99 }),
            Some(FromWorker::Error {
                retryable: false,
                ..
            })
        ));
    }

    #[test]
    fn the_site_rule_for_the_page_adds_its_picks_and_query() {
        let mut snap = snapshot();
        snap.page_rules = hc_core::page_rules::parse(
            r#"{"rules": [{"path": "/billing/*", "ids": [2]}, {"path": "/help*", "query": "invoice"}]}"#,
        )
        .unwrap();
        let lang: LangCode = "en".parse().unwrap();
        let built = hc_engine::IndexContainer::build(&snap, "en").unwrap();
        let mut core = WorkerCore::default();
        core.install(Loaded {
            engine: built.engine,
            reader: Some(built.reader),
            pack_url: None,
            lang,
        });
        let mut suggest = |ids: Vec<i64>, context: Option<&str>, path: &str| {
            suggested(&mut core, 1, ids, context, Some(path))
        };
        // Most viewed alone would be 2; the rules change the first pick.
        assert_eq!(suggest(Vec::new(), None, "/help/start?x=1"), vec![1]);
        assert_eq!(suggest(Vec::new(), None, "/billing/cards"), vec![2]);
        // The page's own picks and context come before the rule's.
        assert_eq!(suggest(vec![1], None, "/billing/cards"), vec![1]);
        assert_eq!(suggest(Vec::new(), Some("plan"), "/help"), vec![2]);
        assert_eq!(suggest(Vec::new(), None, "/elsewhere"), vec![2]);
    }

    /// The chips' counts cover every hit whatever the filter; the filter
    /// narrows the hits; a hit and an article name their categories' ids.
    #[test]
    fn a_search_counts_its_hits_by_top_level_category() {
        let mut core = WorkerCore::default();
        core.install(loaded("en"));
        let search = |category| ToWorker::Search {
            seq: 1,
            query: "body".into(),
            category,
            limit: 5,
        };
        for (category, total) in [(None, 2), (Some(1), 2), (Some(2), 2), (Some(7), 0)] {
            match core.answer(search(category)) {
                Some(FromWorker::Results {
                    total: t,
                    facets,
                    hits,
                    ..
                }) => {
                    assert_eq!(t, total, "{category:?}");
                    assert_eq!(facets.all, 2);
                    assert_eq!(
                        facets.categories,
                        [hc_core::protocol::CategoryCount {
                            id: 1,
                            name: "Billing".into(),
                            count: 2
                        }]
                    );
                    for h in hits {
                        assert_eq!(h.category_ids, [1, 2]);
                    }
                }
                other => panic!("{other:?}"),
            }
        }
        match core.answer(ToWorker::Article { seq: 2, id: 1 }) {
            Some(FromWorker::Article { category_ids, .. }) => assert_eq!(category_ids, [1, 2]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fallback_fills_missing_languages_from_the_default() {
        let mut core = WorkerCore::default();
        core.install(loaded("de"));
        match core.answer(ToWorker::Search {
            seq: 1,
            query: "invoice".into(),
            category: None,
            limit: 5,
        }) {
            Some(FromWorker::Results { hits, .. }) => assert_eq!(hits[0].id, 1),
            other => panic!("{other:?}"),
        }
        let de: LangCode = "de".parse().unwrap();
        assert!(
            hc_engine::IndexContainer::build(&snapshot(), de.as_str())
                .unwrap()
                .reader
                .docs
                .is_empty(),
            "without fallback, nothing in de"
        );
    }
}

#[cfg(test)]
mod pack_tests {
    use super::*;

    /// A warm start rebuilds the engine and then the reader documents from
    /// the cached container alone (no snapshot), and answers like the
    /// original; so does a static site's pack once its pieces of text are
    /// there.
    #[test]
    fn a_container_restores_the_engine_and_reader() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/debian-reference.json");
        let data: hc_core::HelpCenterData =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let snapshot = hc_core::Snapshot::from_data(data, str::to_owned);
        for lang in ["en", "ja"] {
            let lang: LangCode = lang.parse().unwrap();
            let built = hc_engine::IndexContainer::build(&snapshot, lang.as_str()).unwrap();
            let loaded = Loaded {
                lang: lang.clone(),
                engine: built.engine,
                reader: Some(built.reader),
                pack_url: None,
            };
            let cached = crate::entry::cache_bytes(&loaded).unwrap().into_vec();
            let restored = crate::entry::engine(cached.as_slice(), &lang).unwrap();
            assert_eq!(
                &crate::entry::reader(&cached).unwrap(),
                loaded.reader.as_ref().unwrap()
            );
            // A static site's pack and its pieces of text; the whole
            // travelling container they are split from is refused.
            let travel = hc_engine::container::encode(
                &loaded.engine,
                loaded.reader.as_ref().unwrap(),
                hc_engine::Packing::Travel,
            )
            .unwrap();
            assert!(crate::entry::load(travel.as_slice(), &lang).is_err());
            let (pack, pieces) =
                hc_engine::container::split(&travel, hc_engine::container::PIECE_TARGET, |_| {
                    "x".into()
                })
                .unwrap();
            let from_static = crate::entry::load(pack.as_slice(), &lang).unwrap();
            for (n, piece) in (0u32..).zip(&pieces) {
                from_static.engine.attach_piece(n, piece).unwrap();
            }
            assert_eq!(
                from_static.reader.as_ref().unwrap().docs,
                loaded.reader.as_ref().unwrap().docs
            );
            let q = if lang.as_str() == "ja" {
                "パッケージ"
            } else {
                "apt pinning"
            };
            let opts = SearchOptions::default();
            let original = loaded.engine.search(q, &opts);
            assert_eq!(original, restored.search(q, &opts), "{lang}");
            assert_eq!(original, from_static.engine.search(q, &opts), "{lang}");
            assert!(!original.hits.is_empty());
        }
    }
}
