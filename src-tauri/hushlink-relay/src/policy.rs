//! Who the relay trusts by address: which network clients may create secrets without a
//! token ([`AnonymousCreate`]), and whether rate limits apply at all ([`RateLimit`]). Both are
//! [`crate::RelayConfig`] fields (`anonymous_create`, `rate_limit`).
//!
//! Nothing here trusts loopback unconditionally: on the relay's host a reverse proxy, an SSH
//! forward or a mesh VPN's serve command makes every remote client a loopback peer.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// Who may create without a token ([`crate::RelayConfig::anonymous_create`]).
///
/// Addresses prove little behind a reverse proxy or a tunnel: on the relay's host they turn
/// every remote client into loopback. So a request that carries proxy headers (`Forwarded`,
/// `X-Forwarded-For`, `X-Real-IP`) never counts as local, whatever its peer address; a
/// proxy that sends none must be set up with `off`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnonymousCreate {
    /// Nobody: every create over the network needs a token.
    Off,
    /// Clients on the relay's own host (a loopback peer without proxy headers).
    #[default]
    Loopback,
    /// Loopback and LAN peers (RFC 1918, RFC 4193, link-local; not CGNAT or `allow`
    /// ranges), without proxy headers.
    Lan,
}

impl AnonymousCreate {
    /// Whether a network client at `ip` may create without a token; `proxied` says the
    /// request carried proxy headers.
    pub fn admits(self, ip: IpAddr, proxied: bool) -> bool {
        let ip = ip.to_canonical();
        !proxied
            && match self {
                Self::Off => false,
                Self::Loopback => ip.is_loopback(),
                Self::Lan => hushlink_protocol::net::is_lan_ip(ip),
            }
    }
}

impl std::str::FromStr for AnonymousCreate {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text.trim() {
            "off" => Ok(Self::Off),
            "loopback" => Ok(Self::Loopback),
            "lan" => Ok(Self::Lan),
            other => Err(format!("{other:?}: use off, loopback or lan")),
        }
    }
}

/// Whether rate limits apply at all ([`crate::RelayConfig::rate_limit`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateLimit {
    /// [`crate::RateLimits`] apply to every network client, loopback included.
    #[default]
    On,
    /// No rate limit at all: for benchmarks, which drive thousands of requests a second
    /// from one address. Never on a relay others can reach.
    Off,
}

impl std::str::FromStr for RateLimit {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text.trim() {
            "on" => Ok(Self::On),
            "off" => Ok(Self::Off),
            other => Err(format!("{other:?}: use on or off")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_create_admits_by_address_never_through_a_proxy() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        let table = [
            (AnonymousCreate::Off, "127.0.0.1", false, false),
            (AnonymousCreate::Loopback, "127.0.0.1", false, true),
            (AnonymousCreate::Loopback, "::1", false, true),
            (AnonymousCreate::Loopback, "::ffff:127.0.0.1", false, true),
            (AnonymousCreate::Loopback, "127.0.0.1", true, false),
            (AnonymousCreate::Loopback, "192.168.1.5", false, false),
            (AnonymousCreate::Lan, "192.168.1.5", false, true),
            (AnonymousCreate::Lan, "127.0.0.1", false, true),
            (AnonymousCreate::Lan, "192.168.1.5", true, false),
            (AnonymousCreate::Lan, "100.64.0.1", false, false),
            (AnonymousCreate::Lan, "203.0.113.9", false, false),
        ];
        for (setting, peer, proxied, admitted) in table {
            assert_eq!(
                setting.admits(ip(peer), proxied),
                admitted,
                "{setting:?} for {peer}, proxy headers: {proxied}"
            );
        }
    }
}
