//! The one event channel from the shell to the UI.
//!
//! Library events (tracker transitions, relay state) are translated into [`AppEvent`] here and
//! nowhere else, then emitted under [`EVENT_NAME`]. The UI subscribes once, in its backend module.

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

/// Name of the Tauri event that carries every [`AppEvent`].
pub const EVENT_NAME: &str = "hushlink://event";

/// Something the UI should react to. Serialized with a `type` tag.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
#[ts(export)]
#[non_exhaustive]
pub enum AppEvent {
    /// The window was brought to the front from outside the UI.
    #[serde(rename_all = "camelCase")]
    WindowShown {
        /// What brought it: `"tray"` or `"second-launch"`.
        source: String,
    },
    /// Show a screen (the tray's "New secret…" and recent secrets ask for one).
    #[serde(rename_all = "camelCase")]
    Navigate {
        /// Which screen.
        screen: Screen,
        /// A tracked secret to open there (the tray's recent items), if any.
        entry_id: Option<String>,
    },
    /// The relay was switched on or off (from the panel or the tray).
    #[serde(rename_all = "camelCase")]
    RelayChanged {
        /// The panel as it is now.
        status: crate::relay::RelayPanelStatus,
    },
    /// The relay committed a line to its access log (never any content).
    #[serde(rename_all = "camelCase")]
    AccessLogged {
        /// The line.
        entry: hushlink_relay::AccessLogEntry,
    },
    /// A tracked secret was created or changed state.
    #[serde(rename_all = "camelCase")]
    SecretChanged {
        /// The entry as it is now.
        entry: hushlink_tracker::Entry,
    },
    /// A tracked secret was removed from the list.
    #[serde(rename_all = "camelCase")]
    SecretForgotten {
        /// Its local id.
        id: String,
    },
    /// The list of secrets is open (it opens after the window, once the keyring answers):
    /// commands that were waiting have their answers, and the UI can stop saying it waits.
    TrackerReady,
    /// The list of secrets could not be opened; commands that need it fail with `error`.
    #[serde(rename_all = "camelCase")]
    TrackerFailed {
        /// Why, with a stable code.
        error: crate::error::CommandError,
    },
}

/// The UI's top-level screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Screen {
    /// Create a secret.
    NewSecret,
    /// The tracked list.
    Secrets,
    /// Open a secret someone sent.
    Open,
    /// The relay panel.
    Relay,
    /// The history log.
    History,
    /// Settings and server profiles.
    Settings,
}

/// Emits an event to every window; a failure is logged, never fatal.
pub fn emit(app: &AppHandle, event: AppEvent) {
    if let Err(error) = app.emit(EVENT_NAME, &event) {
        tracing::warn!(%error, "could not emit an event to the UI");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_a_type_tag() {
        let json = serde_json::to_value(AppEvent::WindowShown {
            source: "tray".into(),
        })
        .expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"type": "windowShown", "source": "tray"}),
            "the UI switches on `type`"
        );
        assert_eq!(
            serde_json::to_value(AppEvent::TrackerReady).expect("serializes"),
            serde_json::json!({"type": "trackerReady"}),
        );
    }
}
