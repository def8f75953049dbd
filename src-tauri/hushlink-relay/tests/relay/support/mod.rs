//! What the relay's integration tests share: a relay on an ephemeral port ([`TestRelay`]),
//! cheap settings ([`test_config`]), plain HTTP helpers; [`engine`] (SQLite or PostgreSQL,
//! by `HUSHLINK_TEST_ENGINE`: [`open`] opens a relay on it); [`binary`] (the real binary and a
//! headless relay read from its `listening on` line), [`tls`] (a relay over TLS with the
//! fixture certificate), [`v2`] (JSON calls to `/api/v2`).
//!
//! The TESTKIT crate cannot serve here: it depends on the relay, so the relay's own tests
//! would see two copies of its types.

pub mod binary;
pub mod engine;
pub mod ops;
pub mod tls;
pub mod v2;

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use hushlink_relay::http::PeerAddr;
use hushlink_relay::{Clock, Relay, RelayConfig};
use tokio::sync::oneshot;

pub use engine::{open, open_with_clock, postgres_only, sqlite_only};

/// A running relay; stops when dropped.
pub struct TestRelay {
    pub relay: Relay,
    pub url: String,
    /// Kept so the data directory outlives the server.
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestRelay {
    /// Starts a relay with default settings (in a temp dir) changed by `tweak`, on the
    /// engine of this run ([`engine`]).
    pub async fn start(tweak: impl FnOnce(&mut RelayConfig)) -> Self {
        Self::start_with_clock(tweak, Clock::system()).await
    }

    pub async fn start_with_clock(tweak: impl FnOnce(&mut RelayConfig), clock: Clock) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = test_config(dir.path().join("data"));
        tweak(&mut config);
        let relay = open_with_clock(config, clock).await.expect("relay opens");
        // Bound before the server task starts: connections queue, no sleep needed.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let served = relay.clone();
        let task = tokio::spawn(async move {
            hushlink_relay::serve(listener, served, async {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
        });
        Self {
            relay,
            url,
            _dir: dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task");
        }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Default settings, except a cheap Argon2 cost: debug builds hash at a fraction of release
/// speed, and the production cost is covered by the `seal` unit test.
pub fn test_config(data_dir: impl Into<std::path::PathBuf>) -> RelayConfig {
    let mut config = RelayConfig::with_data_dir(data_dir);
    config.passphrase_hashing = hushlink_relay::PassphraseHashing {
        memory_kib: 256,
        iterations: 1,
    };
    config
}

/// A plain HTTP client (no redirects, no proxy).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// A request for `router.oneshot`, coming from `peer`.
pub fn from_peer(peer: &str, request: http::request::Builder, body: Body) -> http::Request<Body> {
    let ip: IpAddr = peer.parse().expect("peer ip");
    let mut request = request.body(body).expect("request");
    let addr = SocketAddr::new(ip, 40_000);
    request
        .extensions_mut()
        .insert(ConnectInfo(PeerAddr { addr, tls: false }));
    request
}

/// A JSON body as a `serde_json::Value`, with the status.
pub async fn json(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

/// Creates a secret through v1 share with form parameters; returns (secret_key, metadata_key).
pub async fn share(relay: &TestRelay, form: &[(&str, &str)]) -> (String, String) {
    let (status, body) = json(
        http()
            .post(relay.api("/api/v1/share"))
            .form(form)
            .send()
            .await
            .expect("share"),
    )
    .await;
    assert_eq!(status, 200, "share succeeds: {body}");
    let secret = body["secret_key"].as_str().expect("secret_key").to_owned();
    let receipt = body["metadata_key"]
        .as_str()
        .expect("metadata_key")
        .to_owned();
    (secret, receipt)
}
