//! Messages between the widget (main thread) and its Web Worker, carried by
//! `postMessage` through serde-wasm-bindgen. Both ends compile from these
//! types, so a change that breaks one side breaks the build of the other.
//!
//! Every search carries a `seq`; the widget drops any answer whose `seq` is
//! older than the newest it sent, so slow answers never overwrite fresh ones.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::lang::LangCode;

/// Where the worker gets its content. Decoded through a plain struct
/// (`decode::SourceFields`), not as a tagged enum, for the reason
/// [`FromWorker::from_fields`] gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "decode::SourceFields"
)]
pub enum ContentSource {
    /// An hc-proxy base URL; the worker fetches its snapshot route.
    Proxy { url: String },
    /// A static snapshot, and optionally the `packs.json` of prebuilt
    /// per-language packs (see [`crate::static_site`]), written by
    /// `hcs build-static`.
    Static {
        snapshot_url: String,
        packs_url: Option<String>,
    },
}

impl ContentSource {
    /// The snapshot's URL. A proxy base is accepted with or without the
    /// API's `/v1` (and as the whole snapshot URL): site owners copy the
    /// upstream's base, which ends in `/v1`, and would otherwise ask for
    /// `/v1/v1/snapshot` and see only "not available".
    pub fn snapshot_url(&self) -> String {
        match self {
            ContentSource::Proxy { url } => {
                let base = url.trim().trim_end_matches('/');
                let base = base
                    .strip_suffix("/v1/snapshot")
                    .or_else(|| base.strip_suffix("/v1"))
                    .unwrap_or(base);
                format!("{base}/v1/snapshot")
            }
            ContentSource::Static { snapshot_url, .. } => snapshot_url.clone(),
        }
    }
}

/// What to show when an article has no content in the chosen language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// As the API: only articles with content in that language.
    #[default]
    None,
    /// Fill the gaps with the site's default language.
    Default,
}

/// What the visit asks for, as raw tags; the worker negotiates them against
/// the site's languages (which only the snapshot knows) with
/// [`crate::lang::negotiate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageRequest {
    pub explicit: Option<String>,
    pub page: Option<String>,
    pub visitor: Vec<String>,
}

impl LanguageRequest {
    /// The language to show among `available`, else `default`.
    pub fn resolve(&self, available: &[LangCode], default: &LangCode) -> LangCode {
        let visitor: Vec<&str> = self.visitor.iter().map(String::as_str).collect();
        let prefs = crate::lang::LanguagePreferences {
            explicit: self.explicit.as_deref(),
            page: self.page.as_deref(),
            visitor: &visitor,
        };
        crate::lang::negotiate(&prefs, available, default)
    }
}

/// The most hits one `Search` may ask for: "Show more" goes up to every
/// hit of all but the broadest queries, and a snippet per hit stays cheap.
pub const MAX_SEARCH_LIMIT: u16 = 1000;

/// Widget → worker. Decoded by [`ToWorker::from_fields`] (the worker
/// reads `type` first), for the reason [`FromWorker::from_fields`] gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorker {
    /// Start (or restart) with this content and these language wishes.
    Init {
        source: ContentSource,
        languages: LanguageRequest,
        fallback: Fallback,
    },
    SetLanguage {
        lang: LangCode,
    },
    Search {
        seq: u32,
        query: String,
        /// Only articles in this category or one of its descendants.
        category: Option<i64>,
        limit: u16,
    },
    Article {
        seq: u32,
        id: i64,
    },
    /// Articles for the empty state: the host's chosen `ids` (in order),
    /// then the best matches for the page's `context` (what the page is
    /// about, searched like a query), then the most viewed; each article
    /// once, at most `limit`.
    Suggestions {
        seq: u32,
        limit: u16,
        #[serde(default)]
        ids: Vec<i64>,
        #[serde(default)]
        context: Option<String>,
        /// The host page's path (`location.pathname`): the site's
        /// suggestions by page ([`crate::page_rules`]) add their picks
        /// after `ids` and their query when `context` is absent.
        #[serde(default)]
        path: Option<String>,
    },
    /// The visitor is about to search (focus moved into the widget: its
    /// launcher, its dialog's box, its inline box): what
    /// searches read that is not here yet (the rest of a pack's postings)
    /// is worth fetching now, not after the first answer. Nothing is
    /// answered; it holds for every index the worker loads after it. The
    /// loader posts it (`www/hc-search.js`, by
    /// [`crate::loader::INTENT_TAG`]), not the UI, whose wasm is on the
    /// visitor's first intent against a byte budget.
    Intent,
}

/// A byte range `[start, end)` into a UTF-8 string, on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: i64,
    pub title: String,
    pub title_highlights: Vec<Highlight>,
    /// Plain text, about 160 characters around the best match.
    pub snippet: String,
    pub snippet_highlights: Vec<Highlight>,
    /// Category names from the root down, in the result's language.
    pub category_path: Vec<String>,
    /// The id of each category in `category_path`, in the same order (a
    /// breadcrumb click filters by it); empty when unknown.
    #[serde(default)]
    pub category_ids: Vec<i64>,
    pub slug: String,
    pub score: f32,
}

/// A top-level category and how many hits of a query it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub id: i64,
    /// Its name in the searched language.
    pub name: String,
    pub count: u32,
}

/// The hits of a query by top-level category, counted before any
/// category filter, so that the filter chips can show every category's
/// count while one of them is chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Every hit of the query, whatever its category.
    pub all: u32,
    /// Most hits first (ties: lower id first), at most
    /// [`MAX_FACET_CATEGORIES`] (the engine counts no more).
    pub categories: Vec<CategoryCount>,
}

/// The most top-level categories a results message counts (the widget's
/// filter chips). A help center with a hundred top-level categories would
/// otherwise send, and the widget render, a hundred chips on every
/// keystroke; nobody picks a filter from a hundred chips either.
pub const MAX_FACET_CATEGORIES: usize = 8;

/// Why the worker could not do what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Offline,
    RateLimited,
    Unavailable,
    BadContent,
    Internal,
}

impl ErrorKind {
    /// The name on the wire, also the `kind` of the widget's `hc-error`
    /// event (a test pins it to the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Offline => "offline",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::BadContent => "bad_content",
            ErrorKind::Internal => "internal",
        }
    }
}

/// Loading stages, for the progress state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Fetching,
    Indexing,
    LoadingCache,
}

/// One loading step and how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    pub step: String,
    pub ms: u32,
}

/// Worker → widget. Serialized with serde (`type` names the variant);
/// the widget decodes it with [`FromWorker::from_fields`], which reads
/// the `type` first, not with a derived `Deserialize` (see there).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWorker {
    Progress {
        stage: Stage,
    },
    Ready {
        lang: LangCode,
        languages: Vec<LangCode>,
        articles: u32,
        from_cache: bool,
        /// Milliseconds spent in each loading step, for diagnostics and
        /// benchmarks (`hc-ready` event detail).
        timings: Vec<Timing>,
    },
    Results {
        seq: u32,
        /// Hits in the category filter, if any.
        total: u32,
        hits: Vec<SearchHit>,
        facets: Facets,
        /// Hits without a snippet may be waiting for the piece of article
        /// text it is cut from, on its way: the answer comes again, with
        /// their snippets, when the last such piece has arrived (or
        /// failed). The list can keep their room meanwhile.
        snippets_pending: bool,
    },
    /// The most viewed articles, for the empty state (no highlights or
    /// snippets).
    Suggestions {
        seq: u32,
        hits: Vec<SearchHit>,
    },
    Article {
        seq: u32,
        id: i64,
        title: String,
        html: String,
        slug: String,
        category_path: Vec<String>,
        /// The id of each category in `category_path` (empty when unknown).
        category_ids: Vec<i64>,
    },
    Error {
        seq: Option<u32>,
        kind: ErrorKind,
        message: String,
        retryable: bool,
    },
}

impl ToWorker {
    /// The message whose `type` field is `tag`, from `fields` (the whole
    /// message or its other fields): how the worker decodes the widget's
    /// messages, without serde's buffering of tagged enums (see
    /// [`FromWorker::from_fields`]).
    pub fn from_fields<'de, D: Deserializer<'de>>(tag: &str, fields: D) -> Result<Self, D::Error> {
        use decode::*;
        Ok(match tag {
            "init" => {
                let f = InitFields::deserialize(fields)?;
                ToWorker::Init {
                    source: f.source,
                    languages: f.languages,
                    fallback: f.fallback,
                }
            }
            "set_language" => {
                let SetLanguageFields { lang } = SetLanguageFields::deserialize(fields)?;
                ToWorker::SetLanguage { lang }
            }
            "search" => {
                let f = SearchFields::deserialize(fields)?;
                ToWorker::Search {
                    seq: f.seq,
                    query: f.query,
                    category: f.category,
                    limit: f.limit,
                }
            }
            "article" => {
                let ToArticleFields { seq, id } = ToArticleFields::deserialize(fields)?;
                ToWorker::Article { seq, id }
            }
            "suggestions" => {
                let f = ToSuggestionsFields::deserialize(fields)?;
                ToWorker::Suggestions {
                    seq: f.seq,
                    limit: f.limit,
                    ids: f.ids,
                    context: f.context,
                    path: f.path,
                }
            }
            "intent" => ToWorker::Intent,
            other => return Err(D::Error::unknown_variant(other, decode::TO_TAGS)),
        })
    }
}

impl FromWorker {
    /// The message whose `type` field is `tag`, from `fields`: the whole
    /// message (its `type` is ignored there) or its other fields. Fields
    /// the worker may leave out (`timings`, `facets`, `category_ids`)
    /// default to empty.
    ///
    /// This is how the widget decodes the worker's messages, and why
    /// `FromWorker` derives no `Deserialize`: serde's internally tagged
    /// enums buffer every message in a generic `Content` tree before
    /// picking the variant, which puts a second deserializer of every
    /// field type into the UI's wasm. The widget reads `type` off the JS
    /// object first and then deserializes one variant's fields directly.
    pub fn from_fields<'de, D: Deserializer<'de>>(tag: &str, fields: D) -> Result<Self, D::Error> {
        use decode::*;
        Ok(match tag {
            "progress" => {
                let ProgressFields { stage } = ProgressFields::deserialize(fields)?;
                FromWorker::Progress { stage }
            }
            "ready" => {
                let f = ReadyFields::deserialize(fields)?;
                FromWorker::Ready {
                    lang: f.lang,
                    languages: f.languages,
                    articles: f.articles,
                    from_cache: f.from_cache,
                    timings: f.timings,
                }
            }
            "results" => {
                let f = ResultsFields::deserialize(fields)?;
                FromWorker::Results {
                    seq: f.seq,
                    total: f.total,
                    hits: f.hits,
                    facets: f.facets,
                    snippets_pending: f.snippets_pending,
                }
            }
            "suggestions" => {
                let f = SuggestionsFields::deserialize(fields)?;
                FromWorker::Suggestions {
                    seq: f.seq,
                    hits: f.hits,
                }
            }
            "article" => {
                let f = ArticleFields::deserialize(fields)?;
                FromWorker::Article {
                    seq: f.seq,
                    id: f.id,
                    title: f.title,
                    html: f.html,
                    slug: f.slug,
                    category_path: f.category_path,
                    category_ids: f.category_ids,
                }
            }
            "error" => {
                let f = ErrorFields::deserialize(fields)?;
                FromWorker::Error {
                    seq: f.seq,
                    kind: f.kind,
                    message: f.message,
                    retryable: f.retryable,
                }
            }
            other => return Err(D::Error::unknown_variant(other, decode::TAGS)),
        })
    }
}

/// The fields of each [`FromWorker`] variant, as plain structs that serde
/// deserializes without buffering ([`FromWorker::from_fields`]). Building
/// the variant from them names every field, so a field added to the enum
/// and not here does not compile.
mod decode {
    use super::*;

    pub(super) const TO_TAGS: &[&str] = &[
        "init",
        "set_language",
        "search",
        "article",
        "suggestions",
        "intent",
    ];

    #[derive(Deserialize)]
    pub(super) struct InitFields {
        pub source: ContentSource,
        pub languages: LanguageRequest,
        pub fallback: Fallback,
    }

    #[derive(Deserialize)]
    pub(super) struct SetLanguageFields {
        pub lang: LangCode,
    }

    #[derive(Deserialize)]
    pub(super) struct SearchFields {
        pub seq: u32,
        pub query: String,
        pub category: Option<i64>,
        pub limit: u16,
    }

    #[derive(Deserialize)]
    pub(super) struct ToArticleFields {
        pub seq: u32,
        pub id: i64,
    }

    #[derive(Deserialize)]
    pub(super) struct ToSuggestionsFields {
        pub seq: u32,
        pub limit: u16,
        #[serde(default)]
        pub ids: Vec<i64>,
        #[serde(default)]
        pub context: Option<String>,
        #[serde(default)]
        pub path: Option<String>,
    }

    /// [`ContentSource`] as one flat record: its `kind` and the fields of
    /// every kind.
    #[derive(Deserialize)]
    pub(super) struct SourceFields {
        kind: String,
        url: Option<String>,
        snapshot_url: Option<String>,
        packs_url: Option<String>,
    }

    impl TryFrom<SourceFields> for ContentSource {
        type Error = String;

        fn try_from(f: SourceFields) -> Result<Self, String> {
            let missing = |field: &str| format!("a {} content source needs `{field}`", f.kind);
            match f.kind.as_str() {
                "proxy" => Ok(ContentSource::Proxy {
                    url: f.url.clone().ok_or_else(|| missing("url"))?,
                }),
                "static" => Ok(ContentSource::Static {
                    snapshot_url: f
                        .snapshot_url
                        .clone()
                        .ok_or_else(|| missing("snapshot_url"))?,
                    packs_url: f.packs_url,
                }),
                other => Err(format!(
                    "unknown content source kind `{other}`, expected `proxy` or `static`"
                )),
            }
        }
    }

    pub(super) const TAGS: &[&str] = &[
        "progress",
        "ready",
        "results",
        "suggestions",
        "article",
        "error",
    ];

    #[derive(Deserialize)]
    pub(super) struct ProgressFields {
        pub stage: Stage,
    }

    #[derive(Deserialize)]
    pub(super) struct ReadyFields {
        pub lang: LangCode,
        pub languages: Vec<LangCode>,
        pub articles: u32,
        pub from_cache: bool,
        #[serde(default)]
        pub timings: Vec<Timing>,
    }

    #[derive(Deserialize)]
    pub(super) struct ResultsFields {
        pub seq: u32,
        pub total: u32,
        pub hits: Vec<SearchHit>,
        #[serde(default)]
        pub facets: Facets,
        #[serde(default)]
        pub snippets_pending: bool,
    }

    #[derive(Deserialize)]
    pub(super) struct SuggestionsFields {
        pub seq: u32,
        pub hits: Vec<SearchHit>,
    }

    #[derive(Deserialize)]
    pub(super) struct ArticleFields {
        pub seq: u32,
        pub id: i64,
        pub title: String,
        pub html: String,
        pub slug: String,
        pub category_path: Vec<String>,
        #[serde(default)]
        pub category_ids: Vec<i64>,
    }

    #[derive(Deserialize)]
    pub(super) struct ErrorFields {
        pub seq: Option<u32>,
        pub kind: ErrorKind,
        pub message: String,
        pub retryable: bool,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_base_with_or_without_v1_finds_the_snapshot() {
        for base in [
            "https://help-proxy.example.com",
            "https://help-proxy.example.com/",
            "https://help-proxy.example.com/v1",
            "https://help-proxy.example.com/v1/",
            " https://help-proxy.example.com/v1/snapshot ",
        ] {
            let source = ContentSource::Proxy { url: base.into() };
            assert_eq!(
                source.snapshot_url(),
                "https://help-proxy.example.com/v1/snapshot",
                "{base:?}"
            );
        }
        // A proxy mounted under a path keeps it.
        let source = ContentSource::Proxy {
            url: "https://example.com/help/v1".into(),
        };
        assert_eq!(
            source.snapshot_url(),
            "https://example.com/help/v1/snapshot"
        );
    }

    #[test]
    fn error_kind_names_are_the_wire_names() {
        for kind in [
            ErrorKind::Offline,
            ErrorKind::RateLimited,
            ErrorKind::Unavailable,
            ErrorKind::BadContent,
            ErrorKind::Internal,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn messages_round_trip_as_tagged_json() {
        let msg = ToWorker::Search {
            seq: 3,
            query: "apt".into(),
            category: None,
            limit: 10,
        };
        let json = serde_json::to_value(&msg).unwrap();
        assert_eq!(json["type"], "search");
        assert_eq!(ToWorker::from_fields("search", json).unwrap(), msg);
    }

    #[test]
    fn widget_messages_decode_by_type_and_bad_ones_say_why() {
        let suggestions = serde_json::json!({"type": "suggestions", "seq": 2, "limit": 5});
        assert_eq!(
            ToWorker::from_fields("suggestions", suggestions).unwrap(),
            ToWorker::Suggestions {
                seq: 2,
                limit: 5,
                ids: vec![],
                context: None,
                path: None
            }
        );
        let intent = serde_json::to_value(ToWorker::Intent).unwrap();
        assert_eq!(intent, serde_json::json!({"type": "intent"}));
        assert_eq!(
            ToWorker::from_fields("intent", intent).unwrap(),
            ToWorker::Intent
        );
        let err = |tag: &str, json: serde_json::Value| {
            ToWorker::from_fields(tag, json).unwrap_err().to_string()
        };
        assert!(err("fly", serde_json::json!({})).contains("unknown variant `fly`"));
        let no_url = serde_json::json!({
            "source": {"kind": "proxy"},
            "languages": {"explicit": null, "page": null, "visitor": []},
            "fallback": "none",
        });
        assert!(err("init", no_url).contains("a proxy content source needs `url`"));
        let odd = serde_json::json!({
            "source": {"kind": "ftp", "url": "x"},
            "languages": {"explicit": null, "page": null, "visitor": []},
            "fallback": "none",
        });
        assert!(err("init", odd).contains("unknown content source kind `ftp`"));
    }

    fn hit(id: i64) -> SearchHit {
        SearchHit {
            id,
            title: format!("Title {id}"),
            title_highlights: vec![Highlight { start: 0, end: 5 }],
            snippet: "a snippet".into(),
            snippet_highlights: vec![Highlight { start: 2, end: 9 }],
            category_path: vec!["Network".into(), "Wi-Fi".into()],
            category_ids: vec![4, 9],
            slug: format!("title-{id}"),
            score: 1.5,
        }
    }

    /// Every variant, with every field set to something other than its
    /// default, as the worker serializes it and the widget decodes it.
    #[test]
    fn every_worker_message_decodes_from_its_type_and_fields() {
        let en: LangCode = "en".parse().unwrap();
        let de: LangCode = "de".parse().unwrap();
        let messages = [
            FromWorker::Progress {
                stage: Stage::Indexing,
            },
            FromWorker::Ready {
                lang: de.clone(),
                languages: vec![en, de],
                articles: 42,
                from_cache: true,
                timings: vec![Timing {
                    step: "worker start".into(),
                    ms: 28,
                }],
            },
            FromWorker::Results {
                seq: 7,
                total: 12,
                hits: vec![hit(1), hit(2)],
                facets: Facets {
                    all: 30,
                    categories: vec![CategoryCount {
                        id: 4,
                        name: "Network".into(),
                        count: 12,
                    }],
                },
                snippets_pending: true,
            },
            FromWorker::Suggestions {
                seq: 8,
                hits: vec![hit(3)],
            },
            FromWorker::Article {
                seq: 9,
                id: 3,
                title: "Title 3".into(),
                html: "<p>Hi</p>".into(),
                slug: "title-3".into(),
                category_path: vec!["Network".into()],
                category_ids: vec![4],
            },
            FromWorker::Error {
                seq: Some(10),
                kind: ErrorKind::RateLimited,
                message: "busy".into(),
                retryable: true,
            },
        ];
        for msg in messages {
            let json = serde_json::to_value(&msg).unwrap();
            let tag = json["type"].as_str().unwrap().to_string();
            assert!(decode::TAGS.contains(&tag.as_str()), "{tag}");
            assert_eq!(FromWorker::from_fields(&tag, json).unwrap(), msg);
        }
    }

    /// Fields the worker may leave out read as empty, and the error that
    /// `www/hc-worker-main.js` posts itself (when the worker's wasm fails
    /// to load) decodes.
    #[test]
    fn worker_messages_decode_without_their_optional_fields() {
        let results = serde_json::json!({"type": "results", "seq": 1, "total": 0, "hits": []});
        assert_eq!(
            FromWorker::from_fields("results", results).unwrap(),
            FromWorker::Results {
                seq: 1,
                total: 0,
                hits: vec![],
                facets: Facets::default(),
                snippets_pending: false,
            }
        );
        let from_js = serde_json::json!({
            "type": "error", "seq": null, "kind": "unavailable", "retryable": true,
            "message": "the search engine could not load",
        });
        assert!(matches!(
            FromWorker::from_fields("error", from_js).unwrap(),
            FromWorker::Error {
                seq: None,
                kind: ErrorKind::Unavailable,
                retryable: true,
                ..
            }
        ));
        let unknown = serde_json::json!({"type": "gossip"});
        assert!(FromWorker::from_fields("gossip", unknown).is_err());
        let wrong = serde_json::json!({"type": "progress", "stage": 3});
        assert!(FromWorker::from_fields("progress", wrong).is_err());
    }

    /// The loader (`www/hc-search.js`, `initMessage`) writes `Init` as plain
    /// JSON so that it can start the worker before the UI's wasm has
    /// loaded. These are the exact shapes it sends; if this test has to
    /// change, so does the loader.
    #[test]
    fn init_json_is_what_the_loader_sends() {
        let loader_proxy = serde_json::json!({
            "type": "init",
            "source": { "kind": "proxy", "url": "https://help-proxy.example.com" },
            "languages": { "explicit": null, "page": "de-DE", "visitor": ["de-DE", "en"] },
            "fallback": "default",
        });
        let proxy = ToWorker::Init {
            source: ContentSource::Proxy {
                url: "https://help-proxy.example.com".into(),
            },
            languages: LanguageRequest {
                explicit: None,
                page: Some("de-DE".into()),
                visitor: vec!["de-DE".into(), "en".into()],
            },
            fallback: Fallback::Default,
        };
        assert_eq!(serde_json::to_value(&proxy).unwrap(), loader_proxy);
        assert_eq!(ToWorker::from_fields("init", loader_proxy).unwrap(), proxy);

        let loader_static = serde_json::json!({
            "type": "init",
            "source": { "kind": "static", "snapshot_url": "/s.json", "packs_url": null },
            "languages": { "explicit": "ja", "page": null, "visitor": [] },
            "fallback": "none",
        });
        let static_ = ToWorker::Init {
            source: ContentSource::Static {
                snapshot_url: "/s.json".into(),
                packs_url: None,
            },
            languages: LanguageRequest {
                explicit: Some("ja".into()),
                page: None,
                visitor: vec![],
            },
            fallback: Fallback::None,
        };
        assert_eq!(serde_json::to_value(&static_).unwrap(), loader_static);
        assert_eq!(
            ToWorker::from_fields("init", loader_static).unwrap(),
            static_
        );
    }
}
