//! The key never leaves: not in any response body or header, not in any
//! log line, on the happy path and on every error path (upstream 500s,
//! 429s, stalls, a visitor sending an `apikey` header of their own). Logs
//! are captured at TRACE level for every crate, so the HTTP stack's own
//! logging is covered too.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use hc_sim::Faults;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_in_no_response_and_no_log_line() {
    let logs = Buffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let mut data = debian();
    data.articles.truncate(60);
    let sim = start_sim(sim_config(data)).await;
    let mut s = settings(&sim.api_url());
    s.fresh_for = Duration::from_secs(1);
    s.upstream_timeout = Duration::from_millis(300);
    s.retry_failed_after = Duration::from_millis(100);
    let proxy = start_proxy(s, SECRET_KEY).await;
    let scope = proxy.proxy.check_key().await.unwrap();
    assert_eq!(scope, hc_proxy::KeyScope::ReadOnly);

    let c = http();
    let mut seen = String::new();
    let visit = |label: &'static str| {
        let c = c.clone();
        let base = proxy.url("");
        async move {
            let mut out = String::new();
            for path in [
                "/v1/snapshot",
                "/v1/articles?page=1",
                "/v1/articles?lang=zz",
                "/v1/categories",
                "/healthz",
                "/metrics",
                "/nope",
            ] {
                let r = c
                    .get(format!("{base}{path}"))
                    .header("apikey", SECRET_KEY)
                    .header("accept-encoding", "identity")
                    .send()
                    .await
                    .unwrap();
                out.push_str(&format!("{label} {path} {:?}\n", r.headers()));
                out.push_str(&r.text().await.unwrap());
            }
            let r = c
                .post(format!("{base}/v1/articles"))
                .header("apikey", SECRET_KEY)
                .body(format!("{{\"key\":\"{SECRET_KEY}\"}}"))
                .send()
                .await
                .unwrap();
            out.push_str(&format!("{:?}", r.headers()));
            out
        }
    };
    seen.push_str(&visit("ok").await);
    for faults in [
        Faults {
            error_rate: 1.0,
            ..Faults::default()
        },
        Faults {
            rate_limit_rate: 1.0,
            retry_after_secs: 1,
            ..Faults::default()
        },
        Faults {
            stall_rate: 1.0,
            stall_ms: 1_000,
            ..Faults::default()
        },
    ] {
        sim.set_faults(faults);
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        seen.push_str(&visit("fault").await);
        tokio::time::sleep(Duration::from_millis(800)).await;
    }
    // An unknown key's refusal is logged too, without the key.
    let other = start_proxy(settings(&sim.api_url()), &"u".repeat(64)).await;
    sim.set_faults(Faults::default());
    let r = c.get(other.url("/v1/snapshot")).send().await.unwrap();
    assert_eq!(r.status(), 503);

    assert!(!seen.contains(SECRET_KEY), "the key is in a response");
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("help center refreshed"), "logs were captured");
    assert!(text.contains("refresh failed"), "error paths were logged");
    assert!(
        text.lines().count() > 50,
        "{} log lines",
        text.lines().count()
    );
    for (n, line) in text.lines().enumerate() {
        assert!(
            !line.contains(SECRET_KEY),
            "log line {n} holds the key: {line}"
        );
        assert!(
            !line.contains(&"u".repeat(64)),
            "log line {n} holds a key: {line}"
        );
    }
}
