//! One refresh's worth of public content, prepared for serving: the wire
//! data becomes the public snapshot ([`hc_publish::public_snapshot`]:
//! published public articles only, sanitised), and every response that does not depend on query filters is serialised,
//! compressed (gzip and brotli) and given a strong ETag here, once. A warm
//! request then only picks bytes: no JSON work, no compression.

use hc_core::page_rules::PageRule;
use hc_core::synonyms::Synonyms;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use bytes::Bytes;
use hc_core::wire::{ArticleList, Category, CategoryList, ListMeta, Success};
use hc_core::{Article, LangCode, PublicArticle, PublicCategory, Site, Snapshot};
use serde::Serialize;

use hc_publish::{LanguageConfig, Sanitizer};

/// Items per page of the list routes when `limit` is not given (as upstream).
pub(crate) const PAGE_SIZE: u32 = 100;

/// A serialised body with its ETag, and its gzip and brotli forms:
/// computed at once for the snapshot ([`Encoded::eager`]), on first demand
/// and then kept for list pages ([`Encoded::lazy`]), so a refresh does not
/// compress pages nobody asks for in a compressed form.
#[derive(Debug)]
pub struct Encoded {
    pub identity: Bytes,
    gzip: OnceLock<Bytes>,
    br: OnceLock<Bytes>,
    /// The hex digest behind the strong validator; the identity body's
    /// ETag is `"<etag>"`, encoded forms append `-gz`/`-br` in the quotes.
    pub etag: String,
}

impl Encoded {
    pub fn lazy(json: Vec<u8>) -> Self {
        let etag = hc_publish::content_etag(&json);
        Encoded {
            identity: Bytes::from(json),
            gzip: OnceLock::new(),
            br: OnceLock::new(),
            etag,
        }
    }

    pub(crate) fn eager(json: Vec<u8>) -> Self {
        let e = Self::lazy(json);
        e.gzip();
        e.br();
        e
    }

    pub fn gzip(&self) -> Bytes {
        self.gzip
            .get_or_init(|| {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                e.write_all(&self.identity).expect("writing to memory");
                Bytes::from(e.finish().expect("writing to memory"))
            })
            .clone()
    }

    pub fn br(&self) -> Bytes {
        self.br
            .get_or_init(|| {
                let mut out = Vec::new();
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 4,
                    lgwin: 22,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &self.identity[..], &mut out, &params)
                    .expect("writing to memory");
                Bytes::from(out)
            })
            .clone()
    }

    fn of<T: Serialize>(value: &T) -> Vec<u8> {
        serde_json::to_vec(value).expect("public types always serialise")
    }
}

/// Everything served until the next refresh.
#[derive(Debug)]
pub struct Prepared {
    pub fetched_at: Instant,
    pub site: Site,
    pub articles: Vec<PublicArticle>,
    pub categories: Vec<PublicCategory>,
    /// The site's synonyms and suggestions by page, as configured.
    pub synonyms: Synonyms,
    pub page_rules: Vec<PageRule>,
    pub snapshot: Encoded,
    /// Pages of `GET /v1/articles` at the default limit, unfiltered.
    pub article_pages: Vec<Encoded>,
    pub category_pages: Vec<Encoded>,
    /// What `?search=` compares against, lowercased once per refresh
    /// (index-aligned with `articles`).
    pub search_texts: Vec<SearchText>,
}

/// One article's titles and contents, lowercased, per language: the
/// `?search=` of `GET /v1/articles` is a case-insensitive substring match,
/// and lowercasing the whole corpus per request cost ~190 ms (debug build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    pub titles: Vec<(LangCode, String)>,
    pub contents: Vec<(LangCode, String)>,
}

impl SearchText {
    pub fn of(a: &PublicArticle) -> Self {
        let lower = |t: &hc_core::Translations<String>| {
            t.iter()
                .map(|(l, v)| (l.clone(), v.to_lowercase()))
                .collect()
        };
        SearchText {
            titles: lower(&a.title),
            contents: lower(&a.content),
        }
    }

    /// Whether `query` (already lowercased) is in a title or a content,
    /// in `lang` only when given.
    pub fn matches(&self, query: &str, lang: Option<&LangCode>) -> bool {
        self.titles
            .iter()
            .chain(&self.contents)
            .filter(|(l, _)| lang.is_none_or(|want| l == want))
            .any(|(_, v)| v.contains(query))
    }
}

/// The filters of `GET /v1/articles` (validated by the route).
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub lang: Option<LangCode>,
    pub category: Option<i64>,
    /// Lowercased.
    pub search: Option<String>,
}

impl Prepared {
    /// The snapshot as a value (what [`Prepared::snapshot`] serialises).
    pub(crate) fn snapshot_value(&self) -> Snapshot {
        Snapshot {
            site: self.site.clone(),
            categories: self.categories.clone(),
            articles: self.articles.clone(),
            synonyms: self.synonyms.clone(),
            page_rules: self.page_rules.clone(),
        }
    }

    /// The public articles that pass `filter`, in corpus order.
    pub fn select(&self, filter: &ArticleFilter) -> Vec<&PublicArticle> {
        select(&self.articles, &self.search_texts, filter)
    }
}

/// [`Prepared::select`] over parts, for callers that hold no `Prepared`
/// (the `search_cost` example).
pub fn select<'a>(
    articles: &'a [PublicArticle],
    texts: &[SearchText],
    filter: &ArticleFilter,
) -> Vec<&'a PublicArticle> {
    articles
        .iter()
        .zip(texts)
        .filter(|(a, _)| {
            filter
                .category
                .is_none_or(|id| a.category_ids.contains(&id))
        })
        .filter(|(a, _)| filter.lang.as_ref().is_none_or(|l| a.content.contains(l)))
        .filter(|(_, t)| {
            filter
                .search
                .as_deref()
                .is_none_or(|q| t.matches(q, filter.lang.as_ref()))
        })
        .map(|(a, _)| a)
        .collect()
}

impl Prepared {
    pub fn build(
        articles: Vec<Article>,
        categories: Vec<Category>,
        sanitizer: &Sanitizer,
        langs: &LanguageConfig,
    ) -> Self {
        let snapshot = hc_publish::public_snapshot(articles, categories, sanitizer, langs);
        let encoded = Encoded::eager(Encoded::of(&snapshot));
        let Snapshot {
            site,
            categories,
            articles,
            synonyms,
            page_rules,
        } = snapshot;
        let article_pages = pages(&articles, |items, meta| ArticleList {
            status: Success,
            articles: items.to_vec(),
            meta,
        });
        let category_pages = pages(&categories, |items, meta| CategoryList {
            status: Success,
            categories: items.to_vec(),
            meta,
        });
        Prepared {
            fetched_at: Instant::now(),
            site,
            categories,
            synonyms,
            page_rules,
            snapshot: encoded,
            article_pages,
            category_pages,
            search_texts: articles.iter().map(SearchText::of).collect(),
            articles,
        }
    }
}

fn pages<T, E: Serialize>(items: &[T], envelope: impl Fn(&[T], ListMeta) -> E) -> Vec<Encoded> {
    let total = items.len() as u64;
    let mut out: Vec<Encoded> = items
        .chunks(PAGE_SIZE as usize)
        .enumerate()
        .map(|(i, chunk)| {
            let meta = ListMeta::new(i as u32 + 1, PAGE_SIZE, total);
            Encoded::lazy(Encoded::of(&envelope(chunk, meta)))
        })
        .collect();
    if out.is_empty() {
        out.push(Encoded::lazy(Encoded::of(&envelope(
            &[],
            ListMeta::new(1, PAGE_SIZE, 0),
        ))));
    }
    out
}

#[cfg(test)]
mod search_tests {
    use super::*;
    use hc_core::Translations;

    fn tr(pairs: &[(&str, &str)]) -> Translations<String> {
        let mut t = Translations::new();
        for (l, v) in pairs {
            t.insert(LangCode::parse(l).unwrap(), v.to_string());
        }
        t
    }

    fn article(
        id: i64,
        title: &[(&str, &str)],
        content: &[(&str, &str)],
        cat: i64,
    ) -> PublicArticle {
        PublicArticle {
            id,
            title: tr(title),
            slug: tr(&[]),
            content: tr(content),
            category_ids: vec![cat],
            views: 0,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn search_texts_are_lowercased_once_and_match_per_language() {
        let articles = vec![
            article(
                1,
                &[("en", "APT Sources")],
                &[("en", "<p>Edit SOURCES.list</p>")],
                7,
            ),
            article(
                2,
                &[("de", "Paketquellen")],
                &[("de", "<p>Über APT</p>"), ("en", "<p>x</p>")],
                8,
            ),
        ];
        let texts: Vec<SearchText> = articles.iter().map(SearchText::of).collect();
        let en = LangCode::parse("en").unwrap();
        let de = LangCode::parse("de").unwrap();
        assert_eq!(
            texts[0].titles,
            vec![(en.clone(), "apt sources".to_string())]
        );
        assert_eq!(
            texts[1].contents[0],
            (de.clone(), "<p>über apt</p>".to_string())
        );
        let ids = |f: ArticleFilter| -> Vec<i64> {
            select(&articles, &texts, &f).iter().map(|a| a.id).collect()
        };
        let q = |s: &str| Some(s.to_lowercase());
        assert_eq!(
            ids(ArticleFilter {
                search: q("APT"),
                ..Default::default()
            }),
            [1, 2]
        );
        assert_eq!(
            ids(ArticleFilter {
                search: q("sources.LIST"),
                ..Default::default()
            }),
            [1]
        );
        assert_eq!(
            ids(ArticleFilter {
                search: q("ÜBER"),
                ..Default::default()
            }),
            [2]
        );
        assert_eq!(
            ids(ArticleFilter {
                search: q("apt"),
                lang: Some(de.clone()),
                ..Default::default()
            }),
            [2]
        );
        assert_eq!(
            ids(ArticleFilter {
                search: q("über"),
                lang: Some(en),
                ..Default::default()
            }),
            Vec::<i64>::new()
        );
        assert_eq!(
            ids(ArticleFilter {
                category: Some(8),
                ..Default::default()
            }),
            [2]
        );
        assert_eq!(
            ids(ArticleFilter {
                lang: Some(de),
                ..Default::default()
            }),
            [2]
        );
    }
}
