//! A pinned certificate: exactly that one is accepted (self-signed, no CA), any other is
//! refused with `tls_pin_mismatch` before a request leaves, and a server that shows the
//! pinned certificate without holding its key is refused too.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use hushlink_client::{CertPin, Client, Error, ServerConfig};
use hushlink_protocol::SecretText;
use rustls::{
    pki_types::{CertificateDer, PrivateKeyDer},
    server::{ClientHello, ResolvesServerCert},
    sign::CertifiedKey,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use url::Url;

use crate::support::fixture_path;

fn cert(name: &str) -> CertificateDer<'static> {
    let pem = std::fs::read(fixture_path(&format!("tls/{name}"))).unwrap();
    let first = rustls_pemfile::certs(&mut pem.as_slice())
        .next()
        .expect("a certificate");
    first.unwrap()
}

fn key(name: &str) -> PrivateKeyDer<'static> {
    let pem = std::fs::read(fixture_path(&format!("tls/{name}"))).unwrap();
    rustls_pemfile::private_key(&mut pem.as_slice())
        .unwrap()
        .expect("a key")
}

/// Always presents the same certificate and signs with the same key, matching or not.
#[derive(Debug)]
struct Fixed(Arc<CertifiedKey>);

impl ResolvesServerCert for Fixed {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }
}

/// An HTTPS server on 127.0.0.1 presenting `cert` and signing with `key`, answering every
/// request with a v1 status body; counts the requests that got through the handshake.
async fn https_server(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> (Url, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let signing = provider.key_provider.load_private_key(key).unwrap();
    // Built by hand: `with_single_cert` would refuse a key of another certificate.
    let certified = Arc::new(CertifiedKey::new(vec![cert], signing));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(certified)));
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&requests);
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
            if request.is_empty() {
                continue;
            }
            seen.fetch_add(1, Ordering::SeqCst);
            let body = r#"{"status":"nominal","locale":"en"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.write_all(answer.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    (
        Url::parse(&format!("https://127.0.0.1:{port}/")).unwrap(),
        requests,
    )
}

fn pinned(url: &Url, pin: CertPin) -> ServerConfig {
    ServerConfig::new(url.clone()).with_pinned_cert(pin)
}

#[tokio::test]
async fn the_pinned_self_signed_certificate_is_accepted() {
    let (url, requests) = https_server(cert("localhost.crt"), key("localhost.key")).await;
    let pin = CertPin::of_der(cert("localhost.crt").as_ref());
    let client = Client::new(pinned(&url, pin)).unwrap();
    assert!(client.is_pinned());
    let status = client
        .status()
        .await
        .expect("no CA vouches for it, the pin does");
    assert!(status.is_nominal());
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let unpinned = Client::new(ServerConfig::new(url)).unwrap();
    assert!(
        matches!(unpinned.status().await, Err(Error::Tls { .. })),
        "without the pin the same server is untrusted"
    );
}

#[tokio::test]
async fn another_certificate_is_refused_before_anything_is_sent() {
    let (url, requests) = https_server(cert("relay.crt"), key("relay.key")).await;
    let pin = CertPin::of_der(cert("localhost.crt").as_ref());
    let client = Client::new(
        pinned(&url, pin).with_credentials("alice", SecretText::from("the-token-of-alice")),
    )
    .unwrap();
    let err = client.status().await.unwrap_err();
    assert_eq!(
        err,
        Error::PinMismatch {
            presented: CertPin::of_der(cert("relay.crt").as_ref()).to_string()
        }
    );
    assert_eq!(err.code(), "tls_pin_mismatch");
    assert!(
        !err.is_transient(),
        "retrying does not change the certificate"
    );
    assert!(!err.to_string().contains("the-token-of-alice"));
    assert_eq!(
        requests.load(Ordering::SeqCst),
        0,
        "no request (nor the token in it) reached the server"
    );
}

#[tokio::test]
async fn the_pinned_certificate_without_its_key_is_refused() {
    // A man in the middle can copy the pinned certificate (it is public) but not its key.
    let (url, requests) = https_server(cert("localhost.crt"), key("relay.key")).await;
    let pin = CertPin::of_der(cert("localhost.crt").as_ref());
    let err = Client::new(pinned(&url, pin))
        .unwrap()
        .status()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Tls { .. }),
        "the handshake signature does not verify: {err:?}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 0);
}

#[test]
fn a_pin_needs_https_and_no_extra_roots() {
    let pin = CertPin::of_der(b"any");
    let plain = Url::parse("http://192.168.1.20:7143/").unwrap();
    let err = Client::new(pinned(&plain, pin)).unwrap_err();
    assert_eq!(err.code(), "invalid_config", "{err}");
    assert!(err.to_string().contains("https://"), "{err}");
    let ca = std::fs::read_to_string(fixture_path("tls/test-ca.crt")).unwrap();
    let https = Url::parse("https://192.168.1.20:7144/").unwrap();
    let err = Client::new(pinned(&https, pin).with_extra_root(ca)).unwrap_err();
    assert_eq!(err.code(), "invalid_config", "{err}");
}

#[test]
fn links_carry_the_link_base_when_one_is_set() {
    let https = Url::parse("https://192.168.1.20:7144").unwrap();
    let plain = Url::parse("http://192.168.1.20:7143").unwrap();
    let client =
        Client::new(pinned(&https, CertPin::of_der(b"any")).with_link_base(plain.clone())).unwrap();
    assert_eq!(client.base_url().as_str(), "https://192.168.1.20:7144/");
    assert_eq!(client.link_base().as_str(), "http://192.168.1.20:7143/");
    let public = Url::parse("http://203.0.113.9:7143").unwrap();
    let err = Client::new(ServerConfig::new(https).with_link_base(public)).unwrap_err();
    assert_eq!(
        err.code(),
        "insecure_url",
        "links follow the plain-HTTP rule too"
    );
}
