//! The engine's remote uploads: 1fichier fetching URLs into a folder, followed through
//! the queue database (see `crate::remote`).

use std::collections::BTreeMap;

use super::TransferEngine;
use crate::error::CoreError;
use crate::types::RemoteJob;

impl TransferEngine {
    /// Asks 1fichier to fetch `urls` into `folder_id`; the job is followed until it has
    /// run, then a `remoteResult` event is sent.
    pub async fn remote_upload(
        &self,
        urls: Vec<String>,
        folder_id: i64,
        headers: Option<BTreeMap<String, String>>,
    ) -> Result<RemoteJob, CoreError> {
        crate::remote::submit(&self.shared, urls, folder_id, headers).await
    }

    /// Remote-upload jobs submitted from here, oldest first.
    pub fn remote_jobs(&self) -> Vec<RemoteJob> {
        self.shared.store.remote_jobs().unwrap_or_default()
    }

    /// Adds the account's remote-upload jobs made elsewhere (web console, another
    /// computer), read from 1fichier; returns how many were new.
    pub async fn adopt_account_remote_jobs(&self) -> Result<usize, CoreError> {
        crate::remote::adopt_account_jobs(&self.shared).await
    }

    /// Takes a remote-upload job off the list (it stays off).
    pub fn forget_remote_job(&self, id: i64) -> Result<(), CoreError> {
        self.shared.store.forget_remote_job(id)
    }

    /// Asks 1fichier again for the URLs of a job that failed, into the same folder.
    pub async fn retry_remote_job(&self, id: i64) -> Result<RemoteJob, CoreError> {
        let job = self
            .remote_jobs()
            .into_iter()
            .find(|j| j.id == id)
            .ok_or_else(|| CoreError::InvalidInput {
                reason: format!("no remote upload {id}"),
            })?;
        let failed: Vec<String> = job
            .results
            .iter()
            .filter(|r| r.status == crate::types::RemoteStatus::Ko)
            .map(|r| r.url.clone())
            .collect();
        let urls = if failed.is_empty() {
            job.urls.clone()
        } else {
            failed
        };
        let again = self.remote_upload(urls, job.folder_id, None).await?;
        self.forget_remote_job(id)?;
        Ok(again)
    }

    /// Checks unfinished remote-upload jobs now instead of at the next poll.
    pub fn refresh_remote_jobs(&self) {
        self.shared.remote_wake.notify_one();
    }
}
