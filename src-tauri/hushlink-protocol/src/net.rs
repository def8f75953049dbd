//! What counts as "the local network": one definition for the client (plain HTTP is allowed
//! only to such hosts, so a typo cannot send a password in clear over the internet) and the
//! relay (it accepts only such peers by default), so the two can never disagree.
//!
//! Shared (CGNAT) space, 100.64.0.0/10 (RFC 6598), is deliberately not local: an ISP puts
//! many customers behind it, and mesh VPNs hand it out to peers anywhere on the internet.
//! A relay that wants such peers lists the range in its `allow` setting
//! (`--allow 100.64.0.0/10`); a client reaches such a host over HTTPS.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Loopback, private (RFC 1918), unique-local (RFC 4193) or link-local address; not shared
/// CGNAT space (see the module docs). IPv4-mapped IPv6 addresses are judged as the IPv4
/// address they carry.
pub fn is_lan_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_lan_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_lan_v4(v4),
            None => is_lan_v6(v6),
        },
    }
}

fn is_lan_v4(ip: Ipv4Addr) -> bool {
    ip.is_loopback() || ip.is_private() || ip.is_link_local()
}

fn is_lan_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::is_lan_ip;

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
}
