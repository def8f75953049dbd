//! Desktop notifications, by one path: the tracker's [`Notifier`].
//!
//! The tracker raises "viewed" and "expired unread" itself, by its own rules (the global
//! setting, each secret's switch), and does so headless too (the CLI's `watch`): so the shell
//! never turns events into notifications. What the shell says on its own (the result of a
//! share from the tray, when there is no window to say it in) goes through the same notifier
//! as a [`Notice`], escaped and named the same way. [`Notices`] holds that notifier; the
//! tracker is given the same one when it opens.

use std::sync::Arc;

use hushlink_tracker::notify::Notice;
use hushlink_tracker::{DesktopNotifier, Notifier};
use tauri::AppHandle;

use crate::events::Screen;
use crate::window;

/// The app's notifier, managed as state.
pub struct Notices(Arc<dyn Notifier>);

impl Notices {
    /// Real desktop notifications; clicking one about a secret opens that secret's detail.
    pub fn desktop(app: &AppHandle) -> Self {
        let app = app.clone();
        Self(Arc::new(DesktopNotifier::new().on_open(move |entry_id| {
            window::show_screen(&app, Screen::Secrets, Some(entry_id.to_owned()));
        })))
    }

    /// The notifier, for the tracker's configuration.
    pub fn notifier(&self) -> Arc<dyn Notifier> {
        Arc::clone(&self.0)
    }

    /// Shows a notice from the app; a failure is logged (there is nowhere else to say it).
    pub async fn show(&self, summary: &str, body: &str) {
        let notifier = self.notifier();
        let notice = Notice::new(summary, body);
        // A D-Bus call: on the blocking pool, as the tracker does.
        let shown = tauri::async_runtime::spawn_blocking(move || notifier.notice(&notice)).await;
        match shown {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "desktop notification failed"),
            Err(error) => tracing::warn!(%error, "desktop notification task failed"),
        }
    }
}
