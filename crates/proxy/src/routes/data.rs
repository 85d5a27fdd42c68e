//! The data routes: `GET /v1/snapshot` (the whole public help center in
//! one `hc_core::Snapshot`) and the upstream-compatible `GET /v1/articles`
//! and `GET /v1/categories`. Unfiltered pages at the default limit are
//! served from precomputed bytes; filtered or re-sized pages are built from
//! the cached public articles (which are already sanitised), never fetched.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hc_core::wire::{ArticleList, CategoryList, ListMeta, Success};
use hc_core::{LangCode, PublicCategory, Translations};
use serde::Serialize;

use super::encoded;
use super::errors::{json_error, unavailable, validation_error};
use super::AppState;
use crate::cache::Lookup;
use crate::prepared::{ArticleFilter, Encoded, Prepared, PAGE_SIZE};

type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(super) async fn current(state: &AppState) -> Result<Arc<Prepared>, Response> {
    match state.cache.get().await {
        Lookup::Ready(p) => Ok(p),
        Lookup::Unavailable { retry_after } => Err(unavailable(retry_after)),
    }
}

pub(super) fn send(state: &AppState, headers: &HeaderMap, body: &Encoded) -> Response {
    let (r, is_304) = encoded::respond(headers, body, &state.cache_control);
    if is_304 {
        state.metrics.not_modified();
    }
    r
}

pub async fn snapshot(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match current(&state).await {
        Ok(p) => send(&state, &headers, &p.snapshot),
        Err(r) => r,
    }
}

/// A refused query parameter, answered in the upstream's error shapes.
enum Invalid {
    Field(&'static str, String),
    Lang(String),
}

impl IntoResponse for Invalid {
    fn into_response(self) -> Response {
        match self {
            Invalid::Field(name, message) => validation_error(name, message),
            Invalid::Lang(raw) => json_error(
                StatusCode::BAD_REQUEST,
                format!(
                    "The language '{}' is not enabled on this site.",
                    raw.chars().take(40).collect::<String>()
                ),
            ),
        }
    }
}

/// `page` and `limit` as the upstream validates them.
fn paging(params: &HashMap<String, String>) -> Result<(u32, u32), Invalid> {
    let int = |name: &'static str, default: u32| -> Result<u32, Invalid> {
        match params.get(name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<u64>() {
                Ok(0) => Err(Invalid::Field(
                    name,
                    format!("The {name} field must be at least 1."),
                )),
                Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
                Err(_) => Err(Invalid::Field(
                    name,
                    format!("The {name} field must be an integer."),
                )),
            },
        }
    };
    Ok((int("page", 1)?, int("limit", PAGE_SIZE)?.min(PAGE_SIZE)))
}

fn lang_param(params: &HashMap<String, String>, p: &Prepared) -> Result<Option<LangCode>, Invalid> {
    let Some(raw) = params.get("lang") else {
        return Ok(None);
    };
    match LangCode::parse(raw) {
        Ok(l) if p.site.supports(&l) => Ok(Some(l)),
        _ => Err(Invalid::Lang(raw.clone())),
    }
}

fn only<T: Clone>(t: &Translations<T>, lang: &LangCode) -> Translations<T> {
    let mut out = Translations::new();
    if let Some(v) = t.get(lang) {
        out.insert(lang.clone(), v.clone());
    }
    out
}

fn page_of<T: Clone>(items: &[&T], page: u32, limit: u32) -> (Vec<T>, ListMeta) {
    let meta = ListMeta::new(page, limit, items.len() as u64);
    let start = (page as usize - 1).saturating_mul(limit as usize);
    let slice = items
        .iter()
        .skip(start)
        .take(limit as usize)
        .map(|t| (*t).clone())
        .collect();
    (slice, meta)
}

fn json<T: Serialize>(state: &AppState, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(state, body),
        Err(e) => internal(&e.to_string()),
    }
}

fn json_bytes(state: &AppState, body: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, state.cache_control.clone()),
        ],
        body,
    )
        .into_response()
}

/// What both list routes start from: the query, its validated paging, and
/// the current prepared copy of the help center.
struct ListRequest {
    params: HashMap<String, String>,
    page: u32,
    limit: u32,
    prepared: Arc<Prepared>,
}

/// Query parsing (400), paging validation (400), then the cache (503 on a
/// cold start with the upstream down), in that order.
async fn list_request(state: &AppState, params: Params) -> Result<ListRequest, Response> {
    let Query(params) = params.map_err(bad_query)?;
    let (page, limit) = paging(&params).map_err(IntoResponse::into_response)?;
    let prepared = current(state).await?;
    Ok(ListRequest {
        params,
        page,
        limit,
        prepared,
    })
}

fn bad_query(e: QueryRejection) -> Response {
    json_error(
        StatusCode::BAD_REQUEST,
        format!("Malformed query string: {}", e.body_text()),
    )
}

pub async fn articles(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Response {
    let ListRequest {
        params,
        page,
        limit,
        prepared: p,
    } = match list_request(&state, params).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let filtered = ["lang", "search", "category_id", "sort"]
        .iter()
        .any(|k| params.contains_key(*k));
    if !filtered && limit == PAGE_SIZE {
        if let Some(body) = p.article_pages.get(page as usize - 1) {
            return send(&state, &headers, body);
        }
    }
    let lang = match lang_param(&params, &p) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let category = match params.get("category_id").map(|c| c.trim().parse::<i64>()) {
        None => None,
        Some(Ok(id)) if p.categories.iter().any(|c| c.id == id) => Some(id),
        Some(_) => return validation_error("category_id", "The selected category id is invalid."),
    };
    let filter = ArticleFilter {
        lang,
        category,
        search: params.get("search").map(|s| s.to_lowercase()),
    };
    let by_views = params.get("sort").map(String::as_str) == Some("views");
    let ascending = params.get("order").map(String::as_str) == Some("asc");
    // Filtering, sorting and serialising walk the whole corpus: keep that
    // off the threads that answer other visitors.
    let built = tokio::task::spawn_blocking(move || {
        let mut list = p.select(&filter);
        if by_views {
            list.sort_by(|a, b| b.views.cmp(&a.views).then(a.id.cmp(&b.id)));
            if ascending {
                list.reverse();
            }
        }
        let (mut items, meta) = page_of(&list, page, limit);
        if let Some(l) = &filter.lang {
            for a in &mut items {
                a.title = only(&a.title, l);
                a.slug = only(&a.slug, l);
                a.content = only(&a.content, l);
            }
        }
        serde_json::to_vec(&ArticleList {
            status: Success,
            articles: items,
            meta,
        })
    })
    .await;
    match built {
        Ok(Ok(body)) => json_bytes(&state, body),
        Ok(Err(e)) => internal(&e.to_string()),
        Err(e) => internal(&e.to_string()),
    }
}

fn internal(why: &str) -> Response {
    tracing::error!(%why, "building an article list failed");
    json_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal error.")
}

pub async fn categories(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Params,
) -> Response {
    let ListRequest {
        params,
        page,
        limit,
        prepared: p,
    } = match list_request(&state, params).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    if !params.contains_key("lang") && limit == PAGE_SIZE {
        if let Some(body) = p.category_pages.get(page as usize - 1) {
            return send(&state, &headers, body);
        }
    }
    let lang = match lang_param(&params, &p) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let all: Vec<&PublicCategory> = p.categories.iter().collect();
    let (mut items, meta): (Vec<PublicCategory>, _) = page_of(&all, page, limit);
    if let Some(l) = &lang {
        for c in &mut items {
            c.name = only(&c.name, l);
            c.description = only(&c.description, l);
        }
    }
    json(
        &state,
        &CategoryList {
            status: Success,
            categories: items,
            meta,
        },
    )
}
