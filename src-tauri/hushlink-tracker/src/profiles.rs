//! Server profiles: the hosted regions, custom servers and the local relay.
//!
//! Built-in profiles come from the protocol crate's region catalogue and cannot be renamed or
//! removed, but can carry a username (hosted accounts have API tokens). Custom profiles and
//! those usernames are saved in `profiles.json` (config dir, 0600); API tokens only ever go
//! to the keyring. The local relay profile (`relay`) exists while the shell says the relay
//! runs, at the URL it reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use hushlink_client::InProcess;
use hushlink_protocol::regions::REGIONS;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;
use zeroize::Zeroizing;

use crate::crypto::random_id;
use crate::error::{Result, TrackerError};
use crate::fsutil;
use crate::keychain::{token_account, Keychain};

/// Id of the local relay's profile.
pub const LOCAL_RELAY_ID: &str = "relay";

/// Where a profile comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ProfileKind {
    /// onetimesecret.com or one of its regions (built in).
    Hosted,
    /// A server the user added: self-hosted Onetime, a custom domain, or a relay elsewhere.
    Custom,
    /// The relay running inside this app.
    LocalRelay,
}

/// A server profile as the UI shows it. Never holds the token, only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    /// Stable id (`global`, `eu`, ..., `relay`, or `custom-<hex>`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Base URL, ending in `/`.
    pub base_url: String,
    /// Account e-mail for authenticated use, if any.
    pub username: Option<String>,
    /// Origin of the profile.
    pub kind: ProfileKind,
    /// The server is a Hushlink relay, so end-to-end encryption is possible.
    pub hushlink_relay: bool,
    /// An API token is stored in the keyring (false when there is no keyring).
    pub has_token: bool,
    /// The default for new secrets.
    pub is_default: bool,
}

/// What the user enters to add or edit a custom profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileInput {
    /// Display name.
    pub name: String,
    /// Base URL (`https://secrets.example.com`, `http://192.168.1.20:7000`).
    pub base_url: String,
    /// Account e-mail, if any.
    pub username: Option<String>,
    /// The server is a Hushlink relay.
    pub hushlink_relay: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ProfilesFile {
    /// Usernames attached to built-in profiles.
    accounts: BTreeMap<String, String>,
    /// User-added profiles.
    custom: Vec<StoredProfile>,
    /// Ids of the profiles whose API token is in the keyring (never the token itself).
    /// Listing profiles reads this instead of the keyring: each Secret Service call costs a
    /// D-Bus round trip and a key exchange, which made the list take seconds.
    with_token: BTreeSet<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredProfile {
    id: String,
    name: String,
    base_url: String,
    username: Option<String>,
    hushlink_relay: bool,
}

/// The profile list, bound to its file and the keyring.
#[derive(Debug)]
pub struct Profiles {
    path: PathBuf,
    file: ProfilesFile,
    local_relay: Option<LocalRelay>,
    keychain: Arc<dyn Keychain>,
}

/// Where the app's own relay is: its public origin (the links' address) and, in the app, the
/// relay itself, reached in process so that no network address decides who the app is.
#[derive(Clone)]
struct LocalRelay {
    origin: Url,
    server: Option<Arc<dyn InProcess>>,
}

impl std::fmt::Debug for LocalRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalRelay")
            .field("origin", &self.origin.as_str())
            .field("in_process", &self.server.is_some())
            .finish()
    }
}

/// A profile resolved for a connection: where, and the credentials if any.
pub struct Resolved {
    /// The profile.
    pub profile: Profile,
    /// Parsed base URL.
    pub base_url: Url,
    /// Username and token, when both are set and the keyring answered.
    pub credentials: Option<(String, Zeroizing<String>)>,
    /// The server itself when it runs in this process (the app's own relay).
    pub in_process: Option<Arc<dyn InProcess>>,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("profile", &self.profile.id)
            .field("base_url", &self.base_url.as_str())
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("in_process", &self.in_process.is_some())
            .finish_non_exhaustive()
    }
}

impl Profiles {
    /// Loads `path` (missing = no custom profiles yet).
    pub fn load(path: impl Into<PathBuf>, keychain: Arc<dyn Keychain>) -> Result<Self> {
        let path = path.into();
        let file = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| TrackerError::InvalidFile {
                path: path.display().to_string(),
                message: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ProfilesFile::default(),
            Err(e) => return Err(TrackerError::io(&path, e)),
        };
        Ok(Self {
            path,
            file,
            local_relay: None,
            keychain,
        })
    }

    /// Every profile; `default_id` marks the default.
    pub fn list(&self, default_id: &str) -> Vec<Profile> {
        let mut out: Vec<Profile> = REGIONS
            .iter()
            .map(|r| Profile {
                id: r.id.to_owned(),
                name: r.name.to_owned(),
                base_url: r.base_url.to_owned(),
                username: self.file.accounts.get(r.id).cloned(),
                kind: ProfileKind::Hosted,
                hushlink_relay: false,
                has_token: false,
                is_default: false,
            })
            .collect();
        if let Some(local) = &self.local_relay {
            out.push(Profile {
                id: LOCAL_RELAY_ID.to_owned(),
                name: "This computer (Hushlink relay)".to_owned(),
                base_url: local.origin.to_string(),
                username: None,
                kind: ProfileKind::LocalRelay,
                hushlink_relay: true,
                has_token: false,
                is_default: false,
            });
        }
        out.extend(self.file.custom.iter().map(|c| Profile {
            id: c.id.clone(),
            name: c.name.clone(),
            base_url: c.base_url.clone(),
            username: c.username.clone(),
            kind: ProfileKind::Custom,
            hushlink_relay: c.hushlink_relay,
            has_token: false,
            is_default: false,
        }));
        for profile in &mut out {
            profile.is_default = profile.id == default_id;
            profile.has_token = self.file.with_token.contains(&profile.id);
        }
        out
    }

    /// One profile.
    pub fn get(&self, id: &str, default_id: &str) -> Result<Profile> {
        self.list(default_id)
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| TrackerError::ProfileNotFound(id.to_owned()))
    }

    /// A profile with its parsed URL and credentials, ready for a client.
    pub fn resolve(&self, id: &str) -> Result<Resolved> {
        let profile = self.get(id, "")?;
        let base_url =
            Url::parse(&profile.base_url).map_err(|e| TrackerError::InvalidUrl(e.to_string()))?;
        let credentials = match &profile.username {
            // Only profiles known to hold a token cost a keyring call.
            Some(user) if profile.has_token => match self.keychain.get(&token_account(id)) {
                Ok(Some(token)) => Some((user.clone(), token)),
                // No token, or no keyring: proceed anonymously, as the user was told.
                Ok(None) | Err(TrackerError::KeyringUnavailable { .. }) => None,
                Err(e) => return Err(e),
            },
            Some(_) | None => None,
        };
        let in_process = match &self.local_relay {
            Some(local) if id == LOCAL_RELAY_ID => local.server.clone(),
            _ => None,
        };
        Ok(Resolved {
            profile,
            base_url,
            credentials,
            in_process,
        })
    }

    /// Adds a custom profile.
    pub fn add(&mut self, input: &ProfileInput) -> Result<Profile> {
        let stored = StoredProfile {
            id: format!("custom-{}", &random_id()[..12]),
            name: checked_name(&input.name)?,
            base_url: checked_url(&input.base_url)?,
            username: clean(input.username.as_deref()),
            hushlink_relay: input.hushlink_relay,
        };
        let id = stored.id.clone();
        self.file.custom.push(stored);
        self.save()?;
        self.get(&id, "")
    }

    /// Edits a custom profile.
    pub fn update(&mut self, id: &str, input: &ProfileInput) -> Result<Profile> {
        let name = checked_name(&input.name)?;
        let base_url = checked_url(&input.base_url)?;
        let stored = self.custom_mut(id)?;
        stored.name = name;
        stored.base_url = base_url;
        stored.username = clean(input.username.as_deref());
        stored.hushlink_relay = input.hushlink_relay;
        self.save()?;
        self.get(id, "")
    }

    /// Sets or clears the username of any profile except the local relay.
    pub fn set_username(&mut self, id: &str, username: Option<&str>) -> Result<()> {
        let username = clean(username);
        if REGIONS.iter().any(|r| r.id == id) {
            match username {
                Some(u) => self.file.accounts.insert(id.to_owned(), u),
                None => self.file.accounts.remove(id),
            };
        } else {
            self.custom_mut(id)?.username = username;
        }
        self.save()
    }

    /// Stores (or with `None` removes) a profile's API token in the keyring, and records
    /// in the profiles file whether it has one.
    pub fn set_token(&mut self, id: &str, token: Option<&str>) -> Result<()> {
        if id == LOCAL_RELAY_ID || self.get(id, "").is_err() {
            return Err(TrackerError::ProfileNotFound(id.to_owned()));
        }
        match token.map(str::trim).filter(|t| !t.is_empty()) {
            Some(token) => {
                self.keychain.set(&token_account(id), token)?;
                self.file.with_token.insert(id.to_owned());
            }
            None => {
                self.keychain.delete(&token_account(id))?;
                self.file.with_token.remove(id);
            }
        }
        self.save()
    }

    /// Removes a custom profile and its token.
    pub fn remove(&mut self, id: &str) -> Result<()> {
        self.custom_mut(id)?;
        // The token goes first: a profile left without its token is harmless, the reverse
        // would leave an orphaned credential in the keyring.
        match self.keychain.delete(&token_account(id)) {
            Ok(()) | Err(TrackerError::KeyringUnavailable { .. }) => {}
            Err(e) => return Err(e),
        }
        self.file.custom.retain(|c| c.id != id);
        self.file.with_token.remove(id);
        self.save()
    }

    /// Tells the tracker where the local relay listens (`None` when it stops), reached over
    /// HTTP (tests and benchmarks, which run it as a separate server).
    pub fn set_local_relay(&mut self, url: Option<Url>) {
        self.local_relay = url.map(|origin| LocalRelay {
            origin,
            server: None,
        });
    }

    /// Tells the tracker that the app's own relay runs in this process at `origin` (the
    /// address its links carry); every call of its profile goes to `server` directly.
    pub fn set_local_relay_in_process(&mut self, origin: Url, server: Arc<dyn InProcess>) {
        self.local_relay = Some(LocalRelay {
            origin,
            server: Some(server),
        });
    }

    fn custom_mut(&mut self, id: &str) -> Result<&mut StoredProfile> {
        if REGIONS.iter().any(|r| r.id == id) || id == LOCAL_RELAY_ID {
            return Err(TrackerError::ProfileReadOnly(id.to_owned()));
        }
        self.file
            .custom
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| TrackerError::ProfileNotFound(id.to_owned()))
    }

    fn save(&self) -> Result<()> {
        let bytes =
            serde_json::to_vec_pretty(&self.file).map_err(|e| TrackerError::InvalidFile {
                path: self.path.display().to_string(),
                message: e.to_string(),
            })?;
        fsutil::write_private(&self.path, &bytes)
    }
}

fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(TrackerError::InvalidInput(
            "A profile name has 1 to 80 characters.".into(),
        ));
    }
    Ok(name.to_owned())
}

/// Parses and normalizes a base URL; the client later enforces HTTPS off the LAN.
fn checked_url(text: &str) -> Result<String> {
    let url = Url::parse(text.trim()).map_err(|e| TrackerError::InvalidUrl(e.to_string()))?;
    let base = hushlink_protocol::link::normalize_base(&url)
        .map_err(|e| TrackerError::InvalidUrl(e.to_string()))?;
    Ok(base.to_string())
}

fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::MemoryKeychain;

    fn input(name: &str, url: &str) -> ProfileInput {
        ProfileInput {
            name: name.into(),
            base_url: url.into(),
            username: Some("me@example.com".into()),
            hushlink_relay: false,
        }
    }

    #[test]
    fn built_ins_are_listed_and_read_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut profiles =
            Profiles::load(dir.path().join("p.json"), Arc::new(MemoryKeychain::new()))
                .expect("loads");
        let list = profiles.list("eu");
        assert!(list
            .iter()
            .any(|p| p.id == "global" && p.kind == ProfileKind::Hosted));
        assert_eq!(
            list.iter().filter(|p| p.is_default).count(),
            1,
            "exactly one default"
        );
        assert!(list
            .iter()
            .find(|p| p.id == "eu")
            .is_some_and(|p| p.is_default));
        assert_eq!(
            profiles.remove("eu").expect_err("built in").code(),
            "profile_read_only"
        );
        profiles
            .set_username("eu", Some("me@example.com"))
            .expect("accounts on hosted regions");
        assert_eq!(
            profiles.get("eu", "").expect("eu").username.as_deref(),
            Some("me@example.com")
        );
    }

    #[test]
    fn custom_profiles_persist_and_tokens_stay_in_the_keyring() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.json");
        let keychain: Arc<dyn Keychain> = Arc::new(MemoryKeychain::new());
        let mut profiles = Profiles::load(&path, Arc::clone(&keychain)).expect("loads");
        let added = profiles
            .add(&input("Office", "https://secrets.example.com/ots"))
            .expect("adds");
        assert_eq!(added.base_url, "https://secrets.example.com/ots/");
        profiles
            .set_token(&added.id, Some("tok-123"))
            .expect("stores");
        let text = std::fs::read_to_string(&path).expect("saved");
        assert!(
            !text.contains("tok-123"),
            "token written to the profiles file"
        );

        let profiles = Profiles::load(&path, keychain).expect("reloads");
        let resolved = profiles.resolve(&added.id).expect("resolves");
        assert!(resolved.profile.has_token);
        let (user, token) = resolved.credentials.expect("credentials");
        assert_eq!(
            (user.as_str(), token.as_str()),
            ("me@example.com", "tok-123")
        );
    }

    #[test]
    fn bad_urls_are_refused_and_no_keyring_means_anonymous() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut profiles = Profiles::load(
            dir.path().join("p.json"),
            Arc::new(MemoryKeychain::unavailable()),
        )
        .expect("loads");
        assert_eq!(
            profiles
                .add(&input("x", "not a url"))
                .expect_err("bad")
                .code(),
            "invalid_url"
        );
        assert_eq!(
            profiles
                .add(&input("x", "ftp://host/"))
                .expect_err("bad")
                .code(),
            "invalid_url"
        );
        let added = profiles
            .add(&input("LAN", "http://192.168.1.20:7000"))
            .expect("adds");
        assert_eq!(
            profiles
                .set_token(&added.id, Some("t"))
                .expect_err("no keyring")
                .code(),
            "keyring_unavailable"
        );
        let resolved = profiles.resolve(&added.id).expect("still usable");
        assert!(
            resolved.credentials.is_none(),
            "anonymous without a keyring"
        );
    }
}
