//! Native pickers. The paths they return are the user's own choice; they are checked
//! again by the command that uses them.

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::CmdResult;

#[tauri::command]
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
    let picked = rx.await.ok().flatten();
    Ok(picked.map(|v| {
        v.into_iter()
            .filter_map(|p| p.into_path().ok())
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }))
}

#[tauri::command]
pub async fn pick_directory<R: Runtime>(app: AppHandle<R>) -> CmdResult<Option<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Download to…")
        .pick_folder(move |p| {
            let _ = tx.send(p);
        });
    let picked = rx.await.ok().flatten();
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.to_string_lossy().into_owned()))
}
