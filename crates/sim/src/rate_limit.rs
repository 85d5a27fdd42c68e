//! The upstream's per-token limit (60 requests a minute by default) as a
//! sliding log: exact, so tests can count on the 61st request in a window
//! being refused, and `Retry-After` says when the oldest request expires.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct SlidingWindow {
    limit: u32,
    window: Duration,
    log: HashMap<String, VecDeque<Instant>>,
}

/// The outcome of one request against the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Allowed; this many remain in the window.
    Allowed { remaining: u32 },
    /// Refused; retry after this many whole seconds.
    Refused { retry_after: u64 },
}

impl SlidingWindow {
    /// `limit == 0` disables the limit.
    pub fn new(limit: u32, window: Duration) -> Self {
        SlidingWindow {
            limit,
            window,
            log: HashMap::new(),
        }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn admit(&mut self, token: &str, now: Instant) -> Admission {
        if self.limit == 0 {
            return Admission::Allowed {
                remaining: u32::MAX,
            };
        }
        let log = self.log.entry(token.to_string()).or_default();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            log.pop_front();
        }
        if log.len() as u32 >= self.limit {
            let oldest = *log.front().expect("a full log is not empty");
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            // Whole seconds, rounded up, at least one.
            let secs = wait.as_millis().div_ceil(1000).max(1) as u64;
            return Admission::Refused { retry_after: secs };
        }
        log.push_back(now);
        Admission::Allowed {
            remaining: self.limit - log.len() as u32,
        }
    }

    pub fn reset(&mut self) {
        self.log.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_request_over_the_limit_until_the_oldest_expires() {
        let mut w = SlidingWindow::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert_eq!(
                w.admit("k", t0 + Duration::from_secs(i)),
                Admission::Allowed {
                    remaining: 2 - i as u32
                }
            );
        }
        assert_eq!(
            w.admit("k", t0 + Duration::from_secs(10)),
            Admission::Refused { retry_after: 50 }
        );
        assert!(
            matches!(w.admit("other", t0), Admission::Allowed { .. }),
            "limits are per token"
        );
        assert!(matches!(
            w.admit("k", t0 + Duration::from_secs(60)),
            Admission::Allowed { .. }
        ));
    }
}
