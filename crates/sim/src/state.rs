//! The simulator's shared state: the store, the keys and their scopes, the
//! rate limiter, the faults, the call log and the settings every request
//! reads. Its own module so that the router (`app`), the `/v1` handlers
//! and the admin routes all depend on it and none of them on another.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

use crate::error::ApiError;
use crate::faults::{FaultState, Faults};
use crate::rate_limit::SlidingWindow;
use crate::store::Store;
use crate::wire_patches::WirePatches;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    ReadOnly,
    ReadWrite,
}

/// One row of the call log: how often `method route` answered `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallCount {
    pub method: String,
    pub route: String,
    pub status: u16,
    pub count: u64,
}

pub struct SimState {
    pub store: Mutex<Store>,
    pub keys: HashMap<String, Scope>,
    pub limiter: Mutex<SlidingWindow>,
    pub faults: Mutex<FaultState>,
    pub calls: Mutex<BTreeMap<(String, String, u16), u64>>,
    pub state_file: Option<PathBuf>,
    pub body_limit: usize,
    pub wire_patches: Mutex<WirePatches>,
}

/// Locks a mutex, recovering from poisoning: every critical section leaves
/// the data consistent, so a panic elsewhere must not take the server down.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = FaultState::new(faults);
    }

    /// Whether list pages are served shifted (`Faults::shifted_pages`).
    pub fn shifted_pages(&self) -> bool {
        lock(&self.faults).faults().shifted_pages
    }

    pub fn call_counts(&self) -> Vec<CallCount> {
        lock(&self.calls)
            .iter()
            .map(|((method, route, status), count)| CallCount {
                method: method.clone(),
                route: route.clone(),
                status: *status,
                count: *count,
            })
            .collect()
    }
}

/// Scope check for writes; runs before any existence check, so a Read Only
/// key gets 403 even for an id that does not exist.
pub fn require_write(scope: Scope, action: &'static str) -> Result<(), ApiError> {
    match scope {
        Scope::ReadWrite => Ok(()),
        Scope::ReadOnly => Err(ApiError::Forbidden { action }),
    }
}
