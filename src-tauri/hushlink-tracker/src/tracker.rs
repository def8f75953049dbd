//! [`Tracker`]: the one handle the shell keeps. It owns the store, profiles, settings and the
//! status poller task, which stops when the tracker is dropped or shut down.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use hushlink_client::Options;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, oneshot, Notify};
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::error::{Result, TrackerError};
use crate::events::TrackerEvent;
use crate::keychain::{Keychain, OsKeychain, SERVICE};
use crate::notify::{DesktopNotifier, Notifier};
use crate::policy::PollPolicy;
use crate::profiles::Profiles;
use crate::settings::SettingsFile;
use crate::shared::{Counters, Inner};
use crate::store::Store;

/// Events buffered per subscriber before it is told it lagged.
const EVENT_CAPACITY: usize = 1024;

/// Everything the tracker is built from. Tests inject a temp dir, a memory keychain, a
/// recording notifier and a manual clock; the app uses [`TrackerConfig::desktop`].
#[derive(Debug, Clone)]
pub struct TrackerConfig {
    /// Folder of `tracker.sqlite3`.
    pub data_dir: PathBuf,
    /// Folder of `settings.json` and `profiles.json`.
    pub config_dir: PathBuf,
    /// Where tokens and the data key live.
    pub keychain: Arc<dyn Keychain>,
    /// Where notifications go.
    pub notifier: Arc<dyn Notifier>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Poller tunables.
    pub policy: PollPolicy,
    /// HTTP timeouts for every server call.
    pub client_options: Options,
    /// Run the poller as a background task (the app). `false` leaves polling to explicit
    /// [`Tracker::poll_due`] calls, for benchmarks that step simulated time.
    pub background_poller: bool,
}

impl TrackerConfig {
    /// The installed app's configuration: the platform's data and config folders under the
    /// app identifier (`~/.local/share/io.hushlink.desktop` and `~/.config/io.hushlink.desktop`
    /// on Linux), the OS keyring, desktop notifications and the system clock.
    pub fn desktop(identifier: &str) -> Result<Self> {
        let missing = TrackerError::SystemFolderMissing;
        Ok(Self {
            data_dir: dirs::data_dir()
                .ok_or_else(|| missing("data"))?
                .join(identifier),
            config_dir: dirs::config_dir()
                .ok_or_else(|| missing("config"))?
                .join(identifier),
            keychain: Arc::new(OsKeychain::new(SERVICE)),
            notifier: Arc::new(DesktopNotifier::new()),
            clock: Arc::new(SystemClock),
            policy: PollPolicy::default(),
            client_options: Options::default(),
            background_poller: true,
        })
    }

    /// The database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("tracker.sqlite3")
    }

    /// Deletes the database (entries and history), for the one case where it cannot be
    /// opened: its data key is gone from the keyring ([`TrackerError::DataKeyMissing`]) and
    /// the user chose to start over. Settings and profiles are kept.
    pub fn discard_store(&self) -> Result<()> {
        let path = self.database_path();
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(TrackerError::io(std::path::Path::new(&file), e)),
            }
        }
        Ok(())
    }
}

/// Whether the tracker can remember things, for a banner in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackerStatus {
    /// Sent secrets survive a restart (false without a keyring).
    pub persistent: bool,
    /// The OS keyring answered at start.
    pub keyring_available: bool,
    /// What the platform said when it did not, for the details pane.
    pub keyring_message: Option<String>,
    /// Secrets still being watched.
    pub active: usize,
}

/// What the poller has asked servers since start (for diagnostics and the benchmark).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollStats {
    /// Batch-status requests (each covers up to `batch_size` secrets).
    pub batch_requests: u64,
    /// Receipt requests (one secret each).
    pub receipt_requests: u64,
    /// Failed checks that started a backoff.
    pub failures: u64,
}

/// The tracker. Create it inside a Tokio runtime; it runs its poller on that runtime.
pub struct Tracker {
    pub(crate) inner: Arc<Inner>,
    poller: Option<PollerTask>,
}

struct PollerTask {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

impl Tracker {
    /// Opens the store, profiles and settings and starts the poller.
    ///
    /// Without a keyring this still succeeds, in memory only ([`TrackerStatus::persistent`]
    /// is false): the user can share and track anonymously until they quit. A database whose
    /// key is missing from a working keyring is an error ([`TrackerError::DataKeyMissing`]).
    pub fn start(config: TrackerConfig) -> Result<Self> {
        let settings = SettingsFile::load(config.config_dir.join("settings.json"))?;
        let profiles = Profiles::load(
            config.config_dir.join("profiles.json"),
            Arc::clone(&config.keychain),
        )?;
        let (store, keyring_problem) =
            match Store::open(&config.database_path(), config.keychain.as_ref()) {
                Ok(store) => (store, None),
                Err(TrackerError::KeyringUnavailable { reason }) => {
                    tracing::warn!("no keyring; tracking in memory only");
                    (Store::open_in_memory()?, Some(reason))
                }
                Err(e) => return Err(e),
            };
        // Whatever happened while the app was closed is learned first thing.
        store.make_all_due(config.clock.now_ms())?;
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        let inner = Arc::new(Inner {
            store,
            profiles: Mutex::new(profiles),
            settings: Mutex::new(settings),
            notifier: config.notifier,
            clock: config.clock,
            policy: config.policy,
            client_options: config.client_options,
            events,
            wake: Notify::new(),
            servers: Mutex::new(HashMap::new()),
            keyring_problem,
            stats: Counters::default(),
        });
        let poller = config.background_poller.then(|| {
            let (stop, stopped) = oneshot::channel();
            let task = tokio::spawn(crate::poller::run(Arc::clone(&inner), stopped));
            PollerTask { stop, task }
        });
        Ok(Self { inner, poller })
    }

    /// Stops the poller and waits for it; the store closes when the tracker is dropped.
    pub async fn shutdown(mut self) {
        if let Some(poller) = self.poller.take() {
            let _ = poller.stop.send(());
            let _ = poller.task.await;
        }
    }

    /// A receiver of every [`TrackerEvent`] from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<TrackerEvent> {
        self.inner.events.subscribe()
    }

    /// Runs one poll pass now (what the background poller does when woken); returns when
    /// the next check is due (Unix ms).
    pub async fn poll_due(&self) -> i64 {
        self.inner.poll_pass().await
    }

    /// Requests made by the poller since start.
    pub fn poll_stats(&self) -> PollStats {
        let c = &self.inner.stats;
        PollStats {
            batch_requests: c.batch_requests.load(Ordering::Relaxed),
            receipt_requests: c.receipt_requests.load(Ordering::Relaxed),
            failures: c.failures.load(Ordering::Relaxed),
        }
    }

    /// Persistence and keyring state, and how many secrets are watched.
    pub fn status(&self) -> Result<TrackerStatus> {
        Ok(TrackerStatus {
            persistent: self.inner.store.is_persistent(),
            keyring_available: self.inner.keyring_problem.is_none(),
            keyring_message: self.inner.keyring_problem.clone(),
            active: self.inner.store.active_count()?,
        })
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        if let Some(poller) = self.poller.take() {
            let _ = poller.stop.send(());
            // Not awaited here (drop cannot await); abort guarantees the task ends at its
            // next await point, and it holds no lock across one.
            poller.task.abort();
        }
    }
}

impl Tracker {
    /// Checks `profile_id`'s unread secrets now rather than when they are next due: for a
    /// server that tells the app what happened (the app's own relay, whose access log it
    /// hears), so a secret turns "opened" the moment it is revealed. The checks go through
    /// the poller as any other (one batch, the server's budget), and run on its next pass,
    /// which this starts.
    pub fn check_profile_now(&self, profile_id: &str) {
        let now = self.inner.clock.now_ms();
        if let Err(error) = self.inner.store.make_profile_due(profile_id, now) {
            tracing::warn!(%error, "could not bring a profile's checks forward");
        }
        self.inner.wake.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::keychain::MemoryKeychain;
    use crate::notify::RecordingNotifier;

    #[tokio::test]
    async fn dropping_the_tracker_stops_its_poller() {
        let dir = tempfile::tempdir().expect("temp dir");
        let tracker = Tracker::start(TrackerConfig {
            data_dir: dir.path().join("data"),
            config_dir: dir.path().join("config"),
            keychain: Arc::new(MemoryKeychain::new()),
            notifier: Arc::new(RecordingNotifier::new()),
            clock: Arc::new(ManualClock::new(0)),
            policy: PollPolicy::default(),
            client_options: Options::default(),
            background_poller: true,
        })
        .expect("starts");
        let inner = Arc::downgrade(&tracker.inner);
        assert_eq!(inner.strong_count(), 2, "the handle and the poller task");
        drop(tracker);
        for _ in 0..100 {
            if inner.strong_count() == 0 {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("the poller task outlived its tracker");
    }
}
