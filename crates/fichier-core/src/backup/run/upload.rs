//! Sending a run's files through the transfer engine, and accepting each only when what
//! 1fichier received is the content that was read.

use fichier_api::ErrorCode;
use std::time::Duration;

use fichier_api::FileToRemove;

use super::super::plan::Upload;
use super::super::types::BackupStatus;
use super::{Run, parent};
use crate::error::CoreError;
use crate::queue::FinishedSince;
use crate::types::TransferState;

impl Run<'_> {
    /// Sends files through the transfer engine and waits for them; returns the earlier
    /// copies that were superseded, and how many files want another round.
    pub(super) async fn upload(
        &mut self,
        uploads: Vec<Upload>,
    ) -> Result<(Vec<(String, String)>, u64), CoreError> {
        if uploads.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let files: Vec<_> = uploads
            .iter()
            .map(|u| {
                (
                    u.cur.file.abs.clone(),
                    parent(&u.cur.file.rel).map(str::to_string),
                )
            })
            .collect();
        // A transfer the previous process left unfinished may have been resumed and
        // finished while this run was reading: it is taken, not sent a second time.
        let hashes: Vec<String> = uploads.iter().map(|u| u.cur.hash.clone()).collect();
        let finished = FinishedSince {
            since_ms: self.report.started_at.max(0) as u64,
            checksums: &hashes,
            taken: &self.taken,
        };
        let transfers =
            self.inner
                .engine
                .enqueue_uploads(files, self.target(), None, Some(finished))?;
        let total = uploads.len() as u64;
        let bytes_total: u64 = uploads.iter().map(|u| u.cur.file.size).sum();
        let mut waiting: Vec<(String, Upload)> =
            transfers.into_iter().map(|t| t.id).zip(uploads).collect();
        let mut replaced = Vec::new();
        let mut retry = 0u64;
        let mut done = 0u64;
        let mut bytes_done_finished = 0u64;
        let engine = self.inner.engine.clone();
        let mut saved_folders = std::time::Instant::now();
        loop {
            let mut still = Vec::new();
            let mut bytes_running = 0u64;
            for (id, u) in waiting {
                let Some(res) = engine.upload_result(&id) else {
                    self.problem(&u.cur.file.rel, "its transfer was removed from the list");
                    done += 1;
                    continue;
                };
                if res.state.is_finished() {
                    // Its result is used once, here: never handed back for another file
                    // or round (its copy may be removed just below).
                    self.taken.insert(id.clone());
                }
                match res.state {
                    TransferState::Done => {
                        done += 1;
                        bytes_done_finished += u.cur.file.size;
                        let url = res.url.unwrap_or_default();
                        if res.checksum.as_deref() == Some(u.cur.hash.as_str()) {
                            self.report.uploaded += 1;
                            self.report.uploaded_bytes += u.cur.file.size;
                            self.pending
                                .push((u.cur.file.rel.clone(), Some(u.cur.entry(Some(url)))));
                            if let Some(old) = u.replaces {
                                replaced.push((u.cur.file.rel.clone(), old));
                            }
                        } else {
                            // It changed while it was read: what arrived is neither the
                            // old nor the new content. That copy goes; the file gets
                            // another round once it has settled.
                            retry += 1;
                            tracing::info!(path = %u.cur.file.rel, "changed while it was sent");
                            if !url.is_empty() {
                                let _ = self
                                    .client
                                    .remove_files(&[FileToRemove { url, code: None }])
                                    .await;
                            }
                            self.pending.push((u.cur.file.rel.clone(), None));
                        }
                    }
                    TransferState::Failed | TransferState::Cancelled => {
                        done += 1;
                        if res
                            .error
                            .as_ref()
                            .is_some_and(|e| e.code == ErrorCode::NotFound)
                        {
                            self.folder_missing = true;
                        }
                        let why = res
                            .error
                            .map(|e| e.message)
                            .unwrap_or_else(|| "the upload was cancelled".into());
                        self.problem(&u.cur.file.rel, why);
                    }
                    _ => {
                        bytes_running += res.bytes_done;
                        still.push((id, u));
                    }
                }
            }
            self.flush()?;
            waiting = still;
            if saved_folders.elapsed() > Duration::from_secs(2) {
                // Folders made so far, kept even if this process is killed.
                let now = self.inner.engine.folders().known_under(self.target()).await;
                self.inner.store.set_folders(&self.job.id, &now)?;
                saved_folders = std::time::Instant::now();
            }
            self.status(BackupStatus::Uploading {
                done,
                total,
                bytes_done: (bytes_done_finished + bytes_running).min(bytes_total),
                bytes_total,
            });
            if waiting.is_empty() {
                break;
            }
            if self.stopped() {
                // Paused: the transfers keep their place in the queue, paused.
                for (id, _) in &waiting {
                    let _ = engine.pause(id);
                }
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok((replaced, retry))
    }
}
