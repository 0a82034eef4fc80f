//! The accept loop: HTTP/1.1 connections with the limits `axum::serve` does not offer.
//!
//! - **Head timeout**: a connection that waits longer than the limit for a complete request
//!   head is closed. hyper runs this one timer whenever a connection waits for a request, so it
//!   bounds idle keep-alive connections and slow senders of headers alike (one setting for
//!   both; an in-flight request or an open stream is never timed out by it).
//! - **Most connections**: past the maximum, a connection is answered `503` with
//!   `Retry-After` and closed, instead of piling up until the process runs out of file
//!   descriptors; if it does run out, accepting backs off rather than spinning.
//! - **Graceful shutdown**: in-flight exchanges finish; the loop then waits for every
//!   connection task.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

/// Connection limits of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Longest wait for a complete request head (`None`: none).
    pub head_timeout: Option<Duration>,
    /// Most connections served at once.
    pub max_connections: usize,
}

/// File descriptors kept for everything but client connections (database pools, files).
const RESERVED_FDS: u64 = 256;

/// Raises the open-file limit to its hard limit and answers the most connections that fit
/// under it beside [`RESERVED_FDS`], at most `wanted`. With the common soft limit of 1,024, a
/// thousand idle connections would otherwise stop the gateway accepting any.
pub fn fit_connections(wanted: usize) -> usize {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            let fit = usize::try_from(limit.saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX);
            if fit < wanted {
                tracing::warn!(
                    open_files = limit,
                    max_connections = fit,
                    "GATEWAY_MAX_CONNECTIONS lowered to fit the open-file limit"
                );
            }
            wanted.min(fit.max(1))
        }
        Err(e) => {
            tracing::warn!(error = %e, "the open-file limit could not be raised");
            wanted
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets in-flight exchanges
/// finish and returns once every connection has closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    // Every connection task holds a clone; all dropped means all closed.
    let (done_tx, done_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors (or a transient error): wait for some to close.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let mut stop = stop_rx.clone();
        let done = done_rx.clone();
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder.timer(TokioTimer::new());
            if let Some(t) = limits.head_timeout {
                builder.header_read_timeout(t);
            }
            let conn = builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            let mut stopping = false;
            loop {
                tokio::select! {
                    served = conn.as_mut() => {
                        if let Err(e) = served {
                            tracing::debug!(error = %e, "connection ended with an error");
                        }
                        break;
                    }
                    _ = stop.wait_for(|s| *s), if !stopping => {
                        stopping = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(slot);
            drop(done);
        });
    }
    // New connections are refused from now on, not left waiting in the backlog.
    drop(listener);
    stop_tx.send_replace(true);
    drop(done_rx);
    done_tx.closed().await;
}

/// Answers a connection over the maximum with `503` and closes it.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = r#"{"errors":[{"message":"the gateway is serving as many connections as it may; try again shortly","extensions":{"code":"UNAVAILABLE"}}]}"#;
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    // Read what the client already sent, so closing does not reset the connection before it
    // reads the answer.
    let mut buf = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buf)).await;
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
