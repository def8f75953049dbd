//! Server profiles: the hosted regions, custom servers and the local relay.
//!
//! Built-in profiles come from the protocol crate's region catalogue and cannot be renamed or
//! removed, but can carry a username (hosted accounts have API tokens). Custom profiles and
//! those usernames are saved in `profiles.json` (config dir, 0600); API tokens only ever go
//! to the keyring. The local relay profile (`relay`) exists while the shell says the relay
//! runs, at the URL it reports.
//!
//! A colleague's relay imported from an invite ([`Profiles::import`]) is *pinned*: its
//! profile calls the relay's HTTPS port and accepts exactly the certificate the invite
//! named, so its token never crosses the network in clear, while the links it makes carry
//! the relay's plain-HTTP origin, which recipients' browsers open. Both fields are optional
//! in `profiles.json`, so files written before them still load.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use hushlink_client::{CertPin, InProcess};
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
    /// The one certificate this profile accepts, by its SHA-256 fingerprint (`AB:CD:…`),
    /// set by an invite: any other certificate is refused before anything is sent.
    /// (Optional in TypeScript: profiles made by older code and tests have none.)
    #[ts(optional = nullable)]
    pub pinned_cert: Option<String>,
    /// The origin of the links this profile hands out, when it is not `base_url`: a pinned
    /// relay's plain-HTTP address (`http://10.0.0.5:7143/`), which recipients' browsers open.
    #[ts(optional = nullable)]
    pub link_origin: Option<String>,
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
    /// The pinned certificate's fingerprint, 64 lower-case hex digits (from an invite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pinned_cert: Option<String>,
    /// The plain-HTTP origin links carry, when calls go to a pinned HTTPS port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link_base: Option<String>,
}

/// A colleague's relay as an invite describes it, ready to become a pinned profile.
#[derive(Debug, Clone)]
pub struct InvitedRelay {
    /// The relay's display name.
    pub name: String,
    /// Its HTTPS API base, `https://HOST:HTTPS_PORT/`.
    pub base_url: Url,
    /// Its plain-HTTP origin, the links' address.
    pub link_base: Url,
    /// The certificate to accept there.
    pub pin: CertPin,
    /// The token's name (HTTP Basic user).
    pub token_name: String,
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
    /// The only certificate to accept (a relay imported from an invite).
    pub pin: Option<CertPin>,
    /// The origin links carry, when it is not `base_url`.
    pub link_base: Option<Url>,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("profile", &self.profile.id)
            .field("base_url", &self.base_url.as_str())
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("in_process", &self.in_process.is_some())
            .field("pin", &self.pin)
            .field("link_base", &self.link_base.as_ref().map(Url::as_str))
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
                pinned_cert: None,
                link_origin: None,
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
                pinned_cert: None,
                link_origin: None,
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
            // Shown as people compare fingerprints; a damaged entry shows as stored, and
            // `resolve` refuses it.
            pinned_cert: c.pinned_cert.as_ref().map(|hex| {
                hex.parse::<CertPin>()
                    .map_or_else(|_| hex.clone(), |pin| pin.to_string())
            }),
            link_origin: c.link_base.clone(),
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
        let stored = self.file.custom.iter().find(|c| c.id == id);
        let damaged = |what: &str| TrackerError::InvalidFile {
            path: self.path.display().to_string(),
            message: format!("the {what} of profile {id:?} is not valid"),
        };
        // A pin that cannot be read must not quietly become "no pin": refuse the profile.
        let pin = match stored.and_then(|c| c.pinned_cert.as_deref()) {
            Some(hex) => Some(
                hex.parse::<CertPin>()
                    .map_err(|_| damaged("pinned certificate"))?,
            ),
            None => None,
        };
        let link_base = match stored.and_then(|c| c.link_base.as_deref()) {
            Some(text) => Some(Url::parse(text).map_err(|_| damaged("link address"))?),
            None => None,
        };
        Ok(Resolved {
            profile,
            base_url,
            credentials,
            in_process,
            pin,
            link_base,
        })
    }

    /// Adds the pinned profile of a relay an invite named, or updates the custom profile
    /// that already calls the same address (a new invite after the relay's certificate
    /// changed). Returns the profile and whether it is new. The token is the caller's to
    /// store ([`Profiles::set_token`]).
    pub fn import(&mut self, relay: &InvitedRelay) -> Result<(Profile, bool)> {
        let name = checked_name(&relay.name)?;
        let base_url = checked_url(relay.base_url.as_str())?;
        let link_base = checked_url(relay.link_base.as_str())?;
        let username = clean(Some(&relay.token_name));
        let existing = self.file.custom.iter_mut().find(|c| c.base_url == base_url);
        let (id, created) = match existing {
            Some(stored) => {
                stored.name = name;
                stored.username = username;
                stored.hushlink_relay = true;
                stored.pinned_cert = Some(relay.pin.to_hex());
                stored.link_base = Some(link_base);
                (stored.id.clone(), false)
            }
            None => {
                let stored = StoredProfile {
                    id: format!("custom-{}", &random_id()[..12]),
                    name,
                    base_url,
                    username,
                    hushlink_relay: true,
                    pinned_cert: Some(relay.pin.to_hex()),
                    link_base: Some(link_base),
                };
                let id = stored.id.clone();
                self.file.custom.push(stored);
                (id, true)
            }
        };
        self.save()?;
        Ok((self.get(&id, "")?, created))
    }

    /// Adds a custom profile.
    pub fn add(&mut self, input: &ProfileInput) -> Result<Profile> {
        let stored = StoredProfile {
            id: format!("custom-{}", &random_id()[..12]),
            name: checked_name(&input.name)?,
            base_url: checked_url(&input.base_url)?,
            username: clean(input.username.as_deref()),
            hushlink_relay: input.hushlink_relay,
            pinned_cert: None,
            link_base: None,
        };
        let id = stored.id.clone();
        self.file.custom.push(stored);
        self.save()?;
        self.get(&id, "")
    }

    /// Edits a custom profile. A pinned profile keeps its pin and link address: only a new
    /// invite changes them, since a pin typed over by hand would be no pin at all.
    ///
    /// A new origin (scheme, host or port) drops the stored token: it was given for the old
    /// server, and sending it to whatever the address now names would hand it to a stranger.
    /// The person enters a token for the new server if it needs one. The token leaves the
    /// keyring before the profile changes, so a keyring error leaves both as they were.
    pub fn update(&mut self, id: &str, input: &ProfileInput) -> Result<Profile> {
        let name = checked_name(&input.name)?;
        let base_url = checked_url(&input.base_url)?;
        let moved = origin_of(&self.custom_mut(id)?.base_url) != origin_of(&base_url);
        if moved && self.file.with_token.contains(id) {
            match self.keychain.delete(&token_account(id)) {
                Ok(()) | Err(TrackerError::KeyringUnavailable { .. }) => {}
                Err(e) => return Err(e),
            }
            self.file.with_token.remove(id);
        }
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

/// The most characters a profile name may have: enough for "Front office relay (2nd
/// floor)", short enough for the profile picker.
pub const NAME_MAX_CHARS: usize = 80;

fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(TrackerError::ProfileNameInvalid {
            max: NAME_MAX_CHARS,
        });
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

/// `scheme://host:port` of a stored base URL; `None` if it does not parse (then any change
/// counts as a new origin).
fn origin_of(base_url: &str) -> Option<url::Origin> {
    Url::parse(base_url)
        .ok()
        .map(|url| url.origin())
        .filter(url::Origin::is_tuple)
}

fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests;
