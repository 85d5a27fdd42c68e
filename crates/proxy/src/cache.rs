//! The cached help center and the rules for refreshing it:
//!
//! - fresh (younger than `fresh_for`): served as is;
//! - stale: served at once, and one background refresh is started;
//! - none (cold start): the visitor waits for the refresh, at most
//!   `cold_wait`, then gets a 503 with `Retry-After`.
//!
//! Refreshes are single-flight: whoever finds no refresh running starts one
//! as a detached task and everyone else awaits the same shared future, so a
//! thousand concurrent misses make one upstream walk. A failed refresh keeps
//! the last good copy (it is served for as long as the upstream fails) and
//! holds further attempts back for `retry_failed_after`, so an outage does
//! not turn every visitor request into an upstream call.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use futures::future::{BoxFuture, FutureExt, Shared};

use crate::error::RefreshError;
use crate::metrics::{CacheOutcome, Metrics};
use crate::packs::Packs;
use crate::prepared::Prepared;
use crate::upstream::Upstream;
use hc_publish::{LanguageConfig, Sanitizer};

type RefreshFuture = Shared<BoxFuture<'static, Result<Arc<Prepared>, RefreshError>>>;

/// Timing rules of the cache.
#[derive(Debug, Clone)]
pub struct CachePolicy {
    pub fresh_for: Duration,
    pub retry_failed_after: Duration,
    pub cold_wait: Duration,
    /// Build the per-language packs after each refresh.
    pub build_packs: bool,
}

/// The answer to "what can I serve now?".
#[derive(Debug)]
pub enum Lookup {
    Ready(Arc<Prepared>),
    Unavailable { retry_after: Duration },
}

pub struct Cache {
    current: ArcSwapOption<Prepared>,
    /// The packs of the newest content they were built for: after a
    /// refresh with new content, those of the previous one until the new
    /// ones are whole.
    packs: ArcSwapOption<Packs>,
    /// The packs they replaced: a visitor whose widget loaded one of those
    /// fetches the pieces of its texts for the rest of the visit.
    previous_packs: ArcSwapOption<Packs>,
    /// The content version whose packs are being built.
    packs_building: Mutex<Option<String>>,
    inflight: Mutex<Option<RefreshFuture>>,
    last_failure: Mutex<Option<(Instant, RefreshError)>>,
    upstream: Upstream,
    sanitizer: Sanitizer,
    languages: LanguageConfig,
    policy: CachePolicy,
    metrics: Metrics,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Cache {
    pub fn new(
        upstream: Upstream,
        sanitizer: Sanitizer,
        languages: LanguageConfig,
        policy: CachePolicy,
        metrics: Metrics,
    ) -> Arc<Self> {
        Arc::new(Cache {
            current: ArcSwapOption::empty(),
            packs: ArcSwapOption::empty(),
            previous_packs: ArcSwapOption::empty(),
            packs_building: Mutex::new(None),
            inflight: Mutex::new(None),
            last_failure: Mutex::new(None),
            upstream,
            sanitizer,
            languages,
            policy,
            metrics,
        })
    }

    pub fn policy(&self) -> &CachePolicy {
        &self.policy
    }

    /// The copy being served, if any, without triggering anything.
    pub(crate) fn peek(&self) -> Option<Arc<Prepared>> {
        self.current.load_full()
    }

    /// The prebuilt packs being served, if any are built yet.
    pub fn packs(&self) -> Option<Arc<Packs>> {
        self.packs.load_full()
    }

    /// The packs those replaced (their files are still served, not named
    /// by `packs.json`).
    pub fn previous_packs(&self) -> Option<Arc<Packs>> {
        self.previous_packs.load_full()
    }

    /// Builds the packs of `prepared`'s content in the background, off the
    /// async runtime, unless they exist or are being built: visitors are
    /// served the snapshot (and the previous packs) meanwhile, so a cold
    /// start does not wait for indexing. A build is not byte-reproducible
    /// (random segment ids), so the same content keeps its packs and their
    /// names.
    fn build_packs(self: &Arc<Self>, prepared: &Arc<Prepared>) {
        let etag = prepared.snapshot.etag.clone();
        if !self.policy.build_packs
            || self.packs().is_some_and(|p| p.etag == etag)
            || lock(&self.packs_building).as_ref() == Some(&etag)
        {
            return;
        }
        *lock(&self.packs_building) = Some(etag.clone());
        let this = Arc::clone(self);
        let prepared = Arc::clone(prepared);
        tokio::spawn(async move {
            let built = tokio::task::spawn_blocking(move || {
                Packs::build(&prepared.snapshot_value(), &prepared.snapshot.etag)
            })
            .await;
            let mut building = lock(&this.packs_building);
            if building.as_ref() == Some(&etag) {
                *building = None;
            }
            match built {
                // Only while that content is still the one served: a newer
                // refresh builds its own.
                Ok(packs)
                    if this
                        .current
                        .load()
                        .as_ref()
                        .is_some_and(|p| p.snapshot.etag == etag) =>
                {
                    tracing::info!(etag = %etag, pack_bytes = packs.bytes(), "packs built");
                    let replaced = this.packs.swap(Some(Arc::new(packs)));
                    this.previous_packs.store(replaced);
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the pack build failed"),
            }
        });
    }

    /// How long ago the last refresh failed, and why, as
    /// [`RefreshError::code`] (the detail is in the logs only).
    pub(crate) fn last_failure(&self) -> Option<(Duration, String)> {
        lock(&self.last_failure)
            .as_ref()
            .map(|(at, e)| (at.elapsed(), e.code()))
    }

    /// What to serve for a data request, counting the outcome.
    pub async fn get(self: &Arc<Self>) -> Lookup {
        if let Some(p) = self.current.load_full() {
            if p.fetched_at.elapsed() < self.policy.fresh_for {
                self.metrics.cache(CacheOutcome::Hit);
            } else {
                self.metrics.cache(CacheOutcome::Stale);
                if self.backoff_left().is_none() {
                    drop(self.refresh());
                }
            }
            return Lookup::Ready(p);
        }
        self.metrics.cache(CacheOutcome::Miss);
        if let Some(wait) = self.backoff_left() {
            self.metrics.cache(CacheOutcome::Unavailable);
            return Lookup::Unavailable { retry_after: wait };
        }
        match tokio::time::timeout(self.policy.cold_wait, self.refresh()).await {
            Ok(Ok(p)) => Lookup::Ready(p),
            Ok(Err(_)) => {
                self.metrics.cache(CacheOutcome::Unavailable);
                Lookup::Unavailable {
                    retry_after: self.policy.retry_failed_after,
                }
            }
            Err(_) => {
                self.metrics.cache(CacheOutcome::Unavailable);
                Lookup::Unavailable {
                    retry_after: self
                        .policy
                        .cold_wait
                        .min(Duration::from_secs(5))
                        .max(Duration::from_secs(1)),
                }
            }
        }
    }

    /// Time left before a failed refresh may be retried.
    fn backoff_left(&self) -> Option<Duration> {
        let failure = lock(&self.last_failure);
        let (at, _) = failure.as_ref()?;
        self.policy
            .retry_failed_after
            .checked_sub(at.elapsed())
            .filter(|d| !d.is_zero())
    }

    /// Joins the running refresh, or starts one. The walk runs in its own
    /// task, so it completes (and fills the cache) even if every visitor
    /// who waited for it has gone.
    pub fn refresh(self: &Arc<Self>) -> RefreshFuture {
        let mut inflight = lock(&self.inflight);
        if let Some(f) = inflight.as_ref() {
            return f.clone();
        }
        let this = Arc::clone(self);
        let task = tokio::spawn(async move {
            let result = this.walk().await;
            match &result {
                Ok(p) => {
                    this.current.store(Some(Arc::clone(p)));
                    this.build_packs(p);
                    *lock(&this.last_failure) = None;
                    this.metrics.refresh(true);
                    tracing::info!(
                        articles = p.articles.len(),
                        categories = p.categories.len(),
                        snapshot_bytes = p.snapshot.identity.len(),
                        etag = %p.snapshot.etag,
                        "help center refreshed"
                    );
                }
                Err(e) => {
                    *lock(&this.last_failure) = Some((Instant::now(), e.clone()));
                    this.metrics.refresh(false);
                    tracing::warn!(error = %e, serving_stale = this.current.load().is_some(), "refresh failed");
                }
            }
            // Cleared only after the cache and failure state are updated,
            // so a request arriving now sees the new state, not a gap.
            *lock(&this.inflight) = None;
            result
        });
        let fut: RefreshFuture = async move {
            task.await
                .unwrap_or_else(|e| Err(RefreshError::Internal(e.to_string())))
        }
        .boxed()
        .shared();
        *inflight = Some(fut.clone());
        fut
    }

    async fn walk(self: &Arc<Self>) -> Result<Arc<Prepared>, RefreshError> {
        let walked = self.upstream.walk().await?;
        if walked.skipped_articles + walked.skipped_categories > 0 {
            tracing::warn!(
                skipped_articles = walked.skipped_articles,
                skipped_categories = walked.skipped_categories,
                "serving without records the upstream sent in a form that cannot be read"
            );
        }
        let (articles, categories) = (walked.articles, walked.categories);
        let this = Arc::clone(self);
        // Sanitising and compressing a large help center takes a while:
        // keep it off the threads that answer visitors.
        let prepared = tokio::task::spawn_blocking(move || {
            Prepared::build(articles, categories, &this.sanitizer, &this.languages)
        })
        .await
        .map_err(|e| RefreshError::Internal(e.to_string()))?;
        Ok(Arc::new(prepared))
    }
}
