//! Copying links and secrets to the clipboard, and clearing them again after a delay.
//!
//! The clear never clobbers something the user copied since: it compares a SHA-256 digest of
//! what we copied with the clipboard's current content, and only then empties it. Only the
//! digest is kept in memory while the timer runs, not the text.

use std::sync::Mutex;
use std::time::Duration;

use hushlink_protocol::SecretText;
use sha2::{Digest, Sha256};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// The pending clear, if any. A new copy replaces (aborts) the previous timer.
#[derive(Default)]
pub struct ClipboardState {
    pending: Mutex<Option<JoinHandle<()>>>,
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
) -> Result<(), tauri_plugin_clipboard_manager::Error> {
    app.clipboard().write_text(text)?;
    let state = app.state::<ClipboardState>();
    // Nothing awaits under this lock (std Mutex is right here).
    let mut pending = state
        .pending
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(previous) = pending.take() {
        previous.abort();
    }
    if let Some(delay) = clear_after {
        let copied = digest(text);
        let app = app.clone();
        *pending = Some(tauri::async_runtime::spawn(async move {
            tokio::time::sleep(delay).await;
            clear_if_unchanged(&app, &copied);
        }));
    }
    Ok(())
}

fn clear_if_unchanged<R: Runtime>(app: &AppHandle<R>, copied: &[u8; 32]) {
    // What the clipboard holds now may be a secret (ours, or one copied since): wrapped so
    // it is zeroized when dropped, like every other copy of secret text here.
    match app.clipboard().read_text().map(SecretText::new) {
        Ok(current) if digest(current.expose()) == *copied => {
            if let Err(error) = app.clipboard().clear() {
                tracing::warn!(%error, "could not clear the clipboard");
            } else {
                tracing::info!("cleared the clipboard");
            }
        }
        Ok(_) => tracing::debug!("clipboard changed since the copy; leaving it alone"),
        Err(error) => tracing::debug!(%error, "clipboard unreadable; leaving it alone"),
    }
}
