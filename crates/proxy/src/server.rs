//! The accept loop and HTTP/1 connections, with the timers `axum::serve`
//! does not have: a visitor must send its request head within
//! `header_read_timeout` (slowloris), a keep-alive connection with no
//! request for `idle_timeout` is closed (hyper's header timer also runs
//! while a connection waits for its next request, so the shorter of the
//! two applies), and at most `max_connections` are
//! open at once (an accept-side semaphore: further clients wait in the
//! kernel's backlog and cost no descriptor until one closes). Each
//! connection gets TCP_NODELAY and the peer address as
//! `ConnectInfo<SocketAddr>` (the rate limiter keys on it). On shutdown
//! every connection finishes its current answer and closes; `serve`
//! returns when all have.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

/// Connection limits (see the module doc).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `shutdown` completes, then waits for the
/// open connections to finish their answers.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let max = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let slots = Arc::new(Semaphore::new(max));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&slots).acquire_owned() => p.expect("never closed"),
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let (tcp, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of descriptors or a connection reset before we took
                // it: nothing to answer; pause a moment so an exhausted
                // process does not spin.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Answers are written whole; never hold a small one (a 304) back
        // waiting for an ACK.
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            connection(tcp, peer, app, limits, stop).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every open connection holds a permit: having them all back means
    // every connection has closed.
    let _ = slots.acquire_many(max as u32).await;
    Ok(())
}

/// When the connection last started answering a request, and how many
/// answers are under way.
struct Activity {
    last: Mutex<Instant>,
    busy: AtomicUsize,
}

struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        if let Ok(mut last) = self.0.last.lock() {
            *last = Instant::now();
        }
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn connection(
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ConnLimits,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity {
        last: Mutex::new(Instant::now()),
        busy: AtomicUsize::new(0),
    });
    let tracked = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        tracked.busy.fetch_add(1, Ordering::SeqCst);
        let busy = Busy(Arc::clone(&tracked));
        let app = app.clone();
        async move {
            let answer = app.oneshot(req).await;
            drop(busy);
            answer
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(tcp), service);
    let mut conn = std::pin::pin!(conn);
    let mut closing = false;
    loop {
        let idle_deadline = {
            let last = activity
                .last
                .lock()
                .map(|l| *l)
                .unwrap_or_else(|_| Instant::now());
            if activity.busy.load(Ordering::SeqCst) > 0 {
                Instant::now() + limits.idle_timeout
            } else {
                last + limits.idle_timeout
            }
        };
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = stop.wait_for(|s| *s), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
            () = tokio::time::sleep_until(idle_deadline), if !closing => {
                let idle = activity.busy.load(Ordering::SeqCst) == 0
                    && activity.last.lock().map(|l| l.elapsed() >= limits.idle_timeout).unwrap_or(true);
                if idle {
                    // Closes at once when no request is under way, else
                    // after the answer being written.
                    conn.as_mut().graceful_shutdown();
                    closing = true;
                }
            }
        }
    }
}
