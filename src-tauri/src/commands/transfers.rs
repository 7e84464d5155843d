//! The transfer queue: uploads from paths the user picked or dropped, downloads, the
//! history a page at a time, and per-item and global controls. Local paths are checked
//! against what the user granted (`grants`), never trusted as sent.

use std::path::PathBuf;

use fichier_core::{HistoryPage, Transfer, TransferEvent, TransferState};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::{CmdResult, local};
use crate::events::forward_to_window;
use crate::state::AppState;

/// Most history items one call returns.
pub const HISTORY_PAGE_MAX: u32 = 200;

/// The queue: what is queued, running or paused, and failures not cleared yet. Finished
/// transfers are read from the history a page at a time (`list_history`).
#[tauri::command]
pub async fn list_transfers(state: State<'_, AppState>) -> CmdResult<Vec<Transfer>> {
    let s = state.session().await?;
    let mut list = s.engine.list();
    list.retain(|t| !t.state.is_finished() || t.state == TransferState::Failed);
    Ok(list)
}

/// `limit` (at most [`HISTORY_PAGE_MAX`]) finished transfers from the `offset`-th most
/// recent, with the size of the whole history.
#[tauri::command]
pub async fn list_history(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
) -> CmdResult<HistoryPage> {
    let limit = limit.clamp(1, HISTORY_PAGE_MAX);
    Ok(state
        .session()
        .await?
        .engine
        .history_page(offset as usize, limit as usize))
}

#[tauri::command]
pub async fn upload_paths(
    state: State<'_, AppState>,
    paths: Vec<String>,
    folder_id: i64,
    password: Option<String>,
) -> CmdResult<Vec<Transfer>> {
    let paths = state.grants.upload_paths(&paths)?;
    let password = password.filter(|p| !p.is_empty());
    state
        .session()
        .await?
        .engine
        .upload_paths(paths, folder_id, password)
        .map_err(|e| e.summary())
}

/// Whether the largest of these files would finish within 1fichier's 4-hour upload
/// window at the upload speed measured recently (asked before a large upload starts).
#[tauri::command]
pub async fn upload_time_check(
    state: State<'_, AppState>,
    paths: Vec<String>,
) -> CmdResult<fichier_core::upload_time::UploadTimeCheck> {
    let paths = state.grants.upload_paths(&paths)?;
    let engine = state.session().await?.engine.clone();
    // Walking a large folder reads many directories: not on the runtime's threads.
    tokio::task::spawn_blocking(move || engine.upload_time_check(&paths))
        .await
        .map_err(|e| local("io", e.to_string()))?
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn download_files(
    state: State<'_, AppState>,
    urls: Vec<String>,
    dest_dir: Option<String>,
) -> CmdResult<Vec<Transfer>> {
    let dir = state
        .grants
        .download_dir(dest_dir.as_deref(), &state.settings().download_dir)?;
    state
        .session()
        .await?
        .engine
        .download(urls, dir, None)
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn pause_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .session()
        .await?
        .engine
        .pause(&id)
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn resume_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .session()
        .await?
        .engine
        .resume(&id)
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn cancel_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .session()
        .await?
        .engine
        .cancel(&id)
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn retry_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .session()
        .await?
        .engine
        .retry(&id)
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn pause_all(state: State<'_, AppState>) -> CmdResult<()> {
    state.session().await?.engine.pause_all();
    Ok(())
}

#[tauri::command]
pub async fn resume_all(state: State<'_, AppState>) -> CmdResult<()> {
    state.session().await?.engine.resume_all();
    Ok(())
}

#[tauri::command]
pub async fn clear_finished(state: State<'_, AppState>) -> CmdResult<()> {
    state.session().await?.engine.clear_finished();
    Ok(())
}

/// Opens the system file manager on a finished download (or an upload's source).
#[tauri::command]
pub async fn show_in_folder(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    let s = state.session().await?;
    // The path comes from the engine's own record, never from the window.
    let t = s
        .engine
        .get(&id)
        .ok_or_else(|| local("not_found", "That transfer is no longer in the list."))?;
    let path = t.local_path.map(PathBuf::from).ok_or_else(|| {
        local(
            "not_found",
            "This transfer has no file on this computer yet.",
        )
    })?;
    if !path.exists() {
        return Err(local(
            "not_found",
            format!("The file is no longer at {}.", path.display()),
        ));
    }
    let shown = path.clone();
    tauri::async_runtime::spawn_blocking(move || crate::desktop::reveal(&shown))
        .await
        .map_err(|e| local("io", e.to_string()))?
        .map_err(|e| {
            local(
                "io",
                format!(
                    "The file manager could not be opened ({e}). The file is at {}.",
                    path.display()
                ),
            )
        })
}

/// The window's event stream: progress, states, pacer waits and remote-upload results.
#[tauri::command]
pub async fn subscribe_events(
    state: State<'_, AppState>,
    on_event: Channel<TransferEvent>,
) -> CmdResult<()> {
    forward_to_window(state.events.subscribe(), on_event);
    Ok(())
}
