//! [`Inner`]: the state the [`Tracker`](crate::Tracker) handle and its poller task share.
//!
//! It lives apart from both so that the poller (which reads and updates it) and the tracker
//! (which builds it and starts the poller) each depend on it, not on each other.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hushlink_client::{Client, Options};
use tokio::sync::{broadcast, Notify};

use crate::clock::Clock;
use crate::events::TrackerEvent;
use crate::notify::Notifier;
use crate::policy::{Budget, PollPolicy};
use crate::profiles::Profiles;
use crate::settings::SettingsFile;
use crate::store::Store;

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub batch_requests: AtomicU64,
    pub receipt_requests: AtomicU64,
    pub failures: AtomicU64,
}

/// Per-server poller state: its client, backoff and request budget.
pub(crate) struct Server {
    pub client: Client,
    pub failures: u32,
    pub retry_at: i64,
    pub budget: Budget,
    /// `Some(false)` once the server said it has no batch status.
    pub batch: Option<bool>,
    /// Entries a batch found gone whose receipt the budget could not yet cover; they skip
    /// the batch and go first next time, so batches can never starve them.
    pub needs_receipt: HashSet<String>,
}

/// State shared by the handle and the poller task.
pub(crate) struct Inner {
    pub store: Store,
    pub profiles: Mutex<Profiles>,
    pub settings: Mutex<SettingsFile>,
    pub notifier: Arc<dyn Notifier>,
    pub clock: Arc<dyn Clock>,
    pub policy: PollPolicy,
    pub client_options: Options,
    pub events: broadcast::Sender<TrackerEvent>,
    /// Wakes the poller early: a new secret, a refresh-all, a profile change.
    pub wake: Notify,
    /// Per profile id. Cleared when profiles change, so clients never use stale settings.
    pub servers: Mutex<HashMap<String, Server>>,
    pub keyring_problem: Option<String>,
    pub stats: Counters,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section here leaves the data consistent even if it panics midway.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Inner {
    pub fn emit(&self, event: TrackerEvent) {
        // No subscriber is fine: the shell may not be listening yet.
        let _ = self.events.send(event);
    }
}
