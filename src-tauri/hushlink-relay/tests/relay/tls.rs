//! HTTPS with a certificate the admin provides, and graceful shutdown.

use std::path::PathBuf;

use hushlink_relay::{Relay, TlsFiles};

use crate::common::{http, test_config, TestRelay};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/relay/fixtures")
        .join(name)
}

#[tokio::test]
async fn serves_https_and_mints_https_links() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::open(test_config(dir.path())).await.unwrap();
    let tls = TlsFiles {
        cert: fixture("cert.pem"),
        key: fixture("key.pem"),
    }
    .load()
    .expect("fixture loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hushlink_relay::serve_tls(listener, relay, tls, async {
        let _ = stopped.await;
    }));

    let cert =
        reqwest::Certificate::from_pem(&std::fs::read(fixture("cert.pem")).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let base = format!("https://127.0.0.1:{port}");
    let status = client
        .get(format!("{base}/api/v1/status"))
        .send()
        .await
        .expect("TLS handshake and request");
    assert_eq!(status.status(), 200);
    assert_eq!(status.headers()["cache-control"], "no-store");
    let created: serde_json::Value = client
        .post(format!("{base}/api/v1/share"))
        .form(&[("secret", "over tls")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        created["metadata_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{base}/receipt/")),
        "{created}"
    );
    let plain = http()
        .get(format!("http://127.0.0.1:{port}/api/v1/status"))
        .send()
        .await;
    assert!(
        plain.is_err() || !plain.unwrap().status().is_success(),
        "plain HTTP is not served on the TLS port"
    );

    stop.send(()).unwrap();
    server.await.unwrap().expect("graceful stop");
}

#[test]
fn bad_tls_files_are_reported_by_name() {
    let missing = TlsFiles {
        cert: fixture("nope.pem"),
        key: fixture("key.pem"),
    }
    .load()
    .unwrap_err();
    assert!(missing.to_string().contains("nope.pem"), "{missing}");
    let swapped = TlsFiles {
        cert: fixture("key.pem"),
        key: fixture("cert.pem"),
    }
    .load()
    .unwrap_err();
    assert!(
        swapped.to_string().contains("no certificate")
            || swapped.to_string().contains("no private key"),
        "{swapped}"
    );
}

#[tokio::test]
async fn serve_returns_when_the_shutdown_future_completes() {
    let relay = TestRelay::start(|_| {}).await;
    let url = relay.api("/api/v1/status");
    assert_eq!(http().get(&url).send().await.unwrap().status(), 200);
    relay.stop().await;
    assert!(
        http().get(&url).send().await.is_err(),
        "nothing listens after the stop"
    );
}
