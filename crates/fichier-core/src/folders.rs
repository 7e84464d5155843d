//! Finds or creates the remote folders of an uploaded folder tree, once per folder even
//! when several uploads need the same one at the same time.

use std::collections::HashMap;

use fichier_api::{ApiError, FichierClient, FolderLsRequest};

use crate::error::CoreError;
use crate::names::encode_name;

#[derive(Default)]
pub(crate) struct FolderResolver {
    /// (parent id, encoded name) → folder id.
    known: tokio::sync::Mutex<HashMap<(i64, String), i64>>,
}

impl FolderResolver {
    /// Forgets everything (another account).
    pub fn clear(&self) {
        if let Ok(mut k) = self.known.try_lock() {
            k.clear();
        }
    }

    /// Takes folder ids known from before (`rel` like `photos/2024` under `base`), so
    /// they are not looked up again. Entries whose parent is not known are skipped.
    pub async fn seed(&self, base: i64, entries: &[(String, i64)]) {
        let mut sorted: Vec<&(String, i64)> = entries.iter().collect();
        sorted.sort_by_key(|(rel, _)| rel.matches('/').count());
        let mut ids: HashMap<&str, i64> = HashMap::new();
        let mut known = self.known.lock().await;
        for (rel, id) in sorted {
            let (parent, name) = match rel.rsplit_once('/') {
                Some((p, n)) => match ids.get(p) {
                    Some(pid) => (*pid, n),
                    None => continue,
                },
                None => (base, rel.as_str()),
            };
            known.insert((parent, encode_name(name)), *id);
            ids.insert(rel.as_str(), *id);
        }
    }

    /// Every folder known under `base`, as (`a/b`, id), for [`seed`](Self::seed).
    pub async fn known_under(&self, base: i64) -> Vec<(String, i64)> {
        let known = self.known.lock().await;
        let mut out = Vec::new();
        let mut stack = vec![(base, String::new())];
        while let Some((parent, rel)) = stack.pop() {
            for ((p, name), id) in known.iter() {
                if *p != parent {
                    continue;
                }
                let name = crate::names::decode_name(name);
                let child = if rel.is_empty() {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                out.push((child.clone(), *id));
                if out.len() < 100_000 {
                    stack.push((*id, child));
                }
            }
        }
        out.sort();
        out
    }

    /// Forgets what is known under `base` (a folder was removed meanwhile).
    pub async fn forget_under(&self, base: i64) {
        let under: Vec<i64> = self
            .known_under(base)
            .await
            .iter()
            .map(|(_, id)| *id)
            .collect();
        let mut known = self.known.lock().await;
        known.retain(|(p, _), _| *p != base && !under.contains(p));
    }

    /// The id of `base/rel` if it exists; nothing is created.
    pub async fn find(
        &self,
        client: &FichierClient,
        base: i64,
        rel: Option<&str>,
    ) -> Result<Option<i64>, CoreError> {
        let Some(rel) = rel.filter(|r| !r.trim_matches('/').is_empty()) else {
            return Ok(Some(base));
        };
        let mut current = base;
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            let name = encode_name(part);
            let known = self
                .known
                .lock()
                .await
                .get(&(current, name.clone()))
                .copied();
            if let Some(id) = known {
                current = id;
                continue;
            }
            let listing = client
                .list_folder(&FolderLsRequest::folder(current))
                .await?;
            match listing.value.sub_folders.iter().find(|s| s.name == name) {
                Some(sub) => {
                    self.known.lock().await.insert((current, name), sub.id);
                    current = sub.id;
                }
                None => return Ok(None),
            }
        }
        Ok(Some(current))
    }

    /// The id of `base/rel` (`rel` like `photos/2024`), creating what is missing.
    pub async fn resolve(
        &self,
        client: &FichierClient,
        base: i64,
        rel: Option<&str>,
    ) -> Result<i64, CoreError> {
        let Some(rel) = rel.filter(|r| !r.trim_matches('/').is_empty()) else {
            return Ok(base);
        };
        let mut known = self.known.lock().await;
        let mut current = base;
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            let name = encode_name(part);
            if let Some(id) = known.get(&(current, name.clone())) {
                current = *id;
                continue;
            }
            let listing = client
                .list_folder(&FolderLsRequest::folder(current))
                .await?;
            let id = match listing.value.sub_folders.iter().find(|s| s.name == name) {
                Some(sub) => sub.id,
                None => match client.create_folder(current, &name).await {
                    Ok(created) => created.folder_id,
                    Err(ApiError::NameConflict { .. }) => {
                        // Created meanwhile by someone else: look again.
                        let fresh = client
                            .list_folder_fresh(&FolderLsRequest::folder(current))
                            .await?;
                        fresh
                            .sub_folders
                            .iter()
                            .find(|s| s.name == name)
                            .map(|s| s.id)
                            .ok_or_else(|| CoreError::InvalidInput {
                                reason: format!("the folder {part:?} could not be created"),
                            })?
                    }
                    Err(e) => return Err(e.into()),
                },
            };
            known.insert((current, name), id);
            current = id;
        }
        Ok(current)
    }
}
