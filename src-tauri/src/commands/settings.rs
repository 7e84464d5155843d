//! Preferences: applied to the running engine at once and saved (never with the key).

use fichier_core::{Settings, SettingsStore};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[fichier_ipc_macros::command]
pub async fn get_settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    Ok(state.settings())
}

#[fichier_ipc_macros::command]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> CmdResult<Settings> {
    fichier_core::settings::check(&settings)?;
    // The folder downloads write into: only one the user picked in the dialog.
    state
        .grants
        .settings_download_dir(&settings.download_dir, &state.settings().download_dir)?;
    let settings = SettingsStore::default_location().and_then(|store| store.save(&settings))?;
    if let Some(s) = state.current().await {
        s.engine.set_concurrency(settings.concurrency);
        s.engine.set_connections(settings.connections);
        s.engine.set_bandwidth_limit(settings.bandwidth_limit_bps);
        s.engine
            .set_history_limits(settings.history_max_items, settings.history_max_days);
    }
    state.notifier.set_enabled(settings.notifications);
    *state.settings.lock().unwrap_or_else(|e| e.into_inner()) = settings.clone();
    Ok(settings)
}
