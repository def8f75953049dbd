//! Running the router on a listener: plain TCP, or TLS with a certificate the admin provides
//! ([`TlsFiles`]) or the relay's own ([`crate::TlsIdentity`]).
//!
//! The caller binds the listener (so it knows the real port before anything is spawned, and
//! tests need no sleep) and passes a future that completes when the server should stop;
//! in-flight requests are finished first.

use std::future::Future;
use std::io::BufReader;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use rustls::pki_types::CertificateDer;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::http::PeerAddr;
use crate::relay::Relay;

/// Longest a TLS handshake may take before the connection is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; more connections wait in the kernel's backlog.
const MAX_HANDSHAKES: usize = 256;

/// Serves the relay over plain HTTP until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    relay: Relay,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let app = relay
        .router_on(listener.local_addr()?)
        .into_make_service_with_connect_info::<PeerAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Serves the relay over HTTPS until `shutdown` completes.
pub async fn serve_tls(
    listener: TcpListener,
    relay: Relay,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let listener = TlsListener::new(listener, tls)?;
    let app = relay
        .router_on(listener.local)
        .into_make_service_with_connect_info::<PeerAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// PEM files of a certificate chain and its private key.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// Certificate chain, leaf first.
    pub cert: PathBuf,
    /// Private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

impl TlsFiles {
    /// Loads the files into a rustls server configuration (ring provider, TLS 1.2 and 1.3).
    pub fn load(&self) -> Result<Arc<rustls::ServerConfig>> {
        self.load_with_leaf().map(|(config, _)| config)
    }

    /// The SHA-256 fingerprint of the leaf certificate, which colleagues' apps can pin (also
    /// for a certificate a CA signed). Checks the key as [`TlsFiles::load`] does.
    pub fn fingerprint(&self) -> Result<Fingerprint> {
        self.load_with_leaf()
            .map(|(_, leaf)| Fingerprint::of_der(leaf.as_ref()))
    }

    /// The server configuration and the leaf certificate it presents.
    pub(crate) fn load_with_leaf(
        &self,
    ) -> Result<(Arc<rustls::ServerConfig>, CertificateDer<'static>)> {
        let read = |path: &PathBuf| {
            std::fs::read(path)
                .map_err(|e| Error::Tls(format!("cannot read {}: {e}", path.display())))
        };
        let cert_pem = read(&self.cert)?;
        let key_pem = read(&self.key)?;
        let certs = rustls_pemfile::certs(&mut BufReader::new(cert_pem.as_slice()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| {
                Error::Tls(format!("bad certificate file {}: {e}", self.cert.display()))
            })?;
        if certs.is_empty() {
            return Err(Error::Tls(format!(
                "no certificate in {}",
                self.cert.display()
            )));
        }
        let leaf = certs[0].clone();
        let key = rustls_pemfile::private_key(&mut BufReader::new(key_pem.as_slice()))
            .map_err(|e| Error::Tls(format!("bad key file {}: {e}", self.key.display())))?
            .ok_or_else(|| Error::Tls(format!("no private key in {}", self.key.display())))?;
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| Error::Tls(format!("certificate and key do not fit together: {e}")))?;
        Ok((Arc::new(config), leaf))
    }
}

/// A listener that yields connections after their TLS handshake. Handshakes run in their own
/// tasks (owned by the accept task, which the listener aborts on drop), so one slow client
/// cannot hold up the others.
pub struct TlsListener {
    local: SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    accept_task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

impl TlsListener {
    /// Wraps a bound TCP listener.
    pub fn new(listener: TcpListener, config: Arc<rustls::ServerConfig>) -> Result<Self> {
        let local = listener.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let accept_task = tokio::spawn(accept_loop(listener, TlsAcceptor::from(config), tx));
        Ok(Self {
            local,
            ready,
            accept_task,
        })
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    ready: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
) {
    let mut handshakes = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept(), if handshakes.len() < MAX_HANDSHAKES => {
                let (stream, peer) = match accepted {
                    Ok(conn) => conn,
                    Err(err) => {
                        tracing::warn!(error = %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let ready = ready.clone();
                handshakes.spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = ready.send((tls, peer)).await;
                        }
                        Ok(Err(err)) => tracing::debug!(error = %err, %peer, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
            Some(_) = handshakes.join_next(), if !handshakes.is_empty() => {}
        }
        if ready.is_closed() {
            return;
        }
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept task only ends when the listener is dropped; wait forever meanwhile.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

impl Connected<IncomingStream<'_, TlsListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        Self {
            addr: *stream.remote_addr(),
            tls: true,
        }
    }
}
