//! When to stop: Ctrl+C (SIGINT) or SIGTERM, which `kill`, `docker stop`
//! and systemd send. Both end in a graceful shutdown ([`crate::server`]
//! lets the requests being answered finish).
//!
//! The handlers are installed when a [`StopSignal`] is made, not when it
//! is awaited: a binary makes one before it prints the address it listens
//! on, because whoever reads that line may stop it at once, and a signal
//! that comes before its handler ends the process with no shutdown.

use std::io;

/// A request to stop, listened for from [`StopSignal::listen`] on.
pub struct StopSignal {
    #[cfg(unix)]
    signals: [tokio::signal::unix::Signal; 2],
}

impl StopSignal {
    /// Installs the handlers (needs a running Tokio runtime).
    pub fn listen() -> io::Result<StopSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(StopSignal {
                signals: [
                    signal(SignalKind::interrupt())?,
                    signal(SignalKind::terminate())?,
                ],
            })
        }
        #[cfg(not(unix))]
        {
            Ok(StopSignal {})
        }
    }

    /// Resolves on the first SIGINT or SIGTERM received since
    /// [`StopSignal::listen`].
    pub async fn requested(self) -> io::Result<()> {
        #[cfg(unix)]
        {
            let [mut int, mut term] = self.signals;
            tokio::select! {
                _ = int.recv() => Ok(()),
                _ = term.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    }
}
