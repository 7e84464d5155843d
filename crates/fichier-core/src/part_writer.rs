//! The `.part` writer of a download on one connection: bytes in order on their own
//! thread, fsynced before each journal entry.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::PathBuf;

use bytes::Bytes;
use tokio::sync::mpsc;

use crate::error::CoreError;
use crate::queue::JobCtx;

pub(crate) enum WriteMsg {
    Data(Bytes),
    /// Flush, fsync, then record the offset in the journal.
    Sync(u64),
    /// Start the file over.
    Truncate,
}

/// Writes the `.part` on its own thread; fsyncs before each journal entry.
pub(crate) struct PartWriter {
    tx: Option<mpsc::Sender<WriteMsg>>,
    handle: Option<std::thread::JoinHandle<io::Result<()>>>,
    path: PathBuf,
}

impl PartWriter {
    pub(crate) fn start(mut file: File, offset: u64, path: PathBuf, ctx: JobCtx) -> PartWriter {
        let (tx, mut rx) = mpsc::channel::<WriteMsg>(32);
        let handle = std::thread::Builder::new()
            .name("part-writer".into())
            .spawn(move || -> io::Result<()> {
                file.seek(SeekFrom::Start(offset))?;
                let mut out = io::BufWriter::with_capacity(1 << 20, file);
                let written = write_all_messages(&mut out, &mut rx, &ctx);
                if written.is_err() {
                    // A full disk or a size limit: what did reach the file is still good
                    // (written in order from the journaled offset), so keep it for the
                    // resume once it is on disk.
                    let f = out.get_ref();
                    if f.sync_data().is_ok()
                        && let Ok(m) = f.metadata()
                    {
                        ctx.journal(m.len());
                    }
                    return written;
                }
                out.flush()?;
                out.get_ref().sync_data()
            })
            .expect("a thread can be started");
        PartWriter {
            tx: Some(tx),
            handle: Some(handle),
            path,
        }
    }

    pub(crate) async fn send(&mut self, msg: WriteMsg) -> Result<(), CoreError> {
        let ok = match &self.tx {
            Some(tx) => tx.send(msg).await.is_ok(),
            None => false,
        };
        if ok {
            Ok(())
        } else {
            Err(self.close().await.err().unwrap_or(CoreError::Cancelled))
        }
    }

    /// Flushes, fsyncs and ends the thread; reports any write error (disk full…).
    pub(crate) async fn close(&mut self) -> Result<(), CoreError> {
        self.tx.take();
        let Some(h) = self.handle.take() else {
            return Ok(());
        };
        let res = tokio::task::spawn_blocking(move || h.join())
            .await
            .expect("join task");
        match res {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(CoreError::from_io(&self.path, &e)),
            Err(_) => Err(CoreError::Io {
                path: self.path.clone(),
                detail: "the writer stopped unexpectedly".into(),
            }),
        }
    }

    /// Journals `offset` and closes.
    pub(crate) async fn finish(&mut self, offset: u64) -> Result<(), CoreError> {
        if self.tx.is_some() {
            let _ = self.send(WriteMsg::Sync(offset)).await;
        }
        self.close().await
    }
}

/// Carries out the writer's messages until the channel closes or a write fails.
fn write_all_messages(
    out: &mut io::BufWriter<File>,
    rx: &mut mpsc::Receiver<WriteMsg>,
    ctx: &JobCtx,
) -> io::Result<()> {
    while let Some(msg) = rx.blocking_recv() {
        match msg {
            WriteMsg::Data(b) => out.write_all(&b)?,
            WriteMsg::Sync(at) => {
                out.flush()?;
                out.get_ref().sync_data()?;
                ctx.journal(at);
            }
            WriteMsg::Truncate => {
                out.flush()?;
                ctx.journal(0);
                out.get_ref().set_len(0)?;
                out.get_mut().seek(SeekFrom::Start(0))?;
                out.get_ref().sync_data()?;
            }
        }
    }
    Ok(())
}
