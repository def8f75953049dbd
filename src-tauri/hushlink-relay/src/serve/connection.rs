//! One accepted connection: its TLS handshake, then HTTP/1.1 requests, each phase under a
//! deadline from [`crate::Connections`], so a slow or silent client is cut off instead of
//! holding a connection (and a request body's memory) for ever.
//!
//! | phase | starts | ends | deadline |
//! |---|---|---|---|
//! | head | accept, or the first byte after an answer | the head is parsed | `header_timeout_ms` (TLS handshake included) |
//! | body | the head is parsed | the body has ended, or the handler dropped it | `body_timeout_ms` |
//! | handling | the body has ended (or there was none) | the answer is ready | none: the relay's own work |
//! | idle | the answer is ready | the next byte arrives | `idle_timeout_ms` |
//!
//! hyper's own `header_read_timeout` is not used: it runs from the moment a connection is
//! ready for a request, so it would cut idle keep-alives at the head deadline as well. When
//! a deadline passes the connection is dropped, which closes the socket.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::{Body as _, Frame, Incoming, SizeHint};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::connections::Connections;
use crate::http::PeerAddr;

/// Everything a connection task needs.
pub(super) struct Connection {
    pub app: Router,
    pub peer: PeerAddr,
    pub limits: Connections,
    /// Changes once, when the server stops: finish the request in flight, then close.
    pub stopping: watch::Receiver<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Head,
    Body,
    Handling,
    Idle,
}

/// The phase a connection is in and since when, shared by the socket wrapper, the service
/// and the task that enforces the deadline (woken through the watch channel on every change).
struct Tracker {
    phase: watch::Sender<(Phase, Instant)>,
    limits: Connections,
}

impl Tracker {
    fn new(limits: Connections) -> Arc<Self> {
        Arc::new(Self {
            phase: watch::Sender::new((Phase::Head, Instant::now())),
            limits,
        })
    }

    fn enter(&self, phase: Phase) {
        self.phase.send_replace((phase, Instant::now()));
    }

    /// Bytes arrived: an idle connection starts a new head.
    fn bytes_read(&self) {
        if self.phase.borrow().0 == Phase::Idle {
            self.enter(Phase::Head);
        }
    }

    fn deadline(&self, (phase, since): (Phase, Instant)) -> Option<Instant> {
        let limit = match phase {
            Phase::Head => self.limits.header_timeout(),
            Phase::Body => self.limits.body_timeout(),
            Phase::Idle => self.limits.idle_timeout(),
            Phase::Handling => return None,
        };
        Some(since + limit)
    }

    /// Completes when the current phase outlives its deadline; returns that phase.
    async fn expired(&self) -> Phase {
        let mut changes = self.phase.subscribe();
        loop {
            let current = *changes.borrow_and_update();
            match self.deadline(current) {
                Some(deadline) => {
                    tokio::select! {
                        biased;
                        changed = changes.changed() => {
                            if changed.is_err() {
                                return std::future::pending().await;
                            }
                        }
                        () = tokio::time::sleep_until(deadline) => return current.0,
                    }
                }
                None => {
                    if changes.changed().await.is_err() {
                        return std::future::pending().await;
                    }
                }
            }
        }
    }
}

impl Connection {
    /// Runs the connection to its end: the client closes it, a deadline passes, or the
    /// server stops.
    pub async fn run(self, stream: TcpStream, tls: Option<TlsAcceptor>) {
        let tracker = Tracker::new(self.limits);
        match tls {
            None => self.serve(stream, tracker).await,
            Some(acceptor) => {
                let handshake = tokio::select! {
                    done = acceptor.accept(stream) => done,
                    _ = tracker.expired() => {
                        tracing::debug!(peer = %self.peer.addr, "TLS handshake timed out");
                        return;
                    }
                };
                match handshake {
                    Ok(stream) => self.serve(stream, tracker).await,
                    Err(err) => {
                        tracing::debug!(error = %err, peer = %self.peer.addr, "TLS handshake failed");
                    }
                }
            }
        }
    }

    async fn serve<S>(mut self, stream: S, tracker: Arc<Tracker>)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let io = TokioIo::new(Watched {
            inner: stream,
            tracker: tracker.clone(),
        });
        let service = {
            let tracker = tracker.clone();
            let app = self.app.clone();
            let peer = self.peer;
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let tracker = tracker.clone();
                let app = app.clone();
                async move {
                    let ends_at_once = request.body().is_end_stream();
                    tracker.enter(if ends_at_once {
                        Phase::Handling
                    } else {
                        Phase::Body
                    });
                    let mut request = request.map(|body| {
                        Body::new(WatchedBody {
                            inner: body,
                            tracker: Some(tracker.clone()),
                        })
                    });
                    request.extensions_mut().insert(ConnectInfo(peer));
                    let response = app.oneshot(request).await;
                    // Writing the answer counts as idle: a client that does not read it
                    // is cut off at the idle deadline.
                    tracker.enter(Phase::Idle);
                    response
                }
            })
        };
        let connection = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .serve_connection(io, service);
        let mut connection = std::pin::pin!(connection);
        let mut stopping = false;
        loop {
            tokio::select! {
                done = connection.as_mut() => {
                    if let Err(err) = done {
                        tracing::debug!(error = %err, peer = %self.peer.addr, "connection ended");
                    }
                    return;
                }
                phase = tracker.expired() => {
                    tracing::debug!(?phase, peer = %self.peer.addr, "closed a slow connection");
                    return;
                }
                _ = self.stopping.changed(), if !stopping => {
                    stopping = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The socket, telling the tracker when bytes arrive.
struct Watched<S> {
    inner: S,
    tracker: Arc<Tracker>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.tracker.bytes_read();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// A request body that ends the body phase when it ends, fails or is dropped unread.
struct WatchedBody {
    inner: Incoming,
    /// Taken when the phase has been left.
    tracker: Option<Arc<Tracker>>,
}

impl WatchedBody {
    fn done(&mut self) {
        if let Some(tracker) = self.tracker.take() {
            if tracker.phase.borrow().0 == Phase::Body {
                tracker.enter(Phase::Handling);
            }
        }
    }
}

impl hyper::body::Body for WatchedBody {
    type Data = hyper::body::Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None | Some(Err(_)))) || self.inner.is_end_stream() {
            self.done();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for WatchedBody {
    fn drop(&mut self) {
        self.done();
    }
}
