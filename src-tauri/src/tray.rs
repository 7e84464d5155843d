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

/// How many transfers and backups are running now; read when the window is closed.
#[derive(Default, Clone)]
pub struct Activity(pub Arc<AtomicUsize>, Arc<std::sync::Mutex<String>>);

impl Activity {
    pub fn running(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// What is running, in words ("backing up “Photos”, 2 transfers running").
    pub fn described(&self) -> String {
        let label = self.1.lock().unwrap_or_else(|e| e.into_inner()).clone();
        label.trim_start_matches("Fichier Desk — ").to_string()
    }
}

/// The tray's text for `running` transfers and the backups in progress (their names).
pub fn activity_label(running: usize, backups: &[&str]) -> String {
    let transfers = match running {
        0 => None,
        1 => Some("1 transfer running".to_string()),
        n => Some(format!("{n} transfers running")),
    };
    let backing_up = match backups {
        [] => None,
        [one] => Some(format!("backing up \u{201c}{one}\u{201d}")),
        many => Some(format!("{} backups running", many.len())),
    };
    let parts: Vec<String> = [backing_up, transfers].into_iter().flatten().collect();
    if parts.is_empty() {
        "Fichier Desk".to_string()
    } else {
        format!("Fichier Desk — {}", parts.join(", "))
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
        .tooltip(activity_label(0, &[]))
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
                        // Every open account's transfers, not only the one shown.
                        for s in state.sessions().await {
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
        let mut backups: std::collections::BTreeMap<String, String> = Default::default();
        let mut shown = String::new();
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
                Ok(TransferEvent::Backup { job }) => {
                    use fichier_core::backup::BackupStatus;
                    if matches!(job.status, BackupStatus::Idle | BackupStatus::Paused) {
                        backups.remove(&job.id);
                    } else {
                        backups.insert(job.id, job.spec.name);
                    }
                }
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            }
            let busy = running.len() + backups.len();
            activity.0.store(busy, Ordering::Relaxed);
            awake.set(busy > 0);
            let names: Vec<&str> = backups.values().map(String::as_str).collect();
            let label = activity_label(running.len(), &names);
            *activity.1.lock().unwrap_or_else(|e| e.into_inner()) = label.clone();
            // The label changes at most once a second, and only when it says something new.
            if label != shown && (last_update.elapsed() >= Duration::from_secs(1) || busy == 0) {
                let _ = tray.set_tooltip(Some(&label));
                let _ = tray.set_title(Some(if running.is_empty() {
                    String::new()
                } else {
                    running.len().to_string()
                }));
                shown = label;
                last_update = Instant::now();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_count_running_transfers_and_name_backups() {
        assert_eq!(activity_label(0, &[]), "Fichier Desk");
        assert_eq!(activity_label(1, &[]), "Fichier Desk — 1 transfer running");
        assert_eq!(activity_label(3, &[]), "Fichier Desk — 3 transfers running");
        assert_eq!(
            activity_label(2, &["Photos"]),
            "Fichier Desk — backing up \u{201c}Photos\u{201d}, 2 transfers running"
        );
        assert_eq!(
            activity_label(0, &["Photos", "Work"]),
            "Fichier Desk — 2 backups running"
        );
    }
}
