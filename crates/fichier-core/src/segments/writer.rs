//! The writer of a segmented download: bytes at their place in the `.part` on one
//! thread, the segments journaled after each fsync, the Whirlpool fed up to the
//! contiguous prefix.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::{Msg, Plan, Segment, coalesce, contiguous};
use crate::error::CoreError;
use crate::queue::JobCtx;

/// Writes the connections' bytes at their place on its own thread; on each sync it
/// fsyncs, journals the segments as written, and hashes up to the contiguous prefix.
pub(super) struct Writer {
    handle: std::thread::JoinHandle<io::Result<()>>,
    path: PathBuf,
}

/// Reads the file back up to each contiguous prefix it is told of and feeds the hasher,
/// on its own thread: the writer never waits for the Whirlpool.
fn feed(file: File, prefixes: std_mpsc::Receiver<u64>, tx: mpsc::Sender<Bytes>) -> io::Result<()> {
    let mut hashed = 0;
    while let Ok(mut prefix) = prefixes.recv() {
        while let Ok(newer) = prefixes.try_recv() {
            prefix = newer;
        }
        while hashed < prefix {
            let len = (prefix - hashed).min(1 << 20) as usize;
            let mut buf = vec![0u8; len];
            read_exact_at(&file, &mut buf, hashed)?;
            hashed += len as u64;
            if tx.blocking_send(Bytes::from(buf)).is_err() {
                return Ok(());
            }
        }
    }
    Ok(())
}

struct WriterState {
    file: File,
    plan: Arc<Mutex<Plan>>,
    ctx: JobCtx,
    /// Per segment, the end of what this thread has written.
    written: Vec<u64>,
    /// Where the contiguous prefix is told to the hash feeder.
    prefixes: Option<std_mpsc::Sender<u64>>,
}

impl Writer {
    pub(super) fn start(
        file: File,
        path: PathBuf,
        plan: Arc<Mutex<Plan>>,
        ctx: JobCtx,
        hasher: Option<mpsc::Sender<Bytes>>,
        mut rx: mpsc::Receiver<Msg>,
    ) -> Result<Writer, CoreError> {
        let written = plan
            .lock()
            .expect("plan")
            .segs
            .iter()
            .map(Segment::pos)
            .collect();
        let (prefixes, feeder) = match hasher {
            Some(tx) => {
                let back = File::open(&path).map_err(|e| CoreError::from_io(&path, &e))?;
                let (ptx, prx) = std_mpsc::channel();
                let handle = std::thread::Builder::new()
                    .name("segment-hash".into())
                    .spawn(move || feed(back, prx, tx))
                    .expect("a thread can be started");
                (Some(ptx), Some(handle))
            }
            None => (None, None),
        };
        let mut st = WriterState {
            file,
            plan,
            ctx,
            written,
            prefixes,
        };
        let handle = std::thread::Builder::new()
            .name("segment-writer".into())
            .spawn(move || -> io::Result<()> {
                let mut outcome = Ok(());
                while let Some(msg) = rx.blocking_recv() {
                    let step = match msg {
                        Msg::Data { seg, at, bytes } => st.write(seg, at, &bytes),
                        Msg::Sync => st.sync(),
                    };
                    if let Err(e) = step {
                        outcome = Err(e);
                        break;
                    }
                }
                // What reached the file is kept for the resume, and hashed.
                drop(rx);
                let last = st.sync();
                st.prefixes.take();
                let fed = match feeder.map(|f| f.join()) {
                    Some(Ok(r)) => r,
                    Some(Err(_)) => Err(io::Error::other("the hash reader stopped")),
                    None => Ok(()),
                };
                outcome.and(last).and(fed)
            })
            .expect("a thread can be started");
        Ok(Writer { handle, path })
    }

    pub(super) async fn close(self) -> Result<(), CoreError> {
        let path = self.path;
        match tokio::task::spawn_blocking(move || self.handle.join())
            .await
            .expect("join task")
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(CoreError::from_io(&path, &e)),
            Err(_) => Err(CoreError::Io {
                path,
                detail: "the writer stopped unexpectedly".into(),
            }),
        }
    }
}

impl WriterState {
    fn write(&mut self, seg: usize, at: u64, bytes: &[u8]) -> io::Result<()> {
        write_at(&self.file, bytes, at)?;
        if self.written.len() <= seg {
            self.written.resize(seg + 1, 0);
        }
        self.written[seg] = at + bytes.len() as u64;
        Ok(())
    }

    /// Fsyncs, then journals the segments as far as they are written, then hashes up to
    /// the contiguous prefix.
    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()?;
        let segs: Vec<Segment> = {
            let plan = self.plan.lock().expect("plan");
            plan.segs
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let end = self.written.get(i).copied().unwrap_or(s.start);
                    Segment {
                        start: s.start,
                        end: s.end,
                        done: end.clamp(s.start, s.end) - s.start,
                    }
                })
                .collect()
        };
        let prefix = contiguous(&segs);
        self.ctx.set_segments(&coalesce(segs), prefix);
        if let Some(p) = &self.prefixes {
            let _ = p.send(prefix);
        }
        Ok(())
    }
}

#[cfg(unix)]
fn write_at(f: &File, buf: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(f, buf, at)
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(windows)]
fn write_at(f: &File, mut buf: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = f.seek_write(buf, at)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        buf = &buf[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = f.seek_read(buf, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        at += n as u64;
    }
    Ok(())
}
