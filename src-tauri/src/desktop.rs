//! Small pieces of desktop integration: revealing a file, logs.

use std::path::Path;
use std::process::Command;

use tauri::{DragDropEvent, Manager, Runtime};

/// The program that opens a folder on Linux and the BSDs.
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
fn opener() -> std::ffi::OsString {
    #[cfg(test)]
    if let Some(o) = TEST_OPENER.with(|o| o.borrow().clone()) {
        return o;
    }
    "xdg-open".into()
}

#[cfg(all(test, not(any(target_os = "macos", target_os = "windows"))))]
thread_local! {
    static TEST_OPENER: std::cell::RefCell<Option<std::ffi::OsString>> = const { std::cell::RefCell::new(None) };
}

/// Shows `path` in the system file manager (its folder on Linux); an error when no
/// program could.
pub fn reveal(path: &Path) -> std::io::Result<()> {
    let target = if path.exists() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    #[cfg(target_os = "macos")]
    let mut cmd = {
        let mut c = Command::new("open");
        c.arg("-R").arg(target);
        c
    };
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = Command::new("explorer");
        c.arg(format!("/select,{}", target.display()));
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut cmd = {
        let dir = if target.is_dir() {
            target
        } else {
            target.parent().unwrap_or(target)
        };
        let mut c = Command::new(opener());
        c.arg(dir);
        c
    };
    let mut child = cmd.spawn()?;
    // Explorer's exit status says nothing (1 even when it opened the folder).
    if cfg!(target_os = "windows") {
        return Ok(());
    }
    // The opener hands the folder to a file manager and exits; a failure shows in its exit
    // status (xdg-open: 3 or 4 when nothing can open a folder). One still running after a
    // moment has opened something.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while std::time::Instant::now() < deadline {
        match child.try_wait()? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => {
                return Err(std::io::Error::other(format!(
                    "no program could show the folder ({status})"
                )));
            }
            None => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
    Ok(())
}

/// Opens a web page in the system browser.
pub fn open_url(url: &str) -> std::io::Result<()> {
    #[cfg(target_os = "macos")]
    let mut cmd = Command::new("open");
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = Command::new("explorer");
        c.arg(url);
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut cmd = Command::new("xdg-open");
    #[cfg(not(target_os = "windows"))]
    cmd.arg(url);
    cmd.spawn().map(|_| ())
}

/// Whether the window may navigate to `url`: only its own pages. 1fichier's pages (the
/// API key's settings page) open in the system browser instead; anything else is refused.
pub fn allow_navigation(url: &tauri::Url) -> bool {
    let own = matches!(url.scheme(), "tauri" | "asset" | "data" | "about")
        || matches!(url.host_str(), Some("tauri.localhost" | "ipc.localhost"));
    if own {
        return true;
    }
    let is_1fichier = url.scheme() == "https"
        && url
            .host_str()
            .is_some_and(|h| h == "1fichier.com" || h.ends_with(".1fichier.com"));
    if is_1fichier {
        if let Err(e) = open_url(url.as_str()) {
            tracing::warn!("the browser could not be opened: {e}");
        }
    } else {
        tracing::warn!(%url, "navigation away from the app refused");
    }
    false
}

/// Logs go to `fichier-desk.log` in the platform log folder (the key is never printed:
/// its type redacts itself).
pub fn init_logging(dir: &Path) {
    use tracing_subscriber::EnvFilter;
    let _ = std::fs::create_dir_all(dir);
    let filter =
        EnvFilter::try_from_env("FICHIER_DESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("fichier-desk.log"));
    match file {
        Ok(f) => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(f))
                .try_init();
        }
        Err(_) => {
            let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
        }
    }
}

/// Keeps the computer from sleeping while transfers run, through the system's own tool
/// (`systemd-inhibit` on Linux, `caffeinate` on macOS). Where there is none, nothing
/// happens: a transfer never fails for it.
#[derive(Default)]
pub struct KeepAwake {
    child: Option<std::process::Child>,
}

impl KeepAwake {
    pub fn set(&mut self, awake: bool) {
        if awake == self.child.is_some() {
            return;
        }
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
            tracing::debug!("sleep allowed again");
            return;
        }
        let pid = std::process::id();
        #[cfg(target_os = "macos")]
        let cmd = Command::new("caffeinate")
            .args(["-i", "-w", &pid.to_string()])
            .spawn();
        #[cfg(not(target_os = "macos"))]
        let cmd = Command::new("systemd-inhibit")
            .args([
                "--what=sleep:idle",
                "--who=Fichier Desk",
                "--why=Transfers are running",
                "--mode=block",
                "tail",
                &format!("--pid={pid}"),
                "-f",
                "/dev/null",
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        match cmd {
            Ok(c) => {
                tracing::debug!("sleep inhibited while transfers run");
                self.child = Some(c);
            }
            Err(e) => tracing::info!("cannot keep the computer awake: {e}"),
        }
    }
}

impl Drop for KeepAwake {
    fn drop(&mut self) {
        self.set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_stays_on_its_own_pages() {
        let ok = |u: &str| allow_navigation(&u.parse().unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/index.html"));
        assert!(!ok("https://example.org/"));
        assert!(
            !ok("http://1fichier.com/console/params.pl"),
            "plain http is not opened"
        );
    }
}

#[cfg(all(test, not(any(target_os = "macos", target_os = "windows"))))]
mod reveal_tests {
    use super::*;

    fn with_opener(script: &str) -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let opener = dir.path().join("opener");
        std::fs::write(&opener, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
        TEST_OPENER.with(|o| *o.borrow_mut() = Some(opener.into_os_string()));
        let r = reveal(dir.path());
        TEST_OPENER.with(|o| *o.borrow_mut() = None);
        r
    }

    #[test]
    fn an_opener_that_fails_is_an_error_not_silence() {
        assert!(with_opener("exit 0").is_ok());
        let err = with_opener("exit 3").unwrap_err();
        assert!(
            err.to_string().contains("no program could show the folder"),
            "{err}"
        );
    }
}

/// Records what was dropped onto the window, as the drop arrives (before the window can
/// ask for an upload of it).
pub fn on_drag_drop<R: Runtime, M: Manager<R>>(manager: &M, event: &DragDropEvent) {
    if let DragDropEvent::Drop { paths, .. } = event
        && let Some(state) = manager.try_state::<crate::state::AppState>()
    {
        tracing::debug!(count = paths.len(), "dropped paths granted");
        state.grants.allow_read(paths);
    }
}
