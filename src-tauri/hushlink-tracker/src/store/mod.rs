//! The local SQLite store: one file, WAL, versioned migrations, owner-only permissions.
//!
//! What is in clear: labels, recipients, profile ids, times, states and the history log, so
//! the list can be filtered and searched in SQL. What is sealed (AES-256-GCM under the
//! [`DataKey`] from the keyring): the share link and the receipt key, the two values that
//! would let someone read or burn the secret. The secret text is never stored.
//!
//! One `std::sync::Mutex<Connection>`: every statement is short and nothing awaits while the
//! lock is held, so an async mutex would buy nothing; the poller and the UI share it.

mod entries;
mod history;
#[cfg(test)]
mod history_tests;
mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{params, Connection, OptionalExtension};

pub use entries::{NewEntry, PollTarget};
pub use history::HistoryNote;

use crate::crypto::DataKey;
use crate::error::{Result, TrackerError};
use crate::fsutil;
use crate::keychain::Keychain;

/// Sealed marker that proves the data key in the keyring is the one the file was written with.
const KEY_CHECK_CONTEXT: &str = "store/key-check";
const KEY_CHECK_PLAINTEXT: &[u8] = b"hushlink data key v1";

/// The tracker's database.
pub struct Store {
    conn: Mutex<Connection>,
    key: DataKey,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the database at `path`, with its data key from `keychain`.
    ///
    /// A new database gets a new key, saved to the keyring first. An existing one must find
    /// its key there: otherwise [`TrackerError::DataKeyMissing`], rather than silently
    /// starting over and leaving every saved link unreadable.
    pub fn open(path: &Path, keychain: &dyn Keychain) -> Result<Self> {
        // Ask the keyring first: without one, no file is created at all.
        let stored_key = DataKey::load(keychain)?;
        if let Some(parent) = path.parent() {
            fsutil::create_private_dir(parent)?;
        }
        create_private_file(path)?;
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL is durable across application crashes in WAL mode; a power cut may lose the
        // last transaction, which the next status poll recovers from the server.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&conn)?;
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            fsutil::restrict(Path::new(&side))?;
        }
        let key = resolve_key(&conn, keychain, stored_key)?;
        Ok(Self {
            conn: Mutex::new(conn),
            key,
            path: Some(path.to_owned()),
        })
    }

    /// A database that lives in memory only, under a throwaway key: what the tracker uses
    /// when no keyring is available (nothing outlives the process).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::migrate(&conn)?;
        let key = DataKey::generate();
        write_key_check(&conn, &key)?;
        Ok(Self {
            conn: Mutex::new(conn),
            key,
            path: None,
        })
    }

    /// The file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when entries survive a restart.
    pub fn is_persistent(&self) -> bool {
        self.path.is_some()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // SQLite rolls back an unfinished transaction itself; a poisoned guard is still usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| TrackerError::io(path, e))?;
    // An older file may have been created with looser permissions.
    fsutil::restrict(path)
}

fn resolve_key(
    conn: &Connection,
    keychain: &dyn Keychain,
    stored: Option<DataKey>,
) -> Result<DataKey> {
    let check: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM meta WHERE name = 'key_check'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    match (check, stored) {
        (Some(check), Some(key)) => {
            key.open(KEY_CHECK_CONTEXT, &check)
                .map_err(|_| TrackerError::DataKeyMissing)?;
            Ok(key)
        }
        (Some(_), None) => Err(TrackerError::DataKeyMissing),
        (None, stored) => {
            // A fresh database; reuse a key left by an earlier install, or make one.
            let key = match stored {
                Some(key) => key,
                None => {
                    let key = DataKey::generate();
                    key.save(keychain)?;
                    key
                }
            };
            write_key_check(conn, &key)?;
            Ok(key)
        }
    }
}

fn write_key_check(conn: &Connection, key: &DataKey) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (name, value) VALUES ('key_check', ?1)",
        params![key.seal(KEY_CHECK_CONTEXT, KEY_CHECK_PLAINTEXT)],
    )?;
    Ok(())
}

#[cfg(test)]
mod open_tests {
    use super::*;
    use crate::keychain::MemoryKeychain;

    #[test]
    fn file_is_owner_only_and_in_wal_mode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("data").join("tracker.sqlite3");
        let store = Store::open(&path, &MemoryKeychain::new()).expect("opens");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("exists")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600, "the database must not be readable by others");
        }
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(mode, "wal");
    }

    #[test]
    fn reopening_needs_the_same_data_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tracker.sqlite3");
        let keychain = MemoryKeychain::new();
        drop(Store::open(&path, &keychain).expect("creates"));
        Store::open(&path, &keychain).expect("reopens with the same keyring");

        let other = MemoryKeychain::new();
        let err = Store::open(&path, &other).expect_err("a keyring without the key");
        assert_eq!(err.code(), "data_key_missing");
        DataKey::generate().save(&other).expect("saves");
        let err = Store::open(&path, &other).expect_err("a different key");
        assert_eq!(err.code(), "data_key_missing");
    }

    #[test]
    fn no_keyring_means_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("tracker.sqlite3");
        let err = Store::open(&path, &MemoryKeychain::unavailable()).expect_err("no keyring");
        assert_eq!(err.code(), "keyring_unavailable");
        assert!(!path.exists(), "nothing is written without a keyring");
        let store = Store::open_in_memory().expect("memory store");
        assert!(!store.is_persistent());
    }
}
