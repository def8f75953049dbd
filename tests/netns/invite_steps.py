"""What a person does in the apps' screens to invite a colleague and join a relay, and what
the invite tests read back (keyring, files, a process's output), for test_colleague_invite.py.

Every step fails with what is missing (a test id, a screen) rather than waiting silently.
"""

from __future__ import annotations

import threading
from pathlib import Path

from desktop import wait_for
from hosts import SCREENS, HostDesktop, HostSession


def hexpin(text: str) -> str:
    """A fingerprint as 64 lower-case hex digits, whichever way it was written."""
    return text.replace(":", "").strip().lower()


def problem(session: HostSession) -> str:
    """`code: words` of the error notice on screen, if any."""
    return session.execute(
        "const p = document.querySelector('[role=\"alert\"][data-code]');"
        "return p ? `${p.dataset.code}: ${p.textContent.trim()}` : '';")


def click_button(session: HostSession, words: str) -> None:
    """Clicks the button labelled `words` (buttons without a test id, as a person finds them)."""
    clicked = session.execute(
        "const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === arguments[0]);"
        "if (b) b.click(); return !!b;", words)
    assert clicked, f"no button {words!r} on screen"


def scroll_to(session: HostSession, css: str) -> None:
    """Brings `css` into the middle of the window, so a screenshot shows what it is of."""
    session.execute("const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'center'});", css)


def shoot(session: HostSession, name: str, subject: str) -> None:
    scroll_to(session, subject)
    session.screenshot(SCREENS / f"{name}.png")


def shoot_themes(session: HostSession, name: str, subject: str) -> None:
    scroll_to(session, subject)
    for theme in ("light", "dark"):
        session.execute(f"document.documentElement.dataset.theme = '{theme}';")
        session.screenshot(SCREENS / f"{name}-{theme}.png")
    session.execute("delete document.documentElement.dataset.theme;")


def make_invite(session: HostSession, name: str) -> str:
    """Creates an invite in the relay panel, as its owner would, and reads the link shown."""
    session.click('[data-testid="nav-relay"]')
    try:
        session.find('[data-testid="invite-name"]')
    except TimeoutError:
        raise AssertionError("the relay panel has no 'Invite a colleague' form (invite-name)") from None
    session.type('[data-testid="invite-name"]', name)
    session.click('[data-testid="invite-create"]')
    # The card of an earlier invite may still be on screen: wait for this one's.
    fresh = f"Invite for {name}."

    def shown():
        cards = session.find_all('[data-testid="invite-fresh"]')
        return problem(session) or (cards and fresh in session._session("GET", f"/element/{cards[0]}/text"))

    found = wait_for(shown, 20, f"the invite link for {name!r} (or an error)")
    assert found is True, f"creating an invite for {name!r} failed: {found}"
    link = session.text('[data-testid="invite-link"]').strip()
    assert "/invite/" in link and "#" in link, f"an invite link with a key fragment: {link!r}"
    return link


def open_add_server(session: HostSession) -> None:
    session.click('[data-testid="nav-settings"]')
    if not session.find_all('[data-testid="add-server"]'):
        click_button(session, "Add a server")
    try:
        session.find('[data-testid="invite-paste"]')
    except TimeoutError:
        raise AssertionError("Settings → Add a server has no 'Paste an invite' field (invite-paste)") from None


def import_invite(session: HostSession, link: str, shots: str = "") -> str:
    """Pastes `link` into Add a server and imports it; '' on success, else `code: words`."""
    open_add_server(session)
    session.type('[data-testid="invite-paste"]', link)
    if shots:
        shoot_themes(session, shots, '[data-testid="invite-import"]')
    session.click('[data-testid="invite-import"]')
    done = wait_for(lambda: session.find_all('[data-testid="invite-imported"]') or problem(session), 30,
                    "the import to finish (or fail)")
    return done if isinstance(done, str) else ""


def create_secret(session: HostSession, profile_id: str, secret: str, label: str) -> str:
    """Creates a secret from the New secret screen on `profile_id`; the link, or `code: words`."""
    session.click('[data-testid="nav-newSecret"]')
    try:
        session.find(f'#profile option[value="{profile_id}"]', timeout=15)
    except TimeoutError:
        raise AssertionError(f"New secret does not offer the profile {profile_id!r}") from None
    session.type("#secret-text", secret)
    session.open_more_options()
    session.type("#label", label)
    session.execute("const s = document.getElementById('profile');"
                    "s.value = arguments[0]; s.dispatchEvent(new Event('change', {bubbles: true}));", profile_id)
    session.click('[data-testid="create"]')
    found = wait_for(lambda: problem(session) or session.find_all('[data-testid="share-link"]'), 30,
                     "the link (or an error)")
    if isinstance(found, str):
        return found
    return session.execute("return document.querySelector('[data-testid=\"share-link\"]').value;")


def keyring_token(desktop: HostDesktop, profile_id: str) -> str:
    """The token the app keeps for `profile_id`, read from its Secret Service as any program of
    the session could (keyring's secret-service entries: service and username attributes)."""
    done = desktop.run(["secret-tool", "lookup", "service", "hushlink", "username", f"token:{profile_id}"],
                       capture_output=True, text=True, timeout=20)
    return done.stdout.strip()


def read_line(stream, timeout: float) -> str:
    """The next line of a process's output, or '' after `timeout` (a relay that never prints
    it fails the test instead of hanging it; the reader ends when the process does)."""
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return box[0].strip() if box else ""


def files_holding(root: Path, needle: bytes) -> list[str]:
    """Files under `root` whose bytes contain `needle` (the document portal's FUSE mount and
    sockets are left alone)."""
    found = []
    for path in root.rglob("*"):
        try:
            if path.is_symlink() or not path.is_file() or "doc" in path.relative_to(root).parts[:2]:
                continue
            if needle in path.read_bytes():
                found.append(str(path.relative_to(root)))
        except OSError:
            continue
    return found


def wait_listed(session: HostSession, address: str, what: str) -> None:
    """Waits until Add a server lists the relay at `address` (pressing Look again between
    searches: announcements can arrive after a look); fails with what the list shows."""
    ours = f'[data-testid="found-relay"][data-address="{address}"]'

    def listed():
        if session.find_all('[data-testid="found-relays-searching"]'):
            return None
        if session.find_all(ours):
            return True
        session.click('[data-testid="find-relays"]')
        return None

    try:
        wait_for(listed, 30, f"{what} in Add a server's list", interval=0.5)
    except TimeoutError:
        shown = session.execute("const l = document.querySelector('[data-testid=\"add-server\"]');"
                                "return l ? l.innerText : '';")
        raise AssertionError(f"the colleague's app did not list {what} at {address}, found by mDNS: "
                             f"{shown[-600:]!r}") from None
