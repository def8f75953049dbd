//! `hushlink-relay migrate --from sqlite:DIR --to postgres://...`: moving an office relay up
//! from its SQLite file to the PostgreSQL database several instances share (issue 18).
//!
//! The copy itself is `store_pg::import::import_sqlite`: rows byte for byte, sealed
//! values still sealed, in one PostgreSQL transaction. This module is the command around it:
//! - the source is the relay's data directory; the relay must be stopped, which the data
//!   directory's lock ([`crate::admin::DataDirLock`]) proves: it is held while the copy runs,
//!   so no relay starts on the directory meanwhile, and the source is only read;
//! - the target is migrated to the current schema, then must be empty: a second run into the
//!   same database is refused ([`MigrateError::exit_code`] 3) and changes nothing;
//! - it prints what it moved.

use std::path::PathBuf;

use clap::Args;

use super::DatabaseUrl;
use crate::store_pg::import::{import_sqlite, ImportError, Imported};
use crate::store_pg::{PgError, PgStore};

/// The SQLite relay's database file in its data directory (as [`crate::Relay::open`] names it).
const DB_FILE_NAME: &str = "relay.sqlite3";

/// `hushlink-relay migrate`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct MigrateCommand {
    /// The SQLite relay to copy: `sqlite:DIR`, its data directory. Stop that relay first; its
    /// directory is only read, and kept.
    #[arg(long, value_name = "sqlite:DIR", value_parser = parse_source)]
    pub from: PathBuf,
    /// The empty PostgreSQL database to copy into (`postgres://...`, as for --database;
    /// default: --database itself).
    #[arg(long, value_name = "URL")]
    pub to: Option<DatabaseUrl>,
}

/// Why `migrate` did not run or did not finish; in every case the target is as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// Neither `--to` nor `--database` names the target.
    #[error("say where to copy to: --to postgres://... (or --database)")]
    NoTarget,
    /// The source directory holds no relay database.
    #[error("no SQLite relay database in {0}; --from names the relay's data directory")]
    NoSource(PathBuf),
    /// A relay (or an admin command) holds the source directory.
    #[error("a relay is running on {0}: stop it first, so nothing changes while it is copied")]
    SourceInUse(PathBuf),
    /// The source directory's lock could not be taken.
    #[cfg(unix)]
    #[error(transparent)]
    Lock(#[from] crate::admin::AdminError),
    /// The target could not be opened, checked or migrated.
    #[error("{0}")]
    Target(#[from] PgError),
    /// The copy was refused or failed.
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl MigrateError {
    /// The process's exit code: 3 when the target already holds relay data (it was migrated
    /// before: nothing to do, nothing done), 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Import(ImportError::TargetNotEmpty(_)) => 3,
            _ => 1,
        }
    }
}

/// `sqlite:DIR` to `DIR`.
fn parse_source(text: &str) -> Result<PathBuf, String> {
    match text.strip_prefix("sqlite:") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => Err("the source is sqlite:DIR, the SQLite relay's data directory".into()),
    }
}

/// Runs `migrate`; `database` is `--database` (the target when `--to` is not given).
/// Returns what to print on stdout.
pub async fn run(
    command: &MigrateCommand,
    database: Option<&DatabaseUrl>,
) -> Result<String, MigrateError> {
    let target = command
        .to
        .as_ref()
        .or(database)
        .ok_or(MigrateError::NoTarget)?;
    let dir = &command.from;
    let file = dir.join(DB_FILE_NAME);
    if !file.is_file() {
        return Err(MigrateError::NoSource(dir.clone()));
    }
    // Held until the copy is committed: no relay starts on the source meanwhile.
    #[cfg(unix)]
    let _lock = crate::admin::DataDirLock::try_acquire(dir)?
        .ok_or_else(|| MigrateError::SourceInUse(dir.clone()))?;
    // One pooled connection: the copy runs on a client of its own (`import_sqlite`), so a
    // serving instance's pool of 16 would be 16 logins for nothing.
    let store = PgStore::open_with_pool(target.expose(), 1).await?;
    let moved = import_sqlite(&file, &store).await?;
    Ok(report(dir, &moved))
}

/// What `migrate` prints: the counts, then what to do next.
fn report(dir: &std::path::Path, moved: &Imported) -> String {
    format!(
        "Copied the SQLite relay in {dir} to PostgreSQL, sealed as it was:\n\
         secrets: {secrets} ({values} live)\n\
         tokens: {tokens}\n\
         invites: {invites}\n\
         access-log lines: {log}\n\
         Start the relays with --database on it; {dir} was only read and can be kept as a \
         backup until they serve.\n",
        dir = dir.display(),
        secrets = moved.secrets,
        values = moved.values,
        tokens = moved.tokens,
        invites = moved.invites,
        log = moved.log_lines,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_a_sqlite_directory() {
        assert_eq!(
            parse_source("sqlite:/var/lib/hushlink-relay"),
            Ok(PathBuf::from("/var/lib/hushlink-relay"))
        );
        assert!(parse_source("/var/lib/hushlink-relay").is_err());
        assert!(parse_source("sqlite:").is_err());
    }

    #[test]
    fn only_a_non_empty_target_exits_with_3() {
        assert_eq!(
            MigrateError::Import(ImportError::TargetNotEmpty(4)).exit_code(),
            3
        );
        assert_eq!(MigrateError::NoTarget.exit_code(), 1);
        assert_eq!(
            MigrateError::SourceInUse(PathBuf::from("/d")).exit_code(),
            1
        );
    }
}
