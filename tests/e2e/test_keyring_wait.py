"""Start-up does not wait for the keyring: the window renders while gnome-keyring prompts.

The tracker's list is encrypted with a data key kept in the Secret Service. With a locked login
keyring (a desktop that logged in without unlocking it), reading that key makes gnome-keyring
show its password prompt, and the read waits until someone answers. The window must come up
regardless, say why the list is not there yet, and load it once the keyring is unlocked.
"""

import time

from desktop import KEYRING_PASSWORD, ROOT, Desktop, wait_for
from webdriver import Session

APP = ROOT / "target" / "debug" / "hushlink-app"
SCREENS = ROOT / "target" / "e2e" / "screens"
WAITING = '[data-testid="tracker-waiting"]'


def test_window_renders_while_the_keyring_prompts_then_the_list_opens():
    assert APP.exists(), f"build the app first: {APP} is missing"
    with Desktop(keyring="locked") as desktop:
        launched = time.monotonic()
        session = Session(desktop, APP)
        try:
            # Before the fix the first frame waited for the prompt's answer: this timed out.
            wait_for(lambda: "ui ready" in desktop.log("webdriver"), 5, "the UI to render while the keyring asks")
            print(f"\nUI rendered {time.monotonic() - launched:.2f}s after launch, keyring still locked")
            text = session.wait_text(WAITING, "Waiting for your keyring to unlock", timeout=5)
            assert "system keyring" in text, f"the notice says why it waits: {text!r}"

            # The prompt is real and still unanswered (so the window did not just get lucky).
            wait_for(desktop.keyring_prompt, 20, "gnome-keyring's password prompt")
            assert session.invoke("tracker_phase") == {"phase": "starting"}
            assert "tracker ready" not in desktop.log("webdriver")
            session.screenshot(SCREENS / "keyring-waiting.png")

            # A screen that needs the list waits instead of failing.
            session.click('[data-testid="nav-secrets"]')
            assert not session.find_all('[data-testid="secret-row"]')

            desktop.answer_keyring_prompt(KEYRING_PASSWORD)
            wait_for(lambda: "tracker ready" in desktop.log("webdriver"), 20, "the tracker to open")
            wait_for(lambda: not session.find_all(WAITING), 10, "the waiting notice to go")
            assert session.invoke("tracker_phase") == {"phase": "ready"}
            # The key came from the unlocked keyring: the list is kept on disk, not in memory.
            assert "no keyring" not in desktop.log("webdriver"), desktop.log("webdriver")
            assert "defaultExpiryMs" in session.invoke("get_settings")
        except Exception:
            session.screenshot(SCREENS / "keyring-failure.png")
            print(desktop.log("webdriver")[-4000:])
            raise
        finally:
            session.close()
