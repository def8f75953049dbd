//! Configuration of the headless binary: a TOML file, then `HUSHLINK_*` variables, then
//! flags, over [`RelayConfig::default`]. Kept in the library so the layering is unit-tested.
//!
//! Without a subcommand the binary serves; `hushlink-relay token create|list|revoke` administer
//! tokens ([`crate::admin`]), `hushlink-relay tls fingerprint` prints what colleagues pin
//! ([`tls`]), `hushlink-relay invite NAME` makes a one-time invite ([`invite`]). `--config`,
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
//!
//! [relay]                    # every field of RelayConfig, all optional
//! data_dir = "/var/lib/hushlink-relay"
//! allow = ["203.0.113.0/24"]
//! max_ttl_secs = 1209600
//!
//! [relay.connections]        # caps and deadlines of slow clients (`crate::Connections`)
//! max_per_client = 32
//! header_timeout_ms = 10000
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use serde::Deserialize;

use crate::config::{parse_cidr, AnonymousCreate, RateLimit, RelayConfig};
use crate::error::{Error, Result};
use crate::serve::TlsFiles;

pub mod connections;
pub mod invite;
pub mod tls;

/// Where the headless relay listens when nothing says otherwise: loopback only, so a bare
/// start exposes nothing; give `--listen 0.0.0.0:7143` to serve the LAN.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7143";

/// Command line of `hushlink-relay`. Every flag also reads a `HUSHLINK_*` variable.
#[derive(Debug, Default, Parser)]
#[command(
    name = "hushlink-relay",
    version,
    about = "Onetime Secret-compatible relay for LAN-only sharing",
    after_help = "Without a command, serves the relay."
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
    /// in its store when none runs.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The certificate that colleagues' apps pin.
    #[command(subcommand)]
    Tls(TlsCommand),
    /// Make a one-time invite for NAME: a new token and this relay's address, sealed into a
    /// link that only NAME's Hushlink can open, once. Prints the link alone on the last line.
    Invite(invite::InviteCommand),
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
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("cannot read config file {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| Error::Config(format!("config file {}: {e}", path.display())))
}

/// `3600`, `90s`, `30m`, `12h`, `14d` → seconds.
pub fn parse_duration(text: &str) -> std::result::Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("not a duration: {text:?}"))?;
    let factor = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit in {text:?} (use s, m, h or d)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("duration too large: {text:?}"))
}

/// `10000`, `512KiB`, `1MiB`, `10kB`, `1MB` → bytes.
pub fn parse_size(text: &str) -> std::result::Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: usize = digits
        .parse()
        .map_err(|_| format!("not a size: {text:?}"))?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1_024,
        "mb" => 1_000_000,
        "mib" | "m" => 1_048_576,
        _ => {
            return Err(format!(
                "unknown unit in {text:?} (use B, kB, KiB, MB or MiB)"
            ))
        }
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("size too large: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_parse_with_units() {
        assert_eq!(parse_duration("14d"), Ok(1_209_600));
        assert_eq!(parse_duration("90m"), Ok(5_400));
        assert_eq!(parse_duration("3600"), Ok(3_600));
        assert!(parse_duration("1w").is_err());
        assert!(parse_duration("").is_err());
        assert_eq!(parse_size("1MiB"), Ok(1_048_576));
        assert_eq!(parse_size("10000"), Ok(10_000));
        assert_eq!(parse_size("10kB"), Ok(10_000));
        assert!(parse_size("big").is_err());
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\n[relay]\nmax_ttl_secs = 7200\nallow = [\"203.0.113.0/24\"]\nmax_passphrase_attempts = 3\n",
        )
        .unwrap();
        let args = Args {
            config: Some(path.clone()),
            max_ttl: Some(3_600),
            ..Args::default()
        };
        let headless = Headless::from_args(args).unwrap();
        assert_eq!(headless.listen.port(), 9000, "from the file");
        assert_eq!(headless.relay.max_ttl_secs, 3_600, "the flag wins");
        assert_eq!(
            headless.relay.default_ttl_secs, 3_600,
            "default TTL follows a lower max"
        );
        assert_eq!(headless.relay.max_passphrase_attempts, 3, "from the file");
        assert_eq!(headless.relay.allow.len(), 1);
        assert!(headless.tls.is_none());

        std::fs::write(&path, "[relay]\nmax_tll_secs = 1\n").unwrap();
        let err = Headless::from_args(Args {
            config: Some(path),
            ..Args::default()
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("max_tll_secs"),
            "typos are named: {err}"
        );
    }

    #[test]
    fn token_commands_take_the_shared_options_before_or_after() {
        let before = Args::try_parse_from([
            "hushlink-relay",
            "--data-dir",
            "/srv/relay",
            "token",
            "revoke",
            "bob",
        ])
        .unwrap();
        assert_eq!(
            before.command,
            Some(Command::Token(TokenCommand::Revoke { name: "bob".into() }))
        );
        assert_eq!(before.data_dir.as_deref(), Some(Path::new("/srv/relay")));
        let after = Args::try_parse_from([
            "hushlink-relay",
            "token",
            "list",
            "--config",
            "relay.toml",
            "--data-dir",
            "/srv/relay",
        ])
        .unwrap();
        assert_eq!(after.command, Some(Command::Token(TokenCommand::List)));
        assert_eq!(after.config.as_deref(), Some(Path::new("relay.toml")));
        assert_eq!(after.data_dir.as_deref(), Some(Path::new("/srv/relay")));
        let serve = Args::try_parse_from(["hushlink-relay", "--listen", "127.0.0.1:0"]).unwrap();
        assert_eq!(serve.command, None, "no subcommand: serve, as before");
        let usage = |args: &[&str]| Args::try_parse_from(args).unwrap_err().exit_code();
        assert_eq!(usage(&["hushlink-relay", "token"]), 2);
        assert_eq!(usage(&["hushlink-relay", "token", "create"]), 2);
        assert_eq!(
            usage(&["hushlink-relay", "token", "list", "--listen", "127.0.0.1:0"]),
            2
        );
    }

    #[test]
    fn announce_comes_from_the_flag_the_variable_or_the_file() {
        let announce = |argv: &[&str], file: &str| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("relay.toml");
            std::fs::write(&path, file).unwrap();
            let mut args = Args::try_parse_from(argv).unwrap();
            args.config = Some(path);
            Headless::from_args(args).unwrap().announce
        };
        assert!(!announce(&["hushlink-relay"], ""), "off unless asked for");
        assert!(announce(&["hushlink-relay", "--announce"], ""));
        assert!(announce(&["hushlink-relay"], "announce = true"));
        assert!(!announce(
            &["hushlink-relay", "--announce=false"],
            "announce = true"
        ));
        let serve = Args::try_parse_from(["hushlink-relay", "--announce", "token", "list"]);
        assert!(
            serve.is_ok_and(|a| a.announce == Some(true)),
            "a bare --announce takes no value from the next word"
        );
    }

    #[test]
    fn anonymous_create_and_rate_limit_come_from_flag_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.toml");
        std::fs::write(
            &path,
            "[relay]\nanonymous_create = \"lan\"\nrate_limit = \"off\"\n",
        )
        .unwrap();
        let layered = |argv: &[&str]| {
            let mut args = Args::try_parse_from(argv).unwrap();
            args.config = Some(path.clone());
            Headless::from_args(args).unwrap().relay
        };
        let from_file = layered(&["hushlink-relay"]);
        assert_eq!(from_file.anonymous_create, AnonymousCreate::Lan);
        assert_eq!(from_file.rate_limit, RateLimit::Off);
        let flagged = layered(&[
            "hushlink-relay",
            "--anonymous-create",
            "off",
            "--rate-limit",
            "on",
        ]);
        assert_eq!(flagged.anonymous_create, AnonymousCreate::Off, "flag wins");
        assert_eq!(flagged.rate_limit, RateLimit::On, "flag wins");
        let bare = Headless::from_args(Args::default()).unwrap().relay;
        assert_eq!(
            (bare.anonymous_create, bare.rate_limit),
            (AnonymousCreate::Loopback, RateLimit::On),
            "the headless defaults"
        );
        assert!(
            Args::try_parse_from(["hushlink-relay", "--anonymous-create", "all"]).is_err(),
            "only off, loopback or lan"
        );
    }

    #[test]
    fn quota_flags_set_the_caps_and_refuse_zero() {
        let args = Args::try_parse_from([
            "hushlink-relay",
            "--max-live-secrets",
            "50",
            "--max-live-bytes",
            "1MiB",
            "--max-live-secrets-per-token",
            "5",
            "--max-live-bytes-per-token",
            "64KiB",
        ])
        .unwrap();
        let quotas = Headless::from_args(args).unwrap().relay.quotas;
        assert_eq!(
            (
                quotas.live_secrets,
                quotas.live_bytes,
                quotas.live_secrets_per_token,
                quotas.live_bytes_per_token
            ),
            (50, 1 << 20, 5, 65_536)
        );
        let bare = Headless::from_args(Args::default()).unwrap().relay.quotas;
        assert_eq!(bare, crate::config::Quotas::default(), "caps by default");
        assert!(
            Args::try_parse_from(["hushlink-relay", "--max-live-secrets", "0"]).is_err(),
            "no unlimited"
        );
        let zero_bytes = Args::try_parse_from(["hushlink-relay", "--max-live-bytes", "0"]).unwrap();
        assert!(
            Headless::from_args(zero_bytes).is_err(),
            "no unlimited bytes"
        );
    }

    #[test]
    fn the_name_flag_sets_the_landing_pages_name() {
        let args = Args::try_parse_from(["hushlink-relay", "--name", "Front office"]).unwrap();
        let headless = Headless::from_args(args).unwrap();
        assert_eq!(headless.relay.name.as_deref(), Some("Front office"));
    }

    #[test]
    fn clap_reads_repeatable_allow_and_units() {
        let args = Args::try_parse_from([
            "hushlink-relay",
            "--listen",
            "127.0.0.1:0",
            "--allow",
            "10.9.0.0/16",
            "--allow",
            "198.51.100.7",
            "--max-ttl",
            "2d",
            "--max-size",
            "64KiB",
        ])
        .unwrap();
        assert_eq!(args.allow.len(), 2);
        assert_eq!(args.max_ttl, Some(172_800));
        assert_eq!(args.max_size, Some(65_536));
        assert!(
            Args::try_parse_from(["hushlink-relay", "--tls-cert", "x.pem"]).is_err(),
            "cert needs key"
        );
    }
}
