//! The transfer queue: uploads from paths the user picked or dropped, downloads, the
//! history a page at a time, and per-item and global controls. Local paths are checked
//! against what the user granted (`grants`), never trusted as sent.

use fichier_core::{AppError, ErrorCode};
use std::path::PathBuf;

use fichier_core::{HistoryPage, Transfer, TransferEvent, TransferState};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::{CmdResult, local};
use crate::events::forward_to_window;
use crate::state::AppState;

/// Most history items one call returns.
pub const HISTORY_PAGE_MAX: u32 = 200;

/// The queue of every open account, each transfer labelled with its account: what is
/// queued, running or paused, and failures not cleared yet. Finished transfers are read
/// from the history a page at a time (`list_history`).
#[fichier_ipc_macros::command]
pub async fn list_transfers(state: State<'_, AppState>) -> CmdResult<Vec<Transfer>> {
    let sessions = state.sessions().await;
    if sessions.is_empty() {
        return Err(crate::error::no_session());
    }
    let mut out = Vec::new();
    for s in sessions {
        let mut list = s.engine.list();
        list.retain(|t| !t.state.is_finished() || t.state == TransferState::Failed);
        out.extend(s.label_all(list));
    }
    Ok(out)
}

/// `limit` (at most [`HISTORY_PAGE_MAX`]) finished transfers of every open account from
/// the `offset`-th most recent, with the size of the whole history.
#[fichier_ipc_macros::command]
pub async fn list_history(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
) -> CmdResult<HistoryPage> {
    let limit = limit.clamp(1, HISTORY_PAGE_MAX) as usize;
    let sessions = state.sessions().await;
    if sessions.is_empty() {
        return Err(crate::error::no_session());
    }
    // Each account's newest `offset + limit` are enough to find the page of all of them.
    let mut total = 0;
    let mut items = Vec::new();
    for s in sessions {
        let page = s.engine.history_page(0, offset as usize + limit);
        total += page.total;
        items.extend(s.label_all(page.items));
    }
    items.sort_by_key(|t| std::cmp::Reverse(t.finished_at.or(t.started_at).unwrap_or(0)));
    let items = items
        .into_iter()
        .skip(offset as usize)
        .take(limit)
        .collect();
    Ok(HistoryPage { items, total })
}

/// Only paths picked in a dialog or dropped onto the window are accepted.
#[fichier_ipc_macros::command]
pub async fn upload_paths(
    state: State<'_, AppState>,
    paths: Vec<String>,
    folder_id: i64,
    password: Option<String>,
) -> CmdResult<Vec<Transfer>> {
    let paths = state.grants.upload_paths(&paths)?;
    let password = password.filter(|p| !p.is_empty());
    let s = state.session().await?;
    s.engine
        .upload_paths(paths, folder_id, password)
        .map(|list| s.label_all(list))
        .map_err(AppError::from)
}

/// Whether the largest of these files would finish within 1fichier's 4-hour upload
/// window at the upload speed measured recently (asked before a large upload starts).
#[fichier_ipc_macros::command]
pub async fn upload_time_check(
    state: State<'_, AppState>,
    paths: Vec<String>,
) -> CmdResult<fichier_core::upload_time::UploadTimeCheck> {
    let paths = state.grants.upload_paths(&paths)?;
    let engine = state.session().await?.engine.clone();
    // Walking a large folder reads many directories: not on the runtime's threads.
    tokio::task::spawn_blocking(move || engine.upload_time_check(&paths))
        .await
        .map_err(|e| local(ErrorCode::Io, e.to_string()))?
        .map_err(AppError::from)
}

/// Into `destDir` (picked in the dialog), or the download folder of the settings.
#[fichier_ipc_macros::command]
pub async fn download_files(
    state: State<'_, AppState>,
    urls: Vec<String>,
    dest_dir: Option<String>,
) -> CmdResult<Vec<Transfer>> {
    let dir = state
        .grants
        .download_dir(dest_dir.as_deref(), &state.settings().download_dir)?;
    let s = state.session().await?;
    s.engine
        .download(urls, dir, None)
        .map(|list| s.label_all(list))
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn pause_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .owner_of(&id)
        .await?
        .engine
        .pause(&id)
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn resume_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .owner_of(&id)
        .await?
        .engine
        .resume(&id)
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn cancel_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .owner_of(&id)
        .await?
        .engine
        .cancel(&id)
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn retry_transfer(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state
        .owner_of(&id)
        .await?
        .engine
        .retry(&id)
        .map_err(AppError::from)
}

/// Pauses the transfers of every open account (the list shows them all).
#[fichier_ipc_macros::command]
pub async fn pause_all(state: State<'_, AppState>) -> CmdResult<()> {
    for s in state.sessions().await {
        s.engine.pause_all();
    }
    Ok(())
}

#[fichier_ipc_macros::command]
pub async fn resume_all(state: State<'_, AppState>) -> CmdResult<()> {
    for s in state.sessions().await {
        s.engine.resume_all();
    }
    Ok(())
}

#[fichier_ipc_macros::command]
pub async fn clear_finished(state: State<'_, AppState>) -> CmdResult<()> {
    for s in state.sessions().await {
        s.engine.clear_finished();
    }
    Ok(())
}

/// Opens the system file manager on a finished download (or an upload's source).
#[fichier_ipc_macros::command]
pub async fn show_in_folder(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    let s = state.owner_of(&id).await?;
    // The path comes from the engine's own record, never from the window.
    let t = s.engine.get(&id).ok_or_else(|| {
        local(
            ErrorCode::NotFound,
            "That transfer is no longer in the list.",
        )
    })?;
    let path = t.local_path.map(PathBuf::from).ok_or_else(|| {
        local(
            ErrorCode::NotFound,
            "This transfer has no file on this computer yet.",
        )
    })?;
    if !path.exists() {
        return Err(local(
            ErrorCode::NotFound,
            format!("The file is no longer at {}.", path.display()),
        ));
    }
    let shown = path.clone();
    tauri::async_runtime::spawn_blocking(move || crate::desktop::reveal(&shown))
        .await
        .map_err(|e| local(ErrorCode::Io, e.to_string()))?
        .map_err(|e| {
            local(
                ErrorCode::Io,
                format!(
                    "The file manager could not be opened ({e}). The file is at {}.",
                    path.display()
                ),
            )
        })
}

/// The window's event stream: progress, states, pacer waits and remote-upload results.
#[fichier_ipc_macros::command]
pub async fn subscribe_events(
    state: State<'_, AppState>,
    on_event: Channel<TransferEvent>,
) -> CmdResult<()> {
    forward_to_window(state.events.subscribe(), on_event);
    Ok(())
}
