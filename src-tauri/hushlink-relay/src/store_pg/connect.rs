//! From a `postgres://` URL to a pool of verified TLS connections.
//!
//! The URL is tokio-postgres's (`postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=require`) plus
//! one parameter libpq users expect and tokio-postgres does not know: `sslrootcert=PATH`, the
//! PEM of the CA that signed the server's certificate (an office's own CA, or the server's
//! self-signed certificate). Without it the platform's roots verify the server. TLS is always
//! verified; `sslmode=disable` is refused unless the host is a unix socket directory (no
//! network to protect).

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::PgError;

/// Connections per instance. Each relay request holds one for a single statement (a create:
/// one transaction of three), so a few cover many concurrent requests; several instances
/// share the server's `max_connections` (100 by default).
pub const POOL_SIZE: usize = 16;

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
        let config: tokio_postgres::Config = rest
            .parse()
            .map_err(|e: tokio_postgres::Error| PgError::Url(e.to_string()))?;
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

    /// A pool of [`POOL_SIZE`] connections; none is opened until first used.
    pub fn pool(&self) -> Result<Pool, PgError> {
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
            .max_size(POOL_SIZE)
            .wait_timeout(Some(WAIT))
            .create_timeout(Some(CONNECT))
            .recycle_timeout(Some(WAIT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| PgError::Url(e.to_string()))
    }
}
