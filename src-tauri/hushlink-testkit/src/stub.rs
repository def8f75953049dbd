//! [`StubServer`]: a real HTTP server on 127.0.0.1:0 that answers every request with what
//! the test's function returns, and records each request. Tests use it to serve the
//! documented answers of `tests/fixtures/onetime/` exactly and to inject faults no real
//! server gives on demand (an HTML page, a 429, a redirect, a v2 probe that fails).

use std::sync::{Arc, Mutex};

use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, Method, Uri},
    response::Response,
    Router,
};
use url::Url;

use crate::{fixtures, spawn::Served};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The method.
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
}

impl Seen {
    /// The form fields of the body, in order; panics if the body is not a form.
    pub fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not a form body ({e}): {}", self.body))
    }
}

type Handler = Arc<dyn Fn(&Seen) -> Response + Send + Sync>;

/// A running stub server; stops when dropped.
pub struct StubServer {
    served: Served,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl StubServer {
    /// Binds 127.0.0.1:0, then answers every request with `handler`'s response.
    pub async fn start(handler: impl Fn(&Seen) -> Response + Send + Sync + 'static) -> Self {
        let handler: Handler = Arc::new(handler);
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let record = Arc::clone(&seen);
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (handler, record) = (Arc::clone(&handler), Arc::clone(&record));
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
                    record.lock().expect("seen lock").push(request);
                    response
                }
            },
        );
        Self {
            served: Served::start(app).await,
            seen,
        }
    }

    /// Answers every request with the documented answer `tests/fixtures/onetime/NAME.json`.
    pub async fn fixture(name: &str) -> Self {
        let answer = fixtures::onetime(name);
        Self::start(move |_| answer.to_response()).await
    }

    /// Base URL, e.g. `http://127.0.0.1:41234/`.
    pub fn url(&self) -> &Url {
        self.served.url()
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen lock").clone()
    }

    /// The last request; panics if there was none.
    pub fn last(&self) -> Seen {
        self.requests()
            .pop()
            .expect("the stub server saw a request")
    }

    /// Stops the server and waits for it.
    pub async fn stop(self) {
        self.served.stop().await;
    }
}

/// A plain answer with any status, content type and body.
pub fn raw(status: u16, content_type: &str, body: &str) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .expect("a valid status and content type")
}
