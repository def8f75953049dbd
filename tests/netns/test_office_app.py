"""The real app on the office network: the relay host's user shares, the recipient opens.

The app runs under Xvfb in the relay host's namespace (10.77.0.2) with its own D-Bus session,
an unlocked keyring and dunst. The relay is switched on from the Relay screen without choosing
an interface: it must come up on the LAN address, and the built-in profile ("This computer")
must share through it, from the New secret screen and from the tray. The recipient host
(10.77.0.4) opens the link in Chromium at phone size; the outside host is refused.

The tests of this module share one running app and run in order: the first makes the links
the others open.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field

import pytest

from desktop import wait_for
from hosts import SCREENS, Browser, HostDesktop, HostSession, http, refused_at_accept, reveal_over_http, start_app
from webdriver import WebDriverError

SECRET = "office wifi: correct horse 42"
LABEL = "Wi-Fi password for Sam"
TRAY_SECRET = "tray secret 7"
ALL = {"states": [], "profileId": None, "search": None, "sort": "createdAt", "reverse": False}


@dataclass
class Sender:
    desktop: HostDesktop
    session: HostSession
    relay_url: str = ""
    links: dict = field(default_factory=dict)

    def shoot(self, name: str) -> None:
        self.session.screenshot(SCREENS / f"{name}.png")

    def problem(self) -> str:
        """The code and words of an error notice on screen, if any."""
        return self.session.execute(
            "const p = document.querySelector('[role=\"alert\"][data-code]');"
            "return p ? `${p.dataset.code}: ${p.textContent.trim()}` : '';")

    def relay_panel_screens(self, suffix: str) -> None:
        self.session.click('[data-testid="nav-relay"]')
        self.session.find('[data-testid="relay-url"]')
        for theme in ("light", "dark"):
            self.session.execute(f"document.documentElement.dataset.theme = '{theme}';")
            self.shoot(f"relay-panel{suffix}-{theme}")
        self.session.execute("delete document.documentElement.dataset.theme;")


@pytest.fixture(scope="module")
def sender(office):
    with HostDesktop(office.relay, keyring=True) as desktop:
        session = start_app(desktop)
        try:
            yield Sender(desktop, session)
        finally:
            # The app may be gone; the screenshot is a courtesy.
            with contextlib.suppress(WebDriverError, OSError):
                session.screenshot(SCREENS / "app-last.png")
            session.close()


def test_relay_comes_on_at_its_lan_address_by_default(office, sender):
    session = sender.session
    session.click('[data-testid="nav-relay"]')
    session.find("#relay-iface")  # interfaces known; nothing is chosen
    before = session.invoke("relay_status")
    assert before["running"] is False, before

    session.click('[data-testid="relay-switch"]')
    url = wait_for(lambda: sender.problem() or session.execute(
        "const u = document.querySelector('[data-testid=\"relay-url\"]'); return u ? u.textContent : '';"),
        20, "the relay's address (or an error)")
    assert url.startswith(f"http://{office.relay.address}:"), f"the relay's default is the LAN address: {url!r}"
    status = session.invoke("relay_status")
    assert status["running"] and status["bind"] == office.relay.address, status
    sender.relay_url = url.rstrip("/")
    sender.relay_panel_screens("")


def test_create_from_the_new_secret_screen_on_this_computer(sender):
    session = sender.session
    assert sender.relay_url, "the relay did not come on in the test before"
    session.click('[data-testid="nav-newSecret"]')
    try:
        session.find('#profile option[value="relay"]', timeout=15)
    except TimeoutError:
        backend = [p["id"] for p in session.invoke("list_profiles")]
        raise AssertionError(f"New secret does not offer the relay's profile after the switch; the backend "
                             f"lists {backend} (the UI reloads profiles on relayChanged)") from None
    session.type("#secret-text", SECRET)
    session.open_more_options()
    session.type("#label", LABEL)
    session.execute("const s = document.getElementById('profile');"
                    "s.value = 'relay'; s.dispatchEvent(new Event('change', {bubbles: true}));")
    session.click('[data-testid="create"]')
    found = wait_for(lambda: sender.problem() or session.find_all('[data-testid="share-link"]'), 30,
                     "the link (or an error)")
    assert not isinstance(found, str), f"create on 'This computer (Hushlink relay)' failed: {found}"
    link = session.execute("return document.querySelector('[data-testid=\"share-link\"]').value;")
    assert link.startswith(sender.relay_url + "/secret/"), f"link {link!r} is on the relay {sender.relay_url!r}"
    assert "#" in link, "links to Hushlink's own relay are end-to-end encrypted"
    sender.links["ui"] = link
    sender.shoot("share-on-lan")


def test_tray_one_click_share_on_this_computer(office, sender):
    session, desktop = sender.session, sender.desktop
    assert sender.relay_url, "the relay did not come on in the test before"
    # The tray's one click: share what the clipboard holds; the link comes back on it.
    session.invoke("set_default_profile", {"id": "relay"})
    desktop.set_clipboard(TRAY_SECRET)
    tray = desktop.tray()
    menu = tray.items()
    assert "Share clipboard as secret" in menu, sorted(menu)
    tray.click(menu["Share clipboard as secret"])
    try:
        shared = wait_for(lambda: (c := desktop.clipboard()).startswith(sender.relay_url + "/secret/") and c, 20,
                          "the tray's link on the clipboard")
    except TimeoutError:
        raise AssertionError(
            f"the tray share gave no link; notifications: {json.dumps(desktop.notifications())}") from None
    assert reveal_over_http(office.recipient, shared) == TRAY_SECRET
    sender.links["tray"] = shared


def test_recipient_reveals_on_a_phone_and_the_sender_sees_it_opened(office, sender):
    link = sender.links.get("ui")
    assert link, "no link to open: creating on the app's relay failed in the test before"
    with Browser(office.recipient) as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(link)
        page.wait_for_selector('body[data-script="ready"]')
        page.screenshot(path=str(SCREENS / "recipient-confirm-phone.png"), full_page=True)
        page.locator("#reveal").click()
        secret = page.locator("#secret")
        secret.wait_for()
        assert secret.input_value() == SECRET
        assert secret.get_attribute("data-decrypted") == "true", "decrypted in the browser with the fragment key"
        page.screenshot(path=str(SCREENS / "recipient-revealed-phone.png"), full_page=True)
        context.close()

    session, desktop = sender.session, sender.desktop
    session.invoke("refresh_secrets")

    def state():
        entries = [e for e in session.invoke("list_secrets", {"filter": ALL}) if e["label"] == LABEL]
        return entries[0]["state"] if entries else None

    wait_for(lambda: state() == "viewed" or session.invoke("refresh_secrets"), 30, "the secret to turn to 'viewed'",
             interval=1)
    assert state() == "viewed"
    shown = wait_for(lambda: [n for n in desktop.notifications() if LABEL in (n.get("body") or "")], 30,
                     "the 'viewed' notification at dunst on the relay host")
    assert SECRET not in json.dumps(shown), "notifications never carry the secret"
    sender.relay_panel_screens("-after-reveal")


def test_outside_host_is_refused_by_the_apps_relay(office, sender):
    assert sender.relay_url, "the relay did not come on in the first test"
    for path in ("/", "/secret/" + "a" * 50, "/api/v1/status"):
        refused = refused_at_accept(office.outside, "GET", sender.relay_url + path)
        assert refused is None, f"outside GET {path}: {refused} (expected the connection closed at accept)"
    assert http(office.recipient, "GET", sender.relay_url + "/api/v1/status").status == 200
