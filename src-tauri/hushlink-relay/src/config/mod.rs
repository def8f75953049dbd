//! [`RelayConfig`]: every knob of the relay, with the defaults documented in `docs/relay.md`.
//!
//! The app builds one from its preferences; the headless binary layers a TOML file, then
//! `HUSHLINK_*` variables, then flags over [`RelayConfig::default`].

use std::path::PathBuf;

use hushlink_protocol::limits;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

mod connections;
mod host_name;
mod sections;

pub use connections::Connections;
pub use host_name::HostName;
pub use sections::{Durability, PassphraseHashing, Quotas, RateLimits};

use crate::error::{Error, Result};
pub use crate::policy::{AnonymousCreate, RateLimit};

/// Default of [`RelayConfig::database_pool_size`].
pub const DATABASE_POOL_SIZE_DEFAULT: usize = 16;
/// Largest [`RelayConfig::database_pool_size`]: PostgreSQL runs a process per connection,
/// and a server rarely allows more than a few hundred in all.
pub const DATABASE_POOL_SIZE_MAX: usize = 256;

/// Everything the relay can be told. `Default` gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelayConfig {
    /// Directory of the database (`relay.sqlite3` and its WAL). Default: the platform data
    /// directory + `hushlink-relay` (`~/.local/share/hushlink-relay` on Linux).
    pub data_dir: PathBuf,
    /// Accept peers from loopback, RFC 1918, RFC 4193 and link-local ranges (not CGNAT's
    /// 100.64/10: list it in `allow` to admit it). Default `true`. With `false` only loopback
    /// and [`RelayConfig::allow`] are accepted.
    pub allow_lan: bool,
    /// Extra CIDR ranges accepted besides the LAN ranges, e.g. `203.0.113.0/24`. Default none.
    #[serde(with = "cidr_list")]
    pub allow: Vec<IpNet>,
    /// Longest TTL a secret can get; longer requests are clamped. Default 14 days.
    pub max_ttl_secs: u64,
    /// TTL when a request names none (clamped to `max_ttl_secs`). Default 7 days.
    pub default_ttl_secs: u64,
    /// Largest secret value in UTF-8 bytes. Default 1 MiB (hosted Onetime: 10,000).
    pub max_secret_bytes: usize,
    /// Largest request body in bytes; larger bodies get 413 (v2) or a v1 404. Default 4 MiB
    /// (a form-encoded 1 MiB value can triple in size).
    pub max_body_bytes: usize,
    /// Shortest passphrase. Default 4 (Onetime's fresh-install setting); 0 disables.
    pub passphrase_min_chars: usize,
    /// Longest passphrase. Default 128.
    pub passphrase_max_chars: usize,
    /// Wrong passphrases a secret tolerates: at this many the secret is burned and its
    /// receipt says why. Default 5.
    pub max_passphrase_attempts: u32,
    /// Who may create secrets without an API token, besides the app that embeds the relay
    /// (in process, never by address). Default `loopback`: Onetime clients on the relay's
    /// own host keep working. A request carrying proxy headers is never local. The app sets
    /// `off` for its relay.
    pub anonymous_create: AnonymousCreate,
    /// `off` turns every rate limit off (for benchmarks). Default `on`.
    pub rate_limit: RateLimit,
    /// Per-client rate limits, loopback included.
    pub rate_limits: RateLimits,
    /// Caps on what live secrets may hold, per token and in all.
    pub quotas: Quotas,
    /// Caps on open connections, and deadlines for request heads, bodies and idle
    /// keep-alives.
    pub connections: Connections,
    /// Argon2id cost of passphrase hashes.
    pub passphrase_hashing: PassphraseHashing,
    /// Commit durability. Default `full` (fsync per group commit; survives power loss).
    pub durability: Durability,
    /// Days the access log keeps a line. Default 30.
    pub access_log_retention_days: u32,
    /// Seconds between sweeps of expired secrets and receipts. Default 60. Expired secrets
    /// are unreadable at once; the sweep only deletes them.
    pub sweep_interval_secs: u64,
    /// Milliseconds without commits after which the WAL is checkpointed and truncated to
    /// zero bytes, so no revealed, burned or expired secret's ciphertext stays in it; a relay
    /// that never pauses that long truncates it at least once a minute. Default 1000. 0
    /// never truncates (old frames stay until overwritten; for measurements only). Not in
    /// the app's bindings: the app keeps the default.
    pub wal_scrub_idle_ms: u64,
    /// Origin used in links the API returns (`metadata_url`, `share_domain` on reveal), e.g.
    /// `https://relay.example.lan:7143`. Default none: taken from the request's `Host`.
    /// Its host is one of the relay's own names (see `allowed_hosts`).
    pub public_url: Option<String>,
    /// More names the relay answers to, besides the addresses it listens on (with their
    /// port), `localhost` when it listens on loopback or everywhere, and `public_url`'s host:
    /// e.g. `sam-laptop.local` (its mDNS name) or `relay.office.lan:8443`. Without a port a
    /// name is accepted with any port. Requests naming any other host in `Host` get 421, so
    /// a web page cannot rebind its own name to the relay (DNS rebinding). Default none.
    pub allowed_hosts: Vec<String>,
    /// Whose relay this is, as the landing page at `/` names it (e.g. `Acme front office`
    /// or `Sam's laptop`); at most 100 characters. Default none: the machine's hostname.
    pub name: Option<String>,
    /// Connections this instance keeps to its PostgreSQL database (`--database`), all opened
    /// before it serves; also the most statements it runs at once. 1 to 256, default 16.
    /// Every instance's pool plus one listening connection each must fit the server's
    /// `max_connections`. Unused on SQLite (the app's relay).
    pub database_pool_size: usize,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            data_dir: default_data_dir(),
            allow_lan: true,
            allow: Vec::new(),
            max_ttl_secs: limits::RELAY_TTL_MAX_SECS,
            default_ttl_secs: limits::TTL_DEFAULT_SECS,
            max_secret_bytes: 1024 * 1024,
            max_body_bytes: 4 * 1024 * 1024,
            passphrase_min_chars: limits::PASSPHRASE_MIN_CHARS,
            passphrase_max_chars: limits::PASSPHRASE_MAX_CHARS,
            max_passphrase_attempts: 5,
            anonymous_create: AnonymousCreate::default(),
            rate_limit: RateLimit::default(),
            rate_limits: RateLimits::default(),
            quotas: Quotas::default(),
            connections: Connections::default(),
            passphrase_hashing: PassphraseHashing::default(),
            durability: Durability::Full,
            access_log_retention_days: 30,
            sweep_interval_secs: 60,
            wal_scrub_idle_ms: 1000,
            public_url: None,
            allowed_hosts: Vec::new(),
            name: None,
            database_pool_size: DATABASE_POOL_SIZE_DEFAULT,
        }
    }
}

fn default_data_dir() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("hushlink-relay")
}

impl RelayConfig {
    /// A default configuration storing its database in `data_dir`.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            ..Self::default()
        }
    }

    /// [`RelayConfig::with_data_dir`] with passphrase hashing cheap enough for debug-build
    /// tests (256 KiB, one pass); the production cost is the seal module's concern.
    #[cfg(test)]
    pub(crate) fn for_tests(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            passphrase_hashing: PassphraseHashing {
                memory_kib: 256,
                iterations: 1,
            },
            ..Self::with_data_dir(data_dir)
        }
    }

    /// Checks the fields that can be inconsistent; the error names the field.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, why: &str| Err(Error::Config(format!("{field}: {why}")));
        if self.max_ttl_secs < limits::TTL_MIN_SECS {
            return bad("max_ttl_secs", "must be at least 60");
        }
        if self.max_secret_bytes == 0 {
            return bad("max_secret_bytes", "must be positive");
        }
        if self.max_body_bytes < self.max_secret_bytes {
            return bad("max_body_bytes", "must be at least max_secret_bytes");
        }
        if self.passphrase_max_chars == 0 || self.passphrase_min_chars > self.passphrase_max_chars {
            return bad(
                "passphrase_min_chars",
                "must not exceed passphrase_max_chars",
            );
        }
        if self.max_passphrase_attempts == 0 {
            return bad("max_passphrase_attempts", "must be at least 1");
        }
        if self.passphrase_hashing.memory_kib < 8 || self.passphrase_hashing.iterations == 0 {
            return bad(
                "passphrase_hashing",
                "needs memory_kib >= 8 and iterations >= 1",
            );
        }
        if let Some(field) = self.quotas.zero_field() {
            return bad(field, "must be positive (there is no unlimited quota)");
        }
        if let Some(field) = self.connections.zero_field() {
            return bad(field, "must be positive");
        }
        if self.rate_limits.window_secs == 0 {
            return bad("rate_limits.window_secs", "must be positive");
        }
        if self.sweep_interval_secs == 0 {
            return bad("sweep_interval_secs", "must be positive");
        }
        if !(1..=DATABASE_POOL_SIZE_MAX).contains(&self.database_pool_size) {
            return bad(
                "database_pool_size",
                &format!("must be 1 to {DATABASE_POOL_SIZE_MAX} connections"),
            );
        }
        if let Some(name) = &self.name {
            if name.trim().is_empty()
                || name.chars().count() > 100
                || name.chars().any(char::is_control)
            {
                return bad(
                    "name",
                    "needs 1 to 100 characters and no control characters",
                );
            }
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://"))
                || url.trim_end_matches('/').contains('?')
            {
                return bad("public_url", "must be an http:// or https:// origin");
            }
        }
        if let Some(host) = self
            .allowed_hosts
            .iter()
            .find(|host| HostName::parse(host).is_none())
        {
            return bad(
                "allowed_hosts",
                &format!("{host:?} is not a host name or address, with an optional port"),
            );
        }
        Ok(())
    }

    /// The TTL a request gets: clamped to `[60 s, max_ttl_secs]`, default when absent.
    pub fn clamp_ttl(&self, requested: Option<u64>) -> u64 {
        let max = self.max_ttl_secs.max(limits::TTL_MIN_SECS);
        requested
            .unwrap_or(self.default_ttl_secs)
            .clamp(limits::TTL_MIN_SECS, max)
    }
}

/// `allow` as a list of CIDR strings (ipnet's own serde support is not enabled in the
/// workspace, and strings are what the TOML file and the UI hold anyway).
mod cidr_list {
    use ipnet::IpNet;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(nets: &[IpNet], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(nets.iter().map(ToString::to_string))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<IpNet>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|text| super::parse_cidr(text).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// Parses `10.0.0.0/8`, or a bare address as a single-host range.
pub fn parse_cidr(text: &str) -> std::result::Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("not a CIDR range or address: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones_and_valid() {
        let config = RelayConfig::default();
        assert_eq!(config.max_ttl_secs, 14 * 24 * 3600);
        assert_eq!(config.max_secret_bytes, 1 << 20);
        assert!(config.allow_lan);
        config.validate().expect("defaults validate");
    }

    #[test]
    fn ttl_is_clamped_to_the_configured_range() {
        let config = RelayConfig::default();
        assert_eq!(config.clamp_ttl(Some(1)), 60);
        assert_eq!(config.clamp_ttl(Some(u64::MAX)), config.max_ttl_secs);
        assert_eq!(config.clamp_ttl(None), 7 * 24 * 3600);
        let short = RelayConfig {
            max_ttl_secs: 3600,
            ..RelayConfig::default()
        };
        assert_eq!(short.clamp_ttl(None), 3600, "the default is clamped too");
    }

    #[test]
    fn validation_names_the_bad_field() {
        let config = RelayConfig {
            max_body_bytes: 10,
            ..RelayConfig::default()
        };
        assert!(config
            .validate()
            .unwrap_err()
            .to_string()
            .contains("max_body_bytes"));
    }

    #[test]
    fn the_display_name_is_optional_and_checked() {
        let config: RelayConfig = toml::from_str("name = \"Acme front office\"").unwrap();
        assert_eq!(config.name.as_deref(), Some("Acme front office"));
        config.validate().expect("a plain name is fine");
        assert_eq!(RelayConfig::default().name, None, "default: the hostname");
        for bad in ["", "  ", "line\nbreak", &"x".repeat(101)] {
            let config = RelayConfig {
                name: Some(bad.to_owned()),
                ..RelayConfig::default()
            };
            let err = config.validate().unwrap_err().to_string();
            assert!(err.contains("name"), "{bad:?} is refused: {err}");
        }
    }

    #[test]
    fn the_database_pool_size_reads_from_toml_and_is_bounded() {
        assert_eq!(RelayConfig::default().database_pool_size, 16);
        let config: RelayConfig = toml::from_str("database_pool_size = 256").unwrap();
        assert_eq!(config.database_pool_size, 256);
        config.validate().expect("the largest size is fine");
        for bad in [0, DATABASE_POOL_SIZE_MAX + 1, usize::MAX] {
            let config = RelayConfig {
                database_pool_size: bad,
                ..RelayConfig::default()
            };
            let err = config.validate().unwrap_err();
            assert!(
                matches!(&err, Error::Config(why) if why.starts_with("database_pool_size:")),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn anonymous_create_and_rate_limit_read_from_toml() {
        let config: RelayConfig =
            toml::from_str("anonymous_create = \"off\"\nrate_limit = \"off\"").unwrap();
        assert_eq!(config.anonymous_create, AnonymousCreate::Off);
        assert_eq!(config.rate_limit, RateLimit::Off);
        let default = RelayConfig::default();
        assert_eq!(default.anonymous_create, AnonymousCreate::Loopback);
        assert_eq!(default.rate_limit, RateLimit::On);
        assert!(toml::from_str::<RelayConfig>("anonymous_create = \"everyone\"").is_err());
        assert_eq!("lan".parse(), Ok(AnonymousCreate::Lan));
        assert!("yes".parse::<RateLimit>().is_err());
    }

    #[test]
    fn allow_list_round_trips_through_toml() {
        let config: RelayConfig =
            toml::from_str("allow = [\"203.0.113.0/24\", \"198.51.100.7\"]").unwrap();
        assert_eq!(config.allow.len(), 2);
        assert_eq!(config.allow[1].to_string(), "198.51.100.7/32");
        let text = toml::to_string(&config).unwrap();
        assert!(text.contains("203.0.113.0/24"), "{text}");
        assert!(toml::from_str::<RelayConfig>("allow = [\"nonsense\"]").is_err());
        assert!(
            toml::from_str::<RelayConfig>("unknown_field = 1").is_err(),
            "typos are reported"
        );
    }
}
