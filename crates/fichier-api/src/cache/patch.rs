//! Our own changes, folded into the cached answers: a listing we hold stays what 1fichier
//! would answer now, so the window never has to list the same folder again to see them.

use super::{CacheState, FolderKey, ResponseCache};
use crate::types::{
    ChattrRequest, Copied, CreatedFolder, FileItem, FolderMoved, FolderMvRequest, SubFolder,
    UserSettings,
};

impl ResponseCache {
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
