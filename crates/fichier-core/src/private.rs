//! Files that hold the user's data (the queue, the settings, the lock) are readable by
//! the user only: 0600 for files and 0700 for the folders we create, on Unix.

use std::fs::OpenOptions;
use std::path::Path;

use crate::error::CoreError;

/// Options that create a file readable and writable by its owner only.
pub fn open_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Creates `dir` and its missing parents; the ones created are for the owner only.
pub fn create_dir(dir: &Path) -> Result<(), CoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| CoreError::from_io(dir, &e))
}

/// Makes an existing file the owner's only (files written by older versions).
pub fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Creates an empty file for the owner only if it doesn't exist yet, so that a program
/// creating it afterwards (SQLite, with its -wal and -shm files) inherits the mode.
pub fn touch(path: &Path) -> Result<(), CoreError> {
    match open_options().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            restrict(path);
            Ok(())
        }
        Err(e) => Err(CoreError::from_io(path, &e)),
    }
}
