//! One refresh's worth of public content, prepared for serving: the wire
//! data is filtered to published public articles (through
//! [`PublicArticle::from_wire`], the only conversion there is), sanitised,
//! and every response that does not depend on query filters is serialised,
//! compressed (gzip and brotli) and given a strong ETag here, once. A warm
//! request then only picks bytes: no JSON work, no compression.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use bytes::Bytes;
use hc_core::wire::{ArticleList, Category, CategoryList, ListMeta, Success};
use hc_core::{Article, LangCode, PublicArticle, PublicCategory, Site, Snapshot};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::sanitize::Sanitizer;

/// Items per page of the list routes when `limit` is not given (as upstream).
pub const PAGE_SIZE: u32 = 100;

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
        let hash = Sha256::digest(&json);
        let etag: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        Encoded {
            identity: Bytes::from(json),
            gzip: OnceLock::new(),
            br: OnceLock::new(),
            etag,
        }
    }

    pub fn eager(json: Vec<u8>) -> Self {
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
    pub snapshot: Encoded,
    /// Pages of `GET /v1/articles` at the default limit, unfiltered.
    pub article_pages: Vec<Encoded>,
    pub category_pages: Vec<Encoded>,
}

/// Language settings the v1 API does not expose.
#[derive(Debug, Clone, Default)]
pub struct LanguageConfig {
    pub languages: Vec<LangCode>,
    pub default_language: Option<LangCode>,
}

impl Prepared {
    pub fn build(
        articles: Vec<Article>,
        categories: Vec<Category>,
        sanitizer: &Sanitizer,
        langs: &LanguageConfig,
    ) -> Self {
        let articles: Vec<PublicArticle> = articles
            .into_iter()
            .filter_map(|a| PublicArticle::from_wire(a, |html| sanitizer.clean(html)))
            .collect();
        let categories: Vec<PublicCategory> =
            categories.into_iter().map(PublicCategory::from).collect();
        let site = site_languages(&articles, &categories, langs);
        let snapshot = Encoded::eager(Encoded::of(&Snapshot {
            site: site.clone(),
            categories: categories.clone(),
            articles: articles.clone(),
        }));
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
            articles,
            categories,
            snapshot,
            article_pages,
            category_pages,
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

/// The site's languages: the configured list, else every language that
/// appears in public article content or category names (sorted). The
/// default: the configured one, else `en` when present, else the first.
pub fn site_languages(
    articles: &[PublicArticle],
    categories: &[PublicCategory],
    config: &LanguageConfig,
) -> Site {
    let languages: Vec<LangCode> = if config.languages.is_empty() {
        let mut found = BTreeSet::new();
        for a in articles {
            found.extend(a.content.languages().cloned());
        }
        for c in categories {
            found.extend(c.name.languages().cloned());
        }
        found.into_iter().collect()
    } else {
        config.languages.clone()
    };
    let en = LangCode::parse("en").expect("en is a language code");
    let default_language = config
        .default_language
        .clone()
        .or_else(|| languages.contains(&en).then(|| en.clone()))
        .or_else(|| languages.first().cloned())
        .unwrap_or(en);
    Site {
        default_language,
        languages,
    }
}
