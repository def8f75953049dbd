//! Copying links and secrets to the clipboard, and clearing them again after a delay.
//!
//! Every copy is marked as a secret for clipboard managers (on Linux the
//! `x-kde-passwordManagerHint` target set to `secret`, which KDE's Klipper and GNOME's
//! managers honour; the macOS and Windows equivalents likewise), so it stays out of their
//! history. The clear never clobbers something the user copied since: it compares a SHA-256
//! digest of what we copied with the clipboard's current content, and only then empties it.
//! Only the digest is kept in memory while the timer runs, not the text. A clear still
//! pending when the app quits runs at once ([`clear_pending`]), so quitting never leaves a
//! secret behind on the clipboard.

use std::sync::Mutex;
use std::time::Duration;

use hushlink_protocol::SecretText;
use sha2::{Digest, Sha256};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// Clipboard errors, as the plugin reports them.
pub type Error = tauri_plugin_clipboard_manager::Error;

/// What this module needs of a clipboard: the app's (through the plugin), or a test's.
pub trait Board: Clone + Send + Sync + 'static {
    /// Writes `text` with the "keep out of clipboard history" hints.
    fn write_secret(&self, text: &str) -> Result<(), Error>;
    /// The text the clipboard holds now.
    fn read_text(&self) -> Result<String, Error>;
    /// Empties the clipboard.
    fn clear(&self) -> Result<(), Error>;
}

impl<R: Runtime> Board for AppHandle<R> {
    fn write_secret(&self, text: &str) -> Result<(), Error> {
        self.clipboard().write_secret(text)
    }
    fn read_text(&self) -> Result<String, Error> {
        self.clipboard().read_text()
    }
    fn clear(&self) -> Result<(), Error> {
        self.clipboard().clear()
    }
}

/// A clear waiting for its time: what was copied (as a digest) and the timer.
struct Pending {
    copied: [u8; 32],
    timer: Option<JoinHandle<()>>,
}

/// The pending clear, if any. A new copy replaces (aborts) the previous timer.
#[derive(Default)]
pub struct ClipboardState {
    pending: Mutex<Option<Pending>>,
}

impl ClipboardState {
    fn take(&self) -> Option<Pending> {
        // Nothing awaits under this lock (std Mutex is right here).
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}

/// The auto-clear delay the settings ask for (`clipboard_clear_secs`; 0 = never clear).
pub fn clear_delay(settings: &hushlink_tracker::Settings) -> Option<Duration> {
    match settings.clipboard_clear_secs {
        0 => None,
        secs => Some(Duration::from_secs(u64::from(secs))),
    }
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Copies `text`; with `clear_after`, empties the clipboard then if it still holds `text`.
pub fn copy<R: Runtime>(
    app: &AppHandle<R>,
    text: &str,
    clear_after: Option<Duration>,
) -> Result<(), Error> {
    copy_on(app, &app.state::<ClipboardState>(), text, clear_after)
}

/// Runs the clear still pending, now (when the app quits): the clipboard is emptied if it
/// still holds what Hushlink copied. Call it before the clipboard plugin shuts down, i.e. on
/// `RunEvent::ExitRequested` (plugins see `RunEvent::Exit` before the app does).
pub fn clear_pending<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<ClipboardState>() {
        flush(app, &state);
    }
}

/// [`copy`] on any [`Board`].
pub fn copy_on<B: Board>(
    board: &B,
    state: &ClipboardState,
    text: &str,
    clear_after: Option<Duration>,
) -> Result<(), Error> {
    board.write_secret(text)?;
    let mut pending = state
        .pending
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(previous) = pending.take().and_then(|p| p.timer) {
        previous.abort();
    }
    if let Some(delay) = clear_after {
        let copied = digest(text);
        let timer_board = board.clone();
        let timer = tauri::async_runtime::spawn(async move {
            tokio::time::sleep(delay).await;
            clear_if_unchanged(&timer_board, &copied);
        });
        *pending = Some(Pending {
            copied,
            timer: Some(timer),
        });
    }
    Ok(())
}

/// [`clear_pending`] on any [`Board`].
pub fn flush<B: Board>(board: &B, state: &ClipboardState) {
    if let Some(pending) = state.take() {
        if let Some(timer) = pending.timer {
            timer.abort();
        }
        clear_if_unchanged(board, &pending.copied);
    }
}

fn clear_if_unchanged<B: Board>(board: &B, copied: &[u8; 32]) {
    // What the clipboard holds now may be a secret (ours, or one copied since): wrapped so
    // it is zeroized when dropped, like every other copy of secret text here.
    match board.read_text().map(SecretText::new) {
        Ok(current) if digest(current.expose()) == *copied => {
            if let Err(error) = board.clear() {
                tracing::warn!(%error, "could not clear the clipboard");
            } else {
                tracing::info!("cleared the clipboard");
            }
        }
        Ok(_) => tracing::debug!("clipboard changed since the copy; leaving it alone"),
        Err(error) => tracing::debug!(%error, "clipboard unreadable; leaving it alone"),
    }
}

#[cfg(test)]
#[path = "clipboard_tests.rs"]
mod tests;
