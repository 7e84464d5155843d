//! Native pickers. What the user picks here is recorded as granted (see `grants`): the
//! commands that read or write local paths accept nothing else.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

use serde::Deserialize;
use ts_rs::TS;

use crate::error::CmdResult;
use crate::state::AppState;

/// What a directory is picked for: a download goes into it, a backup reads it, an export
/// writes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DirectoryPurpose {
    Download,
    Backup,
    Export,
}

fn as_strings(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

/// Native file (or folder) picker; null when cancelled. What is picked may be uploaded.
#[fichier_ipc_macros::command]
pub async fn pick_upload_paths<R: Runtime>(
    app: AppHandle<R>,
    folders: bool,
) -> CmdResult<Option<Vec<String>>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dialog = app.dialog().file().set_title(if folders {
        "Upload a folder"
    } else {
        "Upload files"
    });
    if folders {
        dialog.pick_folder(move |p| {
            let _ = tx.send(p.map(|p| vec![p]));
        });
    } else {
        dialog.pick_files(move |p| {
            let _ = tx.send(p);
        });
    }
    let Some(picked) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let paths: Vec<PathBuf> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    app.state::<AppState>().grants.allow_read(&paths);
    Ok(Some(as_strings(&paths)))
}

/// Native directory picker; null when cancelled. A folder picked to back up may be read,
/// any other may be written to.
#[fichier_ipc_macros::command]
pub async fn pick_directory<R: Runtime>(
    app: AppHandle<R>,
    purpose: Option<DirectoryPurpose>,
) -> CmdResult<Option<String>> {
    let purpose = purpose.unwrap_or(DirectoryPurpose::Download);
    let title = match purpose {
        DirectoryPurpose::Backup => "Folder to back up",
        DirectoryPurpose::Export => "Folder for the media server's links",
        DirectoryPurpose::Download => "Download to…",
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_folder(move |p| {
        let _ = tx.send(p);
    });
    let picked = rx.await.ok().flatten().and_then(|p| p.into_path().ok());
    let Some(dir) = picked else {
        return Ok(None);
    };
    let grants = &app.state::<AppState>().grants;
    if purpose == DirectoryPurpose::Backup {
        grants.allow_read([&dir]);
    } else {
        grants.allow_write(&dir);
    }
    Ok(as_strings(&[dir]).pop())
}
