"""A throwaway desktop for end-to-end tests: Xvfb, a private D-Bus session bus, a tray watcher.

Nothing here touches the user's real session: every process gets its own XDG_* dirs and TMPDIR
under a temp root, and its own bus. Processes are killed by PID when the desktop closes.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dbus_next import Message, MessageType, Variant
from dbus_next.aio import MessageBus

HERE = Path(__file__).resolve().parent
#: The keyring the Secret Service's "default" alias points at; its password is KEYRING_PASSWORD.
LOGIN_COLLECTION = "/org/freedesktop/secrets/collection/login"
KEYRING_PASSWORD = "e2e-keyring-password"
ROOT = HERE.parent.parent


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    """Polls `predicate` until it returns a truthy value; fails with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class Desktop:
    """Context manager: a fresh X display, session bus and tray watcher."""

    def __init__(self, keyring: bool | str = False, netns: str | None = None) -> None:
        """`keyring`: False for none (D-Bus starts gnome-keyring on demand, with no login
        keyring); True for an unlocked login keyring, as after a desktop login; "locked" for a
        login keyring that exists but is locked, so the first read makes gnome-keyring prompt
        for its password on screen (as when a desktop logs in without unlocking it).
        `netns`: a network namespace every process of this desktop runs in (`ip netns exec`),
        so its abstract sockets (X, D-Bus) and its network are that namespace's."""
        self.keyring = keyring
        self.exec_prefix = ["ip", "netns", "exec", netns] if netns else []
        self.root = Path(tempfile.mkdtemp(prefix="hushlink-e2e-"))
        self.procs: list[subprocess.Popen] = []
        self.env = dict(os.environ)

    def __enter__(self) -> "Desktop":
        for sub in ("data", "config", "cache", "state", "runtime", "tmp"):
            (self.root / sub).mkdir()
        (self.root / "runtime").chmod(0o700)
        # Without these the app, WebKit and gnome-keyring would use (and leave data in) the
        # real home: a keyring file from an earlier run would change what the keyring asks.
        self.env.update(
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_STATE_HOME=str(self.root / "state"),
            XDG_RUNTIME_DIR=str(self.root / "runtime"),
            TMPDIR=str(self.root / "tmp"),
            NO_AT_BRIDGE="1",
        )
        self.env.pop("WAYLAND_DISPLAY", None)
        self.display = self.start_xvfb()
        self.env["DISPLAY"] = f":{self.display}"
        bus = self.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True, text=True, check=True,
        )
        address, pid = bus.stdout.split()[:2]
        self.bus_pid = int(pid)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address
        if self.keyring:
            # An empty password creates no login collection (platform notes §8).
            unlocked = self.run(
                ["gnome-keyring-daemon", "--unlock", "--components=secrets"], input=KEYRING_PASSWORD,
                capture_output=True, text=True, timeout=20, check=True,
            )
            for line in unlocked.stdout.splitlines():
                key, _, value = line.partition("=")
                if key.startswith("GNOME_KEYRING") or key == "SSH_AUTH_SOCK":
                    self.env[key] = value
            if self.keyring == "locked":
                self.dbus(lambda bus: call(bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                           "org.freedesktop.Secret.Service", "Lock", "ao",
                                           [[LOGIN_COLLECTION]]))
        self.tray_items = self.root / "tray-items.txt"
        self.tray_items.touch()
        watcher = self.spawn([sys.executable, str(HERE / "sni_watcher.py"), str(self.tray_items)], "watcher")
        wait_for(lambda: "ready" in self.log("watcher") or watcher.poll() is not None, 15, "the tray watcher")
        assert watcher.poll() is None, f"tray watcher exited: {self.log('watcher')}"
        return self

    def start_xvfb(self) -> int:
        """Starts Xvfb on a display it picks itself (-displayfd: it writes the number once it
        accepts connections). -noreset: by default Xvfb resets whenever its last client leaves,
        and a client connecting during that reset fails (GTK then cannot initialize), which
        short-lived probes like xdotool made happen."""
        read_end, write_end = os.pipe()
        xvfb = self.spawn(["Xvfb", "-displayfd", str(write_end), "-noreset", "-screen", "0", "1280x800x24",
                           "-nolisten", "tcp"],
                          "xvfb", pass_fds=(write_end,))
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            line = numbers.readline().strip()  # EOF (empty) if Xvfb died first
        if not line:
            xvfb.wait(timeout=5)
            raise RuntimeError(f"Xvfb did not start: {self.log('xvfb')}")
        return int(line)

    def spawn(self, argv: list[str], name: str, **kwargs) -> subprocess.Popen:
        """Starts a process with the desktop's env, its output in `<root>/<name>.log`."""
        out = open(self.root / f"{name}.log", "wb")
        proc = subprocess.Popen([*self.exec_prefix, *argv], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def run(self, argv: list[str], check: bool = False, **kwargs) -> subprocess.CompletedProcess:
        """Runs a short command with the desktop's env (in its namespace, if it has one); its
        exit status is the caller's to check unless `check`."""
        return subprocess.run([*self.exec_prefix, *argv], env=self.env, check=check, **kwargs)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def screenshot(self, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.run(["import", "-display", f":{self.display}", "-window", "root", str(dest)], check=True, timeout=30)
        return dest

    def screenshot_when_painted(self, dest: Path, min_bytes: int = 10_000, timeout: float = 20) -> Path:
        """Screenshots until the window has painted: WebKit paints a moment after the DOM is ready,
        so a blank frame (a tiny, single-colour PNG) is retried, within `timeout`."""
        return wait_for(lambda: self.screenshot(dest).stat().st_size >= min_bytes and dest, timeout,
                        "the window to paint (screenshot stayed blank)", interval=0.3)

    def clipboard(self) -> str:
        """The X clipboard's text, as a paste would see it."""
        result = self.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True, timeout=10)
        return result.stdout if result.returncode == 0 else ""

    def set_clipboard(self, text: str) -> None:
        """Puts text on the X clipboard, as a copy in another app would. xclip stays running
        as the selection owner until another program takes it over."""
        self.spawn(["xclip", "-i", "-selection", "clipboard", "-quiet"], "xclip", stdin=subprocess.PIPE)
        self.procs[-1].stdin.write(text.encode())
        self.procs[-1].stdin.close()
        wait_for(lambda: self.clipboard() == text, 10, "the clipboard to hold the text")

    def notifications(self) -> list[dict]:
        """Notifications the daemon (dunst, started by D-Bus on the first Notify) has shown."""
        # dunst's history lists closed notifications only: close the displayed ones first.
        self.run(["dunstctl", "close-all"], capture_output=True, timeout=10)
        result = self.run(["dunstctl", "history"], capture_output=True, text=True, timeout=10)
        if result.returncode != 0:
            return []
        shown = []
        for group in json.loads(result.stdout).get("data", []):
            for item in group:
                shown.append({key: value.get("data") for key, value in item.items() if isinstance(value, dict)})
        return shown

    def displayed_notifications(self) -> int:
        """How many notifications the daemon has on screen now."""
        result = self.run(["dunstctl", "count", "displayed"], capture_output=True, text=True, timeout=10)
        return int(result.stdout.strip() or 0) if result.returncode == 0 else 0

    def click_notification(self) -> None:
        """Clicks the newest notification on screen: dunst invokes its "default" action, the
        same D-Bus ActionInvoked a click on the bubble sends."""
        self.run(["dunstctl", "action", "0"], check=True, timeout=10)

    def xdotool(self, *args: str) -> str:
        result = self.run(["xdotool", *args], capture_output=True, text=True, timeout=10)
        return result.stdout.strip()

    def keyring_prompt(self) -> str | None:
        """The window of gnome-keyring's password prompt (gcr-prompter), if one is showing."""
        windows = self.xdotool("search", "--onlyvisible", "--class", "gcr-prompter").split()
        return windows[0] if windows else None

    def answer_keyring_prompt(self, password: str) -> None:
        """Types the password into the prompt and confirms, as the person at the desk would.
        There is no window manager, so the prompt is focused explicitly first."""
        window = wait_for(self.keyring_prompt, 20, "gnome-keyring's password prompt")
        self.xdotool("windowfocus", "--sync", window)
        self.xdotool("type", "--window", window, "--delay", "20", password)
        self.xdotool("key", "--window", window, "Return")

    def registered_tray_items(self) -> list[str]:
        return [line for line in self.tray_items.read_text().splitlines() if line]

    def dbus(self, coro_factory):
        """Runs `coro_factory(bus)` against the session bus and returns its result."""
        async def run():
            bus = await MessageBus(bus_address=self.env["DBUS_SESSION_BUS_ADDRESS"]).connect()
            try:
                return await coro_factory(bus)
            finally:
                bus.disconnect()
        return asyncio.run(run())

    def __exit__(self, *exc) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        try:
            os.kill(self.bus_pid, signal.SIGTERM)
        except (ProcessLookupError, AttributeError):
            pass
        # GTK/WebKit may start the document portal on the bus, which mounts a FUSE file system at
        # $XDG_RUNTIME_DIR/doc; once the bus is gone that mount is dead ("Transport endpoint is
        # not connected") and rmtree fails on it. Detach it first; a failed cleanup of a temp
        # dir must not fail the test.
        detach_mount(self.root / "runtime" / "doc")
        try:
            shutil.rmtree(self.root, ignore_errors=True)
        except OSError:
            pass


def detach_mount(path: Path) -> None:
    """Lazily unmounts `path` if something is mounted there, with whichever tool this machine
    has (fuse3's fusermount3, fuse's fusermount, or util-linux's umount as root); never fails."""
    # Not os.path.ismount: on a dead FUSE mount its lstat fails and it answers False.
    try:
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            if not any(line.split()[1:2] == [str(path)] for line in mounts):
                return
    except OSError:
        return
    for argv in (["fusermount3", "-u", "-z"], ["fusermount", "-u", "-z"], ["umount", "-l"]):
        if shutil.which(argv[0]):
            done = subprocess.run([*argv, str(path)], capture_output=True, timeout=10, check=False)
            if done.returncode == 0:
                return


async def call(bus: MessageBus, dest: str, path: str, interface: str, member: str,
               signature: str = "", body: list | None = None):
    reply = await bus.call(Message(destination=dest, path=path, interface=interface, member=member,
                                   signature=signature, body=body or []))
    if reply.message_type == MessageType.ERROR:
        raise RuntimeError(f"{interface}.{member} failed: {reply.error_name} {reply.body}")
    return reply.body


class TrayMenu:
    """The tray item's properties and its dbusmenu, read over D-Bus as a panel would."""

    def __init__(self, desktop: Desktop, item: str) -> None:
        self.desktop = desktop
        self.bus_name, _, rest = item.partition("/")
        self.item_path = "/" + rest

    def properties(self) -> dict:
        async def get(bus):
            (props,) = await call(bus, self.bus_name, self.item_path, "org.freedesktop.DBus.Properties",
                                  "GetAll", "s", ["org.kde.StatusNotifierItem"])
            return {key: value.value for key, value in props.items()}
        return self.desktop.dbus(get)

    def items(self) -> dict[str, int]:
        """Visible menu labels (mnemonic underscores removed) mapped to their ids."""
        menu_path = self.properties()["Menu"]

        async def layout(bus):
            _revision, root = await call(bus, self.bus_name, menu_path, "com.canonical.dbusmenu",
                                         "GetLayout", "iias", [0, -1, []])
            return root

        found: dict[str, int] = {}

        def walk(node) -> None:
            item_id, props, children = node
            label = props.get("label")
            if label is not None and props.get("visible", Variant("b", True)).value:
                found[label.value.replace("_", "")] = item_id
            for child in children:
                walk(child.value)

        walk(self.desktop.dbus(layout))
        return found

    def click(self, item_id: int) -> None:
        menu_path = self.properties()["Menu"]

        async def click(bus):
            await call(bus, self.bus_name, menu_path, "com.canonical.dbusmenu", "Event", "isvu",
                       [item_id, "clicked", Variant("s", ""), 0])
        self.desktop.dbus(click)
