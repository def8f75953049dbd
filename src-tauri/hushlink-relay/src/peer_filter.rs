//! Who may talk to the relay at all: LAN peers by default, plus a CIDR allow-list.
//!
//! The relay is meant for an office network or a single machine. What counts as the local
//! network is `hushlink_protocol::net`'s one rule, shared with the client and the app:
//! loopback, RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 4193 (fc00::/7) and link-local
//! (169.254/16, fe80::/10) peers are accepted; anything else gets 403 with an explanation.
//! Shared CGNAT space (100.64/10) is not LAN: behind an ISP's CGNAT it holds other
//! customers, on a mesh VPN peers anywhere; `--allow 100.64.0.0/10` admits it deliberately.
//! IPv4-mapped IPv6 peers (`::ffff:a.b.c.d`, as a dual-stack socket reports them) are judged
//! by their IPv4 address.

use std::net::IpAddr;

use hushlink_protocol::net::is_lan_ip;
use ipnet::IpNet;

/// The peer filter built from [`crate::RelayConfig`].
#[derive(Clone, Debug)]
pub struct PeerFilter {
    allow_lan: bool,
    allow: Vec<IpNet>,
    /// Always `true` in the product: loopback is the relay's own host.
    loopback: bool,
}

impl PeerFilter {
    /// A filter accepting LAN ranges (when `allow_lan`), loopback always, and `allow`.
    pub fn new(allow_lan: bool, allow: Vec<IpNet>) -> Self {
        Self {
            allow_lan,
            allow,
            loopback: true,
        }
    }

    /// The same filter refusing loopback too. For tests only: on 127.0.0.1 they have no
    /// other way to play a peer from outside the allowed ranges.
    #[doc(hidden)]
    pub fn refusing_loopback(self) -> Self {
        Self {
            loopback: false,
            ..self
        }
    }

    /// Whether a peer at `ip` may use the relay.
    pub fn permits(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        (self.loopback && ip.is_loopback())
            || (self.allow_lan && is_lan_ip(ip))
            || self.allow.iter().any(|net| net.contains(&ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn lan_ranges_are_accepted_by_default() {
        let filter = PeerFilter::new(true, Vec::new());
        for peer in [
            "127.0.0.1",
            "127.8.9.1",
            "::1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.20",
            "169.254.10.1",
            "fd12:3456::1",
            "fc00::1",
            "fe80::1",
            "::ffff:192.168.1.9",
        ] {
            assert!(filter.permits(ip(peer)), "{peer} is a LAN peer");
        }
    }

    #[test]
    fn public_peers_are_refused() {
        let filter = PeerFilter::new(true, Vec::new());
        for peer in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "172.15.255.255",
            "100.128.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "::ffff:100.64.0.1",
            "100.63.255.255",
            "192.169.0.1",
            "2001:db8::1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "fec0::1",
        ] {
            assert!(!filter.permits(ip(peer)), "{peer} is not a LAN peer");
        }
    }

    #[test]
    fn allow_list_adds_ranges_and_lan_can_be_switched_off() {
        let filter = PeerFilter::new(false, vec!["203.0.113.0/24".parse().unwrap()]);
        assert!(filter.permits(ip("203.0.113.7")), "allow-listed");
        assert!(!filter.permits(ip("192.168.1.5")), "LAN off");
        assert!(
            filter.permits(ip("127.0.0.1")),
            "loopback is always the app itself"
        );
        assert!(!filter.permits(ip("198.51.100.1")));
    }

    #[test]
    fn cgnat_is_admitted_only_through_the_allow_list() {
        let default = PeerFilter::new(true, Vec::new());
        let with_cgnat = PeerFilter::new(true, vec!["100.64.0.0/10".parse().unwrap()]);
        for peer in ["100.64.0.1", "100.101.102.103", "::ffff:100.127.255.254"] {
            assert!(!default.permits(ip(peer)), "{peer} is not LAN by default");
            assert!(with_cgnat.permits(ip(peer)), "{peer} with --allow");
        }
        assert!(
            !with_cgnat.permits(ip("100.128.0.1")),
            "only the listed range"
        );
    }
}
