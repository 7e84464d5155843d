//! One run of a backup: scan, hash what is new or changed, plan, then make 1fichier match
//! with as few calls as the plan allows (server-side moves and copies in batches, uploads
//! through the transfer engine, which batches small files), recording each step in the
//! index as it is confirmed, so a run stopped at any point (even by `kill -9`) goes on
//! where it was without sending anything twice.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use fichier_api::{FichierClient, FileMvRequest};

use super::Inner;
use super::plan::{Current, Plan, Relocate, plan, same_metadata};
use super::scan::{self, LocalFile};
use super::store::{Entry, StoredJob};
use super::types::{BackupStatus, FileProblem, RunOutcome, RunReport};
use crate::error::CoreError;
use crate::names::encode_name;
use crate::queue::now_ms;

/// Rounds of a run: files still being written, or changed while they were sent, get
/// another round once they have settled.
mod keep;
mod remote;
mod upload;

#[cfg(test)]
use keep::version_name;

const MAX_ROUNDS: usize = 3;
/// Files per server-side move, copy, rename or removal call.
const PER_CALL: usize = 100;

/// The folder part of a relative path ("a/b" for "a/b/c.txt"), none at the top.
fn parent(rel: &str) -> Option<&str> {
    rel.rsplit_once('/').map(|(d, _)| d)
}

fn base(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn join(a: &str, b: Option<&str>) -> String {
    match b {
        Some(b) if !b.is_empty() => format!("{a}/{b}"),
        _ => a.to_string(),
    }
}

pub(crate) struct Run<'a> {
    pub inner: &'a Arc<Inner>,
    pub job: StoredJob,
    pub dry_run: bool,
    pub report: RunReport,
    pub stop: tokio::sync::watch::Receiver<bool>,
    client: FichierClient,
    /// Index writes not flushed yet.
    pending: Vec<(String, Option<Entry>)>,
    /// A call was refused because a folder is gone.
    folder_missing: bool,
    /// Check the index against 1fichier's listings first.
    pub verify: bool,
    /// Upload transfers whose result this run has used.
    taken: std::collections::HashSet<String>,
}

impl<'a> Run<'a> {
    pub fn new(
        inner: &'a Arc<Inner>,
        job: StoredJob,
        dry_run: bool,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> Run<'a> {
        Run {
            client: inner.engine.client(),
            inner,
            job,
            dry_run,
            report: RunReport {
                started_at: now_ms() as i64,
                dry_run,
                ..Default::default()
            },
            stop,
            pending: Vec::new(),
            folder_missing: false,
            verify: false,
            taken: Default::default(),
        }
    }

    fn status(&self, s: BackupStatus) {
        self.inner.set_status(&self.job.id, s);
    }

    fn stopped(&self) -> bool {
        *self.stop.borrow()
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!(backup = %self.job.spec.name, path, %message, "file not backed up");
        if self.report.errors.len() < 1000 {
            self.report.errors.push(FileProblem {
                path: path.to_string(),
                message,
            });
        }
    }

    fn flush(&mut self) -> Result<(), CoreError> {
        if self.dry_run {
            self.pending.clear();
            return Ok(());
        }
        let changes = std::mem::take(&mut self.pending);
        self.inner.store.update_index(&self.job.id, &changes)
    }

    fn target(&self) -> i64 {
        self.job.spec.folder_id
    }

    /// The id of `rel` under the target, created unless this is a preview (then `None`
    /// when it does not exist yet).
    async fn folder(&self, rel: Option<&str>) -> Result<Option<i64>, CoreError> {
        let folders = self.inner.engine.folders();
        if self.dry_run {
            folders.find(&self.client, self.target(), rel).await
        } else {
            folders
                .resolve(&self.client, self.target(), rel)
                .await
                .map(Some)
        }
    }

    /// Moves files (by URL) into a folder, keeping their URLs.
    async fn move_into(&self, urls: Vec<String>, folder: i64) -> Result<(), fichier_api::ApiError> {
        self.client
            .move_files(&FileMvRequest {
                urls,
                destination_folder_id: folder,
                destination_user: None,
                rename: None,
            })
            .await
            .map(|_| ())
    }

    pub async fn execute(mut self) -> RunReport {
        let outcome = self.rounds().await;
        let _ = self.flush();
        match outcome {
            Ok(()) if self.stopped() => self.report.outcome = Some(RunOutcome::Interrupted),
            Ok(()) if self.report.errors.is_empty() => self.report.outcome = Some(RunOutcome::Done),
            Ok(()) => self.report.outcome = Some(RunOutcome::Partial),
            Err(e) => {
                self.report.message = Some(e.to_string());
                self.report.outcome = Some(if self.stopped() {
                    RunOutcome::Interrupted
                } else {
                    RunOutcome::Failed
                });
            }
        }
        self.report.finished_at = Some(now_ms() as i64);
        self.report
    }

    async fn rounds(&mut self) -> Result<(), CoreError> {
        // Folder ids from earlier runs (of any process): no listing to find them again.
        let known = self.inner.store.folders(&self.job.id)?;
        self.inner
            .engine
            .folders()
            .seed(self.target(), &known)
            .await;
        if !self.dry_run {
            self.expire_trash().await;
        }
        if self.verify {
            self.verify_remote().await?;
        }
        let result = self.all_rounds().await;
        if !self.dry_run {
            let folders = self.inner.engine.folders();
            if self.folder_missing {
                // One of them was removed on 1fichier: look them up again next time.
                folders.forget_under(self.target()).await;
                self.inner.store.set_folders(&self.job.id, &[])?;
            } else {
                let now = folders.known_under(self.target()).await;
                self.inner.store.set_folders(&self.job.id, &now)?;
            }
        }
        result
    }

    async fn all_rounds(&mut self) -> Result<(), CoreError> {
        let matcher = scan::matcher(Path::new(&self.job.spec.source), &self.job.spec.excludes)?;
        for round in 0..MAX_ROUNDS {
            let retry = self.round(&matcher).await?;
            if self.dry_run || self.stopped() || retry == 0 {
                break;
            }
            if round + 1 < MAX_ROUNDS && self.inner.settle <= Duration::from_secs(30) {
                tokio::time::sleep(self.inner.settle + Duration::from_millis(200)).await;
            }
        }
        Ok(())
    }

    /// One pass; returns how many files want another (still being written, or changed
    /// while they were sent).
    async fn round(&mut self, matcher: &ignore::gitignore::Gitignore) -> Result<u64, CoreError> {
        self.status(BackupStatus::Scanning { files: 0 });
        let root = std::path::PathBuf::from(&self.job.spec.source);
        let settle = self.inner.settle;
        let inner = self.inner.clone();
        let id = self.job.id.clone();
        let m = matcher.clone();
        let found = tokio::task::spawn_blocking(move || {
            scan::scan(&root, &m, settle, &mut |n| {
                inner.set_status(&id, BackupStatus::Scanning { files: n })
            })
        })
        .await
        .map_err(|e| CoreError::InvalidInput {
            reason: format!("the folder scan stopped: {e}"),
        })??;
        self.report.scanned = found.files.len() as u64;
        self.report.excluded = found.excluded;
        for (path, why) in &found.unreadable {
            self.problem(path, format!("could not be read: {why}"));
        }
        let index = self.inner.store.index(&self.job.id)?;
        // A file renamed or moved keeps its inode, size and modification time: its
        // checksum is known without reading it.
        let by_identity: HashMap<(u64, i64, u64), &str> = index
            .values()
            .filter(|e| e.inode != 0)
            .map(|e| ((e.size, e.mtime, e.inode), e.hash.as_str()))
            .collect();
        let mut waiting: HashSet<String> = HashSet::new();
        let mut current = Vec::new();
        let mut to_hash: Vec<LocalFile> = Vec::new();
        for f in found.files {
            let known = index
                .get(&f.rel)
                .filter(|e| same_metadata(e, &f))
                .map(|e| e.hash.as_str())
                .or_else(|| by_identity.get(&(f.size, f.mtime, f.inode)).copied());
            if !f.stable {
                waiting.insert(f.rel.clone());
            } else if let Some(hash) = known {
                current.push(Current {
                    hash: hash.to_string(),
                    file: f,
                });
            } else {
                to_hash.push(f);
            }
        }
        let hashed = self.hash(to_hash, &index, &mut waiting).await;
        current.extend(hashed);
        let plan = plan(self.job.spec.mode, &index, current, &waiting);
        let mut retry = waiting.len() as u64;
        self.report.waiting = retry;
        self.report.unchanged = plan.unchanged;
        if self.dry_run {
            self.preview(plan).await;
            return Ok(0);
        }
        retry += self.apply(plan).await?;
        Ok(retry)
    }

    /// Whirlpool of the files not known to the index as they are; a file that changes
    /// while it is read waits for the next round.
    async fn hash(
        &mut self,
        files: Vec<LocalFile>,
        index: &HashMap<String, Entry>,
        waiting: &mut HashSet<String>,
    ) -> Vec<Current> {
        let total = files.len() as u64;
        let mut out = Vec::new();
        let mut done = 0u64;
        for chunk in files.chunks(64) {
            if self.stopped() {
                break;
            }
            self.status(BackupStatus::Hashing { done, total });
            let chunk = chunk.to_vec();
            let results = tokio::task::spawn_blocking(move || {
                chunk
                    .into_iter()
                    .map(|f| {
                        let h = crate::hashing::whirlpool_file(&f.abs);
                        let now = scan::stat(&f.abs);
                        (f, h, now)
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            for (f, h, now) in results {
                done += 1;
                match h {
                    Ok(hash) if now == Some((f.size, f.mtime, f.inode)) => {
                        self.report.hashed += 1;
                        let cur = Current { file: f, hash };
                        // Remembered even before it is sent: never hashed twice.
                        let known = index.get(&cur.file.rel);
                        if known.is_none_or(|e| e.url.is_none()) {
                            self.pending
                                .push((cur.file.rel.clone(), Some(cur.entry(None))));
                        }
                        out.push(cur);
                    }
                    Ok(_) => {
                        waiting.insert(f.rel);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => self.problem(&f.rel, format!("could not be read: {e}")),
                }
            }
        }
        let _ = self.flush();
        out
    }

    async fn preview(&mut self, mut plan: Plan) {
        let there = self.already_there(&plan.uploads).await;
        plan.uploads.retain(|u| {
            if there.contains_key(&u.cur.file.rel) {
                self.report.adopted += 1;
                false
            } else {
                true
            }
        });
        self.report.uploaded = plan.uploads.len() as u64;
        self.report.uploaded_bytes = plan.uploads.iter().map(|u| u.cur.file.size).sum();
        self.report.versioned = plan.uploads.iter().filter(|u| u.replaces.is_some()).count() as u64;
        self.report.moved = plan.moves.len() as u64;
        self.report.copied = plan.copies.len() as u64;
        self.report.trashed = plan.trash.len() as u64;
    }

    /// Carries the plan out; returns the files that want another round.
    async fn apply(&mut self, mut plan: Plan) -> Result<u64, CoreError> {
        for (rel, e) in std::mem::take(&mut plan.refresh) {
            self.pending.push((rel, Some(e)));
        }
        for rel in std::mem::take(&mut plan.forget) {
            self.pending.push((rel, None));
        }
        self.flush()?;
        // What is already on 1fichier is taken as it is.
        let there = self.already_there(&plan.uploads).await;
        let mut uploads = Vec::new();
        let mut replaced = Vec::new();
        for u in std::mem::take(&mut plan.uploads) {
            match there.get(&u.cur.file.rel) {
                Some((name, url)) if *name == encode_name(base(&u.cur.file.rel)) => {
                    self.report.adopted += 1;
                    self.pending
                        .push((u.cur.file.rel.clone(), Some(u.cur.entry(Some(url.clone())))));
                    if let Some(old) = u.replaces {
                        replaced.push((u.cur.file.rel.clone(), old));
                    }
                }
                Some((name, url)) => plan.copies.push(Relocate {
                    from_url: url.clone(),
                    from_rel: None,
                    from_name: name.clone(),
                    cur: u.cur,
                }),
                None => uploads.push(u),
            }
        }
        self.flush()?;
        let organize = plan.moves.len() + plan.copies.len();
        if organize > 0 {
            self.status(BackupStatus::Organizing {
                done: 0,
                total: organize as u64,
            });
        }
        let moves = std::mem::take(&mut plan.moves);
        self.relocate(moves, true).await;
        let copies = std::mem::take(&mut plan.copies);
        self.relocate(copies, false).await;
        if self.stopped() {
            return Ok(0);
        }
        let (sent, retry) = self.upload(uploads).await?;
        replaced.extend(sent);
        if self.stopped() {
            return Ok(retry);
        }
        self.keep_versions(replaced).await;
        let trash = std::mem::take(&mut plan.trash);
        if !trash.is_empty() {
            let n = self.send_to_trash(trash.clone(), None).await;
            self.report.trashed += n;
            for (rel, _) in trash.into_iter().take(n as usize) {
                self.pending.push((rel, None));
            }
            self.flush()?;
        }
        Ok(retry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn versions_keep_their_extension_after_the_date() {
        let at = chrono::Local
            .with_ymd_and_hms(2026, 12, 1, 17, 20, 5)
            .single()
            .unwrap();
        assert_eq!(
            version_name("report.pdf", at),
            "report (2026-12-01 17.20.05).pdf"
        );
        assert_eq!(
            version_name("Makefile", at),
            "Makefile (2026-12-01 17.20.05)"
        );
        assert_eq!(version_name(".bashrc", at), ".bashrc (2026-12-01 17.20.05)");
        assert_eq!(parent("a/b/c.txt"), Some("a/b"));
        assert_eq!(parent("c.txt"), None);
        assert_eq!(join("t", Some("a")), "t/a");
        assert_eq!(join("t", None), "t");
    }
}
