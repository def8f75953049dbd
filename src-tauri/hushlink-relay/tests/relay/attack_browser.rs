//! Issue 14, item 3: attacks through a LAN user's browser, against a live relay on
//! 127.0.0.1. A browser's requests are imitated by the headers it would send: `Host` with the
//! attacker's rebound name.

use reqwest::header::HOST;
use reqwest::{Method, RequestBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{http, json, share, TestRelay};

fn port(relay: &TestRelay) -> u16 {
    relay.url.rsplit(':').next().unwrap().parse().unwrap()
}

async fn live_secrets(relay: &TestRelay) -> i64 {
    relay.relay.status().await.unwrap().live_secrets
}

/// A reveal by a plain client: the secret's value, if it is still there.
async fn reveal(relay: &TestRelay, key: &str) -> Option<String> {
    let url = relay.api(&format!("/api/v1/secret/{key}"));
    let (status, body) = json(http().post(url).send().await.unwrap()).await;
    (status == 200).then(|| body["value"].as_str().unwrap().to_owned())
}

fn call(relay: &TestRelay, method: Method, path: &str) -> RequestBuilder {
    http().request(method, relay.api(path))
}

#[tokio::test]
async fn rebound_names_are_refused_on_pages_and_api() {
    let relay = TestRelay::start(|_| {}).await;
    let (key, receipt) = share(&relay, &[("secret", "stays put")]).await;
    let before = live_secrets(&relay).await;
    let rebound = format!("evil.example:{}", port(&relay));
    let attempts = [
        (Method::GET, "/".to_owned()),
        (Method::GET, format!("/secret/{key}")),
        (Method::POST, format!("/secret/{key}")),
        (Method::GET, format!("/receipt/{receipt}")),
        (Method::GET, "/api/v2/status".to_owned()),
        (Method::POST, format!("/api/v1/secret/{key}")),
        (Method::POST, format!("/api/v2/secret/{key}/reveal")),
        (Method::POST, format!("/api/v1/private/{receipt}/burn")),
        (Method::POST, "/api/v1/share".to_owned()),
    ];
    for (method, path) in attempts {
        let response = call(&relay, method.clone(), &path)
            .header(HOST, &rebound)
            .form(&[("secret", "planted")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            421,
            "{method} {} under a rebound name is misdirected",
            path.split('/').take(3).collect::<Vec<_>>().join("/")
        );
    }
    assert_eq!(live_secrets(&relay).await, before, "nothing was created");
    assert_eq!(
        reveal(&relay, &key).await.as_deref(),
        Some("stays put"),
        "nothing was revealed or burned"
    );
}

#[tokio::test]
async fn links_carry_only_an_accepted_name() {
    let relay = TestRelay::start(|_| {}).await;
    let localhost = format!("localhost:{}", port(&relay));
    let (status, body) = json(
        call(&relay, Method::POST, "/api/v1/share")
            .header(HOST, &localhost)
            .form(&[("secret", "s")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "loopback names are the relay's own: {body}");
    let link = body["metadata_url"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("http://{localhost}/receipt/")),
        "the link names the host asked for: {link}"
    );
}

#[tokio::test]
async fn a_request_without_host_is_bad() {
    let relay = TestRelay::start(|_| {}).await;
    let mut stream = tokio::net::TcpStream::connect(relay.url.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"GET /api/v2/status HTTP/1.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 400"),
        "HTTP/1.1 requires Host: {}",
        answer.lines().next().unwrap_or("")
    );
}

#[tokio::test]
async fn configured_names_are_own_names() {
    let relay = TestRelay::start(|c| {
        c.public_url = Some("https://secrets.office.lan".into());
        c.allowed_hosts = vec!["sam-laptop.local".into()];
    })
    .await;
    let port = port(&relay);
    for (host, expected) in [
        (format!("sam-laptop.local:{port}"), 200),
        ("secrets.office.lan".to_owned(), 200),
        (format!("127.0.0.1:{port}"), 200),
        (format!("other.local:{port}"), 421),
        (format!("127.0.0.1:{}", port.wrapping_add(1)), 421),
    ] {
        let response = call(&relay, Method::GET, "/api/v2/status")
            .header(HOST, &host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), expected, "Host: {host}");
    }
}
