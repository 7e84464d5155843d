//! Nothing is deleted at once: earlier versions and removed files are moved into dated
//! folders on 1fichier, and only trash folders older than the user's limit go.

use fichier_api::ErrorCode;
use std::collections::HashMap;

use fichier_api::types::RenameEntry;

use super::super::store::Version;
use super::super::{TRASH_FOLDER, VERSIONS_FOLDER};
use super::{PER_CALL, Run, base, join, parent};
use crate::names::encode_name;

/// "report.pdf" → "report (2026-12-01 17.20.05).pdf": the name an earlier version keeps.
pub(crate) fn version_name(name: &str, at: chrono::DateTime<chrono::Local>) -> String {
    let stamp = at.format("%Y-%m-%d %H.%M.%S");
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({stamp}).{ext}"),
        _ => format!("{name} ({stamp})"),
    }
}

impl Run<'_> {
    /// Earlier copies of changed files go to the versions folder under a dated name;
    /// beyond the number kept, the oldest go to the trash.
    pub(super) async fn keep_versions(&mut self, replaced: Vec<(String, String)>) {
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
    pub(super) async fn send_to_trash(
        &mut self,
        files: Vec<(String, String)>,
        within: Option<&str>,
    ) -> u64 {
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
                        self.folder_missing |= e.code() == ErrorCode::NotFound;
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
    pub(super) async fn expire_trash(&mut self) {
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
