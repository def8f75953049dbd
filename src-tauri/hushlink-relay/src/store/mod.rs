//! The SQLite store: one writer thread with group commit, a small pool of readers.
//!
//! Every change (create, reveal, burn, failed passphrase, sweep, token change, access-log
//! line) is a job sent to the single writer thread. The thread drains whatever jobs are
//! queued, runs each inside its own savepoint of one `BEGIN IMMEDIATE` transaction, commits
//! once, and answers each job only once that commit is on disk (a syncer thread flushes the
//! WAL while the writer runs the next batch; see `store/writer.rs`). So:
//! - an acknowledged create or reveal is durable (with [`Durability::Full`], fsynced);
//! - a revealed value is returned only after the deletion of its row is committed, so a
//!   crash can never let a secret be shown twice;
//! - concurrent requests share one fsync (group commit) instead of queueing for one each;
//! - a job that fails rolls back its own savepoint without failing its neighbours.
//!
//! Reads (peek, receipts, status, the access log) run on pooled read-only connections on the
//! blocking pool; WAL lets them proceed while the writer commits.
//!
//! The operations see it only through [`Storage`] (`store/storage.rs`), the interface a
//! second engine (PostgreSQL, issue 18) implements; [`Store`] is the SQLite engine.

mod attempts;
mod checkpoint;
pub(crate) mod invites;
mod log;
pub(crate) mod quota;
mod receipts;
mod rows;
#[cfg(test)]
mod rows_tests;
pub mod schema;
mod storage;
mod tokens;
mod usage;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{broadcast, mpsc, oneshot};

pub use attempts::{Attempt, Reservation};
pub use log::{insert as insert_log, LogLine};
pub use rows::*;
pub use schema::Durability;
pub use storage::{NewInvite, Storage, StoreFuture, Take};
pub use tokens::{revoke as revoke_token, TokenRow};

use crate::access_log::AccessLogEntry;
use crate::error::{Error, Result};

/// Queue depth before senders wait (backpressure instead of unbounded memory).
const QUEUE: usize = 4096;
/// Idle read connections kept open.
const IDLE_READERS: usize = 8;
/// Access-log lines a slow subscriber may fall behind before it sees `Lagged`.
const LOG_FEED: usize = 256;

/// Handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Box<dyn writer::Job>>,
    readers: Arc<Readers>,
    /// Access-log lines as their group commit succeeds (the relay panel's live log).
    committed_log: broadcast::Sender<AccessLogEntry>,
    /// On once the writer stopped writing for good (a failed commit or flush).
    writes_stopped: Arc<std::sync::atomic::AtomicBool>,
}

impl Store {
    /// Opens (creating if needed) the database file, migrates it and starts the writer. With
    /// `scrub_after`, the WAL is truncated after that long without writes, so revealed
    /// secrets' ciphertexts do not stay in it (`store/checkpoint.rs`).
    pub fn open(
        path: &Path,
        durability: Durability,
        scrub_after: Option<std::time::Duration>,
    ) -> Result<Self> {
        let open_err = |source| Error::Open {
            path: path.to_owned(),
            source,
        };
        // Owner-only before SQLite makes the WAL and shared-memory files, which take the
        // database file's mode; files of an older relay are narrowed after the open.
        create_private(path).map_err(Error::Io)?;
        let mut conn = Connection::open(path).map_err(open_err)?;
        schema::configure_writer(&conn).map_err(open_err)?;
        schema::migrate(&mut conn)?;
        let ledger = usage::Ledger::count(&conn)?;
        restrict_permissions(path);
        let (jobs, rx) = mpsc::channel(QUEUE);
        let (committed_log, _) = broadcast::channel(LOG_FEED);
        // Plain threads, not the blocking pool: they live as long as the store and block on
        // the disk. They end when the last `Store` (and so the last sender) is dropped.
        let mut wal = writer::WalFile::of(path);
        let checkpoints = checkpoint::spawn(path, scrub_after).map_err(Error::Io)?;
        let writes_stopped = writer::spawn(
            conn,
            ledger,
            rx,
            committed_log.clone(),
            durability,
            Box::new(move || wal.flush()),
            checkpoints,
        )
        .map_err(Error::Io)?;
        let readers = Arc::new(Readers {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        });
        Ok(Self {
            jobs,
            readers,
            committed_log,
            writes_stopped,
        })
    }

    /// Runs `f` in the next group commit and returns its result once that commit is durable.
    /// If `f` fails, only its own changes are rolled back.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.write_job(f, true).await
    }

    /// [`Store::write`] without a savepoint of its own, for the hot path (create, reveal),
    /// whose jobs fail only when the database does: if `f` fails, the whole group commit is
    /// rolled back and every job in it fails.
    async fn write_unguarded<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.write_job(f, false).await
    }

    async fn write_job<T, F>(&self, f: F, guarded: bool) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job = Box::new(writer::Pending {
            work: Some(f),
            result: None,
            reply: tx,
            guarded,
        });
        self.jobs.send(job).await.map_err(|_| Error::StoreClosed)?;
        rx.await.map_err(|_| Error::StoreClosed)?
    }

    /// Queues `f` without waiting for its commit (access-log lines of read-only requests).
    fn write_detached<F>(&self, f: F)
    where
        F: FnOnce(&Connection) -> Result<()> + Send + 'static,
    {
        let (tx, _rx) = oneshot::channel();
        let job = Box::new(writer::Pending {
            work: Some(f),
            result: None,
            reply: tx,
            guarded: true,
        });
        if self.jobs.try_send(job).is_err() {
            tracing::warn!("store queue full or closed; an access-log line was dropped");
        }
    }

    /// Access-log lines from now on, each sent once its commit is durable.
    pub fn subscribe_log(&self) -> broadcast::Receiver<AccessLogEntry> {
        self.committed_log.subscribe()
    }

    /// Runs `f` on a read-only connection on the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || {
            let conn = readers.take()?;
            let result = f(&conn);
            readers.give(conn);
            result
        })
        .await
        .map_err(|_| Error::StoreClosed)?
    }
}

/// Creates the database file empty and owner-only (`0600`) when it does not exist yet, so
/// it is never readable by others, not even between its creation and a `chmod`.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Files holding ciphertext and hashes only, yet still nobody else's business: the
/// database, its WAL and its shared-memory index, owner-only (`0600`).
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

struct Readers {
    path: PathBuf,
    // std Mutex: held only to push or pop, never across an await.
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    fn take(&self) -> Result<Connection> {
        if let Some(conn) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(conn);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        schema::configure_reader(&conn)?;
        Ok(conn)
    }

    fn give(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(conn: &Connection) -> Result<i64> {
        Ok(conn.query_row("SELECT count(*) FROM access_log", [], |r| r.get(0))?)
    }

    fn insert(conn: &Connection) -> Result<()> {
        conn.execute(
            "INSERT INTO access_log (at, action) VALUES (1, 'create')",
            [],
        )?;
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn subscribers_hear_committed_log_lines_only() {
        use crate::access_log::AccessAction;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3"), Durability::Full, None).unwrap();
        let mut feed = store.subscribe_log();
        let line = |id: &str| LogLine::new(7, AccessAction::Reveal, Some(id.into()), None, None);
        let (kept, dropped) = (line("kept"), line("rolled-back"));
        let failed = store
            .write(move |conn| {
                insert_log(conn, &dropped)?;
                Err::<(), _>(Error::Corrupt)
            })
            .await;
        assert!(failed.is_err());
        store
            .write(move |conn| insert_log(conn, &kept))
            .await
            .unwrap();
        let heard = feed.recv().await.expect("a committed line is announced");
        assert_eq!(
            heard.key_id.as_deref(),
            Some("kept"),
            "the rolled-back line never is"
        );
        assert!(feed.try_recv().is_err(), "nothing else was announced");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_or_panicking_job_rolls_back_alone_and_the_writer_survives() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.sqlite3"), Durability::Full, None).unwrap();
        let (good, bad, panicking, after) = tokio::join!(
            store.write(insert),
            store.write(|conn| {
                insert(conn)?;
                Err::<(), _>(Error::Corrupt)
            }),
            store.write(|conn| -> Result<()> {
                insert(conn)?;
                panic!("job bug")
            }),
            store.write(insert),
        );
        good.unwrap();
        after.unwrap();
        assert!(matches!(bad, Err(Error::Corrupt)), "{bad:?}");
        assert!(matches!(panicking, Err(Error::Commit(_))), "{panicking:?}");
        assert_eq!(
            store.read(count).await.unwrap(),
            2,
            "only the two good jobs left rows"
        );
        store
            .write(insert)
            .await
            .expect("the writer still runs after a panic");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_commits_and_are_all_durable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let store = Store::open(&path, Durability::Full, None).unwrap();
        let writes: Vec<_> = (0..200).map(|_| store.write(insert)).collect();
        for result in futures_util::future::join_all(writes).await {
            result.unwrap();
        }
        drop(store);
        let reopened = Connection::open(&path).unwrap();
        assert_eq!(
            count(&reopened).unwrap(),
            200,
            "every acknowledged write is in the file"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_checkpointer_copies_the_wal_into_the_database_without_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let store = Store::open(&path, Durability::Full, None).unwrap();
        // About 1.6 MB in 200 commits: ~450 WAL pages, far below the writer's own
        // autocheckpoint (64,000 pages), so only the checkpointer moves them.
        for _ in 0..200 {
            store
                .write(|conn| {
                    conn.execute(
                        "INSERT INTO access_log (at, action, user_agent) VALUES (1, 'create', ?1)",
                        [" ".repeat(8_000)],
                    )?;
                    Ok(())
                })
                .await
                .unwrap();
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let size = std::fs::metadata(&path).unwrap().len();
            if size > 1_500_000 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the database file stayed at {size} bytes: nothing was checkpointed"
            );
            tokio::time::sleep(checkpoint::PERIOD).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_idle_store_truncates_its_wal_and_a_busy_one_keeps_writing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let idle = std::time::Duration::from_millis(50);
        let store = Store::open(&path, Durability::Full, Some(idle)).unwrap();
        let wal = dir.path().join("t.sqlite3-wal");
        for _ in 0..2 {
            for _ in 0..20 {
                store.write(insert).await.unwrap();
            }
            assert!(
                std::fs::metadata(&wal).unwrap().len() > 0,
                "the commits went to the WAL"
            );
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while std::fs::metadata(&wal).unwrap().len() > 0 {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the WAL was not truncated after the store went idle"
                );
                tokio::time::sleep(idle).await;
            }
        }
        assert_eq!(
            store.read(count).await.unwrap(),
            40,
            "truncating lost no committed row"
        );
    }
}
