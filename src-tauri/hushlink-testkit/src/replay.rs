//! The replay server: answers recorded from a real Onetime server, served exactly (status,
//! headers, body), so the client, the CLI and the tracker are tested against what a real
//! release said rather than what we think it says.
//!
//! A [`Recording`] is the JSON Lines format of `tests/fixtures/onetime/real-v0.23.6/` (one
//! exchange a line: `step`, `request{method, path, template, …}`, `status`, `headers`,
//! `body`). A test picks the steps it needs with [`Recording::only`] (or builds exchanges
//! itself) and starts a [`ReplayServer`]. Requests are matched on method and path: each
//! matching step is served once, in the order picked, and the last one for a path keeps
//! being served (a poller that asks again sees the latest recorded state). A request no
//! step matches gets v0.23.6's own unknown-route answer, `404 {"error":"Not Found"}`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::{
    body::Body,
    http::{Method, StatusCode, Uri},
    response::Response,
    Router,
};
use serde::Deserialize;
use url::Url;

use crate::{fixtures, spawn::Served, Answer};

/// One recorded request and the answer the real server gave.
#[derive(Debug, Clone, Deserialize)]
pub struct Exchange {
    /// Stable name of the step, e.g. `v1.share.form`.
    pub step: String,
    /// The request as sent.
    pub request: RecordedRequest,
    /// The answer as given (status, recorded headers, body).
    #[serde(flatten)]
    pub answer: Answer,
}

/// The request half of an [`Exchange`].
#[derive(Debug, Clone, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path as sent, with the real keys of that run.
    pub path: String,
    /// The path with `{secret_key}`-style placeholders.
    #[serde(default)]
    pub template: String,
    /// `"good"`, `"bad"` or absent (anonymous).
    #[serde(default)]
    pub auth: Option<String>,
}

impl Exchange {
    /// The last path segment before `/burn`, or the last one: the key the request named.
    pub fn key(&self) -> &str {
        let path = self.request.path.trim_end_matches("/burn");
        path.rsplit('/').next().unwrap_or_default()
    }
}

/// Recorded exchanges, in recording order.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    exchanges: Vec<Exchange>,
}

impl From<Vec<Exchange>> for Recording {
    /// Exchanges a test built or adjusted itself (e.g. a recorded body served on another
    /// path), in serving order.
    fn from(exchanges: Vec<Exchange>) -> Self {
        Self { exchanges }
    }
}

/// A recording that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// A line is not a recorded exchange.
    #[error("line {line} of the recording is not an exchange: {reason}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        reason: String,
    },
    /// [`Recording::only`] or [`Recording::step`] named a step the recording does not have.
    #[error("the recording has no step {0:?}")]
    NoStep(String),
}

/// The answers of a real Onetime v0.23.6 server (`tests/fixtures/onetime/real-v0.23.6/`):
/// the recorded run, then the two rate-limit answers seen with curl.
pub fn onetime_v0_23_6() -> Recording {
    let read = |name: &str| {
        let relative = format!("onetime/real-v0.23.6/{name}");
        Recording::parse(&fixtures::read_to_string(&relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"))
    };
    read("answers.jsonl").and(&read("rate-limited.jsonl"))
}

impl Recording {
    /// Reads JSON Lines; blank lines are skipped.
    pub fn parse(jsonl: &str) -> Result<Self, RecordingError> {
        let exchanges = jsonl
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                serde_json::from_str(line).map_err(|e| RecordingError::Line {
                    line: i + 1,
                    reason: e.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { exchanges })
    }

    /// Every exchange, in recording order.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// The exchange of a step.
    pub fn step(&self, name: &str) -> Result<&Exchange, RecordingError> {
        self.exchanges
            .iter()
            .find(|e| e.step == name)
            .ok_or_else(|| RecordingError::NoStep(name.to_owned()))
    }

    /// A recording of just these steps, in this order (the order they will be served in).
    pub fn only(&self, steps: &[&str]) -> Result<Self, RecordingError> {
        let exchanges = steps
            .iter()
            .map(|s| self.step(s).cloned())
            .collect::<Result<_, _>>()?;
        Ok(Self { exchanges })
    }

    /// This recording followed by `other`'s exchanges.
    pub fn and(mut self, other: &Self) -> Self {
        self.exchanges.extend(other.exchanges.iter().cloned());
        self
    }
}

/// A running replay server on `127.0.0.1:<ephemeral>`; stops when dropped.
pub struct ReplayServer {
    served: Served,
    /// `"METHOD /path"` of every request, in order.
    seen: Arc<Mutex<Vec<String>>>,
}

impl ReplayServer {
    /// Serves the answers of `recording` (see the module docs for the matching rule).
    pub async fn start(recording: Recording) -> Self {
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let served = Served::start(router(recording, Arc::clone(&seen))).await;
        Self { served, seen }
    }

    /// Base URL, e.g. `http://127.0.0.1:41234/`.
    pub fn url(&self) -> &Url {
        self.served.url()
    }

    /// `"METHOD /path"` of every request so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("seen lock").clone()
    }

    /// Stops the server and waits for it.
    pub async fn stop(self) {
        self.served.stop().await;
    }
}

/// Answers still to serve per (method, path), in order.
type Queues = HashMap<(String, String), VecDeque<Exchange>>;

/// What the replay router shares between requests.
#[derive(Clone)]
struct Replay {
    /// Per (method, path), the answers still to serve; the last one stays. std Mutex:
    /// nothing awaits while it is held.
    queues: Arc<Mutex<Queues>>,
    seen: Arc<Mutex<Vec<String>>>,
}

fn router(recording: Recording, seen: Arc<Mutex<Vec<String>>>) -> Router {
    let mut queues = Queues::new();
    for exchange in recording.exchanges {
        let key = (
            exchange.request.method.to_ascii_uppercase(),
            exchange.request.path.clone(),
        );
        queues.entry(key).or_default().push_back(exchange);
    }
    let replay = Replay {
        queues: Arc::new(Mutex::new(queues)),
        seen,
    };
    Router::new().fallback(move |method: Method, uri: Uri| {
        let replay = replay.clone();
        async move { replay.answer(&method, &uri) }
    })
}

impl Replay {
    fn answer(&self, method: &Method, uri: &Uri) -> Response {
        let path = uri.path().to_owned();
        self.seen
            .lock()
            .expect("seen lock")
            .push(format!("{method} {path}"));
        let exchange = {
            let mut queues = self.queues.lock().expect("replay lock");
            queues
                .get_mut(&(method.as_str().to_owned(), path))
                .and_then(|queue| {
                    if queue.len() > 1 {
                        queue.pop_front()
                    } else {
                        queue.front().cloned()
                    }
                })
        };
        match exchange {
            Some(exchange) => exchange.answer.to_response(),
            None => Response::builder()
                .status(StatusCode::NOT_FOUND)
                .header("content-type", "application/json; charset=utf-8")
                .body(Body::from(r#"{"error":"Not Found"}"#))
                .expect("a valid response"),
        }
    }
}

#[cfg(test)]
mod tests;
