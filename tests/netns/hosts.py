"""What runs on the simulated hosts: a desktop with the real app, the headless relay, HTTP
requests and Chromium, each inside its host's namespace.

A desktop's processes start under `ip netns exec` (desktop.py's `netns`); the test process
speaks to their abstract sockets (D-Bus) and loopback ports (WebKitWebDriver) by stepping into
the namespace for each call (`office.enter`).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import http.client as http_client
import urllib.request
from dataclasses import dataclass
from pathlib import Path


from desktop import ROOT, Desktop, TrayMenu, wait_for
from e2e_value import open_value
from office import Host, enter
from webdriver import Session

APP = ROOT / "target" / "debug" / "hushlink-app"
RELAY_BIN = ROOT / "target" / "debug" / "hushlink-relay"
SCREENS = ROOT / "target" / "netns"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class HostDesktop(Desktop):
    """A desktop (Xvfb, D-Bus session, keyring, dunst, tray watcher) on one simulated host."""

    def __init__(self, host: Host, keyring: bool | str = True) -> None:
        super().__init__(keyring=keyring, netns=host.ns)
        self.host = host

    def dbus(self, coro_factory):
        with enter(self.host.ns):
            return super().dbus(coro_factory)

    def tray(self) -> TrayMenu:
        """The newest registered tray item (an app that restarted registers again)."""
        return TrayMenu(self, wait_for(self.registered_tray_items, 30, "the tray icon")[-1])


class HostSession(Session):
    """A WebDriver session (= the running app) on the desktop's host."""

    def __init__(self, desktop: HostDesktop, app: Path = APP, timeout: float = 60) -> None:
        self.ns = desktop.host.ns
        self.desktop = desktop
        super().__init__(desktop, app, timeout)

    def _driver_up(self) -> bool:
        with enter(self.ns):
            return super()._driver_up()

    def _request(self, *args, **kwargs):
        with enter(self.ns):
            return super()._request(*args, **kwargs)

    def stop_driver(self) -> None:
        self.close()
        if self.driver.poll() is None:
            self.driver.terminate()
            self.driver.wait(timeout=10)


def start_app(desktop: HostDesktop) -> HostSession:
    """Starts the app through a fresh WebKitWebDriver and waits until its UI has rendered."""
    assert APP.exists(), f"build the app first (cargo build -p hushlink-app): {APP} is missing"
    trays = len(desktop.registered_tray_items())
    # The driver's log is rewritten per start, so "ui ready" is this start's.
    session = HostSession(desktop)
    wait_for(lambda: "ui ready" in desktop.log("webdriver"), 60, "the app's UI to render")
    wait_for(lambda: len(desktop.registered_tray_items()) > trays, 30, "this start's tray icon")
    session.skip_first_start()
    # The first screen's server list, loaded once the keyring answers. Acting before it is in
    # meets a UI race (the start-up load can land after the reload a relay switch triggers and
    # hide "This computer"); a person sees the form first.
    session.find("#profile option", timeout=30)
    return session


def app_pids(host: Host) -> list[int]:
    """The app's processes on `host`."""
    found = []
    for pid in subprocess.run(["ip", "netns", "pids", host.ns], capture_output=True, text=True,
                              check=False).stdout.split():
        try:
            if os.readlink(f"/proc/{pid}/exe") == str(APP):
                found.append(int(pid))
        except OSError:
            pass
    return found


def quit_from_tray(desktop: HostDesktop, session: HostSession) -> None:
    """Clicks Quit in the tray menu, as a person would, and waits until the app is gone."""
    tray = desktop.tray()
    menu = tray.items()
    assert "Quit" in menu, f"tray menu lacks Quit: {sorted(menu)}"
    tray.click(menu["Quit"])
    wait_for(lambda: not app_pids(desktop.host), 20, "the app to exit after Quit")
    session.stop_driver()


# --- HTTP from a host -------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self):
        return json.loads(self.body)


def http(host: Host, method: str, url: str, data: dict | None = None, auth: tuple[str, str] | None = None,
         timeout: float = 10) -> Reply:
    """One request from `host` (never followed by redirects), whatever its status."""
    body = urllib.parse.urlencode(data).encode() if data is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(url, data=body, method=method)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    with enter(host.ns):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def refused_at_accept(host: Host, method: str, url: str, data: dict | None = None) -> str | None:
    """None when the relay closed the connection from `host` without answering (how it refuses
    a peer outside its networks: at accept, before reading a byte); otherwise what it answered."""
    try:
        reply = http(host, method, url, data=data)
    except (ConnectionResetError, ConnectionRefusedError, urllib.error.URLError,
            http_client.RemoteDisconnected, http_client.BadStatusLine) as error:
        if isinstance(error, urllib.error.URLError) and isinstance(error.reason, TimeoutError):
            return f"timed out ({error})"
        return None
    return f"answered {reply.status} {reply.body[:120]!r}"


def reveal_over_http(host: Host, link: str) -> str:
    """Reveals from `host` as any Onetime client would; decrypts end-to-end values with the key
    in the fragment."""
    match = re.match(r"(http://[0-9.]+:\d+)/secret/([a-z0-9]+)(?:#(.+))?$", link)
    assert match, f"a relay link on an IPv4 address, got {link!r}"
    base, key, fragment = match.groups()
    reply = http(host, "POST", f"{base}/api/v1/secret/{key}")
    assert reply.status == 200, f"reveal from {host.role}: {reply.status} {reply.body[:200]!r}"
    value = reply.json()["value"]
    if fragment is None:
        return value
    return open_value(value, fragment)


# --- Chromium on a host -----------------------------------------------------------------------

class Browser:
    """Debian's Chromium driven by Playwright, running inside `host`'s namespace: the driver is
    started from inside it, so it and every browser it launches live there."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        with enter(self.host.ns):
            self.playwright = sync_playwright().start()
        try:
            self.browser = self.playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        except BaseException:
            self.playwright.stop()
            raise
        return self.browser

    def __exit__(self, *exc) -> None:
        try:
            self.browser.close()
        finally:
            self.playwright.stop()


# --- The headless relay -----------------------------------------------------------------------

class HeadlessRelay:
    """`hushlink-relay` on `host`, run as `user` with a data dir that user owns."""

    def __init__(self, host: Host, user: str = "nobody", port: int = 0) -> None:
        self.host = host
        self.user = user
        #: The plain-HTTP port to listen on (0: any free one).
        self.listen_port = port
        self.root = Path(tempfile.mkdtemp(prefix="hushlink-netns-relay-"))
        self.data_dir = self.root / "data"
        self.config = self.root / "relay.toml"

    def __enter__(self) -> "HeadlessRelay":
        assert RELAY_BIN.exists(), f"build the relay first (cargo build -p hushlink-relay): {RELAY_BIN} is missing"
        self.data_dir.mkdir()
        # A cheap Argon2 cost: the debug binary hashes slowly, and the cost is not under test.
        self.config.write_text("[relay.passphrase_hashing]\nmemory_kib = 256\niterations = 1\n")
        shutil.chown(self.data_dir, self.user, self.user if _group_exists(self.user) else None)
        self.root.chmod(0o755)
        self.config.chmod(0o644)
        self.log = open(self.root / "relay.log", "wb")
        self.proc = subprocess.Popen(
            self.host.exec_argv(["runuser", "-u", self.user, "--", str(RELAY_BIN), "--listen",
                                 f"{self.host.address}:{self.listen_port}", "--data-dir", str(self.data_dir),
                                 "--config", str(self.config)]),
            stdout=subprocess.PIPE, stderr=self.log, text=True, start_new_session=True,
            env=self.env(),
        )
        line = self.proc.stdout.readline().strip()  # its one stdout line, once bound
        match = re.fullmatch(r"listening on (http://[0-9.]+:\d+)", line)
        if not match:
            self.__exit__()
            raise AssertionError(f"the headless relay did not start: {line!r} {self.stderr()}")
        self.url = match.group(1)
        return self

    @staticmethod
    def env() -> dict:
        """The caller's environment without HUSHLINK_* settings, which would change the relay."""
        return {**{k: v for k, v in os.environ.items() if not k.startswith("HUSHLINK_")}, "HUSHLINK_LOG": "info"}

    def stderr(self) -> str:
        path = self.root / "relay.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def admin(self, *args: str, as_user: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
        """`hushlink-relay --data-dir D ARGS` on the relay host (as root unless `as_user`)."""
        argv = [str(RELAY_BIN), "--data-dir", str(self.data_dir), "--config", str(self.config), *args]
        if as_user:
            argv = ["runuser", "-u", as_user, "--", *argv]
        return self.host.run(argv, timeout=timeout, check=False, env=self.env())

    def owner_of_process(self) -> str:
        import pwd
        for pid in subprocess.run(["ip", "netns", "pids", self.host.ns], capture_output=True, text=True,
                                  check=False).stdout.split():
            try:
                if os.readlink(f"/proc/{pid}/exe") == str(RELAY_BIN):
                    return pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name
            except OSError:
                pass
        return ""

    def __exit__(self, *exc) -> None:
        if getattr(self, "proc", None) and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, 9)
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


def _group_exists(name: str) -> bool:
    import grp
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False
