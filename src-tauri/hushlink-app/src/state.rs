//! The one place tracker events become UI events, and what follows a relay switch.
//!
//! The tracker itself is managed as [`crate::startup::TrackerState`] (it opens in the
//! background, after the window is up).

use std::sync::Arc;

use hushlink_tracker::{ListFilter, Tracker, TrackerEvent};
use tauri::async_runtime::JoinHandle;
use tauri::AppHandle;

use crate::events::{self, AppEvent};
use crate::tray::{self, RecentItem};

/// Owns the task that forwards tracker events; aborts it when dropped with the app state.
pub struct EventForwarder(JoinHandle<()>);

impl Drop for EventForwarder {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Library event → UI event. `None` for events the UI does not act on.
pub fn translate(event: TrackerEvent) -> Option<AppEvent> {
    match event {
        TrackerEvent::EntryAdded { entry }
        | TrackerEvent::StateChanged { entry }
        | TrackerEvent::EntryUpdated { entry } => Some(AppEvent::SecretChanged { entry }),
        TrackerEvent::EntryForgotten { id } => Some(AppEvent::SecretForgotten { id }),
        _ => None,
    }
}

/// Starts forwarding tracker events to the UI and keeping the tray's recent list current.
pub fn forward_events(app: AppHandle, tracker: Arc<Tracker>) -> EventForwarder {
    let mut events = tracker.subscribe();
    refresh_recent(&app, &tracker);
    EventForwarder(tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Some(ui_event) = translate(event) {
                        events::emit(&app, ui_event);
                        refresh_recent(&app, &tracker);
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "UI fell behind the tracker's events");
                    refresh_recent(&app, &tracker);
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    }))
}

/// The tray's five most recent secrets with their state, newest first.
pub fn refresh_recent(app: &AppHandle, tracker: &Tracker) {
    // The default order is newest first.
    let filter = ListFilter::default();
    let recent = match tracker.list(&filter) {
        Ok(entries) => entries
            .into_iter()
            .take(5)
            .map(|entry| RecentItem {
                text: format!("{} — {}", entry.label, state_word(entry.state)),
                id: entry.id,
            })
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "could not list recent secrets for the tray");
            return;
        }
    };
    tray::update(app, |model| model.recent = recent);
}

/// The word the tray and notifications use for a state.
pub fn state_word(state: hushlink_tracker::SecretState) -> &'static str {
    use hushlink_tracker::SecretState::*;
    match state {
        Unread => "Active",
        Viewed => "Viewed",
        Burned => "Burned",
        Expired => "Expired",
        Orphaned => "Gone",
    }
}

/// Everything that follows a relay switch, from the panel or the tray: the tray's label, icon
/// and tooltip, the UI event, and the tracker's "This computer's relay" profile.
pub fn relay_switched(app: &AppHandle, panel: &crate::relay::RelayPanelStatus) {
    use tauri::Manager;
    tray::relay_changed(app, panel);
    let event = AppEvent::RelayChanged {
        status: panel.clone(),
    };
    // While the tracker is still opening, `startup` applies the relay's address once it is.
    let Some(Ok(tracker)) = app
        .try_state::<crate::startup::TrackerState>()
        .and_then(|state| state.now())
    else {
        events::emit(app, event);
        return;
    };
    // The UI reloads the server list when it hears of the switch, so the relay's profile must
    // be in place first. Attaching reads the switch, whose lock the caller may still hold:
    // hence a task rather than an await here.
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        crate::in_process::attach(&app, &tracker).await;
        events::emit(&app, event);
    });
}
