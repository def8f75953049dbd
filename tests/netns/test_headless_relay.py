"""The headless relay on the office network: who may reach it, its landing page, and its
tokens administered from the command line while it runs as another user.

The relay runs on the relay host (10.77.0.2) as `nobody`, with a data dir `nobody` owns; the
administrator is root on the same host. The colleague (10.77.0.3) shares with a token, the
recipient (10.77.0.4) opens pages, the outside host (198.51.100.7) is refused.
"""

import secrets
import string

import pytest

from hosts import SCREENS, Browser, HeadlessRelay, http, refused_at_accept

#: A well-formed secret key that names no secret: the peer filter answers before any lookup.
SOME_KEY = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(50))


@pytest.fixture(scope="module")
def relay(office):
    with HeadlessRelay(office.relay) as running:
        assert running.url.startswith(f"http://{office.relay.address}:"), running.url
        yield running


def test_outside_host_is_refused_everywhere_the_office_is_served(office, relay):
    # The relay closes a connection from outside its networks at accept, before reading a byte.
    for path in ("/", f"/secret/{SOME_KEY}", "/api/v1/status"):
        outside = refused_at_accept(office.outside, "GET", relay.url + path)
        assert outside is None, f"outside GET {path}: {outside}"
        inside = http(office.recipient, "GET", relay.url + path)
        assert inside.status != 403, f"recipient GET {path} refused: {inside.body[:200]!r}"
    # Creating and revealing are refused as well, before any credentials are looked at.
    for path in ("/api/v1/share", f"/api/v1/secret/{SOME_KEY}"):
        refused = refused_at_accept(office.outside, "POST", relay.url + path, data={"secret": "x"})
        assert refused is None, f"outside POST {path}: {refused}"
    status = http(office.recipient, "GET", relay.url + "/api/v1/status")
    assert status.status == 200 and status.json().get("status") == "nominal", status


def test_landing_page_is_html_for_the_office_and_screenshotted(office, relay):
    landing = http(office.recipient, "GET", relay.url + "/")
    assert landing.status == 200, (
        f"GET / from the recipient host: {landing.status} {landing.content_type} {landing.body[:120]!r} "
        "(the landing page at / is not there yet: issue 12, item 4)")
    assert landing.content_type.startswith("text/html"), landing.content_type
    with Browser(office.recipient) as browser:
        for scheme in ("light", "dark"):
            for name, viewport in (("desktop", {"width": 1024, "height": 768}), ("phone", {"width": 390, "height": 844})):
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                try:
                    page = context.new_page()
                    response = page.goto(relay.url + "/")
                    assert response.status == 200
                    assert page.locator("h1").count() == 1, "the landing page has one heading"
                    page.screenshot(path=str(SCREENS / f"landing-{name}-{scheme}.png"), full_page=True)
                finally:
                    context.close()


def test_tokens_from_the_command_line_against_a_relay_running_as_another_user(office, relay):
    assert relay.owner_of_process() == "nobody", "the relay runs as nobody, the administrator is root"
    created = relay.admin("token", "create", "front-desk")
    assert created.returncode == 0, (
        f"`hushlink-relay token create` failed ({created.returncode}): {created.stderr.strip()[:400]} "
        "(the token commands are issue 12, item 3)")
    token = created.stdout.strip().splitlines()[-1].strip()
    assert token and " " not in token, f"the token alone on the last line: {created.stdout!r}"

    listed = relay.admin("token", "list")
    assert listed.returncode == 0, listed.stderr
    assert "front-desk" in listed.stdout, listed.stdout
    assert token not in listed.stdout, "a listing never shows a token"

    shared = http(office.colleague, "POST", relay.url + "/api/v1/share", data={"secret": "printer PIN 4711"},
                  auth=("front-desk", token))
    assert shared.status == 200, f"share with the new token: {shared.status} {shared.body[:200]!r}"
    assert shared.json().get("custid") == "front-desk", shared.json()

    # The admin socket is for the relay's owner and root: a third user is refused.
    stranger = relay.admin("token", "revoke", "front-desk", as_user="daemon")
    assert stranger.returncode != 0, f"another user revoked a token: {stranger.stdout!r}"
    still = http(office.colleague, "POST", relay.url + "/api/v1/share", data={"secret": "printer PIN 4711"},
                 auth=("front-desk", token))
    assert still.status == 200, f"the token still works after a refused revoke: {still.status}"

    revoked = relay.admin("token", "revoke", "front-desk")
    assert revoked.returncode == 0, revoked.stderr
    # The very next request: no cache may outlive the revocation.
    refused = http(office.colleague, "POST", relay.url + "/api/v1/share", data={"secret": "printer PIN 4711"},
                   auth=("front-desk", token))
    assert refused.headers.get("x-ots-intended-status") == "401", (refused.status, refused.headers, refused.body)
    assert refused.json().get("message") == "Not authorized", refused.body
    assert relay.proc.poll() is None, "the relay kept running through the administration"
