//! HTTP GETs for the load ([`crate::load`]): `packs.json` and the
//! snapshot, conditional when a cached copy's ETag is given, and packs,
//! inflated as their bytes arrive.

use gloo_net::http::{Request, Response};
use hc_engine::container::{InflatedPack, PackStream};
use wasm_bindgen::JsCast;

use super::chunks::{read_chunks, ReadError};
use crate::load::{FetchError, Fetched};

/// A GET, conditional when `etag` is given: the body and its ETag, or
/// [`Fetched::NotModified`] for 304.
pub async fn get(url: &str, etag: Option<&str>) -> Result<Fetched, FetchError> {
    let mut request = Request::get(url);
    if let Some(tag) = etag {
        request = request.header("If-None-Match", tag);
    }
    let response = request.send().await.map_err(no_response)?;
    if response.status() == 304 {
        return Ok(Fetched::NotModified);
    }
    ok(&response)?;
    let etag = response.headers().get("etag");
    let bytes = response.binary().await.map_err(no_response)?;
    Ok(Fetched::Body { bytes, etag })
}

/// A GET of a pack ([`crate::load::Request::FetchPack`]): each chunk of
/// the body (read through one lent buffer, `super::chunks`) is copied into
/// the heap, taken by the [`PackStream`] and overwritten by the next, so
/// the pack is never whole in the heap (which would keep its size for the
/// rest of the visit).
pub async fn get_pack(url: &str) -> Result<InflatedPack, FetchError> {
    let response = Request::get(url).send().await.map_err(no_response)?;
    ok(&response)?;
    let Some(body) = response.body() else {
        return Err(FetchError::BadContent("the pack has no body".into()));
    };
    let mut stream = PackStream::new();
    let mut chunk = Vec::new();
    read_chunks(&body, &mut |bytes| {
        chunk.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut chunk);
        stream.push(&chunk).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| match e {
        ReadError::Stream(e) => cut_off(format!("{e:?}")),
        ReadError::Refused(why) => FetchError::BadContent(why),
    })?;
    stream
        .finish()
        .map_err(|e| FetchError::BadContent(e.to_string()))
}

/// A status the load can take a body of (200), or what it says.
fn ok(response: &Response) -> Result<(), FetchError> {
    match response.status() {
        200 => Ok(()),
        429 => Err(FetchError::RateLimited),
        other => Err(FetchError::Status(other)),
    }
}

/// A request that got no (whole) answer: offline or unreachable, as the
/// worker's `navigator.onLine` tells.
fn no_response(e: gloo_net::Error) -> FetchError {
    cut_off(e.to_string())
}

fn cut_off(why: String) -> FetchError {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.navigator().on_line() {
        FetchError::Unreachable(why)
    } else {
        FetchError::Offline(why)
    }
}
