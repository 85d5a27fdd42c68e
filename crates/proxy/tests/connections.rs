//! Connection-level limits over raw TCP: a client trickling its request
//! head is disconnected after the header timeout while others are served,
//! an idle keep-alive connection is closed after the idle timeout (but an
//! answer that takes longer is not cut), connections past the cap wait
//! until one closes (and open ones close after their answer to make room),
//! and shutdown closes idle connections and returns.

mod common;

use std::time::{Duration, Instant};

use common::*;
use hc_core::HelpCenterData;
use hc_sim::Faults;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn small() -> HelpCenterData {
    let mut data = debian();
    data.articles.truncate(20);
    data
}

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: proxy\r\n\r\n";

/// Reads one answer (head and `Content-Length` body) off a kept-alive
/// connection; returns its status line.
async fn read_answer(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).await.expect("reading an answer");
        assert!(
            n > 0,
            "closed before answering: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .expect("a content-length")
        .trim()
        .parse()
        .unwrap();
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed mid-body");
        buf.extend_from_slice(&chunk[..n]);
    }
    head.lines().next().unwrap().to_string()
}

/// Waits (at most `limit`) for the server to close `s`; true if it did.
async fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    let mut chunk = [0u8; 1024];
    let until = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(until, s.read(&mut chunk)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_request_head_is_cut_off_while_others_are_served() {
    let (_sim, proxy) = stack(small(), |s| {
        s.header_read_timeout = Duration::from_secs(1);
        s.idle_timeout = Duration::from_secs(120);
    })
    .await;
    let c = http();
    let start = Instant::now();
    let mut slow = TcpStream::connect(proxy.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: proxy\r\n")
        .await
        .unwrap();
    // One header line every half second, never the blank line that ends
    // the head: without a header timeout this goes on for 50 s before
    // hyper's 100-header limit ends it.
    let mut chunk = [0u8; 1024];
    let closed_after = loop {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "a trickling client is still connected after 15 s"
        );
        match tokio::time::timeout(Duration::from_millis(500), slow.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break start.elapsed(),
            Ok(Ok(n)) => panic!(
                "unexpected answer {:?}",
                String::from_utf8_lossy(&chunk[..n])
            ),
            Err(_) => {}
        }
        if slow.write_all(b"X-Slow: 1\r\n").await.is_err() {
            break start.elapsed();
        }
        // Everyone else is served meanwhile.
        let r = c.get(proxy.url("/healthz")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    };
    assert!(
        closed_after >= Duration::from_millis(900),
        "closed before its header timeout: {closed_after:?}"
    );
    let r = c.get(proxy.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_sends_a_head_is_closed() {
    let (_sim, proxy) = stack(small(), |s| {
        s.header_read_timeout = Duration::from_secs(1);
        s.idle_timeout = Duration::from_secs(120);
    })
    .await;
    let mut silent = TcpStream::connect(proxy.addr).await.unwrap();
    assert!(
        closed_within(&mut silent, Duration::from_secs(15)).await,
        "a connection that sent nothing is still open after 15 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let (_sim, proxy) = stack(small(), |s| {
        s.header_read_timeout = Duration::from_secs(120);
        s.idle_timeout = Duration::from_secs(1);
    })
    .await;
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    for _ in 0..2 {
        // Kept alive between requests that come in time.
        s.write_all(HEALTHZ).await.unwrap();
        assert_eq!(read_answer(&mut s).await, "http/1.1 200 ok");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let idle = Instant::now();
    assert!(
        closed_within(&mut s, Duration::from_secs(15)).await,
        "an idle keep-alive connection is still open after 15 s"
    );
    assert!(
        idle.elapsed() >= Duration::from_millis(600),
        "{:?}",
        idle.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_slower_than_the_idle_timeout_is_not_cut() {
    let (sim, proxy) = stack(small(), |s| {
        s.header_read_timeout = Duration::from_secs(1);
        s.idle_timeout = Duration::from_secs(1);
    })
    .await;
    // Cold cache, slow upstream: the first answer waits for a walk of two
    // pages at 1.5 s each.
    sim.set_faults(Faults {
        latency_ms: 1500,
        ..Faults::default()
    });
    let mut s = TcpStream::connect(proxy.addr).await.unwrap();
    let start = Instant::now();
    s.write_all(b"GET /v1/categories HTTP/1.1\r\nHost: proxy\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_answer(&mut s).await, "http/1.1 200 ok");
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_wait_until_one_closes() {
    let (sim, proxy) = stack(small(), |s| {
        s.max_connections = 2;
        s.header_read_timeout = Duration::from_secs(120);
        s.idle_timeout = Duration::from_secs(120);
    })
    .await;
    // Two visitors wait on a cold cache behind a slow upstream (a walk of
    // three pages at 2 s each), holding both slots.
    sim.set_faults(Faults {
        latency_ms: 2000,
        ..Faults::default()
    });
    let categories = b"GET /v1/categories HTTP/1.1\r\nHost: proxy\r\n\r\n";
    let mut first = TcpStream::connect(proxy.addr).await.unwrap();
    first.write_all(categories).await.unwrap();
    let mut second = TcpStream::connect(proxy.addr).await.unwrap();
    second.write_all(categories).await.unwrap();
    let both_waiting = tokio::time::timeout(Duration::from_secs(20), async {
        while !proxy
            .proxy
            .metrics()
            .render(None)
            .contains("hc_proxy_cache_requests_total{outcome=\"miss\"} 2")
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(both_waiting.is_ok(), "both requests reached the cache");

    // The kernel queues a third connection; the proxy does not take it.
    let mut third = TcpStream::connect(proxy.addr).await.unwrap();
    third.write_all(HEALTHZ).await.unwrap();
    let mut byte = [0u8; 1];
    assert!(
        tokio::time::timeout(Duration::from_secs(1), third.read(&mut byte))
            .await
            .is_err(),
        "a third connection was served while two were open"
    );
    // The two are answered, then close to make room (the cap was reached
    // while they were being answered) ...
    for s in [&mut first, &mut second] {
        assert_eq!(read_answer(s).await, "http/1.1 200 ok");
        assert!(closed_within(s, Duration::from_secs(10)).await);
    }
    // ... and the third is served.
    let status = tokio::time::timeout(Duration::from_secs(20), read_answer(&mut third))
        .await
        .expect("served once a connection closed");
    assert_eq!(status, "http/1.1 200 ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_kept_alive_connections_make_room_at_the_cap() {
    let (_sim, proxy) = stack(small(), |s| {
        s.max_connections = 2;
        s.header_read_timeout = Duration::from_secs(120);
        s.idle_timeout = Duration::from_secs(120);
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(proxy.addr).await.unwrap();
        s.write_all(HEALTHZ).await.unwrap();
        assert_eq!(read_answer(&mut s).await, "http/1.1 200 ok");
        idle.push(s);
    }
    // A new visitor is served long before the idle timeout: the idle
    // connections give their slots up.
    let mut new = TcpStream::connect(proxy.addr).await.unwrap();
    new.write_all(HEALTHZ).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), read_answer(&mut new))
        .await
        .expect("served while two idle connections held the slots");
    assert_eq!(status, "http/1.1 200 ok");
    for mut s in idle {
        assert!(closed_within(&mut s, Duration::from_secs(10)).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_idle_connections_and_returns() {
    let sim = start_sim(sim_config(small())).await;
    let proxy = hc_proxy::Proxy::with_retry(
        settings(&sim.api_url()),
        hc_client::ApiKey::new(READ_KEY).unwrap(),
        Some(fast_retry()),
    )
    .unwrap();
    let listener = hc_proxy::server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(proxy.serve(listener, async {
        let _ = stopped.await;
    }));
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(HEALTHZ).await.unwrap();
    assert_eq!(read_answer(&mut idle).await, "http/1.1 200 ok");

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("serve returns once its connections are closed")
        .unwrap()
        .unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(1)).await);
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
}
