//! `GET /v1/packs.json` and `GET /v1/packs/{file}`: the refresh's prebuilt
//! per-language packs ([`crate::packs`]) in a static site's layout, so a
//! worker reads a proxy as it reads `hcs build-static`'s output.
//! `packs.json` is served like the snapshot (same cache headers, strong
//! ETag, 304); a pack's name is its content's hash, so a pack is cached
//! for good. The files of the packs a refresh replaced are served too, so
//! that a widget that loaded one still gets the pieces of its texts after
//! the content changed (until it changes again). A proxy without packs (older, or still building its first)
//! answers 404 and workers use the snapshot route.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

use super::data::{current, send};
use super::encoded::not_modified;
use super::errors::not_found;
use super::AppState;
use crate::packs::PackFile;

/// A pack's name changes with its content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub async fn index(State(state): State<AppState>, headers: HeaderMap) -> Response<Body> {
    match current(&state).await {
        Ok(_) => match state.cache.packs() {
            Some(packs) => send(&state, &headers, &packs.index),
            None => not_found(),
        },
        Err(r) => r,
    }
}

pub async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    match current(&state).await {
        Ok(_) => {
            let generations = [state.cache.packs(), state.cache.previous_packs()];
            match generations
                .iter()
                .flatten()
                .find_map(|k| k.files.get(&name))
            {
                Some(pack) => respond(&state, &headers, pack),
                None => not_found(),
            }
        }
        Err(r) => r,
    }
}

fn respond(state: &AppState, headers: &HeaderMap, pack: &PackFile) -> Response<Body> {
    let builder = Response::builder()
        .header(header::ETAG, format!("\"{}\"", pack.etag))
        .header(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if not_modified(headers, &pack.etag) {
        state.metrics.not_modified();
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response");
    }
    // Deflated already: no content coding on top.
    builder
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        )
        .body(Body::from(pack.bytes.clone()))
        .expect("valid response")
}
