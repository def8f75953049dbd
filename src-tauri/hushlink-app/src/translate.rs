//! The one place library events become [`AppEvent`]s: the tracker's changes to the list of
//! secrets, and the relay's access-log lines.
//!
//! Each is forwarded as it comes through [`events::emit`], so the UI and the shell's followers
//! (the tray) hear the same thing. Desktop notifications are not raised here: the tracker
//! raises them itself, by its own rules (`hushlink_tracker::notify`).
//!
//! The relay's lines also tell the tracker when one of the app's own secrets may have ended
//! ([`relay_line_to_tracker`]): it checks them at once, so a secret on this computer's relay
//! turns "Opened" the moment it is revealed, not at the next poll.

use hushlink_relay::{AccessAction, AccessLogEntry};
use hushlink_tracker::profiles::LOCAL_RELAY_ID;
use hushlink_tracker::{Tracker, TrackerEvent};
use tauri::async_runtime::JoinHandle;
use tauri::AppHandle;
use tokio::sync::broadcast::error::RecvError;

use crate::events::{self, AppEvent};

/// Library event → UI event. `None` for events the UI does not act on.
pub fn tracker_event(event: TrackerEvent) -> Option<AppEvent> {
    match event {
        TrackerEvent::EntryAdded { entry }
        | TrackerEvent::StateChanged { entry }
        | TrackerEvent::EntryUpdated { entry } => Some(AppEvent::SecretChanged { entry }),
        TrackerEvent::EntryForgotten { id } => Some(AppEvent::SecretForgotten { id }),
        _ => None,
    }
}

/// A committed access-log line → UI event.
pub fn access_logged(entry: AccessLogEntry) -> AppEvent {
    AppEvent::AccessLogged { entry }
}

/// Whether a relay log line may mean that a secret ended: opened, destroyed or expired.
pub fn may_end_a_secret(action: AccessAction) -> bool {
    matches!(
        action,
        AccessAction::Reveal | AccessAction::Burn | AccessAction::Expire
    )
}

/// Has the tracker check the app's own relay's secrets now when `line` may have ended one.
/// The line names no secret the tracker could look up (its `key_id` is a hash), so every
/// unread secret on that relay is checked: in process, one batch, no network.
pub fn relay_line_to_tracker(tracker: &Tracker, line: &AccessLogEntry) {
    // Secrets created with a colleague's token are theirs, not the app's.
    if may_end_a_secret(line.action) && line.token_name.is_none() {
        tracker.check_profile_now(LOCAL_RELAY_ID);
    }
}

/// Owns the task that forwards tracker events; aborts it when dropped with the app state.
pub struct EventForwarder(JoinHandle<()>);

impl Drop for EventForwarder {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts forwarding `tracker`'s events. Subscribed before it returns, so nothing done to the
/// tracker afterwards goes unheard.
pub fn forward_tracker(app: AppHandle, tracker: &Tracker) -> EventForwarder {
    let mut events = tracker.subscribe();
    EventForwarder(tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Some(ui_event) = tracker_event(event) {
                        events::emit(&app, ui_event);
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "UI fell behind the tracker's events");
                    events::missed(&app);
                }
                Err(RecvError::Closed) => break,
            }
        }
    }))
}

#[cfg(test)]
#[path = "translate_tests.rs"]
mod relay_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_changes_reach_the_ui_and_server_health_does_not() {
        assert_eq!(
            tracker_event(TrackerEvent::EntryForgotten { id: "e1".into() }),
            Some(AppEvent::SecretForgotten { id: "e1".into() }),
            "a forgotten secret leaves the UI's list"
        );
        assert_eq!(
            tracker_event(TrackerEvent::ServerRecovered {
                profile_id: "global".into()
            }),
            None,
            "the UI shows no server health events"
        );
    }
}
