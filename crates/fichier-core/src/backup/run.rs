//! One run of a backup: scan, hash what is new or changed, plan, then make 1fichier match
//! with as few calls as the plan allows (server-side moves and copies in batches, uploads
//! through the transfer engine, which batches small files), recording each step in the
//! index as it is confirmed, so a run stopped at any point (even by `kill -9`) goes on
//! where it was without sending anything twice.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use fichier_api::types::RenameEntry;
use fichier_api::{FichierClient, FileCpRequest, FileLsRequest, FileMvRequest, FileToRemove};

use super::plan::{Current, Plan, Relocate, Upload, plan, same_metadata};
use super::scan::{self, LocalFile};
use super::store::{Entry, StoredJob, Version};
use super::types::{BackupStatus, FileProblem, RunOutcome, RunReport};
use super::{Inner, TRASH_FOLDER, VERSIONS_FOLDER};
use crate::engine::now_ms;
use crate::error::CoreError;
use crate::names::encode_name;
use crate::types::TransferState;

/// Rounds of a run: files still being written, or changed while they were sent, get
/// another round once they have settled.
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

/// "report.pdf" → "report (2026-12-01 17.20.05).pdf": the name an earlier version keeps.
pub(crate) fn version_name(name: &str, at: chrono::DateTime<chrono::Local>) -> String {
    let stamp = at.format("%Y-%m-%d %H.%M.%S");
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({stamp}).{ext}"),
        _ => format!("{name} ({stamp})"),
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

    /// Drops from the index the files 1fichier no longer has (removed in the web console,
    /// by another program…), so this run sends them again: one listing per folder.
    async fn verify_remote(&mut self) -> Result<(), CoreError> {
        let index = self.inner.store.index(&self.job.id)?;
        let mut by_dir: HashMap<Option<String>, Vec<(String, Entry)>> = HashMap::new();
        for (rel, e) in index {
            if e.url.is_some() {
                by_dir
                    .entry(parent(&rel).map(str::to_string))
                    .or_default()
                    .push((rel, e));
            }
        }
        let total: u64 = by_dir.values().map(|v| v.len() as u64).sum();
        let mut done = 0u64;
        for (dir, files) in by_dir {
            if self.stopped() {
                return Ok(());
            }
            self.status(BackupStatus::Organizing { done, total });
            let present: Option<HashSet<String>> = match self
                .inner
                .engine
                .folders()
                .find(&self.client, self.target(), dir.as_deref())
                .await?
            {
                None => None,
                // 1fichier's own answer, not the cache: that is the point. The pacer
                // waits out the 30 s rule when the folder was listed just before.
                Some(folder) => match self
                    .client
                    .list_files_fresh(&FileLsRequest::folder(folder))
                    .await
                {
                    Ok(l) => Some(l.items.into_iter().map(|f| f.url).collect()),
                    Err(e) if e.code() == "not_found" => None,
                    Err(e) => return Err(e.into()),
                },
            };
            if present.is_none() {
                self.folder_missing = true;
            }
            for (rel, e) in files {
                done += 1;
                self.report.verified += 1;
                let url = e.url.clone().unwrap_or_default();
                if !present.as_ref().is_some_and(|p| p.contains(&url)) {
                    self.report.missing += 1;
                    tracing::info!(path = %rel, "no longer on 1fichier: sent again");
                    // Its checksum stays known: it is sent, not read again.
                    self.pending.push((rel, Some(Entry { url: None, ..e })));
                }
            }
        }
        if self.folder_missing {
            self.inner
                .engine
                .folders()
                .forget_under(self.target())
                .await;
            self.folder_missing = false;
        }
        self.flush()
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

    /// Files of `uploads` whose content is already in their 1fichier folder (same
    /// Whirlpool), read from listings (one per folder, within the listing rules).
    async fn already_there(&mut self, uploads: &[Upload]) -> HashMap<String, (String, String)> {
        let claimed: HashSet<String> = self
            .inner
            .store
            .index(&self.job.id)
            .map(|i| i.into_values().filter_map(|e| e.url).collect())
            .unwrap_or_default();
        let mut dirs: HashMap<Option<&str>, Vec<&Upload>> = HashMap::new();
        for u in uploads {
            dirs.entry(parent(&u.cur.file.rel)).or_default().push(u);
        }
        let mut found = HashMap::new();
        for (dir, ups) in dirs {
            let Ok(Some(folder)) = self
                .inner
                .engine
                .folders()
                .find(&self.client, self.target(), dir)
                .await
            else {
                continue;
            };
            let Ok(listing) = self.client.list_files(&FileLsRequest::folder(folder)).await else {
                continue;
            };
            let mut by_hash: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
            for item in &listing.value.items {
                if let Some(h) = &item.checksum
                    && !claimed.contains(&item.url)
                {
                    by_hash
                        .entry(h.as_str())
                        .or_default()
                        .push((item.filename.as_str(), item.url.as_str()));
                }
            }
            for u in ups {
                if let Some(list) = by_hash.get(u.cur.hash.as_str()) {
                    let want = encode_name(base(&u.cur.file.rel));
                    let pick = list.iter().find(|(n, _)| *n == want).or(list.first());
                    if let Some((name, url)) = pick {
                        found.insert(u.cur.file.rel.clone(), (name.to_string(), url.to_string()));
                    }
                }
            }
        }
        found
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

    /// Server-side moves (mirror renames) or copies: in batches per destination folder,
    /// then one rename call for those whose name differs.
    async fn relocate(&mut self, items: Vec<Relocate>, moving: bool) {
        if items.is_empty() {
            return;
        }
        let mut by_dest: HashMap<Option<String>, Vec<Relocate>> = HashMap::new();
        for r in items {
            by_dest
                .entry(parent(&r.cur.file.rel).map(str::to_string))
                .or_default()
                .push(r);
        }
        let mut renames: Vec<(Relocate, String)> = Vec::new();
        let mut done = 0u64;
        let total = by_dest.values().map(Vec::len).sum::<usize>() as u64;
        for (dir, list) in by_dest {
            let folder = match self.folder(dir.as_deref()).await {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(e) => {
                    for r in &list {
                        self.problem(&r.cur.file.rel, e.to_string());
                    }
                    continue;
                }
            };
            // A copy call answers from → to; the same source twice goes in separate calls.
            let mut rest = list;
            while !rest.is_empty() {
                let mut seen = HashSet::new();
                let (now, later): (Vec<_>, Vec<_>) = rest
                    .into_iter()
                    .partition(|r| moving || seen.insert(r.from_url.clone()));
                rest = later;
                for part in now.chunks(PER_CALL) {
                    let urls: Vec<String> = part.iter().map(|r| r.from_url.clone()).collect();
                    let result = if moving {
                        self.move_into(urls.clone(), folder)
                            .await
                            .map(|_| urls.iter().map(|u| (u.clone(), u.clone())).collect())
                    } else {
                        self.client
                            .copy_files(&FileCpRequest {
                                urls: urls.clone(),
                                folder_id: folder,
                                ..Default::default()
                            })
                            .await
                            .map(|c| {
                                c.urls
                                    .into_iter()
                                    .map(|f| (f.from_url, f.to_url))
                                    .collect::<HashMap<_, _>>()
                            })
                    };
                    match result {
                        Ok(map) => {
                            for r in part {
                                let Some(new_url) = map.get(&r.from_url) else {
                                    self.problem(
                                        &r.cur.file.rel,
                                        "1fichier did not confirm the copy; it will be sent",
                                    );
                                    continue;
                                };
                                if moving {
                                    self.report.moved += 1;
                                    if let Some(from) = &r.from_rel {
                                        self.pending.push((from.clone(), None));
                                    }
                                } else {
                                    self.report.copied += 1;
                                }
                                self.pending.push((
                                    r.cur.file.rel.clone(),
                                    Some(r.cur.entry(Some(new_url.clone()))),
                                ));
                                let want = encode_name(base(&r.cur.file.rel));
                                if r.from_name != want {
                                    renames.push((r.clone(), new_url.clone()));
                                }
                            }
                        }
                        Err(e) => {
                            self.folder_missing |= e.code() == "not_found";
                            for r in part {
                                self.problem(&r.cur.file.rel, e.to_string());
                            }
                        }
                    }
                    done += part.len() as u64;
                    self.status(BackupStatus::Organizing { done, total });
                }
            }
        }
        let _ = self.flush();
        for part in renames.chunks(PER_CALL) {
            let entries: Vec<RenameEntry> = part
                .iter()
                .map(|(r, url)| RenameEntry {
                    url: url.clone(),
                    filename: encode_name(base(&r.cur.file.rel)),
                })
                .collect();
            if let Err(e) = self.client.rename_files(&entries).await {
                for (r, _) in part {
                    self.problem(
                        &r.cur.file.rel,
                        format!("is on 1fichier under its old name: {e}"),
                    );
                }
            }
        }
    }

    /// Sends files through the transfer engine and waits for them; returns the earlier
    /// copies that were superseded, and how many files want another round.
    async fn upload(
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
        let transfers = self
            .inner
            .engine
            .enqueue_uploads(files, self.target(), None)?;
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
                        if res.error.as_ref().is_some_and(|e| e.code == "not_found") {
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

    /// Earlier copies of changed files go to the versions folder under a dated name;
    /// beyond the number kept, the oldest go to the trash.
    async fn keep_versions(&mut self, replaced: Vec<(String, String)>) {
        if replaced.is_empty() {
            return;
        }
        let keep = self.job.spec.versions as usize;
        if keep == 0 {
            let n = self.send_to_trash(replaced, Some(VERSIONS_FOLDER)).await;
            self.report.trashed += n;
            return;
        }
        let now = chrono::Local::now();
        let mut by_dir: HashMap<Option<String>, Vec<(String, String)>> = HashMap::new();
        for (rel, url) in replaced {
            by_dir
                .entry(parent(&rel).map(str::to_string))
                .or_default()
                .push((rel, url));
        }
        let mut kept = Vec::new();
        for (dir, list) in by_dir {
            let rel_dir = join(VERSIONS_FOLDER, dir.as_deref());
            let folder = match self.folder(Some(&rel_dir)).await {
                Ok(Some(f)) => f,
                _ => continue,
            };
            for part in list.chunks(PER_CALL) {
                let urls: Vec<String> = part.iter().map(|(_, u)| u.clone()).collect();
                let moved = self.move_into(urls, folder).await;
                if let Err(e) = moved {
                    for (rel, _) in part {
                        self.problem(rel, format!("its earlier copy was left in place: {e}"));
                    }
                    continue;
                }
                let renames: Vec<RenameEntry> = part
                    .iter()
                    .map(|(rel, url)| RenameEntry {
                        url: url.clone(),
                        filename: encode_name(&version_name(base(rel), now)),
                    })
                    .collect();
                let _ = self.client.rename_files(&renames).await;
                for (rel, url) in part {
                    self.report.versioned += 1;
                    let v = Version {
                        path: rel.clone(),
                        url: url.clone(),
                        kept_at: now.timestamp_millis(),
                    };
                    let _ = self.inner.store.add_version(&self.job.id, &v);
                    kept.push(rel.clone());
                }
            }
        }
        // Versions beyond the number kept: the oldest go to the trash.
        let Ok(all) = self.inner.store.versions(&self.job.id) else {
            return;
        };
        let mut per_path: HashMap<&str, Vec<&Version>> = HashMap::new();
        for v in &all {
            per_path.entry(v.path.as_str()).or_default().push(v);
        }
        let mut extra = Vec::new();
        for rel in &kept {
            if let Some(list) = per_path.get(rel.as_str())
                && list.len() > keep
            {
                for v in &list[..list.len() - keep] {
                    extra.push((v.path.clone(), v.url.clone()));
                }
            }
        }
        extra.sort();
        extra.dedup();
        if !extra.is_empty() {
            let n = self
                .send_to_trash(extra.clone(), Some(VERSIONS_FOLDER))
                .await;
            self.report.trashed += n;
            for (_, url) in extra.iter().take(n as usize) {
                let _ = self.inner.store.remove_version(&self.job.id, url);
            }
        }
    }

    /// Moves files into today's trash folder, keeping their folders under it (under
    /// `within` too, e.g. the versions); returns how many went (in the given order).
    async fn send_to_trash(&mut self, files: Vec<(String, String)>, within: Option<&str>) -> u64 {
        let day = chrono::Local::now().format("%Y-%m-%d").to_string();
        let day_dir = format!("{TRASH_FOLDER}/{day}");
        match self.folder(Some(&day_dir)).await {
            Ok(Some(id)) => {
                let _ = self.inner.store.put_trash_day(&self.job.id, &day, id);
            }
            _ => return 0,
        }
        let mut moved = 0;
        let mut by_dir: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for (rel, url) in files {
            let dir = join(&join(&day_dir, within), parent(&rel));
            match by_dir.iter_mut().find(|(d, _)| *d == dir) {
                Some((_, list)) => list.push((rel, url)),
                None => by_dir.push((dir, vec![(rel, url)])),
            }
        }
        for (dir, list) in by_dir {
            let Ok(Some(folder)) = self.folder(Some(&dir)).await else {
                break;
            };
            for part in list.chunks(PER_CALL) {
                let urls: Vec<String> = part.iter().map(|(_, u)| u.clone()).collect();
                match self.move_into(urls, folder).await {
                    Ok(_) => moved += part.len() as u64,
                    Err(e) => {
                        self.folder_missing |= e.code() == "not_found";
                        for (rel, _) in part {
                            self.problem(rel, format!("could not be moved to the trash: {e}"));
                        }
                        return moved;
                    }
                }
            }
        }
        moved
    }

    /// Removes trash folders older than the job's `trashDays`: the only deletion a backup
    /// makes, after the time the user chose.
    async fn expire_trash(&mut self) {
        let Ok(days) = self.inner.store.trash_days(&self.job.id) else {
            return;
        };
        let today = chrono::Local::now().date_naive();
        let keep = i64::from(self.job.spec.trash_days.max(1));
        let library = crate::library::Library::new(self.client.clone());
        for (day, folder) in days {
            let Ok(date) = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
                continue;
            };
            if (today - date).num_days() < keep {
                continue;
            }
            match library.delete_folder_recursive(folder).await {
                Ok(_) | Err(fichier_api::ApiError::NotFound { .. }) => {
                    self.report.expired += 1;
                    let _ = self.inner.store.remove_trash_day(&self.job.id, &day);
                }
                Err(e) => tracing::warn!(error = %e, day, "trash folder not removed"),
            }
        }
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
