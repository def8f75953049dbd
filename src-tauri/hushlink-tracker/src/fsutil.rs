//! Private files: created owner-only (0600 files, 0700 folders on Unix) and replaced atomically.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Result, TrackerError};

/// Creates `dir` and its parents, owner-only where this creates them.
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| TrackerError::io(dir, e))
}

/// Writes `bytes` to `path` through a temp file and a rename, so a crash never leaves half a
/// file, and the file is never readable by others, not even for a moment.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_private_dir(parent)?;
    }
    let tmp = path.with_extension("tmp");
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(|e| TrackerError::io(&tmp, e))?;
    file.write_all(bytes)
        .map_err(|e| TrackerError::io(&tmp, e))?;
    file.sync_all().map_err(|e| TrackerError::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| TrackerError::io(path, e))
}

/// Makes an existing file owner-only (the database and its WAL and shared-memory files).
pub(crate) fn restrict(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path.exists() {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))
                .map_err(|e| TrackerError::io(path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
