//! Cached answers of the rate-limited reads (user/info, folder and file listings), and how
//! our own changes are folded into them so the UI never shows stale data and never has to
//! list the same folder twice within 30 s.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

mod patch;

use serde::Serialize;

use crate::types::{
    FileItem, FileList, FileLsRequest, FolderListing, FolderLsRequest, FtpUser, UserInfo,
};

/// A value that may have come from the account's cache.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cached<T> {
    pub value: T,
    /// `true` when no call was made.
    pub from_cache: bool,
    /// How old the answer is (zero for a fresh one).
    pub age: Duration,
}

impl<T> Cached<T> {
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for Cached<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

struct Entry<T> {
    at: Instant,
    value: T,
}

/// Folder listings are keyed by folder and sharer; `with_files` says whether `items` is
/// filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FolderKey {
    folder_id: i64,
    sharing_user: Option<String>,
}

struct FolderEntry {
    entry: Entry<FolderListing>,
    with_files: bool,
}

#[derive(Default)]
struct CacheState {
    user_info: Option<Entry<UserInfo>>,
    folders: HashMap<FolderKey, FolderEntry>,
    files: HashMap<FileLsRequest, Entry<FileList>>,
    ftp_users: Option<Entry<Vec<FtpUser>>>,
}

#[derive(Default)]
pub(crate) struct ResponseCache {
    state: Mutex<CacheState>,
}

impl ResponseCache {
    fn state(&self) -> MutexGuard<'_, CacheState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn clear(&self) {
        *self.state() = CacheState::default();
    }

    // ------------------------------------------------------------ reads

    pub fn user_info(&self, now: Instant, ttl: Duration) -> Option<Cached<UserInfo>> {
        let st = self.state();
        let e = st.user_info.as_ref()?;
        fresh(e, now, ttl)
    }

    /// When the cached account information was fetched.
    pub fn user_info_at(&self) -> Option<Instant> {
        self.state().user_info.as_ref().map(|e| e.at)
    }

    pub fn user_info_entry(&self) -> Option<(Instant, UserInfo)> {
        let st = self.state();
        st.user_info.as_ref().map(|e| (e.at, e.value.clone()))
    }

    pub fn put_user_info(&self, now: Instant, info: UserInfo) {
        self.state().user_info = Some(Entry {
            at: now,
            value: info,
        });
    }

    pub fn ftp_users(&self, now: Instant, ttl: Duration) -> Option<Cached<Vec<FtpUser>>> {
        fresh(self.state().ftp_users.as_ref()?, now, ttl)
    }

    pub fn put_ftp_users(&self, now: Instant, users: Vec<FtpUser>) {
        self.state().ftp_users = Some(Entry {
            at: now,
            value: users,
        });
    }

    /// Our own change to the FTP accounts, applied to the cached list (the list keeps its
    /// age): `added` joins it, `removed` leaves it.
    pub fn on_ftp_change(&self, added: Option<FtpUser>, removed: Option<&str>) {
        let mut st = self.state();
        let Some(e) = st.ftp_users.as_mut() else {
            return;
        };
        if let Some(gone) = removed {
            e.value.retain(|u| u.user != gone);
        }
        if let Some(new) = added {
            e.value.retain(|u| u.user != new.user);
            e.value.push(new);
        }
    }

    pub fn folder(
        &self,
        req: &FolderLsRequest,
        now: Instant,
        ttl: Duration,
    ) -> Option<Cached<FolderListing>> {
        let st = self.state();
        let fe = st.folders.get(&folder_key(req))?;
        if req.files && !fe.with_files {
            return None;
        }
        let mut hit = fresh(&fe.entry, now, ttl)?;
        if !req.files {
            hit.value.items.clear();
        }
        Some(hit)
    }

    pub fn put_folder(&self, req: &FolderLsRequest, now: Instant, listing: FolderListing) {
        self.state().folders.insert(
            folder_key(req),
            FolderEntry {
                entry: Entry {
                    at: now,
                    value: listing,
                },
                with_files: req.files,
            },
        );
    }

    pub fn files(
        &self,
        req: &FileLsRequest,
        now: Instant,
        ttl: Duration,
    ) -> Option<Cached<FileList>> {
        let st = self.state();
        fresh(st.files.get(req)?, now, ttl)
    }

    pub fn put_files(&self, req: &FileLsRequest, now: Instant, list: FileList) {
        self.state().files.insert(
            req.clone(),
            Entry {
                at: now,
                value: list,
            },
        );
    }
}

fn fresh<T: Clone>(e: &Entry<T>, now: Instant, ttl: Duration) -> Option<Cached<T>> {
    let age = now.saturating_duration_since(e.at);
    (age < ttl).then(|| Cached {
        value: e.value.clone(),
        from_cache: true,
        age,
    })
}

fn folder_key(req: &FolderLsRequest) -> FolderKey {
    FolderKey {
        folder_id: req.folder_id,
        sharing_user: req.sharing_user.clone(),
    }
}

impl ResponseCache {
    /// A file seen in a cached listing, with the folder it was listed in. A 1fichier URL
    /// always names the same bytes, so its size and Whirlpool stay true however old the
    /// listing is (our own renames and moves are folded in).
    pub fn known_file(&self, url: &str) -> Option<(FileItem, i64)> {
        let st = self.state();
        // Someone else's shared folder is left out: its ids are not ours.
        st.folders
            .iter()
            .filter(|(k, _)| k.sharing_user.is_none())
            .flat_map(|(k, fe)| fe.entry.value.items.iter().map(move |i| (i, k.folder_id)))
            .chain(
                st.files
                    .iter()
                    .filter(|(req, _)| req.folder_id >= 0 && req.sharing_user.is_none())
                    .flat_map(|(req, e)| e.value.items.iter().map(move |i| (i, req.folder_id))),
            )
            .find(|(i, _)| i.url == url)
            .map(|(i, folder)| (i.clone(), folder))
    }
}

#[cfg(test)]
mod tests;
