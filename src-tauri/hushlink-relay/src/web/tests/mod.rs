//! The pages through the relay's complete router (peer filter and headers included), called
//! with `oneshot`: no sockets, no browser. The browser side is `ui/e2e/relay-pages.spec.ts`.

mod explain;
mod hardening;
mod landing;
mod receipt_page;
mod secret_page;
mod sender_note;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use http::{header, HeaderMap, Request, StatusCode};
use hushlink_protocol::SecretText;
use tower::ServiceExt;

use crate::access_log::Client;
use crate::clock::Clock;
use crate::config::RelayConfig;
use crate::http::PeerAddr;
use crate::model::NewSecret;
use crate::operations::Relay;

/// A vector from `tests/fixtures/e2e-vectors.json` ("ascii").
const E2E_VALUE: &str =
    "hushlink-e2e:v1:JCQkJCQkJCQkJCQkdv62M4ylsh5Oh1DZ2BLxxxiPVgLPiyMZ0dSgP63yG_R9ofbuWeV0P7EFBHQ";

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

struct Fixture {
    relay: Relay,
    clock: Clock,
    app: Router,
    _dir: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Self {
        Self::with(|_| {}).await
    }

    async fn with(tweak: impl FnOnce(&mut RelayConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Clock::manual(1_782_197_560);
        let mut config = RelayConfig::for_tests(dir.path());
        tweak(&mut config);
        let relay = Relay::open_with_clock(config, clock.clone())
            .await
            .expect("relay opens");
        Self {
            app: crate::router(&relay),
            relay,
            clock,
            _dir: dir,
        }
    }

    async fn create(&self, value: &str, passphrase: Option<&str>, e2e: bool) -> (String, String) {
        let new = NewSecret {
            value: Some(SecretText::from(value)),
            passphrase: passphrase.map(SecretText::from),
            e2e,
            ..NewSecret::default()
        };
        let created = self
            .relay
            .create(new, None, &loopback())
            .await
            .expect("loopback may create");
        let secret = created
            .receipt
            .secret_key
            .expect("a new receipt has its secret key")
            .expose()
            .to_owned();
        (secret, created.receipt.receipt_key.expose().to_owned())
    }

    async fn send(&self, request: Request<Body>) -> Page {
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        Page {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("pages are UTF-8"),
        }
    }

    async fn get(&self, path: &str) -> Page {
        self.send(request("GET", path, "", Some("none"))).await
    }

    async fn post(&self, path: &str, form: &str) -> Page {
        self.send(request("POST", path, form, Some("same-origin")))
            .await
    }
}

fn loopback() -> Client {
    Client::new([127, 0, 0, 1].into(), Some("test"))
}

fn request(method: &str, path: &str, form: &str, fetch_site: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "relay.test:7143")
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(site) = fetch_site {
        builder = builder.header("sec-fetch-site", site);
    }
    let mut request = builder.body(Body::from(form.to_owned())).expect("request");
    let addr: SocketAddr = "192.168.1.20:50000".parse().expect("addr");
    request
        .extensions_mut()
        .insert(ConnectInfo(PeerAddr { addr, tls: false }));
    request
}

fn textarea_content(body: &str) -> &str {
    let start = body.find("<textarea").expect("a textarea");
    let open_end = start + body[start..].find('>').expect("tag end") + 1;
    let close = body.find("</textarea>").expect("closed textarea");
    // The parser drops the one line feed after the start tag.
    body[open_end..close]
        .strip_prefix('\n')
        .expect("a line feed follows the start tag")
}
