//! `--admin`: routes outside `/v1` for tests that drive a simulator in
//! another process: read the call log, change faults, reset the log and the
//! rate limiter. Never enabled by default.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};

use crate::error::ApiError;
use crate::faults::Faults;
use crate::state::{lock, SimState};

pub fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_sim/calls", get(calls))
        .route("/_sim/faults", put(set_faults))
        .route("/_sim/reset", post(reset))
}

async fn calls(State(state): State<Arc<SimState>>) -> Response {
    json(state.call_counts())
}

async fn set_faults(
    State(state): State<Arc<SimState>>,
    body: Result<Json<Faults>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(faults) =
        body.map_err(|e| ApiError::BodyValidation(ApiError::field("faults", e.body_text())))?;
    state.set_faults(faults.clone());
    Ok(json(faults))
}

async fn reset(State(state): State<Arc<SimState>>) -> Response {
    lock(&state.calls).clear();
    lock(&state.limiter).reset();
    json(serde_json::json!({"status": "success"}))
}

fn json<T: serde::Serialize>(value: T) -> Response {
    Json(value).into_response()
}
