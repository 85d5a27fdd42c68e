//! `GET /v1/articles`, `POST /v1/articles`, `PATCH /v1/articles/{id}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use hc_core::wire::{Article, ArticleEnvelope, ArticleList, FieldErrors, Success, Visibility};
use hc_core::{LangCode, Translations};

use super::{
    json_body, now, paginate, pagination, patch_target, persist_or_rollback, query_params,
    response_language, share_token, PatchTarget,
};
use crate::error::ApiError;
use crate::state::{lock, require_write, Scope, SimState};
use crate::store::Store;
use crate::validate;

/// Longest accepted `search` term, in characters.
const MAX_SEARCH_CHARS: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Asc,
    Desc,
}

pub async fn list(
    State(state): State<Arc<SimState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let params = query_params(raw.as_deref());
    let mut errors = FieldErrors::new();
    let (page, limit) = pagination(&params, &mut errors);
    let category = positive_id(&params, "category_id", &mut errors);
    let by_views = match params.get("sort").map(String::as_str) {
        None | Some("") | Some("id") => false,
        Some("views") => true,
        Some(_) => {
            errors.insert(
                "sort".into(),
                vec!["The selected sort is invalid (views or id).".into()],
            );
            false
        }
    };
    let order = match params.get("order").map(String::as_str) {
        None | Some("") => None,
        Some("asc") => Some(Order::Asc),
        Some("desc") => Some(Order::Desc),
        Some(_) => {
            errors.insert(
                "order".into(),
                vec!["The selected order is invalid (asc or desc).".into()],
            );
            None
        }
    };
    let search = params
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    if search
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS)
    {
        errors.insert(
            "search".into(),
            vec![format!(
                "The search may not be greater than {MAX_SEARCH_CHARS} characters."
            )],
        );
    }
    let shifted = state.shifted_pages();
    let store = lock(&state.store);
    if let Some(id) = category {
        if !store.categories.contains_key(&id) {
            errors.insert(
                "category_id".into(),
                vec!["The selected category id is invalid.".into()],
            );
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::QueryValidation(errors));
    }
    let lang = response_language(&params, &store.site)?;

    let mut items: Vec<&Article> = store
        .articles
        .values()
        .filter(|a| category.is_none_or(|c| a.category_ids().contains(&c)))
        .filter(|a| lang.as_ref().is_none_or(|l| has_content(a, l)))
        .filter(|a| {
            search
                .as_deref()
                .is_none_or(|s| matches_search(a, s, lang.as_ref()))
        })
        .collect();
    if by_views {
        // Most viewed first unless asked otherwise; id breaks ties.
        match order.unwrap_or(Order::Desc) {
            Order::Desc => items.sort_by(|a, b| b.views.cmp(&a.views).then(a.id.cmp(&b.id))),
            Order::Asc => items.sort_by(|a, b| a.views.cmp(&b.views).then(a.id.cmp(&b.id))),
        }
    } else if order == Some(Order::Desc) {
        items.reverse();
    }
    let (mut articles, meta) = paginate(items, page, limit, shifted);
    drop(store);
    if let Some(lang) = &lang {
        for a in &mut articles {
            a.title.retain_only(lang);
            a.slug.retain_only(lang);
            a.content.retain_only(lang);
        }
    }
    let mut body = serde_json::to_value(ArticleList {
        status: Success,
        articles,
        meta,
    })
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    crate::wire_patches::apply(&mut body, "articles", &lock(&state.wire_patches).articles);
    Ok(Json(body))
}

fn positive_id(
    params: &HashMap<String, String>,
    field: &str,
    errors: &mut FieldErrors,
) -> Option<i64> {
    let raw = params
        .get(field)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())?;
    match raw.parse::<i64>() {
        Ok(id) if id >= 1 => Some(id),
        _ => {
            errors.insert(
                field.into(),
                vec![format!(
                    "The {} must be a positive integer.",
                    field.replace('_', " ")
                )],
            );
            None
        }
    }
}

fn has_content(a: &Article, lang: &LangCode) -> bool {
    a.content.get(lang).is_some_and(|c| !c.trim().is_empty())
}

fn matches_search(a: &Article, needle: &str, lang: Option<&LangCode>) -> bool {
    let hit = |t: &Translations<String>| {
        t.iter()
            .filter(|(l, _)| lang.is_none_or(|want| *l == want))
            .any(|(_, text)| text.to_lowercase().contains(needle))
    };
    hit(&a.title) || hit(&a.content)
}

pub async fn create(
    State(state): State<Arc<SimState>>,
    Extension(scope): Extension<Scope>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ArticleEnvelope>), ApiError> {
    require_write(scope, "creating articles")?;
    let value = json_body(&headers, body, state.body_limit)?;
    let mut store = lock(&state.store);
    let req = validate::create_article(&value, &store)?;
    check_slugs_free(&store, req.slug.as_ref(), None)?;
    let mut slug = req.slug.clone().unwrap_or_default();
    for (lang, title) in req.title.iter() {
        if slug.get(lang).is_none_or(|s| s.trim().is_empty()) {
            slug.insert(lang.clone(), store.unique_slug(lang, title, None));
        }
    }
    let (category_id, categories) = match req.categories {
        Some(list) if !list.is_empty() => (Some(-1), list),
        _ => (req.category_id, Vec::new()),
    };
    let visibility = req.visibility.unwrap_or(Visibility::Public);
    let created = now();
    let article = Article {
        id: store.allocate_article_id(),
        title: req.title,
        slug,
        content: req.content.unwrap_or_default(),
        published: req.published.unwrap_or(false),
        visibility,
        category_id,
        categories,
        views: 0,
        created_at: created.clone(),
        updated_at: created,
        share_token: (visibility == Visibility::LinkOnly).then(share_token),
        content_json: None,
    };
    commit_article(&state, &mut store, article.clone(), None)?;
    Ok((
        StatusCode::CREATED,
        Json(ArticleEnvelope {
            status: Success,
            article,
        }),
    ))
}

pub async fn update(
    State(state): State<Arc<SimState>>,
    Extension(scope): Extension<Scope>,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ArticleEnvelope>, ApiError> {
    let PatchTarget {
        mut store,
        id,
        body: value,
    } = patch_target(
        &state,
        scope,
        "updating articles",
        "article",
        &raw_id,
        |s, id| s.articles.contains_key(&id),
        &headers,
        body,
    )?;
    let req = validate::update_article(&value, &store)?;
    let before = store.articles.get(&id).cloned().ok_or(ApiError::NotFound {
        resource: "article",
    })?;
    check_slugs_free(&store, req.slug.as_ref(), Some(id))?;
    let mut article = before.clone();
    if let Some(title) = req.title {
        article.title.merge(title);
    }
    if let Some(slug) = req.slug {
        article.slug.merge(slug);
    }
    // A language that gained a title but has no slug gets one generated.
    let missing: Vec<(LangCode, String)> = article
        .title
        .iter()
        .filter(|(lang, _)| !article.slug.contains(lang))
        .map(|(lang, title)| (lang.clone(), store.unique_slug(lang, title, Some(id))))
        .collect();
    for (lang, slug) in missing {
        article.slug.insert(lang, slug);
    }
    if let Some(content) = req.content {
        article.content.merge(content);
        article.content_json = None;
    }
    if let Some(published) = req.published {
        article.published = published;
    }
    if let Some(visibility) = req.visibility {
        article.visibility = visibility;
        article.share_token = match visibility {
            Visibility::LinkOnly => article.share_token.or_else(|| Some(share_token())),
            _ => None,
        };
    }
    match (req.categories, req.category_id) {
        (Some(list), _) if !list.is_empty() => {
            article.category_id = Some(-1);
            article.categories = list;
        }
        (_, Some(cat)) => {
            article.category_id = Some(cat);
            article.categories.clear();
        }
        _ => {}
    }
    if article != before {
        article.updated_at = now();
        commit_article(&state, &mut store, article.clone(), Some(before))?;
    }
    Ok(Json(ArticleEnvelope {
        status: Success,
        article,
    }))
}

/// Explicit slugs must not collide with another article's in that language.
fn check_slugs_free(
    store: &Store,
    slugs: Option<&Translations<String>>,
    except: Option<i64>,
) -> Result<(), ApiError> {
    let Some(slugs) = slugs else { return Ok(()) };
    let mut errors = FieldErrors::new();
    for (lang, wanted) in slugs.iter() {
        let taken = store
            .articles
            .values()
            .any(|a| Some(a.id) != except && a.slug.get(lang) == Some(wanted));
        if taken {
            errors.insert(
                format!("slug.{lang}"),
                vec![format!("The slug.{lang} has already been taken.")],
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::BodyValidation(errors))
    }
}

/// Stores the article and persists the state file; if persisting fails the
/// store is put back as it was and the client gets a 500.
fn commit_article(
    state: &SimState,
    store: &mut Store,
    article: Article,
    before: Option<Article>,
) -> Result<(), ApiError> {
    let id = article.id;
    let was_dirty = !store.dirty_articles.insert(id);
    store.articles.insert(id, article);
    persist_or_rollback(state, store, |store| {
        match before {
            Some(b) => store.articles.insert(id, b),
            None => store.articles.remove(&id),
        };
        if !was_dirty {
            store.dirty_articles.remove(&id);
        }
    })
}
