//! What counts as "the local network": one definition for the client (plain HTTP is allowed
//! only to such hosts, so a typo cannot send a password in clear over the internet), the
//! relay (it accepts only such peers by default) and the app (its relay's default interface
//! is one with such an address), so none of them can disagree.
//!
//! The local network is loopback, the private ranges (RFC 1918 for IPv4, RFC 4193 unique
//! local for IPv6) and link-local addresses; [`lan_scope`] says which of the three an address
//! is in, for callers that rank within it. Shared (CGNAT) space, 100.64.0.0/10 (RFC 6598), is
//! deliberately not local: an ISP puts many customers behind it, and mesh VPNs hand it out
//! to peers anywhere on the internet. A relay that wants such peers lists the range in its
//! `allow` setting (`--allow 100.64.0.0/10`); a client reaches such a host over HTTPS.
//!
//! Host names ([`is_lan_host`]) are judged by the name alone, never by what DNS says: only
//! `localhost`, `*.localhost`, `*.local` (mDNS) and `*.home.arpa` (RFC 8375) are local. A
//! public name that resolves to a private address is not, and neither is a single-label name
//! (`myrelay`), which a DNS search domain could resolve anywhere.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Which part of the local network an address is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LanScope {
    /// This machine only (127.0.0.0/8, `::1`).
    Loopback,
    /// A private network: RFC 1918 (10/8, 172.16/12, 192.168/16) or RFC 4193 (fc00::/7).
    /// What an office or home network hands out.
    Private,
    /// One link only (169.254/16, fe80::/10): what an interface has when nothing configured
    /// it, or a direct cable between two machines.
    LinkLocal,
}

/// The part of the local network `ip` is in, or `None` for the internet (CGNAT included, see
/// the module docs). IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
pub fn lan_scope(ip: IpAddr) -> Option<LanScope> {
    match ip {
        IpAddr::V4(v4) => scope_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => scope_v4(v4),
            None => scope_v6(v6),
        },
    }
}

/// Whether `ip` is on the local network: loopback, private or link-local ([`lan_scope`]).
pub fn is_lan_ip(ip: IpAddr) -> bool {
    lan_scope(ip).is_some()
}

/// Whether the URL's host cannot be on the public internet: a local address ([`is_lan_ip`])
/// or a local name (see the module docs).
pub fn is_lan_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => is_lan_ip(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_lan_ip(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost"
                || [".localhost", ".local", ".home.arpa"]
                    .iter()
                    .any(|suffix| name.ends_with(suffix))
        }
        None => false,
    }
}

fn scope_v4(ip: Ipv4Addr) -> Option<LanScope> {
    if ip.is_loopback() {
        Some(LanScope::Loopback)
    } else if ip.is_private() {
        Some(LanScope::Private)
    } else if ip.is_link_local() {
        Some(LanScope::LinkLocal)
    } else {
        None
    }
}

fn scope_v6(ip: Ipv6Addr) -> Option<LanScope> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some(LanScope::Loopback)
    } else if (first & 0xfe00) == 0xfc00 {
        Some(LanScope::Private)
    } else if (first & 0xffc0) == 0xfe80 {
        Some(LanScope::LinkLocal)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lan_and_internet_addresses_are_told_apart_at_the_range_edges() {
        for lan in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.20",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "fc00::1",
            "fe80::1",
            "::ffff:192.168.1.2",
        ] {
            assert!(
                is_lan_ip(lan.parse().unwrap()),
                "{lan} is on the local network"
            );
        }
        for public in [
            "8.8.8.8",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.64.0.1",
            "100.100.100.100",
            "100.127.255.254",
            "::ffff:100.64.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2001:4860::8888",
            "fec0::1",
            "::ffff:8.8.8.8",
        ] {
            assert!(
                !is_lan_ip(public.parse().unwrap()),
                "{public} is on the internet"
            );
        }
    }

    #[test]
    fn each_local_address_has_its_scope() {
        for (ip, scope) in [
            ("127.8.9.1", LanScope::Loopback),
            ("::1", LanScope::Loopback),
            ("::ffff:127.0.0.1", LanScope::Loopback),
            ("10.1.2.3", LanScope::Private),
            ("192.168.1.20", LanScope::Private),
            ("fd12:3456::1", LanScope::Private),
            ("169.254.10.1", LanScope::LinkLocal),
            ("fe80::1", LanScope::LinkLocal),
            ("febf::1", LanScope::LinkLocal),
        ] {
            assert_eq!(lan_scope(ip.parse().unwrap()), Some(scope), "{ip}");
        }
        assert_eq!(lan_scope("203.0.113.9".parse().unwrap()), None);
    }

    #[test]
    fn local_names_are_judged_by_the_name_alone() {
        let url = |text: &str| Url::parse(text).unwrap();
        for lan in [
            "http://localhost:3000",
            "http://LOCALHOST./",
            "http://relay.localhost",
            "http://nas.local:7000",
            "http://relay.home.arpa",
            "http://192.168.1.20:7000",
            "http://[fe80::1]",
        ] {
            assert!(is_lan_host(&url(lan)), "{lan} is local");
        }
        for public in [
            "http://myrelay:7000",
            "http://local.example.com",
            "http://localhost.evil.com",
            "http://example.local.com",
            "http://100.64.0.1",
            "https://onetimesecret.com",
        ] {
            assert!(!is_lan_host(&url(public)), "{public} is not local");
        }
    }
}
