//! Shared by the proxy's integration tests: a simulator on a free loopback
//! port, a proxy in front of it (in-process, over a real socket), keys,
//! corpora and an HTTP client.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use hc_client::{ApiKey, RetryPolicy};
use hc_core::HelpCenterData;
use hc_proxy::{Proxy, Settings};
use hc_sim::{SimConfig, SimHandle};

pub const READ_KEY: &str = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
pub const WRITE_KEY: &str = "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww";
/// A key that looks like a real one, so a leak is unmistakable in a search.
pub const SECRET_KEY: &str = "S3cr3tK3y0123456789abcdefABCDEF0123456789abcdefABCDEF012345678Zz";

pub fn corpus(name: &str) -> HelpCenterData {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).expect("corpus parses")
}

pub fn debian() -> HelpCenterData {
    corpus("debian-reference.json")
}

pub fn sim_config(data: HelpCenterData) -> SimConfig {
    SimConfig {
        read_keys: vec![READ_KEY.into(), SECRET_KEY.into()],
        write_keys: vec![WRITE_KEY.into()],
        rate_limit: 0,
        ..SimConfig::new(data)
    }
}

pub async fn start_sim(config: SimConfig) -> SimHandle {
    hc_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

/// Short waits everywhere, so fault tests take a second, not minutes.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_rate_limited_retries: 2,
        default_rate_limit_wait: Duration::from_millis(100),
        max_rate_limit_wait: Duration::from_millis(100),
        request_timeout: Duration::from_millis(500),
    }
}

/// Settings for a proxy in front of `upstream`: no per-IP limit, no warm
/// start, short timeouts.
pub fn settings(upstream: &str) -> Settings {
    Settings {
        upstream: upstream.to_string(),
        per_ip_per_second: 0,
        warm_on_start: false,
        upstream_per_minute: 0,
        upstream_timeout: Duration::from_secs(5),
        retry_failed_after: Duration::from_millis(300),
        cold_wait: Duration::from_secs(60),
        // Indexing every language (debug build) after each refresh would
        // slow every test; the packs tests turn it on.
        build_packs: false,
        ..Settings::default()
    }
}

pub struct Running {
    pub proxy: Proxy,
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn start_proxy(settings: Settings, key: &str) -> Running {
    let proxy = Proxy::with_retry(settings, ApiKey::new(key).unwrap(), Some(fast_retry()))
        .expect("proxy configures");
    let listener = hc_proxy::server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let serving = proxy.clone();
    tokio::spawn(async move {
        serving
            .serve(listener, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    Running {
        proxy,
        addr,
        shutdown: Some(tx),
    }
}

/// A simulator with `data` and a proxy in front of it.
pub async fn stack(
    data: HelpCenterData,
    tweak: impl FnOnce(&mut Settings),
) -> (SimHandle, Running) {
    let sim = start_sim(sim_config(data)).await;
    let mut s = settings(&sim.api_url());
    tweak(&mut s);
    let proxy = start_proxy(s, READ_KEY).await;
    (sim, proxy)
}

/// A client that does not decompress, so tests see the bytes as sent.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap()
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

pub fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

/// Counts of upstream GETs, for "one walk" assertions.
pub fn walks(sim: &SimHandle) -> (u64, u64) {
    (
        sim.call_count("GET", "/v1/articles"),
        sim.call_count("GET", "/v1/categories"),
    )
}

/// `packs.json` once the packs of the content version `etag` (the
/// snapshot's ETag digest) are built: they are built after the refresh.
pub async fn packs_for(proxy: &Running, etag: &str) -> hc_core::static_site::PacksIndex {
    for _ in 0..600 {
        let r = http()
            .get(proxy.url("/v1/packs.json"))
            .send()
            .await
            .unwrap();
        if r.status() == reqwest::StatusCode::OK {
            let index: hc_core::static_site::PacksIndex = r.json().await.unwrap();
            if index.etag == etag {
                return index;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no packs for {etag} within a minute");
}

/// The content version the proxy serves now.
pub async fn snapshot_etag(proxy: &Running) -> String {
    let r = http().get(proxy.url("/v1/snapshot")).send().await.unwrap();
    r.headers()["etag"]
        .to_str()
        .unwrap()
        .trim_matches('"')
        .to_string()
}
