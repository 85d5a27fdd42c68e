//! One limiter shared by every clone of a [`crate::Client`], so that all
//! upstream calls of a process (refresh walks, probes) stay under the
//! per-token limit together.
//!
//! The upstream counts requests in a sliding minute. A token bucket (GCRA,
//! from `governor`) with burst `b` refilling `r` per window lets through at
//! most `b + r` requests in any window, so we split the limit: half as an
//! immediate burst (a few pages walk at once) and the rest, less one for
//! margin, spread over the window.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

#[derive(Clone)]
pub struct UpstreamLimiter(Arc<DefaultDirectRateLimiter>);

impl std::fmt::Debug for UpstreamLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpstreamLimiter")
    }
}

impl UpstreamLimiter {
    pub fn per_minute(limit: u32) -> Self {
        Self::new(limit, Duration::from_secs(60))
    }

    /// At most `limit` requests in any `window`.
    pub fn new(limit: u32, window: Duration) -> Self {
        let limit = limit.max(2);
        let burst = limit / 2;
        let refill = (limit - burst).saturating_sub(1).max(1);
        let period = window / refill;
        let quota = Quota::with_period(period.max(Duration::from_millis(1)))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst.max(1)).expect("burst is at least one"));
        UpstreamLimiter(Arc::new(RateLimiter::direct(quota)))
    }

    pub async fn until_ready(&self) {
        self.0.until_ready().await;
    }
}
