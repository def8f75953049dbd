"""The real app against a real relay: create a secret through the UI, hand it over, see it viewed,
click the "viewed" notification to open that secret.

Runs the built app under Xvfb with its own D-Bus session, an unlocked gnome-keyring and dunst as
the notification daemon, driven through WebKitWebDriver. The relay is the app's own, switched on
from the Relay screen on loopback. The recipient reveals the secret over HTTP, as a browser or
any Onetime client would.
"""

import json
import re
import time
import urllib.request


from desktop import ROOT, Desktop, TrayMenu, wait_for
from e2e_value import open_value
from webdriver import Session

APP = ROOT / "target" / "debug" / "hushlink-app"
SCREENS = ROOT / "target" / "e2e" / "screens"
SECRET = "correct horse battery staple 42"
LABEL = "VPN password for Sam"
SCREEN_IDS = ["newSecret", "secrets", "open", "relay", "history", "settings"]
# The app's English words (the tray speaks the session's language, English here): from the
# catalogue, so a wording change never breaks this test.
ENGLISH = json.loads((ROOT / "ui" / "src" / "lib" / "i18n" / "en.json").read_text())
# What a screen that loads its rows on entering shows once they are in.
SCREEN_LOADED = {
    "secrets": '[data-testid="secret-row"]',
    "relay": '[data-testid="access-log"] tbody tr',
    "history": '[data-testid="history-table"] tbody tr',
}




def reveal_over_http(link: str) -> str:
    """Reveals as any Onetime client would; decrypts end-to-end values with the fragment key."""
    match = re.match(r"(http://127\.0\.0\.1:\d+)/secret/([a-z0-9]+)(?:#(.+))?$", link)
    assert match, f"a loopback relay link, got {link!r}"
    base, key, fragment = match.groups()
    request = urllib.request.Request(f"{base}/api/v1/secret/{key}", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        value = json.loads(response.read())["value"]
    if fragment is None:
        return value
    return open_value(value, fragment)


T0 = time.monotonic()


def step(what: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {what}", flush=True)


def test_create_share_reveal_viewed_and_notified():
    assert APP.exists(), f"build the app first: {APP} is missing"
    with Desktop(keyring=True) as desktop:
        session = Session(desktop, APP)
        try:
            wait_for(lambda: "ui ready" in desktop.log("webdriver"), 60, "the UI to render")
            session.skip_first_start()
            # Warm start (the binary and WebKit are in the page cache after the first launch).
            print(f"\nsession with the app window open in {session.launch_seconds:.2f}s")

            # Relay on, on loopback, from its screen.
            step("relay on")
            session.click('[data-testid="nav-relay"]')
            session.find("#relay-iface")
            session.execute(
                "const s = document.getElementById('relay-iface');"
                "s.value = '127.0.0.1'; s.dispatchEvent(new Event('change', {bubbles: true}));"
            )
            session.click('[data-testid="relay-switch"]')
            relay_url = session.wait_text('[data-testid="relay-url"]', "http://127.0.0.1:")
            assert relay_url.startswith("http://127.0.0.1:"), relay_url

            # Create through the New secret screen, on the relay's profile.
            step("create")
            session.click('[data-testid="nav-newSecret"]')
            session.find('#profile option[value="relay"]')
            session.type("#secret-text", SECRET)
            session.open_more_options()
            session.type("#label", LABEL)
            session.execute(
                "const s = document.getElementById('profile');"
                "s.value = 'relay'; s.dispatchEvent(new Event('change', {bubbles: true}));"
            )
            session.click('[data-testid="create"]')

            session.find('[data-testid="share-link"]', timeout=30)
            link = session.execute("return document.querySelector('[data-testid=\"share-link\"]').value;")
            assert link.startswith(relay_url.rstrip("/") + "/secret/"), f"link {link!r} is on the relay {relay_url!r}"
            assert "#" in link, "links to Hushlink's own relay are end-to-end encrypted by default"
            assert session.find_all('[data-testid="share-card"] img, [data-testid="share-card"] svg'), "a QR code is shown"
            assert wait_for(lambda: desktop.clipboard() == link, 10, "the link on the clipboard")
            session.screenshot(SCREENS / "share-light.png")

            # The recipient opens it; the list turns to opened and the daemon shows a notification.
            step("reveal")
            assert reveal_over_http(link) == SECRET
            session.click('[data-testid="nav-secrets"]')
            session.invoke("refresh_secrets")
            session.find('[data-testid="secret-row"] [data-state="viewed"]', timeout=30)
            # Clicking the "viewed" notification opens that secret's detail, from any screen.
            step("viewed in list; clicking the notification")
            session.click('[data-testid="nav-history"]')
            wait_for(desktop.displayed_notifications, 10, "the 'viewed' notification on screen")
            desktop.click_notification()
            session.wait_text("#detail-title", LABEL, timeout=10)
            assert session.find_all('[aria-keyshortcuts="Escape"]'), "the detail view (with its Back button)"
            # The title comes from the list at once; "What happened" arrives later (get_secret).
            session.wait_text('[data-testid="history"]', "Opened by the recipient", timeout=10)
            steps = session.execute(
                "return [...document.querySelectorAll('[data-testid=\"history\"] li strong')].map(e => e.textContent);"
            )
            assert steps == ["Shared", "Opened by the recipient"], f"the secret's history: {steps}"
            session.screenshot(SCREENS / "notification-opened-detail.png")
            shown = wait_for(
                lambda: [n for n in desktop.notifications() if LABEL in (n.get("body") or "")], 20,
                "the 'viewed' notification at the daemon",
            )
            opened_body = ENGLISH["notify.opened.body"].replace("{label}", LABEL).split("{time}")[0]
            assert shown[0]["body"].startswith(opened_body), shown
            assert SECRET not in json.dumps(desktop.notifications()), "notifications never carry the secret"

            # The tray's one click: share what the clipboard holds, get the link back on it.
            step("tray: share clipboard")
            session.invoke("set_default_profile", {"id": "relay"})
            desktop.set_clipboard("tray secret 7")
            tray = TrayMenu(desktop, wait_for(desktop.registered_tray_items, 20, "the tray icon")[0])
            menu = tray.items()
            for item in (ENGLISH[key] for key in ("tray.shareClipboard", "tray.sharePassword", "tray.newSecret",
                                                 "tray.open", "tray.quit")):
                assert item in menu, f"tray menu lacks {item!r}: {sorted(menu)}"
            opened = ENGLISH["state.viewed"]
            assert any(label.startswith(f"{LABEL} — {opened}") for label in menu), f"recent secrets: {sorted(menu)}"
            relay_off = ENGLISH["tray.relayOff"].split("{url}")[0] + "http://127.0.0.1:"
            assert any(label.startswith(relay_off) for label in menu), sorted(menu)
            tray.click(menu[ENGLISH["tray.shareClipboard"]])
            shared = wait_for(lambda: (c := desktop.clipboard()).startswith(relay_url.rstrip("/")) and c, 20,
                              "the shared link on the clipboard")
            assert reveal_over_http(shared) == "tray secret 7"
            copied = ENGLISH["quick.copied.summary"]
            wait_for(lambda: [n for n in desktop.notifications() if n.get("summary") == copied], 20,
                     f"the {copied!r} notification")

            # Every screen, light and dark, for people to look at.
            step("screenshots")
            for theme in ("light", "dark"):
                session.execute(f"document.documentElement.dataset.theme = '{theme}';")
                for screen in SCREEN_IDS:
                    session.click(f'[data-testid="nav-{screen}"]')
                    if screen in SCREEN_LOADED:
                        session.find(SCREEN_LOADED[screen], timeout=10)
                    session.screenshot(SCREENS / f"{screen}-{theme}.png")
        except Exception:
            session.screenshot(SCREENS / "failure.png")
            print(desktop.log("webdriver")[-4000:])
            raise
        finally:
            session.close()
