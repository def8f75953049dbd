//! WAL checkpoints off the writer's path.
//!
//! SQLite checkpoints from the connection that commits: every `wal_autocheckpoint` pages the
//! writer copies the WAL into the database file and syncs it, and every request behind it
//! waits (the p99 spikes in docs/benchmarks.md). This thread does that copying with its own
//! connection, a `PASSIVE` checkpoint at most every [`PERIOD`] while there are writes, which
//! runs beside the writer and never blocks it. The writer's own autocheckpoint stays as the
//! backstop; it now finds little left to copy, and completing it lets SQLite restart the WAL
//! from the beginning, so the file stays bounded.
//!
//! A restarted WAL is overwritten from its start, but frames past the new end stay in the
//! file: 13 of 100 revealed values' ciphertexts were still whole in it 30 s after their
//! reveal, although `secure_delete` had zeroed them in the database's pages (issue 14, item
//! 9). So once the relay has been idle for the scrub period (no commit since the last
//! checkpoint), and at least every [`SCRUB_AT_LEAST_EVERY`] under a load that never pauses,
//! this thread runs a `TRUNCATE` checkpoint: it copies what is left into the database, syncs
//! it, and cuts the WAL to zero bytes. It waits for the writer's transaction to end and holds
//! the next one back while it runs (a few milliseconds; measured in docs/benchmarks.md).

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// Shortest time between two checkpoints: long enough that hot pages written many times are
/// copied once, short enough that the writer's backstop rarely has much to do.
pub(super) const PERIOD: Duration = Duration::from_millis(100);

/// Longest time the WAL goes without being truncated while commits keep coming.
const SCRUB_AT_LEAST_EVERY: Duration = Duration::from_secs(60);

/// The writer's handle: tells the checkpointer that something was committed. Dropping it
/// (the writer stops) stops the checkpointer.
pub(super) struct Nudge(Option<SyncSender<()>>);

impl Nudge {
    /// No checkpointer (tests of the writer alone).
    #[cfg(test)]
    pub(super) fn none() -> Self {
        Self(None)
    }

    /// Something was committed; never blocks (a pending nudge already covers it).
    pub(super) fn poke(&self) {
        if let Some(tx) = &self.0 {
            let _ = tx.try_send(());
        }
    }
}

/// Starts the checkpointer for the database at `path` (already in WAL mode). With
/// `scrub_after`, the WAL is truncated after that long without commits; `None` never
/// truncates it.
pub(super) fn spawn(path: &Path, scrub_after: Option<Duration>) -> std::io::Result<Nudge> {
    let conn = Connection::open(path).map_err(std::io::Error::other)?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(std::io::Error::other)?;
    let (tx, rx) = mpsc::sync_channel(1);
    thread::Builder::new()
        .name("relay-checkpoint".into())
        .spawn(move || run(&conn, &rx, scrub_after))?;
    Ok(Nudge(Some(tx)))
}

fn run(conn: &Connection, nudges: &Receiver<()>, scrub_after: Option<Duration>) {
    // Commits since the WAL was last truncated, and when that was.
    let mut dirty = false;
    let mut scrubbed = Instant::now();
    loop {
        let nudge = match scrub_after {
            Some(idle) if dirty => nudges.recv_timeout(idle),
            _ => nudges.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match nudge {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => {
                // Idle: nothing was committed for the whole scrub period.
                if scrub(conn) {
                    (dirty, scrubbed) = (false, Instant::now());
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
        thread::sleep(PERIOD);
        // Commits during the pause are covered by this checkpoint.
        if let Err(TryRecvError::Disconnected) = nudges.try_recv() {
            // The writer stopped; SQLite checkpoints when the last connection closes.
            break;
        }
        dirty = true;
        if scrub_after.is_some() && scrubbed.elapsed() >= SCRUB_AT_LEAST_EVERY && scrub(conn) {
            (dirty, scrubbed) = (false, Instant::now());
            continue;
        }
        let outcome = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
            Ok((row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
        });
        match outcome {
            Ok((wal_pages, copied)) => {
                tracing::trace!(wal_pages, copied, "checkpoint");
            }
            Err(err) => tracing::warn!(error = %err, "background checkpoint failed"),
        }
    }
    tracing::debug!("store checkpointer stopped");
}

/// Checkpoints everything and truncates the WAL to zero bytes; `false` if it could not
/// (a reader or the writer held on past the busy timeout), so it is tried again later.
fn scrub(conn: &Connection) -> bool {
    let started = Instant::now();
    let outcome = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
        row.get::<_, i64>(0)
    });
    match outcome {
        Ok(0) => {
            tracing::trace!(micros = started.elapsed().as_micros(), "WAL truncated");
            true
        }
        Ok(_) => {
            tracing::debug!("WAL not truncated: busy; trying again later");
            false
        }
        Err(err) => {
            tracing::warn!(error = %err, "truncating the WAL failed");
            false
        }
    }
}
