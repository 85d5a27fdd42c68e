//! `hc-client`: the native HTTP client of the HelpCenter.io v1 API, used by
//! the proxy and the CLI (never compiled to wasm: it holds the key).
//!
//! It knows the API's manners: the `apikey` header, pagination to the last
//! page, one rate limiter shared by every clone so a process stays under the
//! per-token limit, 429s honoured (`Retry-After`, else a minute), 5xx and
//! timeouts retried with jittered backoff, and a write that may have been
//! applied (a POST that timed out or got a 5xx) never repeated blindly.

mod error;
mod key;
mod limiter;
mod retry;

use std::sync::Arc;
use std::time::Instant;

use hc_core::wire::walk::{is_last_page, Listing, Page, Walk, PAGE_LIMIT};
use hc_core::wire::{
    Article, ArticleEnvelope, ArticleList, Category, CategoryEnvelope, CategoryList, CreateArticle,
    Lenient, UpdateArticle, UpdateCategory,
};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

pub use error::ClientError;
pub use key::{ApiKey, KeyError};
pub use limiter::UpstreamLimiter;
pub use retry::RetryPolicy;

pub use hc_core::wire::walk::normalize_base;

/// The real API's base URL, version prefix included.
pub const DEFAULT_API_URL: &str = "https://api.helpcenter.io/v1";

/// One finished HTTP exchange, for metrics and logs (never holds the key).
#[derive(Debug, Clone)]
pub struct CallEvent {
    pub method: Method,
    /// Path and query below the base URL, e.g. `/articles?page=2&limit=100`.
    pub path: String,
    /// `None` when no response arrived (timeout, connection refused).
    pub status: Option<u16>,
    pub elapsed: std::time::Duration,
}

type Observer = Arc<dyn Fn(&CallEvent) + Send + Sync>;

/// Filters of `GET /v1/articles`.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    pub search: Option<String>,
    pub category_id: Option<i64>,
    /// Most viewed first.
    pub sort_by_views: bool,
    pub lang: Option<hc_core::LangCode>,
}

impl ArticleQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if let Some(s) = &self.search {
            p.push(("search", s.clone()));
        }
        if let Some(c) = self.category_id {
            p.push(("category_id", c.to_string()));
        }
        if self.sort_by_views {
            p.push(("sort", "views".into()));
        }
        if let Some(l) = &self.lang {
            p.push(("lang", l.to_string()));
        }
        p
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    key: ApiKey,
    policy: RetryPolicy,
    limiter: Option<UpstreamLimiter>,
    observer: Option<Observer>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// `base` is the API base including its version prefix
    /// (`https://api.helpcenter.io/v1`).
    ///
    /// A base given without any path (`https://api.helpcenter.io`) means
    /// the API's `/v1` there (see [`normalize_base`]): that is the common
    /// mistake, and it would otherwise end in bare 404s.
    pub fn new(base: &str, key: ApiKey) -> Result<Self, ClientError> {
        let normalized = normalize_base(base);
        let trimmed = normalized.as_str();
        let parsed =
            reqwest::Url::parse(trimmed).map_err(|_| ClientError::BadUrl(trimmed.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(ClientError::BadUrl(trimmed.to_string()));
        }
        if parsed.scheme() == "http" && !is_loopback(&parsed) {
            return Err(ClientError::InsecureUrl(trimmed.to_string()));
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("hc-search/", env!("CARGO_PKG_VERSION")))
            // The key travels in a custom header that reqwest would carry
            // along on a redirect, to any host and down to plain http: a
            // 3xx is reported (`ClientError::Redirected`), never followed.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| ClientError::Transport {
                method: Method::GET,
                path: String::new(),
                source: e,
            })?;
        Ok(Client {
            http,
            base: trimmed.to_string(),
            key,
            policy: RetryPolicy::default(),
            limiter: Some(UpstreamLimiter::per_minute(60)),
            observer: None,
        })
    }

    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Replaces the rate limiter (`None`: no client-side limit). Clones of
    /// a client share one limiter.
    pub fn with_limiter(mut self, limiter: Option<UpstreamLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// Called after every HTTP exchange (metrics, logs).
    pub fn with_observer(mut self, observer: impl Fn(&CallEvent) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// One page of articles. Records are decoded one by one: one that
    /// cannot be read is in `skipped` (by id), not an error for the page.
    async fn list_articles(
        &self,
        query: &ArticleQuery,
        page: u32,
        limit: u32,
    ) -> Result<Page<Article>, ClientError> {
        let mut params = query.params();
        params.push(("page", page.to_string()));
        params.push(("limit", limit.to_string()));
        let list: ArticleList<Lenient<Article>> = self.get("/articles", &params).await?;
        Ok(Page::split(list.articles, list.meta))
    }

    /// One page of categories, decoded record by record (see
    /// [`Client::list_articles`]).
    pub async fn list_categories(
        &self,
        page: u32,
        limit: u32,
    ) -> Result<Page<Category>, ClientError> {
        let list: CategoryList<Lenient<Category>> = self
            .get(
                "/categories",
                &[("page", page.to_string()), ("limit", limit.to_string())],
            )
            .await?;
        Ok(Page::split(list.categories, list.meta))
    }

    /// Every article matching `query`, walking pages of 100 to the last:
    /// each id once (the copy read last wins), records that cannot be read
    /// skipped and listed. In id order, unless `query.sort_by_views`, when
    /// the upstream's order is kept.
    pub async fn walk_articles(
        &self,
        query: &ArticleQuery,
    ) -> Result<Listing<Article>, ClientError> {
        let mut walk = Walk::default();
        let mut page = 1;
        loop {
            let p = self.list_articles(query, page, PAGE_LIMIT).await?;
            let meta = p.meta;
            walk.add(p, |a| a.id);
            if is_last_page(page, &meta) {
                return Ok(logged(
                    "article",
                    walk.finish(!query.sort_by_views, |a| a.id),
                ));
            }
            page += 1;
        }
    }

    /// Every category, as [`Client::walk_articles`] (in id order).
    pub async fn walk_categories(&self) -> Result<Listing<Category>, ClientError> {
        let mut walk = Walk::default();
        let mut page = 1;
        loop {
            let p = self.list_categories(page, PAGE_LIMIT).await?;
            let meta = p.meta;
            walk.add(p, |c| c.id);
            if is_last_page(page, &meta) {
                return Ok(logged("category", walk.finish(true, |c| c.id)));
            }
            page += 1;
        }
    }

    /// Every article, for callers that must see all of them (export, the
    /// write workflows): as [`Client::walk_articles`], but a record that
    /// cannot be read is an error naming its id.
    pub async fn list_all_articles(
        &self,
        query: &ArticleQuery,
    ) -> Result<Vec<Article>, ClientError> {
        complete(self.walk_articles(query).await?, "articles")
    }

    /// Every category; a record that cannot be read is an error.
    pub async fn list_all_categories(&self) -> Result<Vec<Category>, ClientError> {
        complete(self.walk_categories().await?, "categories")
    }

    pub async fn create_article(&self, request: &CreateArticle) -> Result<Article, ClientError> {
        let body = serde_json::to_value(request).map_err(|e| ClientError::Decode(e.to_string()))?;
        let env: ArticleEnvelope = self
            .send(Method::POST, "/articles".into(), &[], Some(body))
            .await?;
        Ok(env.article)
    }

    pub async fn update_article(
        &self,
        id: i64,
        request: &UpdateArticle,
    ) -> Result<Article, ClientError> {
        let body = serde_json::to_value(request).map_err(|e| ClientError::Decode(e.to_string()))?;
        let env: ArticleEnvelope = self
            .send(Method::PATCH, format!("/articles/{id}"), &[], Some(body))
            .await?;
        Ok(env.article)
    }

    pub async fn update_category(
        &self,
        id: i64,
        request: &UpdateCategory,
    ) -> Result<Category, ClientError> {
        let body = serde_json::to_value(request).map_err(|e| ClientError::Decode(e.to_string()))?;
        let env: CategoryEnvelope = self
            .send(Method::PATCH, format!("/categories/{id}"), &[], Some(body))
            .await?;
        Ok(env.category)
    }

    /// Sends an empty `PATCH` (which changes nothing) and returns the raw
    /// status, without retries. The proxy uses it to learn a key's scope
    /// without writing: a Read Only key gets 403 before the id is looked up.
    pub async fn probe_write(&self, path: &str) -> Result<u16, ClientError> {
        self.wait_for_limiter().await;
        let url = format!("{}{}", self.base, path);
        let started = Instant::now();
        let result = self
            .http
            .request(Method::PATCH, &url)
            .header("apikey", self.key.expose())
            .json(&serde_json::json!({}))
            .timeout(self.policy.request_timeout)
            .send()
            .await;
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        self.observe(Method::PATCH, path, status, started);
        let response = result.map_err(|source| ClientError::Transport {
            method: Method::PATCH,
            path: path.to_string(),
            source,
        })?;
        if response.status().is_redirection() {
            return Err(redirected(Method::PATCH, path, &response));
        }
        Ok(response.status().as_u16())
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, String)],
    ) -> Result<T, ClientError> {
        self.send(Method::GET, path.to_string(), params, None).await
    }

    async fn wait_for_limiter(&self) {
        if let Some(l) = &self.limiter {
            l.until_ready().await;
        }
    }

    fn observe(&self, method: Method, path: &str, status: Option<u16>, started: Instant) {
        if let Some(o) = &self.observer {
            o(&CallEvent {
                method,
                path: path.to_string(),
                status,
                elapsed: started.elapsed(),
            });
        }
    }

    /// One logical request with the retry policy applied.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        params: &[(&str, String)],
        body: Option<serde_json::Value>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{}", self.base, path);
        let shown_path = if params.is_empty() {
            path.clone()
        } else {
            let q: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{path}?{}", q.join("&"))
        };
        // POST creates: repeating one that may have been applied would make
        // a duplicate, so only answers that prove it was not applied (429,
        // connection refused) are retried.
        let idempotent = method != Method::POST;
        let mut attempt = 0u32;
        let mut rate_limited = 0u32;
        loop {
            attempt += 1;
            self.wait_for_limiter().await;
            let mut request = self
                .http
                .request(method.clone(), &url)
                .header("apikey", self.key.expose())
                .timeout(self.policy.request_timeout);
            if !params.is_empty() {
                request = request.query(params);
            }
            if let Some(b) = &body {
                request = request.json(b);
            }
            let started = Instant::now();
            let result = request.send().await;
            let status = result.as_ref().ok().map(|r| r.status().as_u16());
            self.observe(method.clone(), &shown_path, status, started);
            let response = match result {
                Ok(r) => r,
                Err(source) => {
                    let retryable = source.is_connect()
                        || (idempotent && (source.is_timeout() || source.is_request()));
                    if retryable && attempt < self.policy.max_attempts {
                        let wait = self.policy.backoff(attempt);
                        tracing::warn!(%method, path = %shown_path, error = %source, ?wait, "upstream request failed; retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(ClientError::Transport {
                        method,
                        path: shown_path,
                        source,
                    });
                }
            };
            let status = response.status();
            if status.is_redirection() {
                return Err(redirected(method, &shown_path, &response));
            }
            if status == StatusCode::TOO_MANY_REQUESTS {
                rate_limited += 1;
                let retry_after = retry::retry_after(response.headers());
                if rate_limited > self.policy.max_rate_limited_retries {
                    return Err(ClientError::RateLimited {
                        retry_after,
                        attempts: rate_limited,
                    });
                }
                let wait = retry_after
                    .unwrap_or(self.policy.default_rate_limit_wait)
                    .min(self.policy.max_rate_limit_wait);
                tracing::warn!(%method, path = %shown_path, ?wait, "upstream answered 429; waiting");
                tokio::time::sleep(wait).await;
                attempt -= 1; // a 429 was not processed: it does not use up an attempt
                continue;
            }
            let bytes = response
                .bytes()
                .await
                .map_err(|source| ClientError::Transport {
                    method: method.clone(),
                    path: shown_path.clone(),
                    source,
                })?;
            if status.is_success() {
                return serde_json::from_slice(&bytes)
                    .map_err(|e| ClientError::Decode(format!("{method} {shown_path}: {e}")));
            }
            if status.is_server_error() && idempotent && attempt < self.policy.max_attempts {
                let wait = self.policy.backoff(attempt);
                tracing::warn!(%method, path = %shown_path, status = status.as_u16(), ?wait, "upstream error; retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(ClientError::from_status(status.as_u16(), &bytes));
        }
    }
}

/// Plain http is allowed only where the key cannot leave the machine:
/// 127.0.0.0/8, ::1 and `localhost` (tests, the demo, hc-sim).
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// The error for a 3xx answer: where it pointed (resolved against the
/// request, without user info or query, which could hold secrets of their
/// own), never the key.
fn redirected(method: Method, path: &str, response: &reqwest::Response) -> ClientError {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|raw| match response.url().join(raw) {
            Ok(mut u) => {
                let _ = u.set_username("");
                let _ = u.set_password(None);
                u.set_query(None);
                u.set_fragment(None);
                u.to_string()
            }
            Err(_) => raw.chars().take(200).collect(),
        });
    ClientError::Redirected {
        method,
        path: path.to_string(),
        status: response.status().as_u16(),
        location,
    }
}

/// The items of a walk, or an error if any record could not be read.
fn complete<T>(listing: Listing<T>, kind: &'static str) -> Result<Vec<T>, ClientError> {
    if listing.skipped.is_empty() {
        Ok(listing.items)
    } else {
        Err(ClientError::Undecodable {
            kind,
            records: listing.skipped,
        })
    }
}

/// Logs what a walk left out or merged: ids and fields only, never a
/// record's text (it may be a draft or hold a share token).
fn logged<T>(kind: &'static str, listing: Listing<T>) -> Listing<T> {
    for s in &listing.skipped {
        tracing::warn!(kind, id = ?s.id, field = %s.field, "skipping a record that cannot be decoded");
    }
    if listing.duplicates > 0 {
        tracing::info!(
            kind,
            duplicates = listing.duplicates,
            "ids listed twice while paging were kept once"
        );
    }
    listing
}
