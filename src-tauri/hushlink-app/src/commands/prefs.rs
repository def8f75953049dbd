//! Server profiles, settings, the password generator and history.

use std::time::Instant;

use hushlink_tracker::{
    GeneratedPassword, GeneratorOptions, HistoryFilter, HistoryRow, Profile, ProfileInput,
    Settings, Theme,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_autostart::ManagerExt;
use ts_rs::TS;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::startup::TrackerState;
use crate::tray;

/// Result of "Check connection". A failure is a `CommandError`, not this.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionCheck {
    /// The server answered as an Onetime server.
    pub ok: bool,
    /// The credentials were accepted (false when the profile has none).
    pub authenticated: bool,
    /// Round trip in milliseconds.
    #[ts(type = "number")]
    pub latency_ms: u64,
    /// Longest lifetime to offer for this profile, in milliseconds.
    #[ts(type = "number")]
    pub max_ttl_ms: u64,
}

/// The app's settings as the UI sees them: every duration in milliseconds, like every other
/// time that crosses to the UI. `settings.json` keeps seconds (the tracker's
/// [`Settings`]), so files written by older releases load unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "Settings")]
pub struct SettingsView {
    /// Profile used for new secrets.
    pub default_profile: String,
    /// Lifetime of a new secret, in milliseconds (whole seconds are kept).
    #[ts(type = "number")]
    pub default_expiry_ms: u64,
    /// Desktop notifications for opened and expired-unopened secrets.
    pub notifications: bool,
    /// After how long a copied link or secret is cleared from the clipboard, in milliseconds
    /// (whole seconds are kept); 0 = never.
    #[ts(type = "number")]
    pub clipboard_clear_ms: u64,
    /// Start Hushlink (to the tray) when the user logs in.
    pub launch_at_login: bool,
    /// Colour scheme.
    pub theme: Theme,
    /// The app's language as a BCP 47 tag ("de", "pt-BR"); absent or null: the system's.
    /// Saving a tag whose language has no catalogue fails with `language_unsupported`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub language: Option<String>,
}

impl From<Settings> for SettingsView {
    fn from(settings: Settings) -> Self {
        // Destructured in full: a new setting fails to compile here until the view has it.
        let Settings {
            default_profile,
            default_expiry_secs,
            notifications,
            clipboard_clear_secs,
            launch_at_login,
            theme,
            language,
        } = settings;
        Self {
            default_profile,
            default_expiry_ms: default_expiry_secs.saturating_mul(1000),
            notifications,
            clipboard_clear_ms: u64::from(clipboard_clear_secs) * 1000,
            launch_at_login,
            theme,
            language,
        }
    }
}

impl From<SettingsView> for Settings {
    fn from(view: SettingsView) -> Self {
        Self {
            default_profile: view.default_profile,
            default_expiry_secs: view.default_expiry_ms / 1000,
            notifications: view.notifications,
            clipboard_clear_secs: u32::try_from(view.clipboard_clear_ms / 1000).unwrap_or(u32::MAX),
            launch_at_login: view.launch_at_login,
            theme: view.theme,
            language: view.language,
        }
    }
}

// Every command that needs the tracker awaits it: it opens after the window, once the keyring
// answers (see `startup`).

/// Every profile, the default marked.
#[tauri::command]
pub async fn list_profiles(tracker: State<'_, TrackerState>) -> CommandResult<Vec<Profile>> {
    Ok(tracker.get().await?.profiles())
}

/// Adds (`id` null) or edits a profile; a token given goes to the OS keyring.
#[tauri::command]
pub async fn save_profile(
    tracker: State<'_, TrackerState>,
    input: ProfileInput,
    id: Option<String>,
    token: Option<String>,
) -> CommandResult<Profile> {
    let tracker = tracker.get().await?;
    let profile = match id {
        Some(id) => tracker.update_profile(&id, &input)?,
        None => tracker.add_profile(&input)?,
    };
    if let Some(token) = token.filter(|t| !t.trim().is_empty()) {
        tracker.set_token(&profile.id, Some(token.trim()))?;
    }
    Ok(profile)
}

/// Deletes a custom profile (its token leaves the keyring too).
#[tauri::command]
pub async fn delete_profile(tracker: State<'_, TrackerState>, id: String) -> CommandResult<()> {
    Ok(tracker.get().await?.remove_profile(&id)?)
}

/// Asks the server whether it is there and whether it accepts the credentials.
#[tauri::command]
pub async fn check_profile(
    tracker: State<'_, TrackerState>,
    id: String,
) -> CommandResult<ConnectionCheck> {
    let tracker = tracker.get().await?;
    let started = Instant::now();
    let report = tracker.check_connection(&id).await?;
    let hushlink_relay = tracker
        .profiles()
        .into_iter()
        .find(|p| p.id == id)
        .is_some_and(|p| p.hushlink_relay);
    // Hosted Onetime caps anonymous secrets at 7 days; accounts (free tier) and our relay
    // allow 14 (reference §4.3).
    let max_ttl_secs: u64 = if hushlink_relay || report.authenticated {
        hushlink_protocol::limits::RELAY_TTL_MAX_SECS
    } else {
        hushlink_protocol::limits::TTL_MAX_ANONYMOUS_SECS
    };
    Ok(ConnectionCheck {
        ok: report.reachable,
        authenticated: report.authenticated,
        latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        max_ttl_ms: max_ttl_secs.saturating_mul(1000),
    })
}

/// Makes a profile the default for new secrets.
#[tauri::command]
pub async fn set_default_profile(
    tracker: State<'_, TrackerState>,
    id: String,
) -> CommandResult<()> {
    tracker.get().await?.set_default_profile(&id)?;
    Ok(())
}

/// The app's settings.
#[tauri::command]
pub async fn get_settings(tracker: State<'_, TrackerState>) -> CommandResult<SettingsView> {
    Ok(tracker.get().await?.settings().into())
}

/// Saves settings (only what differs from the defaults is written), then applies the
/// language (the tray and notifications speak it at once) and launch at login. A language
/// without a catalogue is refused (`language_unsupported`) and nothing is saved.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    tracker: State<'_, TrackerState>,
    settings: SettingsView,
) -> CommandResult<SettingsView> {
    super::checks::language(settings.language.as_deref())?;
    let launch = settings.launch_at_login;
    let saved: SettingsView = tracker.get().await?.set_settings(settings.into())?.into();
    tray::apply_language(&app, saved.language.as_deref());
    let autolaunch = app.autolaunch();
    let result = if launch {
        autolaunch.enable()
    } else {
        autolaunch.disable()
    };
    if let Err(error) = result {
        tracing::warn!(%error, "launch at login could not be changed");
        return Err(CommandError::new(
            ErrorCode::AutostartFailed,
            "Settings were saved, but launch at login could not be changed on this system.",
        ));
    }
    Ok(saved)
}

/// A password or passphrase from the OS's random generator. Out of range: `password_length`
/// or `passphrase_words` (with the range); no kind of character: `password_kinds`.
#[tauri::command]
pub fn generate_password(options: GeneratorOptions) -> CommandResult<GeneratedPassword> {
    super::checks::generator(&options)?;
    Ok(hushlink_tracker::generate(&options)?)
}

/// The history log.
#[tauri::command]
pub async fn list_history(
    tracker: State<'_, TrackerState>,
    filter: HistoryFilter,
) -> CommandResult<Vec<HistoryRow>> {
    Ok(tracker.get().await?.history(&filter)?)
}

/// Writes the history (as filtered) to a CSV file in Downloads and returns its path.
#[tauri::command]
pub async fn export_history(
    app: AppHandle,
    tracker: State<'_, TrackerState>,
    filter: HistoryFilter,
) -> CommandResult<String> {
    let folder = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|_| CommandError::new(ErrorCode::Internal, "No Downloads folder was found."))?;
    // Owner-only (0600): the tracker writes it, not `fs::write` with the umask's 0644.
    let path = tracker.get().await?.export_history_file(&filter, &folder)?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_cross_in_milliseconds_and_are_kept_in_seconds() {
        let stored = Settings {
            default_expiry_secs: 3_600,
            clipboard_clear_secs: 120,
            ..Settings::default()
        };
        let view = SettingsView::from(stored.clone());
        assert_eq!(view.default_expiry_ms, 3_600_000);
        assert_eq!(view.clipboard_clear_ms, 120_000);
        assert_eq!(
            Settings::from(view.clone()),
            stored,
            "the round trip is exact"
        );

        let json = serde_json::to_value(&view).expect("json");
        assert_eq!(json["defaultExpiryMs"], 3_600_000);
        assert_eq!(json["clipboardClearMs"], 120_000);
        assert!(json.get("defaultExpirySecs").is_none());

        let off = SettingsView {
            clipboard_clear_ms: 0,
            ..view
        };
        assert_eq!(Settings::from(off).clipboard_clear_secs, 0, "off stays off");
    }

    #[test]
    fn the_language_crosses_both_ways_and_may_be_left_out() {
        let stored = Settings {
            language: Some("de".into()),
            ..Settings::default()
        };
        let view = SettingsView::from(stored.clone());
        assert_eq!(view.language.as_deref(), Some("de"));
        assert_eq!(serde_json::to_value(&view).expect("json")["language"], "de");
        assert_eq!(Settings::from(view.clone()), stored);

        // A UI that does not send it (an older screen) means "the system's".
        let mut json = serde_json::to_value(&view).expect("json");
        json.as_object_mut().expect("object").remove("language");
        let sent: SettingsView = serde_json::from_value(json).expect("parses");
        assert_eq!(sent.language, None);
    }
}
