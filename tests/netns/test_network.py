"""The simulated office network itself: who reaches whom, and that nothing leads out of it.

Reachability is shown with TCP (a listener on one host, a connection from another), so no tool
beyond Python and iproute2 is needed. No packet is ever sent to an address outside the network:
"nowhere else" is shown from the routing tables (`ip route get` only looks the route up).
"""

import os
import socket
import subprocess

import pytest

from office import LAN_HOSTS, OUTSIDE, ROUTER_LAN, WAN_ROUTER, Office, enter, ip


def listen(office: Office, host, port: int = 0) -> socket.socket:
    with office.on(host):
        server = socket.create_server((host.address, port))
    server.settimeout(5)
    return server


def connect(office: Office, host, address: str, port: int, timeout: float = 3) -> str:
    """Connects from `host`; returns the source address the connection used."""
    with office.on(host):
        with socket.create_connection((address, port), timeout=timeout) as conn:
            return conn.getsockname()[0]


def test_lan_hosts_reach_each_other_on_the_switch(office):
    server = listen(office, office.relay)
    port = server.getsockname()[1]
    with server:
        for host in (office.recipient, office.colleague):
            assert connect(office, host, office.relay.address, port) == host.address
            peer, addr = server.accept()
            peer.close()
            assert addr[0] == host.address, "the relay host sees the host's own LAN address"


def test_outside_host_reaches_the_relay_host_only_through_the_router(office):
    routes = office.outside.routes()
    assert f"default via {WAN_ROUTER} dev eth0" in [r.strip() for r in routes], routes
    assert not [r for r in routes if r.startswith("10.77.")], f"no direct route to the LAN: {routes}"
    server = listen(office, office.relay)
    port = server.getsockname()[1]
    with server:
        assert connect(office, office.outside, office.relay.address, port) == OUTSIDE
        peer, addr = server.accept()
        peer.close()
        assert addr[0] == OUTSIDE, "the router forwards without address translation"
        # With forwarding off in the router, the outside host cannot reach the LAN at all.
        office.router.run(["sysctl", "-qw", "net.ipv4.ip_forward=0"])
        try:
            with pytest.raises(OSError):
                connect(office, office.outside, office.relay.address, port, timeout=1)
        finally:
            office.router.run(["sysctl", "-qw", "net.ipv4.ip_forward=1"])


def test_no_route_leads_out_of_the_office(office):
    for host in [*office.hosts.values(), office.outside]:
        defaults = [r for r in host.routes() if r.startswith("default")]
        assert defaults and all(f"via {ROUTER_LAN} " in r or f"via {WAN_ROUTER} " in r for r in defaults), defaults
        assert "224.0.0.0/4 dev eth0 scope link" in [r.strip() for r in host.routes()] or host is office.outside
    assert not [r for r in office.router.routes() if r.startswith("default")], "the router routes nowhere else"
    # A lookup, not a packet: the router has no way to any other network.
    lookup = subprocess.run(["ip", "-n", office.router.ns, "route", "get", "192.0.2.53"],
                            capture_output=True, text=True, timeout=10, check=False)
    assert lookup.returncode != 0 and "unreachable" in lookup.stderr, lookup
    # Forwarding is on in the router only; the machine's own setting is left as it was.
    for host in [*office.hosts.values(), office.outside]:
        assert host.run(["sysctl", "-n", "net.ipv4.ip_forward"]).stdout.strip() == "0", host.role
    assert office.router.run(["sysctl", "-n", "net.ipv4.ip_forward"]).stdout.strip() == "1"
    assert sorted(h.address for h in office.hosts.values()) == sorted(LAN_HOSTS.values())


def test_a_second_network_builds_beside_and_is_gone_after():
    with Office() as other:
        names = other.namespaces()
        listed = ip("netns", "list")
        assert all(name in listed for name in names)
        with enter(other.relay.ns):
            with socket.create_server((other.relay.address, 0)):
                pass
    listed = ip("netns", "list")
    assert not [name for name in names if name in listed], f"left behind: {listed}"


def test_a_crashed_runs_namespaces_are_swept_by_the_next():
    gone = next(pid for pid in range(4_000_000, 4_100_000) if not os.path.exists(f"/proc/{pid}"))
    stale = f"hl-{gone}-dead-relay"
    ip("netns", "add", stale)
    try:
        with Office():
            assert stale not in ip("netns", "list"), "the stale namespace was deleted"
    finally:
        subprocess.run(["ip", "netns", "del", stale], capture_output=True, check=False)
