//! From a `postgres://` URL to a pool of verified TLS connections.
//!
//! The URL is tokio-postgres's (`postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=require`) plus
//! one parameter libpq users expect and tokio-postgres does not know: `sslrootcert=PATH`, the
//! PEM of the CA that signed the server's certificate (an office's own CA, or the server's
//! self-signed certificate). Without it the platform's roots verify the server. TLS is always
//! verified; `sslmode=disable` is refused unless the host is a unix socket directory (no
//! network to protect).
//!
//! The pool holds the configured number of connections ([`RelayConfig::database_pool_size`])
//! and [`fill`] opens them all before the instance serves: a burst in its first second then
//! finds them ready instead of waiting for TLS and SCRAM handshakes past [`WAIT`].

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use futures_util::StreamExt;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::PgError;
#[cfg(doc)]
use crate::config::RelayConfig;

/// `application_name` of the pool's connections unless the URL names one, so an operator
/// (and the tests) can tell the relay's sessions apart in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "hushlink-relay";

/// How long a request waits for a free connection before failing with
/// [`PgError::Unavailable`]: a stuck database fails requests instead of queueing them
/// without end. A database that is down refuses connections at once, so requests fail
/// at once too; the pool reconnects by itself when it comes back.
pub const WAIT: Duration = Duration::from_secs(5);

/// How long opening one connection may take: TCP, TLS and the SCRAM exchange (whose 4,096
/// PBKDF2 rounds take a while in an unoptimised build), or an unreachable host's timeout.
pub const CONNECT: Duration = Duration::from_secs(10);

/// The parts of a relay's database URL.
pub struct Target {
    /// What tokio-postgres parses (the URL without `sslrootcert`).
    pub config: tokio_postgres::Config,
    /// The PEM file named by `sslrootcert`, if any.
    pub root_cert: Option<std::path::PathBuf>,
}

impl Target {
    /// Splits `url`; refuses a URL that would send the relay's data over the network in
    /// clear.
    pub fn parse(url: &str) -> Result<Self, PgError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("sslrootcert", path)) => root_cert = Some(path.into()),
                _ => kept.push(pair),
            }
        }
        let rest = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config: tokio_postgres::Config = rest
            .parse()
            .map_err(|e: tokio_postgres::Error| PgError::Url(e.to_string()))?;
        if config.get_application_name().is_none() {
            config.application_name(APPLICATION_NAME);
        }
        let over_network = config
            .get_hosts()
            .iter()
            .any(|h| matches!(h, tokio_postgres::config::Host::Tcp(_)));
        if over_network && config.get_ssl_mode() != tokio_postgres::config::SslMode::Require {
            return Err(PgError::Url(
                "a database over the network needs sslmode=require".into(),
            ));
        }
        Ok(Self { config, root_cert })
    }

    /// The TLS connector: the `sslrootcert` CA, or the platform's roots.
    pub fn tls(&self) -> Result<MakeRustlsConnect, PgError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| PgError::Tls(e.to_string()))?;
        let config = match &self.root_cert {
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| {
                    PgError::Tls(format!("cannot read sslrootcert {}: {e}", path.display()))
                })?;
                let mut roots = rustls::RootCertStore::empty();
                for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                    let cert = cert.map_err(|e| PgError::Tls(e.to_string()))?;
                    roots.add(cert).map_err(|e| PgError::Tls(e.to_string()))?;
                }
                if roots.is_empty() {
                    return Err(PgError::Tls(format!(
                        "sslrootcert {} holds no certificate",
                        path.display()
                    )));
                }
                builder.with_root_certificates(roots)
            }
            None => {
                let verifier = rustls_platform_verifier::Verifier::new(provider)
                    .map_err(|e| PgError::Tls(e.to_string()))?;
                // "dangerous" only in name: this plugs in the platform verifier, which checks
                // fully.
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(verifier))
            }
        }
        .with_no_client_auth();
        Ok(MakeRustlsConnect::new(config))
    }

    /// A pool of at most `size` connections (at least one); none is opened until first used
    /// or [`fill`]ed.
    pub fn pool(&self, size: usize) -> Result<Pool, PgError> {
        let mut config = self.config.clone();
        config.connect_timeout(CONNECT);
        let manager = Manager::from_config(
            config,
            self.tls()?,
            ManagerConfig {
                // A connection that broke (the server restarted) is found closed and
                // replaced; a full round trip per checkout would cost every request.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        Pool::builder(manager)
            // `RelayConfig::validate` refuses 0; an empty pool would only ever time out.
            .max_size(size.max(1))
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(CONNECT))
            .recycle_timeout(Some(WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| PgError::Url(e.to_string()))
    }
}

/// Handshakes [`fill`] runs at once. Each is CPU-bound on both ends (TLS, and SCRAM's
/// 4,096 PBKDF2 rounds on the relay and on the server): more at once would not finish the
/// pool sooner, only stretch every handshake until a large pool's last ones outlast
/// [`CONNECT`] (measured: all 128 at once lost a fifth of them on two busy cores).
pub const FILL_AT_ONCE: usize = 4;

/// Opens connections until `pool` holds all it may, [`FILL_AT_ONCE`] handshakes at a time,
/// and returns how many it holds. A connection the server refuses (its `max_connections`, a
/// role's or database's connection limit) or that does not open within [`CONNECT`] is left
/// to be opened on demand, as before, with a warning: the instance already reached its
/// database once, so it serves rather than fail on a pool it can only partly fill.
pub async fn fill(pool: &Pool) -> usize {
    let size = pool.status().max_size;
    // Held until the end, so each `get` opens a new connection instead of reusing one.
    let opened: Vec<_> = futures_util::stream::iter((0..size).map(|_| pool.get()))
        .buffer_unordered(FILL_AT_ONCE)
        .collect()
        .await;
    let held = opened.iter().filter(|outcome| outcome.is_ok()).count();
    if let Some(Err(error)) = opened.iter().find(|outcome| outcome.is_err()) {
        // The driver's text names the server's condition, never the URL or its password.
        tracing::warn!(
            held,
            size,
            %error,
            "could not open every pooled PostgreSQL connection; the rest open on demand"
        );
    }
    held
}
