"""Discovery on the office network: the headless relay with `--announce` on the relay host
(10.77.0.2) is found by a DNS-SD browse from the colleague host (10.77.0.3), with its port and
TXT record, and is seen to leave as soon as it stops; on loopback it announces nothing; with a
second network on the relay host, it announces only where it listens (on 0.0.0.0: on both).

The browsing side is the relay crate's `examples/browse.rs`, which calls
`hushlink_relay::discovery` (the code behind the app's "Add a server" list), so both ends of
the test are our code. Multicast stays on the office bridge.
"""

import dataclasses
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time

from desktop import ROOT
from hosts import HeadlessRelay
from office import Host, ip, kill_namespace

BROWSE = ROOT / "target" / "debug" / "examples" / "browse"
#: Long enough for the announcer's probing (~0.75 s) and two of the browser's queries.
LOOK_SECONDS = 4
#: A second network on the relay host, to a host of its own (a multi-homed office server).
SECOND_NET = "10.88.0"


class AnnouncingRelay(HeadlessRelay):
    """The headless relay told by its environment (as a systemd unit would) to announce itself
    under `name`, with an HTTPS listener for colleagues' apps on the same address."""

    def __init__(self, host, name: str, https: bool = True) -> None:
        super().__init__(host)
        self.name = name
        self.https = https

    def env(self) -> dict:
        extra = {"HUSHLINK_ANNOUNCE": "true", "HUSHLINK_NAME": self.name}
        if self.https:
            extra["HUSHLINK_TLS_LISTEN"] = f"{self.host.address}:0"
        return {**HeadlessRelay.env(), **extra}

    def __enter__(self) -> "AnnouncingRelay":
        super().__enter__()
        self.port = int(self.url.rsplit(":", 1)[1])
        self.https_port = self.fingerprint = None
        if self.https:
            # The second stdout line: `listening on https://ADDR:PORT sha256=AB:CD:...`.
            line = self.proc.stdout.readline().strip()
            match = re.fullmatch(r"listening on https://[0-9.]+:(\d+) sha256=([0-9A-Fa-f:]+)", line)
            assert match, f"the HTTPS listener's line: {line!r} {self.stderr()}"
            self.https_port = int(match.group(1))
            self.fingerprint = match.group(2).replace(":", "").lower()
        return self


def browse_once(host) -> list[dict]:
    """What one look from `host` finds (the app's "Add a server" list)."""
    assert BROWSE.exists(), f"build the browse example first (cargo build -p hushlink-relay --examples): {BROWSE}"
    done = host.run([str(BROWSE), str(LOOK_SECONDS)], timeout=LOOK_SECONDS + 30, check=False)
    assert done.returncode == 0, f"browse on {host.role} failed: {done.stderr[-1000:]}"
    return json.loads(done.stdout)


def named(relays: list[dict], name: str) -> list[dict]:
    return [relay for relay in relays if relay["name"] == name]


class Watch:
    """`browse --watch` on a host: the relays' comings and goings, one JSON event per line."""

    def __init__(self, host, seconds: float) -> None:
        assert BROWSE.exists(), f"build the browse example first: {BROWSE}"
        self.proc = subprocess.Popen(host.exec_argv([str(BROWSE), "--watch", str(seconds)]),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        self.events: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.events.put(json.loads(line))
        self.events.put(None)

    def wait(self, predicate, timeout: float, what: str) -> dict:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                break
            assert event is not None, f"the watch ended before {what}: {self.proc.stderr.read()[-1000:]}"
            self.seen.append(event)
            if predicate(event):
                return event
        raise AssertionError(f"no {what} within {timeout:.0f}s; events seen: {self.seen}")

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


def test_announced_relay_is_found_by_a_colleague_and_leaves_when_it_stops(office):
    watch = Watch(office.colleague, 120)
    try:
        with AnnouncingRelay(office.relay, "Front office") as relay:
            ours = named(browse_once(office.colleague), "Front office")
            assert len(ours) == 1, f"the colleague finds the relay once: {ours}"
            found = ours[0]
            assert found["addresses"] == [office.relay.address], found
            assert found["port"] == relay.port, "the service port is the plain-HTTP port links use"
            assert found["https_port"] == relay.https_port, found
            assert found["fingerprint"] == relay.fingerprint, "the TXT record carries the certificate's pin"
            assert found["instance"] == "Front office._hushlink._tcp.local.", found
            assert "announcing on mDNS" in relay.stderr()

            watch.wait(lambda e: e.get("found", {}).get("instance") == found["instance"], 20,
                       "announcement seen by the watching colleague")
            # As systemd stops a service: SIGTERM to all its processes (runuser dies of it), and
            # the relay says goodbye on its way out.
            os.killpg(relay.proc.pid, signal.SIGTERM)
            relay.proc.wait(timeout=20)
            assert "relay stopped" in relay.stderr(), f"no graceful stop: {relay.stderr()}"
            # Records live for minutes in caches: within seconds, only a goodbye explains it.
            watch.wait(lambda e: e.get("gone") == found["instance"], 10, "goodbye after SIGTERM")
            assert "stopped announcing on mDNS" in relay.stderr()
        assert not named(browse_once(office.colleague), "Front office"), "nothing left announced"
    finally:
        watch.close()


def test_relay_on_loopback_announces_nothing_and_says_why(office):
    on_loopback = dataclasses.replace(office.relay, address="127.0.0.1")
    # A control on the LAN address at the same time: the look below does find relays.
    with AnnouncingRelay(office.relay, "Control", https=False), \
            AnnouncingRelay(on_loopback, "Loopback only", https=False) as loopback:
        log = loopback.stderr()
        assert "not announcing on mDNS" in log and "loopback" in log, log
        relays = browse_once(office.colleague)
        assert len(named(relays, "Control")) == 1, f"the control relay is found: {relays}"
        assert named(relays, "Control")[0]["https_port"] is None, "no TLS listener, no https_port"
        assert not named(relays, "Loopback only"), f"a loopback relay was announced: {relays}"


def second_network(office) -> Host:
    """A namespace `other` (10.88.0.4) linked to the relay host's new `eth1` (10.88.0.2) by its
    own veth: a network the relay host is on besides the office. Named like the office's, so a
    crashed run's copy is swept; the caller deletes it (and with it the relay host's end)."""
    other = Host("other", f"{office.tag}-other", f"{SECOND_NET}.4")
    ip("netns", "add", other.ns)
    try:
        ip("link", "set", "lo", "up", ns=other.ns)
        ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth1", "netns", office.relay.ns, ns=other.ns)
        for ns, ifname, address in ((other.ns, "eth0", other.address), (office.relay.ns, "eth1", f"{SECOND_NET}.2")):
            ip("addr", "add", f"{address}/24", "dev", ifname, ns=ns)
            ip("link", "set", ifname, "up", ns=ns)
        ip("route", "add", "224.0.0.0/4", "dev", "eth0", ns=other.ns)
    except BaseException:
        kill_namespace(other.ns)
        raise
    return other


def mdns_members(host: Host) -> set[str]:
    """The host's interfaces that joined the mDNS group 224.0.0.251 (`FB0000E0` in
    /proc/net/igmp, which is per network namespace)."""
    members, device = set(), None
    for line in host.run(["cat", "/proc/net/igmp"]).stdout.splitlines()[1:]:
        if not line.startswith("\t"):
            device = line.split()[1]
        elif line.split()[0] == "FB0000E0":
            members.add(device)
    return members


def test_relay_announces_only_on_the_networks_it_serves(office):
    other = second_network(office)
    try:
        with AnnouncingRelay(office.relay, "Office only", https=False):
            office_view = named(browse_once(office.colleague), "Office only")
            assert len(office_view) == 1, "found on the office network (the control)"
            assert not named(browse_once(other), "Office only"), (
                "a relay listening on its office address announced on the host's other network")
            # Not even listening there: its mDNS daemon joined the group on the office link only.
            assert mdns_members(office.relay) == {"eth0"}, mdns_members(office.relay)
        # On 0.0.0.0 it serves both networks, so it announces on both, each with its own address.
        everywhere = dataclasses.replace(office.relay, address="0.0.0.0")
        with AnnouncingRelay(everywhere, "Both networks", https=False) as relay:
            assert f"{SECOND_NET}.2" in relay.stderr() and office.relay.address in relay.stderr(), relay.stderr()
            office_view = named(browse_once(office.colleague), "Both networks")
            other_view = named(browse_once(other), "Both networks")
            assert [r["addresses"] for r in office_view] == [[office.relay.address]], office_view
            assert [r["addresses"] for r in other_view] == [[f"{SECOND_NET}.2"]], other_view
            assert office_view[0]["port"] == other_view[0]["port"] == relay.port
            assert mdns_members(office.relay) == {"eth0", "eth1"}, mdns_members(office.relay)
    finally:
        kill_namespace(other.ns)
        links = ip("-o", "link", ns=office.relay.ns).splitlines()
        assert not any(line.split()[1].startswith("eth1") for line in links), "the second network is gone"
