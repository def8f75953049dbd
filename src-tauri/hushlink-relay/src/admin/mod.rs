//! Administration of a relay from its own machine: the `hushlink-relay token ...` and
//! `hushlink-relay invite NAME` commands, and the local admin socket through which they
//! reach a running relay.
//!
//! A running relay keeps its live tokens in memory, so a command must not change the store
//! behind its back: a revocation written straight to the database would not reach the
//! relay's token table, and the revoked token would keep working. Hence two paths:
//!
//! - **A relay runs on the data directory**: it serves a unix socket, `DATA_DIR/admin.sock`
//!   ([`SOCKET_NAME`]), and the commands send it [`AdminRequest`]s; the relay carries them
//!   out on its own [`crate::Tokens`], so a revocation is refused on the very next request.
//! - **None runs** (no socket, or a stale one that refuses connections): the command takes
//!   the data directory's lock ([`DataDirLock`]) and opens the store itself.
//!
//! - **`--database URL`** (PostgreSQL, several instances): the command works on the database
//!   directly ([`run_token_command_on`]); every instance hears the change (`NOTIFY`) and
//!   reloads its tokens within a second, so no socket is needed.
//!
//! The lock is what makes "none runs" safe to conclude: the headless relay holds it for its
//! whole life (taking it before it opens the store), and a command holds it while it works
//! on the store, so neither can open the store while the other does.
//!
//! **Who may administer**: the socket is mode `0600` inside the `0700` data directory, so
//! only the relay's user can reach it, and root (which bypasses file permissions). The
//! server also checks each connection's peer credentials (`SO_PEERCRED`) for that user or
//! root, so loosened permissions do not open it up. Anyone else gets
//! [`AdminError::PermissionDenied`], which names the user to run as.
//!
//! **Protocol**: one JSON object per line each way, [`AdminRequest`] then [`AdminResponse`];
//! a connection may carry several exchanges. Lines are capped at [`MAX_LINE`] bytes.
//!
//! Module map: `protocol` (the wire types), `server` ([`AdminListener`], [`serve_admin`]),
//! `client` ([`AdminClient`]), `lock` ([`DataDirLock`]), `users` (uids and user names),
//! `cli` ([`run_token_command`] and its table, [`run_invite_command`]).

mod cli;
mod client;
mod error;
mod lock;
mod protocol;
mod server;
#[cfg(test)]
mod tests;
mod users;

use std::path::{Path, PathBuf};

pub use crate::headless::TokenCommand;
pub use cli::{run_invite_command, run_invite_command_on, run_token_command, run_token_command_on};
pub use client::AdminClient;
pub use error::AdminError;
pub use lock::DataDirLock;
pub use protocol::{AdminErrorCode, AdminRequest, AdminResponse, TokenListing};
pub use server::{serve_admin, AdminListener};
pub use users::user_name;

/// File name of the admin socket inside the data directory.
pub const SOCKET_NAME: &str = "admin.sock";

/// Longest request or response line, in bytes (a token list of a few thousand tokens fits).
pub const MAX_LINE: usize = 1024 * 1024;

/// The admin socket of the relay whose data directory is `data_dir`.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET_NAME)
}
