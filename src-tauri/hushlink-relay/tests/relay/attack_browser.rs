//! Issue 14, items 3 and 4: attacks through a LAN user's browser, against a live relay on
//! 127.0.0.1. A browser's requests are imitated by the headers it would send: `Host` with the
//! attacker's rebound name (item 3), `Sec-Fetch-Site`, `Origin` and a `text/plain` body
//! (item 4). Non-browser clients send none of these and must keep working (`compat.rs`).

use reqwest::header::{CONTENT_TYPE, HOST, ORIGIN};
use reqwest::{Method, RequestBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{http, json, share, TestRelay};

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

#[tokio::test]
async fn cross_site_browser_requests_change_nothing() {
    let relay = TestRelay::start(|_| {}).await;
    let (key, receipt) = share(&relay, &[("secret", "stays put")]).await;
    let before = live_secrets(&relay).await;
    let cross_site = ("sec-fetch-site", "cross-site");
    let same_site = ("sec-fetch-site", "same-site");
    let evil = ("origin", "http://evil.example");
    let null = ("origin", "null");
    let forged = [
        (format!("/api/v1/secret/{key}"), cross_site),
        (format!("/api/v1/secret/{key}"), null),
        (format!("/api/v2/secret/{key}/reveal"), evil),
        (format!("/api/v1/private/{receipt}/burn"), null),
        (format!("/api/v2/receipt/{receipt}/burn"), same_site),
        ("/api/v1/share".to_owned(), cross_site),
        ("/api/v2/secret/conceal".to_owned(), null),
        ("/api/v1/generate".to_owned(), evil),
        (format!("/secret/{key}"), evil),
        (format!("/receipt/{receipt}/burn"), cross_site),
    ];
    for (path, (name, value)) in forged {
        let response = call(&relay, Method::POST, &path)
            .header(name, value)
            .form(&[("secret", "planted"), ("continue", "true")])
            .send()
            .await
            .unwrap();
        let shown = path.split('/').take(3).collect::<Vec<_>>().join("/");
        assert_eq!(
            response.status().as_u16(),
            403,
            "POST {shown} with {name}: {value} is refused"
        );
    }
    assert_eq!(live_secrets(&relay).await, before, "nothing was created");

    // The relay's own page: its form sends `Origin: null` (no-referrer), over plain HTTP
    // without Sec-Fetch-Site; an API call from the relay's own origin passes too.
    let own = relay.url.clone();
    let created = call(&relay, Method::POST, "/api/v2/secret/conceal")
        .header(ORIGIN, &own)
        .json(&serde_json::json!({"secret": {"secret": "from a same-origin script"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 200, "same-origin API call");
    let page = call(&relay, Method::POST, &format!("/secret/{key}"))
        .header(ORIGIN, "null")
        .form(&[("passphrase", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status().as_u16(),
        200,
        "the recipient's own form reveals"
    );
    assert!(
        page.text().await.unwrap().contains("stays put"),
        "nothing was consumed by the refused requests"
    );
}

#[tokio::test]
async fn a_text_plain_body_is_not_read_as_json() {
    let relay = TestRelay::start(|_| {}).await;
    let before = live_secrets(&relay).await;
    // What `<form enctype="text/plain">` or a no-cors fetch can send from any page.
    for (path, body) in [
        (
            "/api/v2/secret/conceal",
            r#"{"secret":{"secret":"planted"}}"#,
        ),
        ("/api/v1/share", r#"{"secret":"planted"}"#),
    ] {
        let response = call(&relay, Method::POST, path)
            .header(CONTENT_TYPE, "text/plain")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_ne!(
            response.status().as_u16(),
            200,
            "{path} refused text/plain JSON"
        );
    }
    assert_eq!(live_secrets(&relay).await, before, "nothing was created");
    let (status, body) = json(
        call(&relay, Method::POST, "/api/v2/secret/conceal")
            .header(CONTENT_TYPE, "application/json")
            .body(r#"{"secret":{"secret":"fine"}}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "application/json is read: {body}");
}
