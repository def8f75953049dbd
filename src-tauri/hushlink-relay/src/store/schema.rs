//! Connection settings and schema migrations.
//!
//! Migrations are numbered by `PRAGMA user_version` and applied in one transaction at open,
//! so a crash mid-migration leaves the previous version intact.

use rusqlite::Connection;

pub use crate::config::Durability;

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
    // 4: log lines name the API token that created the secret they are about, so the relay
    // panel can say "a secret from Sam's token was opened" instead of showing a key id. Only
    // lines of token-created secrets carry one, so only they enter the index that finds the
    // name again for later lines of the same secret.
    "ALTER TABLE access_log ADD COLUMN token_name TEXT;
    CREATE INDEX access_log_token_by_key ON access_log (key_id) WHERE token_name IS NOT NULL;",
    // 5: a token no longer reads the secrets it created (issue 14, item 1). `recent` lists
    // states by key id, so the receipt keys sealed under each creator's token go: with them,
    // one sniffed Basic header opened every live secret of that token. Overwritten before the
    // column is dropped, so no copy of them stays in the rewritten pages.
    "UPDATE secrets SET owner_receipt_key = NULL WHERE owner_receipt_key IS NOT NULL;
    ALTER TABLE secrets DROP COLUMN owner_receipt_key;",
    // 6: one-time invites (`invites` module): a token and the relay's details, sealed under a
    // key only the invite link's fragment carries. Found by the hash of the invite key; the
    // sealed blob is emptied once the invite is accepted, withdrawn or expired.
    "CREATE TABLE invites (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,        -- short hex id, to withdraw by
        invite_id BLOB NOT NULL UNIQUE,        -- SHA-256 of the invite key (keys::row_id)
        token_id TEXT NOT NULL,                -- the token it grants (tokens.id)
        sealed BLOB NOT NULL,                  -- AES-256-GCM under the fragment key; empty once finished
        state TEXT NOT NULL,                   -- pending, accepted, withdrawn, expired
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        finished_at INTEGER,
        accepted_from TEXT                     -- the address that accepted it
    );
    CREATE INDEX invites_pending_by_expiry ON invites (expires_at) WHERE state = 'pending';",
    // 7: how each value is sealed (`seal::ValueSeal`): 1, under the secret key alone (every
    // value before this version); 2, under the secret key and the passphrase, whose row then
    // keeps the Argon2id salt and cost in `passphrase` and no hash (issue 14, item 9).
    "ALTER TABLE secret_values ADD COLUMN seal INTEGER NOT NULL DEFAULT 1;",
    // 8: the sender's note for the recipient (Hushlink extension `sender_note`), sealed under
    // the secret key like the value and beside it, so every path that deletes the value
    // (reveal, burn, expiry, passphrase attempts) deletes the note too. NULL: none given.
    "ALTER TABLE secret_values ADD COLUMN note BLOB;",
];

/// WAL pages after which the writer checkpoints itself (see [`configure_writer`]).
const WAL_PAGES: i64 = 64_000;

/// Page size of a database this relay creates; one made by an older relay keeps its own
/// (SQLite fixes the size when the first table is written).
///
/// A group commit writes every page it changed as one WAL frame, and most of its pages are
/// the tails of the tables and indexes (about eight whatever the commit holds), each only
/// partly new. Half-size pages halve those bytes: what the writer copies and checksums, the
/// syncer flushes and the checkpointer copies back. Measured alternately (2026-12-07, cycle
/// workload): +7-11 % cycles/s at 16 clients, +2-5 % at 64; 1 KiB pages gained less
/// (docs/benchmarks.md).
pub const NEW_PAGE_SIZE: i64 = 2_048;

/// Settings for the writer connection.
pub fn configure_writer(conn: &Connection) -> rusqlite::Result<()> {
    // Before anything is written; a no-op on an existing database.
    conn.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
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
    // while every request waits (6-8 ms each here), so how often it comes sets the p99. At
    // 16,000 pages (64 MB) it came four times as rarely as at 4,000 (+10 % cycles); once
    // the relay ran ~9,000 cycles/s (2026-12-07) it came about every 0.7 s again, and 64,000
    // pages (256 MB of 4 KiB pages, 128 MB of 2 KiB) took the cycle p99 at 64 clients from 21 to 13 ms (docs/benchmarks.md).
    // Under light load the checkpointer catches up between writes and the WAL restarts
    // small, so it only grows this large on a relay busy for seconds on end, and the scrub
    // (`store/checkpoint.rs`) truncates it after the load.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_PAGES)?;
    // After a checkpoint, a WAL that grew past this is truncated back. Above the largest WAL
    // the autocheckpoint allows, so a busy relay reuses its file instead of truncating and
    // regrowing it (a growing file makes each flush update its size on disk too).
    let page_size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
    conn.pragma_update(None, "journal_size_limit", (WAL_PAGES + 2_000) * page_size)?;
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
#[path = "schema_tests.rs"]
mod tests;
