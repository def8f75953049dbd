//! The one event channel from the shell to the UI, which the shell's own followers hear too.
//!
//! Every [`AppEvent`] goes out through [`emit`]: to the UI under [`EVENT_NAME`] (it subscribes
//! once, in its backend module), and to the [`EventHub`], which the tray follows instead of
//! being called. Library events become `AppEvent`s in [`crate::translate`]; the shell's own
//! happenings (a relay switch, a window brought forward) are emitted where they happen.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast;
use ts_rs::TS;

/// Name of the Tauri event that carries every [`AppEvent`].
pub const EVENT_NAME: &str = "hushlink://event";

/// How far a follower may fall behind before it misses events (and re-reads what it shows):
/// the tray rebuilds a small menu per event, so it keeps up with far fewer.
const FOLLOWER_BACKLOG: usize = 64;

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

/// What the shell's followers hear.
#[derive(Debug, Clone)]
pub enum Followed {
    /// An event, as the UI gets it.
    Event(AppEvent),
    /// Some library events were lost before they became [`AppEvent`]s (a lagging channel):
    /// re-read whatever is shown from its source.
    Missed,
}

/// The shell's side of the channel. Managed before anything emits; followers
/// [`EventHub::subscribe`] to it.
pub struct EventHub(broadcast::Sender<Followed>);

impl EventHub {
    /// A hub nobody follows yet.
    pub fn new() -> Self {
        Self(broadcast::Sender::new(FOLLOWER_BACKLOG))
    }

    /// Everything emitted from now on. A receiver that falls more than the backlog behind gets
    /// `Lagged`, and should treat it as [`Followed::Missed`].
    pub fn subscribe(&self) -> broadcast::Receiver<Followed> {
        self.0.subscribe()
    }

    fn send(&self, followed: Followed) {
        // An error only means nobody follows yet.
        let _ = self.0.send(followed);
    }
}

impl Default for EventHub {
    fn default() -> Self {
        Self::new()
    }
}

/// Emits an event to the shell's followers and to every window; a failure is logged, never
/// fatal.
pub fn emit(app: &AppHandle, event: AppEvent) {
    if let Some(hub) = app.try_state::<EventHub>() {
        hub.send(Followed::Event(event.clone()));
    }
    if let Err(error) = app.emit(EVENT_NAME, &event) {
        tracing::warn!(%error, "could not emit an event to the UI");
    }
}

/// Tells the shell's followers that library events were lost (see [`Followed::Missed`]).
pub fn missed(app: &AppHandle) {
    if let Some(hub) = app.try_state::<EventHub>() {
        hub.send(Followed::Missed);
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

    #[test]
    fn followers_hear_what_is_sent_in_order() {
        let hub = EventHub::new();
        let mut follower = hub.subscribe();
        hub.send(Followed::Event(AppEvent::TrackerReady));
        hub.send(Followed::Missed);
        assert!(matches!(
            follower.try_recv(),
            Ok(Followed::Event(AppEvent::TrackerReady))
        ));
        assert!(matches!(follower.try_recv(), Ok(Followed::Missed)));
        assert!(follower.try_recv().is_err(), "nothing else was sent");
    }
}
