//! Filling a relay's data directory fast, for the scale and sweeper benchmarks
//! (`hushlink-bench`'s `bench-load`): the supported way to make a million secrets without
//! reaching into the store.
//!
//! Each [`BulkSecret`] is sealed exactly as [`crate::Relay::create`] seals a share from an
//! anonymous caller (same key minting, same sealing function, same `create` log line), and
//! [`BulkLoader`] writes it with the store's own insert statements into a database the
//! store's own schema code configured and migrated. What it skips is HTTP, the rate limits
//! and quotas, and the one-job-per-request group commit: rows go in one transaction per
//! [`BulkLoader::insert`] with `synchronous=OFF`. That is set-up, not measurement; the relay
//! measured afterwards runs with its defaults. The relay must not be running on the
//! directory.
//!
//! Sealing and writing are separate so a caller can seal on one thread and write on another.

use std::path::Path;

use hushlink_protocol::SecretText;
use rusqlite::Connection;

use crate::access_log::AccessAction;
use crate::error::{Error, Result};
use crate::keys::key_id;
use crate::model::SecretKind;
use crate::operations::{seal_new, Sealing};
use crate::store::{self, schema, LogLine, NewRow};

/// One sealed secret and its `create` log line, ready to be written.
pub struct BulkSecret {
    row: NewRow,
    line: LogLine,
}

impl BulkSecret {
    /// Seals `value` as a share created at `created_at` (Unix seconds) living `ttl_secs`,
    /// logged as from loopback with `user_agent`. Its keys are minted and dropped: nobody
    /// can reveal it, which a benchmark's filler does not need.
    pub fn seal(value: &str, created_at: i64, ttl_secs: i64, user_agent: &str) -> Result<Self> {
        let (row, _secret_key, _receipt_key) = seal_new(
            &SecretText::new(value.to_owned()),
            None,
            Sealing {
                e2e: false,
                kind: SecretKind::Conceal,
                owner: None,
                ttl: ttl_secs,
                now: created_at,
            },
        )?;
        let line = LogLine::new(
            created_at,
            AccessAction::Create,
            Some(key_id(&row.secret_id)),
            Some("127.0.0.1".to_owned()),
            Some(user_agent.to_owned()),
        );
        Ok(Self { row, line })
    }
}

/// A relay database opened for bulk writes.
pub struct BulkLoader {
    conn: Connection,
}

impl BulkLoader {
    /// Opens (creating if needed) the database in `data_dir`, configured and migrated as
    /// the relay does, then with `synchronous=OFF` and a 256 MiB page cache.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join("relay.sqlite3");
        let open_err = |source| Error::Open {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(open_err)?;
        schema::configure_writer(&conn).map_err(open_err)?;
        schema::migrate(&mut conn)?;
        conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")?;
        Ok(Self { conn })
    }

    /// Writes `batch` (rows and log lines) in one transaction.
    pub fn insert(&mut self, batch: &[BulkSecret]) -> Result<()> {
        let txn = self.conn.transaction()?;
        for secret in batch {
            store::insert_secret(&txn, &secret.row)?;
            store::insert_log(&txn, &secret.line)?;
        }
        txn.commit()?;
        Ok(())
    }

    /// Copies the WAL into the database and truncates it, so the relay starts on one file.
    pub fn finish(self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }
}
