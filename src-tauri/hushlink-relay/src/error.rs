//! The relay library's error type.
//!
//! Outcomes a caller is expected to branch on (a secret that is gone, a wrong passphrase, a
//! rate limit) are not errors here: they are the typed results of the operations in
//! [`crate::operations`] ([`crate::RevealError`], [`crate::CreateError`], [`crate::BurnError`]). This
//! enum is for faults: the store, the data directory, the configuration, TLS. None of its
//! messages ever contains secret text, a key or a passphrase.

use std::io;
use std::path::PathBuf;

/// A fault of the relay: storage, configuration or serving.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The data directory could not be created or restricted to the current user.
    #[error("cannot prepare the relay data directory {path}: {source}")]
    DataDir {
        /// The directory from [`crate::RelayConfig::data_dir`].
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The database file could not be opened, configured or migrated.
    #[error("cannot open the relay database {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer relay than this one.
    #[error("the relay database has schema version {found}, newer than this relay ({supported}); upgrade Hushlink")]
    SchemaTooNew {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A statement failed (disk full, I/O error, a damaged file).
    #[error("relay database error: {0}")]
    Store(#[from] rusqlite::Error),
    /// The shared PostgreSQL database cannot be reached (down, restarting, unreachable):
    /// requests fail at once and succeed again by themselves once it answers.
    #[error("the PostgreSQL database is unreachable: {0}")]
    DatabaseUnavailable(String),
    /// The PostgreSQL database refused an operation, or could not be opened, checked or
    /// migrated (the text says which and why).
    #[error("{0}")]
    Postgres(String),
    /// The transaction that carried this operation failed to commit (disk full, I/O error);
    /// the operation did not happen.
    #[error("relay database commit failed: {0}")]
    Commit(String),
    /// The store's writer has stopped, because the relay is shutting down or the writer
    /// thread died; the operation was not carried out.
    #[error("the relay's store has shut down")]
    StoreClosed,
    /// The operating system's random number generator failed; nothing was created.
    #[error("the operating system's random number generator failed")]
    Rng,
    /// A stored value did not decrypt with the key derived from its link: the database file
    /// was altered or damaged.
    #[error("a stored value failed authentication: the relay database was altered or damaged")]
    Corrupt,
    /// A passphrase could not be hashed (should not happen with valid parameters).
    #[error("hashing a passphrase failed")]
    PassphraseHash,
    /// The configuration is unusable; the text says which field and why.
    #[error("invalid relay configuration: {0}")]
    Config(String),
    /// A token name is empty, longer than 100 characters, or holds `:` or a control
    /// character (it is the HTTP Basic user name).
    #[error("a token name needs 1 to 100 characters, no ':' and no control characters")]
    TokenName,
    /// A live token already has this name; names identify tokens for `token revoke NAME`.
    #[error("a token named {0:?} already exists; revoke it first or choose another name")]
    TokenNameTaken(String),
    /// The TLS certificate or key could not be loaded.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// The relay's own TLS certificate (`DATA_DIR/tls`) is there but cannot be used. It is
    /// never replaced on its own: colleagues' apps pin it, and a new one would lock them out.
    #[error("the relay's TLS certificate in {dir} cannot be used ({reason}); it is not replaced automatically because colleagues' apps pin it: restore it from a backup, or delete it to make a new certificate whose fingerprint every colleague must then pin")]
    TlsIdentity {
        /// The directory of the pair.
        dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Binding or serving failed.
    #[error("relay I/O error: {0}")]
    Io(#[from] io::Error),
}

/// The relay library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
