//! Request handlers of the `/v1` routes, plus what they share: query-string
//! parsing for lists and body reading for writes.

pub mod articles;
pub mod categories;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap, StatusCode};
use hc_core::wire::{FieldErrors, ListMeta};
use hc_core::LangCode;
use serde_json::Value;

use std::sync::MutexGuard;

use crate::error::ApiError;
use crate::persist;
use crate::state::{lock, require_write, Scope, SimState};
use crate::store::Store;

/// Largest page size; larger `limit`s are capped, as the reference says.
pub const MAX_LIMIT: u32 = 100;

/// Query parameters, decoded leniently (invalid percent-encoding becomes
/// U+FFFD, the last of repeated keys wins), so that no query string can make
/// the extractor reject a request before validation speaks.
pub fn query_params(raw: Option<&str>) -> HashMap<String, String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `page` and `limit`, validated the Laravel way; `limit` over 100 is capped.
pub fn pagination(params: &HashMap<String, String>, errors: &mut FieldErrors) -> (u32, u32) {
    let mut positive = |field: &str, default: u32| -> u32 {
        match params.get(field).map(|s| s.trim()) {
            None | Some("") => default,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 1 => u32::try_from(n).unwrap_or(u32::MAX),
                Ok(_) => {
                    errors.insert(
                        field.into(),
                        vec![format!("The {field} must be at least 1.")],
                    );
                    default
                }
                Err(_) => {
                    errors.insert(
                        field.into(),
                        vec![format!("The {field} must be an integer.")],
                    );
                    default
                }
            },
        }
    };
    let page = positive("page", 1);
    let limit = positive("limit", MAX_LIMIT).min(MAX_LIMIT);
    (page, limit)
}

/// A copy of one page of `items` (the store's, selected and ordered by
/// reference), with its meta. Only the page is copied: copying every item
/// for each page would make a walk of a whole list quadratic (at 50,000
/// articles, 500 pages each copying the whole 160 MB store). `shifted`:
/// pages after the first start one item early and count one item more,
/// as if an item had been inserted at the front after page 1 was read
/// (`Faults::shifted_pages`).
pub fn paginate<T: Clone>(
    items: Vec<&T>,
    page: u32,
    limit: u32,
    shifted: bool,
) -> (Vec<T>, ListMeta) {
    let shift = u64::from(shifted && page > 1);
    let meta = ListMeta::new(page, limit, items.len() as u64 + shift);
    let start = (u64::from(page) - 1)
        .saturating_mul(u64::from(limit))
        .saturating_sub(shift);
    let items = items
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(limit as usize)
        .cloned()
        .collect();
    (items, meta)
}

/// The optional `lang` parameter: must be a code the site has enabled.
pub fn response_language(
    params: &HashMap<String, String>,
    site: &hc_core::Site,
) -> Result<Option<LangCode>, ApiError> {
    match params.get("lang").map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(raw) => match LangCode::parse(raw) {
            Ok(lang) if site.supports(&lang) => Ok(Some(lang)),
            _ => Err(ApiError::UnsupportedLanguage(
                raw.chars().take(40).collect(),
            )),
        },
    }
}

/// A resource id from the path: a positive integer, else the resource does
/// not exist (404, as route-model binding answers).
pub fn path_id(raw: &str, resource: &'static str) -> Result<i64, ApiError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::NotFound { resource }),
    }
}

/// What a PATCH writes to: the store, locked once for the whole write, the
/// existing resource's id and the parsed body.
pub struct PatchTarget<'s> {
    pub store: MutexGuard<'s, Store>,
    pub id: i64,
    pub body: Value,
}

/// The prologue every PATCH shares, in the reference's order: write scope
/// (403, before anything is looked up), the id exists (404), then the body
/// (415/413/400). The store stays locked from the existence check on, so
/// the resource cannot vanish before the write.
#[allow(clippy::too_many_arguments)]
pub fn patch_target<'s>(
    state: &'s SimState,
    scope: Scope,
    action: &'static str,
    resource: &'static str,
    raw_id: &str,
    exists: impl Fn(&Store, i64) -> bool,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<PatchTarget<'s>, ApiError> {
    require_write(scope, action)?;
    let id = path_id(raw_id, resource)?;
    let store = lock(&state.store);
    if !exists(&store, id) {
        return Err(ApiError::NotFound { resource });
    }
    let body = json_body(headers, body, state.body_limit)?;
    Ok(PatchTarget { store, id, body })
}

/// A write's body: `Content-Type: application/json`, within the size
/// limit, valid UTF-8 JSON.
pub fn json_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<Value, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge { limit }
        } else {
            ApiError::BodyValidation(ApiError::field(
                "body",
                "The request body could not be read.",
            ))
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let what = if std::str::from_utf8(&bytes).is_err() {
            "The request body is not valid UTF-8.".to_string()
        } else {
            format!("The request body is not valid JSON ({e}).")
        };
        ApiError::BodyValidation(ApiError::field("body", what))
    })
}

/// The current time as the API writes it: `2024-05-01T12:00:00Z`.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// A fresh 64-hex-character share token.
pub fn share_token() -> String {
    use rand::Rng;
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Persists the store after a write already applied to it; if the state
/// file cannot be written, `rollback` undoes the write and the client gets a
/// 500, so an acknowledged write is always a stored one.
pub fn persist_or_rollback(
    state: &SimState,
    store: &mut Store,
    rollback: impl FnOnce(&mut Store),
) -> Result<(), ApiError> {
    let Some(path) = &state.state_file else {
        return Ok(());
    };
    match persist::save(path, store) {
        Ok(()) => Ok(()),
        Err(e) => {
            rollback(store);
            tracing::error!(error = %e, "write not applied");
            Err(ApiError::Internal("the write could not be stored".into()))
        }
    }
}
