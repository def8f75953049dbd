//! [`DataDirLock`]: one process at a time works on a data directory's store.

use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::error::AdminError;

/// File name of the lock inside the data directory.
pub const LOCK_NAME: &str = "relay.lock";

/// An exclusive advisory lock (`flock`) on `DATA_DIR/relay.lock`, held until dropped. The
/// kernel releases it when the process dies, so a crash never leaves a stale lock.
///
/// The headless relay holds it while it runs, a token command while it works on the store
/// directly. An app that serves a relay on a directory the commands may be pointed at
/// should hold it too, and serve the admin socket ([`super::serve_admin`]).
#[derive(Debug)]
pub struct DataDirLock {
    // Held open for the lock; never read or written.
    _file: File,
    path: PathBuf,
}

impl DataDirLock {
    /// Takes the lock, creating the directory (`0700`) and the lock file (`0600`) if needed.
    /// `Ok(None)` when another process holds it.
    pub fn try_acquire(data_dir: &Path) -> Result<Option<Self>, AdminError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| AdminError::Io { path, source }
        };
        if !data_dir.exists() {
            std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
            std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700))
                .map_err(io(data_dir))?;
        }
        let path = data_dir.join(LOCK_NAME);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { _file: file, path })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(source)) => Err(AdminError::Io { path, source }),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = DataDirLock::try_acquire(&data)
            .unwrap()
            .expect("free at first");
        assert!(
            DataDirLock::try_acquire(&data).unwrap().is_none(),
            "a second open file description is refused while the first holds it"
        );
        let mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "a directory the lock creates is private");
        drop(first);
        assert!(
            DataDirLock::try_acquire(&data).unwrap().is_some(),
            "free again once dropped"
        );
    }
}
