//! An upstream that answers with a redirect (hc-sim's redirect fault,
//! 307 to a second loopback server that records everything it receives):
//! the proxy forwards neither its key nor any request there, refuses to
//! start with a sentence saying where the redirect pointed, and visitors
//! get a 503 rather than content from elsewhere. A plain-http upstream off
//! loopback is refused when the proxy is configured.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use hc_client::ApiKey;
use hc_core::HelpCenterData;
use hc_proxy::{Proxy, StartupError};
use hc_sim::{Faults, Redirect};

/// Records method, URI and every header of each request; answers 200 with
/// an empty list, so following a redirect to it would look like success.
async fn recorder() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(format!(
                "{} {} {:?}",
                req.method(),
                req.uri(),
                req.headers()
            ));
            axum::Json(serde_json::json!({
                "status": "success", "articles": [], "categories": [],
                "meta": {"page": 1, "per_page": 100, "total_pages": 1, "items_count": 0}
            }))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn a_redirecting_upstream_gets_a_refusal_and_the_key_goes_nowhere() {
    let (elsewhere, seen) = recorder().await;
    let mut config = sim_config(HelpCenterData {
        site: serde_json::from_str(r#"{"default_language":"en","languages":["en"]}"#).unwrap(),
        categories: Vec::new(),
        articles: Vec::new(),
    });
    config.faults = Faults {
        redirect: Some(Redirect {
            status: 307,
            to: elsewhere.clone(),
        }),
        ..Faults::default()
    };
    let sim = start_sim(config).await;
    let running = start_proxy(settings(&sim.api_url()), SECRET_KEY).await;

    let checked = running.proxy.check_key().await;
    let snapshot = http()
        .get(running.url("/v1/snapshot"))
        .send()
        .await
        .unwrap();
    let received = seen.lock().unwrap().clone();
    assert!(
        received.is_empty(),
        "the second server received {} request(s), key included: {}",
        received.len(),
        received.iter().any(|r| r.contains(SECRET_KEY))
    );
    assert_eq!(snapshot.status(), 503);
    let err = checked.unwrap_err();
    assert!(matches!(err, StartupError::Misdirected(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("307"), "{text}");
    assert!(
        text.contains(elsewhere.trim_start_matches("http://")),
        "{text}"
    );
    assert!(text.contains("never follows redirects"), "{text}");
    assert!(!text.contains(SECRET_KEY));
}

#[test]
fn a_plain_http_upstream_off_loopback_is_refused() {
    let err = Proxy::new(
        settings("http://api.helpcenter.io/v1"),
        ApiKey::new(READ_KEY).unwrap(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("use https://"), "{err}");
}
