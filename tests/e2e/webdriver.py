"""A minimal W3C WebDriver client for WebKitWebDriver, which drives the app's own webview.

tauri-driver in front of WebKitWebDriver was flaky on this machine type (platform notes §6), so
the tests speak to WebKitWebDriver directly over HTTP. WebKitWebDriver starts the app binary
itself when a session is created, with the environment WebKitWebDriver was started with.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

from desktop import Desktop, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebDriverError(RuntimeError):
    pass


class Session:
    """One WebDriver session = one running app."""

    def __init__(self, desktop: Desktop, app: Path, timeout: float = 60) -> None:
        self.port = free_port()
        desktop.env["TAURI_WEBVIEW_AUTOMATION"] = "true"
        self.desktop = desktop
        self.driver = desktop.spawn(["WebKitWebDriver", f"--port={self.port}"], "webdriver")
        wait_for(self._driver_up, 20, "WebKitWebDriver to listen")
        started = time.monotonic()
        caps = {"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {"binary": str(app), "args": []}}}}
        value = self._request("POST", "/session", caps, timeout=timeout)
        self.launch_seconds = time.monotonic() - started
        self.id = value["sessionId"]

    def _driver_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _request(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise WebDriverError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None

    def _session(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        return self._request(method, f"/session/{self.id}{path}", body, timeout)

    # Elements. WebKitWebDriver returns references under a non-standard key: take the only value.
    def find_all(self, css: str) -> list[str]:
        found = self._session("POST", "/elements", {"using": "css selector", "value": css})
        return [next(iter(ref.values())) for ref in found]

    def find(self, css: str, timeout: float = 15) -> str:
        return wait_for(lambda: (self.find_all(css) or [None])[0], timeout, f"element {css!r}")

    def click(self, css: str) -> None:
        self._session("POST", f"/element/{self.find(css)}/click")

    def type(self, css: str, text: str) -> None:
        element = self.find(css)
        self._session("POST", f"/element/{element}/clear")
        self._session("POST", f"/element/{element}/value", {"text": text})

    def text(self, css: str) -> str:
        return self._session("GET", f"/element/{self.find(css)}/text")

    def execute(self, script: str, *args):
        return self._session("POST", "/execute/sync", {"script": script, "args": list(args)})

    # The app's own first steps, as a person takes them.
    def skip_first_start(self) -> None:
        """Answers "Skip for now" if the first-start question is showing (a fresh profile)."""
        if self.find_all('[data-testid="welcome-skip"]'):
            self.click('[data-testid="welcome-skip"]')

    def open_more_options(self) -> None:
        """Unfolds New secret's "More options" (the note, passphrase and server live there)."""
        self.execute("const fold = document.querySelector('[data-testid=\"more-options\"]').parentElement;"
                     "if (!fold.open) fold.querySelector('summary').click();")

    def invoke(self, command: str, args: dict | None = None):
        """Calls a Tauri command from the page, as the UI would (for test setup only)."""
        result = self._session("POST", "/execute/async", {
            "script": "const done = arguments[arguments.length - 1];"
                      "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])"
                      ".then(v => done({ok: v}), e => done({err: e}));",
            "args": [command, args or {}],
        })
        if "err" in result:
            raise WebDriverError(f"{command} failed: {result['err']}")
        return result["ok"]

    def wait_text(self, css: str, expected: str, timeout: float = 20) -> str:
        def check():
            for element in self.find_all(css):
                text = self._session("GET", f"/element/{element}/text")
                if expected in text:
                    return text
            return None
        return wait_for(check, timeout, f"{expected!r} in {css!r}")

    def painted(self) -> None:
        """Returns once the page has rendered two frames since the call.

        WebKitWebDriver's screenshot is the last frame WebKit presented: taken right after a DOM
        change it shows the screen before (seen on the detail view opened by a notification).
        """
        self._session("POST", "/execute/async", {
            "script": "const done = arguments[arguments.length - 1];"
                      "requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
            "args": [],
        })

    def screenshot(self, dest: Path) -> Path:
        """Captures the app's window as the X server shows it, after its next frames are painted.

        Not WebDriver's own screenshot: without WebKit's compositing (the app turns it off on a
        machine without a GPU, see docs/performance.md) WebKitWebDriver's snapshot of a window
        re-shown by a notification click never answers, while the window itself is painted. The
        X capture is also what a user sees, native widgets included.
        """
        self.painted()
        windows = self.desktop.xdotool("search", "--onlyvisible", "--name", "^Hushlink$").split()
        if not windows:
            raise WebDriverError("no visible Hushlink window to capture")
        dest.parent.mkdir(parents=True, exist_ok=True)
        self.desktop.run(["import", "-display", f":{self.desktop.display}", "-window", windows[-1], str(dest)],
                         check=True, timeout=30)
        return dest

    def close(self) -> None:
        try:
            self._request("DELETE", f"/session/{self.id}", timeout=10)
        except (WebDriverError, OSError):
            pass
