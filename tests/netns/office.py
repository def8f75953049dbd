"""A simulated office network made of Linux network namespaces, for end-to-end tests.

    outside 198.51.100.7 ── wan ── router 198.51.100.1 / 10.77.0.1 ── switch (bridge)
                                                                        ├─ relay      10.77.0.2
                                                                        ├─ colleague  10.77.0.3
                                                                        └─ recipient  10.77.0.4

Every host is a namespace with loopback up and one veth: LAN hosts into the switch namespace's
bridge, the outside host straight into the router. Only the router forwards
(`net.ipv4.ip_forward=1` in its own namespace), and it has no default route: nothing built here
reaches any network but these two. Names carry the creating PID and a random suffix, so two runs
never collide and a later run can delete what a crashed one left (its PID is gone).

Processes are started inside a host with `ip netns exec NS`; the test process itself can talk
from a host with `with office.on(host): ...` (setns on the calling thread; see `enter`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass

LAN_PREFIX = "10.77.0"
ROUTER_LAN = f"{LAN_PREFIX}.1"
WAN_ROUTER = "198.51.100.1"
OUTSIDE = "198.51.100.7"
#: LAN hosts: role -> address.
LAN_HOSTS = {"relay": f"{LAN_PREFIX}.2", "colleague": f"{LAN_PREFIX}.3", "recipient": f"{LAN_PREFIX}.4"}
NAME_RE = re.compile(r"^hl-(\d+)-([0-9a-f]{4})-[a-z]+$")
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


class NetworkError(RuntimeError):
    """The office network could not be built (e.g. not root, no veth or bridge support)."""


def ip(*args: str, ns: str | None = None) -> str:
    """Runs `ip [-n NS] ARGS`; raises NetworkError with ip's own message on failure."""
    argv = ["ip", *(["-n", ns] if ns else []), *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    if done.returncode != 0:
        raise NetworkError(f"`{' '.join(argv)}` failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _setns(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise NetworkError(f"setns({path}): {os.strerror(err)}")
    finally:
        os.close(fd)


@contextlib.contextmanager
def enter(ns: str):
    """Moves the calling thread into namespace `ns` for the block, then back.

    Sockets keep the namespace they were created in, and processes forked inside the block
    start in `ns` (so a browser driver started here, and the browsers it launches, live there).
    """
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        _setns(f"/run/netns/{ns}")
        try:
            yield
        finally:
            if _libc.setns(home, CLONE_NEWNET) != 0:
                # A thread stuck in a test namespace would send later traffic there: stop hard.
                os.write(2, f"cannot leave network namespace {ns}: {os.strerror(ctypes.get_errno())}\n".encode())
                os._exit(70)
    finally:
        os.close(home)


@dataclass(frozen=True)
class Host:
    role: str
    ns: str
    address: str

    def exec_argv(self, argv: list[str]) -> list[str]:
        """`argv` to run inside this host."""
        return ["ip", "netns", "exec", self.ns, *argv]

    def run(self, argv: list[str], timeout: float = 30, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("text", True)
        return subprocess.run(self.exec_argv(argv), timeout=timeout, check=check, **kwargs)

    def routes(self) -> list[str]:
        return [line for line in ip("-4", "route", "show", "table", "all", ns=self.ns).splitlines() if line]


def pids_in(ns: str) -> list[int]:
    done = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True, timeout=10, check=False)
    return [int(p) for p in done.stdout.split()] if done.returncode == 0 else []


def kill_namespace(ns: str) -> None:
    """Ends every process inside `ns` (TERM, then KILL), then deletes it. Never raises."""
    for sig, grace in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 2.0)):
        pids = pids_in(ns)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and pids_in(ns):
            time.sleep(0.05)
    subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=10, check=False)


def sweep_stale() -> list[str]:
    """Deletes namespaces left by runs whose process is gone (a crash or a kill -9)."""
    done = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=10, check=False)
    removed = []
    for line in done.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        match = NAME_RE.match(name)
        if match and not os.path.exists(f"/proc/{match.group(1)}"):
            kill_namespace(name)
            removed.append(name)
    return removed


class Office:
    """Context manager: builds the network on entry, tears it all down on exit."""

    def __init__(self) -> None:
        self.tag = f"hl-{os.getpid()}-{secrets.token_hex(2)}"
        self.switch = f"{self.tag}-switch"
        self.router = Host("router", f"{self.tag}-router", ROUTER_LAN)
        self.hosts = {role: Host(role, f"{self.tag}-{role}", addr) for role, addr in LAN_HOSTS.items()}
        self.outside = Host("outside", f"{self.tag}-outside", OUTSIDE)
        self.created: list[str] = []

    @property
    def relay(self) -> Host:
        return self.hosts["relay"]

    @property
    def colleague(self) -> Host:
        return self.hosts["colleague"]

    @property
    def recipient(self) -> Host:
        return self.hosts["recipient"]

    def namespaces(self) -> list[str]:
        return [self.switch, self.router.ns, *(h.ns for h in self.hosts.values()), self.outside.ns]

    def __enter__(self) -> "Office":
        if os.geteuid() != 0:
            raise NetworkError("building the office network needs root (ip netns, veth, bridge)")
        sweep_stale()
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def _build(self) -> None:
        for ns in self.namespaces():
            ip("netns", "add", ns)
            self.created.append(ns)
            ip("link", "set", "lo", "up", ns=ns)
        ip("link", "add", "br0", "type", "bridge", ns=self.switch)
        ip("link", "set", "br0", "up", ns=self.switch)
        # Each LAN host (and the router's LAN side): one veth, its peer a bridge port. Created
        # inside the namespaces directly, so no name ever appears in the machine's own.
        lan = [(self.router, "lan0"), *((host, "eth0") for host in self.hosts.values())]
        for host, ifname in lan:
            port = f"p-{host.role}"[:15]
            ip("link", "add", ifname, "type", "veth", "peer", "name", port, "netns", self.switch, ns=host.ns)
            ip("link", "set", port, "master", "br0", ns=self.switch)
            ip("link", "set", port, "up", ns=self.switch)
            ip("addr", "add", f"{host.address}/24", "dev", ifname, ns=host.ns)
            ip("link", "set", ifname, "up", ns=host.ns)
        for host in self.hosts.values():
            ip("route", "add", "default", "via", ROUTER_LAN, ns=host.ns)
            # mDNS (later): multicast goes out on the LAN link.
            ip("route", "add", "224.0.0.0/4", "dev", "eth0", ns=host.ns)
        # The outside host hangs off the router's second link.
        ip("link", "add", "eth0", "type", "veth", "peer", "name", "wan0", "netns", self.router.ns, ns=self.outside.ns)
        ip("addr", "add", f"{OUTSIDE}/24", "dev", "eth0", ns=self.outside.ns)
        ip("link", "set", "eth0", "up", ns=self.outside.ns)
        ip("addr", "add", f"{WAN_ROUTER}/24", "dev", "wan0", ns=self.router.ns)
        ip("link", "set", "wan0", "up", ns=self.router.ns)
        ip("route", "add", "default", "via", WAN_ROUTER, ns=self.outside.ns)
        # Forwarding only in the router; said explicitly for the hosts, whatever a new
        # namespace would inherit.
        for host in [self.router, *self.hosts.values(), self.outside]:
            value = "1" if host is self.router else "0"
            done = subprocess.run(host.exec_argv(["sysctl", "-qw", f"net.ipv4.ip_forward={value}"]),
                                  capture_output=True, text=True, timeout=10, check=False)
            if done.returncode != 0:
                raise NetworkError(f"cannot set forwarding on {host.role}: {done.stderr.strip()}")

    def on(self, host: Host):
        """`with office.on(host):` the calling thread's sockets are opened from that host."""
        return enter(host.ns)

    def close(self) -> None:
        for ns in reversed(self.created):
            kill_namespace(ns)
        self.created.clear()

    def __exit__(self, *exc) -> None:
        self.close()
