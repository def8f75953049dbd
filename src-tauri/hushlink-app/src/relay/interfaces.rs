//! The network interfaces the relay can listen on, in words a person understands, and which
//! one the relay uses when nobody chose: the one holding the default route.
//!
//! What an interface *is* (Wi-Fi, Ethernet, VPN, virtual, loopback) is decided by
//! [`classify`], a pure function over a few facts ([`LinkFacts`]) so that it is tested with
//! fixtures; [`read_facts`] gathers them from `/sys/class/net`. The default route is read the
//! same way: [`default_route_v4`] and [`default_route_v6`] parse the kernel's tables as text.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use hushlink_protocol::net::{lan_scope, LanScope};
use serde::Serialize;
use ts_rs::TS;

/// What kind of network an interface is, as the panel names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum InterfaceKind {
    /// A cable to the office network.
    Ethernet,
    /// Wireless.
    Wifi,
    /// A tunnel: colleagues reach it only through the same VPN.
    Vpn,
    /// Something the kernel could not tell us more about.
    Other,
    /// Containers, virtual machines, bridges: usually not the office network.
    Virtual,
    /// "This computer only": no other device can open links on it.
    Loopback,
}

/// A network interface the relay can listen on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkInterface {
    /// The OS's name for it, e.g. `wlp2s0` (what the `set_relay` command takes and the
    /// settings file keeps).
    pub name: String,
    /// The address the relay would listen on there (IPv4 preferred), e.g. `192.168.1.20`.
    pub address: String,
    /// What it is, for the words the panel shows.
    pub kind: InterfaceKind,
    /// It holds the default route (or is the fallback): what the relay uses unless told.
    pub is_default: bool,
}

/// What `/sys/class/net/NAME` says about an interface: enough to name it for a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkFacts {
    /// The interface name.
    pub name: String,
    /// `wireless/` or `phy80211` exists.
    pub wireless: bool,
    /// `device` exists: a physical (or para-virtual) card behind it.
    pub device: bool,
    /// The ARP hardware type from `type` (1 Ethernet, 512 PPP, 772 loopback, 65534 none).
    pub arp_type: Option<u16>,
    /// `tun_flags` exists: a TUN/TAP device, which is what VPN clients create.
    pub tun: bool,
    /// `bridge/` exists.
    pub bridge: bool,
}

const ARPHRD_ETHER: u16 = 1;
const ARPHRD_PPP: u16 = 512;
const ARPHRD_LOOPBACK: u16 = 772;
const ARPHRD_NONE: u16 = 65534;
/// Route flags (`linux/route.h`, `linux/ipv6_route.h`).
const RTF_UP: u32 = 0x1;
const RTF_REJECT: u32 = 0x200;

/// Names VPN clients give their interfaces (OpenVPN, WireGuard, PPP, Tailscale, ZeroTier...).
const VPN_PREFIXES: &[&str] = &[
    "tun",
    "tap",
    "wg",
    "ppp",
    "tailscale",
    "zt",
    "nordlynx",
    "ipsec",
];
/// Names of container, VM and bridge interfaces.
const VIRTUAL_PREFIXES: &[&str] = &[
    "docker", "br-", "veth", "virbr", "lxc", "lxd", "vnet", "vmnet", "vboxnet", "podman", "cni",
    "flannel", "cali", "dummy",
];

/// Names an interface for a person. Order matters: a TUN device has no `device` either, and
/// a VPN is worth knowing before "virtual".
pub fn classify(facts: &LinkFacts) -> InterfaceKind {
    let named = |prefixes: &[&str]| prefixes.iter().any(|p| facts.name.starts_with(p));
    if facts.name == "lo" || facts.arp_type == Some(ARPHRD_LOOPBACK) {
        InterfaceKind::Loopback
    } else if facts.tun
        || named(VPN_PREFIXES)
        || matches!(facts.arp_type, Some(ARPHRD_PPP | ARPHRD_NONE))
    {
        InterfaceKind::Vpn
    } else if facts.wireless {
        InterfaceKind::Wifi
    } else if facts.bridge || named(VIRTUAL_PREFIXES) || !facts.device {
        InterfaceKind::Virtual
    } else if facts.arp_type == Some(ARPHRD_ETHER) {
        InterfaceKind::Ethernet
    } else {
        InterfaceKind::Other
    }
}

/// Reads [`LinkFacts`] for `name` under `class_net` (normally `/sys/class/net`). Missing
/// files read as "no": the classification then falls back to the name.
pub fn read_facts(class_net: &Path, name: &str) -> LinkFacts {
    let dir = class_net.join(name);
    LinkFacts {
        name: name.to_owned(),
        wireless: dir.join("wireless").exists() || dir.join("phy80211").exists(),
        device: dir.join("device").exists(),
        arp_type: std::fs::read_to_string(dir.join("type"))
            .ok()
            .and_then(|t| t.trim().parse().ok()),
        tun: dir.join("tun_flags").exists(),
        bridge: dir.join("bridge").exists(),
    }
}

/// The interface of the best IPv4 default route in `/proc/net/route` (destination and mask
/// `00000000`, flag RTF_UP, lowest metric).
pub fn default_route_v4(table: &str) -> Option<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let &[iface, dest, _, flags, _, _, metric, mask, ..] = cols.as_slice() else {
                return None;
            };
            let up = u32::from_str_radix(flags, 16).ok()? & RTF_UP != 0;
            let default = dest == "00000000" && mask == "00000000";
            (up && default).then(|| (metric.parse().unwrap_or(u32::MAX), iface.to_owned()))
        })
        .min()
        .map(|(_, iface)| iface)
}

/// The interface of the best IPv6 default route in `/proc/net/ipv6_route` (`::/0`, up, not a
/// reject route, not on `lo`, lowest metric).
pub fn default_route_v6(table: &str) -> Option<String> {
    table
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let &[dest, len, _, _, _, metric, _, _, flags, iface, ..] = cols.as_slice() else {
                return None;
            };
            let flags = u32::from_str_radix(flags, 16).ok()?;
            let default = dest.bytes().all(|b| b == b'0') && len == "00";
            let usable = flags & RTF_UP != 0 && flags & RTF_REJECT == 0 && iface != "lo";
            (default && usable).then(|| {
                (
                    u32::from_str_radix(metric, 16).unwrap_or(u32::MAX),
                    iface.to_owned(),
                )
            })
        })
        .min()
        .map(|(_, iface)| iface)
}

/// Which of `found` (name and chosen address, in the kernel's order) the relay uses by
/// default: the default route's interface, else the first with a private address, else
/// loopback. "Private" and "loopback" are scopes of the one LAN rule
/// ([`hushlink_protocol::net`]) that also decides which peers the relay accepts. A
/// link-local address is on the LAN too, but it is what a card has when nothing configured
/// it (no DHCP): never the office network by default, only by choice.
pub fn default_name(route: Option<&str>, found: &[(String, IpAddr)]) -> Option<String> {
    let first_in = |scope: LanScope| {
        found
            .iter()
            .find(|(_, ip)| lan_scope(*ip) == Some(scope))
            .map(|(n, _)| n.clone())
    };
    route
        .filter(|name| found.iter().any(|(n, _)| n == name))
        .map(str::to_owned)
        .or_else(|| first_in(LanScope::Private))
        .or_else(|| first_in(LanScope::Loopback))
}

/// How good an address is to listen on, lower is better; `None` for ones a link cannot name
/// without a scope id (IPv6 link-local). Private or loopback IPv4 first, then public IPv4,
/// then IPv6, then link-local IPv4 (what a card has when DHCP failed).
fn rank(ip: &IpAddr) -> Option<u8> {
    match (ip, lan_scope(*ip)) {
        (IpAddr::V4(_), Some(LanScope::Private | LanScope::Loopback)) => Some(0),
        (IpAddr::V4(_), None) => Some(1),
        (IpAddr::V4(_), Some(LanScope::LinkLocal)) => Some(3),
        (IpAddr::V6(_), Some(LanScope::LinkLocal)) => None,
        (IpAddr::V6(_), _) => Some(2),
    }
}

/// Each interface's best address (IPv4 first, never IPv6 link-local), in the order given.
pub fn best_addresses(all: impl IntoIterator<Item = (String, IpAddr)>) -> Vec<(String, IpAddr)> {
    let mut order: Vec<String> = Vec::new();
    let mut best: BTreeMap<String, (u8, IpAddr)> = BTreeMap::new();
    for (name, ip) in all {
        let Some(r) = rank(&ip) else { continue };
        match best.get(&name) {
            Some((have, _)) if *have <= r => {}
            Some(_) => {
                best.insert(name, (r, ip));
            }
            None => {
                order.push(name.clone());
                best.insert(name, (r, ip));
            }
        }
    }
    order
        .into_iter()
        .filter_map(|name| best.remove(&name).map(|(_, ip)| (name, ip)))
        .collect()
}

/// Every interface with an address, and its best one, from the OS.
pub fn addresses() -> Vec<(String, IpAddr)> {
    best_addresses(
        if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .map(|iface| {
                let ip = iface.ip();
                (iface.name, ip)
            }),
    )
}

/// The interface that holds the default route, read from the kernel (IPv4, then IPv6).
pub fn default_route() -> Option<String> {
    std::fs::read_to_string("/proc/net/route")
        .ok()
        .as_deref()
        .and_then(default_route_v4)
        .or_else(|| {
            std::fs::read_to_string("/proc/net/ipv6_route")
                .ok()
                .as_deref()
                .and_then(default_route_v6)
        })
}

/// The interface the relay uses when nobody chose one, with its address.
pub fn default_interface() -> Option<(String, IpAddr)> {
    let found = addresses();
    let name = default_name(default_route().as_deref(), &found)?;
    found.into_iter().find(|(n, _)| *n == name)
}

/// This machine's interfaces, named for a person: the default first, loopback last.
pub fn scan() -> Vec<NetworkInterface> {
    let found = addresses();
    let default = default_name(default_route().as_deref(), &found);
    let class_net = Path::new("/sys/class/net");
    let mut list: Vec<NetworkInterface> = found
        .into_iter()
        .map(|(name, ip)| NetworkInterface {
            kind: classify(&read_facts(class_net, &name)),
            is_default: default.as_deref() == Some(name.as_str()),
            address: ip.to_string(),
            name,
        })
        .collect();
    list.sort_by_key(|i| (!i.is_default, i.kind));
    list
}

#[cfg(test)]
#[path = "interfaces_tests.rs"]
mod tests;
