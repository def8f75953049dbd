//! The flags and variables of [`crate::Connections`]: caps on open connections and the
//! deadlines of slow clients (`[relay.connections]` in the file).

use crate::connections::Connections;

/// Connection limits on the command line; each also reads a `HUSHLINK_*` variable.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct ConnectionArgs {
    /// Most open connections in all (`connections.max`, default 512).
    #[arg(long = "max-connections", env = "HUSHLINK_MAX_CONNECTIONS", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max: Option<u32>,
    /// Most open connections per client, an IPv4 address or IPv6 /64
    /// (`connections.max_per_client`, default 128).
    #[arg(long = "max-connections-per-client", env = "HUSHLINK_MAX_CONNECTIONS_PER_CLIENT", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_per_client: Option<u32>,
    /// Time for a request head, TLS handshake included: seconds, or with a unit (`500ms`,
    /// `10s`, `1m`) (`connections.header_timeout_ms`, default 10s).
    #[arg(long, env = "HUSHLINK_HEADER_TIMEOUT", value_name = "DURATION", value_parser = parse_millis)]
    pub header_timeout: Option<u64>,
    /// Time for a whole request body (`connections.body_timeout_ms`, default 60s).
    #[arg(long, env = "HUSHLINK_BODY_TIMEOUT", value_name = "DURATION", value_parser = parse_millis)]
    pub body_timeout: Option<u64>,
    /// Time a kept-alive connection may wait for its next request
    /// (`connections.idle_timeout_ms`, default 60s).
    #[arg(long, env = "HUSHLINK_IDLE_TIMEOUT", value_name = "DURATION", value_parser = parse_millis)]
    pub idle_timeout: Option<u64>,
}

impl ConnectionArgs {
    /// Overrides the file's (or the default) limits with what was given.
    pub fn apply(&self, limits: &mut Connections) {
        limits.max = self.max.unwrap_or(limits.max);
        limits.max_per_client = self.max_per_client.unwrap_or(limits.max_per_client);
        limits.header_timeout_ms = self.header_timeout.unwrap_or(limits.header_timeout_ms);
        limits.body_timeout_ms = self.body_timeout.unwrap_or(limits.body_timeout_ms);
        limits.idle_timeout_ms = self.idle_timeout.unwrap_or(limits.idle_timeout_ms);
    }
}

/// `500ms`, or a duration as [`super::units::parse_duration`] reads it (`10`, `10s`, `1m`) →
/// positive milliseconds.
pub fn parse_millis(text: &str) -> std::result::Result<u64, String> {
    let text = text.trim();
    let millis = match text.strip_suffix("ms") {
        Some(digits) => digits
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("not a duration: {text:?}"))?,
        None => super::units::parse_duration(text)?
            .checked_mul(1_000)
            .ok_or_else(|| format!("duration too large: {text:?}"))?,
    };
    if millis == 0 {
        return Err(format!("{text:?}: must be positive"));
    }
    Ok(millis)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::headless::{Args, Headless};

    #[test]
    fn connection_flags_set_the_limits() {
        let args = Args::try_parse_from([
            "hushlink-relay",
            "--max-connections",
            "100",
            "--max-connections-per-client",
            "8",
            "--header-timeout",
            "500ms",
            "--body-timeout",
            "2m",
            "--idle-timeout",
            "15",
        ])
        .unwrap();
        let limits = Headless::from_args(args).unwrap().relay.connections;
        assert_eq!(
            limits,
            Connections {
                max: 100,
                max_per_client: 8,
                header_timeout_ms: 500,
                body_timeout_ms: 120_000,
                idle_timeout_ms: 15_000,
            }
        );
        let bare = Headless::from_args(Args::default()).unwrap().relay;
        assert_eq!(bare.connections, Connections::default(), "the defaults");
    }

    #[test]
    fn zero_and_nonsense_are_refused() {
        for (flag, value) in [
            ("--max-connections", "0"),
            ("--max-connections-per-client", "0"),
            ("--header-timeout", "0ms"),
            ("--idle-timeout", "0"),
            ("--body-timeout", "soon"),
        ] {
            assert!(
                Args::try_parse_from(["hushlink-relay", flag, value]).is_err(),
                "{flag} {value}"
            );
        }
    }

    #[test]
    fn the_file_sets_them_too() {
        let config: crate::RelayConfig =
            toml::from_str("[connections]\nmax_per_client = 4\nidle_timeout_ms = 5000").unwrap();
        assert_eq!(config.connections.max_per_client, 4);
        assert_eq!(config.connections.idle_timeout_ms, 5_000);
        assert_eq!(config.connections.max, Connections::default().max);
        let zero: crate::RelayConfig = toml::from_str("[connections]\nmax = 0").unwrap();
        let err = zero.validate().unwrap_err().to_string();
        assert!(err.contains("connections.max"), "{err}");
    }
}
