//! Remote upload: 1fichier fetches URLs into a folder.

use fichier_core::{AppError, ErrorCode};
use std::collections::BTreeMap;

use fichier_core::RemoteJob;
use tauri::State;

use crate::error::{CmdResult, local};
use crate::state::AppState;

#[fichier_ipc_macros::command]
pub async fn remote_upload(
    state: State<'_, AppState>,
    urls: Vec<String>,
    folder_id: i64,
    headers: Option<BTreeMap<String, String>>,
) -> CmdResult<RemoteJob> {
    let urls: Vec<String> = urls
        .into_iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() {
        return Err(local(
            ErrorCode::NotAllowed,
            "Paste at least one URL, one per line.",
        ));
    }
    if let Some(bad) = urls
        .iter()
        .find(|u| !(u.starts_with("http://") || u.starts_with("https://")))
    {
        return Err(local(
            ErrorCode::NotAllowed,
            format!("{bad} is not an http or https address."),
        ));
    }
    state
        .session()
        .await?
        .engine
        .remote_upload(urls, folder_id, headers)
        .await
        .map_err(AppError::from)
}

/// The account's remote uploads: this app's, and (looked up at most once a minute) those
/// made elsewhere, read from 1fichier.
#[fichier_ipc_macros::command]
pub async fn list_remote_jobs(state: State<'_, AppState>) -> CmdResult<Vec<RemoteJob>> {
    let session = state.session().await?;
    let due = {
        let mut last = session
            .remote_listed
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60));
        if due {
            *last = Some(std::time::Instant::now());
        }
        due
    };
    if due && let Err(e) = session.engine.adopt_account_remote_jobs().await {
        // The app's own jobs are still worth showing.
        tracing::info!(
            error = e.code().as_str(),
            "the account's remote uploads could not be read"
        );
    }
    Ok(session.engine.remote_jobs())
}

/// Takes a remote upload off the list.
#[fichier_ipc_macros::command]
pub async fn forget_remote_job(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    let session = state.session().await?;
    session.engine.forget_remote_job(id).map_err(AppError::from)
}

/// Asks 1fichier again for what a remote upload could not fetch.
#[fichier_ipc_macros::command]
pub async fn retry_remote_job(state: State<'_, AppState>, id: i64) -> CmdResult<RemoteJob> {
    let session = state.session().await?;
    session
        .engine
        .retry_remote_job(id)
        .await
        .map_err(AppError::from)
}
