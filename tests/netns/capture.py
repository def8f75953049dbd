"""A packet capture on the office switch: `tcpdump` on the bridge, inside the switch namespace,
so it sees every frame between the LAN hosts, as a passive listener on the office Wi-Fi would.

The file is read back raw (the tests search its bytes) and as TCP segments (a minimal pcap
reader: Ethernet, IPv4, TCP), to prove the capture did see the traffic it is said to hold.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop import wait_for


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
        self.ns = office.switch
        self.bridge = bridge
        self.root = Path(tempfile.mkdtemp(prefix="hushlink-netns-pcap-"))
        self.path = self.root / "office.pcap"
        self.data = b""

    def __enter__(self) -> "Capture":
        self.log = open(self.root / "tcpdump.log", "wb")
        # -U: write each packet at once; -s 0: whole frames; -n: no name lookups (no traffic).
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns, "tcpdump", "-i", self.bridge, "-U", "-s", "0",
                                      "-n", "-w", str(self.path)],
                                     stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        wait_for(lambda: b"listening on" in self.stderr().encode() or self.proc.poll() is not None, 15,
                 "tcpdump to listen on the bridge")
        assert self.proc.poll() is None, f"tcpdump did not start: {self.stderr()}"
        return self

    def stderr(self) -> str:
        path = self.root / "tcpdump.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> bytes:
        """Ends the capture (tcpdump writes out what it holds on SIGINT) and returns its bytes."""
        if getattr(self, "proc", None) and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            self.log.close()
            self.data = self.path.read_bytes() if self.path.exists() else b""
        return self.data

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
