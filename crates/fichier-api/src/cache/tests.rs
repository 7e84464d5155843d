use super::*;
use crate::types::CopiedFile;
use crate::types::*;

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
