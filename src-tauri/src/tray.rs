//! The tray icon: shows activity, and offers Show, Pause all, Resume all and Quit.
//! Closing the window while transfers run keeps the app working here.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fichier_core::{TransferEvent, TransferState};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use tokio::sync::broadcast;

use crate::state::AppState;

/// How many transfers are running now; read when the window is closed.
#[derive(Default, Clone)]
pub struct Activity(pub Arc<AtomicUsize>);

impl Activity {
    pub fn running(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// The tray's text for `running` transfers.
pub fn activity_label(running: usize) -> String {
    match running {
        0 => "Fichier Desk".to_string(),
        1 => "Fichier Desk — 1 transfer running".to_string(),
        n => format!("Fichier Desk — {n} transfers running"),
    }
}

pub fn show_main(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

pub fn build(
    app: &tauri::App,
    activity: Activity,
    events: broadcast::Receiver<TransferEvent>,
) -> tauri::Result<()> {
    let show = MenuItem::with_id(app, "show", "Show Fichier Desk", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause_all", "Pause all transfers", true, None::<&str>)?;
    let resume = MenuItem::with_id(
        app,
        "resume_all",
        "Resume all transfers",
        true,
        None::<&str>,
    )?;
    let sep = PredefinedMenuItem::separator(app)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&show, &pause, &resume, &sep, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip(activity_label(0))
        .menu(&menu)
        .on_menu_event(|app, event| {
            let app = app.clone();
            match event.id().as_ref() {
                "show" => show_main(&app),
                "quit" => app.exit(0),
                id @ ("pause_all" | "resume_all") => {
                    let pause = id == "pause_all";
                    tauri::async_runtime::spawn(async move {
                        let state = app.state::<AppState>();
                        if let Some(s) = state.current().await {
                            if pause {
                                s.engine.pause_all();
                            } else {
                                s.engine.resume_all();
                            }
                        }
                    });
                }
                _ => {}
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let tray = builder.build(app)?;
    track_activity(tray, activity, events);
    Ok(())
}

fn track_activity(
    tray: tauri::tray::TrayIcon,
    activity: Activity,
    mut rx: broadcast::Receiver<TransferEvent>,
) {
    tauri::async_runtime::spawn(async move {
        let mut running: HashSet<String> = HashSet::new();
        let mut shown = usize::MAX;
        let mut last_update = Instant::now() - Duration::from_secs(10);
        let mut awake = crate::desktop::KeepAwake::default();
        loop {
            match rx.recv().await {
                Ok(TransferEvent::State { transfer }) => {
                    if transfer.state == TransferState::Running {
                        running.insert(transfer.id);
                    } else {
                        running.remove(&transfer.id);
                    }
                }
                Ok(TransferEvent::Removed { ids }) => {
                    for id in ids {
                        running.remove(&id);
                    }
                }
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            }
            activity.0.store(running.len(), Ordering::Relaxed);
            awake.set(!running.is_empty());
            // The label changes at most once a second, and only when the count does.
            if running.len() != shown && last_update.elapsed() >= Duration::from_secs(1)
                || running.is_empty() && shown != 0
            {
                let label = activity_label(running.len());
                let _ = tray.set_tooltip(Some(&label));
                let _ = tray.set_title(Some(if running.is_empty() {
                    String::new()
                } else {
                    running.len().to_string()
                }));
                shown = running.len();
                last_update = Instant::now();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_count_running_transfers() {
        assert_eq!(activity_label(0), "Fichier Desk");
        assert_eq!(activity_label(1), "Fichier Desk — 1 transfer running");
        assert_eq!(activity_label(3), "Fichier Desk — 3 transfers running");
    }
}
