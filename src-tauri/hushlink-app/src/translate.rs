//! The one place library events become [`AppEvent`]s: the tracker's changes to the list of
//! secrets, and the relay's access-log lines.
//!
//! Each is forwarded as it comes through [`events::emit`], so the UI and the shell's followers
//! (the tray) hear the same thing. Desktop notifications are not raised here: the tracker
//! raises them itself, by its own rules (`hushlink_tracker::notify`).

use hushlink_relay::AccessLogEntry;
use hushlink_tracker::{Tracker, TrackerEvent};
use tauri::async_runtime::JoinHandle;
use tauri::AppHandle;
use tokio::sync::broadcast::error::RecvError;

use crate::events::{self, AppEvent};
use crate::relay::LogSink;

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

/// Where the relay switch sends its access-log lines: to the UI's live log, as events.
pub fn access_log(app: &AppHandle) -> LogSink {
    let app = app.clone();
    std::sync::Arc::new(move |entry| events::emit(&app, access_logged(entry)))
}

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
