//! App settings: typed, with documented defaults, saved as the *difference* from the defaults.
//!
//! The file (`settings.json` in the config dir) holds only the keys the user changed, so a
//! later release can improve a default and everyone who never touched it gets the new one.
//! Unknown keys (from a newer release) are kept on save rather than silently dropped.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{Result, TrackerError};
use crate::fsutil;

/// Colour scheme of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Theme {
    /// Follow the desktop's light/dark preference.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Every app preference, as `settings.json` keeps it (durations in seconds). Field docs
/// state the default and why. The app shows it to its UI as a view with every duration in
/// milliseconds (`hushlink_app::commands::prefs::SettingsView`), so this type is not exported
/// to TypeScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Profile used for new secrets. Default `"global"` (onetimesecret.com), which routes to
    /// an active region; the user may pick a region or their own server.
    pub default_profile: String,
    /// Lifetime of a new secret in seconds. Default one day: long enough for a colleague to
    /// open it, far shorter than the servers' 7-day default, so a forgotten link dies sooner.
    #[ts(type = "number")]
    pub default_expiry_secs: u64,
    /// Desktop notifications for viewed and expired-unread secrets. Default on.
    pub notifications: bool,
    /// Seconds after which a copied link or secret is cleared from the clipboard; 0 = never.
    /// Default 2 minutes: time to switch to the chat or mail and paste, short enough that it
    /// does not linger. Files that stored another value keep it.
    pub clipboard_clear_secs: u32,
    /// Start Hushlink (to the tray) when the user logs in. Default off: opt-in only.
    pub launch_at_login: bool,
    /// Colour scheme. Default: follow the system.
    pub theme: Theme,
    /// The app's language as a BCP 47 tag ("de", "pt-BR"). Default `None`: follow the
    /// system's, so a machine set up in German speaks German without a choice. Only tags
    /// whose language the catalogues have are saved ([`language_tag_error`]).
    pub language: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            default_profile: "global".into(),
            default_expiry_secs: 86_400,
            notifications: true,
            clipboard_clear_secs: 120,
            launch_at_login: false,
            theme: Theme::System,
            language: None,
        }
    }
}

/// Settings bound to their file.
#[derive(Debug)]
pub struct SettingsFile {
    path: PathBuf,
    current: Settings,
    /// Keys in the file this version does not know; written back unchanged.
    unknown: Map<String, Value>,
}

impl SettingsFile {
    /// Loads `path`, or the defaults when it does not exist yet.
    pub fn load(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let stored = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<Map<String, Value>>(&bytes)
                .map_err(|e| invalid(&path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
            Err(e) => return Err(TrackerError::io(&path, e)),
        };
        let mut merged = to_map(&Settings::default());
        let mut unknown = Map::new();
        for (key, value) in stored {
            if merged.contains_key(&key) {
                merged.insert(key, value);
            } else {
                unknown.insert(key, value);
            }
        }
        let current =
            serde_json::from_value(Value::Object(merged)).map_err(|e| invalid(&path, e))?;
        Ok(Self {
            path,
            current,
            unknown,
        })
    }

    /// The settings in force.
    pub fn get(&self) -> &Settings {
        &self.current
    }

    /// Replaces the settings and writes the file (only the changed keys).
    pub fn set(&mut self, settings: Settings) -> Result<()> {
        validate(&settings)?;
        let mut out = self.unknown.clone();
        out.extend(changed_keys(&settings));
        let bytes =
            serde_json::to_vec_pretty(&Value::Object(out)).map_err(|e| invalid(&self.path, e))?;
        fsutil::write_private(&self.path, &bytes)?;
        self.current = settings;
        Ok(())
    }

    /// The file this is bound to.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The shortest default lifetime of a secret: a link that dies before it can be sent and
/// opened is no use.
pub const MIN_EXPIRY_SECS: u64 = 60;

fn validate(settings: &Settings) -> Result<()> {
    if settings.default_expiry_secs < MIN_EXPIRY_SECS {
        return Err(TrackerError::ExpiryTooShort {
            min_secs: MIN_EXPIRY_SECS,
        });
    }
    if settings.default_profile.trim().is_empty() {
        return Err(TrackerError::DefaultProfileRequired);
    }
    if let Some(tag) = &settings.language {
        if let Some(problem) = language_tag_error(tag) {
            return Err(TrackerError::InvalidInput(problem));
        }
    }
    Ok(())
}

/// Why `tag` cannot be the app's language, or `None` when it can: a well-formed BCP 47 tag
/// (a 2–3 letter language, then subtags of 1–8 letters or digits, joined by "-") whose
/// language Hushlink has a catalogue for. A POSIX locale ("de_DE.UTF-8") is not a tag.
pub fn language_tag_error(tag: &str) -> Option<String> {
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    let well_formed = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    if !well_formed {
        return Some(format!(
            "\"{}\" is not a language tag such as \"de\" or \"pt-BR\".",
            tag.escape_default()
        ));
    }
    if crate::notify::catalog::Lang::parse(tag).is_none() {
        let spoken: Vec<&str> = crate::notify::catalog::Lang::ALL
            .iter()
            .map(|l| l.code())
            .collect();
        return Some(format!(
            "Hushlink does not speak \"{tag}\" yet; choose one of {}.",
            spoken.join(", ")
        ));
    }
    None
}

/// The keys whose values differ from the defaults.
fn changed_keys(settings: &Settings) -> Map<String, Value> {
    let defaults = to_map(&Settings::default());
    to_map(settings)
        .into_iter()
        .filter(|(key, value)| defaults.get(key) != Some(value))
        .collect()
}

fn to_map(settings: &Settings) -> Map<String, Value> {
    match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => map,
        // A struct of plain fields always serializes to an object.
        _ => Map::new(),
    }
}

fn invalid(path: &Path, error: serde_json::Error) -> TrackerError {
    TrackerError::InvalidFile {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = SettingsFile::load(dir.path().join("settings.json")).expect("loads");
        assert_eq!(file.get(), &Settings::default());
    }

    #[test]
    fn saves_only_what_the_user_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.json");
        let mut file = SettingsFile::load(&path).expect("loads");
        let changed = Settings {
            theme: Theme::Dark,
            clipboard_clear_secs: 10,
            ..Settings::default()
        };
        file.set(changed.clone()).expect("saves");

        let saved: Map<String, Value> =
            serde_json::from_slice(&std::fs::read(&path).expect("written")).expect("json");
        let mut keys: Vec<&str> = saved.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["clipboardClearSecs", "theme"],
            "defaults stay out of the file"
        );
        assert_eq!(SettingsFile::load(&path).expect("reloads").get(), &changed);
    }

    #[test]
    fn unknown_keys_survive_a_save_and_bad_files_are_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"fromTheFuture": 1, "notifications": false}"#).expect("write");
        let mut file = SettingsFile::load(&path).expect("loads");
        assert!(!file.get().notifications);
        file.set(file.get().clone()).expect("saves");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.contains("fromTheFuture"),
            "a newer release's key was dropped: {text}"
        );

        std::fs::write(&path, r#"{"theme": "purple"}"#).expect("write");
        let err = SettingsFile::load(&path).expect_err("purple is no theme");
        assert_eq!(err.code(), "invalid_file");
    }

    #[test]
    fn an_untouched_clipboard_clear_follows_the_new_default_and_a_chosen_one_stays() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"theme": "dark"}"#).expect("write");
        let file = SettingsFile::load(&path).expect("loads");
        assert_eq!(
            file.get().clipboard_clear_secs,
            120,
            "two minutes by default"
        );

        // A file from an older release, in seconds, loads as it was.
        std::fs::write(
            &path,
            r#"{"clipboardClearSecs": 30, "defaultExpirySecs": 3600}"#,
        )
        .expect("write");
        let file = SettingsFile::load(&path).expect("loads");
        assert_eq!(file.get().clipboard_clear_secs, 30);
        assert_eq!(file.get().default_expiry_secs, 3_600);
    }

    #[test]
    fn a_chosen_language_round_trips_and_older_files_follow_the_system() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.json");
        // A file written before the setting existed.
        std::fs::write(&path, r#"{"theme": "dark", "fromTheFuture": true}"#).expect("write");
        let mut file = SettingsFile::load(&path).expect("loads");
        assert_eq!(
            file.get().language,
            None,
            "no choice: the system's language"
        );

        let german = Settings {
            language: Some("pt-BR".into()),
            ..file.get().clone()
        };
        file.set(german.clone()).expect("saves");
        let saved: Map<String, Value> =
            serde_json::from_slice(&std::fs::read(&path).expect("written")).expect("json");
        assert_eq!(saved["language"], "pt-BR");
        assert!(saved.contains_key("fromTheFuture"), "unknown keys are kept");
        assert_eq!(SettingsFile::load(&path).expect("reloads").get(), &german);

        // Back to the system's: the key leaves the file.
        file.set(Settings {
            language: None,
            ..german
        })
        .expect("saves");
        let saved: Map<String, Value> =
            serde_json::from_slice(&std::fs::read(&path).expect("written")).expect("json");
        assert!(!saved.contains_key("language"), "{saved:?}");
    }

    #[test]
    fn only_languages_with_a_catalogue_are_saved() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.json");
        let mut file = SettingsFile::load(&path).expect("loads");
        for good in ["de", "fr", "nl", "es", "pt", "pt-BR", "en-GB", "de-Latn-AT"] {
            assert_eq!(language_tag_error(good), None, "{good}");
        }
        for bad in [
            "ja",
            "xx-YY",
            "",
            "de_DE.UTF-8",
            "de-",
            "d",
            "de-toolongsubtag",
            "<b>",
        ] {
            let refused = file.set(Settings {
                language: Some(bad.into()),
                ..Settings::default()
            });
            assert_eq!(
                refused.expect_err(bad).code(),
                "invalid_input",
                "{bad:?} was accepted"
            );
        }
        assert!(!path.exists(), "nothing was saved");
        assert_eq!(
            file.get().language,
            None,
            "the settings in force are unchanged"
        );
    }

    #[test]
    fn nonsense_values_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut file = SettingsFile::load(dir.path().join("s.json")).expect("loads");
        let bad = Settings {
            default_expiry_secs: 5,
            ..Settings::default()
        };
        assert_eq!(
            file.set(bad).expect_err("too short").code(),
            "expiry_too_short"
        );
        let no_server = Settings {
            default_profile: "  ".into(),
            ..Settings::default()
        };
        assert_eq!(
            file.set(no_server).expect_err("no server").code(),
            "default_profile_required"
        );
        let shortest = Settings {
            default_expiry_secs: MIN_EXPIRY_SECS,
            ..Settings::default()
        };
        file.set(shortest).expect("one minute is allowed");
    }
}
