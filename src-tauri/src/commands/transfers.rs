//! The transfer queue: uploads from paths the user picked or dropped, downloads, and
//! per-item and global controls. Paths are checked here, in Rust, never trusted as sent.

use std::path::{Path, PathBuf};

use fichier_core::{Transfer, TransferEvent};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::{CmdResult, local};
use crate::events::forward_to_window;
use crate::state::AppState;

/// Absolute, existing files or folders; anything else is refused with its reason.
pub fn checked_upload_paths(paths: &[String]) -> CmdResult<Vec<PathBuf>> {
    if paths.is_empty() {
        return Err(local("not_allowed", "Nothing to upload."));
    }
    paths
        .iter()
        .map(|p| {
            let path = Path::new(p);
            if !path.is_absolute() {
                return Err(local("io", format!("{p} is not a full path.")));
            }
            let meta = std::fs::metadata(path)
                .map_err(|e| local("io", format!("{p} cannot be read: {e}.")))?;
            if !(meta.is_file() || meta.is_dir()) {
                return Err(local("io", format!("{p} is neither a file nor a folder.")));
            }
            path.canonicalize()
                .map_err(|e| local("io", format!("{p} cannot be read: {e}.")))
        })
        .collect()
}

/// An existing folder to download into.
pub fn checked_download_dir(dir: &str) -> CmdResult<PathBuf> {
    let path = PathBuf::from(dir);
    if !path.is_absolute() || !path.is_dir() {
        return Err(local(
            "io",
            format!("The download folder {dir} does not exist. Choose another one in Settings."),
        ));
    }
    Ok(path)
}

#[tauri::command]
pub async fn list_transfers(state: State<'_, AppState>) -> CmdResult<Vec<Transfer>> {
    let s = state.session().await?;
    let mut all = s.engine.list();
    all.extend(s.engine.history());
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all.dedup_by(|a, b| a.id == b.id);
    Ok(all)
}

#[tauri::command]
pub async fn upload_paths(
    state: State<'_, AppState>,
    paths: Vec<String>,
    folder_id: i64,
    password: Option<String>,
) -> CmdResult<Vec<Transfer>> {
    let paths = checked_upload_paths(&paths)?;
    let password = password.filter(|p| !p.is_empty());
    state
        .session()
        .await?
        .engine
        .upload_paths(paths, folder_id, password)
        .map_err(|e| e.summary())
}

#[tauri::command]
pub async fn download_files(
    state: State<'_, AppState>,
    urls: Vec<String>,
    dest_dir: Option<String>,
) -> CmdResult<Vec<Transfer>> {
    let dir = dest_dir.unwrap_or_else(|| state.settings().download_dir);
    let dir = checked_download_dir(&dir)?;
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
    let t = s
        .engine
        .get(&id)
        .or_else(|| s.engine.history().into_iter().find(|t| t.id == id))
        .ok_or_else(|| local("not_found", "That transfer is no longer in the list."))?;
    let path = t.local_path.map(PathBuf::from).ok_or_else(|| {
        local(
            "not_found",
            "This transfer has no file on this computer yet.",
        )
    })?;
    crate::desktop::reveal(&path)
        .map_err(|e| local("io", format!("The file manager could not be opened: {e}.")))
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
