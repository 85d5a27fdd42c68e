//! Typed errors of the library: what can stop the proxy from starting, and
//! what a refresh of the cached help center can fail with. Visitor-facing
//! error bodies are built in `routes::errors`; these never carry the key.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid hc-proxy TOML file: {message}")]
    Toml { path: PathBuf, message: String },
    #[error("'{0}' is not an http(s) URL for --public-url")]
    PublicUrl(String),
    #[error("bad --allow-origin '{given}': {why}")]
    Origin { given: String, why: String },
    #[error("{old} is no longer accepted (it trusted the left-most X-Forwarded-For entry, which the client writes); use {new}")]
    Retired {
        old: &'static str,
        new: &'static str,
    },
    #[error("--synonyms {0}")]
    Synonyms(String),
    #[error("--suggestions {0}")]
    Suggestions(String),
    #[error(transparent)]
    Lang(#[from] hc_core::LangCodeError),
    #[error(transparent)]
    Key(#[from] hc_client::KeyError),
    #[error(transparent)]
    Client(#[from] hc_client::ClientError),
}

/// Why the proxy refuses to start with this key.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("the upstream does not know this API key (401); check HC_API_KEY or --key-file and that it belongs to this site")]
    UnknownKey,
    #[error("this is a Read & Write key (an empty PATCH of /articles/0 was not refused with 403, as it is for a Read Only key); give the proxy a Read Only key, or pass --allow-write-key to accept the risk")]
    WriteKey,
    #[error("could not check the key: {0}")]
    Inconclusive(String),
    /// The upstream answered with a redirect: configuration, not an outage,
    /// so the proxy does not start (the key was not sent on).
    #[error("{0}")]
    Misdirected(String),
}

/// Why a refresh of the help center failed. Cloneable because one result
/// is shared by every request that waited on the same refresh.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RefreshError {
    #[error("the upstream refused the key ({0})")]
    Key(String),
    #[error("the upstream failed: {detail}")]
    Upstream {
        kind: UpstreamFailure,
        detail: String,
    },
    #[error("the refresh task failed: {0}")]
    Internal(String),
}

/// What kind of upstream failure a refresh met, without its detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// No answer: connection refused, DNS, timeout, TLS.
    Unreachable,
    /// An error status other than 401/403/429.
    Status(u16),
    RateLimited,
    /// An answer that does not decode as the API's JSON.
    Malformed,
    /// Anything else the client refused (a bad base URL, a redirect).
    Refused,
}

impl RefreshError {
    /// The failure in a fixed vocabulary, for `/healthz`: unlike the
    /// `Display` text (logged), it never carries an upstream URL, a body
    /// or a decoder message quoting content.
    pub fn code(&self) -> String {
        match self {
            RefreshError::Key(_) => "upstream_key_refused".into(),
            RefreshError::Upstream { kind, .. } => match kind {
                UpstreamFailure::Unreachable => "upstream_unreachable".into(),
                UpstreamFailure::Status(status) => format!("upstream_status {status}"),
                UpstreamFailure::RateLimited => "upstream_rate_limited".into(),
                UpstreamFailure::Malformed => "upstream_malformed".into(),
                UpstreamFailure::Refused => "upstream_refused".into(),
            },
            RefreshError::Internal(_) => "internal".into(),
        }
    }
}
