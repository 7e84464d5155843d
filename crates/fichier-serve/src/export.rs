//! Export for media servers: a local tree of `.strm` files (Jellyfin, Emby and Kodi read
//! one as the video it points at) and an `.m3u` playlist per folder, mirroring a 1fichier
//! folder, each pointing at a stream link. Running it again updates the tree: new files
//! get a link, changed links are rewritten, and links to files gone from 1fichier are
//! removed. Only `.strm` and `.m3u` files this export wrote are ever removed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fichier_api::ApiError;
use fichier_core::library::Library;
use fichier_core::safe_local_name;
use serde::Serialize;

use crate::stats::Stats;
use crate::tree::Tree;

/// What an export did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub dir: String,
    pub written: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub folders: u64,
    pub playlists: u64,
}

/// Files a player or a media server plays.
pub fn is_media(name: &str) -> bool {
    const EXT: [&str; 26] = [
        "mkv", "mp4", "m4v", "avi", "mov", "wmv", "flv", "webm", "ts", "m2ts", "mts", "mpg",
        "mpeg", "vob", "ogv", "3gp", "mp3", "flac", "m4a", "aac", "ogg", "opus", "wav", "wma",
        "iso", "divx",
    ];
    name.rsplit_once('.')
        .is_some_and(|(_, e)| EXT.contains(&e.to_ascii_lowercase().as_str()))
}

/// Folders deeper than this are left out (a loop in the account can't run forever).
const MAX_DEPTH: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("Couldn't write in {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Writes the export of folder `folder_id` into `dir`, with links built on `link_base`
/// (`http://127.0.0.1:PORT/s/SECRET`). Listings come through the same cache and pacer as
/// everything else.
pub async fn export_strm(
    library: &Library,
    folder_id: i64,
    dir: &Path,
    link_base: &str,
) -> Result<ExportReport, ExportError> {
    let tree = Tree::new(
        library.clone(),
        Arc::new(Stats::default()),
        std::time::Duration::from_secs(3600),
    );
    let mut report = ExportReport {
        dir: dir.display().to_string(),
        ..ExportReport::default()
    };
    let mut stack: Vec<(i64, PathBuf, usize)> = vec![(folder_id, dir.to_path_buf(), 0)];
    while let Some((id, local, depth)) = stack.pop() {
        let listing = tree.listing(id).await?;
        mkdir(&local)?;
        report.folders += 1;
        let mut keep: HashSet<PathBuf> = HashSet::new();
        let mut playlist = String::from("#EXTM3U\n");
        let mut entries = 0;
        for f in &listing.files {
            if !is_media(&f.name) {
                continue;
            }
            let Some(link) = crate::stream_link_base(link_base, &f.entry.url, &f.name) else {
                continue;
            };
            let safe = safe_local_name(&f.name);
            let stem = safe.rsplit_once('.').map_or(safe.as_str(), |(s, _)| s);
            let path = local.join(format!("{stem}.strm"));
            if write_if_changed(&path, &format!("{link}\n"))? {
                report.written += 1;
            } else {
                report.unchanged += 1;
            }
            keep.insert(path);
            let title = stem.replace(['\r', '\n'], " ");
            playlist.push_str(&format!("#EXTINF:-1,{title}\n{link}\n"));
            entries += 1;
        }
        let mut sub_names = HashSet::new();
        for sub in &listing.folders {
            let name = safe_local_name(&sub.name);
            sub_names.insert(name.clone());
            if depth + 1 < MAX_DEPTH {
                stack.push((sub.id, local.join(name), depth + 1));
            }
        }
        let list_name = format!(
            "{}.m3u",
            if listing.name.is_empty() || id == 0 {
                "1fichier".to_string()
            } else {
                safe_local_name(&listing.name)
            }
        );
        let list_path = local.join(&list_name);
        if entries > 0 {
            write_if_changed(&list_path, &playlist)?;
            report.playlists += 1;
            keep.insert(list_path);
        }
        report.removed += remove_stale(&local, &keep)?;
    }
    Ok(report)
}

fn mkdir(p: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(p).map_err(|source| ExportError::Io {
        path: p.display().to_string(),
        source,
    })
}

/// Writes `text` unless the file already says it; `true` when it wrote.
fn write_if_changed(path: &Path, text: &str) -> Result<bool, ExportError> {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return Ok(false);
    }
    let io = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let tmp = path.with_extension("strm-new");
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(true)
}

/// Removes the `.strm` and `.m3u` files of `dir` that this run didn't write: links to
/// files that left the folder. Anything else there is the user's and stays.
fn remove_stale(dir: &Path, keep: &HashSet<PathBuf>) -> Result<u64, ExportError> {
    let mut removed = 0;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    for e in rd.flatten() {
        let p = e.path();
        let ours = p.extension().is_some_and(|x| x == "strm" || x == "m3u");
        if ours && p.is_file() && !keep.contains(&p) {
            // Only a file that is one link line (what we write) is ours to remove.
            let looks_ours = std::fs::read_to_string(&p).is_ok_and(|t| {
                t.contains("/s/") && (t.starts_with("http") || t.starts_with("#EXTM3U"))
            });
            if looks_ours && std::fs::remove_file(&p).is_ok() {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_names() {
        assert!(is_media("Film (2020).MKV"));
        assert!(is_media("song.flac"));
        assert!(!is_media("notes.txt"));
        assert!(!is_media("mkv"));
    }

    #[test]
    fn stale_links_go_and_the_users_files_stay() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("old.strm"),
            "http://127.0.0.1:1/s/S/abc/old.mkv\n",
        )
        .unwrap();
        std::fs::write(d.path().join("mine.strm"), "my own notes").unwrap();
        std::fs::write(d.path().join("poster.jpg"), "x").unwrap();
        let kept = d.path().join("kept.strm");
        std::fs::write(&kept, "http://127.0.0.1:1/s/S/def/kept.mkv\n").unwrap();
        let keep: HashSet<PathBuf> = [kept.clone()].into();
        assert_eq!(remove_stale(d.path(), &keep).unwrap(), 1);
        assert!(
            kept.exists()
                && d.path().join("mine.strm").exists()
                && d.path().join("poster.jpg").exists()
        );
        assert!(!d.path().join("old.strm").exists());
    }
}
