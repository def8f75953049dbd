//! The writer thread and its syncer: group commit with the fsync off the writer's path.
//!
//! The writer drains the job queue, runs each job in its own savepoint of one `BEGIN
//! IMMEDIATE` transaction and commits. Jobs of the hot path (a create, a reveal) run without
//! a savepoint: a savepoint copies every page the job first touches into a sub-journal, which
//! cost about as much as a third of the job, and these jobs only fail when the database
//! itself does; if one fails anyway, the whole batch is rolled back and all its jobs fail
//! (nothing half-done is ever committed either way). SQLite itself runs with `synchronous=NORMAL`, so
//! `COMMIT` writes the batch's WAL frames without waiting for the disk. With
//! [`Durability::Full`] the committed batch then goes to the syncer thread, which flushes the
//! WAL file (`fdatasync`) and only then answers the batch's jobs and announces its access-log
//! lines. Meanwhile the writer is already running the next batch, so a batch's statements
//! overlap the previous batch's flush instead of waiting for it: on a small machine the
//! flush was a quarter of the writer's time, and the writer is the relay's one serial part.
//!
//! What this keeps:
//! - a job is answered only after its commit is on disk, exactly as with `synchronous=FULL`
//!   (a revealed value leaves the relay only once the deletion of its row is durable);
//! - a crash before the flush loses at most batches nobody was told about: SQLite's WAL
//!   recovery drops frames after the last intact commit, as in any `NORMAL` crash;
//! - other requests may see a committed batch before it is flushed (as under `NORMAL`); they
//!   cannot see a value twice, because taking a value deletes its row in that same batch.
//!
//! A failed flush leaves the page cache in an unknown state ("fsyncgate"): the store stops
//! accepting writes and every waiting and later job fails, so nothing is acknowledged that
//! might not be on disk.

use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc as std_mpsc, Arc};
use std::thread;

use rusqlite::Connection;
use tokio::sync::{broadcast, mpsc};

use super::checkpoint::Nudge;
use super::log;
use super::usage;
use super::Durability;
use crate::access_log::AccessLogEntry;
use crate::error::{Error, Result};

/// Most jobs committed in one transaction; bounds the latency a batch adds to its first job.
const MAX_BATCH: usize = 512;
/// Committed batches the writer may run ahead of the syncer before it waits.
const UNSYNCED_BATCHES: usize = 16;

/// A unit of work for the writer: run inside a savepoint, then told how the commit went.
pub(super) trait Job: Send {
    /// Runs the work; `true` keeps its changes, `false` rolls its savepoint back.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Delivers the result, or the commit failure that voided it.
    fn finish(self: Box<Self>, commit: std::result::Result<(), &str>);
    /// Whether the job runs in a savepoint of its own, so that its failure rolls back only its
    /// own changes; without one, its failure voids the whole batch.
    fn guarded(&self) -> bool {
        true
    }
}

/// A closure and the channel its result goes back on.
pub(super) struct Pending<T, F> {
    pub(super) work: Option<F>,
    pub(super) result: Option<Result<T>>,
    pub(super) reply: tokio::sync::oneshot::Sender<Result<T>>,
    /// See [`Job::guarded`].
    pub(super) guarded: bool,
}

impl<T: Send, F: FnOnce(&Connection) -> Result<T> + Send> Job for Pending<T, F> {
    fn run(&mut self, conn: &Connection) -> bool {
        let result = self
            .work
            .take()
            .map_or(Err(Error::StoreClosed), |work| work(conn));
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, commit: std::result::Result<(), &str>) {
        let outcome = match (commit, self.result) {
            (Ok(()), Some(result)) => result,
            (Err(reason), _) => Err(Error::Commit(reason.to_owned())),
            (Ok(()), None) => Err(Error::Commit(
                "the operation failed inside the store".into(),
            )),
        };
        // The requester may have gone away (client disconnected); the work is committed anyway.
        let _ = self.reply.send(outcome);
    }

    fn guarded(&self) -> bool {
        self.guarded
    }
}

/// Why a group commit was rolled back.
#[derive(Debug, thiserror::Error)]
enum BatchError {
    /// A statement of the batch itself (`BEGIN`, a savepoint, `COMMIT`) failed.
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    /// A job without a savepoint failed: its changes cannot be undone alone.
    #[error("an operation in the same group commit failed, so none of it was kept")]
    Unguarded,
}

/// Makes everything committed so far durable.
pub(super) type Flush = Box<dyn FnMut() -> std::io::Result<()> + Send>;

/// A committed batch on its way to the disk.
struct Committed {
    jobs: Vec<Box<dyn Job>>,
    lines: Vec<AccessLogEntry>,
}

/// Starts the writer (and, for [`Durability::Full`], the syncer running `flush`). Both end
/// when the last sender of `jobs` is dropped. Returns the flag that turns on when writes stop
/// for good (a failed commit or flush), which the status endpoint reads.
pub(super) fn spawn(
    conn: Connection,
    ledger: usage::Ledger,
    jobs: mpsc::Receiver<Box<dyn Job>>,
    feed: broadcast::Sender<AccessLogEntry>,
    durability: Durability,
    flush: Flush,
    checkpoints: Nudge,
) -> std::io::Result<Arc<AtomicBool>> {
    let failed = Arc::new(AtomicBool::new(false));
    let syncer = match durability {
        Durability::Full => {
            let (tx, rx) = std_mpsc::sync_channel(UNSYNCED_BATCHES);
            let (feed, failed) = (feed.clone(), Arc::clone(&failed));
            thread::Builder::new()
                .name("relay-sync".into())
                .spawn(move || run_syncer(&rx, flush, &feed, &failed))?;
            Some(tx)
        }
        Durability::Normal => None,
    };
    let stopped = Arc::clone(&failed);
    thread::Builder::new()
        .name("relay-writer".into())
        .spawn(move || {
            usage::adopt(ledger);
            run_writer(&conn, jobs, syncer.as_ref(), &feed, &failed, &checkpoints);
        })?;
    Ok(stopped)
}

fn run_writer(
    conn: &Connection,
    mut rx: mpsc::Receiver<Box<dyn Job>>,
    syncer: Option<&std_mpsc::SyncSender<Committed>>,
    feed: &broadcast::Sender<AccessLogEntry>,
    failed: &AtomicBool,
    checkpoints: &Nudge,
) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if failed.load(Ordering::Acquire) {
            finish_all(batch.drain(..), Err(FLUSH_FAILED));
            continue;
        }
        let outcome = commit_batch(conn, &mut batch);
        let lines = log::take_uncommitted();
        if outcome.is_ok() {
            usage::commit();
            checkpoints.poke();
        } else {
            usage::undo_since(0);
        }
        match (outcome, syncer) {
            (Err(err), _) => {
                tracing::error!(error = %err, jobs = batch.len(), "group commit failed");
                finish_all(batch.drain(..), Err(&err.to_string()));
            }
            (Ok(()), Some(syncer)) => {
                let committed = Committed {
                    jobs: std::mem::replace(&mut batch, Vec::with_capacity(MAX_BATCH)),
                    lines,
                };
                if let Err(std_mpsc::SendError(lost)) = syncer.send(committed) {
                    // The syncer only stops after a panic; nothing can be confirmed durable.
                    failed.store(true, Ordering::Release);
                    finish_all(lost.jobs.into_iter(), Err(FLUSH_FAILED));
                }
            }
            (Ok(()), None) => {
                announce(feed, lines);
                finish_all(batch.drain(..), Ok(()));
            }
        }
    }
    tracing::debug!("store writer stopped");
}

const FLUSH_FAILED: &str = "the disk did not confirm an earlier write; the relay stopped \
     writing to avoid acknowledging data that may be lost (see the relay's log)";

fn run_syncer(
    rx: &std_mpsc::Receiver<Committed>,
    mut flush: Flush,
    feed: &broadcast::Sender<AccessLogEntry>,
    failed: &AtomicBool,
) {
    let mut ready = Vec::new();
    while let Ok(first) = rx.recv() {
        ready.push(first);
        // Batches committed while the previous flush ran share this one.
        ready.extend(rx.try_iter());
        let flushed = if failed.load(Ordering::Acquire) {
            Err(())
        } else {
            flush().map_err(|err| {
                tracing::error!(error = %err, "flushing the write-ahead log failed; writes stop");
                failed.store(true, Ordering::Release);
            })
        };
        for batch in ready.drain(..) {
            if flushed.is_ok() {
                announce(feed, batch.lines);
                finish_all(batch.jobs.into_iter(), Ok(()));
            } else {
                finish_all(batch.jobs.into_iter(), Err(FLUSH_FAILED));
            }
        }
    }
    tracing::debug!("store syncer stopped");
}

/// Only committed (and, with full durability, flushed) lines are announced; nobody
/// listening is fine.
fn announce(feed: &broadcast::Sender<AccessLogEntry>, lines: Vec<AccessLogEntry>) {
    for line in lines {
        let _ = feed.send(line);
    }
}

fn finish_all(jobs: impl Iterator<Item = Box<dyn Job>>, commit: std::result::Result<(), &str>) {
    for job in jobs {
        job.finish(commit);
    }
}

fn commit_batch(conn: &Connection, batch: &mut [Box<dyn Job>]) -> Result<(), BatchError> {
    exec(conn, "BEGIN IMMEDIATE")?;
    let outcome = run_jobs(conn, batch).and_then(|()| Ok(exec(conn, "COMMIT")?));
    if outcome.is_err() && !conn.is_autocommit() {
        // The whole batch is void; every job's caller gets the commit error.
        let _ = exec(conn, "ROLLBACK");
    }
    outcome
}

/// Runs each job in the open transaction, a guarded one in its own savepoint.
fn run_jobs(conn: &Connection, batch: &mut [Box<dyn Job>]) -> Result<(), BatchError> {
    for job in batch.iter_mut() {
        let guarded = job.guarded();
        let mark = log::uncommitted_mark();
        let counted = usage::uncommitted_mark();
        if guarded {
            exec(conn, "SAVEPOINT job")?;
        }
        // A panicking job must not take the writer thread (and so the whole store) down:
        // it counts as failed, its savepoint is rolled back and its caller gets an error.
        let kept = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run(conn)))
            .unwrap_or_else(|_| {
                tracing::error!("a store job panicked; its changes are rolled back");
                false
            });
        if !guarded {
            if !kept {
                return Err(BatchError::Unguarded);
            }
            continue;
        }
        if !kept {
            exec(conn, "ROLLBACK TO job")?;
            log::forget_uncommitted_since(mark);
            usage::undo_since(counted);
        }
        exec(conn, "RELEASE job")?;
    }
    Ok(())
}

/// Runs a statement without parameters from the statement cache: the writer issues the
/// transaction and savepoint statements several times per batch, and parsing them each
/// time was a measurable share of its work.
fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// Flushes the database's write-ahead log file (`PATH-wal`) to the disk.
///
/// SQLite keeps that file (same inode) while any connection is open, and the writer's is
/// open for the store's whole life; the file is reopened if it was replaced anyway, so a
/// flush never lands on a stale inode.
pub(super) struct WalFile {
    path: PathBuf,
    open: Option<File>,
}

impl WalFile {
    /// The WAL of the database at `db_path`.
    pub(super) fn of(db_path: &std::path::Path) -> Self {
        let mut path = db_path.as_os_str().to_owned();
        path.push("-wal");
        Self {
            path: path.into(),
            open: None,
        }
    }

    /// `fdatasync` of the WAL file, as `synchronous=FULL` would do at each commit.
    pub(super) fn flush(&mut self) -> std::io::Result<()> {
        if !self.is_current()? {
            // Written without create: a missing WAL means there is nothing unflushed
            // (SQLite removes it only after checkpointing everything into the database).
            match std::fs::OpenOptions::new().write(true).open(&self.path) {
                Ok(file) => self.open = Some(file),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(err) => return Err(err),
            }
        }
        self.open.as_ref().map_or(Ok(()), File::sync_data)
    }

    /// Whether the open handle is the file at the path now.
    fn is_current(&self) -> std::io::Result<bool> {
        let Some(open) = &self.open else {
            return Ok(false);
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let on_disk = match std::fs::metadata(&self.path) {
                Ok(meta) => meta,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                Err(err) => return Err(err),
            };
            let held = open.metadata()?;
            Ok(on_disk.dev() == held.dev() && on_disk.ino() == held.ino())
        }
        #[cfg(not(unix))]
        {
            // No cheap identity check: reopen for every flush (one open per group commit).
            let _ = open;
            Ok(false)
        }
    }

    #[cfg(test)]
    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::oneshot;

    use super::*;

    fn insert(conn: &Connection) -> Result<()> {
        conn.execute("INSERT INTO t (x) VALUES (1)", [])?;
        Ok(())
    }

    /// A writer on a fresh database with table `t`, flushing with `flush`.
    fn start(dir: &tempfile::TempDir, flush: Flush) -> mpsc::Sender<Box<dyn Job>> {
        start_watched(dir, flush).0
    }

    /// [`start`], with the writes-stopped flag.
    fn start_watched(
        dir: &tempfile::TempDir,
        flush: Flush,
    ) -> (mpsc::Sender<Box<dyn Job>>, Arc<AtomicBool>) {
        let conn = Connection::open(dir.path().join("w.sqlite3")).unwrap();
        super::super::schema::configure_writer(&conn).unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let (tx, rx) = mpsc::channel(64);
        let (feed, _) = broadcast::channel(8);
        let stopped = spawn(
            conn,
            usage::Ledger::default(),
            rx,
            feed,
            Durability::Full,
            flush,
            Nudge::none(),
        )
        .unwrap();
        (tx, stopped)
    }

    fn submit(jobs: &mpsc::Sender<Box<dyn Job>>) -> oneshot::Receiver<Result<()>> {
        submit_work(jobs, insert, true)
    }

    fn submit_work<F>(
        jobs: &mpsc::Sender<Box<dyn Job>>,
        work: F,
        guarded: bool,
    ) -> oneshot::Receiver<Result<()>>
    where
        F: FnOnce(&Connection) -> Result<()> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Pending {
            work: Some(work),
            result: None,
            reply,
            guarded,
        };
        jobs.blocking_send(Box::new(job)).unwrap();
        answer
    }

    /// Inserts a row, then fails: what a job that fails halfway leaves behind.
    fn insert_then_fail(conn: &Connection) -> Result<()> {
        insert(conn)?;
        Err(Error::Commit("injected: failed after its insert".into()))
    }

    /// Submits `first`, `second` and a job that counts the rows of `t` as one batch (a
    /// job holding the writer lets them queue up behind it); their outcomes and the count.
    fn one_batch(
        first: (fn(&Connection) -> Result<()>, bool),
        second: (fn(&Connection) -> Result<()>, bool),
    ) -> (Result<()>, Result<()>, i64) {
        let dir = tempfile::tempdir().unwrap();
        let jobs = start(&dir, Box::new(|| Ok(())));
        let (release, released) = std_mpsc::channel::<()>();
        let (entered_tx, entered) = std_mpsc::channel::<()>();
        let holder = submit_work(
            &jobs,
            move |_| {
                entered_tx.send(()).unwrap();
                released.recv().map_err(|_| Error::StoreClosed)
            },
            true,
        );
        entered.recv_timeout(Duration::from_secs(10)).unwrap();
        let a = submit_work(&jobs, first.0, first.1);
        let b = submit_work(&jobs, second.0, second.1);
        release.send(()).unwrap();
        holder.blocking_recv().unwrap().unwrap();
        let (a, b) = (a.blocking_recv().unwrap(), b.blocking_recv().unwrap());
        let (count_tx, count_rx) = std_mpsc::channel();
        submit_work(
            &jobs,
            move |conn| {
                let n: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?;
                count_tx.send(n).unwrap();
                Ok(())
            },
            true,
        )
        .blocking_recv()
        .unwrap()
        .unwrap();
        (a, b, count_rx.recv().unwrap())
    }

    #[test]
    fn a_guarded_job_that_fails_rolls_back_only_itself() {
        let (kept, failed, rows) = one_batch((insert, true), (insert_then_fail, true));
        assert!(kept.is_ok());
        assert!(failed.is_err());
        assert_eq!(rows, 1, "only the good job's row");
    }

    #[test]
    fn an_unguarded_job_that_fails_voids_its_whole_batch() {
        let (other, failed, rows) = one_batch((insert, true), (insert_then_fail, false));
        assert!(matches!(other, Err(Error::Commit(_))), "{other:?}");
        assert!(failed.is_err());
        assert_eq!(rows, 0, "nothing of the batch is kept, not half a job");
    }

    #[test]
    fn unguarded_jobs_that_succeed_commit_beside_guarded_ones() {
        let (a, b, rows) = one_batch((insert, false), (insert, true));
        assert!(a.is_ok() && b.is_ok());
        assert_eq!(rows, 2);
    }

    #[test]
    fn a_job_is_answered_only_after_its_commit_is_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let (entered_tx, entered) = std_mpsc::channel();
        let (release, released) = std_mpsc::channel::<()>();
        let jobs = start(
            &dir,
            Box::new(move || {
                entered_tx.send(()).unwrap();
                released.recv().map_err(std::io::Error::other)
            }),
        );
        let mut answer = submit(&jobs);
        entered
            .recv_timeout(Duration::from_secs(10))
            .expect("the committed batch reaches the flush");
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            answer.try_recv().is_err(),
            "no answer while the flush is still running"
        );
        release.send(()).unwrap();
        answer
            .blocking_recv()
            .unwrap()
            .expect("answered once flushed");
    }

    #[test]
    fn a_failed_flush_fails_its_jobs_and_every_later_write() {
        let dir = tempfile::tempdir().unwrap();
        let jobs = start(
            &dir,
            Box::new(|| Err(std::io::Error::other("injected: the disk refused"))),
        );
        for attempt in ["the unflushed job", "a later job"] {
            let outcome = submit(&jobs).blocking_recv().unwrap();
            assert!(
                matches!(&outcome, Err(Error::Commit(reason)) if reason.contains("did not confirm")),
                "{attempt}: {outcome:?}"
            );
        }
    }

    #[test]
    fn a_failed_flush_raises_the_flag_the_status_reads() {
        let dir = tempfile::tempdir().unwrap();
        let (jobs, stopped) = start_watched(&dir, Box::new(|| Ok(())));
        submit(&jobs)
            .blocking_recv()
            .unwrap()
            .expect("a good flush");
        assert!(!stopped.load(Ordering::Acquire), "writes go on");
        let dir = tempfile::tempdir().unwrap();
        let (jobs, stopped) = start_watched(
            &dir,
            Box::new(|| Err(std::io::Error::other("injected: the disk refused"))),
        );
        assert!(submit(&jobs).blocking_recv().unwrap().is_err());
        assert!(stopped.load(Ordering::Acquire), "writes stopped for good");
    }

    #[test]
    fn the_wal_file_of_a_live_store_is_found_and_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let mut missing = WalFile::of(&dir.path().join("none.sqlite3"));
        missing.flush().expect("no WAL means nothing to flush");
        assert!(!missing.is_open());

        let path = dir.path().join("live.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        super::super::schema::configure_writer(&conn).unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        let mut wal = WalFile::of(&path);
        wal.flush().expect("flushes the live WAL");
        assert!(wal.is_open(), "the -wal file of a WAL database was opened");
        wal.flush().expect("and again through the same handle");
    }
}
