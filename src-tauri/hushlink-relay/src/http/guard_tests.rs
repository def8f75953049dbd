//! [`Hardening`] around a stub route: which answers get which headers, which check wins, and
//! that a refused request never reaches the route.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};
use tower::ServiceExt;

use super::*;
use crate::config::RelayConfig;
use crate::http::{CONTENT_SECURITY_POLICY, REFUSED, STRICT_TRANSPORT_SECURITY};

/// The listener the `Host` check is built for.
const BOUND: &str = "192.168.1.5:7143";
const LAN_PEER: &str = "192.168.1.20:50000";
const OUTSIDE_PEER: &str = "203.0.113.9:50000";

struct Fixture {
    relay: Relay,
    /// Requests the stub route answered.
    handled: Arc<AtomicUsize>,
    _dir: tempfile::TempDir,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// A request's peer, as connect info gives it (or not).
#[derive(Clone, Copy)]
enum Peer {
    Lan { tls: bool },
    Outside { tls: bool },
    Unknown,
}

impl Fixture {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let relay = Relay::open(RelayConfig::with_data_dir(dir.path()))
            .await
            .expect("relay opens");
        Self {
            relay,
            handled: Arc::default(),
            _dir: dir,
        }
    }

    /// A stub route behind the layer, with the `Host` check of [`BOUND`] or none. The route
    /// sets its own `Cache-Control`, which the layer must replace.
    fn app(&self, host_check: bool) -> Router {
        let own = host_check.then(|| {
            Arc::new(OwnHosts::new(
                self.relay.config(),
                BOUND.parse().expect("addr"),
            ))
        });
        let handled = self.handled.clone();
        let route = move || {
            handled.fetch_add(1, Ordering::SeqCst);
            async { ([(header::CACHE_CONTROL, "public")], "handled") }
        };
        Router::new()
            .route("/api/x", post(route))
            .layer(Hardening::new(&self.relay, own))
    }

    async fn send(&self, app: Router, request: Request) -> Answer {
        let response = app.oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body")
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    fn handled(&self) -> usize {
        self.handled.load(Ordering::SeqCst)
    }
}

/// `POST /api/x` naming `host`, from `peer`, with extra `headers`.
fn request(host: &str, peer: Peer, headers: &[(&str, &str)]) -> Request {
    let mut builder = http::Request::builder()
        .method("POST")
        .uri("/api/x")
        .header(header::HOST, host);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(Body::empty()).expect("request");
    let (addr, tls) = match peer {
        Peer::Lan { tls } => (LAN_PEER, tls),
        Peer::Outside { tls } => (OUTSIDE_PEER, tls),
        Peer::Unknown => return request,
    };
    let addr = addr.parse().expect("addr");
    request
        .extensions_mut()
        .insert(ConnectInfo(PeerAddr { addr, tls }));
    request
}

/// The eight security headers, with the route's own `Cache-Control` replaced.
fn assert_security_headers(headers: &HeaderMap, case: &str) {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    for (name, expected) in [
        ("cache-control", "no-store"),
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("x-robots-tag", "noindex, nofollow"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    ] {
        assert_eq!(value(name), Some(expected), "{case}: {name}");
    }
    assert_eq!(
        headers.get_all(header::CACHE_CONTROL).iter().count(),
        1,
        "{case}: one Cache-Control"
    );
}

fn hsts(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .and_then(|v| v.to_str().ok())
}

fn message(answer: &Answer) -> String {
    let body: serde_json::Value = serde_json::from_slice(&answer.body).expect("a JSON body");
    body["message"].as_str().expect("a message").to_owned()
}

#[tokio::test]
async fn an_accepted_answer_gets_the_headers_and_hsts_over_tls() {
    let f = Fixture::new().await;
    for tls in [false, true] {
        let answer = f
            .send(f.app(true), request(BOUND, Peer::Lan { tls }, &[]))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "tls {tls}");
        assert_eq!(answer.body, b"handled");
        assert_security_headers(&answer.headers, &format!("accepted, tls {tls}"));
        let expected = tls.then_some(STRICT_TRANSPORT_SECURITY);
        assert_eq!(hsts(&answer.headers), expected, "tls {tls}");
    }
    assert_eq!(f.handled(), 2);
}

#[tokio::test]
async fn every_refusal_gets_the_headers_and_never_reaches_the_route() {
    let f = Fixture::new().await;
    let cross_site = [("sec-fetch-site", "cross-site")];
    for tls in [false, true] {
        // (case, request, status, HSTS): a refused `Host` is not the relay's name, so no HSTS.
        let cases = [
            (
                "foreign host",
                request("evil.example:7143", Peer::Lan { tls }, &[]),
                StatusCode::MISDIRECTED_REQUEST,
                false,
            ),
            (
                "two hosts",
                request(BOUND, Peer::Lan { tls }, &[("host", "evil.example:7143")]),
                StatusCode::BAD_REQUEST,
                false,
            ),
            (
                "outside peer",
                request(BOUND, Peer::Outside { tls }, &[]),
                StatusCode::FORBIDDEN,
                tls,
            ),
            (
                "unknown peer",
                request(BOUND, Peer::Unknown, &[]),
                StatusCode::FORBIDDEN,
                false,
            ),
            (
                "cross-site",
                request(BOUND, Peer::Lan { tls }, &cross_site),
                StatusCode::FORBIDDEN,
                tls,
            ),
            (
                "foreign origin",
                request(
                    BOUND,
                    Peer::Lan { tls },
                    &[("origin", "http://evil.example")],
                ),
                StatusCode::FORBIDDEN,
                tls,
            ),
        ];
        for (case, request, status, with_hsts) in cases {
            let answer = f.send(f.app(true), request).await;
            let case = format!("{case}, tls {tls}");
            assert_eq!(answer.status, status, "{case}");
            assert_security_headers(&answer.headers, &case);
            let expected = with_hsts.then_some(STRICT_TRANSPORT_SECURITY);
            assert_eq!(hsts(&answer.headers), expected, "{case}");
        }
    }
    assert_eq!(f.handled(), 0, "no refused request reached the route");
}

#[tokio::test]
async fn host_wins_over_peer_and_peer_over_cross_site() {
    let f = Fixture::new().await;
    let tls = false;
    let cross_site = [("sec-fetch-site", "cross-site")];
    let all_wrong = request("evil.example:7143", Peer::Outside { tls }, &cross_site);
    let answer = f.send(f.app(true), all_wrong).await;
    assert_eq!(answer.status, StatusCode::MISDIRECTED_REQUEST, "Host first");

    let outside_and_cross_site = request(BOUND, Peer::Outside { tls }, &cross_site);
    let answer = f.send(f.app(true), outside_and_cross_site).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(message(&answer), REFUSED, "the peer filter's refusal");

    let cross_site_only = request(BOUND, Peer::Lan { tls }, &cross_site);
    let answer = f.send(f.app(true), cross_site_only).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_ne!(message(&answer), REFUSED, "the cross-site refusal");
    assert_eq!(f.handled(), 0);
}

#[tokio::test]
async fn without_own_hosts_any_host_passes_the_other_checks_still_run() {
    let f = Fixture::new().await;
    let foreign = request("evil.example:7143", Peer::Lan { tls: false }, &[]);
    let answer = f.send(f.app(false), foreign).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "no Host check without a listener"
    );
    assert_security_headers(&answer.headers, "no Host check");
    let outside = request("evil.example:7143", Peer::Outside { tls: false }, &[]);
    assert_eq!(
        f.send(f.app(false), outside).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(f.handled(), 1);
}

#[tokio::test]
async fn the_host_check_gives_a_host_less_request_its_checked_authority() {
    let f = Fixture::new().await;
    let echo = |headers: HeaderMap| async move {
        let host = headers.get(header::HOST).cloned();
        host.map(|h| h.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    let own = Arc::new(OwnHosts::new(
        f.relay.config(),
        BOUND.parse().expect("addr"),
    ));
    let app = Router::new()
        .route("/api/x", post(echo))
        .layer(Hardening::new(&f.relay, Some(own)));
    let mut h2 = http::Request::builder()
        .method("POST")
        .uri(format!("http://{BOUND}/api/x"))
        .body(Body::empty())
        .expect("request");
    let addr = LAN_PEER.parse().expect("addr");
    h2.extensions_mut()
        .insert(ConnectInfo(PeerAddr { addr, tls: false }));
    let answer = f.send(app, h2).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, BOUND.as_bytes(), "Host set from the authority");
}
