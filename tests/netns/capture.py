"""A packet capture on the office switch: `tcpdump` on the bridge, inside the switch namespace,
so it sees every frame between the LAN hosts, as a passive listener on the office Wi-Fi would.

The file is read back raw (the tests search its bytes) and as TCP segments (a minimal pcap
reader: Ethernet, IPv4, TCP), to prove the capture did see the traffic it is said to hold.

A capture is complete or unreadable, never silently short: a capture missing frames would let
"the secret is not on the wire" pass for nothing. tcpdump writing to a file is not in immediate
mode by default, so libpcap hands it frames in blocks the kernel closes about once a second, and
on SIGINT it exits without the frames of the block still open; a capture stopped right after an
exchange lost that exchange whenever no block boundary fell between them (this made the invite
test's capture hold no TLS at all about one run in three). So tcpdump runs in immediate mode,
and `stop` first sends an end marker across the bridge and waits until tcpdump has written it:
frames pass the bridge's tap in order, so every frame sent before `stop` is then in the file.
Reading `data` or `segments()` of a capture without its marker, or one the kernel dropped frames
of, fails the test.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop import wait_for

#: The end marker's way across the bridge: UDP from the router's LAN side to this host and port
#: (nothing listens; the datagram only has to pass the switch).
MARKER_TO = ("relay", 9)


@dataclass(frozen=True)
class Segment:
    src: str
    dst: str
    sport: int
    dport: int
    payload: bytes


class Capture:
    """`with Capture(office) as cap:` records the bridge `br0` until the block ends."""

    def __init__(self, office, bridge: str = "br0") -> None:
        assert shutil.which("tcpdump"), "tcpdump is not installed (Debian package `tcpdump`, in scripts/lib/common.sh)"
        self.office = office
        self.ns = office.switch
        self.bridge = bridge
        self.root = Path(tempfile.mkdtemp(prefix="hushlink-netns-pcap-"))
        self.path = self.root / "office.pcap"
        self._data = b""
        #: Why the capture cannot be trusted to hold everything, once stopped ("" if it can).
        self.incomplete = "never started"

    def __enter__(self) -> "Capture":
        self.log = open(self.root / "tcpdump.log", "wb")  # open until `stop`
        # -U: write each packet at once; --immediate-mode: hand over each frame as it comes (not
        # in blocks, see the module doc); -s 0: whole frames; -n: no name lookups (no traffic).
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns, "tcpdump", "-i", self.bridge, "-U",
                                      "--immediate-mode", "-s", "0", "-n", "-w", str(self.path)],
                                     stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        wait_for(lambda: b"listening on" in self.stderr().encode() or self.proc.poll() is not None, 15,
                 "tcpdump to listen on the bridge")
        assert self.proc.poll() is None, f"tcpdump did not start: {self.stderr()}"
        self.incomplete = "still running"
        return self

    def stderr(self) -> str:
        path = self.root / "tcpdump.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _written(self) -> bytes:
        return self.path.read_bytes() if self.path.exists() else b""

    def _mark_end(self, timeout: float = 10) -> bool:
        """Sends a marker datagram across the bridge until tcpdump has written it (resent, in case
        the first one waited on ARP); True once it is in the file."""
        role, port = MARKER_TO
        marker = b"hushlink-capture-end-" + secrets.token_hex(8).encode()
        with self.office.on(self.office.router), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            def seen() -> bool:
                sock.sendto(marker, (self.office.hosts[role].address, port))
                return marker in self._written()
            try:
                wait_for(seen, timeout, "the capture's end marker", interval=0.2)
            except TimeoutError:
                return False
        return True

    def stop(self) -> bytes:
        """Ends the capture once it holds every frame sent before this call (tcpdump writes out
        what it holds on SIGINT) and returns its bytes. Never raises on a short capture: `data`
        and `segments()` do, so a cleanup path can call this too."""
        if getattr(self, "proc", None) and self.proc.poll() is None:
            marked = self._mark_end()
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            self.log.close()
            self._data = self._written()
            dropped = re.search(r"(\d+) packets? dropped by kernel", self.stderr())
            if not marked:
                self.incomplete = "tcpdump never wrote the end marker sent across the bridge"
            elif not dropped:
                self.incomplete = "tcpdump did not say how many frames the kernel dropped"
            elif int(dropped.group(1)):
                self.incomplete = f"the kernel dropped {dropped.group(1)} frames before tcpdump read them"
            else:
                self.incomplete = ""
        return self._data

    @property
    def data(self) -> bytes:
        """The whole capture file; fails the test unless the capture is known to be complete."""
        assert not self.incomplete, f"the capture is incomplete: {self.incomplete}; tcpdump: {self.stderr()[-600:]}"
        return self._data

    def __exit__(self, *exc) -> None:
        self.stop()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def segments(self) -> list[Segment]:
        """The capture's TCP segments over IPv4 (other frames are skipped)."""
        data, found = self.data, []
        assert len(data) >= 24, f"not a pcap file ({len(data)} bytes): {self.stderr()}"
        magic = data[:4]
        endian = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
                  b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
        assert endian, f"unknown pcap magic {magic!r}"
        link_type = struct.unpack(endian + "I", data[20:24])[0]
        assert link_type == 1, f"expected Ethernet frames, link type {link_type}"
        offset = 24
        while offset + 16 <= len(data):
            incl = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
            frame = data[offset + 16:offset + 16 + incl]
            offset += 16 + incl
            if len(frame) < 34 or frame[12:14] != b"\x08\x00":
                continue
            ip = frame[14:]
            ihl = (ip[0] & 0x0F) * 4
            total = struct.unpack("!H", ip[2:4])[0]
            if ip[9] != 6 or len(ip) < ihl + 20:
                continue
            tcp = ip[ihl:total]
            sport, dport = struct.unpack("!HH", tcp[:4])
            header = (tcp[12] >> 4) * 4
            found.append(Segment(".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20])), sport, dport,
                                 bytes(tcp[header:])))
        return found

    def streams(self) -> dict[tuple[str, int, str, int], bytes]:
        """Each direction of each TCP connection, its payloads joined in capture order, so a
        search also finds what a sender split across segments."""
        joined: dict[tuple[str, int, str, int], bytes] = {}
        for s in self.segments():
            key = (s.src, s.sport, s.dst, s.dport)
            joined[key] = joined.get(key, b"") + s.payload
        return joined


def tls_records(segments: list[Segment]) -> dict[int, int]:
    """Bytes of TLS records by content type (0x16 handshake, 0x17 application data) in the
    client's streams, each connection's segments joined in capture order."""
    streams: dict[int, bytes] = {}
    for segment in segments:
        streams[segment.sport] = streams.get(segment.sport, b"") + segment.payload
    sizes: dict[int, int] = {}
    for stream in streams.values():
        offset = 0
        while offset + 5 <= len(stream):
            kind, length = stream[offset], int.from_bytes(stream[offset + 3:offset + 5], "big")
            sizes[kind] = sizes.get(kind, 0) + length
            offset += 5 + length
    return sizes
