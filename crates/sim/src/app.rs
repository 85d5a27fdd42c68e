//! The simulator's shared state, router and the middleware every `/v1`
//! request passes through, in the order the real service applies them:
//! call counting, injected faults, `apikey` authentication, then the
//! per-token rate limit.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde::Serialize;

use crate::error::ApiError;
use crate::faults::{Fault, FaultState, Faults};
use crate::handlers;
use crate::rate_limit::{Admission, SlidingWindow};
use crate::store::Store;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    ReadOnly,
    ReadWrite,
}

/// One row of the call log: how often `method route` answered `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallCount {
    pub method: String,
    pub route: String,
    pub status: u16,
    pub count: u64,
}

pub struct SimState {
    pub store: Mutex<Store>,
    pub keys: HashMap<String, Scope>,
    pub limiter: Mutex<SlidingWindow>,
    pub faults: Mutex<FaultState>,
    pub calls: Mutex<BTreeMap<(String, String, u16), u64>>,
    pub state_file: Option<PathBuf>,
    pub body_limit: usize,
    pub wire_patches: Mutex<crate::wire_patches::WirePatches>,
}

/// Locks a mutex, recovering from poisoning: every critical section leaves
/// the data consistent, so a panic elsewhere must not take the server down.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = FaultState::new(faults);
    }

    /// Whether list pages are served shifted (`Faults::shifted_pages`).
    pub fn shifted_pages(&self) -> bool {
        lock(&self.faults).faults().shifted_pages
    }

    pub fn call_counts(&self) -> Vec<CallCount> {
        lock(&self.calls)
            .iter()
            .map(|((method, route, status), count)| CallCount {
                method: method.clone(),
                route: route.clone(),
                status: *status,
                count: *count,
            })
            .collect()
    }
}

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

/// Scope check for writes; runs before any existence check, so a Read Only
/// key gets 403 even for an id that does not exist.
pub fn require_write(scope: Scope, action: &'static str) -> Result<(), ApiError> {
    match scope {
        Scope::ReadWrite => Ok(()),
        Scope::ReadOnly => Err(ApiError::Forbidden { action }),
    }
}

/// Debug-only JSON helper for admin routes.
pub fn json<T: Serialize>(value: T) -> Response {
    Json(value).into_response()
}
