//! The app's relay as the owner of its data directory, as the headless relay is: it holds
//! the directory's lock while its store is open and serves the admin socket while it runs,
//! so `hushlink-relay token create|list|revoke --data-dir <this directory>` reaches the
//! running relay's token table and never writes to the store behind its back (see
//! `hushlink_relay::admin`).
//!
//! Unix only, like the admin socket; elsewhere both are no-ops.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use hushlink_relay::Relay;

use super::SwitchError;

/// How long a start waits for a token command working on the store itself (it holds the
/// lock for a moment) before concluding that another relay owns the directory.
pub(super) const LOCK_WAIT: Duration = Duration::from_secs(3);

/// The data directory's lock, held from before the store opens until the relay stops.
#[derive(Debug)]
pub(super) struct DirLock {
    #[cfg(unix)]
    _lock: hushlink_relay::admin::DataDirLock,
}

/// The bound admin socket, not serving yet.
#[derive(Debug)]
pub(super) struct AdminSocket {
    #[cfg(unix)]
    listener: hushlink_relay::admin::AdminListener,
}

/// Takes `dir`'s lock, waiting up to `wait` for a token command that holds it. Fails at
/// once with [`SwitchError::DataDirInUse`] when another relay answers on the directory's
/// admin socket (the headless relay, or another app), and after `wait` when something
/// holds the lock without answering (a relay still opening its store).
#[cfg(unix)]
pub(super) async fn lock(dir: &Path, wait: Duration) -> Result<DirLock, SwitchError> {
    use hushlink_relay::admin::{socket_path, AdminClient, DataDirLock};

    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(lock) = DataDirLock::try_acquire(dir).map_err(SwitchError::Admin)? {
            return Ok(DirLock { _lock: lock });
        }
        // Any answer, or a socket we may not even open (another user's relay), means a
        // relay runs there.
        let answering = !matches!(AdminClient::connect(&socket_path(dir)).await, Ok(None));
        if answering || tokio::time::Instant::now() >= deadline {
            return Err(SwitchError::DataDirInUse {
                dir: dir.to_owned(),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(not(unix))]
pub(super) async fn lock(_dir: &Path, _wait: Duration) -> Result<DirLock, SwitchError> {
    Ok(DirLock {})
}

/// Binds `dir`'s admin socket. Call it with the lock held and the previous relay stopped:
/// its socket is gone then, and no one else may bind one.
#[cfg(unix)]
pub(super) async fn bind(dir: &Path) -> Result<AdminSocket, SwitchError> {
    let path = hushlink_relay::admin::socket_path(dir);
    let listener = hushlink_relay::admin::AdminListener::bind(&path)
        .await
        .map_err(SwitchError::Admin)?;
    Ok(AdminSocket { listener })
}

#[cfg(not(unix))]
pub(super) async fn bind(_dir: &Path) -> Result<AdminSocket, SwitchError> {
    Ok(AdminSocket {})
}

impl AdminSocket {
    /// Answers token commands with `relay` until `shutdown`; the socket file is removed when
    /// this returns. A failure is logged: the relay keeps serving its links.
    pub(super) async fn serve(self, relay: Relay, shutdown: impl Future<Output = ()> + Send) {
        #[cfg(unix)]
        if let Err(error) = self.listener.serve(relay, shutdown).await {
            tracing::error!(%error, "the relay's admin socket stopped");
        }
        #[cfg(not(unix))]
        {
            let _ = relay;
            shutdown.await;
        }
    }
}
