//! A relay served over TLS with the fixture certificate, and a client that trusts it.

use std::path::PathBuf;

use hushlink_relay::{Relay, TlsFiles};
use tokio::sync::oneshot;

/// A file of `tests/relay/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/relay/fixtures")
        .join(name)
}

/// `relay` served with `serve_tls` on 127.0.0.1, port 0.
pub struct TlsServer {
    /// `https://127.0.0.1:PORT`.
    pub base: String,
    /// The port, for plain-HTTP probes of the same listener.
    pub port: u16,
    /// A client that trusts the fixture certificate.
    pub client: reqwest::Client,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<hushlink_relay::Result<()>>,
}

impl TlsServer {
    /// Serves `relay` with the fixture certificate; the listener is bound before the server
    /// task starts, so connections queue and no sleep is needed.
    pub async fn start(relay: Relay) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let tls = TlsFiles {
            cert: fixture("cert.pem"),
            key: fixture("key.pem"),
        }
        .load()
        .expect("fixture loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (stop, stopped) = oneshot::channel::<()>();
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
        Self {
            base: format!("https://127.0.0.1:{port}"),
            port,
            client,
            stop,
            server,
        }
    }

    /// Stops the server and checks that it ended gracefully.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.server.await.unwrap().expect("graceful stop");
    }
}
