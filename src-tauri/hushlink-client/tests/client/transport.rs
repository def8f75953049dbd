//! Transport failures: slow servers, dropped connections, HTML, rate limits, redirects,
//! TLS, and the plain-HTTP rule.

use std::{sync::Arc, time::Duration};

use axum::{body::Body, response::Response};
use hushlink_client::{Client, Error, Options, ServerConfig, ShareRequest};
use hushlink_protocol::SecretText;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use url::Url;

use crate::support::{fixture_path, raw, Clients, StubServer};

const SECRET: &str = "hunter2-do-not-echo";

/// A client that gives up after half a second (for the silent server only).
fn impatient(url: &Url) -> Client {
    let options = Options {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_millis(500),
        ..Options::default()
    };
    Client::with_options(ServerConfig::new(url.clone()), options).unwrap()
}

/// A client with default timeouts, so a loaded machine cannot turn another failure into
/// a timeout.
fn client(url: &Url) -> Client {
    Client::new(ServerConfig::new(url.clone())).unwrap()
}

/// A TCP server that runs `session` on each connection (bound before it is used).
async fn tcp(
    session: impl Fn(tokio::net::TcpStream) -> tokio::task::JoinHandle<()> + Send + 'static,
) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            session(stream);
        }
    });
    url
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let url = tcp(|mut stream| {
        tokio::spawn(async move {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            // Hold the connection open without answering, bounded so the task ends.
            tokio::time::sleep(Duration::from_secs(5)).await;
        })
    })
    .await;
    assert_eq!(impatient(&url).status().await.unwrap_err(), Error::Timeout);
}

#[tokio::test]
async fn a_server_that_closes_the_connection_is_unreachable() {
    let url = tcp(|mut stream| {
        tokio::spawn(async move {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream.shutdown().await;
        })
    })
    .await;
    let err = client(&url).status().await.unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err:?}");
    assert!(
        !err.to_string().contains("127.0.0.1"),
        "errors do not carry the URL: {err}"
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    drop(listener);
    assert!(matches!(
        client(&url).status().await.unwrap_err(),
        Error::Unreachable { .. }
    ));
}

#[tokio::test]
async fn an_html_answer_is_not_onetime_and_never_echoes_the_secret() {
    // A captive portal or wrong server that echoes what it received.
    let server = StubServer::start(|seen| {
        raw(
            200,
            "text/html",
            &format!("<html><body>You sent: {}</body></html>", seen.body),
        )
    })
    .await;
    let request = ShareRequest {
        passphrase: Some(SecretText::from("p4ss-do-not-echo")),
        ..ShareRequest::new(SecretText::from(SECRET))
    };
    let err = server.client().share(request).await.unwrap_err();
    let Error::NotOnetime { status, excerpt } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert!(
        excerpt.contains("You sent"),
        "the excerpt shows what came back: {excerpt}"
    );
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("p4ss-do-not-echo"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_429_carries_retry_after() {
    let server = StubServer::start(|_| {
        Response::builder()
            .status(429)
            .header("retry-after", "120")
            .body(Body::from("Too Many Requests"))
            .unwrap()
    })
    .await;
    let err = server.client().status().await.unwrap_err();
    assert_eq!(
        err,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn redirects_are_reported_never_followed() {
    let target =
        StubServer::start(|_| raw(200, "application/json", r#"{"status":"nominal"}"#)).await;
    let location = format!("{}api/v1/status", target.url()).replace("127.0.0.1", "localhost");
    let server = StubServer::start(move |_| {
        Response::builder()
            .status(302)
            .header("location", location.as_str())
            .body(Body::empty())
            .unwrap()
    })
    .await;
    let err = server.authed_client().status().await.unwrap_err();
    let Error::Redirected {
        status: 302,
        location,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        location,
        &format!("http://localhost:{}", target.url().port().unwrap()),
        "only the origin is reported"
    );
    assert!(
        target.requests().is_empty(),
        "the redirect target never saw a request (nor the credentials)"
    );
}

#[tokio::test]
async fn plain_http_to_a_public_host_is_refused_before_connecting() {
    for url in ["http://onetimesecret.com/", "http://203.0.113.7:7000/"] {
        let err = Client::new(ServerConfig::new(Url::parse(url).unwrap())).unwrap_err();
        assert_eq!(err.code(), "insecure_url", "{url}");
    }
    let err =
        Client::new(ServerConfig::new(Url::parse("ftp://example.com/").unwrap())).unwrap_err();
    assert_eq!(err.code(), "invalid_url");
    let half = ServerConfig {
        username: Some("alice".into()),
        ..ServerConfig::new(Url::parse("https://example.com/").unwrap())
    };
    assert_eq!(
        Client::new(half).unwrap_err().code(),
        "invalid_config",
        "username without token"
    );
}

/// A one-connection-at-a-time HTTPS server with `cert`/`key` from the fixtures that answers
/// every request with a v1 status body.
async fn https_server(cert: &str, key: &str) -> Url {
    let read = |name: &str| std::fs::read(fixture_path(&format!("tls/{name}"))).unwrap();
    let certs: Vec<_> = rustls_pemfile::certs(&mut read(cert).as_slice())
        .collect::<Result<_, _>>()
        .unwrap();
    let key = rustls_pemfile::private_key(&mut read(key).as_slice())
        .unwrap()
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let Ok(mut tls) = acceptor.accept(stream).await else {
                continue;
            };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let body = r#"{"status":"nominal","locale":"en"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.write_all(answer.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    Url::parse(&format!("https://localhost:{port}/")).unwrap()
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error() {
    let url = https_server("localhost.crt", "localhost.key").await;
    let err = client(&url).status().await.unwrap_err();
    assert!(
        matches!(err, Error::Tls { .. }),
        "a self-signed certificate is refused: {err:?}"
    );
    let url = https_server("relay.crt", "relay.key").await;
    let err = client(&url).status().await.unwrap_err();
    assert!(
        matches!(err, Error::Tls { .. }),
        "a private CA is not trusted by default: {err:?}"
    );
}

#[tokio::test]
async fn a_relay_certificate_from_an_extra_root_is_trusted() {
    let url = https_server("relay.crt", "relay.key").await;
    let ca = std::fs::read_to_string(fixture_path("tls/test-ca.crt")).unwrap();
    let client = Client::new(ServerConfig::new(url).with_extra_root(ca)).unwrap();
    assert!(client
        .status()
        .await
        .expect("HTTPS with the relay's CA works")
        .is_nominal());

    let junk = ServerConfig::new(Url::parse("https://localhost/").unwrap())
        .with_extra_root("not a certificate");
    let err = Client::new(junk).unwrap_err();
    assert_eq!(err.code(), "invalid_config");
}
