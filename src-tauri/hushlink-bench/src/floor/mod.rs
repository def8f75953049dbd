//! The durable floor (issue 19): the least a durable, exactly-once secret server must do,
//! as a measuring stick for the relay. Values live in a map; a create is answered only after
//! its record is in a synced group commit, and a reveal removes its value from the map
//! exactly once and is answered only after its record is synced too. No encryption, no
//! indexes, no expiry, no receipts: anything the relay does beyond this is its own cost.
//!
//! - [`journal`]: the group-committing writer thread and the [`Sink`] it writes to.

pub mod journal;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

pub use journal::{Journal, Sink};

/// Why a create or reveal could not be acknowledged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FloorError {
    /// Writing or syncing the log failed; the floor accepts no more writes.
    #[error("the log could not be written or synced ({kind})")]
    Journal {
        /// What the operating system said.
        kind: std::io::ErrorKind,
    },
    /// The writer thread is gone (the server is stopping).
    #[error("the log writer has stopped")]
    Stopped,
}

/// The keys a create hands out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minted {
    /// The receipt's key (the floor keeps no receipts; minted for the answer's shape).
    pub metadata_key: String,
    /// The key that reveals the value.
    pub secret_key: String,
}

/// Values by key, and the log every change goes through.
pub struct Floor {
    values: Mutex<HashMap<String, String>>,
    journal: Journal,
    mint: AtomicU64,
}

impl Floor {
    /// A floor with nothing stored, writing through `journal`.
    pub fn new(journal: Journal) -> Self {
        Self {
            values: Mutex::new(HashMap::new()),
            journal,
            mint: AtomicU64::new(0),
        }
    }

    /// Distinct 50-character keys from a counter: minting costs nothing, as in `bench-bare`.
    fn key(&self) -> String {
        format!("f{:049}", self.mint.fetch_add(1, Ordering::Relaxed))
    }

    /// Stores `value` once its record is synced.
    pub async fn create(&self, value: String) -> Result<Minted, FloorError> {
        let minted = Minted {
            metadata_key: self.key(),
            secret_key: self.key(),
        };
        // Length-prefixed, so a value may hold any bytes, newlines included.
        let mut record = format!("c {} {}\n", minted.secret_key, value.len()).into_bytes();
        record.extend_from_slice(value.as_bytes());
        record.push(b'\n');
        self.journal.commit(record).await?;
        self.map().insert(minted.secret_key.clone(), value);
        Ok(minted)
    }

    /// Takes the value under `key`, exactly once: `None` if it is not there (never was, or
    /// already taken). The value is out of the map before the record is written, so a
    /// second reveal racing this one finds nothing.
    pub async fn reveal(&self, key: &str) -> Result<Option<String>, FloorError> {
        let Some(value) = self.map().remove(key) else {
            return Ok(None);
        };
        self.journal
            .commit(format!("r {key}\n").into_bytes())
            .await?;
        Ok(Some(value))
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // A panic while holding the lock cannot leave the map half-changed (one insert or
        // remove), so a poisoned lock is still sound to use.
        self.values.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests;
