//! About the app itself: version and data locations, whether the list of secrets is open yet,
//! and the UI's readiness report.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::startup::{TrackerPhase, TrackerState};

/// What the About line and diagnostics show.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    /// Product name.
    pub name: String,
    /// The app's version (the workspace version).
    pub version: String,
    /// Where Hushlink keeps its local data.
    pub data_dir: String,
}

/// Returns the app's name, version and data directory.
#[tauri::command]
pub fn app_info(app: AppHandle) -> CommandResult<AppInfo> {
    let data_dir = app.path().app_data_dir().map_err(|error| {
        tracing::error!(%error, "no app data dir");
        CommandError::new(
            ErrorCode::Internal,
            "Hushlink could not find its data folder.",
        )
    })?;
    Ok(AppInfo {
        name: app.package_info().name.clone(),
        version: app.package_info().version.to_string(),
        data_dir: data_dir.display().to_string(),
    })
}

/// Whether the list of secrets is open yet. Answers at once: the UI asks on start to know
/// whether to say it is waiting for the keyring (the events tell it when that changes).
#[tauri::command]
pub fn tracker_phase(tracker: State<'_, TrackerState>) -> TrackerPhase {
    tracker.phase()
}

/// What the UI reports once its first screen has rendered.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UiReadyReport {
    /// The heading of the screen that rendered.
    pub heading: String,
}

/// The UI calls this after its first render. The log line is what the end-to-end smoke test
/// waits for: it proves the page rendered and that IPC works both ways.
#[tauri::command]
pub fn ui_ready(report: UiReadyReport) -> CommandResult<()> {
    if report.heading.trim().is_empty() {
        return Err(CommandError::new(
            ErrorCode::InvalidInput,
            "The UI reported ready without a heading.",
        ));
    }
    tracing::info!(heading = %report.heading, "ui ready");
    Ok(())
}
