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
    // 3: one row per secret and its receipt, in creation order, and the sealed values beside
    // them. Before, a create inserted into three B-trees keyed by random hashes (secrets,
    // receipts, receipts_by_secret) and a reveal changed two random pages; now rows and values
    // append to the tails of their tables, a reveal touches the (recent, usually already
    // dirty) pages of its own row, and only the two hash indexes take random inserts. Fewer
    // pages per commit means fewer WAL frames to write, flush and checkpoint
    // (docs/benchmarks.md).
    "ALTER TABLE secrets RENAME TO secrets_v2;
    ALTER TABLE receipts RENAME TO receipts_v2;
    CREATE TABLE secrets (
        id INTEGER PRIMARY KEY,                -- creation order
        secret_id BLOB NOT NULL UNIQUE,        -- SHA-256 of the secret key (keys::row_id)
        receipt_id BLOB NOT NULL UNIQUE,       -- SHA-256 of the receipt key
        secret_key BLOB NOT NULL,              -- secret key sealed under the receipt key; empty once gone
        passphrase TEXT,                       -- Argon2id PHC string while live; NULL when none or gone
        has_passphrase INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        owner TEXT,                            -- id of the API token that created it
        owner_receipt_key BLOB,                -- receipt key sealed under that token, for `recent`
        kind TEXT NOT NULL,
        state TEXT NOT NULL,                   -- new, received, burned, expired
        burn_reason TEXT,
        e2e INTEGER NOT NULL,
        ttl INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        received_at INTEGER,
        received_ip TEXT,
        burned_at INTEGER,
        secret_expires_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL            -- the receipt's end: created_at + 2 x ttl
    );
    CREATE INDEX secrets_live_by_expiry ON secrets (secret_expires_at) WHERE state = 'new';
    CREATE INDEX secrets_by_receipt_expiry ON secrets (expires_at);
    CREATE INDEX secrets_by_owner ON secrets (owner, created_at) WHERE owner IS NOT NULL;
    -- The value (AES-256-GCM under HKDF(secret key)) exists only while the secret is live;
    -- taking it is one `DELETE ... RETURNING`.
    CREATE TABLE secret_values (
        id INTEGER PRIMARY KEY REFERENCES secrets (id) ON DELETE CASCADE,
        value BLOB NOT NULL
    );
    INSERT INTO secrets (secret_id, receipt_id, secret_key, passphrase, has_passphrase,
        failed_attempts, owner, owner_receipt_key, kind, state, burn_reason, e2e, ttl,
        created_at, updated_at, received_at, received_ip, burned_at, secret_expires_at,
        expires_at)
    SELECT r.secret_id, r.id, r.secret_key, s.passphrase, r.has_passphrase,
        coalesce(s.failed_attempts, 0), r.owner, r.owner_receipt_key, r.kind,
        CASE WHEN r.state = 'new' AND s.id IS NULL THEN 'expired' ELSE r.state END,
        r.burn_reason, r.e2e, r.ttl, r.created_at, r.updated_at, r.received_at,
        r.received_ip, r.burned_at, r.secret_expires_at, r.expires_at
    FROM receipts_v2 r LEFT JOIN secrets_v2 s ON s.id = r.secret_id
    ORDER BY r.created_at;
    INSERT INTO secret_values (id, value)
    SELECT n.id, s.value FROM secrets n JOIN secrets_v2 s ON s.id = n.secret_id
    WHERE n.state = 'new';
    DROP TABLE secrets_v2;
    DROP TABLE receipts_v2;",
];

/// WAL pages after which the writer checkpoints itself (see [`configure_writer`]).
const WAL_PAGES: i64 = 16_000;

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
    // The writer's own checkpoint is only the backstop: the checkpointer thread copies the WAL
    // into the database beside it (`store/checkpoint.rs`). Under a steady load the WAL is
    // rarely fully copied at the instant a transaction starts, so it does not restart and
    // grows until this limit; the writer's checkpoint then syncs the WAL and the database
    // while every request waits (6-8 ms each here). At 16,000 pages (64 MB) that happens a
    // quarter as often as at 4,000: at 64 clients +10 % cycles and a lower reveal p99
    // (docs/benchmarks.md). Under light load the checkpointer catches up between writes and
    // the WAL restarts small, so it only grows this large on a busy relay.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES)?;
    // After a checkpoint, a WAL that grew past this is truncated back. Above the largest WAL
    // the autocheckpoint allows, so a busy relay reuses its file instead of truncating and
    // regrowing it (a growing file makes each flush update its size on disk too).
    conn.pragma_update(None, "journal_size_limit", (WAL_PAGES + 2_000) * 4_096)?;
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

    /// A version-2 database (separate secrets and receipts) with a live secret and a
    /// revealed one.
    fn version_two() -> Connection {
        let conn = version_one();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO secrets (id, receipt_id, value, passphrase, failed_attempts, e2e,
                created_at, expires_at)
             VALUES (x'0a', x'0b', x'c0ffee', 'phc', 2, 1, 5, 65);
             INSERT INTO receipts (id, secret_id, secret_key, owner, kind, state, has_passphrase,
                e2e, ttl, created_at, updated_at, secret_expires_at, expires_at)
             VALUES (x'0b', x'0a', x'5e', NULL, 'conceal', 'new', 1, 1, 60, 5, 5, 65, 125),
                    (x'0d', x'0c', x'', NULL, 'generate', 'received', 0, 0, 60, 6, 9, 66, 126);",
        )
        .unwrap();
        conn
    }

    fn one<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> T {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn an_older_database_is_upgraded_in_place_and_keeps_its_rows() {
        let mut conn = version_one();
        assert_eq!(migrate(&mut conn).unwrap(), 1, "reports the version found");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        let kept: i64 = one(
            &conn,
            "SELECT count(*) FROM secrets WHERE owner = 'token-1'",
        );
        assert_eq!(kept, 1, "the receipt survived both migrations");
        let state: String = one(&conn, "SELECT state FROM secrets WHERE owner = 'token-1'");
        assert_eq!(
            state, "expired",
            "a new receipt whose secret row was gone reads as expired"
        );
        let index: String = one(
            &conn,
            "SELECT sql FROM sqlite_master WHERE name = 'secrets_by_owner'",
        );
        assert!(index.contains("WHERE owner IS NOT NULL"), "{index}");
        assert_eq!(migrate(&mut conn).unwrap(), latest_version(), "idempotent");
    }

    #[test]
    fn version_two_rows_become_one_row_per_secret_with_the_live_value_beside_it() {
        let mut conn = version_two();
        assert_eq!(migrate(&mut conn).unwrap(), 2);
        let live: (String, Option<String>, i64, Vec<u8>) = conn
            .query_row(
                "SELECT s.state, s.passphrase, s.failed_attempts, v.value
                 FROM secrets s JOIN secret_values v ON v.id = s.id WHERE s.secret_id = x'0a'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            live,
            ("new".into(), Some("phc".into()), 2, vec![0xc0, 0xff, 0xee]),
            "the live secret keeps its value, passphrase and failed attempts"
        );
        let revealed: (String, i64) = conn
            .query_row(
                "SELECT state, (SELECT count(*) FROM secret_values v WHERE v.id = s.id)
                 FROM secrets s WHERE receipt_id = x'0d'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            revealed,
            ("received".into(), 0),
            "a revealed one has no value"
        );
        let old: i64 = one(
            &conn,
            "SELECT count(*) FROM sqlite_master WHERE name IN ('receipts', 'secrets_v2', 'receipts_v2')",
        );
        assert_eq!(old, 0, "the version-2 tables are gone");
    }

    #[test]
    fn a_secret_sealed_before_migration_3_is_revealed_once_after_it() {
        use crate::keys::{Key, KeyKind};
        use crate::seal::{open_text, seal, Purpose};
        let conn = version_one();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        let (secret_key, receipt_key) = (Key::generate().unwrap(), Key::generate().unwrap());
        let secret_id = secret_key.row_id(KeyKind::Secret);
        let receipt_id = receipt_key.row_id(KeyKind::Receipt);
        let value = seal(
            secret_key.expose(),
            Purpose::Value,
            &secret_id,
            b"kept across the upgrade",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO secrets (id, receipt_id, value, e2e, created_at, expires_at)
             VALUES (?1, ?2, ?3, 0, 100, 3700)",
            rusqlite::params![secret_id, receipt_id, value],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO receipts (id, secret_id, secret_key, kind, state, has_passphrase, e2e,
                ttl, created_at, updated_at, secret_expires_at, expires_at)
             VALUES (?1, ?2, x'', 'conceal', 'new', 0, 0, 3600, 100, 100, 3700, 7300)",
            rusqlite::params![receipt_id, secret_id],
        )
        .unwrap();
        let mut conn = conn;
        // As the writer opens it (configure_writer): foreign keys enforced during the upgrade.
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrate(&mut conn).unwrap();
        let taken = crate::store::take_secret(&conn, &secret_id, 200, false, None)
            .unwrap()
            .expect("the live secret survived the migration");
        let text = open_text(
            secret_key.expose(),
            Purpose::Value,
            &secret_id,
            &taken.value,
        )
        .expect("its sealed value still opens with the link's key");
        assert_eq!(text.expose(), "kept across the upgrade");
        assert!(
            crate::store::take_secret(&conn, &secret_id, 200, false, None)
                .unwrap()
                .is_none(),
            "and it is still revealed only once"
        );
    }

    #[test]
    fn listing_by_owner_still_uses_the_partial_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id FROM secrets
                 WHERE owner = ?1 AND created_at >= ?2 AND expires_at > ?3 ORDER BY created_at",
            )
            .unwrap()
            .query_map(rusqlite::params!["token-1", 0, 0], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter().any(|step| step.contains("secrets_by_owner")),
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
