//! Cached answers of the rate-limited reads (user/info, folder and file listings), and how
//! our own changes are folded into them so the UI never shows stale data and never has to
//! list the same folder twice within 30 s.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::types::{
    ChattrRequest, Copied, CreatedFolder, FileItem, FileList, FileLsRequest, FolderListing,
    FolderLsRequest, FolderMoved, FolderMvRequest, FtpUser, SubFolder, UserInfo, UserSettings,
};

/// A value that may have come from the pacer's cache.
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

    // ------------------------------------------------------------ our own changes

    pub fn on_user_settings(&self, settings: &UserSettings) {
        if let Some(e) = self.state().user_info.as_mut() {
            settings.apply_to(&mut e.value);
        }
    }

    pub fn on_folder_created(&self, parent: i64, created: &CreatedFolder, name: &str) {
        let mut st = self.state();
        let sub = SubFolder {
            id: created.folder_id,
            name: if created.name.is_empty() {
                name.to_string()
            } else {
                created.name.clone()
            },
            create_date: String::new(),
            pass: false,
            email: None,
        };
        for (k, fe) in st.folders.iter_mut() {
            if k.folder_id == parent && !fe.entry.value.sub_folders.iter().any(|s| s.id == sub.id) {
                fe.entry.value.sub_folders.push(sub.clone());
            }
        }
    }

    pub fn on_folder_removed(&self, id: i64) {
        let mut st = self.state();
        st.folders.retain(|k, _| k.folder_id != id);
        st.files.retain(|k, _| k.folder_id != id);
        for fe in st.folders.values_mut() {
            fe.entry.value.sub_folders.retain(|s| s.id != id);
        }
    }

    pub fn on_folder_moved(&self, req: &FolderMvRequest, answer: &FolderMoved) {
        let mut st = self.state();
        // Where it was, and what we knew of it.
        let mut known: Option<SubFolder> = None;
        let mut old_parents = Vec::new();
        for (k, fe) in st.folders.iter_mut() {
            if let Some(pos) = fe
                .entry
                .value
                .sub_folders
                .iter()
                .position(|s| s.id == req.folder_id)
            {
                known = Some(fe.entry.value.sub_folders.remove(pos));
                old_parents.push(k.folder_id);
            }
        }
        if let Some(name) = &req.rename {
            for (k, fe) in st.folders.iter_mut() {
                if k.folder_id == req.folder_id {
                    fe.entry.value.name = name.clone();
                }
            }
        }
        // Not seen in any cached listing: what the answer tells is enough for an entry.
        if known.is_none()
            && let Some(name) = req.rename.clone().or_else(|| answer.new_name.clone())
        {
            known = Some(SubFolder {
                id: req.folder_id,
                name,
                create_date: String::new(),
                pass: false,
                email: None,
            });
        }
        let targets: Vec<i64> = match req.destination_folder_id {
            Some(d) => vec![d],
            None => old_parents,
        };
        for target in targets {
            let keys: Vec<FolderKey> = st
                .folders
                .keys()
                .filter(|k| k.folder_id == target)
                .cloned()
                .collect();
            for k in keys {
                match &known {
                    Some(sub) => {
                        let mut sub = sub.clone();
                        if let Some(n) = &req.rename {
                            sub.name = n.clone();
                        }
                        if let Some(fe) = st.folders.get_mut(&k) {
                            fe.entry.value.sub_folders.push(sub);
                        }
                    }
                    // We don't know enough to patch it: forget it (the next listing
                    // still respects the interval).
                    None => {
                        st.folders.remove(&k);
                    }
                }
            }
        }
    }

    /// A folder shared (with or without a password) or unshared: its own listing and its
    /// entry in its parent's.
    pub fn on_folder_shared(&self, id: i64, url: Option<String>, pass: bool) {
        let mut st = self.state();
        for (k, fe) in st.folders.iter_mut() {
            if k.folder_id == id {
                fe.entry.value.shared = url.clone();
                fe.entry.value.pass = pass;
            }
            for sub in fe.entry.value.sub_folders.iter_mut().filter(|s| s.id == id) {
                sub.pass = pass;
            }
        }
    }

    /// Files removed: out of every listing.
    pub fn on_files_removed(&self, urls: &[String]) {
        let mut st = self.state();
        let freed: u64 = find_items(&st, urls).iter().map(|i| i.size).sum();
        remove_items(&mut st, urls, true);
        storage_changed(&mut st, -(freed as i64));
    }

    /// Files moved (their URLs don't change).
    pub fn on_files_moved(&self, urls: &[String], destination: i64, rename: Option<&str>) {
        let mut st = self.state();
        let mut known = find_items(&st, urls);
        if let Some(name) = rename {
            known.iter_mut().for_each(|i| i.filename = name.to_string());
            patch_items(&mut st, urls, |i| i.filename = name.to_string());
        }
        remove_items(&mut st, urls, false);
        add_items(&mut st, destination, known, urls.len(), false);
    }

    /// Files copied: new URLs appear in the destination (and in the all-files listing).
    pub fn on_files_copied(&self, copied: &Copied, destination: i64, rename: Option<&str>) {
        let mut st = self.state();
        let from: Vec<String> = copied.urls.iter().map(|c| c.from_url.clone()).collect();
        let sources = find_items(&st, &from);
        let mut new_items = Vec::new();
        for pair in &copied.urls {
            if let Some(src) = sources.iter().find(|s| s.url == pair.from_url) {
                let mut item = src.clone();
                item.url = pair.to_url.clone();
                item.date = String::new();
                if let Some(n) = rename.or(copied.filename.as_deref()) {
                    item.filename = n.to_string();
                }
                new_items.push(item);
            }
        }
        let expected = copied.urls.len().max(copied.copied as usize);
        let added: u64 = new_items.iter().map(|i| i.size).sum();
        add_items(&mut st, destination, new_items, expected, true);
        storage_changed(&mut st, added as i64);
    }

    pub fn on_files_renamed(&self, renames: &[(String, String)]) {
        let mut st = self.state();
        for (url, name) in renames {
            patch_items(&mut st, std::slice::from_ref(url), |i| {
                i.filename = name.clone()
            });
        }
    }

    pub fn on_attributes_changed(&self, req: &ChattrRequest) {
        let mut st = self.state();
        patch_items(&mut st, &req.urls, |i| {
            if let Some(n) = &req.filename {
                i.filename = n.clone();
            }
            if let Some(p) = &req.pass {
                i.pass = !p.expose_secret().is_empty();
            }
            if let Some(c) = req.cdn {
                i.cdn = c;
            }
            if let Some(acl) = &req.acl {
                i.acl = !(acl.ip.is_empty() && acl.country.is_empty() && acl.email.is_empty())
                    || acl.premium;
            }
        });
    }

    pub fn on_uploaded(&self, folder_id: i64, item: FileItem) {
        let mut st = self.state();
        let size = item.size;
        add_items(&mut st, folder_id, vec![item], 1, true);
        storage_changed(&mut st, size as i64);
    }
}

/// Our own uploads, copies and removals change the space used: the cached account
/// information follows (sizes of removed files are known only from cached listings).
fn storage_changed(st: &mut CacheState, delta: i64) {
    if delta == 0 {
        return;
    }
    if let Some(e) = st.user_info.as_mut() {
        let u = &mut e.value;
        u.cold_storage = (u.cold_storage + delta).max(0);
        if u.available_storage > 0 {
            u.available_storage = (u.available_storage - delta).max(0);
        }
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

fn find_items(st: &CacheState, urls: &[String]) -> Vec<FileItem> {
    let mut found: Vec<FileItem> = Vec::new();
    let all = st
        .folders
        .values()
        .flat_map(|fe| fe.entry.value.items.iter())
        .chain(st.files.values().flat_map(|e| e.value.items.iter()));
    for item in all {
        if urls.contains(&item.url) && !found.iter().any(|f| f.url == item.url) {
            found.push(item.clone());
        }
    }
    found
}

fn patch_items(st: &mut CacheState, urls: &[String], f: impl Fn(&mut FileItem)) {
    let folder_items = st
        .folders
        .values_mut()
        .flat_map(|fe| fe.entry.value.items.iter_mut());
    let file_items = st.files.values_mut().flat_map(|e| e.value.items.iter_mut());
    for item in folder_items.chain(file_items) {
        if urls.contains(&item.url) {
            f(item);
        }
    }
}

/// Removes the items from folder listings and per-folder file listings; from the
/// all-files listing too when `everywhere` (a removal, not a move).
fn remove_items(st: &mut CacheState, urls: &[String], everywhere: bool) {
    st.files.retain(|k, _| !k.is_filtered());
    for fe in st.folders.values_mut() {
        let l = &mut fe.entry.value;
        let before = l.items.len();
        let gone_size: u64 = l
            .items
            .iter()
            .filter(|i| urls.contains(&i.url))
            .map(|i| i.size)
            .sum();
        l.items.retain(|i| !urls.contains(&i.url));
        let gone = (before - l.items.len()) as u64;
        l.file_count = l.file_count.saturating_sub(gone);
        l.size = l.size.saturating_sub(gone_size);
    }
    for (k, e) in st.files.iter_mut() {
        if k.folder_id == -1 && !everywhere {
            continue;
        }
        let before = e.value.items.len();
        e.value.items.retain(|i| !urls.contains(&i.url));
        e.value.count = e
            .value
            .count
            .saturating_sub((before - e.value.items.len()) as u64);
    }
}

/// Adds items to the destination's cached listings. When we know fewer items than were
/// added (`expected`), those listings can't be patched and are dropped instead.
/// `to_all_files` also adds them to the all-files listing (new URLs).
fn add_items(
    st: &mut CacheState,
    folder_id: i64,
    items: Vec<FileItem>,
    expected: usize,
    to_all_files: bool,
) {
    st.files.retain(|k, _| !k.is_filtered());
    let complete = items.len() >= expected;
    if complete {
        for fe in st
            .folders
            .values_mut()
            .filter(|fe| fe.entry.value.folder_id == folder_id)
        {
            let l = &mut fe.entry.value;
            l.file_count += items.len() as u64;
            l.size += items.iter().map(|i| i.size).sum::<u64>();
            if fe.with_files {
                l.items.extend(items.iter().cloned());
            }
        }
    } else {
        st.folders.retain(|k, _| k.folder_id != folder_id);
    }
    let mut drop = Vec::new();
    for (k, e) in st.files.iter_mut() {
        let target = k.folder_id == folder_id || (to_all_files && k.folder_id == -1);
        if !target {
            continue;
        }
        if complete {
            e.value.count += items.len() as u64;
            e.value.items.extend(items.iter().cloned());
        } else {
            drop.push(k.clone());
        }
    }
    for k in drop {
        st.files.remove(&k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::CopiedFile;

    fn item(url: &str, name: &str) -> FileItem {
        FileItem {
            url: url.into(),
            filename: name.into(),
            size: 10,
            date: "2024-01-01 00:00:00".into(),
            checksum: None,
            content_type: None,
            pass: false,
            acl: false,
            cdn: false,
        }
    }

    fn listing(id: i64, items: Vec<FileItem>, subs: Vec<(i64, &str)>) -> FolderListing {
        FolderListing {
            folder_id: id,
            file_count: items.len() as u64,
            size: items.iter().map(|i| i.size).sum(),
            items,
            sub_folders: subs
                .into_iter()
                .map(|(id, n)| SubFolder {
                    id,
                    name: n.into(),
                    create_date: String::new(),
                    pass: false,
                    email: None,
                })
                .collect(),
            ..Default::default()
        }
    }

    const TTL: Duration = Duration::from_secs(30);

    #[test]
    fn hits_expire_and_files_flag_matters() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        let plain = FolderLsRequest::folder(1);
        c.put_folder(&plain, t0, listing(1, vec![], vec![]));
        assert!(
            c.folder(&plain, t0 + Duration::from_secs(29), TTL)
                .is_some()
        );
        assert!(
            c.folder(&plain, t0 + Duration::from_secs(30), TTL)
                .is_none()
        );
        assert!(c.folder(&plain.clone().with_files(), t0, TTL).is_none());
        let hit = c.folder(&plain, t0 + Duration::from_secs(5), TTL).unwrap();
        assert!(hit.from_cache);
        assert_eq!(hit.age, Duration::from_secs(5));
    }

    #[test]
    fn a_share_password_shows_in_the_folder_and_in_its_parent() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        let root = FolderLsRequest::folder(0);
        let sub = FolderLsRequest::folder(5);
        c.put_folder(&root, t0, listing(0, vec![], vec![(5, "shared")]));
        c.put_folder(&sub, t0, listing(5, vec![], vec![]));
        c.on_folder_shared(5, Some("https://1fichier.com/dir/abc".into()), true);
        let parent = c.folder(&root, t0, TTL).unwrap().value;
        assert!(parent.sub_folders[0].pass);
        let own = c.folder(&sub, t0, TTL).unwrap().value;
        assert!(own.pass);
        assert_eq!(own.shared.as_deref(), Some("https://1fichier.com/dir/abc"));
        c.on_folder_shared(5, None, false);
        assert!(!c.folder(&root, t0, TTL).unwrap().value.sub_folders[0].pass);
        assert!(!c.folder(&sub, t0, TTL).unwrap().value.pass);
    }

    #[test]
    fn mutations_patch_listings() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        let root = FolderLsRequest::folder(0).with_files();
        let dest = FolderLsRequest::folder(5).with_files();
        c.put_folder(
            &root,
            t0,
            listing(0, vec![item("u1", "a"), item("u2", "b")], vec![(5, "dest")]),
        );
        c.put_folder(&dest, t0, listing(5, vec![], vec![]));
        c.put_files(
            &FileLsRequest::all_files(),
            t0,
            FileList {
                count: 2,
                items: vec![item("u1", "a"), item("u2", "b")],
            },
        );

        c.on_folder_created(
            0,
            &CreatedFolder {
                folder_id: 9,
                name: "new".into(),
            },
            "new",
        );
        c.on_files_moved(&["u1".to_string()], 5, Some("a2"));
        c.on_files_renamed(&[("u2".to_string(), "b2".to_string())]);
        c.on_files_copied(
            &Copied {
                copied: 1,
                urls: vec![CopiedFile {
                    from_url: "u2".into(),
                    to_url: "u3".into(),
                }],
                filename: None,
            },
            5,
            None,
        );

        let r = c.folder(&root, t0, TTL).unwrap().value;
        assert_eq!(
            r.items
                .iter()
                .map(|i| i.filename.as_str())
                .collect::<Vec<_>>(),
            vec!["b2"]
        );
        assert_eq!(r.file_count, 1);
        assert!(r.sub_folders.iter().any(|s| s.id == 9 && s.name == "new"));
        let d = c.folder(&dest, t0, TTL).unwrap().value;
        let names: Vec<_> = d
            .items
            .iter()
            .map(|i| (i.url.as_str(), i.filename.as_str()))
            .collect();
        assert_eq!(names, vec![("u1", "a2"), ("u3", "b2")]);
        let all = c.files(&FileLsRequest::all_files(), t0, TTL).unwrap().value;
        assert_eq!(all.count, 3);

        c.on_files_removed(&["u1".to_string(), "u3".to_string()]);
        assert!(c.folder(&dest, t0, TTL).unwrap().items.is_empty());
        assert_eq!(
            c.files(&FileLsRequest::all_files(), t0, TTL).unwrap().count,
            1
        );

        c.on_folder_removed(9);
        assert!(
            !c.folder(&root, t0, TTL)
                .unwrap()
                .sub_folders
                .iter()
                .any(|s| s.id == 9)
        );
    }

    #[test]
    fn unknown_items_drop_the_destination_instead_of_guessing() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        let dest = FolderLsRequest::folder(5).with_files();
        c.put_folder(&dest, t0, listing(5, vec![], vec![]));
        c.on_files_moved(&["unknown".to_string()], 5, None);
        assert!(c.folder(&dest, t0, TTL).is_none());
    }

    #[test]
    fn folder_move_and_rename() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        c.put_folder(
            &FolderLsRequest::folder(0),
            t0,
            listing(0, vec![], vec![(3, "x"), (4, "y")]),
        );
        c.put_folder(&FolderLsRequest::folder(4), t0, listing(4, vec![], vec![]));
        c.on_folder_moved(
            &FolderMvRequest {
                folder_id: 3,
                rename: Some("z".into()),
                ..Default::default()
            },
            &FolderMoved::default(),
        );
        let root = c.folder(&FolderLsRequest::folder(0), t0, TTL).unwrap();
        assert!(root.sub_folders.iter().any(|s| s.id == 3 && s.name == "z"));
        c.on_folder_moved(
            &FolderMvRequest {
                folder_id: 3,
                destination_folder_id: Some(4),
                ..Default::default()
            },
            &FolderMoved::default(),
        );
        let root = c.folder(&FolderLsRequest::folder(0), t0, TTL).unwrap();
        assert!(!root.sub_folders.iter().any(|s| s.id == 3));
        let four = c.folder(&FolderLsRequest::folder(4), t0, TTL).unwrap();
        assert_eq!(four.sub_folders[0].name, "z");
    }

    #[test]
    fn our_uploads_copies_and_removals_follow_in_the_space_used() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        c.put_user_info(
            t0,
            UserInfo {
                cold_storage: 100,
                available_storage: 1_000,
                ..UserInfo::default()
            },
        );
        let used = |c: &ResponseCache| {
            let u = c.user_info(t0, Duration::from_secs(300)).unwrap();
            (u.cold_storage, u.available_storage)
        };
        c.put_folder(
            &FolderLsRequest::folder(0).with_files(),
            t0,
            listing(0, vec![], vec![]),
        );
        c.on_uploaded(0, item("u1", "a"));
        assert_eq!(used(&c), (110, 990));
        c.on_files_copied(
            &Copied {
                urls: vec![CopiedFile {
                    from_url: "u1".into(),
                    to_url: "u2".into(),
                }],
                copied: 1,
                ..Default::default()
            },
            0,
            None,
        );
        assert_eq!(used(&c), (120, 980));
        c.on_files_removed(&["u1".into(), "u2".into()]);
        assert_eq!(used(&c), (100, 1_000));
        // A file no listing knows: its size is unknown, nothing is guessed.
        c.on_files_removed(&["elsewhere".into()]);
        assert_eq!(used(&c), (100, 1_000));
    }

    #[test]
    fn settings_patch_the_cached_user_info() {
        let c = ResponseCache::default();
        let t0 = Instant::now();
        c.put_user_info(t0, UserInfo::default());
        c.on_user_settings(&UserSettings {
            use_cdn: Some(true),
            page_limit: Some(7),
            ..Default::default()
        });
        let u = c.user_info(t0, Duration::from_secs(300)).unwrap();
        assert!(u.use_cdn);
        assert_eq!(u.page_limit, 7);
    }
}
