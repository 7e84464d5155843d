//! Remote upload: 1fichier fetches URLs into a folder. Jobs are saved in the queue database
//! and checked politely (through the pacer) until they have run.

use std::collections::BTreeMap;
use std::sync::Arc;

use fichier_api::RemoteRequest;

use crate::engine::Shared;
use crate::error::CoreError;
use crate::types::{RemoteJob, RemoteResult, RemoteStatus, TransferEvent};

pub(crate) async fn submit(
    shared: &Arc<Shared>,
    urls: Vec<String>,
    folder_id: i64,
    headers: Option<BTreeMap<String, String>>,
) -> Result<RemoteJob, CoreError> {
    let urls: Vec<String> = urls
        .into_iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() {
        return Err(CoreError::InvalidInput {
            reason: "give at least one URL to fetch".into(),
        });
    }
    let req = RemoteRequest {
        urls: urls.clone(),
        folder_id: Some(folder_id),
        headers: headers.filter(|h| !h.is_empty()),
    };
    let created = shared.client().remote_request(&req).await?;
    let job = RemoteJob {
        id: created.id,
        folder_id,
        request_date: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        execution_date: None,
        results: urls
            .iter()
            .map(|u| RemoteResult {
                url: u.clone(),
                status: RemoteStatus::Pending,
                download_link: None,
                message: None,
            })
            .collect(),
        urls,
    };
    shared.store.put_remote_job(&job)?;
    shared.remote_wake.notify_one();
    Ok(job)
}

/// Checks every unfinished job once; returns whether some are still unfinished.
pub(crate) async fn poll_once(shared: &Arc<Shared>) -> bool {
    let jobs = shared.store.remote_jobs().unwrap_or_default();
    let mut pending = false;
    for mut job in jobs.into_iter().filter(|j| !j.is_finished()) {
        let info = match shared.client().remote_job(job.id).await {
            Ok(i) => i,
            Err(e) => {
                tracing::debug!(target: "fichier_core", job = job.id, error = e.code(), "remote job check failed");
                pending = true;
                continue;
            }
        };
        let has_run =
            !(info.execution_date.is_empty() || info.execution_date.starts_with("1970-01-01"));
        if !info.request_date.is_empty() {
            job.request_date = info.request_date.clone();
        }
        if has_run && !info.result.is_empty() {
            job.execution_date = Some(info.execution_date.clone());
            job.results = job
                .urls
                .iter()
                .map(|u| {
                    let r = info.result.iter().find(|r| &r.url == u);
                    match r {
                        Some(r) => RemoteResult {
                            url: u.clone(),
                            status: if r.is_ok() {
                                RemoteStatus::Ok
                            } else {
                                RemoteStatus::Ko
                            },
                            download_link: r.download_link.clone().filter(|l| !l.is_empty()),
                            message: r.message.clone().filter(|m| !m.is_empty()),
                        },
                        None => RemoteResult {
                            url: u.clone(),
                            status: RemoteStatus::Ko,
                            download_link: None,
                            message: Some("1fichier reported nothing for this URL".into()),
                        },
                    }
                })
                .collect();
            let _ = shared.store.put_remote_job(&job);
            shared.emit(TransferEvent::RemoteResult { job });
        } else {
            let _ = shared.store.put_remote_job(&job);
            pending = true;
        }
    }
    pending
}

/// Polls while jobs are unfinished; sleeps until a new job is submitted otherwise.
pub(crate) async fn poller(shared: Arc<Shared>) {
    let interval = shared.options.remote_poll_interval;
    loop {
        if shared.lock().shut_down {
            return;
        }
        let has_unfinished = shared
            .store
            .remote_jobs()
            .unwrap_or_default()
            .iter()
            .any(|j| !j.is_finished());
        if has_unfinished {
            let _ = tokio::time::timeout(interval, shared.remote_wake.notified()).await;
            if shared.lock().shut_down {
                return;
            }
            poll_once(&shared).await;
        } else {
            shared.remote_wake.notified().await;
        }
    }
}
