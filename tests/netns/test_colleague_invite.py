"""A colleague joins the office relay with an invite: two real apps on the office network.

The relay host (10.77.0.2) runs the app with its relay on; the colleague (10.77.0.3) runs a
second app, with its own Xvfb, D-Bus session, keyring and dunst. The colleague's "Add a server"
lists the relay found by mDNS, imports an invite the relay host made in its panel (read from
that screen through WebDriver) and shares through the pinned HTTPS port; the recipient
(10.77.0.4) reveals; the relay host's activity names the colleague. A capture on the switch
holds neither the token nor the secret. Invites work once, survive being opened in Chromium,
and fail in words when used, withdrawn or expired. A relay with another certificate on the
same address is refused. The headless relay's `invite` command and `--announce` are seen from
the colleague's app.

The tests share the two apps and run in order; each says which earlier step it needs.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass, field

import pytest

from capture import Capture, tls_records
from desktop import ROOT, wait_for
from hosts import SCREENS, Browser, HeadlessRelay, HostDesktop, HostSession, quit_from_tray, reveal_over_http, start_app
from invite_steps import (create_secret, files_holding, hexpin, import_invite, keyring_token, make_invite,
                          open_add_server, problem, read_line, shoot, shoot_themes, wait_listed)
# The announcing headless relay and the DNS-SD browse of test_discovery, reused.
from test_discovery import AnnouncingRelay, browse_once, named
from webdriver import WebDriverError

COLLEAGUE = "Sam at the front desk"
SECRET = "front desk safe: 4471-9920"
LABEL = "Safe code for Alex"
SECOND_SECRET = "colleague via headless relay 5150"
CLI = ROOT / "target" / "debug" / "hushlink"
ALL = {"states": [], "profileId": None, "search": None, "sort": "createdAt", "reverse": False}


@dataclass
class TwoApps:
    """The two apps and what the tests learn on the way."""

    relay_desktop: HostDesktop
    relay_app: HostSession
    colleague_desktop: HostDesktop
    colleague_app: HostSession
    relay_url: str = ""
    https_port: int = 0
    fingerprint: str = ""
    invite: str = ""
    profile: dict = field(default_factory=dict)
    link: str = ""
    capture: Capture | None = None
    relay_quit: bool = False


@pytest.fixture(scope="module")
def office_apps(office):
    with HostDesktop(office.relay, keyring=True) as relay_desktop, \
            HostDesktop(office.colleague, keyring=True) as colleague_desktop:
        relay_app = start_app(relay_desktop)
        colleague_app = None
        apps = None
        try:
            colleague_app = start_app(colleague_desktop)
            apps = TwoApps(relay_desktop, relay_app, colleague_desktop, colleague_app)
            yield apps
        finally:
            if apps and apps.capture:
                apps.capture.stop()
                apps.capture.close()
            for session, name in ((relay_app, "relay-host-last"), (colleague_app, "colleague-last")):
                if session is None or (apps and apps.relay_quit and session is relay_app):
                    continue
                # The app may be gone; the screenshot is a courtesy.
                with contextlib.suppress(WebDriverError, OSError):
                    session.screenshot(SCREENS / f"{name}.png")
                session.close()


def test_colleague_finds_the_relay_imports_an_invite_and_shares_over_pinned_https(office, office_apps):
    apps = office_apps
    relay, colleague = apps.relay_app, apps.colleague_app
    # The relay host's owner switches the relay on, on the LAN address.
    relay.click('[data-testid="nav-relay"]')
    relay.find("#relay-iface")
    relay.click('[data-testid="relay-switch"]')
    url = wait_for(lambda: problem(relay) or (relay.find_all('[data-testid="relay-url"]')
                                              and relay.text('[data-testid="relay-url"]')), 20,
                   "the relay's address (or an error)")
    assert url.startswith(f"http://{office.relay.address}:"), f"the relay on the LAN address: {url!r}"
    apps.relay_url = url.strip().rstrip("/")
    try:
        apps.https_port = int(relay.text('[data-testid="relay-https-port"]'))
        apps.fingerprint = hexpin(relay.text('[data-testid="relay-fingerprint"]'))
    except TimeoutError:
        raise AssertionError("the relay panel shows no HTTPS port or certificate fingerprint "
                             "(relay-https-port, relay-fingerprint)") from None
    assert len(apps.fingerprint) == 64, apps.fingerprint

    apps.invite = make_invite(relay, COLLEAGUE)
    assert apps.invite.startswith(apps.relay_url + "/invite/"), (apps.invite, apps.relay_url)
    shoot_themes(relay, "invite-shown", '[data-testid="invite-fresh"]')

    # The colleague's Add a server lists the relay, found by mDNS.
    open_add_server(colleague)
    wait_listed(colleague, apps.relay_url, "the relay host's app relay")
    shoot_themes(colleague, "add-server-found-relay", '[data-testid="found-relays"]')

    # Import and create, with the switch recording everything on the wire.
    apps.capture = Capture(office).__enter__()
    try:
        failed = import_invite(colleague, apps.invite, shots="invite-import-form")
        assert not failed, f"importing the relay host's invite failed: {failed}"
        shoot_themes(colleague, "invite-imported", '[data-testid="invite-imported"]')
        profiles = [p for p in colleague.invoke("list_profiles") if p.get("pinnedCert")]
        assert len(profiles) == 1, f"one pinned profile from the invite: {profiles}"
        apps.profile = profile = profiles[0]
        assert hexpin(profile["pinnedCert"]) == apps.fingerprint, "the invite pins the relay's certificate"
        assert profile["baseUrl"] == f"https://{office.relay.address}:{apps.https_port}/", profile
        assert profile["username"] == COLLEAGUE and profile["hasToken"] and profile["isDefault"], profile
        apps.link = create_secret(colleague, profile["id"], SECRET, LABEL)
    finally:
        apps.capture.stop()
    assert apps.link.startswith(apps.relay_url + "/secret/"), (
        f"the colleague's create through the pinned HTTPS port failed or linked elsewhere: {apps.link!r}")
    shoot(colleague, "colleague-share-link", '[data-testid="share-link"]')

    assert reveal_over_http(office.recipient, apps.link) == SECRET

    # The relay host's activity names the colleague (the token's name) for that create.
    def named_create():
        lines = relay.invoke("access_log", {"filter": {"action": "create", "since": None, "until": None,
                                                       "limit": None}})
        return [line for line in lines if line["subject"].get("kind") == "colleague"
                and line["subject"].get("tokenName") == COLLEAGUE]

    try:
        lines = wait_for(named_create, 15, "a create logged under the colleague's token")
    except TimeoutError:
        recent = relay.invoke("access_log", {"filter": {"action": None, "since": None, "until": None, "limit": 20}})
        raise AssertionError(f"the relay host's activity does not name the colleague: {recent}") from None
    assert lines[0]["fromIp"] == office.colleague.address, lines[0]
    tokens = [t for t in relay.invoke("list_tokens") if t["name"] == COLLEAGUE]
    assert len(tokens) == 1 and tokens[0]["lastUsedAt"], f"the panel's token for the colleague, used: {tokens}"
    relay.click('[data-testid="nav-relay"]')
    relay.wait_text('[data-testid="access-log"]', COLLEAGUE, timeout=20)
    shoot(relay, "relay-activity-colleague", '[data-testid="access-log"]')


def test_capture_on_the_switch_holds_neither_the_token_nor_the_secret(office, office_apps):
    apps = office_apps
    assert apps.capture is not None and apps.profile, "the import and create did not happen in the test before"
    token = keyring_token(apps.colleague_desktop, apps.profile["id"])
    assert len(token) >= 16, f"the imported token is in the colleague's keyring ({len(token)} characters)"
    raw = apps.capture.data
    segments = apps.capture.segments()
    # The raw frames, and each TCP stream joined (a needle split across two segments is found).
    haystacks = [raw, *apps.capture.streams().values()]
    relay_ip, colleague_ip = office.relay.address, office.colleague.address
    plain_port = int(apps.relay_url.rsplit(":", 1)[1])
    # The capture did see the import (plain HTTP) and the TLS connection to the pinned port.
    accepts = [s for s in segments if (s.src, s.dst, s.dport) == (colleague_ip, relay_ip, plain_port)
               and b"/accept" in s.payload]
    assert accepts, "the capture holds the invite's accept request on the plain-HTTP port"
    # On the plain-HTTP port the colleague's app made that request and no other: the create
    # and every credentialed call went over TLS.
    plain = [s.payload.split(b"\r\n", 1)[0] for s in segments
             if (s.src, s.dst, s.dport) == (colleague_ip, relay_ip, plain_port)
             and s.payload[:5] in (b"POST ", b"GET /")]
    assert all(b"/accept" in line for line in plain), f"plain-HTTP requests besides the accept: {plain}"
    tls = [s for s in segments if (s.src, s.dst, s.dport) == (colleague_ip, relay_ip, apps.https_port) and s.payload]
    assert tls and tls[0].payload[:1] == b"\x16", "the capture holds a TLS handshake to the HTTPS port"
    sent = tls_records(tls)
    assert sent.get(0x17, 0) > 200, f"requests went over the TLS connection (record bytes by type: {sent})"

    basic = base64.b64encode(f"{COLLEAGUE}:{token}".encode())
    fragment = apps.invite.split("#", 1)[1].encode()
    for what, needle in (("token", token.encode()), ("Basic credentials", basic),
                         ("secret", SECRET.encode()), ("form-encoded secret", urllib.parse.quote_plus(SECRET).encode()),
                         ("invite key fragment", fragment)):
        assert not any(needle in hay for hay in haystacks), f"the capture on the bridge holds the {what} in clear"
    # Nor is the token in any file of the colleague's session (profiles, settings, caches, logs);
    # the keyring keeps it encrypted.
    assert files_holding(apps.colleague_desktop.root, COLLEAGUE.encode()), "the search finds the saved profile"
    holding = files_holding(apps.colleague_desktop.root, token.encode())
    assert not holding, f"the token is in clear in the colleague's files: {holding}"


def test_invite_opened_in_chromium_is_not_used_up_and_works_once(office, office_apps):
    apps = office_apps
    relay, colleague = apps.relay_app, apps.colleague_app
    assert apps.relay_url, "the relay did not come on in the first test"
    link = make_invite(relay, "Robin in accounts")
    with Browser(office.recipient) as browser:
        page = browser.new_page()
        response = page.goto(link)
        text = page.locator("body").inner_text()
        assert response.status == 200, f"the invite page, opened once in Chromium: {response.status} {text[:300]!r}"
        assert "Hushlink" in text and "Paste an invite" in text, f"the page says to open it in Hushlink: {text[:300]!r}"
        page.screenshot(path=str(SCREENS / "invite-in-browser.png"), full_page=True)
    pending = [i for i in relay.invoke("list_invites") if i["name"] == "Robin in accounts"]
    assert [i["status"] for i in pending] == ["pending"], f"opening the page used the invite up: {pending}"

    failed = import_invite(colleague, link)
    assert not failed, f"an invite opened in a browser still imports: {failed}"
    again = import_invite(colleague, link)
    assert again.startswith("invite_used:"), f"a second import of the same invite: {again!r}"
    assert "already used" in again, again
    shoot(colleague, "invite-used-again", '[data-testid="invite-problem"]')

    # Withdrawn from the panel before the colleague imports it.
    withdrawn = make_invite(relay, "Kim in sales")
    relay.click('[data-testid="invite-done"]')
    row = '[data-testid="invite-row"]'
    wait_for(lambda: any("Kim in sales" in relay._session("GET", f"/element/{e}/text") for e in relay.find_all(row)),
             15, "Kim's invite in the pending list")
    relay.execute("const r = [...document.querySelectorAll(arguments[0])]"
                  ".find(r => r.textContent.includes(arguments[1]));"
                  "r.querySelector('[data-testid=\"invite-withdraw\"]').click();", row, "Kim in sales")
    relay.click('[data-testid="invite-withdraw-confirm"]')
    wait_for(lambda: [i["status"] for i in relay.invoke("list_invites")
                      if i["name"] == "Kim in sales"] == ["withdrawn"], 15, "the invite to be withdrawn")
    refused = import_invite(colleague, withdrawn)
    assert refused.startswith("invite_withdrawn:") and "withdrawn" in refused, f"a withdrawn invite: {refused!r}"
    shoot(colleague, "invite-withdrawn", '[data-testid="invite-problem"]')


def test_a_relay_with_another_certificate_is_refused(office, office_apps):
    apps = office_apps
    assert apps.profile, "no pinned profile: the import failed in the first test"
    plain_port = int(apps.relay_url.rsplit(":", 1)[1])
    # The relay host's app goes away; a headless relay with its own certificate takes its
    # address and both ports, as an impostor on the office network would.
    quit_from_tray(apps.relay_desktop, apps.relay_app)
    apps.relay_quit = True
    impostor = HeadlessRelay(office.relay, port=plain_port)
    impostor.env = lambda: {**HeadlessRelay.env(), "HUSHLINK_TLS_LISTEN": f"{office.relay.address}:{apps.https_port}"}
    with impostor:
        line = read_line(impostor.proc.stdout, 15)
        assert f"https://{office.relay.address}:{apps.https_port}" in line, f"the impostor's HTTPS line: {line!r}"
        assert apps.fingerprint not in hexpin(line), "the impostor has its own certificate"
        failed = create_secret(apps.colleague_app, apps.profile["id"], "must not leave 311", "Refused")
        assert failed.startswith("tls_pin_mismatch:"), f"the colleague's share to another certificate: {failed!r}"
        shoot(apps.colleague_app, "pin-mismatch", '[role="alert"][data-code]')
        with sqlite3.connect(f"file:{impostor.data_dir / 'relay.sqlite3'}?mode=ro", uri=True) as db:
            created = db.execute("SELECT count(*) FROM secrets").fetchone()[0]
        assert created == 0, f"the impostor received {created} secrets"
    saved = [e for e in apps.colleague_app.invoke("list_secrets", {"filter": ALL}) if e["label"] == "Refused"]
    assert not saved, f"a refused share left an entry: {saved}"


class InvitingRelay(AnnouncingRelay):
    """test_discovery's announcing relay, its HTTPS port fixed: an invite names that port (the
    `invite` command refuses port 0)."""

    def __init__(self, host, name: str, https_port: int) -> None:
        super().__init__(host, name)
        self.fixed_https_port = https_port

    def env(self) -> dict:
        return {**super().env(), "HUSHLINK_TLS_LISTEN": f"{self.host.address}:{self.fixed_https_port}"}


def test_headless_relay_invite_and_announcement_seen_from_the_colleague(office, office_apps):
    colleague = office_apps.colleague_app
    with office.on(office.relay), socket.socket() as probe:
        probe.bind((office.relay.address, 0))
        https_port = probe.getsockname()[1]
    with InvitingRelay(office.relay, "Reception server", https_port) as relay:
        made = relay.admin("--listen", f"{office.relay.address}:{relay.port}", "invite", "Lee at reception")
        assert made.returncode == 0, f"`hushlink-relay invite` failed ({made.returncode}): {made.stderr[-600:]}"
        link = made.stdout.strip().splitlines()[-1].strip()
        assert link.startswith(relay.url + "/invite/") and "#" in link, (
            f"the link alone on the last line: {made.stdout!r}")

        announced = named(browse_once(office.colleague), "Reception server")
        assert len(announced) == 1 and announced[0]["fingerprint"] == relay.fingerprint, announced
        open_add_server(colleague)
        wait_listed(colleague, relay.url, "the headless relay announced with --announce")

        failed = import_invite(colleague, link)
        assert not failed, f"importing the headless relay's CLI invite failed: {failed}"
        base = f"https://{office.relay.address}:{relay.https_port}/"
        profiles = [p for p in colleague.invoke("list_profiles") if p["baseUrl"] == base]
        assert len(profiles) == 1, f"a profile for {base}: {colleague.invoke('list_profiles')}"
        assert hexpin(profiles[0].get("pinnedCert") or "") == relay.fingerprint, profiles[0]
        shared = create_secret(colleague, profiles[0]["id"], SECOND_SECRET, "Via the headless relay")
        assert shared.startswith(relay.url + "/secret/"), f"share through the headless relay: {shared!r}"
        assert reveal_over_http(office.recipient, shared) == SECOND_SECRET

        # The CLI on the colleague host, with the token the invite gave and the pin it carried:
        # it shares; with any other pin it refuses (exit 5) before sending anything.
        token = keyring_token(office_apps.colleague_desktop, profiles[0]["id"])
        assert token, "the invite's token is in the colleague's keyring"
        pin = profiles[0]["pinnedCert"]
        wrong = ("00" if not pin.startswith("00") else "11") + pin[2:]
        for used, expect in ((pin, 0), (wrong, 5)):
            done = office.colleague.run(
                [str(CLI), "--server", base, "--pin", used, "--link-base", relay.url, "--user", "Lee at reception",
                 "--json", "share"], input="printer PIN 2468", check=False, timeout=30,
                env={**HeadlessRelay.env(), "HUSHLINK_TOKEN": token})
            assert done.returncode == expect, (f"hushlink --pin ({'right' if expect == 0 else 'wrong'} pin): "
                                               f"exit {done.returncode} {done.stdout[-400:]} {done.stderr[-400:]}")
        assert json.loads(done.stdout)["error"]["code"] == "tls_pin_mismatch", done.stdout

        # Expiry: an invite whose time is up, as if a day had passed (its expiry moved into
        # the past in the relay's store; the relay compares it with its clock on import).
        late = relay.admin("--listen", f"{office.relay.address}:{relay.port}", "invite", "Visitor", "--ttl", "60")
        assert late.returncode == 0, late.stderr[-600:]
        late_link = late.stdout.strip().splitlines()[-1].strip()
        with sqlite3.connect(relay.data_dir / "relay.sqlite3", timeout=10) as db:
            moved = db.execute("UPDATE invites SET expires_at = ? WHERE state = 'pending'",
                               (int(time.time()) - 5,)).rowcount
        assert moved == 1, f"one pending invite to expire, found {moved}"
        expired = import_invite(colleague, late_link)
        assert expired.startswith("invite_expired:") and "expired" in expired, f"an expired invite: {expired!r}"
        shoot(colleague, "invite-expired", '[data-testid="invite-problem"]')
