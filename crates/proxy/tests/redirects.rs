//! An upstream that answers with a redirect (hc-sim's redirect fault,
//! 307 to a second loopback server that records everything it receives):
//! the proxy forwards neither its key nor any request there, refuses to
//! start with a sentence saying where the redirect pointed, and visitors
//! get a 503 rather than content from elsewhere. A plain-http upstream off
//! loopback is refused when the proxy is configured.

mod common;

use common::*;
use hc_client::ApiKey;
use hc_core::HelpCenterData;
use hc_proxy::{Proxy, StartupError};
use hc_sim::{Faults, Redirect};

#[tokio::test]
async fn a_redirecting_upstream_gets_a_refusal_and_the_key_goes_nowhere() {
    let recorder = hc_sim::Recorder::start().await.unwrap();
    let elsewhere = recorder.url().to_string();
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
    let received = recorder.seen();
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
