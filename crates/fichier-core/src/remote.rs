//! Remote upload: 1fichier fetches URLs into a folder. Jobs are saved in the queue database
//! and checked politely (through the pacer) until they have run.

use std::collections::BTreeMap;
use std::sync::Arc;

use fichier_api::RemoteRequest;

use crate::error::CoreError;
use crate::queue::Shared;
use crate::types::{RemoteJob, RemoteResult, RemoteStatus, TransferEvent};

/// A moment as 1fichier writes dates: `YYYY-MM-DD HH:MM:SS` in French local time, so the
/// window reads ours like its own (whatever this computer's time zone).
pub(crate) fn fichier_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

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
        request_date: fichier_date(chrono::Utc::now()),
        execution_date: None,
        results: urls.iter().map(|u| waiting(u)).collect(),
        urls,
    };
    shared.store.put_remote_job(&job)?;
    shared.remote_wake.notify_one();
    Ok(job)
}

/// Jobs of the account this app did not make (the web console, another computer) read
/// from `remote/ls`; the newest unknown ones (at most `MAX_ADOPTED` per look) are read
/// with `remote/info` and kept with the others. Returns how many were added.
pub(crate) async fn adopt_account_jobs(shared: &Arc<Shared>) -> Result<usize, CoreError> {
    const MAX_ADOPTED: usize = 20;
    let client = shared.client();
    let listed = client.remote_jobs().await?;
    let known: std::collections::HashSet<i64> = shared
        .store
        .remote_jobs()?
        .iter()
        .map(|j| j.id)
        .chain(shared.store.forgotten_remote_jobs()?)
        .collect();
    let mut unknown: Vec<_> = listed
        .data
        .into_iter()
        .filter(|j| !known.contains(&j.id))
        .collect();
    unknown.sort_by_key(|j| std::cmp::Reverse(j.id));
    let mut added = 0;
    for listed in unknown.into_iter().take(MAX_ADOPTED) {
        let info = client.remote_job(listed.id).await?;
        let urls: Vec<String> = if info.links.is_empty() {
            info.result.iter().map(|r| r.url.clone()).collect()
        } else {
            info.links.clone()
        };
        let has_run = listed.has_run() && !info.result.is_empty();
        let job = RemoteJob {
            id: listed.id,
            folder_id: 0,
            request_date: if info.request_date.is_empty() {
                listed.request_date.clone()
            } else {
                info.request_date.clone()
            },
            execution_date: has_run.then(|| info.execution_date.clone()),
            results: urls
                .iter()
                .map(|u| match info.result.iter().find(|r| &r.url == u) {
                    Some(r) if has_run => result_of(u, r),
                    _ => waiting(u),
                })
                .collect(),
            urls,
        };
        shared.store.put_remote_job(&job)?;
        added += 1;
    }
    if added > 0 {
        shared.remote_wake.notify_one();
    }
    Ok(added)
}

/// A URL 1fichier has not fetched yet.
fn waiting(url: &str) -> RemoteResult {
    RemoteResult {
        url: url.to_string(),
        status: RemoteStatus::Pending,
        download_link: None,
        message: None,
    }
}

/// What 1fichier says of one URL, as the front ends see it.
fn result_of(url: &str, r: &fichier_api::types::RemoteResult) -> RemoteResult {
    RemoteResult {
        url: url.to_string(),
        status: if r.is_ok() {
            RemoteStatus::Ok
        } else {
            RemoteStatus::Ko
        },
        download_link: r.download_link.clone().filter(|l| !l.is_empty()),
        message: r.message.clone().filter(|m| !m.is_empty()),
    }
}

/// Checks every unfinished job once; returns whether some are still unfinished.
pub(crate) async fn poll_once(shared: &Arc<Shared>) -> bool {
    let jobs = shared.store.remote_jobs().unwrap_or_default();
    let mut pending = false;
    for mut job in jobs.into_iter().filter(|j| !j.is_finished()) {
        let info = match shared.client().remote_job(job.id).await {
            Ok(i) => i,
            Err(e) => {
                tracing::debug!(target: "fichier_core", job = job.id, error = e.code().as_str(), "remote job check failed");
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
                        Some(r) => result_of(u, r),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn request_dates_are_written_in_french_time_like_1fichier_s() {
        let winter = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 7, 58, 0).unwrap();
        assert_eq!(fichier_date(winter), "2026-12-01 08:58:00");
        let summer = chrono::Utc.with_ymd_and_hms(2026, 7, 1, 7, 58, 0).unwrap();
        assert_eq!(fichier_date(summer), "2026-07-01 09:58:00");
    }
}
