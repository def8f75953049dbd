//! The kit's servers over real TCP: the relay answers, stops, and comes back on the same
//! port with the same database; the stub and replay servers answer and record.

use std::time::Duration;

use hushlink_testkit::{fixtures, replay, stub, ReplayServer, StubServer, TestRelay};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

/// One HTTP/1.1 request on a fresh connection: the status and the body.
async fn call(base: &Url, method: &str, path: &str, body: &str) -> (u16, String) {
    let host = format!(
        "{}:{}",
        base.host_str().expect("host"),
        base.port().expect("port")
    );
    let mut stream = TcpStream::connect(&host).await.expect("connects");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {host}\r\nuser-agent: testkit\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("reads");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_owned())
}

#[tokio::test]
async fn the_relay_serves_stops_and_restarts_on_its_port_with_its_data() {
    let mut relay = TestRelay::start().await;
    let (status, body) = call(&relay.url(), "GET", "/api/v1/status", "").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("nominal"), "{body}");
    let token = relay.relay().tokens().issue("kit").await.expect("issues");

    relay.stop().await;
    assert!(
        TcpStream::connect(relay.addr()).await.is_err(),
        "a stopped relay refuses connections"
    );
    relay.restart().await;
    let tokens = relay.relay().tokens().list().await.expect("lists");
    assert!(
        tokens.iter().any(|t| t.id == token.summary.id),
        "the database survived the restart: {tokens:?}"
    );
    let (status, _) = call(&relay.url(), "GET", "/api/v1/status", "").await;
    assert_eq!(status, 200, "the same port answers again");
}

#[tokio::test]
async fn a_manual_clock_moves_with_advance() {
    let relay = TestRelay::builder()
        .manual_clock(1_000)
        .config(|c| c.name = Some("Kit".into()))
        .config(|c| c.max_secret_bytes = 1000)
        .start()
        .await;
    relay.advance(Duration::from_secs(61));
    assert_eq!(relay.clock().now(), 1_061);
    assert_eq!(relay.relay().config().name.as_deref(), Some("Kit"));
    assert_eq!(
        relay.relay().config().max_secret_bytes,
        1000,
        "tweaks add up"
    );
    assert_eq!(
        relay.relay().config().passphrase_hashing,
        hushlink_testkit::relay::CHEAP_HASHING
    );
}

#[tokio::test]
async fn the_stub_server_records_what_it_was_sent() {
    let server = StubServer::start(|seen| {
        stub::raw(201, "text/plain", &format!("{} {}", seen.method, seen.path))
    })
    .await;
    let (status, body) = call(server.url(), "POST", "/api/v1/share", "secret=a+b&ttl=60").await;
    assert_eq!((status, body.as_str()), (201, "POST /api/v1/share"));
    let seen = server.last();
    assert_eq!(seen.user_agent.as_deref(), Some("testkit"));
    assert_eq!(seen.authorization, None);
    assert_eq!(
        seen.form(),
        [("secret".into(), "a b".into()), ("ttl".into(), "60".into())]
    );

    let fixture = StubServer::fixture("v1_error_unknown_secret").await;
    let (status, body) = call(fixture.url(), "GET", "/anything", "").await;
    assert_eq!(status, 404);
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(json, fixtures::onetime("v1_error_unknown_secret").body);
}

#[tokio::test]
async fn the_replay_server_serves_recorded_answers_and_lists_requests() {
    let recording = replay::onetime_v0_23_6()
        .only(&["v1.status", "v1.recent.auth"])
        .expect("recorded");
    let server = ReplayServer::start(recording).await;
    let (status, body) = call(server.url(), "GET", "/api/v1/status", "").await;
    assert_eq!(status, 200);
    assert!(body.contains("nominal"), "{body}");
    let (status, body) = call(server.url(), "GET", "/api/v1/private/recent", "").await;
    assert_eq!(status, 404);
    assert!(body.contains("An unexpected error occurred"), "{body}");
    assert_eq!(
        server.requests(),
        ["GET /api/v1/status", "GET /api/v1/private/recent"]
    );
    server.stop().await;
}
