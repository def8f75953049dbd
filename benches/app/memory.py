"""Reads the memory of a process tree from /proc: RSS and PSS per process (smaps_rollup), and
what each process's PSS is made of (smaps, one line per mapping, grouped by kind).

Used by benches/app/measure; nothing here starts or stops a process.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

#: The kinds a mapping is counted under, in the order the breakdown prints them.
KINDS = (
    "[heap]: glibc malloc (GLib, GTK, Mesa, Skia)",
    "other anonymous: WebKit's allocator, JS heap, big mallocs",
    "own binary",
    "WebKit + JavaScriptCore libs",
    "Mesa + LLVM libs (software OpenGL)",
    "GTK/GLib/other shared libs",
    "shared memory (memfd, /dev/shm)",
    "other files (fonts, caches, locale)",
    "stacks",
)
_WEBKIT = re.compile(r"lib(webkit2gtk|javascriptcoregtk)")
_MESA = re.compile(r"libLLVM|/dri/|libgallium|lib(EGL|GLX)_mesa|libglapi|libgbm")


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, parents first."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(sorted(children.get(current, []), reverse=True))
    return found


def process_name(pid: int) -> str:
    """The executable's name, e.g. hushlink-app, WebKitWebProcess, WebKitNetworkProcess."""
    try:
        return Path(f"/proc/{pid}/exe").resolve().name
    except OSError:
        return "?"


def rollup_kib(pid: int) -> dict[str, int]:
    """The process's smaps_rollup totals in KiB: Rss, Pss, Pss_Anon, Pss_File, Pss_Shmem, …"""
    totals: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                totals[key] = int(value.split()[0])
    except OSError:
        pass
    return totals


def kind_of(path: str, exe: str) -> str:
    """The KINDS entry one mapping (by its smaps path column) belongs to."""
    if path == "[heap]":
        return KINDS[0]
    if path == "" or path.startswith("[anon"):
        return KINDS[1]
    if path == exe:
        return KINDS[2]
    if _WEBKIT.search(path):
        return KINDS[3]
    if _MESA.search(path):
        return KINDS[4]
    if ".so" in path:
        return KINDS[5]
    if path.startswith(("/memfd:", "/dev/shm", "/SYSV")) or "(deleted)" in path:
        return KINDS[6]
    if path.startswith("[stack"):
        return KINDS[8]
    if path.startswith("["):  # [vdso], [vvar], [vsyscall]
        return KINDS[5]
    return KINDS[7]


def breakdown_kib(pid: int) -> dict[str, tuple[int, int]]:
    """Per kind of mapping: (RSS, PSS) in KiB, from /proc/<pid>/smaps."""
    try:
        exe = str(Path(f"/proc/{pid}/exe").resolve())
        lines = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    except OSError:
        return {}
    sums = {kind: [0, 0] for kind in KINDS}
    kind = KINDS[1]
    for line in lines:
        first = line.split(maxsplit=5)
        if first and "-" in first[0] and not first[0].endswith(":"):
            kind = kind_of(first[5] if len(first) > 5 else "", exe)
        elif line.startswith("Rss:"):
            sums[kind][0] += int(line.split()[1])
        elif line.startswith("Pss:"):
            sums[kind][1] += int(line.split()[1])
    return {kind: (rss, pss) for kind, (rss, pss) in sums.items()}


def threads(pid: int) -> Counter:
    """How many threads the process has, by name (tokio-runtime-w, pool-…, gmain, …)."""
    names: Counter = Counter()
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                names[(task / "comm").read_text().strip()] += 1
            except OSError:
                continue
    except OSError:
        pass
    return names


def cpu_seconds(root_pid: int) -> float:
    """User + system CPU time used so far by the whole tree (utime + stime of each process)."""
    total = 0
    for pid in descendants(root_pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5)
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def snapshot(root_pid: int) -> list[dict]:
    """One record per process of the tree: name, rollup, breakdown, threads."""
    records, seen = [], Counter()
    for pid in descendants(root_pid):
        name = process_name(pid)
        seen[name] += 1
        label = name if seen[name] == 1 else f"{name} #{seen[name]}"
        records.append({"name": label, "rollup": rollup_kib(pid), "kinds": breakdown_kib(pid),
                        "threads": threads(pid)})
    return records
