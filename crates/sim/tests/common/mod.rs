//! Shared by the simulator's integration tests: the fixture help center,
//! keys, and a running simulator on a free loopback port.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use hc_core::HelpCenterData;
use hc_sim::{SimConfig, SimHandle};

pub const READ_KEY: &str = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
pub const WRITE_KEY: &str = "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

pub fn tiny() -> HelpCenterData {
    let bytes = std::fs::read(fixture("fixtures/tiny.json")).expect("tiny fixture");
    serde_json::from_slice(&bytes).expect("tiny fixture parses")
}

/// `shared/corpus/NAME`, next to the repository.
pub fn corpus(name: &str) -> HelpCenterData {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).expect("corpus parses")
}

pub fn config(data: HelpCenterData) -> SimConfig {
    SimConfig {
        read_keys: vec![READ_KEY.into()],
        write_keys: vec![WRITE_KEY.into()],
        rate_limit: 0,
        ..SimConfig::new(data)
    }
}

pub async fn start(config: SimConfig) -> SimHandle {
    let loopback: SocketAddr = "127.0.0.1:0".parse().unwrap();
    hc_sim::spawn(config, loopback)
        .await
        .expect("simulator starts")
}
