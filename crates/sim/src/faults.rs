//! Deterministic fault injection: added latency, and a share of requests
//! answered 500 or 429 or stalled (to trip a client's timeout), drawn from
//! a seeded generator so a test sees the same sequence on every run; list
//! pages shifted as if an article had been inserted mid-walk; and every
//! request redirected elsewhere. Off by
//! default; changeable at run time through [`crate::SimHandle::set_faults`]
//! or the admin route.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every `/v1` request.
    pub latency_ms: u64,
    /// Share (0–1) of requests answered 500.
    pub error_rate: f64,
    /// Share answered 429 with `Retry-After: retry_after_secs`.
    pub rate_limit_rate: f64,
    /// Share that wait `stall_ms` before being answered normally.
    pub stall_rate: f64,
    pub stall_ms: u64,
    /// `Retry-After` of injected 429s (the real limit's is up to 60).
    pub retry_after_secs: u64,
    pub seed: u64,
    /// Pages after the first start one item early (page 2 begins with page
    /// 1's last item) and their `meta` counts one item more: what offset
    /// pagination answers when an article is inserted ahead of the reader
    /// after page 1 was read. Every item is still served; page 1's last id
    /// is served twice. Applies to both list routes; draws nothing.
    pub shifted_pages: bool,
    /// Answer every `/v1` request with this redirect, before the key is
    /// even looked at: an upstream (or anything on the path) sending the
    /// client elsewhere. Draws nothing.
    pub redirect: Option<Redirect>,
}

/// A redirect answer: `status` (a 3xx) with `Location: <to><path and query
/// of the request>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redirect {
    pub status: u16,
    /// Prefix of the `Location`, e.g. `http://127.0.0.1:9999`.
    pub to: String,
}

/// What to do with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    None,
    ServerError,
    RateLimited { retry_after: u64 },
    Stall(Duration),
    Redirect { status: u16, to: String },
}

#[derive(Debug)]
pub struct FaultState {
    faults: Faults,
    rng: StdRng,
}

impl FaultState {
    pub fn new(faults: Faults) -> Self {
        let rng = StdRng::seed_from_u64(faults.seed);
        FaultState { faults, rng }
    }

    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.faults.latency_ms)
    }

    /// Draws the next fault; one draw per request, in arrival order.
    pub fn draw(&mut self) -> Fault {
        let f = &self.faults;
        if let Some(r) = &f.redirect {
            return Fault::Redirect {
                status: r.status,
                to: r.to.clone(),
            };
        }
        if f.error_rate <= 0.0 && f.rate_limit_rate <= 0.0 && f.stall_rate <= 0.0 {
            return Fault::None;
        }
        let r: f64 = self.rng.random();
        if r < f.error_rate {
            Fault::ServerError
        } else if r < f.error_rate + f.rate_limit_rate {
            Fault::RateLimited {
                retry_after: f.retry_after_secs.max(1),
            }
        } else if r < f.error_rate + f.rate_limit_rate + f.stall_rate {
            Fault::Stall(Duration::from_millis(f.stall_ms))
        } else {
            Fault::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let faults = Faults {
            error_rate: 0.3,
            rate_limit_rate: 0.2,
            seed: 42,
            ..Default::default()
        };
        let run = || {
            let mut s = FaultState::new(faults.clone());
            (0..200).map(|_| s.draw()).collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let errors = a.iter().filter(|f| **f == Fault::ServerError).count();
        assert!(
            (40..=80).contains(&errors),
            "about 30% of 200, got {errors}"
        );
        assert!(FaultState::new(Faults::default()).draw() == Fault::None);
    }
}
