//! What a run has to do, decided from the local scan and the index alone (no API call):
//! which files are unchanged, which go up, which are renames or moves to make on the
//! server, which copies can be made there, and (mirror) what goes to the trash.

use std::collections::{HashMap, HashSet};

use super::scan::LocalFile;
use super::store::Entry;
use super::types::BackupMode;
use crate::names::encode_name;

/// A local file of this run with its checksum.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub file: LocalFile,
    pub hash: String,
}

impl Current {
    pub fn entry(&self, url: Option<String>) -> Entry {
        Entry {
            size: self.file.size,
            mtime: self.file.mtime,
            inode: self.file.inode,
            hash: self.hash.clone(),
            url,
        }
    }
}

/// A file to send.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub cur: Current,
    /// The copy it supersedes (a changed file): kept as a version once the new one is up.
    pub replaces: Option<String>,
}

/// A file made on the server from one already there.
#[derive(Debug, Clone)]
pub(crate) struct Relocate {
    pub from_url: String,
    /// The path it was indexed under (a move takes the entry away from it).
    pub from_rel: Option<String>,
    /// Its name on 1fichier (as sent), to tell whether a rename must follow.
    pub from_name: String,
    pub cur: Current,
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Unchanged files whose metadata moved (a touch): the index is refreshed.
    pub refresh: Vec<(String, Entry)>,
    pub unchanged: u64,
    pub uploads: Vec<Upload>,
    /// Mirror: renames and moves.
    pub moves: Vec<Relocate>,
    /// Copy mode renames, and contents already on 1fichier under another path.
    pub copies: Vec<Relocate>,
    /// Mirror: (path, url) of files gone from the folder.
    pub trash: Vec<(String, String)>,
    /// Index rows of files that vanished before they were ever backed up.
    pub forget: Vec<String>,
}

/// Whether the index entry describes this file as it is now (no need to read it).
pub(crate) fn same_metadata(e: &Entry, f: &LocalFile) -> bool {
    e.size == f.size && e.mtime == f.mtime && e.inode == f.inode
}

fn base_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Decides the run. `current`: the stable files with their checksums; `waiting`: paths of
/// files still being written (neither sent nor taken as gone).
pub(crate) fn plan(
    mode: BackupMode,
    index: &HashMap<String, Entry>,
    current: Vec<Current>,
    waiting: &HashSet<String>,
) -> Plan {
    let mut p = Plan::default();
    let present: HashSet<String> = current
        .iter()
        .map(|c| c.file.rel.clone())
        .chain(waiting.iter().cloned())
        .collect();
    // Backed-up files no longer in the folder, by content.
    let mut gone: HashMap<(u64, &str), Vec<&str>> = HashMap::new();
    for (rel, e) in index {
        if present.contains(rel) {
            continue;
        }
        if e.url.is_some() {
            gone.entry((e.size, e.hash.as_str()))
                .or_default()
                .push(rel.as_str());
        } else {
            p.forget.push(rel.clone());
        }
    }
    for list in gone.values_mut() {
        list.sort();
    }
    // Contents already backed up under a path that is still here: copy sources.
    let mut kept: HashMap<String, (String, String)> = HashMap::new();
    for c in &current {
        if let Some(e) = index.get(&c.file.rel)
            && let Some(url) = &e.url
            && e.hash == c.hash
        {
            kept.entry(e.hash.clone())
                .or_insert_with(|| (url.clone(), c.file.rel.clone()));
        }
    }
    let mut fresh = Vec::new();
    for c in current {
        match index.get(&c.file.rel) {
            Some(e) if e.url.is_some() && e.hash == c.hash => {
                p.unchanged += 1;
                if !same_metadata(e, &c.file) {
                    p.refresh.push((c.file.rel.clone(), c.entry(e.url.clone())));
                }
            }
            Some(e) if e.url.is_some() => p.uploads.push(Upload {
                cur: c,
                replaces: e.url.clone(),
            }),
            _ => fresh.push(c),
        }
    }
    fresh.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    let mut used: HashSet<&str> = HashSet::new();
    for c in fresh {
        let key = (c.file.size, c.hash.as_str());
        let candidate = gone.get(&key).and_then(|list| {
            let free = |r: &&&str| mode == BackupMode::Copy || !used.contains(**r);
            // The same name elsewhere (a move) before another name (a rename).
            list.iter()
                .filter(free)
                .find(|r| base_name(r) == base_name(&c.file.rel))
                .or_else(|| list.iter().find(free))
                .copied()
        });
        if let Some(from) = candidate {
            let url = index[from].url.clone().unwrap_or_default();
            let r = Relocate {
                from_url: url,
                from_rel: Some(from.to_string()),
                from_name: encode_name(base_name(from)),
                cur: c,
            };
            if mode == BackupMode::Mirror {
                used.insert(from);
                p.moves.push(r);
            } else {
                p.copies.push(r);
            }
        } else if let Some((url, rel)) = kept.get(c.hash.as_str()) {
            p.copies.push(Relocate {
                from_url: url.clone(),
                from_rel: None,
                from_name: encode_name(base_name(rel)),
                cur: c,
            });
        } else {
            p.uploads.push(Upload {
                cur: c,
                replaces: None,
            });
        }
    }
    if mode == BackupMode::Mirror {
        let mut trash: Vec<(String, String)> = gone
            .values()
            .flatten()
            .filter(|r| !used.contains(**r))
            .map(|r| (r.to_string(), index[*r].url.clone().unwrap_or_default()))
            .collect();
        trash.sort();
        p.trash = trash;
    }
    p.forget.sort();
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(rel: &str, size: u64, mtime: i64) -> LocalFile {
        LocalFile {
            rel: rel.into(),
            abs: PathBuf::from("/x").join(rel),
            size,
            mtime,
            inode: 1,
            stable: true,
        }
    }

    fn cur(rel: &str, size: u64, mtime: i64, hash: &str) -> Current {
        Current {
            file: file(rel, size, mtime),
            hash: hash.into(),
        }
    }

    fn backed(size: u64, mtime: i64, hash: &str, url: &str) -> Entry {
        Entry {
            size,
            mtime,
            inode: 1,
            hash: hash.into(),
            url: Some(url.into()),
        }
    }

    fn rels<T>(v: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
        v.iter().map(|x| f(x).to_string()).collect()
    }

    #[test]
    fn unchanged_touched_changed_and_new_files() {
        let mut index = HashMap::new();
        index.insert("same.txt".to_string(), backed(3, 10, "h1", "u1"));
        index.insert("touched.txt".to_string(), backed(3, 10, "h2", "u2"));
        index.insert("changed.txt".to_string(), backed(3, 10, "h3", "u3"));
        let current = vec![
            cur("same.txt", 3, 10, "h1"),
            cur("touched.txt", 3, 99, "h2"),
            cur("changed.txt", 4, 99, "h3b"),
            cur("new.txt", 5, 1, "h4"),
        ];
        let p = plan(BackupMode::Copy, &index, current, &HashSet::new());
        assert_eq!(p.unchanged, 2);
        assert_eq!(rels(&p.refresh, |r| &r.0), vec!["touched.txt"]);
        assert_eq!(p.refresh[0].1.mtime, 99);
        let ups = rels(&p.uploads, |u| &u.cur.file.rel);
        assert_eq!(ups, vec!["changed.txt", "new.txt"]);
        assert_eq!(p.uploads[0].replaces.as_deref(), Some("u3"));
        assert_eq!(p.uploads[1].replaces, None);
        assert!(p.moves.is_empty() && p.copies.is_empty() && p.trash.is_empty());
    }

    #[test]
    fn a_renamed_folder_is_moved_in_mirror_and_copied_in_copy_mode() {
        let mut index = HashMap::new();
        for i in 0..3 {
            index.insert(
                format!("old/f{i}.jpg"),
                backed(10 + i, 1, &format!("h{i}"), &format!("u{i}")),
            );
        }
        let current: Vec<_> = (0..3)
            .map(|i| cur(&format!("new/f{i}.jpg"), 10 + i, 1, &format!("h{i}")))
            .collect();
        let m = plan(BackupMode::Mirror, &index, current.clone(), &HashSet::new());
        assert!(m.uploads.is_empty());
        assert_eq!(m.moves.len(), 3);
        assert_eq!(m.moves[0].from_rel.as_deref(), Some("old/f0.jpg"));
        assert_eq!(m.moves[0].from_url, "u0");
        assert!(m.trash.is_empty());
        let c = plan(BackupMode::Copy, &index, current, &HashSet::new());
        assert!(c.uploads.is_empty() && c.moves.is_empty() && c.trash.is_empty());
        assert_eq!(c.copies.len(), 3);
    }

    #[test]
    fn mirror_trashes_what_is_gone_and_a_content_moves_once() {
        let mut index = HashMap::new();
        index.insert("a/x.txt".to_string(), backed(1, 1, "hx", "ux"));
        index.insert("gone.txt".to_string(), backed(2, 1, "hg", "ug"));
        index.insert(
            "hashed-only.txt".to_string(),
            Entry {
                url: None,
                ..backed(2, 1, "hh", "")
            },
        );
        // Two new files with x's content: one takes the move, the other is a copy of a
        // content that is still backed up... no: x is gone, so the second is uploaded.
        let current = vec![cur("b/x.txt", 1, 1, "hx"), cur("c/y.txt", 1, 1, "hx")];
        let p = plan(BackupMode::Mirror, &index, current, &HashSet::new());
        assert_eq!(rels(&p.moves, |m| &m.cur.file.rel), vec!["b/x.txt"]);
        assert_eq!(rels(&p.uploads, |u| &u.cur.file.rel), vec!["c/y.txt"]);
        assert_eq!(p.trash, vec![("gone.txt".to_string(), "ug".to_string())]);
        assert_eq!(p.forget, vec!["hashed-only.txt"]);
        // In copy mode nothing is ever trashed.
        let p = plan(
            BackupMode::Copy,
            &index,
            vec![cur("z.txt", 5, 1, "hz")],
            &HashSet::new(),
        );
        assert!(p.trash.is_empty());
    }

    #[test]
    fn a_duplicate_of_a_backed_up_content_is_copied_on_the_server() {
        let mut index = HashMap::new();
        index.insert("a.bin".to_string(), backed(7, 1, "hd", "ua"));
        let current = vec![cur("a.bin", 7, 1, "hd"), cur("copy of a.bin", 7, 5, "hd")];
        let p = plan(BackupMode::Mirror, &index, current, &HashSet::new());
        assert!(p.uploads.is_empty());
        assert_eq!(p.copies.len(), 1);
        assert_eq!(p.copies[0].from_url, "ua");
        assert_eq!(p.copies[0].from_rel, None);
    }

    #[test]
    fn files_being_written_are_neither_sent_nor_gone() {
        let mut index = HashMap::new();
        index.insert("log.txt".to_string(), backed(1, 1, "h", "u"));
        let waiting: HashSet<String> = ["log.txt".to_string()].into();
        let p = plan(BackupMode::Mirror, &index, vec![], &waiting);
        assert!(p.trash.is_empty() && p.uploads.is_empty());
    }
}
