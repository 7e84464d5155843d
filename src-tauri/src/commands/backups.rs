//! Backups: jobs that keep a local folder on 1fichier (see `fichier_core::backup`).

use fichier_core::AppError;
use fichier_core::backup::{BackupJob, BackupSpec, RunReport};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The source must be a folder the user picked, unless it is the job's own already.
async fn checked(state: &AppState, spec: BackupSpec, id: Option<&str>) -> CmdResult<BackupSpec> {
    let session = state.session().await?;
    if let Some(id) = id
        && let Ok(job) = session.backups.find(id)
        && job.spec.source == spec.source
    {
        return Ok(spec);
    }
    let source = state.grants.backup_source(&spec.source)?;
    Ok(BackupSpec {
        source: source.to_string_lossy().into_owned(),
        ..spec
    })
}

/// Backups: a local folder kept on 1fichier, by schedule, watcher or "run now".
#[fichier_ipc_macros::command]
pub async fn list_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupJob>> {
    let session = state.session().await?;
    session.backups.list().map_err(AppError::from)
}

/// Refused with `invalid_request` (and a message naming the field) when the spec is wrong.
#[fichier_ipc_macros::command]
pub async fn add_backup(state: State<'_, AppState>, spec: BackupSpec) -> CmdResult<BackupJob> {
    let spec = checked(&state, spec, None).await?;
    let session = state.session().await?;
    session.backups.add(&spec).map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn update_backup(
    state: State<'_, AppState>,
    id: String,
    spec: BackupSpec,
) -> CmdResult<BackupJob> {
    let spec = checked(&state, spec, Some(&id)).await?;
    let session = state.session().await?;
    session.backups.update(&id, &spec).map_err(AppError::from)
}

/// Forgets the job; never touches the files on 1fichier.
#[fichier_ipc_macros::command]
pub async fn remove_backup(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    let session = state.session().await?;
    session.backups.remove(&id).map_err(AppError::from)
}

/// A dry run: what a run would do now, changing nothing.
#[fichier_ipc_macros::command]
pub async fn preview_backup(state: State<'_, AppState>, id: String) -> CmdResult<RunReport> {
    let session = state.session().await?;
    session.backups.run(&id, true).await.map_err(AppError::from)
}

/// Starts a run; its progress comes as `backup` events.
#[fichier_ipc_macros::command]
pub async fn run_backup(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    let session = state.session().await?;
    session.backups.start_run(&id).map_err(AppError::from)
}

#[fichier_ipc_macros::command]
pub async fn set_backup_paused(
    state: State<'_, AppState>,
    id: String,
    paused: bool,
) -> CmdResult<BackupJob> {
    let session = state.session().await?;
    session
        .backups
        .set_paused(&id, paused)
        .map_err(AppError::from)
}
