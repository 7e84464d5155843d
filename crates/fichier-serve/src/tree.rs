//! The library as a tree of paths: folder listings from the client's cache (served even
//! when old, refreshed in the background within the listing rules), unique names for the
//! duplicates 1fichier allows, and a path walked down to a folder or a file.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use fichier_api::ApiError;
use fichier_core::library::{FileEntry, FolderView, Library};

use crate::stats::Stats;

/// A folder's entries under the names the server shows: unique within the folder.
#[derive(Debug, Clone)]
pub struct Listing {
    pub name: String,
    pub created: SystemTime,
    pub folders: Vec<FolderNode>,
    pub files: Vec<FileNode>,
}

#[derive(Debug, Clone)]
pub struct FolderNode {
    pub id: i64,
    pub name: String,
    pub created: SystemTime,
}

#[derive(Debug, Clone)]
pub struct FileNode {
    /// The name shown, "name (2).ext" for the second file of the same name.
    pub name: String,
    pub folder_id: i64,
    pub entry: FileEntry,
    pub date: SystemTime,
}

#[derive(Debug, Clone)]
pub enum Node {
    Folder(FolderNode),
    File(FileNode),
}

impl Listing {
    pub fn child(&self, name: &str) -> Option<Node> {
        if let Some(f) = self.folders.iter().find(|f| f.name == name) {
            return Some(Node::Folder(f.clone()));
        }
        self.files
            .iter()
            .find(|f| f.name == name)
            .map(|f| Node::File(f.clone()))
    }

    fn from_view(v: FolderView) -> Listing {
        let folder_id = v.folder.id;
        let mut taken: HashSet<String> = HashSet::new();
        let mut folders = Vec::new();
        let mut subs = v.sub_folders;
        subs.sort_by(|a, b| (&a.name, &a.create_date, a.id).cmp(&(&b.name, &b.create_date, b.id)));
        for s in subs {
            let name = unique(&s.name, &mut taken);
            folders.push(FolderNode {
                id: s.id,
                name,
                created: paris_time(&s.create_date),
            });
        }
        let mut files = v.files;
        // The oldest keeps the name; the order never depends on the listing's order.
        files.sort_by(|a, b| (&a.filename, &a.date, &a.url).cmp(&(&b.filename, &b.date, &b.url)));
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            let name = unique(&f.filename, &mut taken);
            out.push(FileNode {
                name,
                folder_id,
                date: paris_time(&f.date),
                entry: f,
            });
        }
        Listing {
            name: v.folder.name,
            created: paris_time(&v.folder.create_date),
            folders,
            files: out,
        }
    }
}

/// `name`, or "stem (2).ext", "stem (3).ext"… when it is taken.
pub fn unique(name: &str, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.to_string()) {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|c| taken.insert(c.clone()))
        .expect("an unused name")
}

/// 1fichier's dates are Paris wall-clock time without a zone.
pub fn paris_time(date: &str) -> SystemTime {
    use chrono::TimeZone;
    chrono::NaiveDateTime::parse_from_str(date.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .and_then(|n| chrono_tz::Europe::Paris.from_local_datetime(&n).earliest())
        .map(|t| SystemTime::from(t.with_timezone(&chrono::Utc)))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The folder listings the server answers from.
pub struct Tree {
    library: Library,
    stats: Arc<Stats>,
    /// Younger listings are used as they are; older ones are answered at once and
    /// listed again in the background.
    fresh_for: Duration,
    refreshing: Mutex<HashSet<i64>>,
    /// Listings seen, by folder, so a path keeps resolving while 1fichier makes us wait.
    known: Mutex<HashMap<i64, Arc<Listing>>>,
}

impl Tree {
    pub fn new(library: Library, stats: Arc<Stats>, fresh_for: Duration) -> Arc<Tree> {
        Arc::new(Tree {
            library,
            stats,
            fresh_for,
            refreshing: Mutex::new(HashSet::new()),
            known: Mutex::new(HashMap::new()),
        })
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    /// A folder's listing: from the cache when there is one (refreshed behind the answer
    /// when it is old), from 1fichier otherwise.
    pub async fn listing(self: &Arc<Self>, folder_id: i64) -> Result<Arc<Listing>, ApiError> {
        if let Some(view) = self.library.cached_folder(folder_id) {
            let old = Duration::from_secs(view.age_seconds) >= self.fresh_for;
            let listing = Arc::new(Listing::from_view(view));
            self.known
                .lock()
                .unwrap()
                .insert(folder_id, listing.clone());
            if old {
                self.refresh_behind(folder_id);
            }
            return Ok(listing);
        }
        if let Some(l) = self.known.lock().unwrap().get(&folder_id).cloned() {
            // The client's cache let it go (it is bounded): ours still answers.
            self.refresh_behind(folder_id);
            return Ok(l);
        }
        let view = self.library.list_folder(folder_id).await?;
        if !view.from_cache {
            self.stats
                .listings
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.stats.api_call();
        }
        let listing = Arc::new(Listing::from_view(view));
        self.known
            .lock()
            .unwrap()
            .insert(folder_id, listing.clone());
        Ok(listing)
    }

    /// One refresh in flight per folder; the pacer keeps it within the 30 s rule.
    fn refresh_behind(self: &Arc<Self>, folder_id: i64) {
        if !self.refreshing.lock().unwrap().insert(folder_id) {
            return;
        }
        let me = self.clone();
        tokio::spawn(async move {
            me.stats
                .listings
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            me.stats.api_call();
            match me.library.refresh_folder(folder_id).await {
                Ok(view) => {
                    let l = Arc::new(Listing::from_view(view));
                    me.known.lock().unwrap().insert(folder_id, l);
                }
                Err(ApiError::NotFound { .. }) => {
                    me.known.lock().unwrap().remove(&folder_id);
                }
                Err(e) => tracing::debug!(folder_id, "background listing failed: {e}"),
            }
            me.refreshing.lock().unwrap().remove(&folder_id);
        });
    }

    /// Forgets our copy of a folder after a change the client's cache can't patch.
    pub fn forget(&self, folder_id: i64) {
        self.known.lock().unwrap().remove(&folder_id);
    }

    /// Walks `segments` down from the root. `Ok(None)` when a segment names nothing.
    pub async fn resolve(self: &Arc<Self>, segments: &[String]) -> Result<Option<Node>, ApiError> {
        let mut node = Node::Folder(self.root().await?);
        for seg in segments {
            let Node::Folder(f) = &node else {
                return Ok(None);
            };
            let l = self.listing(f.id).await?;
            match l.child(seg) {
                Some(n) => node = n,
                None => return Ok(None),
            }
        }
        Ok(Some(node))
    }

    pub async fn root(self: &Arc<Self>) -> Result<FolderNode, ApiError> {
        let l = self.listing(0).await?;
        Ok(FolderNode {
            id: 0,
            name: String::new(),
            created: l.created,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_get_numbered_names_and_folders_keep_theirs() {
        let mut taken = HashSet::new();
        assert_eq!(unique("a.mkv", &mut taken), "a.mkv");
        assert_eq!(unique("a.mkv", &mut taken), "a (2).mkv");
        assert_eq!(unique("a.mkv", &mut taken), "a (3).mkv");
        assert_eq!(unique("a (2).mkv", &mut taken), "a (2) (2).mkv");
        assert_eq!(unique(".hidden", &mut taken), ".hidden");
        assert_eq!(unique(".hidden", &mut taken), ".hidden (2)");
        assert_eq!(unique("noext", &mut taken), "noext");
        assert_eq!(unique("noext", &mut taken), "noext (2)");
    }

    #[test]
    fn paris_dates_become_utc() {
        let t = paris_time("2024-07-01 12:00:00");
        let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        // 12:00 in Paris in summer is 10:00 UTC.
        assert_eq!(secs, 1_719_828_000);
        let w = paris_time("2024-01-15 12:00:00");
        assert_eq!(
            w.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            1_705_316_400
        );
        assert_eq!(paris_time("garbage"), SystemTime::UNIX_EPOCH);
    }
}
