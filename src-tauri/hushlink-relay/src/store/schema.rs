//! Connection settings and schema migrations.
//!
//! Migrations are numbered by `PRAGMA user_version` and applied in one transaction at open,
//! so a crash mid-migration leaves the previous version intact.

use rusqlite::Connection;

/// How hard a commit tries to reach the disk before the create or reveal is acknowledged.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Durability {
    /// The WAL is flushed (`fdatasync`) after every group commit before any of its requests
    /// is answered; an acknowledged create or reveal survives a power loss. Concurrent
    /// requests share one commit (group commit), so this costs one flush per batch, not per
    /// request.
    #[default]
    Full,
    /// No flush per commit (`synchronous=NORMAL`): survives the relay being killed, not the
    /// machine losing power.
    Normal,
}

/// The statements that bring a database from version N-1 to N, at index N-1.
const MIGRATIONS: &[&str] = &[
    // 1: secrets, receipts, the access log and API tokens.
    "CREATE TABLE secrets (
        id BLOB PRIMARY KEY NOT NULL,          -- SHA-256 of the secret key (keys::row_id)
        receipt_id BLOB NOT NULL,
        value BLOB NOT NULL,                   -- AES-256-GCM under HKDF(secret key)
        passphrase TEXT,                       -- Argon2id PHC string, NULL when none
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        e2e INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX secrets_by_expiry ON secrets (expires_at);
    CREATE TABLE receipts (
        id BLOB PRIMARY KEY NOT NULL,          -- SHA-256 of the receipt key
        secret_id BLOB NOT NULL,
        secret_key BLOB NOT NULL,              -- secret key sealed under the receipt key; empty once gone
        owner TEXT,                            -- id of the API token that created it
        owner_receipt_key BLOB,                -- receipt key sealed under that token, for `recent`
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        burn_reason TEXT,
        has_passphrase INTEGER NOT NULL,
        e2e INTEGER NOT NULL,
        ttl INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        received_at INTEGER,
        received_ip TEXT,
        burned_at INTEGER,
        secret_expires_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX receipts_by_expiry ON receipts (expires_at);
    CREATE INDEX receipts_by_secret ON receipts (secret_id);
    CREATE INDEX receipts_by_owner ON receipts (owner, created_at);
    CREATE TABLE access_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        key_id TEXT,
        client_ip TEXT,
        user_agent TEXT
    );
    CREATE INDEX access_log_by_time ON access_log (at);
    CREATE TABLE tokens (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        hash BLOB NOT NULL UNIQUE,             -- SHA-256 of the token (keys::row_id)
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );",
    // 2: only receipts made with an API token are listed by owner (`recent`); anonymous and
    // app-local creates no longer pay for an index entry.
    "DROP INDEX receipts_by_owner;
    CREATE INDEX receipts_by_owner ON receipts (owner, created_at) WHERE owner IS NOT NULL;",
];

/// Settings for the writer connection.
pub fn configure_writer(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // SQLite never waits for the disk at a commit: with `Full`, the store's syncer thread
    // flushes the WAL after each group commit, before anyone is answered (see
    // `store::writer`), so the writer can run the next batch meanwhile. Checkpoints still
    // sync the WAL before copying it and the database after.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted secrets are overwritten in the file, not left in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Checkpoint every 4,000 WAL pages (16 MB) instead of 1,000: hot pages (index and log
    // tails) are copied into the database once per checkpoint, so fewer checkpoints copy
    // fewer pages, and each one syncs the database file on the writer's path.
    conn.pragma_update(None, "wal_autocheckpoint", 4_000)?;
    // After a checkpoint, a WAL that grew past this is truncated back.
    conn.pragma_update(None, "journal_size_limit", 32 * 1024 * 1024)?;
    // Savepoint journals (one per job) stay in memory instead of a temporary file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Every statement the writer runs stays prepared (rusqlite keeps 16 by default; the
    // writer uses about 25, and an evicted statement is parsed again on its next use).
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Settings for a reader connection.
pub fn configure_reader(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "query_only", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// Newest schema version this build knows.
pub fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// Applies the missing migrations; returns the version found before.
pub fn migrate(conn: &mut Connection) -> Result<i64, crate::Error> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > latest_version() {
        return Err(crate::Error::SchemaTooNew {
            found,
            supported: latest_version(),
        });
    }
    let tx = conn.transaction()?;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).unwrap_or(i64::MAX),
        )?;
    }
    tx.commit()?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database as the first release left it: migration 1 only, with a receipt in it.
    fn version_one() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO receipts (id, secret_id, secret_key, owner, kind, state, has_passphrase,
                e2e, ttl, created_at, updated_at, secret_expires_at, expires_at)
             VALUES (x'01', x'02', x'', 'token-1', 'conceal', 'new', 0, 0, 60, 1, 1, 61, 121)",
            [],
        )
        .unwrap();
        conn
    }

    #[test]
    fn an_older_database_is_upgraded_in_place_and_keeps_its_rows() {
        let mut conn = version_one();
        assert_eq!(migrate(&mut conn).unwrap(), 1, "reports the version found");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        let kept: i64 = conn
            .query_row(
                "SELECT count(*) FROM receipts WHERE owner = 'token-1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 1);
        let index: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'receipts_by_owner'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(index.contains("WHERE owner IS NOT NULL"), "{index}");
        assert_eq!(migrate(&mut conn).unwrap(), latest_version(), "idempotent");
    }

    #[test]
    fn listing_by_owner_still_uses_the_partial_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id FROM receipts
                 WHERE owner = ?1 AND created_at >= ?2 AND expires_at > ?3 ORDER BY created_at",
            )
            .unwrap()
            .query_map(rusqlite::params!["token-1", 0, 0], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter().any(|step| step.contains("receipts_by_owner")),
            "{plan:?}"
        );
    }

    #[test]
    fn a_database_from_a_newer_relay_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(crate::Error::SchemaTooNew { .. })
        ));
    }
}
