//! Running the router on a listener: plain TCP, or TLS with a certificate the admin provides
//! ([`TlsFiles`]) or the relay's own ([`crate::TlsIdentity`]).
//!
//! The caller binds the listener (so it knows the real port before anything is spawned, and
//! tests need no sleep) and passes a future that completes when the server should stop;
//! in-flight requests are finished first.
//!
//! Slow and half-open clients cannot hold the relay (issue 14, item 6): a connection from a
//! peer the [`crate::peer_filter::PeerFilter`] refuses, or over the caps of
//! [`crate::Connections`], is closed at accept, before TLS and before a byte is read; every
//! accepted connection then runs under the deadlines of `connection` (head, body, idle).

mod connection;

use std::future::Future;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use rustls::pki_types::CertificateDer;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::connections::{ConnectionCounter, Refusal};
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::http::PeerAddr;
use crate::operations::Relay;

/// Serves the relay over plain HTTP until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    relay: Relay,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    run(listener, relay, None, shutdown).await
}

/// Serves the relay over HTTPS until `shutdown` completes.
pub async fn serve_tls(
    listener: TcpListener,
    relay: Relay,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    run(listener, relay, Some(TlsAcceptor::from(tls)), shutdown).await
}

/// The accept loop: filters peers and counts connections before anything is read, spawns
/// one task per connection, and on shutdown stops accepting, asks every connection to
/// finish its request, and waits for them.
async fn run(
    listener: TcpListener,
    relay: Relay,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let app: Router = crate::router::router_on(&relay, listener.local_addr()?);
    let limits = relay.config().connections;
    let counter = ConnectionCounter::new(limits);
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let (stream, addr) = match accepted {
                    Ok(conn) => conn,
                    Err(err) => {
                        // Out of file descriptors, usually: let some connections end.
                        tracing::warn!(error = %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Dropping the stream closes it: nothing was read, no TLS was started.
                if !relay.peer_filter().permits(addr.ip()) {
                    tracing::info!(peer = %addr.ip(), "refused a peer outside the allowed ranges");
                    continue;
                }
                let slot = match counter.acquire(addr.ip()) {
                    Ok(slot) => slot,
                    Err(refusal) => {
                        let cap = match refusal {
                            Refusal::Total => "connections.max",
                            Refusal::PerClient => "connections.max_per_client",
                        };
                        tracing::debug!(peer = %addr.ip(), cap, "refused a connection over a cap");
                        continue;
                    }
                };
                let peer = PeerAddr { addr, tls: tls.is_some() };
                let task = connection::Connection {
                    app: app.clone(),
                    peer,
                    limits,
                    stopping: stopping.clone(),
                };
                let tls = tls.clone();
                connections.spawn(async move {
                    task.run(stream, tls).await;
                    drop(slot);
                });
            }
        }
    }
    drop(listener);
    let _ = stop.send(());
    while connections.join_next().await.is_some() {}
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
            .map(|(_, leaf)| crate::fingerprint::of_der(leaf.as_ref()))
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
