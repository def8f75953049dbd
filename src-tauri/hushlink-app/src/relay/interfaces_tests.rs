use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::*;

const ROUTE_HOME: &str = "\
Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
wlp2s0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
wlp2s0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
";

/// The relay host of the simulated office: its LAN side is a veth holding the default route.
const ROUTE_OFFICE_NETNS: &str = "\
Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
veth-relay\t00000000\t01004D0A\t0003\t0\t0\t0\t00000000\t0\t0\t0
veth-relay\t00004D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
";

const IPV6_ROUTE: &str = "\
fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 enp3s0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 enp3s0
";

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn found(list: &[(&str, IpAddr)]) -> Vec<(String, IpAddr)> {
    list.iter().map(|(n, ip)| ((*n).to_owned(), *ip)).collect()
}

#[test]
fn the_ipv4_default_route_names_its_interface() {
    assert_eq!(default_route_v4(ROUTE_HOME).as_deref(), Some("wlp2s0"));
    assert_eq!(
        default_route_v4(ROUTE_OFFICE_NETNS).as_deref(),
        Some("veth-relay")
    );
}

#[test]
fn the_lowest_metric_default_route_wins_and_down_routes_do_not_count() {
    let table = format!(
        "{ROUTE_HOME}tun0\t00000000\t00000000\t0001\t0\t0\t50\t00000000\t0\t0\t0\n\
         enp3s0\t00000000\t0101A8C0\t0002\t0\t0\t1\t00000000\t0\t0\t0\n"
    );
    assert_eq!(
        default_route_v4(&table).as_deref(),
        Some("tun0"),
        "metric 50 beats 600; enp3s0's route is not up"
    );
}

#[test]
fn no_default_route_in_a_table_without_one() {
    let table =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
                 eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    assert_eq!(default_route_v4(table), None);
    assert_eq!(default_route_v4(""), None);
}

#[test]
fn the_ipv6_default_route_skips_reject_routes_on_loopback() {
    assert_eq!(default_route_v6(IPV6_ROUTE).as_deref(), Some("enp3s0"));
}

#[test]
fn the_default_route_interface_is_the_default() {
    let list = found(&[
        ("lo", v4(127, 0, 0, 1)),
        ("docker0", v4(172, 17, 0, 1)),
        ("wlp2s0", v4(192, 168, 1, 20)),
    ]);
    assert_eq!(
        default_name(default_route_v4(ROUTE_HOME).as_deref(), &list).as_deref(),
        Some("wlp2s0"),
        "docker0 is private too, but the default route is on Wi-Fi"
    );
}

#[test]
fn the_office_veth_is_the_default_because_it_holds_the_route() {
    let list = found(&[("lo", v4(127, 0, 0, 1)), ("veth-relay", v4(10, 77, 0, 2))]);
    let route = default_route_v4(ROUTE_OFFICE_NETNS);
    assert_eq!(
        default_name(route.as_deref(), &list).as_deref(),
        Some("veth-relay")
    );
}

#[test]
fn without_a_route_the_first_private_address_then_loopback() {
    let list = found(&[
        ("lo", v4(127, 0, 0, 1)),
        ("eth1", v4(203, 0, 113, 9)),
        ("eth0", v4(10, 1, 2, 3)),
    ]);
    assert_eq!(default_name(None, &list).as_deref(), Some("eth0"));
    assert_eq!(
        default_name(Some("wlan0"), &list).as_deref(),
        Some("eth0"),
        "a route on an interface without an address does not count"
    );
    let only_public = found(&[("eth1", v4(203, 0, 113, 9)), ("lo", v4(127, 0, 0, 1))]);
    assert_eq!(default_name(None, &only_public).as_deref(), Some("lo"));
    assert_eq!(default_name(None, &[]), None);
}

#[test]
fn link_local_and_cgnat_addresses_are_never_the_default() {
    let list = found(&[
        ("eth0", v4(169, 254, 3, 4)),
        ("tailscale0", v4(100, 101, 102, 103)),
        ("lo", v4(127, 0, 0, 1)),
    ]);
    assert_eq!(
        default_name(None, &list).as_deref(),
        Some("lo"),
        "an unconfigured card and a mesh VPN are not the office network"
    );
    let ula = IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 2));
    let with_ula = found(&[("eth0", v4(169, 254, 3, 4)), ("wg0", ula)]);
    assert_eq!(
        default_name(None, &with_ula).as_deref(),
        Some("wg0"),
        "an IPv6 unique-local address is private"
    );
}

#[test]
fn each_interface_keeps_its_best_address() {
    let link_local = IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1));
    let ula = IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, 2));
    let best = best_addresses(found(&[
        ("wlp2s0", link_local),
        ("wlp2s0", v4(192, 168, 1, 20)),
        ("wg0", ula),
        ("wg0", link_local),
        ("lo", v4(127, 0, 0, 1)),
    ]));
    assert_eq!(
        best,
        found(&[
            ("wlp2s0", v4(192, 168, 1, 20)),
            ("wg0", ula),
            ("lo", v4(127, 0, 0, 1))
        ]),
        "IPv4 over IPv6, never link-local, kernel order kept"
    );
}

fn facts(name: &str) -> LinkFacts {
    LinkFacts {
        name: name.to_owned(),
        ..LinkFacts::default()
    }
}

#[test]
fn interfaces_are_named_for_a_person() {
    let ethernet = LinkFacts {
        device: true,
        arp_type: Some(1),
        ..facts("enp3s0")
    };
    let wifi = LinkFacts {
        device: true,
        arp_type: Some(1),
        wireless: true,
        ..facts("wlp2s0")
    };
    let cases = [
        (
            LinkFacts {
                arp_type: Some(772),
                ..facts("lo")
            },
            InterfaceKind::Loopback,
        ),
        (ethernet, InterfaceKind::Ethernet),
        (wifi, InterfaceKind::Wifi),
        (
            LinkFacts {
                tun: true,
                arp_type: Some(65534),
                ..facts("corp")
            },
            InterfaceKind::Vpn,
        ),
        (
            LinkFacts {
                arp_type: Some(65534),
                ..facts("wg0")
            },
            InterfaceKind::Vpn,
        ),
        (facts("tailscale0"), InterfaceKind::Vpn),
        (
            LinkFacts {
                arp_type: Some(512),
                ..facts("ppp0")
            },
            InterfaceKind::Vpn,
        ),
        (facts("ztabcdef12"), InterfaceKind::Vpn),
        (
            LinkFacts {
                arp_type: Some(1),
                bridge: true,
                ..facts("docker0")
            },
            InterfaceKind::Virtual,
        ),
        (
            LinkFacts {
                arp_type: Some(1),
                ..facts("veth-relay")
            },
            InterfaceKind::Virtual,
        ),
        (
            LinkFacts {
                arp_type: Some(1),
                bridge: true,
                ..facts("office-br")
            },
            InterfaceKind::Virtual,
        ),
        (
            LinkFacts {
                device: true,
                arp_type: Some(1),
                ..facts("virbr0")
            },
            InterfaceKind::Virtual,
        ),
        (
            LinkFacts {
                device: true,
                arp_type: Some(32),
                ..facts("ib0")
            },
            InterfaceKind::Other,
        ),
    ];
    for (facts, want) in cases {
        assert_eq!(classify(&facts), want, "{facts:?}");
    }
}

#[test]
fn facts_are_read_from_sysfs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wlan = dir.path().join("wlp2s0");
    std::fs::create_dir_all(wlan.join("wireless")).expect("fixture");
    std::fs::create_dir_all(wlan.join("device")).expect("fixture");
    std::fs::write(wlan.join("type"), "1\n").expect("fixture");
    let tun = dir.path().join("tun0");
    std::fs::create_dir_all(&tun).expect("fixture");
    std::fs::write(tun.join("tun_flags"), "0x1001\n").expect("fixture");
    std::fs::write(tun.join("type"), "65534\n").expect("fixture");

    let read = read_facts(dir.path(), "wlp2s0");
    assert_eq!(
        read,
        LinkFacts {
            name: "wlp2s0".into(),
            wireless: true,
            device: true,
            arp_type: Some(1),
            tun: false,
            bridge: false,
        }
    );
    assert_eq!(classify(&read), InterfaceKind::Wifi);
    assert_eq!(
        classify(&read_facts(dir.path(), "tun0")),
        InterfaceKind::Vpn
    );
    assert_eq!(
        read_facts(dir.path(), "gone"),
        facts("gone"),
        "a missing interface reads as nothing known"
    );
}
