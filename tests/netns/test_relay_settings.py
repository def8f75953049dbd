"""The relay's settings on the office network: they survive a restart, and a busy port is
reported instead of silently changed.

One desktop on the relay host, one set of XDG dirs; the app is quit from the tray and started
again, as a person would after a reboot.
"""

import socket

from desktop import wait_for
from hosts import SCREENS, HostDesktop, http, quit_from_tray, start_app

BUSY_CODE = "relay_port_busy"


def panel_problem(session) -> str:
    return session.execute(
        "const p = document.querySelector('[role=\"alert\"][data-code]');"
        "return p ? p.dataset.code : '';")


def test_relay_comes_back_after_a_restart_and_a_busy_port_is_reported(office):
    address = office.relay.address
    with HostDesktop(office.relay, keyring=True) as desktop:
        # Switched on once, from the Relay screen, with the default interface.
        session = start_app(desktop)
        session.click('[data-testid="nav-relay"]')
        session.find("#relay-iface")
        session.click('[data-testid="relay-switch"]')
        session.find('[data-testid="relay-url"]', timeout=20)
        first = session.invoke("relay_status")
        assert first["running"] and first["bind"] == address, first
        quit_from_tray(desktop, session)

        # Started again: on, on the same address and port, without a click.
        session = start_app(desktop)
        try:
            again = wait_for(lambda: (s := session.invoke("relay_status"))["running"] and s, 20,
                             "the relay to come back on by itself")
        except TimeoutError:
            raise AssertionError(f"the relay stayed off after a restart: {session.invoke('relay_status')}") from None
        assert (again["bind"], again["port"]) == (address, first["port"]), (first, again)
        assert http(office.recipient, "GET", f"http://{address}:{first['port']}/api/v1/status").status == 200
        quit_from_tray(desktop, session)

        # Its port taken by another program while the app was away: reported, not moved.
        with office.on(office.relay):
            squatter = socket.create_server((address, first["port"]))
        with squatter:
            session = start_app(desktop)
            session.click('[data-testid="nav-relay"]')
            status = None

            def reported():
                nonlocal status
                status = session.invoke("relay_status")
                problem = status.get("problem") or {}
                return problem.get("code") == BUSY_CODE and session.find_all('[data-testid="relay-port-busy"]')

            try:
                wait_for(reported, 20, f"the panel to report {BUSY_CODE}")
            except TimeoutError:
                raise AssertionError(f"a busy port was not reported as {BUSY_CODE}: panel "
                                     f"{panel_problem(session)!r}, status {status}") from None
            assert not status["running"], f"the relay moved to another port by itself: {status}"
            assert status["problem"]["port"] == first["port"], status["problem"]
            free = status["problem"]["freePort"]
            assert free and free != first["port"], f"a free port to offer: {status['problem']}"
            assert panel_problem(session) == BUSY_CODE
            offer = '[data-testid="relay-port-busy"] button'
            assert str(free) in session.text(offer), "the first choice is the free port"
            session.screenshot(SCREENS / "relay-port-busy.png")
            # The person's choice, not the app's: the relay comes on at the port offered.
            session.click(offer)
            moved = wait_for(lambda: (s := session.invoke("relay_status"))["running"] and s, 20,
                             "the relay to come on at the port offered")
            assert (moved["bind"], moved["port"]) == (address, free), moved
            quit_from_tray(desktop, session)
