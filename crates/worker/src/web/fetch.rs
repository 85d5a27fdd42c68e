//! HTTP GETs for the load ([`crate::load`]): `packs.json`, packs and the
//! snapshot, conditional when a cached copy's ETag is given.

use gloo_net::http::Request;
use wasm_bindgen::JsCast;

use crate::load::{FetchError, Fetched};

/// A GET, conditional when `etag` is given: the body and its ETag, or
/// [`Fetched::NotModified`] for 304.
pub async fn get(url: &str, etag: Option<&str>) -> Result<Fetched, FetchError> {
    let mut request = Request::get(url);
    if let Some(tag) = etag {
        request = request.header("If-None-Match", tag);
    }
    let response = request.send().await.map_err(no_response)?;
    match response.status() {
        304 => return Ok(Fetched::NotModified),
        429 => return Err(FetchError::RateLimited),
        200 => {}
        other => return Err(FetchError::Status(other)),
    }
    let etag = response.headers().get("etag");
    let bytes = response.binary().await.map_err(no_response)?;
    Ok(Fetched::Body { bytes, etag })
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
