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
