//! Remote upload: 1fichier fetches URLs into a folder.

use std::collections::BTreeMap;

use fichier_core::RemoteJob;
use tauri::State;

use crate::error::{CmdResult, local};
use crate::state::AppState;

#[tauri::command]
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
            "not_allowed",
            "Paste at least one URL, one per line.",
        ));
    }
    if let Some(bad) = urls
        .iter()
        .find(|u| !(u.starts_with("http://") || u.starts_with("https://")))
    {
        return Err(local(
            "not_allowed",
            format!("{bad} is not an http or https address."),
        ));
    }
    state
        .session()
        .await?
        .engine
        .remote_upload(urls, folder_id, headers)
        .await
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn list_remote_jobs(state: State<'_, AppState>) -> CmdResult<Vec<RemoteJob>> {
    let jobs = state.session().await?.engine.remote_jobs();
    Ok(jobs)
}
