//! Operations: `/healthz` (liveness plus the cache's state, always 200
//! while the process runs) and `/metrics` (Prometheus text).

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::AppState;

pub async fn healthz(State(state): State<AppState>) -> Response {
    let current = state.cache.peek();
    let age = current.as_ref().map(|p| p.fetched_at.elapsed().as_secs());
    let cache = match &current {
        None => "empty",
        Some(p) if p.fetched_at.elapsed() < state.cache.policy().fresh_for => "fresh",
        Some(_) => "stale",
    };
    let failure = state.cache.last_failure();
    let mut r = Json(serde_json::json!({
        "status": "ok",
        "cache": cache,
        "age_secs": age,
        "articles": current.as_ref().map(|p| p.articles.len()),
        "etag": current.as_ref().map(|p| p.snapshot.etag.clone()),
        "last_refresh_error": failure.map(|(ago, e)| serde_json::json!({"secs_ago": ago.as_secs(), "error": e})),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let age = state.cache.peek().map(|p| p.fetched_at.elapsed().as_secs());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        state.metrics.render(age),
    )
        .into_response()
}
