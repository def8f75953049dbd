use std::sync::{Arc, Mutex};

use super::*;

/// A clipboard in memory that remembers whether the last write carried the history hints.
#[derive(Clone, Default)]
struct FakeBoard(Arc<Mutex<FakeContent>>);

#[derive(Default)]
struct FakeContent {
    text: Option<String>,
    marked_secret: bool,
}

impl FakeBoard {
    fn holds(&self) -> Option<String> {
        self.0.lock().expect("fake board").text.clone()
    }
    /// The user copies something themselves (no hints).
    fn user_copies(&self, text: &str) {
        let mut content = self.0.lock().expect("fake board");
        content.text = Some(text.to_owned());
        content.marked_secret = false;
    }
}

impl Board for FakeBoard {
    fn write_secret(&self, text: &str) -> Result<(), Error> {
        let mut content = self.0.lock().expect("fake board");
        content.text = Some(text.to_owned());
        content.marked_secret = true;
        Ok(())
    }
    fn read_text(&self) -> Result<String, Error> {
        self.holds()
            .ok_or_else(|| Error::Clipboard("empty".to_owned()))
    }
    fn clear(&self) -> Result<(), Error> {
        self.0.lock().expect("fake board").text = None;
        Ok(())
    }
}

#[test]
fn copies_ask_clipboard_managers_to_keep_them_out_of_history() {
    let board = FakeBoard::default();
    copy_on(&board, &ClipboardState::default(), "s3cret", None).expect("copied");
    assert_eq!(board.holds().as_deref(), Some("s3cret"));
    assert!(board.0.lock().expect("fake board").marked_secret);
}

#[test]
fn the_clear_defaults_to_two_minutes_and_can_be_off() {
    let defaults = hushlink_tracker::Settings::default();
    assert_eq!(clear_delay(&defaults), Some(Duration::from_secs(120)));
    let off = hushlink_tracker::Settings {
        clipboard_clear_secs: 0,
        ..defaults
    };
    assert_eq!(clear_delay(&off), None);
}

#[tokio::test]
async fn the_timer_clears_what_it_copied() {
    let board = FakeBoard::default();
    let state = ClipboardState::default();
    copy_on(&board, &state, "s3cret", Some(Duration::from_millis(10))).expect("copied");
    let timer = state
        .take()
        .and_then(|p| p.timer)
        .expect("a clear is pending");
    timer.await.expect("the timer ran");
    assert_eq!(board.holds(), None, "cleared once the delay passed");
}

#[test]
fn quitting_runs_the_pending_clear_but_spares_the_users_own_copy() {
    let board = FakeBoard::default();
    let state = ClipboardState::default();
    copy_on(&board, &state, "s3cret", Some(Duration::from_secs(3600))).expect("copied");
    flush(&board, &state);
    assert_eq!(board.holds(), None, "the pending clear ran at quit");

    copy_on(&board, &state, "s3cret", Some(Duration::from_secs(3600))).expect("copied");
    board.user_copies("my own notes");
    flush(&board, &state);
    assert_eq!(board.holds().as_deref(), Some("my own notes"));

    // Nothing pending (auto-clear off): quitting leaves the clipboard alone.
    copy_on(&board, &state, "link", None).expect("copied");
    flush(&board, &state);
    assert_eq!(board.holds().as_deref(), Some("link"));
}

/// The app's own clipboard path on a real X11 clipboard (`scripts/test` runs the Rust tests
/// under `xvfb-run`; without a display, as the notification test, it says it skipped):
/// the copy offers the `x-kde-passwordManagerHint` target set to `secret`, and quitting clears
/// it. Read back with `xclip`, as a clipboard manager would.
#[test]
fn on_x11_copies_carry_the_password_manager_hint_and_quitting_clears_them() {
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("skipped: needs an X display (run under xvfb-run, as scripts/test does)");
        return;
    }
    let app = tauri::test::mock_builder()
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(ClipboardState::default())
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("mock app");
    let handle = app.handle().clone();
    copy(&handle, "s3cret-xvfb", Some(Duration::from_secs(3600))).expect("copied");

    let xclip = |target: &str| {
        let out = std::process::Command::new("xclip")
            .args(["-selection", "clipboard", "-o", "-t", target])
            .output()
            .expect("xclip runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let targets = xclip("TARGETS");
    assert!(
        targets.lines().any(|t| t == "x-kde-passwordManagerHint"),
        "offered targets: {targets}"
    );
    assert_eq!(xclip("x-kde-passwordManagerHint"), "secret");
    assert_eq!(xclip("UTF8_STRING"), "s3cret-xvfb");

    clear_pending(&handle);
    assert_ne!(xclip("UTF8_STRING"), "s3cret-xvfb", "quitting cleared it");
}
