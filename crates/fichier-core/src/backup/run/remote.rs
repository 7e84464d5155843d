//! What a run asks of 1fichier's listings and does there without sending bytes: the
//! weekly check of the index, contents already in a folder, server-side moves and copies.

use fichier_api::ErrorCode;
use std::collections::{HashMap, HashSet};

use fichier_api::types::RenameEntry;
use fichier_api::{FileCpRequest, FileLsRequest};

use super::super::plan::{Relocate, Upload};
use super::super::store::Entry;
use super::super::types::BackupStatus;
use super::{PER_CALL, Run, base, parent};
use crate::error::CoreError;
use crate::names::encode_name;

impl Run<'_> {
    /// Drops from the index the files 1fichier no longer has (removed in the web console,
    /// by another program…), so this run sends them again: one listing per folder.
    pub(super) async fn verify_remote(&mut self) -> Result<(), CoreError> {
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
                    Err(e) if e.code() == ErrorCode::NotFound => None,
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

    /// Files of `uploads` whose content is already in their 1fichier folder (same
    /// Whirlpool), read from listings (one per folder, within the listing rules).
    pub(super) async fn already_there(
        &mut self,
        uploads: &[Upload],
    ) -> HashMap<String, (String, String)> {
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

    /// Server-side moves (mirror renames) or copies: in batches per destination folder,
    /// then one rename call for those whose name differs.
    pub(super) async fn relocate(&mut self, items: Vec<Relocate>, moving: bool) {
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
                            self.folder_missing |= e.code() == ErrorCode::NotFound;
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
}
