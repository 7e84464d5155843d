//! Whirlpool computed on its own thread, fed through a bounded channel, so hashing runs
//! alongside the network and disk instead of after them.

use bytes::Bytes;
use tokio::sync::mpsc;
use whirlpool::{Digest, Whirlpool};

/// Chunks waiting to be hashed at most (with 1 MiB chunks, 8 MiB of memory).
const QUEUE: usize = 8;

/// A Whirlpool hasher running on a separate thread.
pub struct HashWorker {
    tx: Option<mpsc::Sender<Bytes>>,
    handle: Option<std::thread::JoinHandle<String>>,
}

impl HashWorker {
    pub fn spawn() -> HashWorker {
        let (tx, mut rx) = mpsc::channel::<Bytes>(QUEUE);
        let handle = std::thread::Builder::new()
            .name("whirlpool".into())
            .spawn(move || {
                let mut h = Whirlpool::new();
                while let Some(chunk) = rx.blocking_recv() {
                    h.update(&chunk);
                }
                hex::encode(h.finalize())
            })
            .expect("a thread can be started");
        HashWorker {
            tx: Some(tx),
            handle: Some(handle),
        }
    }

    /// Queues bytes (waits when the hasher is behind).
    pub async fn update(&self, chunk: Bytes) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(chunk).await;
        }
    }

    /// From a blocking thread.
    pub fn blocking_update(&self, chunk: Bytes) {
        if let Some(tx) = &self.tx {
            let _ = tx.blocking_send(chunk);
        }
    }

    /// A sender for another thread to feed.
    pub fn sender(&self) -> mpsc::Sender<Bytes> {
        self.tx.clone().expect("not finished")
    }

    /// Waits for the hasher to catch up; returns the lowercase hex digest.
    pub async fn finish(mut self) -> String {
        self.tx.take();
        let handle = self.handle.take().expect("finished once");
        tokio::task::spawn_blocking(move || handle.join().expect("the hasher doesn't panic"))
            .await
            .expect("the join task doesn't panic")
    }
}

/// Whirlpool of a byte slice (tests, small files).
pub fn whirlpool_hex(data: &[u8]) -> String {
    hex::encode(Whirlpool::digest(data))
}

/// Whirlpool of a whole file, read in 1 MiB pieces (blocking: call it off the runtime).
pub fn whirlpool_file(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Whirlpool::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// Feeds the first `len` bytes of a file to `hasher`, from a blocking thread.
pub fn hash_prefix(
    path: &std::path::Path,
    len: u64,
    hasher: &mpsc::Sender<Bytes>,
) -> std::io::Result<()> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?.take(len);
    loop {
        let mut buf = vec![0u8; 1 << 20];
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        buf.truncate(n);
        let _ = hasher.blocking_send(Bytes::from(buf));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn matches_a_one_shot_digest() {
        let w = HashWorker::spawn();
        w.update(Bytes::from_static(b"hello ")).await;
        w.update(Bytes::from_static(b"world")).await;
        let got = w.finish().await;
        assert_eq!(got, whirlpool_hex(b"hello world"));
        assert_eq!(got.len(), 128);
        // The empty input's well-known digest starts with 19fa61d7.
        assert!(HashWorker::spawn().finish().await.starts_with("19fa61d7"));
    }
}
