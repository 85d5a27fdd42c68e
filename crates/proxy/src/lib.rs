//! `hc-proxy`: the server that holds a Read Only HelpCenter.io key and lets
//! only public content out.
//!
//! A browser must never hold the key, and the upstream allows 60 requests a
//! minute, so the proxy fetches the whole help center in one walk, keeps a
//! prepared public copy ([`prepared::Prepared`]) and answers every visitor
//! from it: [`cache`] decides when to refresh (single-flight, stale while
//! revalidating, stale when the upstream fails), [`upstream`] is the only
//! code that talks to the API, [`routes`] and [`layers`] are the visitor
//! side. [`Proxy`] ties them together for the binary and the tests.

// A panic in a handler drops the visitor's request: no `unwrap` outside
// tests (an `expect` names the invariant it relies on).
#![warn(clippy::unwrap_used)]

pub mod cache;
pub mod config;
pub mod error;
pub mod layers;
pub mod metrics;
pub mod packs;
pub mod prepared;
pub mod routes;
pub mod server;
pub mod shutdown;
pub mod upstream;

use std::future::Future;
use std::sync::Arc;

use axum::http::HeaderValue;
use axum::Router;
use hc_client::{ApiKey, RetryPolicy};
use tokio::net::TcpListener;

pub use config::{Args, Origins, Settings};
pub use error::{ConfigError, RefreshError, StartupError, UpstreamFailure};
pub use upstream::KeyScope;

use cache::{Cache, CachePolicy};
use hc_publish::{LanguageConfig, Sanitizer};
use metrics::Metrics;
use upstream::{Upstream, UpstreamOptions};

/// A configured proxy, ready to check its key and serve.
#[derive(Debug, Clone)]
pub struct Proxy {
    settings: Settings,
    upstream: Upstream,
    cache: Arc<Cache>,
    metrics: Metrics,
}

impl Proxy {
    pub fn new(settings: Settings, key: ApiKey) -> Result<Self, ConfigError> {
        Self::with_retry(settings, key, None)
    }

    /// As [`Proxy::new`], with the upstream retry policy replaced (tests
    /// use short backoffs).
    pub fn with_retry(
        settings: Settings,
        key: ApiKey,
        retry: Option<RetryPolicy>,
    ) -> Result<Self, ConfigError> {
        let metrics = Metrics::new();
        let upstream = Upstream::new(
            &settings.upstream,
            key,
            UpstreamOptions {
                timeout: settings.upstream_timeout,
                per_minute: settings.upstream_per_minute,
                retry,
            },
            metrics.clone(),
        )?;
        let cache = Cache::new(
            upstream.clone(),
            Sanitizer::new(settings.public_url.as_ref()),
            LanguageConfig {
                languages: settings.languages.clone(),
                default_language: settings.default_language.clone(),
                synonyms: settings.synonyms.clone(),
                page_rules: settings.page_rules.clone(),
            },
            CachePolicy {
                fresh_for: settings.fresh_for,
                retry_failed_after: settings.retry_failed_after,
                cold_wait: settings.cold_wait,
                build_packs: settings.build_packs,
            },
            metrics.clone(),
        );
        Ok(Proxy {
            settings,
            upstream,
            cache,
            metrics,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn cache(&self) -> &Arc<Cache> {
        &self.cache
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Checks the key against the upstream without writing anything (see
    /// [`Upstream::check_key`]) and applies the write-key rule.
    pub async fn check_key(&self) -> Result<KeyScope, StartupError> {
        let scope = self.upstream.check_key().await?;
        if scope == KeyScope::ReadWrite && !self.settings.allow_write_key {
            return Err(StartupError::WriteKey);
        }
        Ok(scope)
    }

    /// The whole application: routes and visitor-side layers.
    pub fn router(&self) -> Router {
        let s = &self.settings;
        let cache_control = HeaderValue::from_str(&format!(
            "public, max-age={}, stale-while-revalidate={}, stale-if-error={}",
            s.fresh_for.as_secs(),
            s.stale_while_revalidate.as_secs(),
            s.stale_if_error.as_secs()
        ))
        .expect("digits and ASCII");
        let state = routes::AppState {
            cache: Arc::clone(&self.cache),
            metrics: self.metrics.clone(),
            cache_control,
        };
        layers::apply(routes::router(state), s)
    }

    /// Starts a refresh in the background (warm start).
    pub fn warm(&self) {
        drop(self.cache.refresh());
    }

    /// Serves on `listener` until `shutdown` completes (see [`server`]).
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let s = &self.settings;
        let limits = server::ConnectionLimits {
            header_read_timeout: s.header_read_timeout,
            idle_timeout: s.idle_timeout,
            max_connections: s.max_connections,
        };
        server::serve(listener, self.router(), limits, shutdown).await
    }
}
