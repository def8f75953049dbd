//! Versioned migrations, tracked in SQLite's `user_version`.
//!
//! Append new steps at the end; never edit a shipped one. Each step runs in its own
//! transaction together with the version bump, so a crash mid-migration leaves the file at
//! the previous version.

use rusqlite::Connection;

use crate::error::Result;

/// Migration steps; the database's `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: entries, their state history, the activity log, and a key-check marker.
    r"
    CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    CREATE TABLE entries (
        id               TEXT PRIMARY KEY,
        label            TEXT NOT NULL,
        profile_id       TEXT NOT NULL,
        recipient        TEXT,
        created_at       INTEGER NOT NULL,
        expires_at       INTEGER NOT NULL,
        has_passphrase   INTEGER NOT NULL,
        end_to_end       INTEGER NOT NULL,
        notify           INTEGER NOT NULL,
        state            TEXT NOT NULL,
        state_changed_at INTEGER NOT NULL,
        last_checked_at  INTEGER,
        next_check_at    INTEGER NOT NULL,
        share_link_enc   BLOB NOT NULL,
        receipt_key_enc  BLOB NOT NULL
    );
    CREATE INDEX entries_due ON entries (state, next_check_at);
    CREATE INDEX entries_created ON entries (created_at);
    CREATE TABLE state_history (
        entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
        state    TEXT NOT NULL,
        at       INTEGER NOT NULL
    );
    CREATE INDEX state_history_entry ON state_history (entry_id, at);
    CREATE TABLE history (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        entry_id   TEXT,
        label      TEXT,
        profile_id TEXT,
        detail     TEXT
    );
    CREATE INDEX history_at ON history (at);
    -- The activity log is append-only: it outlives entries and is the user's record.
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    ",
];

/// Brings the database up to the newest version.
pub(super) fn migrate(conn: &Connection) -> Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, step) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// The newest schema version this build knows.
#[cfg(test)]
pub(super) fn latest() -> usize {
    MIGRATIONS.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op_and_history_is_append_only() {
        let conn = Connection::open_in_memory().expect("opens");
        migrate(&conn).expect("migrates");
        migrate(&conn).expect("second run does nothing");
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("pragma");
        assert_eq!(version, latest());
        conn.execute("INSERT INTO history (at, kind) VALUES (1, 'created')", [])
            .expect("append");
        assert!(
            conn.execute("UPDATE history SET kind = 'viewed'", [])
                .is_err(),
            "update refused"
        );
        assert!(
            conn.execute("DELETE FROM history", []).is_err(),
            "delete refused"
        );
    }
}
