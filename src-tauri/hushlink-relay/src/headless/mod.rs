//! Configuration of the headless binary: a TOML file, then `HUSHLINK_*` variables, then
//! flags, over [`RelayConfig::default`]. Kept in the library so the layering is unit-tested.
//!
//! Without a subcommand the binary serves; `hushlink-relay token create|list|revoke` administer
//! tokens ([`crate::admin`]), `hushlink-relay tls fingerprint` prints what colleagues pin
//! ([`tls`]), `hushlink-relay invite NAME` makes a one-time invite ([`invite`]),
//! `hushlink-relay migrate --from sqlite:DIR --to postgres://...` moves a SQLite relay into
//! PostgreSQL ([`migrate`]). `--config`,
//! `--data-dir` and `--public-url` (and their variables) apply to all, before or after the
//! subcommand.
//!
//! TLS: `--tls-listen` adds an HTTPS listener for colleagues' apps, with the relay's own
//! certificate ([`crate::TlsIdentity`]); `--listen` stays plain HTTP for recipients' browsers.
//! `--tls-cert`/`--tls-key` keep their meaning, HTTPS on `--listen`, and with `--tls-listen`
//! the second listener presents that certificate too (no self-signed one is made).
//!
//! Discovery: `--announce` (`HUSHLINK_ANNOUNCE`, `announce = true`) announces the relay on the
//! LAN by DNS-SD over mDNS while it serves ([`crate::discovery`]). Not on a loopback address (a
//! warning says why); on `0.0.0.0` or `::`, on each LAN address of that family.
//!
//! The file (`--config`, `HUSHLINK_CONFIG`):
//! ```toml
//! listen = "0.0.0.0:7143"
//! tls_listen = "0.0.0.0:7144"
//! tls_cert = "/etc/hushlink/cert.pem"
//! tls_key = "/etc/hushlink/key.pem"
//! announce = true
//! database = "postgres://relay:PASSWORD@db.office.lan/hushlink?sslmode=require"  # else SQLite
//!
//! [relay]                    # every field of RelayConfig, all optional
//! data_dir = "/var/lib/hushlink-relay"
//! allow = ["203.0.113.0/24"]
//! max_ttl_secs = 1209600
//! database_pool_size = 16    # PostgreSQL connections per instance (1-256)
//!
//! [relay.connections]        # caps and deadlines of slow clients (`crate::Connections`)
//! max_per_client = 32
//! header_timeout_ms = 10000
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::RelayConfig;
use crate::error::{Error, Result};
use crate::serve::TlsFiles;

mod args;
pub mod connections;
pub mod database;
pub mod invite;
pub mod migrate;
pub mod tls;
mod units;

pub use args::{Args, Command, TlsCommand, TokenCommand};
pub use database::DatabaseUrl;
pub use units::{parse_duration, parse_size};

/// Where the headless relay listens when nothing says otherwise: loopback only, so a bare
/// start exposes nothing; give `--listen 0.0.0.0:7143` to serve the LAN.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7143";

/// The file's shape.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// `ADDR:PORT`.
    pub listen: Option<SocketAddr>,
    /// `ADDR:PORT` of the HTTPS listener for colleagues' apps.
    pub tls_listen: Option<SocketAddr>,
    /// PEM certificate chain.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key.
    pub tls_key: Option<PathBuf>,
    /// Announce the relay on the LAN by mDNS.
    pub announce: Option<bool>,
    /// A PostgreSQL database shared with other instances (instead of SQLite).
    pub database: Option<DatabaseUrl>,
    /// The relay's own settings.
    pub relay: RelayConfig,
}

/// Everything the binary needs, layered.
#[derive(Debug)]
pub struct Headless {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Where to listen with HTTPS for colleagues' apps, besides `listen`.
    pub tls_listen: Option<SocketAddr>,
    /// The admin's TLS files: HTTPS on `listen`, and on `tls_listen` instead of the relay's
    /// own certificate.
    pub tls: Option<TlsFiles>,
    /// The relay's settings.
    pub relay: RelayConfig,
    /// Announce the relay on the LAN by mDNS while serving.
    pub announce: bool,
    /// The PostgreSQL database shared with other instances; `None`: SQLite in `data_dir`.
    pub database: Option<DatabaseUrl>,
}

impl Headless {
    /// File (if any), then variables and flags (clap already merged those two).
    pub fn from_args(args: Args) -> Result<Self> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let mut relay = file.relay;
        if let Some(dir) = args.data_dir {
            relay.data_dir = dir;
        }
        if let Some(name) = args.name {
            relay.name = Some(name);
        }
        if let Some(url) = args.public_url {
            relay.public_url = Some(url);
        }
        if !args.allow.is_empty() {
            relay.allow = args.allow;
        }
        if !args.allowed_hosts.is_empty() {
            relay.allowed_hosts = args.allowed_hosts;
        }
        if let Some(anonymous_create) = args.anonymous_create {
            relay.anonymous_create = anonymous_create;
        }
        if let Some(rate_limit) = args.rate_limit {
            relay.rate_limit = rate_limit;
        }
        if let Some(ttl) = args.max_ttl {
            relay.max_ttl_secs = ttl;
            relay.default_ttl_secs = relay.default_ttl_secs.min(ttl);
        }
        if let Some(size) = args.max_size {
            relay.max_secret_bytes = size;
            relay.max_body_bytes = relay
                .max_body_bytes
                .max(size.saturating_mul(3).saturating_add(64 * 1024));
        }
        let quotas = &mut relay.quotas;
        let bytes = |size: usize| u64::try_from(size).unwrap_or(u64::MAX);
        quotas.live_secrets = args.max_live_secrets.unwrap_or(quotas.live_secrets);
        quotas.live_bytes = args.max_live_bytes.map_or(quotas.live_bytes, bytes);
        quotas.live_secrets_per_token = args
            .max_live_secrets_per_token
            .unwrap_or(quotas.live_secrets_per_token);
        quotas.live_bytes_per_token = args
            .max_live_bytes_per_token
            .map_or(quotas.live_bytes_per_token, bytes);
        args.connections.apply(&mut relay.connections);
        relay.database_pool_size = args.database_pool_size.unwrap_or(relay.database_pool_size);
        relay.validate()?;
        let tls = match (
            args.tls_cert.or(file.tls_cert),
            args.tls_key.or(file.tls_key),
        ) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => return Err(Error::Config("tls_cert and tls_key go together".into())),
        };
        let listen = match args.listen.or(file.listen) {
            Some(listen) => listen,
            None => DEFAULT_LISTEN
                .parse()
                .map_err(|_| Error::Config("bad default listen address".into()))?,
        };
        let tls_listen = args.tls_listen.or(file.tls_listen);
        if tls_listen.is_some_and(|tls| tls == listen && tls.port() != 0) {
            return Err(Error::Config(format!(
                "tls_listen and listen are both {listen}; give the HTTPS listener its own port"
            )));
        }
        Ok(Self {
            listen,
            tls_listen,
            tls,
            relay,
            announce: args.announce.or(file.announce).unwrap_or(false),
            database: args.database.or(file.database),
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("cannot read config file {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| Error::Config(format!("config file {}: {e}", path.display())))
}

#[cfg(test)]
mod tests;
