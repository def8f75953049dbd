//! An in-memory Onetime v1 server for tests of code built on this client (feature
//! `test-server`). It keeps real state (share → reveal once → receipt `received`, burn,
//! passphrases, one account for Basic auth, recent) and answers with the exact texts of
//! `hushlink_protocol::errors`, so the CLI and tracker can test end to end without the relay.
//! It is deliberately small: no expiry sweeps, no rate limits, no persistence.
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
    body::Bytes,
    extract::{Path, State as Axum},
    http::{header::AUTHORIZATION, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use hushlink_protocol::{errors, limits, v1, v2, SecretText, State};
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
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Binds `127.0.0.1:0` first (so no request can race the start), then serves.
    pub async fn start(options: TestServerOptions) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = Url::parse(&format!("http://{}/", listener.local_addr()?))
            .expect("socket address is a valid URL");
        let app = router(options);
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
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234/`.
    pub fn url(&self) -> &Url {
        &self.url
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

async fn status(Axum(app): Axum<App>, headers: HeaderMap) -> Answer {
    caller(&app, &headers)?;
    Ok(Json(v1::StatusResponse::nominal()).into_response())
}

async fn authcheck(Axum(app): Axum<App>, headers: HeaderMap) -> Answer {
    match caller(&app, &headers)? {
        Some(_) => Ok(Json(v1::StatusResponse::nominal()).into_response()),
        None => Err(fail_text(errors::NOT_AUTHORIZED)),
    }
}

async fn share(Axum(app): Axum<App>, headers: HeaderMap, body: Bytes) -> Answer {
    let owner = caller(&app, &headers)?;
    let req: v1::ShareRequest =
        serde_urlencoded::from_bytes(&body).map_err(|_| fail_text(errors::NOTHING_TO_SHARE))?;
    if req.secret.is_empty() {
        return Err(fail_text(errors::NOTHING_TO_SHARE));
    }
    if req.secret.len() > limits::MAX_SECRET_BYTES {
        return Err(fail_text(errors::SECRET_TOO_LARGE));
    }
    create(
        &app,
        owner,
        req.secret,
        req.passphrase,
        req.ttl,
        req.recipient,
        false,
    )
}

async fn generate(Axum(app): Axum<App>, headers: HeaderMap, body: Bytes) -> Answer {
    let owner = caller(&app, &headers)?;
    let req: v1::GenerateRequest = parse(&body)?;
    let length = usize::try_from(req.length.unwrap_or(12)).unwrap_or(usize::MAX);
    if length > limits::GENERATE_LENGTH_MAX {
        return Err(fail_text(errors::GENERATE_LENGTH_TOO_LONG));
    }
    let value = SecretText::new(random_key(length.max(1)));
    create(
        &app,
        owner,
        value,
        req.passphrase,
        req.ttl,
        req.recipient,
        true,
    )
}

fn create(
    app: &App,
    owner: Option<String>,
    value: SecretText,
    passphrase: Option<SecretText>,
    ttl: Option<u64>,
    recipient: Option<String>,
    generated: bool,
) -> Answer {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    if let Some(p) = &passphrase {
        if p.expose().chars().count() < limits::PASSPHRASE_MIN_CHARS {
            return Err(fail_text(errors::passphrase_too_short(
                limits::PASSPHRASE_MIN_CHARS,
            )));
        }
    }
    if recipient.is_some() && owner.is_none() {
        return Err(fail_text(errors::ACCOUNT_REQUIRED_FOR_EMAIL));
    }
    let ttl = limits::clamp_ttl(ttl, limits::TTL_MAX_ANONYMOUS_SECS);
    let (metadata_key, secret_key) = (random_key(62), random_key(62));
    let created = now();
    let receipt = v1::Receipt {
        custid: Some(owner.clone().unwrap_or_else(|| "anon".into())),
        metadata_key: metadata_key.clone(),
        secret_key: Some(secret_key.clone()),
        ttl: Some(ttl),
        metadata_ttl: Some(ttl * limits::RECEIPT_TTL_FACTOR),
        secret_ttl: Some(ttl),
        state: State::New,
        created: Some(created),
        updated: Some(created),
        recipient: recipient
            .iter()
            .map(|_| "re***@e***.com".to_owned())
            .collect(),
        passphrase_required: Some(passphrase.is_some()),
        ..Default::default()
    };
    let mut answer = receipt.clone();
    if generated {
        answer.value = Some(value.clone());
    }
    let mut store = app.store.lock().expect("store lock");
    store.by_secret.insert(secret_key, metadata_key.clone());
    store.entries.insert(
        metadata_key,
        Entry {
            receipt,
            owner,
            secret: Some(Secret { value, passphrase }),
        },
    );
    Ok(Json(answer).into_response())
}

async fn reveal(
    Axum(app): Axum<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    caller(&app, &headers)?;
    let req: v1::RevealRequest = parse(&body)?;
    let unknown = || fail(v1::ErrorBody::unknown_secret(&key));
    // One lock for check and take: exactly one concurrent reveal wins.
    let mut store = app.store.lock().expect("store lock");
    let metadata_key = store.by_secret.get(&key).cloned().ok_or_else(unknown)?;
    let entry = store.entries.get_mut(&metadata_key).ok_or_else(unknown)?;
    let secret = entry.secret.as_ref().ok_or_else(unknown)?;
    if secret.passphrase.is_some() && secret.passphrase.as_ref() != req.passphrase.as_ref() {
        return Err(unknown());
    }
    let secret = entry.secret.take().ok_or_else(unknown)?;
    let at = now();
    entry.receipt.state = State::Received;
    entry.receipt.received = Some(at);
    entry.receipt.updated = Some(at);
    entry.receipt.secret_key = None;
    entry.receipt.secret_ttl = None;
    store.by_secret.remove(&key);
    let answer = v1::RevealResponse {
        value: secret.value,
        secret_key: key,
        share_domain: None,
    };
    Ok(Json(answer).into_response())
}

async fn receipt(Axum(app): Axum<App>, Path(key): Path<String>, headers: HeaderMap) -> Answer {
    caller(&app, &headers)?;
    let store = app.store.lock().expect("store lock");
    let entry = store
        .entries
        .get(&key)
        .ok_or_else(|| fail(v1::ErrorBody::unknown_secret(&key)))?;
    Ok(Json(&entry.receipt).into_response())
}

async fn burn(
    Axum(app): Axum<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    caller(&app, &headers)?;
    let req: v1::BurnRequest = parse(&body)?;
    let unknown = || fail(v1::ErrorBody::unknown_secret(&key));
    let mut store = app.store.lock().expect("store lock");
    let entry = store.entries.get_mut(&key).ok_or_else(unknown)?;
    let secret = entry.secret.as_ref().ok_or_else(unknown)?;
    if secret.passphrase.is_some() && secret.passphrase.as_ref() != req.passphrase.as_ref() {
        return Err(fail_text(errors::DOUBLE_CHECK_PASSPHRASE));
    }
    entry.secret = None;
    let secret_key = entry
        .receipt
        .secret_key
        .replace(String::new())
        .unwrap_or_default();
    entry.receipt.state = State::Burned;
    entry.receipt.secret_ttl = None;
    entry.receipt.updated = Some(now());
    let answer = v1::BurnResponse {
        state: entry.receipt.clone(),
        secret_shortkey: Some(secret_key.chars().take(limits::SHORTKEY_LEN).collect()),
    };
    store.by_secret.remove(&secret_key);
    Ok(Json(answer).into_response())
}

async fn recent(Axum(app): Axum<App>, headers: HeaderMap) -> Answer {
    let user = caller(&app, &headers)?.ok_or_else(|| fail_text(errors::NOT_AUTHORIZED))?;
    let store = app.store.lock().expect("store lock");
    let mut mine: Vec<v1::Receipt> = store
        .entries
        .values()
        .filter(|e| e.owner.as_deref() == Some(user.as_str()))
        .map(|e| v1::Receipt {
            secret_key: None,
            secret_ttl: None,
            passphrase_required: None,
            ..e.receipt.clone()
        })
        .collect();
    mine.sort_by_key(|r| r.created);
    Ok(Json(mine).into_response())
}

fn secret_record(key: &str, entry: &Entry) -> v2::SecretRecord {
    v2::SecretRecord {
        identifier: Some(key.to_owned()),
        state: entry.receipt.state.clone(),
        has_passphrase: entry.secret.as_ref().map(|s| s.passphrase.is_some()),
        created: entry.receipt.created,
        ..Default::default()
    }
}

async fn batch_status(Axum(app): Axum<App>, headers: HeaderMap, body: Bytes) -> Answer {
    caller(&app, &headers)?;
    let req: v2::SecretStatusBatchRequest = parse(&body)?;
    let store = app.store.lock().expect("store lock");
    let records: Vec<_> = req
        .keys()
        .filter_map(|k| Some((k, store.entries.get(store.by_secret.get(k)?)?)))
        .map(|(k, e)| secret_record(k, e))
        .collect();
    let count = Some(records.len() as u64);
    Ok(Json(v2::SecretStatusBatchResponse { records, count }).into_response())
}

async fn secret_status(Axum(app): Axum<App>, Path(key): Path<String>) -> Answer {
    let store = app.store.lock().expect("store lock");
    let record = match store.by_secret.get(&key).and_then(|m| store.entries.get(m)) {
        Some(entry) => secret_record(&key, entry),
        None => v2::SecretRecord {
            state: State::parse("unknown"),
            ..Default::default()
        },
    };
    Ok(Json(serde_json::json!({ "record": record })).into_response())
}
