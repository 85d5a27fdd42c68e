//! Fetching the public snapshot (conditionally when a cached copy exists)
//! and a static site's `packs.json` and packs.

use gloo_net::http::Request;
use hc_core::Snapshot;
use wasm_bindgen::JsCast;

pub enum Fetched {
    NotModified,
    Snapshot {
        snapshot: Snapshot,
        etag: Option<String>,
    },
}

#[derive(Debug)]
pub enum FetchError {
    /// No response, and the browser says it has no network.
    Offline(String),
    /// No response although the browser is online: the proxy is down or
    /// unreachable (connection refused, DNS, CORS). Telling the visitor
    /// "you are offline" would be wrong here.
    Unreachable(String),
    RateLimited,
    Status(u16),
    BadContent(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Offline(e) => write!(f, "the browser is offline ({e})"),
            FetchError::Unreachable(e) => write!(f, "the help center could not be reached ({e})"),
            FetchError::RateLimited => {
                f.write_str("the help center is busy (429); try again in a minute")
            }
            FetchError::Status(s) => write!(f, "the help center answered {s}"),
            FetchError::BadContent(e) => write!(
                f,
                "the help center sent content that could not be read ({e})"
            ),
        }
    }
}

pub async fn snapshot(url: &str, etag: Option<&str>) -> Result<Fetched, FetchError> {
    let Some((bytes, etag)) = get(url, etag).await? else {
        return Ok(Fetched::NotModified);
    };
    let snapshot =
        serde_json::from_slice(&bytes).map_err(|e| FetchError::BadContent(e.to_string()))?;
    Ok(Fetched::Snapshot { snapshot, etag })
}

/// A GET, conditional when `etag` is given: the body and its ETag, or
/// `None` for 304 Not Modified.
pub async fn get(
    url: &str,
    etag: Option<&str>,
) -> Result<Option<(Vec<u8>, Option<String>)>, FetchError> {
    let mut request = Request::get(url);
    if let Some(tag) = etag {
        request = request.header("If-None-Match", tag);
    }
    let response = request.send().await.map_err(no_response)?;
    match response.status() {
        304 => return Ok(None),
        429 => return Err(FetchError::RateLimited),
        200 => {}
        other => return Err(FetchError::Status(other)),
    }
    let etag = response.headers().get("etag");
    let bytes = response.binary().await.map_err(no_response)?;
    Ok(Some((bytes, etag)))
}

/// A request that got no (whole) answer: offline or unreachable, as the
/// worker's `navigator.onLine` tells.
fn no_response(e: gloo_net::Error) -> FetchError {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.navigator().on_line() {
        FetchError::Unreachable(e.to_string())
    } else {
        FetchError::Offline(e.to_string())
    }
}
