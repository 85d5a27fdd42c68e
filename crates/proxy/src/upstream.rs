//! The proxy's only way to the HelpCenter.io API: one [`hc_client::Client`]
//! (so one shared rate limiter, 429 handling and jittered retries) that
//! walks every page of articles and categories, and checks the key's scope
//! at start without writing anything.

use std::time::Duration;

use hc_client::{ApiKey, ArticleQuery, Client, ClientError, RetryPolicy, UpstreamLimiter};
use hc_core::{Article, Category};

use crate::error::{ConfigError, RefreshError, StartupError, UpstreamFailure};
use crate::metrics::Metrics;

/// What the startup probe learned about the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyScope {
    ReadOnly,
    ReadWrite,
}

#[derive(Debug, Clone)]
pub struct Upstream {
    client: Client,
    metrics: Metrics,
}

/// One walk's result: each id once, in id order (so the same content gives
/// the same snapshot however pages shifted), and how many records were left
/// out because they could not be decoded.
#[derive(Debug)]
pub struct Walked {
    pub articles: Vec<Article>,
    pub categories: Vec<Category>,
    pub skipped_articles: usize,
    pub skipped_categories: usize,
    pub duplicates: usize,
}

/// Knobs of the upstream client.
#[derive(Debug, Clone)]
pub struct UpstreamOptions {
    pub timeout: Duration,
    pub per_minute: u32,
    /// `None`: hc-client's defaults (250 ms doubling to 8 s, 4 attempts).
    pub retry: Option<RetryPolicy>,
}

impl Upstream {
    pub fn new(
        base: &str,
        key: ApiKey,
        options: UpstreamOptions,
        metrics: Metrics,
    ) -> Result<Self, ConfigError> {
        let mut policy = options.retry.unwrap_or_default();
        policy.request_timeout = options.timeout;
        let limiter =
            (options.per_minute > 0).then(|| UpstreamLimiter::per_minute(options.per_minute));
        let observed = metrics.clone();
        let client = Client::new(base, key)?
            .with_retry(policy)
            .with_limiter(limiter)
            .with_observer(move |event| {
                observed.upstream_call(event.method.as_str(), &event.path, event.status);
            });
        Ok(Upstream { client, metrics })
    }

    /// Every article and category of the site (one "walk": all pages). A
    /// record that cannot be decoded is left out (hc-client logs its id)
    /// and counted in `hc_proxy_upstream_records_skipped`, so one bad record
    /// cannot keep the whole help center from being served.
    pub async fn walk(&self) -> Result<Walked, RefreshError> {
        let categories = self.client.walk_categories().await.map_err(classify)?;
        let articles = self
            .client
            .walk_articles(&ArticleQuery::default())
            .await
            .map_err(classify)?;
        let walked = Walked {
            skipped_articles: articles.skipped.len(),
            skipped_categories: categories.skipped.len(),
            duplicates: articles.duplicates + categories.duplicates,
            articles: articles.items,
            categories: categories.items,
        };
        self.metrics
            .records_skipped(walked.skipped_articles, walked.skipped_categories);
        Ok(walked)
    }

    /// Learns the key's scope with an empty `PATCH /articles/0`: the API
    /// checks the key (401), then the write scope (403 for a Read Only
    /// key), and only then looks the id up (404: there is no article 0),
    /// so nothing is ever changed. 401 is an unknown key; 403 read-only;
    /// any other answer means the key may write.
    pub async fn check_key(&self) -> Result<KeyScope, StartupError> {
        match self.client.probe_write("/articles/0").await {
            Ok(401) => Err(StartupError::UnknownKey),
            Ok(403) => Ok(KeyScope::ReadOnly),
            Ok(status @ (429 | 500..=599)) => Err(StartupError::Inconclusive(format!(
                "the upstream answered {status}"
            ))),
            Ok(_) => Ok(KeyScope::ReadWrite),
            Err(e @ ClientError::Redirected { .. }) => {
                Err(StartupError::Misdirected(e.to_string()))
            }
            Err(e) => Err(StartupError::Inconclusive(e.to_string())),
        }
    }
}

fn classify(e: ClientError) -> RefreshError {
    let kind = match &e {
        ClientError::Unauthorized(_) | ClientError::Forbidden(_) => {
            return RefreshError::Key(e.to_string())
        }
        ClientError::Transport { .. } => UpstreamFailure::Unreachable,
        ClientError::RateLimited { .. } => UpstreamFailure::RateLimited,
        ClientError::Status { status, .. } => UpstreamFailure::Status(*status),
        ClientError::NotFound(_) => UpstreamFailure::Status(404),
        ClientError::BadRequest(_) => UpstreamFailure::Status(400),
        ClientError::Decode(_) => UpstreamFailure::Malformed,
        #[allow(unreachable_patterns)] // hc-client may grow new refusals
        _ => UpstreamFailure::Refused,
    };
    RefreshError::Upstream {
        kind,
        detail: e.to_string(),
    }
}
