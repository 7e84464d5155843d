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
