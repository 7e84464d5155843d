//! Stream & mount: the local server's status and options, stream links, the .strm export
//! and mounting the drive in the file manager.

use fichier_core::ErrorCode;
use tauri::State;

use crate::error::{CmdResult, local};
use crate::serve::{ExportReport, MountResult, ServeOptionsIpc, ServeStatus};
use crate::state::AppState;

/// The local server (stream links and the WebDAV drive): on or off, where, what it serves now.
#[fichier_ipc_macros::command]
pub async fn serve_status(state: State<'_, AppState>) -> CmdResult<ServeStatus> {
    state.serving.sync(state.served().await).await;
    Ok(state.serving.status().await)
}

/// Turns it on or off and sets its options (kept across starts); the status after.
#[fichier_ipc_macros::command]
pub async fn set_serve(
    state: State<'_, AppState>,
    options: ServeOptionsIpc,
) -> CmdResult<ServeStatus> {
    state.serving.set(options, state.served().await).await?;
    Ok(state.serving.status().await)
}

/// A link to the file (its 1fichier URL) on the local server, for a player; it keeps
/// working for days. Refused with `invalid_request` while the server is off.
#[fichier_ipc_macros::command]
pub async fn stream_link(state: State<'_, AppState>, url: String) -> CmdResult<String> {
    let session = state.session().await?;
    let (base, secret) = state.serving.running().await?;
    let client = session.library.client();
    let name = match client.known_file_info(&url) {
        Some(i) => fichier_core::display_name(&i.filename),
        None => session.library.file_info(&url).await?.entry.filename,
    };
    fichier_serve::stream_link(&base, &secret, &url, &name).ok_or_else(|| {
        local(
            ErrorCode::InvalidRequest,
            format!("{url} is not a 1fichier file link."),
        )
    })
}

/// Writes a `.strm` file per file of the folder (and its subfolders) into `dir`, for media servers.
#[fichier_ipc_macros::command]
pub async fn export_strm(
    state: State<'_, AppState>,
    folder_id: i64,
    dir: String,
) -> CmdResult<ExportReport> {
    let session = state.session().await?;
    let (base, secret) = state.serving.running().await?;
    let dir = state.grants.download_dir(Some(&dir), "")?;
    let link_base = format!("{base}/s/{secret}");
    let r = fichier_serve::export_strm(&session.library, folder_id, &dir, &link_base)
        .await
        .map_err(|e| match e {
            fichier_serve::ExportError::Api(a) => a.into(),
            other => local(ErrorCode::Io, other.to_string()),
        })?;
    Ok(ExportReport {
        dir: r.dir,
        written: r.written,
        unchanged: r.unchanged,
        removed: r.removed,
        folders: r.folders,
        playlists: r.playlists,
    })
}

/// Opens the WebDAV drive in the file manager (gio on Linux); elsewhere `message` says how.
#[fichier_ipc_macros::command]
pub async fn mount_drive(state: State<'_, AppState>) -> CmdResult<MountResult> {
    let status = state.serving.status().await;
    let (Some(dav), Some(secret)) = (status.dav_url, status.secret) else {
        return Err(local(
            ErrorCode::InvalidRequest,
            "Turn the local server on first, in Stream & mount.",
        ));
    };
    Ok(mount(&dav, &secret).await)
}

#[cfg(target_os = "linux")]
async fn mount(dav: &str, secret: &str) -> MountResult {
    use tokio::io::AsyncWriteExt;
    let location = format!(
        "dav://{}@{}",
        fichier_serve::DEFAULT_USER,
        dav.trim_start_matches("http://")
    );
    let child = tokio::process::Command::new("gio")
        .args(["mount", &location])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) => return instructions(dav),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // gio asks for the password on its standard input.
        let _ = stdin.write_all(format!("{secret}\n").as_bytes()).await;
    }
    match tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output()).await {
        Ok(Ok(out)) if out.status.success() => MountResult {
            mounted: true,
            message: format!("Mounted: {location} is in your file manager."),
            location: Some(location),
        },
        Ok(Ok(out)) => {
            let err = String::from_utf8_lossy(&out.stderr);
            if err.contains("already mounted") {
                MountResult {
                    mounted: true,
                    message: format!("Already mounted: {location}."),
                    location: Some(location),
                }
            } else {
                MountResult {
                    mounted: false,
                    message: format!(
                        "The file manager could not mount the drive ({}). In Files, open Other Locations and connect to {location}.",
                        err.trim()
                    ),
                    location: None,
                }
            }
        }
        _ => instructions(dav),
    }
}

#[cfg(not(target_os = "linux"))]
async fn mount(dav: &str, _secret: &str) -> MountResult {
    instructions(dav)
}

fn instructions(dav: &str) -> MountResult {
    let how = if cfg!(target_os = "macos") {
        format!(
            "In Finder, choose Go > Connect to Server and enter {dav} (user fichier, the password shown here)."
        )
    } else if cfg!(target_os = "windows") {
        format!(
            "In File Explorer, choose Map network drive and enter {dav} (user fichier, the password shown here)."
        )
    } else {
        format!(
            "In your file manager, connect to {} (user fichier, the password shown here).",
            dav.replace("http://", "dav://")
        )
    };
    MountResult {
        mounted: false,
        message: how,
        location: None,
    }
}
