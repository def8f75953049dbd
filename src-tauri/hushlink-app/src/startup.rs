//! Opening the tracker after the window is up, and waiting for it where it is needed.
//!
//! The tracker's store is encrypted with a data key kept in the system keyring. Reading that
//! key can take as long as the person needs to answer a keyring prompt (gnome-keyring asks for
//! a password when the login keyring is locked or does not exist yet), so the tracker is opened
//! on a blocking thread while the window and tray come up. [`TrackerState`] holds the outcome:
//! commands await it with [`TrackerState::get`], the tray looks at it with
//! [`TrackerState::now`], and the UI is told through [`AppEvent::TrackerReady`] or
//! [`AppEvent::TrackerFailed`] (and can ask with the `tracker_phase` command).

use std::sync::Arc;
use std::time::Duration;

use hushlink_tracker::{Tracker, TrackerConfig};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tokio::sync::watch;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::events::{self, AppEvent};
use crate::relay::LogSink;
use crate::translate;

/// How long opening may take before the log says it is waiting for the keyring: an unlocked
/// keyring answers in milliseconds, so anything this slow is a prompt or a hung service.
const SLOW_START: Duration = Duration::from_secs(2);

/// Where opening the tracker stands, as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "phase", rename_all = "camelCase")]
#[ts(export)]
pub enum TrackerPhase {
    /// Still opening: usually the keyring is waiting for its password.
    Starting,
    /// Open; commands answer.
    Ready,
    /// Could not open; every command that needs the list fails with `error`.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// Why, with the tracker's own stable code.
        error: CommandError,
    },
}

#[derive(Clone)]
enum Slot {
    Starting,
    Ready(Arc<Tracker>),
    Failed(CommandError),
}

/// The tracker once it is open, shared by commands, the tray and the event forwarder.
pub struct TrackerState(watch::Sender<Slot>);

impl TrackerState {
    /// Not open yet; [`TrackerState::finish`] fills it in once.
    pub fn starting() -> Self {
        Self(watch::Sender::new(Slot::Starting))
    }

    /// Records how opening ended and wakes everything waiting in [`TrackerState::get`].
    pub fn finish(&self, outcome: CommandResult<Arc<Tracker>>) {
        self.0.send_replace(match outcome {
            Ok(tracker) => Slot::Ready(tracker),
            Err(error) => Slot::Failed(error),
        });
    }

    /// The tracker, waiting as long as it takes to open.
    pub async fn get(&self) -> CommandResult<Arc<Tracker>> {
        let mut slot = self.0.subscribe();
        let ready = slot
            .wait_for(|s| !matches!(s, Slot::Starting))
            .await
            .map(|s| s.clone());
        match ready {
            Ok(Slot::Ready(tracker)) => Ok(tracker),
            Ok(Slot::Failed(error)) => Err(error),
            // Only a dropped sender ends the wait early, and `self` owns it.
            Ok(Slot::Starting) | Err(_) => Err(CommandError::new(
                ErrorCode::Internal,
                "Hushlink stopped while opening your list of secrets.",
            )),
        }
    }

    /// The tracker if it is open now; `None` while it is still opening. For the tray, whose
    /// one-click actions must not run minutes later on whatever the clipboard holds by then.
    pub fn now(&self) -> Option<CommandResult<Arc<Tracker>>> {
        match &*self.0.borrow() {
            Slot::Starting => None,
            Slot::Ready(tracker) => Some(Ok(Arc::clone(tracker))),
            Slot::Failed(error) => Some(Err(error.clone())),
        }
    }

    /// The phase, for the UI's first look (it may have missed the event).
    pub fn phase(&self) -> TrackerPhase {
        match &*self.0.borrow() {
            Slot::Starting => TrackerPhase::Starting,
            Slot::Ready(_) => TrackerPhase::Ready,
            Slot::Failed(error) => TrackerPhase::Failed {
                error: error.clone(),
            },
        }
    }
}

/// Opens the tracker on a blocking thread (the keyring calls block) and, once it is open,
/// starts event forwarding, hands it the relay's current address and tells the UI.
/// [`TrackerState`] must already be managed.
pub fn open_in_background(app: &AppHandle, config: TrackerConfig) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // Blocking-pool threads run inside the runtime, which the tracker's poller needs.
        let mut opening = tauri::async_runtime::spawn_blocking(move || Tracker::start(config));
        let joined = match tokio::time::timeout(SLOW_START, &mut opening).await {
            Ok(joined) => joined,
            Err(_) => {
                tracing::info!("waiting for the system keyring to open the list of secrets");
                opening.await
            }
        };
        let outcome = match joined {
            Ok(Ok(tracker)) => Ok(Arc::new(tracker)),
            Ok(Err(error)) => {
                tracing::error!(code = %error.code(), %error, "the tracker could not open");
                Err(CommandError::from(error))
            }
            Err(error) => {
                tracing::error!(%error, "opening the tracker panicked");
                Err(CommandError::new(
                    ErrorCode::Internal,
                    "Hushlink could not open your list of secrets.",
                ))
            }
        };
        finish(&app, outcome).await;
    });
}

async fn finish(app: &AppHandle, outcome: CommandResult<Arc<Tracker>>) {
    let tracker_state = app.state::<TrackerState>();
    let tracker = match outcome {
        Ok(tracker) => tracker,
        Err(error) => {
            tracker_state.finish(Err(error.clone()));
            events::emit(app, AppEvent::TrackerFailed { error });
            return;
        }
    };
    if let Ok(status) = tracker.status() {
        if !status.keyring_available {
            tracing::warn!(
                reason = status.keyring_message.as_deref().unwrap_or("unknown"),
                "no keyring: secrets are tracked until Hushlink quits"
            );
        }
    }
    // Subscribe before anyone can act on the tracker, so no change escapes the UI and tray.
    app.manage(translate::forward_tracker(app.clone(), &tracker));
    tracker_state.finish(Ok(Arc::clone(&tracker)));
    // The relay may have been switched on while the keyring was asking.
    crate::in_process::attach(app, &tracker).await;
    tracing::info!("tracker ready");
    events::emit(app, AppEvent::TrackerReady);
}

/// The language saved in `settings.json` in `config_dir`, read before the tracker opens (the
/// file is plain JSON; only the list of secrets waits for the keyring), so the tray speaks it
/// from the start. `None` (the system's) when there is no choice or the file is unreadable.
pub fn saved_language(config_dir: &std::path::Path) -> Option<String> {
    match hushlink_tracker::SettingsFile::load(config_dir.join("settings.json")) {
        Ok(file) => file.get().language.clone(),
        Err(error) => {
            tracing::warn!(code = %error.code(), %error, "settings unreadable; the system's language");
            None
        }
    }
}

/// Where the relay switch sends its access-log lines: to the tracker (see
/// [`translate::relay_line_to_tracker`]; not while it is still opening: it checks everything once open)
/// and to the UI's live log, as events.
pub fn relay_log_sink(app: &AppHandle) -> LogSink {
    let app = app.clone();
    std::sync::Arc::new(move |entry| {
        if let Some(Ok(tracker)) = app.try_state::<TrackerState>().and_then(|s| s.now()) {
            translate::relay_line_to_tracker(&tracker, &entry);
        }
        events::emit(&app, translate::access_logged(entry));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_serialize_with_a_phase_tag() {
        assert_eq!(
            serde_json::to_value(TrackerPhase::Starting).expect("serializes"),
            serde_json::json!({"phase": "starting"})
        );
        let failed = TrackerPhase::Failed {
            error: CommandError::new(ErrorCode::Internal, "x"),
        };
        assert_eq!(
            serde_json::to_value(failed).expect("serializes"),
            serde_json::json!({"phase": "failed", "error": {"code": "internal", "message": "x"}})
        );
    }

    #[test]
    fn the_saved_language_is_read_before_the_tracker_opens() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(saved_language(dir.path()), None, "no file: the system's");
        std::fs::write(dir.path().join("settings.json"), r#"{"language": "nl"}"#).expect("write");
        assert_eq!(saved_language(dir.path()).as_deref(), Some("nl"));
        std::fs::write(dir.path().join("settings.json"), "{broken").expect("write");
        assert_eq!(saved_language(dir.path()), None, "unreadable: the system's");
    }

    #[tokio::test]
    async fn waiters_wake_with_the_outcome() {
        let state = Arc::new(TrackerState::starting());
        assert!(state.now().is_none(), "nothing is open yet");
        assert_eq!(state.phase(), TrackerPhase::Starting);
        let waiter = tokio::spawn({
            let state = Arc::clone(&state);
            async move { state.get().await }
        });
        tokio::task::yield_now().await;
        assert!(
            !waiter.is_finished(),
            "a command waits while the keyring asks"
        );
        let error = CommandError::new(ErrorCode::Internal, "no store");
        state.finish(Err(error.clone()));
        let got = waiter.await.expect("joins");
        assert_eq!(
            got.err(),
            Some(error.clone()),
            "the waiter gets the failure"
        );
        assert_eq!(state.phase(), TrackerPhase::Failed { error });
        assert!(matches!(state.now(), Some(Err(_))), "the tray sees it too");
    }

    #[tokio::test]
    async fn a_waiter_gets_the_open_tracker() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = TrackerConfig::desktop("io.hushlink.test").expect("folders");
        config.data_dir = dir.path().join("data");
        config.config_dir = dir.path().join("config");
        config.keychain = Arc::new(hushlink_tracker::MemoryKeychain::new());
        config.notifier = Arc::new(hushlink_tracker::RecordingNotifier::new());
        config.background_poller = false;
        let tracker = Arc::new(Tracker::start(config).expect("opens"));
        let state = Arc::new(TrackerState::starting());
        let waiter = tokio::spawn({
            let state = Arc::clone(&state);
            async move { state.get().await }
        });
        state.finish(Ok(Arc::clone(&tracker)));
        let got = waiter.await.expect("joins").expect("ready");
        assert!(Arc::ptr_eq(&got, &tracker), "the same tracker");
        assert_eq!(state.phase(), TrackerPhase::Ready);
    }
}
