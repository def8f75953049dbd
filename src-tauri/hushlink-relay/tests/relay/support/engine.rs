//! The storage engine the suite's relays run on, chosen by `HUSHLINK_TEST_ENGINE`: `sqlite`
//! (the default: a file in the test's data directory) or `postgres` (a fresh database of
//! one throwaway PostgreSQL cluster kept for the whole test process, issue 18). Every test
//! that opens its relay through [`open`] or [`TestRelay`](super::TestRelay) runs unchanged
//! on either; tests about one engine's own files say so with [`sqlite_only`] or
//! [`postgres_only`] and are skipped, with the reason printed, on the other.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use hushlink_relay::{Clock, Relay, RelayConfig};
use hushlink_testkit::TestPostgres;

/// The variable that picks the engine.
pub const VAR: &str = "HUSHLINK_TEST_ENGINE";

/// Where the relays of this run keep their data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine `HUSHLINK_TEST_ENGINE` names (SQLite when unset). Panics on any other
    /// value, so a typo cannot run the SQLite suite twice while claiming PostgreSQL.
    pub fn current() -> Self {
        static ENGINE: OnceLock<Engine> = OnceLock::new();
        *ENGINE.get_or_init(|| match std::env::var(VAR).as_deref() {
            Err(std::env::VarError::NotPresent) | Ok("" | "sqlite") => Self::Sqlite,
            Ok("postgres") => Self::Postgres,
            other => panic!("{VAR} is `sqlite` or `postgres`, not {other:?}"),
        })
    }
}

/// True when the suite runs on PostgreSQL, after printing why this SQLite test is skipped.
/// Use: `if crate::support::sqlite_only("reads the SQLite file") { return; }`.
pub fn sqlite_only(why: &str) -> bool {
    let skip = Engine::current() != Engine::Sqlite;
    if skip {
        eprintln!("skipped on PostgreSQL: {why}");
    }
    skip
}

/// True when the suite runs on SQLite, after printing why this PostgreSQL test is skipped.
pub fn postgres_only(why: &str) -> bool {
    let skip = Engine::current() != Engine::Postgres;
    if skip {
        eprintln!("skipped on SQLite ({VAR}=postgres runs it): {why}");
    }
    skip
}

/// The relay for `config` on the current engine, with the system clock.
pub async fn open(config: RelayConfig) -> hushlink_relay::Result<Relay> {
    open_with_clock(config, Clock::system()).await
}

/// The relay for `config` on the current engine. On PostgreSQL the data directory names the
/// database: the first open of a directory gets a fresh database, a later one (a restart)
/// the same database, as reopening a SQLite data directory finds its file.
pub async fn open_with_clock(config: RelayConfig, clock: Clock) -> hushlink_relay::Result<Relay> {
    match Engine::current() {
        Engine::Sqlite => Relay::open_with_clock(config, clock).await,
        Engine::Postgres => {
            let url = database_of(config.data_dir.clone()).await;
            Relay::open_on_postgres(config, clock, &url).await
        }
    }
}

/// The database URL a data directory stands for (see [`open_with_clock`]).
pub async fn database_of(data_dir: PathBuf) -> String {
    static DATABASES: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    let known = DATABASES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .get(&data_dir)
        .cloned();
    if let Some(url) = known {
        return url;
    }
    let url = fresh_database().await;
    DATABASES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .entry(data_dir)
        .or_insert(url)
        .clone()
}

/// The process's PostgreSQL cluster, started on first use (blocking: call it through
/// `spawn_blocking` from async code, or use [`fresh_database`]).
pub fn cluster() -> &'static TestPostgres {
    TestPostgres::process_wide()
}

/// A new empty database on [`cluster`], as a relay's `--database` URL that verifies the
/// server with the cluster's CA (`sslrootcert`).
pub async fn fresh_database() -> String {
    tokio::task::spawn_blocking(|| {
        let pg = cluster();
        format!(
            "{}&sslrootcert={}",
            pg.new_database(),
            pg.ca_path().display()
        )
    })
    .await
    .expect("a fresh PostgreSQL database")
}

/// The database name in a URL from [`fresh_database`] (for `pg_dump` and the like).
pub fn database_name(url: &str) -> &str {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or(path)
}
