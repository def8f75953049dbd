//! WAL checkpoints off the writer's path.
//!
//! SQLite checkpoints from the connection that commits: every `wal_autocheckpoint` pages the
//! writer copies the WAL into the database file and syncs it, and every request behind it
//! waits (the p99 spikes in docs/benchmarks.md). This thread does that copying with its own
//! connection, a `PASSIVE` checkpoint at most every [`PERIOD`] while there are writes, which
//! runs beside the writer and never blocks it. The writer's own autocheckpoint stays as the
//! backstop; it now finds little left to copy, and completing it lets SQLite restart the WAL
//! from the beginning, so the file stays bounded.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::thread;
use std::time::Duration;

use rusqlite::Connection;

/// Shortest time between two checkpoints: long enough that hot pages written many times are
/// copied once, short enough that the writer's backstop rarely has much to do.
pub(super) const PERIOD: Duration = Duration::from_millis(100);

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

/// Starts the checkpointer for the database at `path` (already in WAL mode).
pub(super) fn spawn(path: &Path) -> std::io::Result<Nudge> {
    let conn = Connection::open(path).map_err(std::io::Error::other)?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(std::io::Error::other)?;
    let (tx, rx) = mpsc::sync_channel(1);
    thread::Builder::new()
        .name("relay-checkpoint".into())
        .spawn(move || run(&conn, &rx))?;
    Ok(Nudge(Some(tx)))
}

fn run(conn: &Connection, nudges: &Receiver<()>) {
    while nudges.recv().is_ok() {
        thread::sleep(PERIOD);
        // Commits during the pause are covered by this checkpoint.
        if let Err(TryRecvError::Disconnected) = nudges.try_recv() {
            // The writer stopped; SQLite checkpoints when the last connection closes.
            break;
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
