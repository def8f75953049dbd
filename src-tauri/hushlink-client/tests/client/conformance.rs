//! The conformance suite passes against the real relay, with v2 and an account, and behind a
//! front that hides v2 as older Onetime servers do, anonymously: proof that the scenarios
//! hold for both kinds of server (the relay's own tests run them too).

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::any,
    Router,
};
use hushlink_client::conformance::{self, Target};
use hushlink_protocol::{limits, SecretText};
use hushlink_testkit::{fixtures, TestRelay};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use url::Url;

/// The relay with the hosted size limit: the suite checks that limit and its exact text.
async fn relay() -> TestRelay {
    TestRelay::builder()
        .config(|c| c.max_secret_bytes = limits::MAX_SECRET_BYTES)
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_suite_against_a_server_with_v2_and_an_account() {
    let relay = relay().await;
    let issued = relay
        .relay()
        .tokens()
        .issue("alice@example.com")
        .await
        .unwrap();
    let target = Target {
        base_url: relay.url(),
        account: Some((
            "alice@example.com".into(),
            SecretText::new(issued.token.expose()),
        )),
    };
    conformance::run_all(&target).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_suite_against_a_v1_only_anonymous_server() {
    let relay = relay().await;
    let (front, task) = without_v2(relay.addr()).await;
    conformance::run_all(&Target::new(front)).await;
    task.abort();
}

/// A front on 127.0.0.1:0 that answers every `/api/v2/` request as a server without v2 does
/// (the documented route-not-found answer) and forwards everything else to `upstream`.
async fn without_v2(upstream: SocketAddr) -> (Url, JoinHandle<()>) {
    let app = Router::new()
        .route(
            "/api/v2/{*rest}",
            any(|| async { fixtures::onetime("v2_error_route_not_found") }),
        )
        .fallback(move |request: Request| forward(upstream, request));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, task)
}

/// Sends `request` to `upstream` on a connection of its own, and its answer back. The `Host`
/// header names the upstream, as the relay checks it against its own address.
async fn forward(upstream: SocketAddr, mut request: Request) -> Response {
    let host = HeaderValue::from_str(&upstream.to_string()).unwrap();
    request.headers_mut().insert(header::HOST, host);
    let stream = TcpStream::connect(upstream).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let answer = sender.send_request(request).await.unwrap();
    answer.map(Body::new).into_response()
}
