//! Every error the simulator answers, with the status and body shape the v1
//! reference documents (or, where it shows none, the shape listed in this
//! crate's README). Handlers return `Result<_, ApiError>`; nothing here
//! panics, so no request can produce an unplanned 500.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hc_core::wire::{ErrorMessage, FieldErrors, ValidationErrorBody};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// Missing `apikey` header or unknown token.
    Unauthorized,
    /// A write with a Read Only key; names the blocked action.
    Forbidden {
        action: &'static str,
    },
    NotFound {
        resource: &'static str,
    },
    /// Over the per-token limit; `retry_after` in seconds.
    RateLimited {
        retry_after: u64,
    },
    /// GET validation: the wrapped envelope.
    QueryValidation(FieldErrors),
    /// POST/PATCH validation: the bare field map.
    BodyValidation(FieldErrors),
    /// A language code the site has not enabled.
    UnsupportedLanguage(String),
    UnsupportedMediaType,
    PayloadTooLarge {
        limit: usize,
    },
    MethodNotAllowed,
    RouteNotFound,
    /// Fault injection.
    InjectedServerError,
    /// A real failure (persisting state); the write was not applied.
    Internal(String),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> FieldErrors {
        [(field.to_string(), vec![message.into()])].into()
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::QueryValidation(_)
            | ApiError::BodyValidation(_)
            | ApiError::UnsupportedLanguage(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::InjectedServerError | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = |m: String| Json(ErrorMessage::new(m)).into_response();
        let mut response = match self {
            ApiError::QueryValidation(errors) => Json(ValidationErrorBody::new(errors)).into_response(),
            ApiError::BodyValidation(errors) => Json(errors).into_response(),
            ApiError::Unauthorized => message("Unauthenticated.".into()),
            ApiError::Forbidden { action } => {
                message(format!("This API key is Read Only and cannot be used for {action}."))
            }
            ApiError::NotFound { resource } => message(format!("No {resource} with that ID exists on this site.")),
            ApiError::RateLimited { retry_after } => {
                let mut r = message("Too Many Attempts.".into());
                if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                r
            }
            ApiError::UnsupportedLanguage(code) => {
                message(format!("The language '{code}' is not enabled on this site."))
            }
            ApiError::UnsupportedMediaType => message(
                "Send Content-Type: application/json; form-encoded and other bodies are not accepted.".into(),
            ),
            ApiError::PayloadTooLarge { limit } => {
                message(format!("The request body is larger than the limit of {limit} bytes."))
            }
            ApiError::MethodNotAllowed => message("This method is not allowed on this endpoint.".into()),
            ApiError::RouteNotFound => message("Not found.".into()),
            ApiError::InjectedServerError => message("Server Error".into()),
            ApiError::Internal(detail) => message(format!("Server Error: {detail}")),
        };
        *response.status_mut() = status;
        response
    }
}
