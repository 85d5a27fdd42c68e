//! Accepting and serving connections, with the limits `axum::serve` does
//! not have: a connection must send a whole request head within
//! `header_read_timeout` of connecting or of its first byte (a "slowloris"
//! client trickling header bytes is cut off), a connection that makes no
//! progress for `idle_timeout` while no request is being handled is closed
//! (an idle keep-alive connection, a client that stopped reading its
//! answer), and at most `max_connections` are open at once, so file
//! descriptors cannot run out. At the cap, a new connection waits (one
//! accepted, the next ones in the kernel's accept queue, which [`bind`]
//! makes long enough for a burst), and every open
//! connection is asked to make room
//! as soon as that loses nothing: after the answer it is giving, or once it
//! has sat idle between requests for [`REUSE_GRACE`]. Kept-alive
//! connections thus yield to new visitors instead of holding slots until
//! their idle timeout.
//!
//! hyper's own `header_read_timeout` starts whenever it waits for a request
//! head, including the wait for the next request on a kept-alive
//! connection, so it cannot tell a slow head from an idle connection. The
//! watchdog here keeps them apart (as Go's `ReadHeaderTimeout` and
//! `IdleTimeout` do): it sees the bytes read and written on the socket
//! ([`Watched`]) and when a request is being handled ([`InFlight`]).
//!
//! Each request carries `ConnectInfo<SocketAddr>` (the rate limiter needs
//! the peer address), sockets get `TCP_NODELAY`, and on shutdown the
//! listener closes, idle connections close, and requests being answered
//! finish (still under the watchdog) before [`serve`] returns.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{watch, Notify, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

/// The connection-level limits.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// From connecting (or from the first byte of a later request on a
    /// kept-alive connection) to a complete request head.
    pub header_read_timeout: Duration,
    /// No bytes read or written, and no request being handled.
    pub idle_timeout: Duration,
    /// Open connections at once.
    pub max_connections: usize,
}

/// The accept queue asked of the kernel (which caps it at
/// `net.core.somaxconn`, 4096 on current Linux). `TcpListener::bind` asks
/// for 128, as the standard library does: a burst of more new visitors
/// than that past the connection cap would overflow it, and Linux answers
/// an overflowing queue with dropped handshakes and resets, not a wait.
pub(crate) const ACCEPT_BACKLOG: u32 = 4096;

/// Listens on `addr` with [`ACCEPT_BACKLOG`] (and `SO_REUSEADDR`, as
/// `TcpListener::bind` sets it).
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// open requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Connections watch `stop` for shutdown; each holds a `done` receiver,
    // so `done_tx.closed()` resolves when the last one has ended.
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, done_rx) = watch::channel(());
    // Bumped when a connection waits for a slot: open connections then make
    // room.
    let (full_tx, full_rx) = watch::channel(0u64);
    let mut shutdown = pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    if !is_connection_error(&e) {
                        // Out of descriptors or memory: wait for some to be
                        // released rather than spin.
                        tracing::error!(error = %e, "accept failed");
                        tokio::select! {
                            () = tokio::time::sleep(Duration::from_secs(1)) => {}
                            () = &mut shutdown => break,
                        }
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Past the cap, this one connection waits here (one descriptor
        // over the cap), the next ones in the kernel's accept queue.
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                full_tx.send_modify(|n| *n = n.wrapping_add(1));
                tracing::debug!("connection cap reached; asking open connections to make room");
                tokio::select! {
                    slot = Arc::clone(&slots).acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        // Answers are written whole; never hold a small one (a 304) back
        // waiting for an ACK.
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let stop = stop_rx.clone();
        let mut full = full_rx.clone();
        // Only a cap reached from now on concerns this connection.
        full.borrow_and_update();
        let done = done_rx.clone();
        tokio::spawn(async move {
            connection(tcp, peer, app, limits, stop, full).await;
            drop(slot);
            drop(done);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(done_rx);
    done_tx.closed().await;
    Ok(())
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
    mut full: watch::Receiver<u64>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: tcp,
        activity: Arc::clone(&activity),
    });
    let on_request = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        let in_flight = InFlight::begin(Arc::clone(&on_request));
        let app = app.clone();
        async move {
            let response = app.oneshot(req).await;
            drop(in_flight);
            response
        }
    });
    let mut builder = http1::Builder::new();
    // The watchdog below times request heads (see the module comment).
    builder.header_read_timeout(None);
    let mut conn = pin!(builder.serve_connection(io, service));
    // `graceful_shutdown` called: the connection ends after its current
    // answer (at once if idle).
    let mut shut = false;
    // The cap was reached since this connection opened: it is to make room
    // as soon as that loses nothing (see `Activity::can_make_room`).
    let mut make_room = false;
    loop {
        if make_room && !shut && activity.can_make_room() {
            conn.as_mut().graceful_shutdown();
            shut = true;
        }
        let deadline = activity.deadline(&limits);
        let room_at = (make_room && !shut)
            .then(|| activity.idle_since())
            .flatten()
            .map(|t| t + REUSE_GRACE);
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                return;
            }
            () = sleep_until(deadline) => {
                if activity.deadline(&limits).is_some_and(|d| d <= Instant::now()) {
                    tracing::debug!(%peer, "connection timed out");
                    // Dropping the connection closes the socket.
                    return;
                }
            }
            () = sleep_until(room_at) => {}
            () = activity.changed.notified() => {}
            changed = stop.wait_for(|s| *s), if !shut => {
                if changed.is_ok() {
                    // Closes at once if idle, else after the current answer.
                    conn.as_mut().graceful_shutdown();
                    shut = true;
                }
            }
            _ = full.changed(), if !make_room => make_room = true,
        }
    }
}

/// How long a kept-alive connection must have been idle before it is closed
/// to make room: a client reuses a connection soon after an answer, if at
/// all, and a request already on its way when the connection closes is lost.
const REUSE_GRACE: Duration = Duration::from_secs(1);

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// What the watchdog knows of one connection. Times are milliseconds since
/// `epoch`.
struct Activity {
    epoch: Instant,
    /// Last byte read or written, or last answer produced.
    last_progress: AtomicU64,
    /// When the head now being read began; [`NO_HEAD`] when none is.
    head_started: AtomicU64,
    in_flight: AtomicUsize,
    /// Requests begun on this connection.
    served: AtomicU64,
    /// Wakes the watchdog when a head starts (its deadline moves earlier).
    changed: Notify,
}

const NO_HEAD: u64 = u64::MAX;

impl Activity {
    fn new() -> Self {
        Activity {
            epoch: Instant::now(),
            last_progress: AtomicU64::new(0),
            // A new connection owes a request head at once.
            head_started: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            served: AtomicU64::new(0),
            changed: Notify::new(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    fn progress(&self) {
        self.last_progress.store(self.now(), Ordering::Relaxed);
    }

    fn read(&self) {
        let now = self.now();
        self.last_progress.store(now, Ordering::Relaxed);
        // Bytes while no request is being handled begin the next head
        // (hyper handles a connection's requests one at a time).
        if self.in_flight.load(Ordering::Acquire) == 0
            && self
                .head_started
                .compare_exchange(NO_HEAD, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            self.changed.notify_one();
        }
    }

    /// Since when the connection has been idle between requests: it has
    /// answered at least one, is answering none and has no head coming.
    fn idle_since(&self) -> Option<Instant> {
        let idle = self.served.load(Ordering::Acquire) > 0
            && self.in_flight.load(Ordering::Acquire) == 0
            && self.head_started.load(Ordering::Acquire) == NO_HEAD;
        idle.then(|| self.epoch + Duration::from_millis(self.last_progress.load(Ordering::Relaxed)))
    }

    /// Whether asking the connection to close loses nothing: a request is
    /// being answered (it is answered, with `Connection: close`), or the
    /// connection has sat idle past [`REUSE_GRACE`]. Not a new connection
    /// (its request may be in flight, unread) nor one receiving a head.
    fn can_make_room(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
            || self
                .idle_since()
                .is_some_and(|t| t + REUSE_GRACE <= Instant::now())
    }

    /// When the connection is to be closed, if nothing happens before.
    fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            // The request timeout bounds the handler; once it has answered,
            // writing the answer is progress.
            return None;
        }
        let at = |ms: u64, after: Duration| Some(self.epoch + Duration::from_millis(ms) + after);
        match self.head_started.load(Ordering::Acquire) {
            NO_HEAD => at(
                self.last_progress.load(Ordering::Relaxed),
                limits.idle_timeout,
            ),
            started => at(started, limits.header_read_timeout),
        }
    }
}

/// Marks a request as being handled, from its complete head (hyper calls
/// the service then) to its answer.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        activity.served.fetch_add(1, Ordering::AcqRel);
        activity.head_started.store(NO_HEAD, Ordering::Release);
        activity.changed.notify_one();
        InFlight(activity)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.progress();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.0.changed.notify_one();
    }
}

/// The socket, noting every byte read or written in [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.progress();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.progress();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
