//! [`AdminError`]: why an admin command failed. Every message is one line a person can act
//! on; none contains a token.

use std::io;
use std::path::PathBuf;

use super::protocol::AdminErrorCode;

/// Why an admin command (or the admin socket) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// The caller may not use this relay's admin socket or data directory.
    #[error("permission denied: run as {owner} or root ({path} belongs to {owner})")]
    PermissionDenied {
        /// The user the relay (or its data directory) belongs to.
        owner: String,
        /// The socket or directory that refused us.
        path: PathBuf,
    },
    /// No relay runs and the data directory belongs to another user: opening the store as
    /// this user would leave files the relay's user cannot write.
    #[error("no relay is running on {dir}, which belongs to {owner}: run this command as {owner}")]
    NotOwner {
        /// The data directory.
        dir: PathBuf,
        /// Its owner.
        owner: String,
    },
    /// The data directory holds no relay database (list and revoke never create one).
    #[error("no relay database in {0}; check --data-dir")]
    NoDatabase(PathBuf),
    /// Something holds the data directory's lock but no admin socket answers.
    #[error("{dir} is in use by another process (a relay starting, or one without an admin socket); try again in a moment")]
    Busy {
        /// The data directory.
        dir: PathBuf,
    },
    /// A relay already runs on this data directory (its admin socket answers).
    #[error("a relay is already running on {dir}")]
    AlreadyRunning {
        /// The data directory.
        dir: PathBuf,
    },
    /// No live token has this name.
    #[error("no active token is named {0:?}")]
    NotFound(String),
    /// The running relay refused or failed the request.
    #[error("{message}")]
    Remote {
        /// What kind of failure.
        code: AdminErrorCode,
        /// The relay's one-line message.
        message: String,
    },
    /// The other side did not speak the protocol (a line too long or not JSON).
    #[error("admin socket protocol error: {0}")]
    Protocol(String),
    /// The relay library failed (store, configuration).
    #[error(transparent)]
    Relay(#[from] crate::Error),
    /// Socket or file I/O failed.
    #[error("admin socket {path}: {source}")]
    Io {
        /// The socket or file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
}
