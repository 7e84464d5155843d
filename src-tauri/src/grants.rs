//! The local paths the window may use. Any script running in the webview can call any
//! command with any string, so a path is only accepted when the user gave it to this run
//! of the app themselves: picked in a native dialog or dropped onto the window.
//!
//! - Uploads read a granted file, a granted folder, or anything under a granted folder
//!   (paths picked for upload and every dropped path).
//! - Downloads write only into a folder picked in the "download to" dialog, or into the
//!   download folder of the settings, which can itself only be changed to such a folder.
//!
//! Paths are compared once resolved (`canonicalize`), so `..` and symbolic links cannot
//! lead out of a granted folder; the resolved path is the one handed to the engine.

use fichier_core::ErrorCode;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use fichier_core::AppError;

use crate::error::{CmdResult, local};

/// The code of a refused path; the window explains it from this code.
pub const NOT_GRANTED: ErrorCode = ErrorCode::PathNotGranted;

/// What the window sees when it names a path the user did not give.
pub fn not_granted() -> AppError {
    local(
        NOT_GRANTED,
        "Fichier Desk only uses files and folders you picked or dropped in this window.",
    )
}

#[derive(Default)]
struct Granted {
    /// Files and folders picked for upload or dropped (resolved).
    read: HashSet<PathBuf>,
    /// The folders among them: everything below may be uploaded too.
    read_dirs: Vec<PathBuf>,
    /// Folders picked as a download destination (resolved); only these, not below.
    write: HashSet<PathBuf>,
    /// Folders the launching process granted whole ([`AUTOMATION_ENV`]): downloads may go
    /// into them or any folder below.
    write_trees: Vec<PathBuf>,
}

/// Folders (separated like `PATH`) that the process starting the app grants to the window,
/// as if picked in a dialog, with everything below them: for driving the app from a test
/// or a script. It lives in the app's environment, which nothing in the window can set.
pub const AUTOMATION_ENV: &str = "FICHIER_DESK_GRANT_DIRS";

/// The paths granted in this run; managed state, shared by every command.
#[derive(Default)]
pub struct Grants {
    inner: Mutex<Granted>,
}

impl Grants {
    fn lock(&self) -> MutexGuard<'_, Granted> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Files or folders the user picked for upload or dropped onto the window.
    pub fn allow_read<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) {
        let mut g = self.lock();
        for p in paths {
            let Ok(real) = p.as_ref().canonicalize() else {
                continue;
            };
            if real.is_dir() && !g.read_dirs.contains(&real) {
                g.read_dirs.push(real.clone());
            }
            g.read.insert(real);
        }
    }

    /// Grants the folders of [`AUTOMATION_ENV`], if set: read and write, with their trees.
    pub fn allow_from_environment(&self) {
        let Some(list) = std::env::var_os(AUTOMATION_ENV) else {
            return;
        };
        for dir in std::env::split_paths(&list) {
            let Ok(real) = dir.canonicalize() else {
                continue;
            };
            if !real.is_dir() {
                continue;
            }
            tracing::info!(path = %real.display(), "folder granted by the environment");
            self.allow_read([&real]);
            self.lock().write_trees.push(real);
        }
    }

    /// A folder the user picked to download into.
    pub fn allow_write(&self, dir: &Path) {
        if let Ok(real) = dir.canonicalize() {
            self.lock().write.insert(real);
        }
    }

    fn readable(&self, real: &Path) -> bool {
        let g = self.lock();
        g.read.contains(real) || g.read_dirs.iter().any(|d| real.starts_with(d))
    }

    /// A folder to back up: one the user picked (in any dialog) or dropped in this run.
    pub fn backup_source(&self, raw: &str) -> CmdResult<PathBuf> {
        let path = lexically_checked(raw)?;
        let Ok(real) = path.canonicalize() else {
            return Err(not_granted());
        };
        let picked = self.readable(&real) || {
            let g = self.lock();
            g.write.contains(&real) || g.write_trees.iter().any(|d| real.starts_with(d))
        };
        if !picked {
            tracing::warn!(path = raw, "backup of a folder that was not picked refused");
            return Err(not_granted());
        }
        Ok(real)
    }

    /// The resolved path of each file or folder to upload, or why one is refused.
    pub fn upload_paths(&self, paths: &[String]) -> CmdResult<Vec<PathBuf>> {
        if paths.is_empty() {
            return Err(local(ErrorCode::NotAllowed, "Nothing to upload."));
        }
        paths.iter().map(|p| self.upload_path(p)).collect()
    }

    fn upload_path(&self, raw: &str) -> CmdResult<PathBuf> {
        let path = lexically_checked(raw)?;
        let real = match path.canonicalize() {
            Ok(real) => real,
            // Whether a path that was never granted exists is none of the window's business.
            Err(_) if !self.readable(path) => return Err(not_granted()),
            Err(e) => return Err(local(ErrorCode::Io, format!("{raw} cannot be read: {e}."))),
        };
        if !self.readable(&real) {
            tracing::warn!(
                path = raw,
                "upload of a path that was not picked or dropped refused"
            );
            return Err(not_granted());
        }
        if !(real.is_file() || real.is_dir()) {
            return Err(local(
                ErrorCode::Io,
                format!("{raw} is neither a file nor a folder."),
            ));
        }
        Ok(real)
    }

    /// The folder to download into: `requested` when given, else the settings' folder
    /// `saved`. Only a folder picked in the dialog, or `saved` itself, is accepted.
    pub fn download_dir(&self, requested: Option<&str>, saved: &str) -> CmdResult<PathBuf> {
        let raw = requested.unwrap_or(saved);
        let missing = || {
            local(
                ErrorCode::Io,
                format!(
                    "The download folder {raw} does not exist. Choose another one in Settings."
                ),
            )
        };
        let path = lexically_checked(raw).map_err(|e| if raw == saved { missing() } else { e })?;
        let is_saved = |real: &Path| {
            Path::new(saved)
                .canonicalize()
                .is_ok_and(|s| s.as_path() == real)
        };
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(_) if raw == saved || self.lock().write.contains(path) => return Err(missing()),
            Err(_) => return Err(not_granted()),
        };
        let granted = {
            let g = self.lock();
            g.write.contains(&real) || g.write_trees.iter().any(|t| real.starts_with(t))
        };
        if !(granted || is_saved(&real)) {
            tracing::warn!(
                path = raw,
                "download into a folder that was not picked refused"
            );
            return Err(not_granted());
        }
        if !real.is_dir() {
            return Err(missing());
        }
        Ok(real)
    }

    /// Checks the download folder of settings about to be saved: unchanged, empty, or a
    /// folder picked in the dialog.
    pub fn settings_download_dir(&self, new: &str, saved: &str) -> CmdResult<()> {
        if new == saved || new.is_empty() {
            return Ok(());
        }
        self.download_dir(Some(new), saved).map(|_| ())
    }
}

/// An absolute path without `..`; relative paths are refused with their own reason.
fn lexically_checked(raw: &str) -> CmdResult<&Path> {
    let path = Path::new(raw);
    if !path.is_absolute() {
        return Err(local(ErrorCode::Io, format!("{raw} is not a full path.")));
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(not_granted());
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(p: &Path) -> String {
        p.to_string_lossy().into_owned()
    }

    #[test]
    fn a_picked_file_is_readable_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let picked = dir.path().join("picked.txt");
        let other = dir.path().join("other.txt");
        std::fs::write(&picked, b"x").unwrap();
        std::fs::write(&other, b"y").unwrap();
        let g = Grants::default();
        assert_eq!(g.upload_paths(&[s(&picked)]).unwrap_err().code, NOT_GRANTED);
        g.allow_read([&picked]);
        assert_eq!(
            g.upload_paths(&[s(&picked)]).unwrap(),
            [picked.canonicalize().unwrap()]
        );
        let e = g.upload_paths(&[s(&picked), s(&other)]).unwrap_err();
        assert_eq!(e.code, NOT_GRANTED, "one refused path refuses the batch");
        assert_eq!(g.upload_paths(&[]).unwrap_err().code, "not_allowed");
        assert_eq!(g.upload_paths(&["rel/x".into()]).unwrap_err().code, "io");
    }

    #[test]
    fn a_missing_path_is_reported_only_inside_a_granted_folder() {
        let dir = tempfile::tempdir().unwrap();
        let g = Grants::default();
        g.allow_read([dir.path()]);
        let gone = s(&dir.path().join("gone.bin"));
        assert_eq!(g.upload_paths(&[gone]).unwrap_err().code, "io");
        let elsewhere = "/no/such/place/secret.key".to_string();
        assert_eq!(g.upload_paths(&[elsewhere]).unwrap_err().code, NOT_GRANTED);
    }

    #[test]
    fn downloads_go_to_picked_folders_or_the_saved_one() {
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("Downloads");
        let picked = dir.path().join("Picked");
        let dropped = dir.path().join("Dropped");
        for d in [&saved, &picked, &dropped] {
            std::fs::create_dir(d).unwrap();
        }
        let g = Grants::default();
        g.allow_read([&dropped]);
        let saved_s = s(&saved);
        assert_eq!(
            g.download_dir(None, &saved_s).unwrap(),
            saved.canonicalize().unwrap()
        );
        assert!(g.download_dir(Some(&saved_s), &saved_s).is_ok());
        let picked_s = s(&picked);
        assert_eq!(
            g.download_dir(Some(&picked_s), &saved_s).unwrap_err().code,
            NOT_GRANTED
        );
        assert_eq!(
            g.download_dir(Some(&s(&dropped)), &saved_s)
                .unwrap_err()
                .code,
            NOT_GRANTED,
            "a dropped folder is for uploading, not for writing into"
        );
        g.allow_write(&picked);
        assert!(g.download_dir(Some(&picked_s), &saved_s).is_ok());
        let below = picked.join("sub");
        std::fs::create_dir(&below).unwrap();
        assert_eq!(
            g.download_dir(Some(&s(&below)), &saved_s).unwrap_err().code,
            NOT_GRANTED,
            "only the picked folder itself"
        );
        let gone = s(&dir.path().join("gone"));
        assert_eq!(g.download_dir(None, &gone).unwrap_err().code, "io");
    }

    #[test]
    fn the_settings_folder_changes_only_to_a_picked_one() {
        let dir = tempfile::tempdir().unwrap();
        let saved = s(dir.path());
        let picked = dir.path().join("Picked");
        std::fs::create_dir(&picked).unwrap();
        let autostart = dir.path().join(".config/autostart");
        std::fs::create_dir_all(&autostart).unwrap();
        let g = Grants::default();
        assert!(g.settings_download_dir(&saved, &saved).is_ok());
        assert!(g.settings_download_dir("", &saved).is_ok());
        let e = g.settings_download_dir(&s(&autostart), &saved).unwrap_err();
        assert_eq!(e.code, NOT_GRANTED);
        assert_eq!(
            g.settings_download_dir(&s(&picked), &saved)
                .unwrap_err()
                .code,
            NOT_GRANTED
        );
        g.allow_write(&picked);
        assert!(g.settings_download_dir(&s(&picked), &saved).is_ok());
    }
}
