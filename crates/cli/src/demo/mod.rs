//! `hcs demo`: the whole product on one machine with one command. In one
//! process, on loopback: hc-sim serving a help center (an embedded
//! multilingual subset of the Debian Reference, or `--data FILE`), hc-proxy
//! in front of it holding a freshly generated Read Only key, and a small
//! web server with a product page that uses `<hc-search>` under a strict
//! Content-Security-Policy, plus the built browser assets.
//!
//! [`start`] does the work and returns a [`RunningDemo`] (its URLs and a
//! shutdown handle), so the tests drive exactly what the command runs;
//! [`run`] is the command: start, print, wait for Ctrl+C or SIGTERM, stop.

pub mod assets;
pub mod page;

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hc_client::ApiKey;
use hc_core::HelpCenterData;
use hc_sim::{SimConfig, SimHandle};
use rand::distr::{Alphanumeric, SampleString};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use page::PageConfig;

/// The demo help center: chapters of the Debian Reference 2.100 in 11
/// languages (GPL-2+; see `demo/LICENSE-debian-reference.md`, made by
/// `demo/make_subset.py`). In the binary with the `demo-data` feature (the
/// default), so that `hcs demo` needs nothing else; an `hcs` built without
/// it carries no GPL-2+ data and serves only `--data`.
#[cfg(feature = "demo-data")]
#[allow(clippy::large_include_file)]
pub const EMBEDDED_DATA: &[u8] = include_bytes!("../../demo/debian-reference-subset.json");

/// Where the embedded help center comes from, for people reading the output.
pub(crate) const EMBEDDED_SOURCE: &str =
    "Debian Reference 2.100 by Osamu Aoki and translators, GPL-2+ \
     (the Preface and 3 chapters)";

/// The public help center the page's "Open the full article" links point
/// to, and against which the proxy makes relative links absolute.
pub(crate) const HELP_CENTER_URL: &str = "https://help.example.com";

/// How long a server may take to finish its open requests once asked to
/// stop, before it is aborted.
const STOP_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Help center to serve: a JSON file shaped like
    /// `{"site":…,"categories":[…],"articles":[…]}` (as `hcs export`
    /// writes). Default: the embedded Debian Reference subset.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Address of the demo page (`127.0.0.1:0` picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Folder of the built browser assets (`hc-search.js` and the hashed
    /// files). Default: the files built into this hcs (release binaries),
    /// else the checkout's `dist/`, from `cargo xtask build-web`.
    #[arg(long, env = "HC_ASSETS")]
    pub assets: Option<PathBuf>,
    /// Address of the proxy (default: a free loopback port). A fixed one
    /// lets another page server reach it, e.g. `trunk serve` (Trunk.toml
    /// forwards `/v1/` to `127.0.0.1:8090`).
    #[arg(long)]
    pub proxy_listen: Option<SocketAddr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoData {
    Embedded,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub data: DemoData,
    /// The page's address; the simulator and the proxy always take free
    /// loopback ports.
    pub listen: SocketAddr,
    pub assets: assets::Assets,
    /// The proxy's address; `None` takes a free loopback port.
    pub proxy_listen: Option<SocketAddr>,
}

/// Why the demo could not start or stop. Each message is this layer's; the
/// cause, if any, is its `source()` (the command prints the whole chain).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot read the help center file {path}")]
    ReadData {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a help center file: expected one JSON object \
         {{\"site\":{{\"default_language\",\"languages\"}},\"categories\":[…],\"articles\":[…]}} \
         such as `hcs export` writes"
    )]
    DataFormat {
        path: String,
        source: serde_json::Error,
    },
    #[error(
        "this hcs carries no demo help center (it was built without the `demo-data` feature, \
         which keeps the GPL-2+ Debian Reference data out of it): serve one with `--data FILE` \
         (a file `hcs export` wrote, say), or run the hcs-demo binary"
    )]
    NoEmbeddedData,
    #[error(transparent)]
    AssetsMissing(#[from] crate::assets::AssetsError),
    #[error(
        "{0} is already in use: pick another address, or `--listen 127.0.0.1:0` for a free port"
    )]
    AddrInUse(SocketAddr),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the simulator did not start")]
    Sim(#[from] hc_sim::SimError),
    #[error("the proxy's configuration was refused")]
    ProxyConfig(#[from] hc_proxy::ConfigError),
    #[error("the proxy did not accept its key")]
    ProxyKey(#[from] hc_proxy::StartupError),
    #[error("a demo server failed")]
    Serve(#[source] std::io::Error),
    #[error("cannot wait for Ctrl+C")]
    Signal(#[source] std::io::Error),
}

/// A started demo. Dropping it leaves the servers running until the runtime
/// ends; [`RunningDemo::shutdown`] stops them.
pub struct RunningDemo {
    url: String,
    proxy_url: String,
    api_url: String,
    description: String,
    stop: watch::Sender<bool>,
    web: JoinHandle<std::io::Result<()>>,
    proxy: JoinHandle<std::io::Result<()>>,
    sim: SimHandle,
}

impl std::fmt::Debug for RunningDemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningDemo")
            .field("url", &self.url)
            .field("proxy_url", &self.proxy_url)
            .finish_non_exhaustive()
    }
}

impl RunningDemo {
    /// The page, e.g. `http://127.0.0.1:8080/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The page's origin (the URL without its trailing `/`), as a browser
    /// sends it in `Origin`.
    pub fn origin(&self) -> &str {
        self.url.trim_end_matches('/')
    }

    /// The proxy's base URL, e.g. `http://127.0.0.1:40123`.
    pub fn proxy_url(&self) -> &str {
        &self.proxy_url
    }

    /// The simulator's API base URL (it only accepts the demo's own key).
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// One line naming the help center served.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Stops the page server and the proxy (each finishes its open
    /// requests, for at most a few seconds), then the simulator.
    pub async fn shutdown(self) -> Result<(), DemoError> {
        let _ = self.stop.send(true);
        let web = finish(self.web).await;
        let proxy = finish(self.proxy).await;
        if tokio::time::timeout(STOP_GRACE, self.sim.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("the simulator did not stop in time");
        }
        web.and(proxy).map_err(DemoError::Serve)
    }
}

/// Waits for a server task, aborting it after [`STOP_GRACE`].
async fn finish(mut task: JoinHandle<std::io::Result<()>>) -> std::io::Result<()> {
    match tokio::time::timeout(STOP_GRACE, &mut task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(std::io::Error::other(join)),
        Err(_) => {
            task.abort();
            tracing::warn!("a server did not finish its requests in time; stopped it");
            Ok(())
        }
    }
}

/// The command: start, print the URLs, wait for Ctrl+C or SIGTERM, stop.
pub async fn run(args: DemoArgs) -> Result<ExitCode, DemoError> {
    let options = DemoOptions {
        data: args.data.map_or(DemoData::Embedded, DemoData::File),
        listen: args.listen,
        proxy_listen: args.proxy_listen,
        assets: args
            .assets
            .map_or_else(assets::Assets::built_in, assets::Assets::Dir),
    };
    let demo = start(options).await?;
    // Listen before the URL is printed: whoever reads it may stop us at
    // once, and a signal that comes before its handler kills the process
    // without a shutdown.
    let stop = hc_proxy::shutdown::StopSignal::listen().map_err(DemoError::Signal)?;
    println!("hc-search demo: {}", demo.url());
    println!(
        "help center: {}; proxy: {} (Ctrl+C to stop)",
        demo.description(),
        demo.proxy_url()
    );
    stop.requested().await.map_err(DemoError::Signal)?;
    demo.shutdown().await?;
    Ok(ExitCode::SUCCESS)
}

/// The demo help center's bytes, if this binary has them.
fn embedded_data() -> Result<&'static [u8], DemoError> {
    #[cfg(feature = "demo-data")]
    {
        Ok(EMBEDDED_DATA)
    }
    #[cfg(not(feature = "demo-data"))]
    {
        Err(DemoError::NoEmbeddedData)
    }
}

/// Reads and parses the help center to serve, with a line describing it.
pub(crate) async fn load_data(data: &DemoData) -> Result<(HelpCenterData, String), DemoError> {
    let (bytes, name, source): (Cow<'_, [u8]>, String, String) = match data {
        DemoData::Embedded => (
            Cow::Borrowed(embedded_data()?),
            "the embedded demo data".to_string(),
            EMBEDDED_SOURCE.to_string(),
        ),
        DemoData::File(path) => {
            let bytes = tokio::fs::read(path)
                .await
                .map_err(|source| DemoError::ReadData {
                    path: path.clone(),
                    source,
                })?;
            let shown = path.display().to_string();
            (Cow::Owned(bytes), shown.clone(), shown)
        }
    };
    let data: HelpCenterData = serde_json::from_slice(&bytes)
        .map_err(|source| DemoError::DataFormat { path: name, source })?;
    let public = data.articles.iter().filter(|a| a.is_public()).count();
    let description = format!(
        "{source}: {} articles ({public} public; the proxy serves only those), {} categories, languages {}",
        data.articles.len(),
        data.categories.len(),
        data.site
            .enabled()
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    );
    Ok((data, description))
}

/// The origins a browser may show for a page served on `addr`, the first
/// being the one to print: a loopback page may be opened as `localhost`
/// too, and a page on every interface is opened as loopback from here (the
/// proxy stays on loopback, so the demo is for this machine's browser).
fn page_origins(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let mut origins = vec![format!("http://{}", SocketAddr::new(ip, port))];
    if ip.is_loopback() {
        origins.push(format!("http://localhost:{port}"));
    }
    origins
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, DemoError> {
    hc_proxy::server::bind(addr).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            DemoError::AddrInUse(addr)
        } else {
            DemoError::Bind { addr, source }
        }
    })
}

fn local_addr(listener: &TcpListener, addr: SocketAddr) -> Result<SocketAddr, DemoError> {
    listener
        .local_addr()
        .map_err(|source| DemoError::Bind { addr, source })
}

/// Starts the simulator, the proxy and the page server; returns once all
/// three accept connections (the proxy's first fetch runs in the
/// background; the first visitor waits for it).
pub async fn start(options: DemoOptions) -> Result<RunningDemo, DemoError> {
    // Everything that can be refused up front is checked before any socket
    // is opened.
    options.assets.check()?;
    let (data, description) = load_data(&options.data).await?;
    let languages: Vec<String> = data
        .site
        .enabled()
        .iter()
        .map(|l| l.as_str().to_string())
        .collect();
    let default_language = data.site.default_language.as_str().to_string();

    // The page's origin must be known before the proxy is configured (its
    // CORS allowlist), so the page's socket is bound first.
    let web_listener = bind(options.listen).await?;
    let web_addr = local_addr(&web_listener, options.listen)?;
    let origins = page_origins(web_addr);

    // A fresh key per run, never printed: the simulator accepts it as its
    // only (Read Only) key, the proxy holds it.
    let key = Alphanumeric.sample_string(&mut rand::rng(), 64);
    let sim_config = SimConfig {
        read_keys: vec![key.clone()],
        ..SimConfig::new(data)
    };
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let sim = hc_sim::spawn(sim_config, loopback).await?;
    let api_url = sim.api_url();

    let servers = async {
        let proxy_want = options.proxy_listen.unwrap_or(loopback);
        let proxy_listener = bind(proxy_want).await?;
        let proxy_addr = local_addr(&proxy_listener, proxy_want)?;
        let proxy_url = format!("http://{proxy_addr}");
        let settings = hc_proxy::Settings::merge(
            hc_proxy::Args {
                api: Some(api_url.clone()),
                listen: Some(proxy_addr),
                allow_origins: origins.clone(),
                public_url: Some(HELP_CENTER_URL.to_string()),
                languages: languages.clone(),
                default_language: Some(default_language),
                ..hc_proxy::Args::default()
            },
            hc_proxy::config::FileConfig::default(),
        )?;
        let key = ApiKey::new(&key).map_err(hc_proxy::ConfigError::from)?;
        let proxy = hc_proxy::Proxy::new(settings, key)?;
        proxy.check_key().await?;
        proxy.warm();

        let (stop, stop_rx) = watch::channel(false);
        let proxy_task = tokio::spawn(proxy.serve(proxy_listener, stopped(stop_rx.clone())));

        let csp = HeaderValue::from_str(&page::content_security_policy(&proxy_url))
            .expect("the policy is ASCII: the proxy URL is an IP and a port");
        let page_state = Arc::new(PageState {
            config: PageConfig {
                proxy_url: proxy_url.clone(),
                help_center_url: HELP_CENTER_URL.to_string(),
                languages,
                data_label: format!("Help center: {description}."),
            },
            csp: csp.clone(),
        });
        let app = Router::new()
            .route("/", get(page_handler))
            .route("/demo.css", get(css_handler))
            .with_state(page_state)
            .merge(assets::router(&options.assets, csp))
            .fallback(not_found);
        let web_task = tokio::spawn(async move {
            axum::serve(web_listener, app)
                .with_graceful_shutdown(stopped(stop_rx))
                .await
        });
        Ok::<_, DemoError>((proxy_url, stop, proxy_task, web_task))
    };
    match servers.await {
        Ok((proxy_url, stop, proxy, web)) => Ok(RunningDemo {
            url: format!("{}/", origins[0]),
            proxy_url,
            api_url,
            description,
            stop,
            web,
            proxy,
            sim,
        }),
        Err(e) => {
            // Nothing else was spawned: stop the simulator before reporting.
            sim.shutdown().await;
            Err(e)
        }
    }
}

/// Resolves once a stop is requested (or the handle is gone).
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

struct PageState {
    config: PageConfig,
    csp: HeaderValue,
}

async fn page_handler(State(state): State<Arc<PageState>>, RawQuery(query): RawQuery) -> Response {
    // Only `lang` is read, and only a plain code passes `valid_lang`, so the
    // value needs no percent-decoding: an encoded one is refused anyway.
    let lang = query.as_deref().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.strip_prefix("lang="))
            .find_map(page::valid_lang)
    });
    let html = page::render(&state.config, lang.as_deref());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CONTENT_SECURITY_POLICY, state.csp.clone()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        html,
    )
        .into_response()
}

async fn css_handler() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        page::CSS,
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_loopback_and_wildcard_pages() {
        assert_eq!(
            page_origins("127.0.0.1:8080".parse().unwrap()),
            ["http://127.0.0.1:8080", "http://localhost:8080"]
        );
        assert_eq!(
            page_origins("0.0.0.0:81".parse().unwrap()),
            ["http://127.0.0.1:81", "http://localhost:81"]
        );
        assert_eq!(
            page_origins("[::]:81".parse().unwrap()),
            ["http://[::1]:81", "http://localhost:81"]
        );
        assert_eq!(
            page_origins("192.0.2.7:81".parse().unwrap()),
            ["http://192.0.2.7:81"]
        );
    }
}
