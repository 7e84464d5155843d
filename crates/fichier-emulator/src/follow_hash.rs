//! Whirlpool of an upload computed while it is being received, without slowing it down.
//!
//! The receiving task writes the file and tells a [`Follower`] how many bytes are on disk; a
//! thread of its own reads behind it (from the page cache) and hashes. The upload path never
//! waits for the hash, and holds no extra memory however far the hash falls behind: when the
//! upload ends, the report (`end.pl`) waits only for what is left to hash. 1fichier also
//! checksums every upload before it reports it.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

use tokio::sync::oneshot;
use whirlpool::{Digest, Whirlpool};

#[derive(Default)]
struct Progress {
    /// Bytes the writer has put in the file so far.
    written: u64,
    /// The writer is done and `written` is the final size.
    finished: bool,
    /// The upload failed: stop without an answer.
    aborted: bool,
}

type Shared = Arc<(Mutex<Progress>, Condvar)>;

/// The writer's side. Dropping it before [`Follower::finish`] abandons the hash.
pub struct Follower {
    shared: Shared,
}

/// The hash that will be ready once the follower has read everything.
pub type PendingChecksum = oneshot::Receiver<String>;

impl Follower {
    /// Starts hashing `path` (already created by the caller) as it grows.
    pub fn start(path: PathBuf) -> std::io::Result<(Follower, PendingChecksum)> {
        let file = File::open(&path)?;
        let shared: Shared = Arc::default();
        let (tx, rx) = oneshot::channel();
        let reader = shared.clone();
        std::thread::Builder::new()
            .name("emulator-hash".into())
            .spawn(move || {
                if let Some(sum) = follow(file, &reader) {
                    let _ = tx.send(sum);
                }
            })?;
        Ok((Follower { shared }, rx))
    }

    /// `n` more bytes are in the file.
    pub fn advance(&self, n: u64) {
        self.update(|p| p.written += n);
    }

    /// The file is complete.
    pub fn finish(self) {
        self.update(|p| p.finished = true);
    }

    fn update(&self, f: impl FnOnce(&mut Progress)) {
        let (lock, cv) = &*self.shared;
        f(&mut lock.lock().unwrap_or_else(|e| e.into_inner()));
        cv.notify_one();
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.update(|p| p.aborted = !p.finished);
    }
}

/// Reads and hashes behind the writer; `None` when the upload was abandoned or the file
/// could not be read.
fn follow(mut file: File, shared: &Shared) -> Option<String> {
    let (lock, cv) = &**shared;
    let mut hasher = Whirlpool::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut hashed = 0u64;
    loop {
        let available = {
            let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
            while !p.aborted && !p.finished && p.written == hashed {
                p = cv.wait(p).unwrap_or_else(|e| e.into_inner());
            }
            if p.aborted {
                return None;
            }
            if p.finished && p.written == hashed {
                return Some(hex::encode(hasher.finalize()));
            }
            p.written - hashed
        };
        let want = available.min(buf.len() as u64) as usize;
        file.read_exact(&mut buf[..want]).ok()?;
        hasher.update(&buf[..want]);
        hashed += want as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file already holding `content`, and a follower started on it.
    fn follow_file(content: &[u8]) -> (tempfile::TempDir, Follower, PendingChecksum) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        File::create(&path).unwrap().write_all(content).unwrap();
        let (follower, pending) = Follower::start(path).unwrap();
        (dir, follower, pending)
    }

    #[tokio::test]
    async fn hashes_what_was_written_in_pieces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut out = File::create(&path).unwrap();
        let (follower, pending) = Follower::start(path.clone()).unwrap();
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for piece in data.chunks(700_001) {
            out.write_all(piece).unwrap();
            out.flush().unwrap();
            follower.advance(piece.len() as u64);
        }
        follower.finish();
        let sum = pending.await.unwrap();
        assert_eq!(sum, crate::state::whirlpool_file(&path));
        assert_eq!(sum, hex::encode(Whirlpool::digest(&data)));
    }

    #[tokio::test]
    async fn matches_the_published_test_vector() {
        // ISO/IEC 10118-3 Whirlpool of "abc" (also guards the assembly build on Linux).
        let (_dir, follower, pending) = follow_file(b"abc");
        follower.advance(3);
        follower.finish();
        assert_eq!(
            pending.await.unwrap(),
            "4e2448a4c6f486bb16b6562c73b4020bf3043e3a731bce721ae1b303d97e6d4c\
             7181eebdb6c57e277d0e34957114cbd6c797fc9d95d8b582d225292076d4eef5"
        );
    }

    #[tokio::test]
    async fn an_abandoned_upload_gives_no_checksum() {
        let (_dir, follower, pending) = follow_file(b"partial");
        follower.advance(7);
        drop(follower);
        assert!(
            pending.await.is_err(),
            "no checksum for an abandoned upload"
        );
    }
}
