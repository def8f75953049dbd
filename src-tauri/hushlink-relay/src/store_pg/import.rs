//! Moving an office relay up: copies a SQLite relay's database into an empty PostgreSQL one
//! (`hushlink-relay migrate --from sqlite:DIR --to postgres://...`).
//!
//! Rows are copied as stored, byte for byte: sealed values stay sealed under keys only the
//! links carry, passphrase secrets keep their Argon2id parameters, receipts keep their sealed
//! secret keys. Nothing is unsealed, so the copy needs no link and learns nothing. Live
//! secrets, receipts, tokens, invites and the access log go over in ONE PostgreSQL
//! transaction: a failure leaves the target empty. The target must be empty (a relay that
//! already serves from it would otherwise mix two histories); the source must be at this
//! build's SQLite schema version (open it with this relay once if it is older) and is only
//! read.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use tokio_postgres::types::ToSql;

use super::{sql, PgError, PgStore};

/// What was copied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Secrets with their receipts (live or not).
    pub secrets: u64,
    /// Of them, live values.
    pub values: u64,
    /// API tokens, revoked ones included.
    pub tokens: u64,
    /// Invites.
    pub invites: u64,
    /// Access-log lines.
    pub log_lines: u64,
}

/// Why an import did not run or did not finish; the target is as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The SQLite database could not be read.
    #[error("cannot read the SQLite relay database {path}: {source}")]
    Source {
        /// The file.
        path: std::path::PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The SQLite database is at another schema version than this build writes.
    #[error("the SQLite relay database has schema version {found}; this relay copies version {expected}: open it once with this relay first")]
    SourceVersion {
        /// Its version.
        found: i64,
        /// This build's.
        expected: i64,
    },
    /// The PostgreSQL database already holds relay data.
    #[error("the PostgreSQL database already holds relay data ({0} rows); migrate only into an empty one")]
    TargetNotEmpty(i64),
    /// PostgreSQL failed; nothing was kept.
    #[error(transparent)]
    Target(#[from] PgError),
}

impl From<tokio_postgres::Error> for ImportError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Target(e.into())
    }
}

/// Tables in the order they are copied (tokens before the invites naming them, secrets
/// before their values), each as (source SELECT, target INSERT).
const COPIES: &[(&str, &str)] = &[
    (
        "SELECT id, name, hash, created_at, revoked_at FROM tokens",
        "INSERT INTO tokens (id, name, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)",
    ),
    (
        "SELECT id, secret_id, receipt_id, secret_key, passphrase, has_passphrase,
            failed_attempts, owner, kind, state, burn_reason, e2e, ttl, created_at, updated_at,
            received_at, received_ip, burned_at, secret_expires_at, expires_at FROM secrets",
        "INSERT INTO secrets (id, secret_id, receipt_id, secret_key, passphrase,
            has_passphrase, failed_attempts, owner, kind, state, burn_reason, e2e, ttl,
            created_at, updated_at, received_at, received_ip, burned_at, secret_expires_at,
            expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20)",
    ),
    (
        "SELECT v.id, v.value, v.seal, s.owner, v.note
         FROM secret_values v JOIN secrets s ON s.id = v.id",
        "INSERT INTO secret_values (id, value, seal, owner, note) VALUES ($1, $2, $3, $4, $5)",
    ),
    (
        "SELECT id, public_id, invite_id, token_id, sealed, state, created_at, expires_at,
            finished_at, accepted_from FROM invites",
        "INSERT INTO invites (id, public_id, invite_id, token_id, sealed, state, created_at,
            expires_at, finished_at, accepted_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    ),
    (
        "SELECT id, at, action, key_id, client_ip, user_agent, token_name FROM access_log",
        "INSERT INTO access_log (id, at, action, key_id, client_ip, user_agent, token_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    ),
];

/// Rows already in the target's relay tables.
const TARGET_ROWS: &str = "SELECT (SELECT count(*) FROM secrets) + (SELECT count(*) FROM tokens)
    + (SELECT count(*) FROM invites) + (SELECT count(*) FROM access_log)";

/// After explicit ids, each identity continues past the largest copied one.
const RESTART_IDS: &str = "
    SELECT setval(pg_get_serial_sequence('secrets', 'id'), coalesce(max(id), 0) + 1, false)
        FROM secrets;
    SELECT setval(pg_get_serial_sequence('invites', 'id'), coalesce(max(id), 0) + 1, false)
        FROM invites;
    SELECT setval(pg_get_serial_sequence('access_log', 'id'), coalesce(max(id), 0) + 1, false)
        FROM access_log;";

/// A SQLite value as the PostgreSQL parameter of its column's type.
enum Cell {
    Int(Option<i64>),
    Small(Option<i16>),
    Int4(Option<i32>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

impl Cell {
    fn param(&self) -> &(dyn ToSql + Sync) {
        match self {
            Self::Int(v) => v,
            Self::Small(v) => v,
            Self::Int4(v) => v,
            Self::Bool(v) => v,
            Self::Text(v) => v,
            Self::Bytes(v) => v,
        }
    }
}

/// Copies the SQLite relay database at `sqlite` into `target` (migrated, empty).
pub async fn import_sqlite(sqlite: &Path, target: &PgStore) -> Result<Imported, ImportError> {
    let source_err = |source| ImportError::Source {
        path: sqlite.to_owned(),
        source,
    };
    let source = Connection::open_with_flags(sqlite, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(source_err)?;
    let found: i64 = source
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(source_err)?;
    let expected = crate::store::schema::latest_version();
    if found != expected {
        return Err(ImportError::SourceVersion { found, expected });
    }
    let mut client = target.client().await?;
    let tx = client.transaction().await?;
    // No create on another instance may slip in between the check and the copy.
    tx.execute(sql::LOCK, &[&sql::QUOTA_LOCK]).await?;
    let rows: i64 = tx.query_one(TARGET_ROWS, &[]).await?.get(0);
    if rows > 0 {
        return Err(ImportError::TargetNotEmpty(rows));
    }
    let mut counts = [0u64; 5];
    for ((select, insert), count) in COPIES.iter().zip(counts.iter_mut()) {
        let insert = tx.prepare(insert).await?;
        let types = insert.params().to_vec();
        let table = read_all(&source, select, &types).map_err(source_err)?;
        for row in &table {
            let params: Vec<_> = row.iter().map(Cell::param).collect();
            tx.execute(&insert, &params).await?;
        }
        *count = u64::try_from(table.len()).unwrap_or(u64::MAX);
    }
    tx.batch_execute(RESTART_IDS).await?;
    tx.commit().await?;
    let [tokens, secrets, values, invites, log_lines] = counts;
    Ok(Imported {
        secrets,
        values,
        tokens,
        invites,
        log_lines,
    })
}

/// Every row of `select`, each column read as the type its INSERT parameter has.
fn read_all(
    source: &Connection,
    select: &str,
    types: &[tokio_postgres::types::Type],
) -> rusqlite::Result<Vec<Vec<Cell>>> {
    use tokio_postgres::types::Type;
    let mut statement = source.prepare(select)?;
    let rows = statement.query_map([], |r| {
        types
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                Ok(match *ty {
                    Type::INT8 => Cell::Int(r.get(i)?),
                    Type::INT4 => Cell::Int4(r.get(i)?),
                    Type::INT2 => Cell::Small(r.get(i)?),
                    Type::BOOL => Cell::Bool(r.get(i)?),
                    Type::BYTEA => Cell::Bytes(r.get(i)?),
                    _ => Cell::Text(r.get(i)?),
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    rows.collect()
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
