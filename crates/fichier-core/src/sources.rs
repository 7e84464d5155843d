//! What an upload of some paths means: the files they name, folders walked, each with
//! its folder relative to the destination.

use std::path::{Path, PathBuf};

use crate::error::CoreError;

pub(crate) fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The files `paths` name, folders walked: each with its folder path relative to the
/// upload destination (`None` for a file named itself).
pub(crate) fn upload_sources(
    paths: &[PathBuf],
) -> Result<Vec<(PathBuf, Option<String>)>, CoreError> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| CoreError::SourceUnreadable {
            path: p.clone(),
            detail: e.to_string(),
        })?;
        if meta.is_dir() {
            let top = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let root = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
            walk(p, &top, &root, &mut files)?;
        } else {
            files.push((p.clone(), None));
        }
    }
    Ok(files)
}

/// Collects the files under `dir`, each with its folder path relative to the upload
/// destination (`top/sub/...`). Symbolic links to folders are not followed.
/// A symbolic link to a file is followed only when the file lies inside the folder being
/// uploaded (`root`): a link pointing elsewhere (`~/.ssh/id_ed25519`) is left out.
fn walk(
    dir: &Path,
    rel: &str,
    root: &Path,
    out: &mut Vec<(PathBuf, Option<String>)>,
) -> Result<(), CoreError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| CoreError::SourceUnreadable {
            path: dir.to_path_buf(),
            detail: e.to_string(),
        })?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        if ft.is_dir() {
            walk(&path, &format!("{rel}/{name}"), root, out)?;
        } else if ft.is_file()
            || (ft.is_symlink()
                && path.is_file()
                && std::fs::canonicalize(&path).is_ok_and(|t| t.starts_with(root)))
        {
            out.push((path, Some(rel.to_string())));
        }
    }
    Ok(())
}
