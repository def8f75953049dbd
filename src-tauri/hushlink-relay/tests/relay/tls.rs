//! HTTPS with a certificate the admin provides, and graceful shutdown.

use hushlink_relay::TlsFiles;

use crate::support::tls::{fixture, TlsServer};
use crate::support::{http, test_config, TestRelay};

#[tokio::test]
async fn serves_https_and_mints_https_links() {
    let dir = tempfile::tempdir().unwrap();
    let relay = crate::support::open(test_config(dir.path())).await.unwrap();
    let server = TlsServer::start(relay).await;
    let (client, base, port) = (server.client.clone(), server.base.clone(), server.port);
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

    server.stop().await;
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
