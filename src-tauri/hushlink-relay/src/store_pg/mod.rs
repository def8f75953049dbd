//! The PostgreSQL engine: [`PgStore`] implements [`Storage`](crate::store::Storage) for
//! several relay instances sharing one database (issue 18; design in `docs/postgres.md`).
//!
//! Each method borrows a pooled connection for one statement (a create: one short
//! transaction, sent in one round trip) and resolves once PostgreSQL has reported the commit durable
//! (`synchronous_commit = on`, checked at open). The guarantees across instances come from
//! the statements themselves (`sql`): a secret's value is claimed by deleting its row, so a
//! reveal, a burn and an expiry of one secret never both happen.
//!
//! Module map:
//! - `schema`: the versioned migrations, run at open under an advisory lock;
//! - `sql`: every statement, with the guarantee it carries;
//! - `connect`: URL (with `sslrootcert`), verified TLS, the pool and its filling at open;
//! - `create`: a create and its quota check, without a relay-wide lock far from the quotas;
//! - `secrets`: reveal, burn, receipts, passphrase attempts, sweeps;
//! - `admin`: tokens, invites, the access log;
//! - `import`: copying a SQLite relay's database in, sealed as it is (`migrate`);
//! - `listen`: the connection that hears another instance change the tokens;
//! - `storage`: the [`Storage`](crate::store::Storage) implementation, delegating to the above.

mod admin;
mod connect;
mod create;
pub mod import;
mod listen;
#[cfg(test)]
mod quota_tests;
#[cfg(test)]
mod relay_tests;
mod rows;
pub mod schema;
mod secrets;
pub mod sql;
mod storage;
#[cfg(test)]
mod tests;

use deadpool_postgres::{Object, Pool, PoolError};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use crate::access_log::AccessLogEntry;
use crate::store::LogLine;

pub use connect::Target;

/// Access-log lines a slow subscriber may fall behind before it sees `Lagged`.
const LOG_FEED: usize = 256;
/// Lines of read-only requests queued for the background writer before new ones are
/// dropped (with a warning), as the SQLite store's queue does.
const DETACHED_LINES: usize = 4096;

/// Faults of the PostgreSQL engine. None of the messages contains secret text or a key;
/// the driver's texts name statements and server conditions only.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// The database could not be reached, or the connection broke: it is down, restarting
    /// or unreachable. The pool reconnects by itself once it answers again.
    #[error("the PostgreSQL database is unreachable: {0}")]
    Unavailable(String),
    /// The database refused a statement (it answered with an error).
    #[error("PostgreSQL error: {0}")]
    Query(tokio_postgres::Error),
    /// The schema could not be brought up to date; the instance must not serve.
    #[error(transparent)]
    Migrate(#[from] schema::MigrateError),
    /// The database URL is unusable.
    #[error("invalid PostgreSQL URL: {0}")]
    Url(String),
    /// TLS to the database could not be set up.
    #[error("TLS to PostgreSQL: {0}")]
    Tls(String),
    /// The server would acknowledge commits before they are durable.
    #[error("PostgreSQL runs with synchronous_commit = {0}; the relay needs it on, so an acknowledged secret survives a crash")]
    NotDurable(String),
    /// A row held a value this build cannot read (a newer relay wrote it, or it was altered).
    #[error("the PostgreSQL database holds a row this relay cannot read")]
    Corrupt,
}

impl From<tokio_postgres::Error> for PgError {
    /// An answer from the server is [`PgError::Query`]; anything else (refused, closed, a
    /// broken TLS session, a timeout) means the database is not there: [`PgError::Unavailable`].
    fn from(e: tokio_postgres::Error) -> Self {
        if e.as_db_error().is_some() {
            Self::Query(e)
        } else {
            Self::Unavailable(e.to_string())
        }
    }
}

impl From<PgError> for crate::Error {
    /// The relay's error: [`PgError::Unavailable`] stays apart (the status page and the
    /// HTTP layer tell a lost database from a fault), the rest keeps its message.
    fn from(e: PgError) -> Self {
        match e {
            PgError::Unavailable(why) => Self::DatabaseUnavailable(why),
            other => Self::Postgres(other.to_string()),
        }
    }
}

impl From<PoolError> for PgError {
    /// Failing to get a pooled connection (none free in time, or a new one could not be
    /// opened) is always [`PgError::Unavailable`].
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Backend(e) => Self::Unavailable(e.to_string()),
            other => Self::Unavailable(other.to_string()),
        }
    }
}

/// Handle to the PostgreSQL engine; cheap to clone. Dropping the last clone stops its
/// background tasks.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// Access-log lines as their commits succeed (this instance's lines).
    committed_log: broadcast::Sender<AccessLogEntry>,
    /// Read-only requests' lines, written by a task so requests do not wait for them.
    detached: mpsc::Sender<LogLine>,
    /// Bumped when any instance issues or revokes a token (see `listen`).
    tokens_changed: watch::Receiver<u64>,
    _tasks: std::sync::Arc<Tasks>,
}

/// The background tasks, aborted when the last handle goes.
struct Tasks(Vec<JoinHandle<()>>);

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl PgStore {
    /// [`PgStore::open_with_pool`] with the default pool size (the engine's own tests).
    #[cfg(test)]
    pub async fn open(url: &str) -> Result<Self, PgError> {
        Self::open_with_pool(url, crate::config::DATABASE_POOL_SIZE_DEFAULT).await
    }

    /// Connects to `url`, checks durability, migrates under the advisory lock, opens the
    /// pool's `pool_size` connections ([`connect::fill`]) and starts the background tasks.
    /// Fails with the reason when the database is unreachable, not durable or cannot be
    /// migrated: the instance must then not serve.
    pub async fn open_with_pool(url: &str, pool_size: usize) -> Result<Self, PgError> {
        let target = Target::parse(url)?;
        let pool = target.pool(pool_size)?;
        let mut client = pool.get().await?;
        let sync: String = client
            .query_one("SHOW synchronous_commit", &[])
            .await?
            .get(0);
        if !matches!(sync.as_str(), "on" | "remote_write" | "remote_apply") {
            return Err(PgError::NotDurable(sync));
        }
        schema::migrate(&mut client).await?;
        drop(client);
        connect::fill(&pool).await;
        let (committed_log, _) = broadcast::channel(LOG_FEED);
        let (detached, lines) = mpsc::channel(DETACHED_LINES);
        let (bump, tokens_changed) = watch::channel(0);
        let writer = tokio::spawn(admin::write_detached(
            pool.clone(),
            lines,
            committed_log.clone(),
        ));
        let listener = tokio::spawn(listen::tokens(target, bump));
        Ok(Self {
            pool,
            committed_log,
            detached,
            tokens_changed,
            _tasks: std::sync::Arc::new(Tasks(vec![writer, listener])),
        })
    }

    /// A pooled connection, or [`PgError::Unavailable`] after [`connect::WAIT`].
    async fn client(&self) -> Result<Object, PgError> {
        Ok(self.pool.get().await?)
    }

    /// Runs one statement (prepared once per connection) and returns its row, if any.
    async fn opt(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>, PgError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query_opt(&statement, params).await?)
    }

    /// Runs one statement and returns its rows.
    async fn all(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, PgError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.query(&statement, params).await?)
    }

    /// Runs one statement and returns how many rows it changed.
    async fn exec(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, PgError> {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await?;
        Ok(client.execute(&statement, params).await?)
    }

    /// Announces committed lines to the live feed (nobody listening is fine).
    fn announce(&self, entries: impl IntoIterator<Item = AccessLogEntry>) {
        for entry in entries {
            let _ = self.committed_log.send(entry);
        }
    }

    /// Changes whenever any instance issued or revoked a token (and after the listener
    /// reconnected, since it may have missed some): the token cache reloads on it.
    pub fn token_changes(&self) -> watch::Receiver<u64> {
        self.tokens_changed.clone()
    }
}
