//! The "elsewhere" of a redirect test: a loopback server that records every
//! request it receives (method, URI, every header) and answers like an
//! empty list, so that a client which followed a redirect to it would
//! think it succeeded. The client's, the proxy's and the CLI's tests point
//! hc-sim's redirect fault at it and check that it received nothing.

use std::sync::{Arc, Mutex};

/// A running recorder; it stops with the test's runtime.
#[derive(Debug, Clone)]
pub struct Recorder {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    /// Starts on a free loopback port.
    pub async fn start() -> std::io::Result<Recorder> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let log = log.clone();
            async move {
                let headers: Vec<String> = req
                    .headers()
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
                    .collect();
                if let Ok(mut log) = log.lock() {
                    log.push(format!("{} {} {headers:?}", req.method(), req.uri()));
                }
                axum::Json(serde_json::json!({
                    "status": "success", "articles": [], "categories": [],
                    "meta": {"page": 1, "per_page": 100, "total_pages": 1, "items_count": 0}
                }))
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Recorder { url, seen })
    }

    /// Its base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// One line per request received so far: method, URI and headers.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}
