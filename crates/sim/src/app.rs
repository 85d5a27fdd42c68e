//! The simulator's router and the middleware every `/v1` request passes
//! through, in the order the real service applies them: call counting,
//! injected faults, `apikey` authentication, then the per-token rate limit.
//! The state they share is `state`'s; the handlers never import this
//! module.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::Router;

use crate::error::ApiError;
use crate::faults::Fault;
use crate::handlers;
use crate::rate_limit::Admission;
use crate::state::{lock, SimState};

pub fn router(state: Arc<SimState>, admin: bool) -> Router {
    let api = Router::new()
        .route(
            "/v1/articles",
            get(handlers::articles::list).post(handlers::articles::create),
        )
        .route("/v1/articles/{id}", patch(handlers::articles::update))
        .route("/v1/categories", get(handlers::categories::list))
        .route("/v1/categories/{id}", patch(handlers::categories::update))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    let mut app = api;
    if admin {
        app = app.merge(crate::admin::routes());
    }
    app.fallback(|| async { ApiError::RouteNotFound })
        .layer(middleware::from_fn_with_state(state.clone(), count_calls))
        .layer(DefaultBodyLimit::max(state.body_limit))
        .with_state(state)
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn count_calls(State(state): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(unmatched)".to_string());
    let response = next.run(req).await;
    let key = (method, route, response.status().as_u16());
    *lock(&state.calls).entry(key).or_default() += 1;
    response
}

async fn inject_faults(State(state): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    let (latency, fault) = {
        let mut f = lock(&state.faults);
        (f.latency(), f.draw())
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        Fault::None => next.run(req).await,
        Fault::ServerError => ApiError::InjectedServerError.into_response(),
        Fault::RateLimited { retry_after } => ApiError::RateLimited { retry_after }.into_response(),
        Fault::Stall(d) => {
            tokio::time::sleep(d).await;
            next.run(req).await
        }
        Fault::Redirect { status, to } => {
            let status = axum::http::StatusCode::from_u16(status)
                .ok()
                .filter(|s| s.is_redirection())
                .unwrap_or(axum::http::StatusCode::TEMPORARY_REDIRECT);
            let target = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            let mut r = status.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{to}{target}")) {
                r.headers_mut().insert(axum::http::header::LOCATION, v);
            }
            r
        }
    }
}

/// `apikey` header only (not `Authorization`, not `X-API-Key`); then the
/// per-token limit. The key's scope travels to handlers as an extension.
async fn authenticate(
    State(state): State<Arc<SimState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = req
        .headers()
        .get("apikey")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(scope) = token.as_deref().and_then(|t| state.keys.get(t)).copied() else {
        return ApiError::Unauthorized.into_response();
    };
    let token = token.unwrap_or_default();
    let (admission, limit) = {
        let mut limiter = lock(&state.limiter);
        (limiter.admit(&token, Instant::now()), limiter.limit())
    };
    let remaining = match admission {
        Admission::Refused { retry_after } => {
            let mut r = ApiError::RateLimited { retry_after }.into_response();
            r.headers_mut()
                .insert("x-ratelimit-limit", HeaderValue::from(limit));
            r.headers_mut()
                .insert("x-ratelimit-remaining", HeaderValue::from(0));
            return r;
        }
        Admission::Allowed { remaining } => remaining,
    };
    req.extensions_mut().insert(scope);
    let mut response = next.run(req).await;
    if limit > 0 {
        response
            .headers_mut()
            .insert("x-ratelimit-limit", HeaderValue::from(limit));
        response
            .headers_mut()
            .insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    }
    response
}
