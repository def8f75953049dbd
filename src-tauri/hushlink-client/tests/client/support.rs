//! A real HTTP server on an ephemeral port that answers with the JSON fixtures of
//! `tests/fixtures/onetime/` exactly (status, headers, body), and records each request.

use std::{
    fs,
    path::PathBuf,
    sync::{Arc, Mutex},
};

use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri},
    response::Response,
    Router,
};
use hushlink_client::{Client, ServerConfig};
use hushlink_protocol::SecretText;
use serde_json::Value;
use tokio::{net::TcpListener, sync::oneshot};
use url::Url;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub body: String,
    pub authorization: Option<String>,
    pub user_agent: Option<String>,
}

type Handler = Arc<dyn Fn(&Seen) -> Response + Send + Sync>;

/// A running fixture server; stops when dropped.
pub struct Server {
    pub url: Url,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _stop: oneshot::Sender<()>,
}

impl Server {
    /// Binds 127.0.0.1:0, then serves `handler` for every request.
    pub async fn start(handler: impl Fn(&Seen) -> Response + Send + Sync + 'static) -> Self {
        let handler: Handler = Arc::new(handler);
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let record = seen.clone();
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (handler, record) = (handler.clone(), record.clone());
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(String::from)
                    };
                    let request = Seen {
                        method,
                        path: uri.path().to_owned(),
                        body: String::from_utf8_lossy(&body).into_owned(),
                        authorization: header("authorization"),
                        user_agent: header("user-agent"),
                    };
                    let response = handler(&request);
                    record.lock().unwrap().push(request);
                    response
                }
            },
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Self {
            url,
            seen,
            _stop: stop,
        }
    }

    /// Serves fixture `name` for every request.
    pub async fn fixture(name: &'static str) -> Self {
        Self::start(move |_| fixture(name)).await
    }

    pub fn client(&self) -> Client {
        Client::new(ServerConfig::new(self.url.clone())).unwrap()
    }

    pub fn authed_client(&self) -> Client {
        let config = ServerConfig::new(self.url.clone())
            .with_credentials("alice@example.com", SecretText::from("tok3n"));
        Client::new(config).unwrap()
    }

    pub fn last(&self) -> Seen {
        self.seen
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("the server saw a request")
    }

    pub fn all(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/fixtures/{name}"))
}

/// The fixture's answer: its status, headers and body, as documented.
pub fn fixture(name: &str) -> Response {
    let text = fs::read_to_string(fixture_path(&format!("onetime/{name}.json"))).unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let mut response = Response::new(Body::from(serde_json::to_vec(&fixture["body"]).unwrap()));
    *response.status_mut() =
        StatusCode::from_u16(fixture["status"].as_u64().unwrap() as u16).unwrap();
    for (name, value) in fixture["headers"].as_object().unwrap() {
        response.headers_mut().insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
        );
    }
    response
}

/// The fixture's body as JSON, for comparisons.
pub fn fixture_body(name: &str) -> Value {
    let text = fs::read_to_string(fixture_path(&format!("onetime/{name}.json"))).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["body"].clone()
}

/// A plain answer with any status and content type.
pub fn raw(status: u16, content_type: &str, body: &str) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// The form fields of a request body.
pub fn form(seen: &Seen) -> Vec<(String, String)> {
    serde_urlencoded::from_str(&seen.body).unwrap()
}
