//! An in-memory Onetime v1 server for tests of code built on this client (feature
//! `test-server`). It keeps real state (share → reveal once → receipt `received`, burn,
//! passphrases, one account for Basic auth, recent) and answers with the exact texts of
//! `hushlink_protocol::errors`, so the CLI and tracker can test end to end without the relay.
//! It is deliberately small: no expiry sweeps, no rate limits, no persistence.
//!
//! Its replay mode ([`TestServer::replay`], module [`replay`]) serves answers recorded from a
//! real server instead, exactly as recorded.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = hushlink_client::test_server::TestServer::start(Default::default()).await?;
//! let client = hushlink_client::Client::new(hushlink_client::ServerConfig::new(server.url().clone()));
//! # Ok(()) }
//! ```

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use aes_gcm::aead::{rand_core::RngCore, OsRng};
use axum::{
    http::{header::AUTHORIZATION, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use hushlink_protocol::{errors, v1, SecretText};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use url::Url;

/// How the fake server behaves.
#[derive(Debug, Clone, Default)]
pub struct TestServerOptions {
    /// The one account: (username, API token).
    pub account: Option<(String, String)>,
    /// Also serve the v2 status calls (batch and single), as current Onetime servers do.
    pub v2: bool,
}

/// A running fake server on `127.0.0.1:<ephemeral>`; stops when dropped.
pub struct TestServer {
    url: Url,
    /// `"METHOD /path"` of every request, in order (replay mode only).
    seen: Arc<Mutex<Vec<String>>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Binds `127.0.0.1:0` first (so no request can race the start), then serves.
    pub async fn start(options: TestServerOptions) -> std::io::Result<Self> {
        Self::spawn(router(options), Arc::default()).await
    }

    /// Replay mode: serves the recorded answers of `recording` (see [`replay`]).
    pub async fn replay(recording: replay::Recording) -> std::io::Result<Self> {
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        Self::spawn(replay::router(recording, seen.clone()), seen).await
    }

    async fn spawn(app: Router, seen: Arc<Mutex<Vec<String>>>) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = Url::parse(&format!("http://{}/", listener.local_addr()?))
            .expect("socket address is a valid URL");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            url,
            seen,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234/`.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// `"METHOD /path"` of every request so far, in order (recorded in replay mode).
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("seen lock").clone()
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        self.stop.take().map(|s| s.send(()));
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.take().map(|s| s.send(()));
    }
}

struct Secret {
    value: SecretText,
    passphrase: Option<SecretText>,
}

struct Entry {
    receipt: v1::Receipt,
    owner: Option<String>,
    /// Present until revealed or burned.
    secret: Option<Secret>,
}

#[derive(Default)]
struct Store {
    /// By metadata key.
    entries: HashMap<String, Entry>,
    /// Secret key → metadata key.
    by_secret: HashMap<String, String>,
}

#[derive(Clone)]
struct App {
    options: Arc<TestServerOptions>,
    /// std Mutex: nothing awaits while it is held.
    store: Arc<Mutex<Store>>,
}

mod handlers;
pub mod replay;

use handlers::{
    authcheck, batch_status, burn, generate, receipt, recent, reveal, secret_status, share, status,
};

fn router(options: TestServerOptions) -> Router {
    let v2 = options.v2;
    let app = App {
        options: Arc::new(options),
        store: Arc::default(),
    };
    let mut router = Router::new()
        .route("/api/v1/status", get(status))
        .route("/api/v1/authcheck", get(authcheck))
        .route("/api/v1/share", post(share))
        .route("/api/v1/create", post(share))
        .route("/api/v1/generate", post(generate))
        .route("/api/v1/secret/{key}", post(reveal));
    for prefix in ["private", "metadata", "receipt"] {
        router = router
            .route(&format!("/api/v1/{prefix}/recent"), get(recent))
            .route(
                &format!("/api/v1/{prefix}/{{key}}"),
                get(receipt).post(receipt),
            )
            .route(&format!("/api/v1/{prefix}/{{key}}/burn"), post(burn));
    }
    if v2 {
        router = router
            .route("/api/v2/secret/status", post(batch_status))
            .route("/api/v2/secret/{key}/status", get(secret_status));
    }
    router
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(v1::ErrorBody::route_not_found()),
            )
        })
        .with_state(app)
}

/// A v1 error answer: HTTP 404 with the body.
struct Refusal(v1::ErrorBody);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (StatusCode::NOT_FOUND, Json(self.0)).into_response()
    }
}

type Answer = Result<Response, Refusal>;

fn fail(body: v1::ErrorBody) -> Refusal {
    Refusal(body)
}

fn fail_text(text: impl Into<String>) -> Refusal {
    fail(v1::ErrorBody::message(text))
}

/// `Ok(None)` anonymous, `Ok(Some(user))` valid credentials, `Err` any invalid header.
fn caller(app: &App, headers: &HeaderMap) -> Result<Option<String>, Refusal> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let refused = || fail_text(errors::NOT_AUTHORIZED);
    let encoded = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Basic "))
        .ok_or_else(refused)?;
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| refused())?;
    let decoded = String::from_utf8(decoded).map_err(|_| refused())?;
    let (user, token) = decoded.split_once(':').ok_or_else(refused)?;
    match &app.options.account {
        Some((u, t)) if u == user && t == token && !user.is_empty() => Ok(Some(user.to_owned())),
        _ => Err(refused()),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn random_key(len: usize) -> String {
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut bytes = vec![0u8; len];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| CHARS[usize::from(*b) % CHARS.len()] as char)
        .collect()
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_urlencoded::from_bytes(body).map_err(|_| fail_text(errors::UNEXPECTED))
}
