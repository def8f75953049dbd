"""The real app's Content-Security-Policy allows no inline style (issue 14, item 13): every
screen renders styled without a CSP violation, and style parsed from markup is refused (so
the policy is in force, not just written down in tauri.conf.json)."""

import json
import time

from desktop import ROOT, Desktop, wait_for
from webdriver import Session

APP = ROOT / "target" / "debug" / "hushlink-app"
SCREEN_IDS = ["newSecret", "secrets", "open", "relay", "history", "settings"]


def test_every_screen_renders_without_inline_style_and_inline_style_is_refused():
    assert APP.exists(), f"build the app first: {APP} is missing"
    with Desktop(keyring=True) as desktop:
        session = Session(desktop, APP)
        try:
            wait_for(lambda: "ui ready" in desktop.log("webdriver"), 60, "the UI to render")
            session.execute(
                "window.__violations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.violatedDirective + ' ' + (e.sample || '')));"
            )
            # Each screen mounts its components, whose templates are parsed now.
            for screen in SCREEN_IDS * 2:
                session.click(f'[data-testid="nav-{screen}"]')
            # Waiting for an absence cannot poll: violation events are queued as tasks, give
            # them a second to arrive.
            time.sleep(1.0)
            violations = session.execute("return window.__violations;")
            assert violations == [], f"CSP violations on the screens: {json.dumps(violations)}"
            sheets = session.execute("return document.styleSheets.length;")
            assert sheets >= 1, "the bundled stylesheet is applied"

            session.execute(
                "document.body.insertAdjacentHTML('beforeend',"
                " '<div id=\"csp-probe\" style=\"color: rgb(255, 0, 0)\">probe</div>');"
            )
            wait_for(lambda: session.execute("return window.__violations.length;") > 0, 5,
                     "the probe's style attribute to be reported as a CSP violation")
            color = session.execute(
                "return getComputedStyle(document.getElementById('csp-probe')).color;"
            )
            assert color != "rgb(255, 0, 0)", "and it was not applied"
        finally:
            session.close()
