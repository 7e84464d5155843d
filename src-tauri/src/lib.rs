//! Fichier Desk, the desktop shell: thin commands over `fichier-core`, the event stream to
//! the window, keychain onboarding, demo mode, notifications, dialogs and the tray.

pub mod bindings;
pub mod commands;
pub mod desktop;
pub mod error;
pub mod events;
mod forwarder;
pub mod grants;
pub mod ipc;
pub mod notify;
pub mod rule_cases;
pub mod serve;
pub mod state;
pub mod tray;

use fichier_core::ErrorCode;
use fichier_core::{Credentials, SettingsStore};
use tauri::{AppHandle, Manager, WebviewEvent, WindowEvent};

use crate::state::AppState;
use crate::tray::Activity;

/// Whether the OS keychain can be read now (locked or missing keychains cannot).
pub fn keychain_available() -> bool {
    match Credentials::default().load_from_keychain() {
        Ok(_) => true,
        Err(e) => e.code() != ErrorCode::KeychainUnavailable,
    }
}

/// How the app was asked to start.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LaunchOptions {
    /// `--demo`: straight into the demo account.
    pub demo: bool,
    /// `--demo-unless-key`: the demo when no key is stored (the quick start's run command).
    pub demo_unless_key: bool,
}

impl LaunchOptions {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> LaunchOptions {
        let mut o = LaunchOptions::default();
        for a in args {
            match a.as_str() {
                "--demo" => o.demo = true,
                "--demo-unless-key" => o.demo_unless_key = true,
                _ => {}
            }
        }
        o
    }
}

/// Opens the accounts the app starts with: every account with a stored key (so their
/// transfers and backups go on), showing the default one; or the demo, or none
/// (onboarding).
async fn open_at_start(app: AppHandle, launch: LaunchOptions) {
    let state = app.state::<AppState>();
    if launch.demo {
        if let Err(e) = state.open_demo().await {
            tracing::warn!("the demo did not start: {} ({})", e.message, e.code);
        }
    } else {
        open_stored_accounts(&state).await;
        if state.current().await.is_none()
            && launch.demo_unless_key
            && let Err(e) = state.open_demo().await
        {
            tracing::warn!("the demo did not start: {} ({})", e.message, e.code);
        }
    }
    state.mark_ready();
    // The local server starts at launch when the user left it on.
    state.serving.sync(state.served().await).await;
}

async fn open_stored_accounts(state: &AppState) {
    let accounts = match state.accounts() {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!("the account list can't be read: {}", e.message);
            return;
        }
    };
    let default = accounts.default_account().id.clone();
    // The default account first, so the window shows it.
    let mut order: Vec<_> = accounts.list().iter().collect();
    order.sort_by_key(|a| a.id != default);
    for entry in order {
        let show = state.current().await.is_none();
        match commands::accounts::open_stored(state, entry, show).await {
            Ok(true) => tracing::info!(account = %entry.id, "API key found"),
            Ok(false) => {}
            Err(e) => tracing::warn!(
                account = %entry.id,
                "the account could not be opened: {} ({})",
                e.message,
                e.code
            ),
        }
    }
}

/// Every command the window may call (also used by the command-layer tests, on Tauri's
/// mock runtime).
pub fn commands_handler<R: tauri::Runtime>()
-> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    commands::handler!()
}

pub fn run() {
    let launch = LaunchOptions::from_args(std::env::args());
    let activity = Activity::default();
    let on_close = activity.clone();
    tauri::Builder::default()
        // First, so a second launch only focuses the first window.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tray::show_main(app)
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(
            tauri::plugin::Builder::<tauri::Wry>::new("navigation-guard")
                .on_navigation(|_, url| desktop::allow_navigation(url))
                .build(),
        )
        .setup(move |app| {
            desktop::init_logging(&app.path().app_log_dir()?);
            let data_dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&data_dir)?;
            let settings = SettingsStore::default_location()
                .and_then(|s| s.load())
                .unwrap_or_else(|e| {
                    tracing::warn!("settings could not be read, using defaults: {e}");
                    Default::default()
                });
            let state = AppState::new(settings, data_dir);
            let events = state.events.subscribe();
            app.manage(state);
            if let Err(e) = tray::build(app, activity.clone(), events) {
                // Minimal desktops may have no tray: the app works without it.
                tracing::warn!("no tray icon: {e}");
            }
            tracing::info!(
                version = env!("CARGO_PKG_VERSION"),
                ?launch,
                "Fichier Desk starting"
            );
            tauri::async_runtime::spawn(open_at_start(app.handle().clone(), launch));
            Ok(())
        })
        // Dropped paths are granted as the drop arrives, before the window asks to upload
        // them. Depending on the platform the drop comes as a window or a webview event.
        .on_webview_event(|webview, event| {
            if let WebviewEvent::DragDrop(drop) = event {
                desktop::on_drag_drop(webview, drop);
            }
        })
        .on_window_event(move |window, event| {
            if let WindowEvent::DragDrop(drop) = event {
                desktop::on_drag_drop(window, drop);
            }
            if let WindowEvent::CloseRequested { api, .. } = event {
                let running = on_close.running();
                if running > 0 {
                    // Transfers keep going in the tray; Quit there stops them.
                    api.prevent_close();
                    let _ = window.hide();
                    let state = window.app_handle().state::<AppState>();
                    state.notifier.note(format!(
                        "Fichier Desk keeps working in the tray: {}.",
                        on_close.described()
                    ));
                }
            }
        })
        .invoke_handler(commands_handler())
        .run(tauri::generate_context!())
        .expect("the Fichier Desk window could not start");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_flags() {
        let o = LaunchOptions::from_args(["fichier-desk".into(), "--demo".into()]);
        assert!(o.demo && !o.demo_unless_key);
        let o = LaunchOptions::from_args(["fichier-desk".into(), "--demo-unless-key".into()]);
        assert!(!o.demo && o.demo_unless_key);
        assert_eq!(
            LaunchOptions::from_args(["x".into()]),
            LaunchOptions::default()
        );
    }
}
