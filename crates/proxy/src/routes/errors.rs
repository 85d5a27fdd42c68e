//! JSON error answers in the upstream's own shapes (`{"status":"error",
//! "message":…}` and the GET validation envelope), so that API clients
//! pointed at the proxy handle them as they would the real API's.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hc_core::wire::{ErrorMessage, FieldErrors, ValidationErrorBody};

pub(crate) fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::to_vec(&ErrorMessage::new(message)).expect("serialisable");
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

pub fn validation_error(field: &str, message: impl Into<String>) -> Response {
    let mut errors = FieldErrors::new();
    errors.insert(field.to_string(), vec![message.into()]);
    let body = serde_json::to_vec(&ValidationErrorBody::new(errors)).expect("serialisable");
    (
        StatusCode::BAD_REQUEST,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

pub fn unavailable(retry_after: Duration) -> Response {
    let secs = retry_after.as_secs().max(1);
    let mut r = json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "The help center is not available yet; please try again shortly.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    r
}

pub fn not_found() -> Response {
    json_error(StatusCode::NOT_FOUND, "Not found.")
}

/// Every API path is read-only here.
pub fn method_not_allowed() -> Response {
    let mut r = json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "This proxy is read-only: only GET and HEAD are allowed.",
    );
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    r
}
