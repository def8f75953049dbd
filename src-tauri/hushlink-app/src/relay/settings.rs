//! The relay's saved settings: on or off, the interface (by name) and the two ports.
//!
//! Kept as a small JSON file next to the relay's data directory (`relay.json` beside
//! `relay/` in the app's data dir), e.g.
//! `{"enabled":true,"interface":"wlp2s0","port":7143,"https_port":7144}`.
//! Written atomically (a temporary file, flushed, then renamed over the old one), so a crash
//! leaves the old settings or the new ones, never half a file. A missing file means the
//! defaults; an unreadable or corrupt one too, with a warning in the log: the app must start
//! whatever is on disk.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Port the relay uses unless the person chose another, so links stay the same.
pub const DEFAULT_PORT: u16 = 7143;
/// Port of the HTTPS listener colleagues' apps use unless the person chose another. It is
/// in every invite and colleague's profile, so it never changes by itself either.
pub const DEFAULT_HTTPS_PORT: u16 = 7144;

/// What is saved. Missing fields take their defaults, so older files keep working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelaySettings {
    /// The relay was on when last switched: it starts with the app.
    pub enabled: bool,
    /// The interface it listens on, by name (its address may change with DHCP); `None`
    /// until it first starts, then the default interface is chosen and saved.
    pub interface: Option<String>,
    /// The port; it never changes unless the person chooses another.
    pub port: u16,
    /// The HTTPS port for colleagues' apps (same rule); older files without it get
    /// [`DEFAULT_HTTPS_PORT`].
    pub https_port: u16,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            enabled: false,
            interface: None,
            port: DEFAULT_PORT,
            https_port: DEFAULT_HTTPS_PORT,
        }
    }
}

impl RelaySettings {
    /// Reads `path`: the defaults if it does not exist, or (with a warning) if it cannot be
    /// read or parsed.
    pub fn load(path: &Path) -> Self {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Self::default(),
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "relay settings unreadable; using defaults");
                return Self::default();
            }
        };
        let mut settings = match serde_json::from_str::<Self>(&text) {
            Ok(settings) => settings,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "relay settings corrupt; using defaults");
                return Self::default();
            }
        };
        let defaults = Self::default();
        if settings.port == 0 {
            tracing::warn!(path = %path.display(), "relay settings name port 0; using {DEFAULT_PORT}");
            settings.port = defaults.port;
        }
        if settings.https_port == 0 {
            tracing::warn!(path = %path.display(), "relay settings name HTTPS port 0; using {DEFAULT_HTTPS_PORT}");
            settings.https_port = defaults.https_port;
        }
        if settings.https_port == settings.port {
            // A file from before HTTPS whose port is 7144 (the free port offered when 7143
            // was taken): HTTPS moves beside it; the plain port, which links carry, stays.
            settings.https_port = settings.port.checked_add(1).unwrap_or(settings.port - 1);
            tracing::warn!(path = %path.display(), port = settings.port, https_port = settings.https_port, "relay settings give both listeners one port; HTTPS moves");
        }
        settings
    }

    /// Writes the settings to `path` atomically, creating its directory.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        let temp = std::path::PathBuf::from(temp);
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_read_back_the_same() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("data").join("relay.json");
        let saved = RelaySettings {
            enabled: true,
            interface: Some("wlp2s0".into()),
            port: 8123,
            https_port: 8124,
        };
        saved.save(&path).expect("saves, creating the folder");
        assert_eq!(RelaySettings::load(&path), saved);
        assert!(
            !dir.path().join("data").join("relay.json.tmp").exists(),
            "the temporary file was renamed into place"
        );
        let second = RelaySettings {
            enabled: false,
            ..saved
        };
        second.save(&path).expect("overwrites");
        assert_eq!(RelaySettings::load(&path), second);
    }

    #[test]
    fn a_missing_or_corrupt_file_gives_the_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("relay.json");
        assert_eq!(RelaySettings::load(&path), RelaySettings::default());
        for bad in ["{\"enabled\": tru", "[1,2]", "", "{\"port\": 99999}"] {
            std::fs::write(&path, bad).expect("fixture");
            assert_eq!(
                RelaySettings::load(&path),
                RelaySettings::default(),
                "{bad:?} is not usable"
            );
        }
        std::fs::write(&path, "{\"enabled\": true, \"port\": 0, \"https_port\": 0}")
            .expect("fixture");
        assert_eq!(
            RelaySettings::load(&path),
            RelaySettings {
                enabled: true,
                ..RelaySettings::default()
            },
            "port 0 would mean a random port: the default is used"
        );
    }

    #[test]
    fn an_older_file_on_port_7144_keeps_it_and_https_moves_beside_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("relay.json");
        std::fs::write(&path, "{\"enabled\": true, \"port\": 7144}").expect("fixture");
        let loaded = RelaySettings::load(&path);
        assert_eq!(
            (loaded.port, loaded.https_port),
            (7144, 7145),
            "links name 7144, so it stays; the two listeners need two ports"
        );
        std::fs::write(&path, "{\"port\": 65535, \"https_port\": 65535}").expect("fixture");
        let loaded = RelaySettings::load(&path);
        assert_eq!((loaded.port, loaded.https_port), (65535, 65534));
    }

    #[test]
    fn a_partial_file_keeps_what_it_has() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("relay.json");
        std::fs::write(&path, "{\"interface\": \"eth0\"}").expect("fixture");
        let loaded = RelaySettings::load(&path);
        assert_eq!(loaded.interface.as_deref(), Some("eth0"));
        assert_eq!(loaded.port, DEFAULT_PORT);
        assert_eq!(
            loaded.https_port, DEFAULT_HTTPS_PORT,
            "a file from before HTTPS gets the default HTTPS port"
        );
        assert!(!loaded.enabled);
    }
}
