//! The main window: closing hides it to the tray; the tray, a second launch and a clicked
//! notification bring it back.

use tauri::{AppHandle, Manager, WebviewWindow, WindowEvent};

use crate::events::{self, AppEvent, Screen};

/// Label of the one window, as declared in `tauri.conf.json`.
pub const MAIN: &str = "main";

/// Shows, unminimizes and focuses the main window.
pub fn show_main(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN) else {
        tracing::warn!("main window is missing");
        return;
    };
    // Each step can fail on some window managers; the others are still worth trying.
    for result in [window.show(), window.unminimize(), window.set_focus()] {
        if let Err(error) = result {
            tracing::debug!(%error, "window operation failed");
        }
    }
}

/// Brings the window forward on `screen`, with a tracked secret's detail open if `entry_id` is
/// given (the tray's items and clicked notifications).
pub fn show_screen(app: &AppHandle, screen: Screen, entry_id: Option<String>) {
    show_main(app);
    events::emit(app, AppEvent::Navigate { screen, entry_id });
}

/// Closing the window keeps Hushlink running in the tray, so tracking and the relay go on.
pub fn hide_on_close(window: &WebviewWindow) {
    let handle = window.clone();
    window.on_window_event(move |event| {
        if let WindowEvent::CloseRequested { api, .. } = event {
            api.prevent_close();
            if let Err(error) = handle.hide() {
                tracing::warn!(%error, "could not hide the window");
            }
        }
    });
}
