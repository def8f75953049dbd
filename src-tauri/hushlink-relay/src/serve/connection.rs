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
use std::sync::{Arc, Mutex, PoisonError};
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
/// and the future that enforces the deadline.
///
/// A phase change only writes the new phase: it wakes nobody. Three changes per request
/// used to wake the connection's task through a watch channel each, a few microseconds of
/// every request (docs/benchmarks.md). [`Tracker::expired`] instead wakes at the current
/// phase's deadline, or sooner, and looks again.
struct Tracker {
    phase: Mutex<(Phase, Instant)>,
    limits: Connections,
}

impl Tracker {
    fn new(limits: Connections) -> Arc<Self> {
        Arc::new(Self {
            phase: Mutex::new((Phase::Head, Instant::now())),
            limits,
        })
    }

    fn current(&self) -> (Phase, Instant) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn enter(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = (phase, Instant::now());
    }

    /// Bytes arrived: an idle connection starts a new head.
    fn bytes_read(&self) {
        let mut current = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        if current.0 == Phase::Idle {
            *current = (Phase::Head, Instant::now());
        }
    }

    /// Leaves the body phase for handling, if the connection is still in it.
    fn body_done(&self) {
        let mut current = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        if current.0 == Phase::Body {
            *current = (Phase::Handling, Instant::now());
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
    ///
    /// It looks at the phase at least every `step`, the shortest limit of any phase: a phase
    /// entered after a look ends no earlier than that look plus `step`, so no deadline is
    /// missed, and one seen at a look is slept until exactly.
    async fn expired(&self) -> Phase {
        let step = self
            .limits
            .header_timeout()
            .min(self.limits.body_timeout())
            .min(self.limits.idle_timeout());
        loop {
            let now = Instant::now();
            let current = self.current();
            let wake = match self.deadline(current) {
                Some(deadline) if deadline <= now => return current.0,
                Some(deadline) => deadline.min(now + step),
                None => now + step,
            };
            tokio::time::sleep_until(wake).await;
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
            tracker.body_done();
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn tracker() -> Arc<Tracker> {
        Tracker::new(Connections {
            header_timeout_ms: 300,
            body_timeout_ms: 400,
            idle_timeout_ms: 600,
            ..Connections::default()
        })
    }

    /// When `expired` completes, in milliseconds of paused time since `start`.
    async fn expiry(tracker: &Arc<Tracker>, start: Instant) -> (Phase, u128) {
        let phase = tracker.expired().await;
        (phase, start.elapsed().as_millis())
    }

    #[tokio::test(start_paused = true)]
    async fn a_phase_entered_while_handling_gets_its_whole_deadline_and_no_more() {
        let tracker = tracker();
        let start = Instant::now();
        tracker.enter(Phase::Handling);
        let waiting = tokio::spawn({
            let tracker = tracker.clone();
            async move { expiry(&tracker, start).await }
        });
        // The handler takes 1 s (no deadline), then the answer is written: idle from then.
        tokio::time::sleep(Duration::from_millis(1_000)).await;
        tracker.enter(Phase::Idle);
        assert_eq!(waiting.await.unwrap(), (Phase::Idle, 1_600));
    }

    #[tokio::test(start_paused = true)]
    async fn each_new_phase_moves_the_deadline() {
        let tracker = tracker();
        let start = Instant::now();
        let waiting = tokio::spawn({
            let tracker = tracker.clone();
            async move { expiry(&tracker, start).await }
        });
        // Head at 0 (300 ms), body at 250 (400 ms), handled at 600, idle at 700 (600 ms),
        // a new head at 1,200 (300 ms): each comes before the deadline of the one before.
        for (at, step) in [(250, 0), (600, 1), (700, 2), (1_200, 3)] {
            tokio::time::sleep_until(start + Duration::from_millis(at)).await;
            match step {
                0 => tracker.enter(Phase::Body),
                1 => tracker.body_done(),
                2 => tracker.enter(Phase::Idle),
                _ => tracker.bytes_read(),
            }
        }
        assert_eq!(waiting.await.unwrap(), (Phase::Head, 1_500));
    }

    #[tokio::test(start_paused = true)]
    async fn bytes_read_only_restart_an_idle_connection() {
        let tracker = tracker();
        let start = Instant::now();
        tracker.enter(Phase::Body);
        tokio::time::sleep(Duration::from_millis(100)).await;
        // More body bytes do not start a head: the body's deadline stands.
        tracker.bytes_read();
        assert_eq!(expiry(&tracker, start).await, (Phase::Body, 400));
    }
}
