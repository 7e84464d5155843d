//! One engine per queue: an exclusive lock, taken from the operating system, on a file
//! beside the queue database. The kernel releases it when the process ends, even by
//! `kill -9`, so a crash never leaves the queue locked.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use fs4::{FileExt, TryLockError};

use crate::error::CoreError;

/// Held for as long as an engine works on its queue.
#[derive(Debug)]
pub struct QueueLock {
    file: File,
    path: PathBuf,
}

/// The lock file of the queue database `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

impl QueueLock {
    /// Takes the queue's lock, or says who holds it.
    pub fn acquire(db: &Path) -> Result<QueueLock, CoreError> {
        let path = lock_path(db);
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            crate::private::create_dir(dir)?;
        }
        let mut file = crate::private::open_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| CoreError::from_io(&path, &e))?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(CoreError::QueueBusy {
                    queue: db.to_path_buf(),
                    owner: read_owner(&mut file),
                });
            }
            Err(TryLockError::Error(e)) => return Err(CoreError::from_io(&path, &e)),
        }
        // Who we are, for the message a second process shows.
        let program = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "another program".into());
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = writeln!(file, "{program}, pid {}", std::process::id());
        let _ = file.sync_data();
        Ok(QueueLock { file, path })
    }

    /// Takes the lock, waiting while another process holds it. `on_wait` is called once,
    /// with the owner, when the queue is found busy.
    pub async fn acquire_waiting(
        db: &Path,
        mut on_wait: impl FnMut(&str),
    ) -> Result<QueueLock, CoreError> {
        let mut told = false;
        loop {
            match QueueLock::acquire(db) {
                Err(CoreError::QueueBusy { owner, .. }) => {
                    if !told {
                        on_wait(&owner);
                        told = true;
                    }
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                other => return other,
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for QueueLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = FileExt::unlock(&self.file);
    }
}

fn read_owner(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.take(200).read_to_string(&mut text);
    let owner = text.lines().next().unwrap_or("").trim().to_string();
    if owner.is_empty() {
        "another process".into()
    } else {
        owner
    }
}
