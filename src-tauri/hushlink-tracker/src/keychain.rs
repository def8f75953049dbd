//! The OS keyring, behind a small trait so tests can swap in memory.
//!
//! Two things live there: each profile's API token (account `token:<profile id>`) and the
//! data key that encrypts stored links (account `data-key`). There is deliberately no file
//! fallback: a token or key in a file next to the database would make the database alone
//! enough to read the links, which is what the keyring is for. When no keyring answers,
//! callers get [`TrackerError::KeyringUnavailable`] and decide (see `docs/tracker.md`).
//!
//! Calls are blocking (D-Bus round trips of a few milliseconds). They happen on user actions
//! and once at start, never in the poller's loop.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::error::{Result, TrackerError};

/// Keyring service name of the installed app. Tests use their own.
pub const SERVICE: &str = "hushlink";

/// Where secrets are kept. Implementations must never write them to a plain file.
pub trait Keychain: Send + Sync + fmt::Debug {
    /// The secret under `account`, or `None` when there is none.
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>>;
    /// Stores `secret` under `account`, replacing any old one.
    fn set(&self, account: &str, secret: &str) -> Result<()>;
    /// Removes `account`; removing a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The platform keyring through the `keyring` crate (Secret Service on Linux, Keychain on
/// macOS, Credential Manager on Windows).
#[derive(Debug, Clone)]
pub struct OsKeychain {
    service: String,
}

impl OsKeychain {
    /// A keychain whose entries are filed under `service` (use [`SERVICE`] in the app).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(map_error)
    }
}

impl Keychain for OsKeychain {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<()> {
        self.entry(account)?.set_password(secret).map_err(map_error)
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// "No keyring" and "keyring said no" are different things for the user: the first means
/// anonymous mode, the second a problem to report.
fn map_error(error: keyring::Error) -> TrackerError {
    match error {
        keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
            TrackerError::KeyringUnavailable {
                reason: e.to_string(),
            }
        }
        other => TrackerError::Keyring(other.to_string()),
    }
}

/// An in-memory keychain for tests and for previews; can also play a missing keyring.
#[derive(Default)]
pub struct MemoryKeychain {
    entries: Mutex<HashMap<String, Zeroizing<String>>>,
    unavailable: bool,
}

impl MemoryKeychain {
    /// An empty, working keychain.
    pub fn new() -> Self {
        Self::default()
    }

    /// A keychain that fails every call the way a headless session does.
    pub fn unavailable() -> Self {
        Self {
            unavailable: true,
            ..Self::default()
        }
    }

    fn check(&self) -> Result<()> {
        if self.unavailable {
            return Err(TrackerError::KeyringUnavailable {
                reason: "no Secret Service on the session bus".into(),
            });
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Zeroizing<String>>> {
        // A panic while holding this lock cannot leave the map half-updated: recover it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryKeychain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryKeychain")
            .field("accounts", &self.lock().len())
            .field("unavailable", &self.unavailable)
            .finish()
    }
}

impl Keychain for MemoryKeychain {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>> {
        self.check()?;
        Ok(self.lock().get(account).cloned())
    }

    fn set(&self, account: &str, secret: &str) -> Result<()> {
        self.check()?;
        self.lock()
            .insert(account.to_owned(), Zeroizing::new(secret.to_owned()));
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.check()?;
        self.lock().remove(account);
        Ok(())
    }
}

/// Keyring account of a profile's API token.
pub fn token_account(profile_id: &str) -> String {
    format!("token:{profile_id}")
}

/// Keyring account of the store's data key.
pub(crate) const DATA_KEY_ACCOUNT: &str = "data-key";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keychain_round_trips_and_deletes() {
        let keychain = MemoryKeychain::new();
        assert!(keychain.get("a").expect("works").is_none());
        keychain.set("a", "token").expect("works");
        assert_eq!(
            keychain
                .get("a")
                .expect("works")
                .as_deref()
                .map(String::as_str),
            Some("token")
        );
        keychain.delete("a").expect("works");
        keychain.delete("a").expect("deleting twice is fine");
        assert!(keychain.get("a").expect("works").is_none());
        assert!(
            !format!("{keychain:?}").contains("token"),
            "Debug shows no secret"
        );
    }

    #[test]
    fn unavailable_keychain_says_so() {
        let err = MemoryKeychain::unavailable()
            .get("a")
            .expect_err("no keyring");
        assert_eq!(err.code(), "keyring_unavailable");
    }
}
