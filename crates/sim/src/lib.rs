//! `hc-sim`: a faithful HelpCenter.io v1 simulator.
//!
//! It serves the whole v1 surface of `shared/api/helpcenter-api-v1.md` from
//! a help center held in memory (loaded from a file shaped like
//! `shared/corpus/*.json`), so the proxy, the CLI, the demo and every test
//! run with no network. Choices the reference leaves open are listed in this
//! crate's README. Tests use it in-process through [`spawn`] and
//! [`SimHandle`]; people use the `hc-sim` binary.

mod admin;
mod app;
mod error;
mod faults;
mod handlers;
mod persist;
mod rate_limit;
mod recorder;
mod state;
mod store;
mod validate;
mod wire_patches;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hc_core::wire::HelpCenterData;
use tokio::net::TcpListener;

pub use error::ApiError;
pub use faults::{Faults, Redirect};
pub use persist::StateError;
pub use recorder::Recorder;
pub use state::{CallCount, Scope};
pub use wire_patches::WirePatches;

use state::{lock, SimState};

/// Default request-body limit (larger bodies get 413).
const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Everything a simulator needs to start.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub data: HelpCenterData,
    pub read_keys: Vec<String>,
    pub write_keys: Vec<String>,
    /// Requests per `rate_window` per token; 0 disables the limit.
    pub rate_limit: u32,
    pub rate_window: Duration,
    pub faults: Faults,
    pub state_file: Option<PathBuf>,
    pub body_limit: usize,
    /// Serve the `/_sim/*` routes.
    pub admin: bool,
    /// Fields served in place of a record's own in list responses (nulls,
    /// undecodable values); see [`WirePatches`].
    pub wire_patches: WirePatches,
}

impl SimConfig {
    pub fn new(data: HelpCenterData) -> Self {
        SimConfig {
            data,
            read_keys: Vec::new(),
            write_keys: Vec::new(),
            rate_limit: 60,
            rate_window: Duration::from_secs(60),
            faults: Faults::default(),
            state_file: None,
            body_limit: DEFAULT_BODY_LIMIT,
            admin: false,
            wire_patches: WirePatches::default(),
        }
    }
}

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(
        "API keys must be exactly 64 characters with no whitespace; got one of {0} characters"
    )]
    BadKey(usize),
    #[error(transparent)]
    State(#[from] StateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Builds the shared state and router (for embedding in another server).
pub fn build(config: SimConfig) -> Result<(axum::Router, Arc<SimState>), SimError> {
    let mut keys = HashMap::new();
    for (list, scope) in [
        (&config.read_keys, Scope::ReadOnly),
        (&config.write_keys, Scope::ReadWrite),
    ] {
        for key in list {
            if key.chars().count() != 64 || key.chars().any(char::is_whitespace) {
                return Err(SimError::BadKey(key.chars().count()));
            }
            keys.insert(key.clone(), scope);
        }
    }
    let mut store = store::Store::new(config.data);
    if let Some(path) = &config.state_file {
        persist::load(path, &mut store)?;
    }
    let state = Arc::new(SimState {
        store: Mutex::new(store),
        keys,
        limiter: Mutex::new(rate_limit::SlidingWindow::new(
            config.rate_limit,
            config.rate_window,
        )),
        faults: Mutex::new(faults::FaultState::new(config.faults)),
        calls: Mutex::new(Default::default()),
        state_file: config.state_file,
        body_limit: config.body_limit,
        wire_patches: Mutex::new(config.wire_patches),
    });
    Ok((app::router(state.clone(), config.admin), state))
}

/// A running simulator. Dropping the handle leaves the server running until
/// the runtime ends; call [`SimHandle::shutdown`] to stop it early.
pub struct SimHandle {
    addr: SocketAddr,
    state: Arc<SimState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL including its version prefix, like the real
    /// `https://api.helpcenter.io/v1`.
    pub fn api_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    /// Replaces the fields served in place of records' own in list
    /// responses (an empty [`WirePatches`] serves the store as it is).
    pub fn set_wire_patches(&self, patches: WirePatches) {
        *lock(&self.state.wire_patches) = patches;
    }

    /// Every (method, route, status) seen so far, with counts.
    pub fn calls(&self) -> Vec<CallCount> {
        self.state.call_counts()
    }

    /// How many requests `method route` has received, whatever the answer.
    pub fn call_count(&self, method: &str, route: &str) -> u64 {
        self.calls()
            .iter()
            .filter(|c| c.method == method && c.route == route)
            .map(|c| c.count)
            .sum()
    }

    pub fn reset_calls(&self) {
        lock(&self.state.calls).clear();
    }

    /// The help center as it is now (seed data plus writes).
    pub fn data(&self) -> HelpCenterData {
        let store = lock(&self.state.store);
        HelpCenterData {
            site: store.site.clone(),
            categories: store.categories.values().cloned().collect(),
            articles: store.articles.values().cloned().collect(),
        }
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Binds `addr` (port 0 for a free one) and serves in the background.
pub async fn spawn(config: SimConfig, addr: SocketAddr) -> Result<SimHandle, SimError> {
    let (router, state) = build(config)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SimError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SimError::Bind { addr, source })?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "simulator stopped");
        }
    });
    Ok(SimHandle {
        addr,
        state,
        shutdown: Some(tx),
        task: Some(task),
    })
}
