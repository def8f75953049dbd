//! Raw-socket helpers of the slow-client tests: a relay served in process on 127.0.0.1,
//! and reads that wait, bounded, for an answer or a close.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hushlink_relay::PeerFilter;
use hushlink_relay::{Connections, RelayConfig};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::Instant;

use crate::support::test_config;

/// Longest a test waits for the relay to close a connection: several times the deadlines
/// below, so a loaded machine does not fail the test, and far below "never".
pub const CLOSE_WITHIN: Duration = Duration::from_secs(3);

/// Short deadlines, as a test needs them.
pub fn short(limits: &mut Connections) {
    limits.header_timeout_ms = 300;
    limits.body_timeout_ms = 300;
    limits.idle_timeout_ms = 600;
}

/// A relay served on 127.0.0.1; stops when dropped.
pub struct Served {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Served {
    pub async fn start(
        tweak: impl FnOnce(&mut RelayConfig),
        filter: Option<PeerFilter>,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(dir.path());
        tweak(&mut config);
        let mut relay = crate::support::open(config).await.unwrap();
        if let Some(filter) = filter {
            relay = relay.with_peer_filter(filter);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        tokio::spawn(async move {
            match tls {
                Some(tls) => hushlink_relay::serve_tls(listener, relay, tls, shutdown).await,
                None => hushlink_relay::serve(listener, relay, shutdown).await,
            }
        });
        Self {
            addr,
            stop: Some(stop),
            _dir: dir,
        }
    }

    pub async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.unwrap()
    }

    /// A connection from another loopback address (Linux routes all of 127/8 to `lo`).
    pub async fn connect_from(&self, source: &str) -> TcpStream {
        let socket = TcpSocket::new_v4().unwrap();
        let source: IpAddr = source.parse().unwrap();
        socket.bind(SocketAddr::new(source, 0)).unwrap();
        socket.connect(self.addr).await.unwrap()
    }

    pub fn get(&self, path: &str) -> String {
        format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr)
    }
}

/// Reads until the peer closes (EOF or reset): the bytes received, and when it closed.
/// `None` if it is still open after [`CLOSE_WITHIN`].
pub async fn until_closed(stream: &mut TcpStream) -> Option<(Vec<u8>, Instant)> {
    let mut received = Vec::new();
    let reading = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return Instant::now(),
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    let closed = tokio::time::timeout(CLOSE_WITHIN, reading).await.ok()?;
    Some((received, closed))
}

/// Reads one answer whose body has a `Content-Length`; returns its head and body as text.
pub async fn read_answer(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                return text;
            }
        }
        let n = tokio::time::timeout(CLOSE_WITHIN, stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("readable");
        assert!(n > 0, "closed before a whole answer: {text:?}");
        received.extend_from_slice(&buf[..n]);
    }
}

pub fn refusing_loopback() -> PeerFilter {
    PeerFilter::new(false, Vec::new()).refusing_loopback()
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/relay/fixtures")
        .join(name)
}
