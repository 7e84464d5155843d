//! Folders and files: browse, create, rename, move, copy, delete, attributes, links.

use fichier_core::AppError;
use fichier_core::library::{
    DownloadLink, FileAttributes, FileDetails, FolderView, Library, ShareResult, SubFolderEntry,
};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The open account's browsing service (a cheap clone).
async fn library(state: &AppState) -> CmdResult<Library> {
    Ok(state.session().await?.library.clone())
}

/// `force` comes from the refresh button; 1fichier's one-listing-per-30-s rule applies
/// either way, and `fromCache` tells the window when it did.
#[fichier_ipc_macros::command]
pub async fn list_folder(
    state: State<'_, AppState>,
    folder_id: i64,
    force: Option<bool>,
) -> CmdResult<FolderView> {
    // A forced listing still goes through the cache: 1fichier allows one listing per
    // folder per 30 s, and the cache is patched with this app's own changes.
    let force = force.unwrap_or(false);
    tracing::debug!(folder_id, force, "listing");
    library(&state)
        .await?
        .list_folder(folder_id)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn create_folder(
    state: State<'_, AppState>,
    parent_id: i64,
    name: String,
) -> CmdResult<SubFolderEntry> {
    library(&state)
        .await?
        .create_folder(parent_id, &name)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn rename_folder(
    state: State<'_, AppState>,
    folder_id: i64,
    name: String,
) -> CmdResult<()> {
    library(&state)
        .await?
        .rename_folder(folder_id, &name)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn move_folder(
    state: State<'_, AppState>,
    folder_id: i64,
    destination_id: i64,
) -> CmdResult<()> {
    library(&state)
        .await?
        .move_folder(folder_id, destination_id)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn delete_folder(state: State<'_, AppState>, folder_id: i64) -> CmdResult<()> {
    library(&state)
        .await?
        .delete_folder(folder_id)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn rename_file(
    state: State<'_, AppState>,
    url: String,
    filename: String,
) -> CmdResult<()> {
    library(&state)
        .await?
        .rename_file(&url, &filename)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn move_files(
    state: State<'_, AppState>,
    urls: Vec<String>,
    destination_id: i64,
) -> CmdResult<()> {
    library(&state)
        .await?
        .move_files(urls, destination_id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn copy_files(
    state: State<'_, AppState>,
    urls: Vec<String>,
    destination_id: i64,
) -> CmdResult<()> {
    library(&state)
        .await?
        .copy_files(urls, destination_id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn delete_files(state: State<'_, AppState>, urls: Vec<String>) -> CmdResult<()> {
    library(&state)
        .await?
        .delete_files(urls)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn set_file_attributes(
    state: State<'_, AppState>,
    urls: Vec<String>,
    attributes: FileAttributes,
) -> CmdResult<()> {
    library(&state)
        .await?
        .set_attributes(urls, attributes)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn get_file_info(state: State<'_, AppState>, url: String) -> CmdResult<FileDetails> {
    library(&state)
        .await?
        .file_info(&url)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn share_folder(
    state: State<'_, AppState>,
    folder_id: i64,
    share: bool,
    password: Option<String>,
) -> CmdResult<ShareResult> {
    library(&state)
        .await?
        .share_folder(folder_id, share, password)
        .await
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn get_download_link(state: State<'_, AppState>, url: String) -> CmdResult<DownloadLink> {
    library(&state)
        .await?
        .download_link(&url)
        .await
        .map_err(AppError::from)
}
