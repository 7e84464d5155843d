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
