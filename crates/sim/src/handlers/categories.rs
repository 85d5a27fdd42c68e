//! `GET /v1/categories`, `PATCH /v1/categories/{id}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use hc_core::wire::{CategoryEnvelope, CategoryList, FieldErrors, Success};

use super::{
    paginate, pagination, patch_target, persist_or_rollback, query_params, response_language,
    PatchTarget,
};
use crate::error::ApiError;
use crate::state::{lock, Scope, SimState};
use crate::validate;

pub async fn list(
    State(state): State<Arc<SimState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let params = query_params(raw.as_deref());
    let mut errors = FieldErrors::new();
    let (page, limit) = pagination(&params, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::QueryValidation(errors));
    }
    let shifted = state.shifted_pages();
    let store = lock(&state.store);
    let lang = response_language(&params, &store.site)?;
    let (mut categories, meta) =
        paginate(store.categories.values().collect(), page, limit, shifted);
    drop(store);
    if let Some(lang) = &lang {
        for c in &mut categories {
            c.name.retain_only(lang);
            c.description.retain_only(lang);
        }
    }
    let mut body = serde_json::to_value(CategoryList {
        status: Success,
        categories,
        meta,
    })
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    crate::wire_patches::apply(
        &mut body,
        "categories",
        &lock(&state.wire_patches).categories,
    );
    Ok(Json(body))
}

pub async fn update(
    State(state): State<Arc<SimState>>,
    Extension(scope): Extension<Scope>,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<CategoryEnvelope>, ApiError> {
    let PatchTarget {
        mut store,
        id,
        body: value,
    } = patch_target(
        &state,
        scope,
        "updating categories",
        "category",
        &raw_id,
        |s, id| s.categories.contains_key(&id),
        &headers,
        body,
    )?;
    let req = validate::update_category(&value, id, &store)?;
    let before = store
        .categories
        .get(&id)
        .cloned()
        .ok_or(ApiError::NotFound {
            resource: "category",
        })?;
    let mut category = before.clone();
    if let Some(name) = req.name {
        category.name.merge(name);
    }
    if let Some(description) = req.description {
        category.description.merge(description);
    }
    if let Some(parent) = req.parent {
        category.parent = parent;
    }
    if let Some(icon) = req.icon {
        category.icon = icon;
    }
    if category != before {
        let was_dirty = !store.dirty_categories.insert(id);
        store.categories.insert(id, category.clone());
        persist_or_rollback(&state, &mut store, |store| {
            store.categories.insert(id, before);
            if !was_dirty {
                store.dirty_categories.remove(&id);
            }
        })?;
    }
    Ok(Json(CategoryEnvelope {
        status: Success,
        category,
    }))
}
