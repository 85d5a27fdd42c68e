//! The visitor-facing routes. Only `GET`/`HEAD` exist; the data routes read
//! the cache (never the upstream directly), and everything else is a JSON
//! 404, or a 405 with `Allow` for a write method on an API path.

mod data;
mod encoded;
pub mod errors;
mod ops;
mod packs;

use std::sync::Arc;

use axum::http::{HeaderValue, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::cache::Cache;
use crate::metrics::Metrics;

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub cache: Arc<Cache>,
    pub metrics: Metrics,
    /// `public, max-age=…, stale-while-revalidate=…, stale-if-error=…`
    pub cache_control: HeaderValue,
}

pub fn router(state: AppState) -> Router {
    let not_allowed = || async { errors::method_not_allowed() };
    Router::new()
        .route("/v1/snapshot", get(data::snapshot).fallback(not_allowed))
        .route("/v1/packs.json", get(packs::index).fallback(not_allowed))
        .route("/v1/packs/{file}", get(packs::file).fallback(not_allowed))
        .route("/v1/articles", get(data::articles).fallback(not_allowed))
        .route(
            "/v1/categories",
            get(data::categories).fallback(not_allowed),
        )
        .route("/healthz", get(ops::healthz).fallback(not_allowed))
        .route("/metrics", get(ops::metrics).fallback(not_allowed))
        .fallback(fallback)
        .with_state(state)
}

async fn fallback(method: Method, uri: Uri) -> Response {
    let api_path = uri.path() == "/v1" || uri.path().starts_with("/v1/");
    if api_path && method != Method::GET && method != Method::HEAD {
        errors::method_not_allowed()
    } else {
        errors::not_found()
    }
}
