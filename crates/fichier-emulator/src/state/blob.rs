//! A stored file's bytes on disk, and their Whirlpool, computed once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

/// The bytes of a stored file, in the emulator's data folder; removed with the last file
/// that shares them.
#[derive(Debug)]
pub struct Blob {
    pub path: PathBuf,
    pub size: u64,
    checksum: OnceCell<String>,
    /// The hash being computed while the file was received, if it was.
    pending: Mutex<Option<crate::follow_hash::PendingChecksum>>,
}

impl Blob {
    pub fn new(path: PathBuf, size: u64) -> Arc<Blob> {
        Self::hashing(path, size, None)
    }

    /// A blob whose Whirlpool is already being computed (see `follow_hash`).
    pub fn hashing(
        path: PathBuf,
        size: u64,
        pending: Option<crate::follow_hash::PendingChecksum>,
    ) -> Arc<Blob> {
        Arc::new(Blob {
            path,
            size,
            checksum: OnceCell::new(),
            pending: Mutex::new(pending),
        })
    }

    /// The Whirlpool of the content, computed once: the hash started while receiving the
    /// upload when there is one, otherwise read lazily (the first listing, info or report
    /// that needs it waits), so storing a file costs no hashing on the upload path.
    pub async fn checksum(self: &Arc<Self>) -> String {
        let me = self.clone();
        self.checksum
            .get_or_init(|| async move {
                let pending = me.pending.lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(rx) = pending
                    && let Ok(sum) = rx.await
                {
                    return sum;
                }
                let path = me.path.clone();
                tokio::task::spawn_blocking(move || whirlpool_file(&path))
                    .await
                    .unwrap_or_default()
            })
            .await
            .clone()
    }
}

impl Drop for Blob {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub fn whirlpool_file(path: &Path) -> String {
    use std::io::Read;
    use whirlpool::{Digest, Whirlpool};
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let mut hasher = Whirlpool::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(_) => return String::new(),
        }
    }
    hex::encode(hasher.finalize())
}
