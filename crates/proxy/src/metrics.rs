//! Prometheus metrics (`GET /metrics`), through the `prometheus-client`
//! crate: upstream calls by route and status, 429s received, refreshes,
//! cache hits, misses and stale serves, the age of the cached copy, and the
//! records the last walk had to leave out.

use std::sync::Arc;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    upstream_calls: Family<Labels, Counter>,
    upstream_rate_limited: Counter,
    refreshes: Family<Labels, Counter>,
    /// hit, miss, stale, unavailable: resolved once, so the hot path only
    /// increments an atomic (no label allocation, no map lookup).
    cache: [Counter; 4],
    not_modified: Counter,
    cache_age: Gauge,
    /// article, category: records left out of the last walk.
    records_skipped: [Gauge; 2],
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// How a data request was answered from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    Hit,
    Miss,
    Stale,
    Unavailable,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("hc_proxy");
        let upstream_calls = Family::<Labels, Counter>::default();
        registry.register(
            "upstream_calls",
            "Upstream HTTP exchanges by method, route and status (status 0: no response)",
            upstream_calls.clone(),
        );
        let upstream_rate_limited = Counter::default();
        registry.register(
            "upstream_rate_limited",
            "429 answers received from the upstream",
            upstream_rate_limited.clone(),
        );
        let refreshes = Family::<Labels, Counter>::default();
        registry.register(
            "refreshes",
            "Walks of the upstream by result (ok, error)",
            refreshes.clone(),
        );
        let cache = Family::<Labels, Counter>::default();
        registry.register(
            "cache_requests",
            "Data requests by cache outcome (hit, miss, stale, unavailable)",
            cache.clone(),
        );
        let not_modified = Counter::default();
        registry.register(
            "not_modified",
            "Requests answered 304 Not Modified",
            not_modified.clone(),
        );
        let cache_age = Gauge::default();
        registry.register(
            "cache_age_seconds",
            "Age of the cached copy (-1 when there is none)",
            cache_age.clone(),
        );
        let records_skipped = Family::<Labels, Gauge>::default();
        registry.register(
            "upstream_records_skipped",
            "Records the last upstream walk left out because they could not be decoded, by kind (article, category)",
            records_skipped.clone(),
        );
        Metrics {
            inner: Arc::new(Inner {
                records_skipped: ["article", "category"].map(|k| {
                    records_skipped
                        .get_or_create(&vec![("kind", k.to_string())])
                        .clone()
                }),
                registry,
                upstream_calls,
                upstream_rate_limited,
                refreshes,
                cache: ["hit", "miss", "stale", "unavailable"].map(|o| {
                    cache
                        .get_or_create(&vec![("outcome", o.to_string())])
                        .clone()
                }),
                not_modified,
                cache_age,
            }),
        }
    }

    pub(crate) fn upstream_call(&self, method: &str, path: &str, status: Option<u16>) {
        let route = path.split('?').next().unwrap_or(path).to_string();
        let status = status.unwrap_or(0);
        if status == 429 {
            self.inner.upstream_rate_limited.inc();
        }
        self.inner
            .upstream_calls
            .get_or_create(&vec![
                ("method", method.to_string()),
                ("route", route),
                ("status", status.to_string()),
            ])
            .inc();
    }

    pub fn refresh(&self, ok: bool) {
        let result = if ok { "ok" } else { "error" };
        self.inner
            .refreshes
            .get_or_create(&vec![("result", result.to_string())])
            .inc();
    }

    pub fn cache(&self, outcome: CacheOutcome) {
        let i = match outcome {
            CacheOutcome::Hit => 0,
            CacheOutcome::Miss => 1,
            CacheOutcome::Stale => 2,
            CacheOutcome::Unavailable => 3,
        };
        self.inner.cache[i].inc();
    }

    /// Records left out of the walk that just finished.
    pub(crate) fn records_skipped(&self, articles: usize, categories: usize) {
        for (gauge, n) in self
            .inner
            .records_skipped
            .iter()
            .zip([articles, categories])
        {
            gauge.set(i64::try_from(n).unwrap_or(i64::MAX));
        }
    }

    pub fn not_modified(&self) {
        self.inner.not_modified.inc();
    }

    /// The text exposition, with the cache age as of now.
    pub fn render(&self, cache_age_secs: Option<u64>) -> String {
        self.inner
            .cache_age
            .set(cache_age_secs.map_or(-1, |s| i64::try_from(s).unwrap_or(i64::MAX)));
        let mut out = String::new();
        encode(&mut out, &self.inner.registry).expect("writing to a String");
        out
    }
}
