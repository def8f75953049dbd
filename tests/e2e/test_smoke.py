"""Smoke test of the real desktop app: it renders its UI, registers a tray menu, and Quit works."""

from desktop import ROOT, Desktop, TrayMenu, wait_for

APP = ROOT / "target" / "debug" / "hushlink-app"
ARTIFACTS = ROOT / "target" / "e2e"


def test_app_renders_registers_tray_and_quits_from_it():
    assert APP.exists(), f"build the app first: {APP} is missing"
    # An unlocked keyring, as in a logged-in desktop session (test_keyring_wait.py covers a
    # keyring that prompts).
    with Desktop(keyring=True) as desktop:
        app = desktop.spawn([str(APP)], "app")

        # The UI reports over IPC after its first screen rendered; a broken page never does.
        try:
            wait_for(lambda: "ui ready" in desktop.log("app") or app.poll() is not None, 60,
                     "the UI to render (\"ui ready\" in the app log)")
        except TimeoutError:
            desktop.screenshot(ARTIFACTS / "smoke-failure.png")
            print(desktop.log("app"))
            raise
        assert app.poll() is None, f"the app exited early:\n{desktop.log('app')}"
        assert 'heading=Hushlink' in desktop.log("app"), desktop.log("app")

        items = wait_for(desktop.registered_tray_items, 30, "the tray icon to register")
        tray = TrayMenu(desktop, items[0])
        props = tray.properties()
        assert props["Status"] in ("Active", "NeedsAttention"), props
        assert props.get("Title") == "Hushlink" or props.get("Id"), props
        menu = tray.items()
        assert "Open Hushlink" in menu and "Quit" in menu, f"tray menu is missing items: {menu}"

        desktop.screenshot_when_painted(ARTIFACTS / "smoke.png")

        tray.click(menu["Quit"])
        code = app.wait(timeout=20)
        assert code == 0, f"Quit should end the app cleanly, got exit {code}:\n{desktop.log('app')}"
