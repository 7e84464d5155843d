//! Reading the local folder: which files there are (after the exclusions), their size,
//! modification time and inode, and which are still being written.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::error::CoreError;

/// Left out of every backup: temporary, partial and system files.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".DS_Store",
    "._*",
    ".Spotlight-V100/",
    ".Trashes/",
    ".fseventsd/",
    "Thumbs.db",
    "ehthumbs.db",
    "desktop.ini",
    "$RECYCLE.BIN/",
    "System Volume Information/",
    ".Trash-*/",
    "lost+found/",
    "*.tmp",
    "*.temp",
    "*.part",
    "*.partial",
    "*.crdownload",
    "*.download",
    "*.swp",
    "*.swo",
    "*~",
    "~$*",
    ".~lock.*#",
    ".#*",
];

/// A file of the folder, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalFile {
    /// Relative to the backup's folder, with '/'.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    /// Nanoseconds since the epoch.
    pub mtime: i64,
    pub inode: u64,
    /// The last change (content or metadata) is older than the settle time.
    pub stable: bool,
}

/// What a scan found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub files: Vec<LocalFile>,
    pub excluded: u64,
    /// Entries that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
}

/// The exclusions of a job: the defaults plus the user's lines (gitignore syntax, relative
/// to the folder), plus a `.fichierignore` file at the folder's top if there is one.
pub(crate) fn matcher(root: &Path, user: &[String]) -> Result<Gitignore, CoreError> {
    let mut b = GitignoreBuilder::new(root);
    for line in DEFAULT_EXCLUDES {
        b.add_line(None, line).map_err(bad_pattern)?;
    }
    for line in user {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        b.add_line(None, line).map_err(bad_pattern)?;
    }
    let own = root.join(".fichierignore");
    if own.is_file()
        && let Some(e) = b.add(&own)
    {
        return Err(bad_pattern(e));
    }
    b.build().map_err(bad_pattern)
}

fn bad_pattern(e: ignore::Error) -> CoreError {
    CoreError::InvalidInput {
        reason: format!("an exclusion pattern is not valid: {e}"),
    }
}

/// Checks the user's patterns without a folder (for the front ends' forms).
pub fn check_excludes(lines: &[String]) -> Result<(), CoreError> {
    matcher(Path::new("/"), lines).map(|_| ())
}

/// Walks `root`. `settle`: how long a file must have been left alone to be taken.
/// `progress` is called now and then with the number of files seen.
pub(crate) fn scan(
    root: &Path,
    excludes: &Gitignore,
    settle: Duration,
    progress: &mut dyn FnMut(u64),
) -> Result<Scan, CoreError> {
    let meta = std::fs::metadata(root).map_err(|e| CoreError::SourceUnreadable {
        path: root.to_path_buf(),
        detail: e.to_string(),
    })?;
    if !meta.is_dir() {
        return Err(CoreError::InvalidInput {
            reason: format!("{} is not a folder", root.display()),
        });
    }
    let now = SystemTime::now();
    let mut out = Scan::default();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.unreadable.push((rel.clone(), e.to_string()));
                continue;
            }
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        names.sort_by_key(|e| e.file_name());
        for entry in names {
            let name = entry.file_name().to_string_lossy().into_owned();
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let path = entry.path();
            // Not followed: a link could leave the folder or loop.
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                out.unreadable
                    .push((child_rel, "the file vanished while it was read".into()));
                continue;
            };
            let is_dir = meta.is_dir();
            if excludes.matched(&path, is_dir).is_ignore() {
                out.excluded += 1;
                continue;
            }
            if is_dir {
                stack.push((path, child_rel));
            } else if meta.is_file() {
                let changed = last_change(&meta);
                let stable = now
                    .duration_since(changed)
                    .map(|age| age >= settle)
                    .unwrap_or(false);
                out.files.push(LocalFile {
                    rel: child_rel,
                    abs: path,
                    size: meta.len(),
                    mtime: nanos(meta.modified().unwrap_or(UNIX_EPOCH)),
                    inode: inode(&meta),
                    stable,
                });
                if out.files.len() % 500 == 0 {
                    progress(out.files.len() as u64);
                }
            } else {
                // Sockets, devices, links.
                out.excluded += 1;
            }
        }
    }
    progress(out.files.len() as u64);
    Ok(out)
}

/// Size, modification time and inode now, to tell whether a file moved under us.
pub(crate) fn stat(path: &Path) -> Option<(u64, i64, u64)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some((
        meta.len(),
        nanos(meta.modified().unwrap_or(UNIX_EPOCH)),
        inode(&meta),
    ))
}

fn nanos(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos().min(i64::MAX as u128) as i64)
        .unwrap_or(0)
}

/// The latest of the modification and status-change times: a copy that kept an old
/// modification time (`cp -p`) still shows as just written.
fn last_change(meta: &std::fs::Metadata) -> SystemTime {
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ctime = UNIX_EPOCH
            + Duration::new(
                meta.ctime().max(0) as u64,
                meta.ctime_nsec().clamp(0, 999_999_999) as u32,
            );
        modified.max(ctime)
    }
    #[cfg(not(unix))]
    {
        modified
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.ino()
}

#[cfg(not(unix))]
fn inode(_meta: &std::fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(s: &Scan) -> Vec<&str> {
        let mut v: Vec<&str> = s.files.iter().map(|f| f.rel.as_str()).collect();
        v.sort();
        v
    }

    #[test]
    fn exclusions_hold_defaults_user_lines_and_the_folder_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/cache")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        for f in [
            "a/keep.txt",
            "a/cache/x.bin",
            "a/.DS_Store",
            "b/movie.mkv.part",
            "b/~$report.docx",
            "b/notes.md",
            "b/draft.log",
            "top.iso",
        ] {
            std::fs::write(root.join(f), b"x").unwrap();
        }
        std::fs::write(root.join(".fichierignore"), "*.iso\n").unwrap();
        let m = matcher(root, &["cache/".into(), "*.log".into(), "# comment".into()]).unwrap();
        let s = scan(root, &m, Duration::ZERO, &mut |_| {}).unwrap();
        assert_eq!(rels(&s), vec![".fichierignore", "a/keep.txt", "b/notes.md"]);
        assert_eq!(s.excluded, 6);
        assert!(s.files.iter().all(|f| f.stable));
    }

    #[test]
    fn a_file_just_written_is_not_stable_yet() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fresh.txt"), b"x").unwrap();
        let m = matcher(dir.path(), &[]).unwrap();
        let s = scan(dir.path(), &m, Duration::from_secs(60), &mut |_| {}).unwrap();
        assert_eq!(s.files.len(), 1);
        assert!(!s.files[0].stable);
    }

    #[test]
    fn a_bad_pattern_is_refused_with_a_reason() {
        let err = check_excludes(&["[z-a]".into()]).unwrap_err();
        assert_eq!(err.code(), "invalid_request");
        assert!(err.to_string().contains("exclusion"), "{err}");
    }

    #[test]
    fn hashes_match_the_one_shot_digest() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let data = vec![7u8; 3 << 20];
        std::fs::write(&p, &data).unwrap();
        assert_eq!(
            crate::hashing::whirlpool_file(&p).unwrap(),
            crate::hashing::whirlpool_hex(&data)
        );
    }
}
