//! Small pieces of desktop integration: revealing a file, logs.

use std::path::Path;
use std::process::Command;

/// Shows `path` in the system file manager (its folder on Linux).
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
        let mut c = Command::new("xdg-open");
        c.arg(dir);
        c
    };
    cmd.spawn().map(|_| ())
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
