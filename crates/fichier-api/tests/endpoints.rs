//! Every endpoint against the emulator: success, and each kind of KO it can produce.

mod common;

use common::{Env, bytes_stream, collect, fake_clock_client, no_limits};
use fichier_api::*;
use fichier_emulator::{Emulator, Offer};

#[tokio::test]
async fn account_info_is_cached_and_settings_patch_the_cache() {
    let env = Env::plain().await;
    let first = env.client.user_info().await.unwrap();
    assert!(!first.from_cache);
    assert!(first.email.contains('@'));
    assert_eq!(first.offer, fichier_api::Offer::Premium);
    let second = env.client.user_info().await.unwrap();
    assert!(second.from_cache);
    assert_eq!(env.count("/v1/user/info.cgi"), 1);

    env.client
        .update_settings(&UserSettings {
            use_cdn: Some(true),
            page_limit: Some(42),
            ..Default::default()
        })
        .await
        .unwrap();
    // The settings call had to wait for the 5-minute interval (on the fake clock).
    assert!(env.clock.total_slept() >= std::time::Duration::from_secs(300));
    // The settings answer refreshed the cache: no further call.
    let patched = env.client.user_info().await.unwrap();
    assert!(patched.from_cache && patched.use_cdn && patched.page_limit == 42);
    assert_eq!(env.count("/v1/user/info.cgi"), 2);

    let e = env
        .client
        .update_settings(&UserSettings::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_request");
}

#[tokio::test]
async fn unknown_key_is_invalid_key() {
    let emu = Emulator::start(no_limits()).await.unwrap();
    let (client, _) = fake_clock_client(&emu, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let e = client.user_info().await.unwrap_err();
    assert_eq!(e.code(), "invalid_key");
    assert_eq!(e.ko().unwrap().number, Some(247));
    assert!(!e.retryable());
}

#[tokio::test]
async fn upload_then_download_whole_and_ranged() {
    let env = Env::plain().await;
    let server = env.client.get_upload_server().await.unwrap();
    assert_eq!(server.url, env.emu.addr().to_string());
    assert_eq!(server.id.len(), 10);

    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let up = env
        .client
        .upload(
            "data.bin",
            data.len() as u64,
            bytes_stream(data.clone(), 8191),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(up.filename, "data.bin");
    assert_eq!(up.size, data.len() as u64);
    assert_eq!(up.whirlpool.len(), 128);
    assert_eq!(env.count("/upload.cgi"), 1);

    let whole = env
        .client
        .open_download(&GetTokenRequest::new(&up.download), None)
        .await
        .unwrap();
    assert_eq!(whole.status, 200);
    assert_eq!(whole.total_len, Some(data.len() as u64));
    assert_eq!(whole.filename.as_deref(), Some("data.bin"));
    assert_eq!(collect(whole.body).await.unwrap(), data);

    let part = env
        .client
        .open_download(&GetTokenRequest::new(&up.download), Some(60_000))
        .await
        .unwrap();
    assert_eq!(part.status, 206);
    assert!(part.range_honoured);
    assert_eq!(part.start, 60_000);
    assert_eq!(part.total_len, Some(data.len() as u64));
    assert_eq!(collect(part.body).await.unwrap(), &data[60_000..]);
}

#[tokio::test]
async fn a_batch_of_files_goes_up_in_one_request_with_one_report() {
    let env = Env::plain().await;
    let contents: Vec<Vec<u8>> = (0..5u8)
        .map(|n| {
            (0..(1000 + u32::from(n) * 777))
                .map(|i| (i as u8) ^ n)
                .collect()
        })
        .collect();
    let files = contents
        .iter()
        .enumerate()
        .map(|(i, data)| BatchFile {
            name: format!("small {i}.txt"),
            len: data.len() as u64,
            body: Box::pin(bytes_stream(data.clone(), 300)),
        })
        .collect();
    let opts = UploadOptions {
        folder_id: Some(0),
        ..UploadOptions::default()
    };
    let results = env.client.upload_batch(files, &opts).await.unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(env.count("/upload/get_upload_server.cgi"), 1);
    assert_eq!(env.count("/upload.cgi"), 1);
    assert_eq!(env.count("/end.pl"), 1);
    for (i, (r, data)) in results.iter().zip(&contents).enumerate() {
        let up = r.as_ref().unwrap();
        assert_eq!(up.filename, format!("small {i}.txt"));
        assert_eq!(up.size, data.len() as u64);
        // Each file's own bytes arrived, at its own URL.
        let got = env
            .client
            .open_download(&GetTokenRequest::new(&up.download), None)
            .await
            .unwrap();
        assert_eq!(collect(got.body).await.unwrap(), *data, "file {i}");
    }
    let distinct: std::collections::HashSet<_> = results
        .iter()
        .map(|r| r.as_ref().unwrap().whirlpool.clone())
        .collect();
    assert_eq!(distinct.len(), 5);

    // A body shorter than declared fails the whole request; nothing is half-listed.
    let short = vec![BatchFile {
        name: "liar.txt".into(),
        len: 10,
        body: Box::pin(bytes_stream(vec![1; 4], 4)),
    }];
    assert!(env.client.upload_batch(short, &opts).await.is_err());
    let listed = env
        .client
        .list_files_fresh(&FileLsRequest::folder(0))
        .await
        .unwrap();
    assert!(listed.items.iter().all(|i| i.filename != "liar.txt"));
}

#[tokio::test]
async fn upload_refusals() {
    let env = Env::plain().await;
    let e = env
        .client
        .upload(
            "empty.txt",
            0,
            bytes_stream(vec![], 1),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "file_empty");
    assert_eq!(
        env.count("get_upload_server.cgi"),
        0,
        "refused before any call"
    );

    let e = env
        .client
        .upload(
            "a$b.txt",
            3,
            bytes_stream(b"abc".to_vec(), 1),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_name");

    let e = env
        .client
        .upload(
            "big",
            MAX_FILE_SIZE + 1,
            bytes_stream(vec![1], 1),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "file_too_large");

    // A stream shorter than announced fails instead of sending a lying Content-Length.
    let e = env
        .client
        .upload(
            "short.txt",
            10,
            bytes_stream(b"abc".to_vec(), 1),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network");
    assert_eq!(env.emu.file_count(), 0);
}

#[tokio::test]
async fn download_token_refusals() {
    let env = Env::plain().await;
    let url = env.upload("secret.txt", b"top secret", None).await;
    let free_key = env.emu.add_account(Offer::Free);
    let (free, _) = fake_clock_client(&env.emu, &free_key);
    let e = free
        .get_token(&GetTokenRequest::new(&url))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_customer");

    let e = env
        .client
        .get_token(&GetTokenRequest::new(format!(
            "{}/?aaaaaaaaaaaaaaaaaaaa",
            env.emu.base_url()
        )))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");

    // A password-protected file of another account.
    let other_key = env.emu.add_account(Offer::Premium);
    let (other, _) = fake_clock_client(&env.emu, &other_key);
    let opts = UploadOptions {
        password: Some(Password::new("hunter22")),
        ..Default::default()
    };
    let locked = other
        .upload("p.txt", 3, bytes_stream(b"abc".to_vec(), 2), &opts)
        .await
        .unwrap()
        .download;
    let e = env
        .client
        .get_token(&GetTokenRequest::new(&locked))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "password_required");
    let e = env
        .client
        .get_token(&GetTokenRequest::new(&locked).with_password("wrong-one"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "password_wrong");
    let ok = env
        .client
        .open_download(
            &GetTokenRequest::new(&locked).with_password("hunter22"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(collect(ok.body).await.unwrap(), b"abc");

    env.emu.set_owner_locked(&other_key, true);
    let e = env
        .client
        .get_token(&GetTokenRequest::new(&locked).with_password("hunter22"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "owner_locked");

    // Someone else's file can't be moved.
    let e = env
        .client
        .move_files(&FileMvRequest {
            urls: vec![locked.clone()],
            destination_folder_id: 0,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_allowed");
}

#[tokio::test]
async fn file_endpoints() {
    let env = Env::plain().await;
    let folder = env.client.create_folder(0, "docs").await.unwrap();
    let a = env.upload("a.txt", b"hello", None).await;
    let b = env.upload("b.txt", b"world!", Some(folder.folder_id)).await;

    let root = env
        .client
        .list_files(&FileLsRequest::folder(0))
        .await
        .unwrap();
    assert!(!root.from_cache);
    assert_eq!(root.items.len(), 1);
    assert_eq!(root.items[0].content_type.as_deref(), Some("text/plain"));
    let again = env
        .client
        .list_files(&FileLsRequest::folder(0))
        .await
        .unwrap();
    assert!(again.from_cache);
    assert_eq!(env.count("/v1/file/ls.cgi"), 1);
    let all = env
        .client
        .list_files(&FileLsRequest::all_files())
        .await
        .unwrap();
    assert_eq!(all.count, 2);

    let info = env
        .client
        .file_info(&FileInfoRequest::new(&b))
        .await
        .unwrap();
    assert_eq!(info.filename, "b.txt");
    assert_eq!(info.size, 6);
    assert_eq!(info.folder_id, Some(folder.folder_id));
    assert_eq!(info.content_type.as_deref(), Some("text/plain"));
    assert_eq!(info.checksum.as_deref().map(str::len), Some(128));

    let scan = env.client.scan_file(&a).await.unwrap();
    assert!(scan.clean);

    let moved = env
        .client
        .move_files(&FileMvRequest {
            urls: vec![a.clone()],
            destination_folder_id: folder.folder_id,
            rename: Some("a2.txt".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(moved.moved, 1);
    let e = env
        .client
        .move_files(&FileMvRequest {
            urls: vec![a.clone()],
            destination_folder_id: folder.folder_id,
            rename: Some("a2.txt".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "unchanged");

    let copied = env
        .client
        .copy_files(&FileCpRequest {
            urls: vec![b.clone()],
            folder_id: 0,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(copied.copied, 1);
    assert_ne!(copied.urls[0].to_url, b);

    let renamed = env
        .client
        .rename_files(&[RenameEntry {
            url: b.clone(),
            filename: "b2.txt".into(),
        }])
        .await
        .unwrap();
    assert_eq!(renamed.renamed, 1);
    assert_eq!(renamed.urls[0].old_filename, "b.txt");
    let e = env
        .client
        .rename_files(&[RenameEntry {
            url: b.clone(),
            filename: "b2.txt".into(),
        }])
        .await
        .unwrap_err();
    assert_eq!(e.code(), "unchanged");
    assert_eq!(e.ko().unwrap().http_status, 200);

    let updated = env
        .client
        .change_attributes(&ChattrRequest {
            urls: vec![b.clone()],
            description: Some("notes".into()),
            inline: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(updated.updated, 1);
    let info = env
        .client
        .file_info(&FileInfoRequest::new(&b))
        .await
        .unwrap();
    assert!(info.inline);
    assert_eq!(info.description.as_deref(), Some("notes"));
    let e = env
        .client
        .change_attributes(&ChattrRequest {
            urls: vec![b.clone()],
            filename: Some("bad<name".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_name");

    let removed = env
        .client
        .remove_files(&[FileToRemove::from(a.as_str())])
        .await
        .unwrap();
    assert_eq!(removed.removed, 1);
    let e = env
        .client
        .file_info(&FileInfoRequest::new(&a))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert_eq!(e.ko().unwrap().http_status, 404);
}

#[tokio::test]
async fn folder_endpoints_and_cache_patching() {
    let env = Env::plain().await;
    let root = env
        .client
        .list_folder(&FolderLsRequest::folder(0).with_files())
        .await
        .unwrap();
    assert!(!root.from_cache && root.sub_folders.is_empty());

    let made = env.client.create_folder(0, "photos").await.unwrap();
    assert_eq!(made.name, "photos");
    let e = env.client.create_folder(0, "photos").await.unwrap_err();
    assert_eq!(e.code(), "name_conflict");
    let e = env.client.create_folder(0, "bad'name").await.unwrap_err();
    assert_eq!(e.code(), "invalid_name");

    // The cached root listing already shows the new folder: no second listing call.
    let root = env
        .client
        .list_folder(&FolderLsRequest::folder(0).with_files())
        .await
        .unwrap();
    assert!(root.from_cache);
    assert!(
        root.sub_folders
            .iter()
            .any(|s| s.id == made.folder_id && s.name == "photos")
    );
    assert_eq!(env.count("/v1/folder/ls.cgi"), 1);

    // An upload into the root appears in the cached listing too.
    let url = env.upload("x.txt", b"xyz", Some(0)).await;
    let root = env
        .client
        .list_folder(&FolderLsRequest::folder(0).with_files())
        .await
        .unwrap();
    assert!(root.from_cache && root.items.iter().any(|i| i.url == url));

    let inner = env
        .client
        .create_folder(made.folder_id, "2024")
        .await
        .unwrap();
    let e = env.client.remove_folder(made.folder_id).await.unwrap_err();
    assert_eq!(e.code(), "folder_not_empty");

    let mv = env
        .client
        .move_folder(&FolderMvRequest {
            folder_id: inner.folder_id,
            destination_folder_id: Some(0),
            rename: Some("archive".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mv.new_name.as_deref(), Some("archive"));
    let root = env
        .client
        .list_folder(&FolderLsRequest::folder(0).with_files())
        .await
        .unwrap();
    assert!(
        root.sub_folders
            .iter()
            .any(|s| s.id == inner.folder_id && s.name == "archive")
    );
    let e = env
        .client
        .move_folder(&FolderMvRequest {
            folder_id: inner.folder_id,
            destination_folder_id: Some(0),
            rename: Some("archive".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "unchanged");

    env.client.remove_folder(inner.folder_id).await.unwrap();
    let root = env
        .client
        .list_folder(&FolderLsRequest::folder(0).with_files())
        .await
        .unwrap();
    assert!(!root.sub_folders.iter().any(|s| s.id == inner.folder_id));
    let e = env
        .client
        .list_folder(&FolderLsRequest::folder(inner.folder_id))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    // Every change above was folded into the one cached root listing.
    assert_eq!(
        env.count("/v1/folder/ls.cgi"),
        2,
        "root once, the removed folder once"
    );
    // Listing the same folder without the cache waits for the 30 s interval (fake clock).
    let before = env.clock.total_slept();
    env.client
        .list_folder_fresh(&FolderLsRequest::folder(0).with_files())
        .await
        .unwrap();
    assert!(env.clock.total_slept() - before >= std::time::Duration::from_secs(25));
}

#[tokio::test]
async fn public_folders_and_link_check() {
    let env = Env::plain().await;
    let folder = env.client.create_folder(0, "public").await.unwrap();
    let url = env
        .upload("shared.txt", b"for all", Some(folder.folder_id))
        .await;
    let shared = env
        .client
        .share_folder(&ShareRequest {
            folder_id: folder.folder_id,
            share: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let public = shared.url.expect("a public URL");
    assert!(public.contains("/dir/"));
    let files = env.client.shared_folder(&public, None).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].filename, "shared.txt");
    assert_eq!(files[0].link, url);
    assert_eq!(files[0].size, 7);

    env.client
        .share_folder(&ShareRequest {
            folder_id: folder.folder_id,
            share: Some(true),
            pass: Some(Password::new("opensesame")),
            ..Default::default()
        })
        .await
        .unwrap();
    let e = env.client.shared_folder(&public, None).await.unwrap_err();
    assert_eq!(e.code(), "password_required");
    let e = env
        .client
        .shared_folder(&public, Some(&Password::new("nope-nope")))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "password_wrong");
    let files = env
        .client
        .shared_folder(&public, Some(&Password::new("opensesame")))
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    let e = env
        .client
        .shared_folder("https://1fichier.com/dir/zzzzzz", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");

    let private = env
        .client
        .upload(
            "p.txt",
            2,
            bytes_stream(b"ab".to_vec(), 1),
            &UploadOptions {
                password: Some(Password::new("secret99")),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .download;
    let links = vec![
        url.clone(),
        format!("{}/?bbbbbbbbbbbbbbbbbbbb", env.emu.base_url()),
        "https://example.com/nothing".to_string(),
        private,
    ];
    let checks = env.client.check_links(&links).await.unwrap();
    assert_eq!(checks.len(), 4);
    assert_eq!(
        checks[0].state,
        LinkState::Online {
            filename: "shared.txt".into(),
            size: 7
        }
    );
    assert_eq!(checks[1].state, LinkState::NotFound);
    assert_eq!(checks[2].state, LinkState::BadLink);
    assert_eq!(checks[3].state, LinkState::Private);
}

#[tokio::test]
async fn remote_upload_endpoints() {
    let env = Env::plain().await;
    let source = env.upload("src.txt", b"remote me", None).await;
    let job = env
        .client
        .remote_request(&RemoteRequest {
            urls: vec![source.clone()],
            folder_id: Some(0),
            ..Default::default()
        })
        .await
        .unwrap();
    let jobs = env.client.remote_jobs().await.unwrap();
    assert!(jobs.data.iter().any(|j| j.id == job.id));
    let info = env.client.remote_job(job.id).await.unwrap();
    assert_eq!(info.id, job.id);
    assert_eq!(info.links, vec![source]);
    let e = env.client.remote_job(987_654).await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    let free_key = env.emu.add_account(Offer::Free);
    let (free, _) = fake_clock_client(&env.emu, &free_key);
    let e = free
        .remote_request(&RemoteRequest {
            urls: vec!["https://example.com/x".into()],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_customer");
}

#[tokio::test]
async fn ftp_endpoints() {
    let env = Env::plain().await;
    env.client.ftp_process().await.unwrap();
    assert!(env.client.ftp_users().await.unwrap().value.is_empty());
    env.client
        .ftp_user_add("backup", Password::new("longpassword"), 0)
        .await
        .unwrap();
    // The list comes from the cache, with our addition folded in: one listing call.
    let users = env.client.ftp_users().await.unwrap();
    assert!(users.from_cache);
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].user, "backup");
    assert_eq!(users[0].folder_id, Some(0));
    assert_eq!(env.count("/v1/ftp/users/ls.cgi"), 1);
    // What 1fichier itself says agrees with the patched cache.
    env.client.account().invalidate_caches();
    let listed = env.client.ftp_users().await.unwrap();
    assert!(!listed.from_cache);
    assert_eq!(listed.value, users.value);
    let e = env
        .client
        .ftp_user_add("backup", Password::new("longpassword"), 0)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "name_conflict");
    env.client.ftp_user_remove("backup").await.unwrap();
    assert!(env.client.ftp_users().await.unwrap().is_empty());
    assert_eq!(env.count("/v1/ftp/users/ls.cgi"), 2);
    let e = env.client.ftp_user_remove("backup").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
}
