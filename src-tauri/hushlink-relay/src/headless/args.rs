//! The command line of `hushlink-relay`: flags (each also a `HUSHLINK_*` variable) and
//! subcommands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::units::{parse_duration, parse_size};
use super::{connections, invite, migrate, DatabaseUrl};
use crate::config::{parse_cidr, AnonymousCreate, RateLimit};

/// Command line of `hushlink-relay`. Every flag also reads a `HUSHLINK_*` variable.
#[derive(Debug, Default, Parser)]
#[command(
    name = "hushlink-relay",
    version,
    about = "Onetime Secret-compatible relay for LAN-only sharing",
    after_help = "Without a command, serves the relay: on the SQLite file in --data-dir, or, \
                  with --database postgres://..., on a PostgreSQL database that several \
                  instances share (behind a load balancer). `migrate` moves a SQLite relay \
                  there. The operator's guide: docs/relay.md, \"Several relays on PostgreSQL\"."
)]
pub struct Args {
    /// What to do instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// TOML configuration file.
    #[arg(long, env = "HUSHLINK_CONFIG", value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Address and port to listen on (port 0 picks a free one). Default 127.0.0.1:7143.
    #[arg(long, env = "HUSHLINK_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// Directory of the database.
    #[arg(long, env = "HUSHLINK_DATA_DIR", value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL database shared with other relay instances, instead of the SQLite file
    /// in the data directory: `postgres://USER:PASSWORD@HOST/DB?sslmode=require`, with
    /// `&sslrootcert=CA.pem` for a private CA. `token` and `invite` then work on it directly
    /// (docs/relay.md, "Several relays on PostgreSQL").
    #[arg(long, env = "HUSHLINK_DATABASE", value_name = "URL", global = true)]
    pub database: Option<DatabaseUrl>,
    /// Connections to --database this instance keeps, all opened before it listens; the
    /// most statements it runs at once (`relay.database_pool_size`, 1 to 256, default 16).
    #[arg(long, env = "HUSHLINK_DATABASE_POOL_SIZE", value_name = "N")]
    pub database_pool_size: Option<usize>,
    /// Whose relay this is, as its landing page says (default: the hostname).
    #[arg(long, env = "HUSHLINK_NAME", value_name = "TEXT")]
    pub name: Option<String>,
    /// The origin colleagues and links use, `http(s)://HOST[:PORT]`, when it is not the
    /// listen address (a DNS name, a port forward); also what `invite` puts in its link.
    #[arg(long, env = "HUSHLINK_PUBLIC_URL", value_name = "URL", global = true)]
    pub public_url: Option<String>,
    /// Extra CIDR range to accept besides the LAN ranges (repeatable; comma-separated in the
    /// variable).
    #[arg(long = "allow", env = "HUSHLINK_ALLOW", value_name = "CIDR", value_delimiter = ',', value_parser = parse_cidr)]
    pub allow: Vec<ipnet::IpNet>,
    /// Another name the relay answers to besides its addresses, e.g. its mDNS name
    /// (repeatable; comma-separated in the variable). Other names in `Host` get 421.
    #[arg(
        long = "allowed-host",
        env = "HUSHLINK_ALLOWED_HOSTS",
        value_name = "HOST[:PORT]",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Who may create secrets without an API token: `off` (nobody), `loopback` (clients on
    /// this host, the default) or `lan`. A request with proxy headers is never local.
    #[arg(
        long,
        env = "HUSHLINK_ANONYMOUS_CREATE",
        value_name = "off|loopback|lan"
    )]
    pub anonymous_create: Option<AnonymousCreate>,
    /// `off` turns every rate limit off (benchmarks only). Default `on`.
    #[arg(long, env = "HUSHLINK_RATE_LIMIT", value_name = "on|off")]
    pub rate_limit: Option<RateLimit>,
    /// Longest TTL: seconds, or with a unit (`90m`, `12h`, `14d`).
    #[arg(long, env = "HUSHLINK_MAX_TTL", value_name = "DURATION", value_parser = parse_duration)]
    pub max_ttl: Option<u64>,
    /// Largest secret: bytes, or with a unit (`10000`, `512KiB`, `1MiB`).
    #[arg(long, env = "HUSHLINK_MAX_SIZE", value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<usize>,
    /// Most live secrets in all (`quotas.live_secrets`, default 10000).
    #[arg(long, env = "HUSHLINK_MAX_LIVE_SECRETS", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_live_secrets: Option<u64>,
    /// Most bytes of live secrets in all (`quotas.live_bytes`, default 256MiB).
    #[arg(long, env = "HUSHLINK_MAX_LIVE_BYTES", value_name = "SIZE", value_parser = parse_size)]
    pub max_live_bytes: Option<usize>,
    /// Most live secrets per API token (`quotas.live_secrets_per_token`, default 1000).
    #[arg(long, env = "HUSHLINK_MAX_LIVE_SECRETS_PER_TOKEN", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_live_secrets_per_token: Option<u64>,
    /// Most bytes of live secrets per API token (`quotas.live_bytes_per_token`, default 64MiB).
    #[arg(long, env = "HUSHLINK_MAX_LIVE_BYTES_PER_TOKEN", value_name = "SIZE", value_parser = parse_size)]
    pub max_live_bytes_per_token: Option<usize>,
    /// Caps on connections and deadlines of slow clients.
    #[command(flatten)]
    pub connections: connections::ConnectionArgs,
    /// Second listener, HTTPS for colleagues' apps (they pin its certificate's fingerprint);
    /// the relay's own certificate unless --tls-cert/--tls-key are given.
    #[arg(long, env = "HUSHLINK_TLS_LISTEN", value_name = "ADDR:PORT")]
    pub tls_listen: Option<SocketAddr>,
    /// PEM certificate chain; with --tls-key, serve HTTPS (on --listen, and --tls-listen).
    #[arg(
        long,
        env = "HUSHLINK_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(
        long,
        env = "HUSHLINK_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// Announce the relay on the LAN (DNS-SD over mDNS, `_hushlink._tcp`) while it serves;
    /// never on loopback. `--announce=false` overrides the file's `announce = true`.
    #[arg(long, env = "HUSHLINK_ANNOUNCE", value_name = "BOOL", num_args = 0..=1,
          require_equals = true, default_missing_value = "true")]
    pub announce: Option<bool>,
}

/// The binary's subcommands.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Issue, list and revoke API tokens, in a running relay (through its admin socket) or
    /// in its store when none runs; with --database, in that database (every instance
    /// follows within a second).
    #[command(subcommand)]
    Token(TokenCommand),
    /// The certificate that colleagues' apps pin.
    #[command(subcommand)]
    Tls(TlsCommand),
    /// Make a one-time invite for NAME: a new token and this relay's address, sealed into a
    /// link that only NAME's Hushlink can open, once. Prints the link alone on the last line.
    Invite(invite::InviteCommand),
    /// Copy a stopped SQLite relay into an empty PostgreSQL database, for relays run with
    /// --database.
    ///
    /// Live secrets, receipts, tokens, invites and the access log are copied as stored:
    /// nothing is unsealed. The SQLite relay must be stopped (its data directory is locked
    /// and only read). Prints the counts. Exit code 3: the target already holds relay data
    /// (nothing was done).
    Migrate(migrate::MigrateCommand),
}

/// `hushlink-relay tls ...`.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum TlsCommand {
    /// Print the SHA-256 fingerprint of the certificate served on --tls-listen, alone on the
    /// last line (the relay's own certificate is made now if it does not exist yet).
    Fingerprint,
}

/// `hushlink-relay token ...`.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum TokenCommand {
    /// Issue a token for NAME; prints it once, alone on the last line.
    Create {
        /// Who it is for; also their HTTP Basic user name. Unique among active tokens.
        name: String,
    },
    /// List tokens (name, created, last used, status); never prints a token.
    List,
    /// Revoke the active token named NAME; the relay refuses it from the next request on.
    Revoke {
        /// The token's name, as given to `token create`.
        name: String,
    },
}
