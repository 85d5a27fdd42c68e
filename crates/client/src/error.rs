//! What can go wrong talking to the API, classified the way callers act on
//! it. Messages never contain the key (it travels only in a header).

use std::time::Duration;

use hc_core::wire::ApiErrorBody;
use reqwest::Method;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the API refused the key (401): check HC_API_KEY; {}", .0.summary())]
    Unauthorized(ApiErrorBody),
    #[error("the key may not do this (403): {}", .0.summary())]
    Forbidden(ApiErrorBody),
    #[error("not found (404): {}", .0.summary())]
    NotFound(ApiErrorBody),
    #[error("the request was refused (400): {}", .0.summary())]
    BadRequest(ApiErrorBody),
    #[error("still rate limited (429) after {attempts} tries")]
    RateLimited {
        retry_after: Option<Duration>,
        attempts: u32,
    },
    #[error("the API answered {status}: {}", .body.summary())]
    Status { status: u16, body: ApiErrorBody },
    #[error("{method} {path} failed: {source}")]
    Transport {
        method: Method,
        path: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("unexpected response: {0}")]
    Decode(String),
    /// Records of a listing that could not be decoded, when the caller
    /// needs every record. Ids and field names only.
    #[error("{} of the {kind} listed could not be read: {}; fix them in the dashboard (or report the API's answer) and retry", .records.len(), .records.iter().take(10).map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    Undecodable {
        kind: &'static str,
        records: Vec<hc_core::wire::Undecodable>,
    },
    #[error("'{0}' is not an http(s) API base URL (expected e.g. https://api.helpcenter.io/v1)")]
    BadUrl(String),
    #[error("'{0}' uses plain http://, which would send the API key unencrypted; use https:// (plain http is accepted only for loopback hosts: 127.0.0.0/8, ::1, localhost)")]
    InsecureUrl(String),
    /// A 3xx: never followed, because the `apikey` header would go with it
    /// to wherever it points. `location` is shown without user info or
    /// query.
    #[error("{method} {path}: the API answered {status} redirecting to {}; hc-search never follows redirects (the key would travel with them): set the API base URL to the address that answers directly (e.g. https://api.helpcenter.io/v1)", .location.as_deref().unwrap_or("nowhere (no Location)"))]
    Redirected {
        method: Method,
        path: String,
        status: u16,
        location: Option<String>,
    },
}

impl ClientError {
    pub fn from_status(status: u16, body: &[u8]) -> Self {
        let body = ApiErrorBody::parse(body);
        match status {
            400 | 422 => ClientError::BadRequest(body),
            401 => ClientError::Unauthorized(body),
            403 => ClientError::Forbidden(body),
            404 => ClientError::NotFound(body),
            _ => ClientError::Status { status, body },
        }
    }

    /// The HTTP status, when one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Unauthorized(_) => Some(401),
            ClientError::Forbidden(_) => Some(403),
            ClientError::NotFound(_) => Some(404),
            ClientError::BadRequest(_) => Some(400),
            ClientError::RateLimited { .. } => Some(429),
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Worth trying again later (the upstream is down or busy), as opposed
    /// to a request that will fail the same way every time.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::RateLimited { .. } | ClientError::Transport { .. } => true,
            ClientError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}
