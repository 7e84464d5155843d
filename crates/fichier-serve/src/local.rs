//! What 1fichier can't keep and file managers need: empty files and the desktop's
//! housekeeping files (`._name`, `.DS_Store`, `desktop.ini`…) kept on this side,
//! properties set with PROPPATCH, and locks that run out.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use dav_server::davpath::DavPath;
use dav_server::fs::DavProp;
use dav_server::ls::{DavLock, DavLockSystem, LsFuture};
use dav_server::memls::MemLs;
use futures_util::FutureExt;

/// One local file's most bytes, and all of them together.
pub const MAX_LOCAL_FILE: usize = 1 << 20;
pub const MAX_LOCAL_TOTAL: usize = 32 << 20;

/// Names never sent to 1fichier: what desktops write beside every file they touch.
pub fn is_housekeeping(name: &str) -> bool {
    name.starts_with("._")
        || matches!(
            name,
            ".DS_Store"
                | ".localized"
                | "desktop.ini"
                | "Desktop.ini"
                | "Thumbs.db"
                | ".TemporaryItems"
                | ".Trashes"
                | ".Spotlight-V100"
                | ".fseventsd"
                | ".hidden"
        )
}

/// Zero-byte files at the root that tell macOS not to index or thumbnail the drive (which
/// would read every video).
pub const ROOT_HINTS: [&str; 3] = [
    ".metadata_never_index",
    ".ql_disablethumbnails",
    ".ql_disablecache",
];

#[derive(Debug, Clone)]
pub struct LocalFile {
    pub data: Arc<Vec<u8>>,
    pub modified: SystemTime,
}

/// Local files by full path ("/Films/._a.mkv"), and dead properties by path.
#[derive(Default)]
pub struct Local {
    files: Mutex<BTreeMap<String, LocalFile>>,
    props: Mutex<HashMap<String, Vec<DavProp>>>,
}

fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || (path.starts_with(prefix)
            && (prefix.ends_with('/') || path.as_bytes().get(prefix.len()) == Some(&b'/')))
}

impl Local {
    pub fn file(&self, path: &str) -> Option<LocalFile> {
        self.files.lock().unwrap().get(path).cloned()
    }

    /// The local files directly in folder `dir` ("/" or "/a/b"), with their names.
    pub fn in_folder(&self, dir: &str) -> Vec<(String, LocalFile)> {
        let prefix = if dir.ends_with('/') {
            dir.to_string()
        } else {
            format!("{dir}/")
        };
        self.files
            .lock()
            .unwrap()
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(k, _)| !k[prefix.len()..].contains('/'))
            .map(|(k, v)| (k[prefix.len()..].to_string(), v.clone()))
            .collect()
    }

    /// Stores a local file; `false` when it would go over the caps.
    pub fn put(&self, path: &str, data: Vec<u8>) -> bool {
        let mut files = self.files.lock().unwrap();
        let others: usize = files
            .iter()
            .filter(|(k, _)| *k != path)
            .map(|(_, v)| v.data.len())
            .sum();
        if data.len() > MAX_LOCAL_FILE || others + data.len() > MAX_LOCAL_TOTAL {
            return false;
        }
        files.insert(
            path.to_string(),
            LocalFile {
                data: Arc::new(data),
                modified: SystemTime::now(),
            },
        );
        true
    }

    pub fn remove(&self, path: &str) -> bool {
        self.files.lock().unwrap().remove(path).is_some()
    }

    /// Moves local files and properties at `from` (and under it) to `to`.
    pub fn rename(&self, from: &str, to: &str) {
        {
            let mut files = self.files.lock().unwrap();
            let moved: Vec<String> = files.keys().filter(|k| under(k, from)).cloned().collect();
            for k in moved {
                if let Some(v) = files.remove(&k) {
                    files.insert(format!("{to}{}", &k[from.len()..]), v);
                }
            }
        }
        let mut props = self.props.lock().unwrap();
        let moved: Vec<String> = props.keys().filter(|k| under(k, from)).cloned().collect();
        for k in moved {
            if let Some(v) = props.remove(&k) {
                props.insert(format!("{to}{}", &k[from.len()..]), v);
            }
        }
    }

    /// Forgets everything at `path` and under it.
    pub fn forget(&self, path: &str) {
        self.files.lock().unwrap().retain(|k, _| !under(k, path));
        self.props.lock().unwrap().retain(|k, _| !under(k, path));
    }

    pub fn copy_props(&self, from: &str, to: &str) {
        let mut props = self.props.lock().unwrap();
        if let Some(p) = props.get(from).cloned() {
            props.insert(to.to_string(), p);
        } else {
            props.remove(to);
        }
    }

    pub fn has_props(&self, path: &str) -> bool {
        self.props
            .lock()
            .unwrap()
            .get(path)
            .is_some_and(|p| !p.is_empty())
    }

    pub fn props(&self, path: &str) -> Vec<DavProp> {
        self.props
            .lock()
            .unwrap()
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    pub fn prop(&self, path: &str, want: &DavProp) -> Option<Vec<u8>> {
        self.props
            .lock()
            .unwrap()
            .get(path)?
            .iter()
            .find(|p| same(p, want))
            .and_then(|p| p.xml.clone())
    }

    /// Sets (`true`) or removes properties; all of them or none, as PROPPATCH says.
    pub fn patch(&self, path: &str, patch: Vec<(bool, DavProp)>) -> Vec<(u16, DavProp)> {
        const MAX_PROPS: usize = 256;
        const MAX_BYTES: usize = 64 << 10;
        let mut props = self.props.lock().unwrap();
        let mut next = props.get(path).cloned().unwrap_or_default();
        for (set, p) in &patch {
            next.retain(|q| !same(q, p));
            if *set {
                next.push(p.clone());
            }
        }
        let bytes: usize = next
            .iter()
            .map(|p| p.xml.as_ref().map_or(0, |x| x.len()))
            .sum();
        let ok = next.len() <= MAX_PROPS && bytes <= MAX_BYTES;
        if ok {
            props.insert(path.to_string(), next);
        }
        let status = if ok { 200 } else { 507 };
        patch
            .into_iter()
            .map(|(_, mut p)| {
                p.xml = None;
                (status, p)
            })
            .collect()
    }
}

fn same(a: &DavProp, b: &DavProp) -> bool {
    a.name == b.name && a.namespace == b.namespace
}

/// Real locks (exclusive and shared, deep, owned) whose timeouts are kept: a client that
/// crashed holding one doesn't keep the file locked until the server restarts.
#[derive(Debug, Clone)]
pub struct Locks {
    inner: Box<MemLs>,
    max_timeout: Duration,
}

impl Locks {
    pub fn new(max_timeout: Duration) -> Box<Locks> {
        Box::new(Locks {
            inner: MemLs::new(),
            max_timeout,
        })
    }

    fn expired(l: &DavLock) -> bool {
        l.timeout_at.is_some_and(|t| t <= SystemTime::now())
    }

    fn cap(&self, t: Option<Duration>) -> Option<Duration> {
        Some(t.map_or(self.max_timeout, |t| t.min(self.max_timeout)))
    }

    /// Runs `attempt` again after removing each expired lock it conflicts with (a bounded
    /// number of times): only a live lock refuses.
    async fn past_expired<'a, T, F>(&'a self, mut attempt: F) -> Result<T, DavLock>
    where
        F: FnMut() -> LsFuture<'a, Result<T, DavLock>>,
    {
        for _ in 0..16 {
            match attempt().await {
                Err(l) if Self::expired(&l) => {
                    let _ = self.inner.unlock(&l.path, &l.token).await;
                }
                other => return other,
            }
        }
        attempt().await
    }
}

impl DavLockSystem for Locks {
    fn lock(
        &'_ self,
        path: &DavPath,
        principal: Option<&str>,
        owner: Option<&xmltree::Element>,
        timeout: Option<Duration>,
        shared: bool,
        deep: bool,
    ) -> LsFuture<'_, Result<DavLock, DavLock>> {
        let (path, principal, owner) =
            (path.clone(), principal.map(str::to_string), owner.cloned());
        let timeout = self.cap(timeout);
        async move {
            self.past_expired(|| {
                self.inner.lock(
                    &path,
                    principal.as_deref(),
                    owner.as_ref(),
                    timeout,
                    shared,
                    deep,
                )
            })
            .await
        }
        .boxed()
    }

    fn unlock(&'_ self, path: &DavPath, token: &str) -> LsFuture<'_, Result<(), ()>> {
        self.inner.unlock(path, token)
    }

    fn refresh(
        &'_ self,
        path: &DavPath,
        token: &str,
        timeout: Option<Duration>,
    ) -> LsFuture<'_, Result<DavLock, ()>> {
        self.inner.refresh(path, token, self.cap(timeout))
    }

    fn check(
        &'_ self,
        path: &DavPath,
        principal: Option<&str>,
        ignore_principal: bool,
        deep: bool,
        submitted_tokens: &[String],
    ) -> LsFuture<'_, Result<(), DavLock>> {
        let (path, principal) = (path.clone(), principal.map(str::to_string));
        let tokens = submitted_tokens.to_vec();
        async move {
            self.past_expired(|| {
                self.inner
                    .check(&path, principal.as_deref(), ignore_principal, deep, &tokens)
            })
            .await
        }
        .boxed()
    }

    fn discover(&'_ self, path: &DavPath) -> LsFuture<'_, Vec<DavLock>> {
        let path = path.clone();
        async move {
            let locks = self.inner.discover(&path).await;
            let mut live = Vec::with_capacity(locks.len());
            for l in locks {
                if Self::expired(&l) {
                    let _ = self.inner.unlock(&l.path, &l.token).await;
                } else {
                    live.push(l);
                }
            }
            live
        }
        .boxed()
    }

    fn delete(&'_ self, path: &DavPath) -> LsFuture<'_, Result<(), ()>> {
        self.inner.delete(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_files_are_listed_per_folder_and_move_with_it() {
        let l = Local::default();
        assert!(l.put("/a/._x", vec![1, 2]));
        assert!(l.put("/a/b/empty", vec![]));
        assert!(l.put("/ab/y", vec![]));
        let names: Vec<String> = l.in_folder("/a").into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["._x"]);
        l.rename("/a", "/c");
        assert!(l.file("/c/b/empty").is_some());
        assert!(
            l.file("/ab/y").is_some(),
            "a sibling with the same prefix stays"
        );
        l.forget("/c");
        assert!(l.in_folder("/c").is_empty());
        assert!(!l.put("/big", vec![0; MAX_LOCAL_FILE + 1]));
    }

    #[test]
    fn housekeeping_names() {
        assert!(is_housekeeping("._movie.mkv"));
        assert!(is_housekeeping(".DS_Store"));
        assert!(!is_housekeeping("movie.mkv"));
        assert!(!is_housekeeping(".config"));
    }
}
