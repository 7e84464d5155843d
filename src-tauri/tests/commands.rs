//! The command layer on Tauri's mock runtime, against the emulator: what the window sends
//! goes through the same handler, state and core services as in the app.

mod support;

use std::path::{Path, PathBuf};

use fichier_desk::state::AppState;
use serde_json::json;
use support::*;
use tauri::Manager;
use tauri::WebviewWindowBuilder;
use tauri::test::mock_builder;

fn home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
}

#[test]
fn folders_round_trip_through_the_commands() {
    let h = harness();
    let made = invoke(
        &h,
        "create_folder",
        json!({"parentId": 0, "name": "Reports"}),
    )
    .unwrap();
    let id = made["id"].as_i64().unwrap();
    let root = invoke(&h, "list_folder", json!({"folderId": 0, "force": false})).unwrap();
    assert_eq!(root["subFolders"][0]["name"], "Reports");
    assert_eq!(root["subFolders"][0]["id"], id);
    invoke(
        &h,
        "rename_folder",
        json!({"folderId": id, "name": "Reports 2026"}),
    )
    .unwrap();
    let root = invoke(&h, "list_folder", json!({"folderId": 0, "force": true})).unwrap();
    assert_eq!(root["subFolders"][0]["name"], "Reports 2026");
    assert_eq!(
        root["fromCache"], true,
        "a refresh within 30 s is served from the patched cache"
    );
    invoke(&h, "delete_folder", json!({"folderId": id})).unwrap();
    let log = h.emu.request_log();
    assert_eq!(
        log.iter().filter(|e| e.path == "/v1/folder/ls.cgi").count(),
        1,
        "{log:?}"
    );
}

#[test]
fn errors_reach_the_window_with_their_code() {
    let h = harness();
    let e = invoke(&h, "delete_folder", json!({"folderId": 4242})).unwrap_err();
    assert_eq!(e["code"], "not_found", "{e}");
    assert!(e["message"].as_str().unwrap().len() > 10);
    assert_eq!(e["retryable"], false);
    let e = invoke(
        &h,
        "upload_paths",
        json!({"paths": ["relative/file.txt"], "folderId": 0}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "io", "{e}");
    let e = invoke(
        &h,
        "upload_paths",
        json!({"paths": ["/no/such/file.bin"], "folderId": 0}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "path_not_granted", "{e}");
    // A name that can't be used says what is wrong with it (core's rule).
    let e = invoke(&h, "create_folder", json!({"parentId": 0, "name": "   "})).unwrap_err();
    assert_eq!(e["code"], "invalid_request", "{e}");
    assert!(e["message"].as_str().unwrap().contains("empty"), "{e}");
    let e = invoke(&h, "create_folder", json!({"parentId": 0, "name": "a/b"})).unwrap_err();
    assert_eq!(e["code"], "invalid_request", "{e}");
    let e = invoke(
        &h,
        "save_api_key",
        json!({"key": "short", "sessionOnly": true}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "bad_key_format", "{e}");
}

#[test]
fn an_upload_from_a_dropped_path_is_queued_and_completes() {
    let h = harness();
    let src = h.dir.path().join("dropped.txt");
    std::fs::write(&src, b"dropped on the window").unwrap();
    drop_on_window(&h, &[&src]);
    let queued = invoke(&h, "upload_paths", json!({"paths": [src], "folderId": 0})).unwrap();
    let id = queued[0]["id"].as_str().unwrap().to_string();
    assert_eq!(queued[0]["kind"], "upload");
    let last = wait_finished(&h, &id);
    assert_eq!(last["state"], "done", "{last}");
    assert_eq!(last["bytesDone"], 21);
    assert_eq!(h.emu.file_count(), 1);
}

#[test]
fn without_an_account_commands_ask_for_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_builder()
        .manage(AppState::new(
            fichier_core::Settings::default(),
            dir.path().to_path_buf(),
        ))
        .invoke_handler(fichier_desk::commands_handler())
        .build(tauri::generate_context!(test = true))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    app.state::<AppState>().mark_ready();
    let e = invoke_on(
        &window,
        "list_folder",
        json!({"folderId": 0, "force": false}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "invalid_key", "{e}");
}

#[test]
fn paths_the_user_did_not_give_are_refused() {
    let h = harness();
    for path in [home().join(".ssh"), home().join(".ssh/id_ed25519")] {
        let e = upload(&h, &path).unwrap_err();
        assert_eq!(e["code"], "path_not_granted", "{path:?}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains("picked or dropped"),
            "{e}"
        );
    }
    let autostart = home().join(".config/autostart");
    let e = invoke(
        &h,
        "download_files",
        json!({"urls": ["https://1fichier.com/?abcdefghij"], "destDir": autostart}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "path_not_granted", "{e}");
    // Nor can the settings point downloads there (refused before anything is saved).
    let mut settings = invoke(&h, "get_settings", json!({})).unwrap();
    settings["downloadDir"] = json!(h.dir.path().join("data"));
    let e = invoke(&h, "save_settings", json!({ "settings": settings })).unwrap_err();
    assert_eq!(e["code"], "path_not_granted", "{e}");
    assert!(invoke(&h, "list_transfers", json!({})).unwrap() == json!([]));
}

#[test]
fn dropped_files_and_folders_can_be_uploaded_and_nothing_around_them() {
    let h = harness();
    let root = h.dir.path();
    let granted = root.join("granted");
    std::fs::create_dir_all(granted.join("sub")).unwrap();
    std::fs::create_dir_all(root.join(".ssh")).unwrap();
    let single = root.join("single.txt");
    let inside = granted.join("sub/inside.txt");
    let secret = root.join(".ssh/id_ed25519");
    for (p, body) in [(&single, "one"), (&inside, "two"), (&secret, "three")] {
        std::fs::write(p, body).unwrap();
    }
    let before = upload(&h, &single).unwrap_err();
    assert_eq!(before["code"], "path_not_granted", "{before}");

    drop_on_window(&h, &[&granted, &single]);
    let one = upload(&h, &single).expect("a dropped file");
    let two = upload(&h, &inside).expect("a file in a dropped folder");
    for refused in [
        granted.join("../.ssh/id_ed25519"),
        granted.join("sub/../../.ssh"),
        secret.clone(),
        root.to_path_buf(),
    ] {
        let e = upload(&h, &refused).unwrap_err();
        assert_eq!(e["code"], "path_not_granted", "{refused:?}: {e}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, granted.join("innocent.txt")).unwrap();
        std::os::unix::fs::symlink(root.join(".ssh"), granted.join("keys")).unwrap();
        for link in [
            granted.join("innocent.txt"),
            granted.join("keys/id_ed25519"),
        ] {
            let e = upload(&h, &link).unwrap_err();
            assert_eq!(e["code"], "path_not_granted", "{link:?}: {e}");
        }
    }
    for queued in [one, two] {
        let id = queued[0]["id"].as_str().unwrap();
        assert_eq!(wait_finished(&h, id)["state"], "done");
    }
    assert_eq!(h.emu.file_count(), 2, "the refused files never left");
}

#[test]
fn downloads_write_only_into_a_picked_folder_or_the_saved_one() {
    let h = harness();
    let url = json!(["https://1fichier.com/?nosuchfile1"]);
    let dropped = h.dir.path().join("dropped");
    let picked = h.dir.path().join("picked");
    std::fs::create_dir_all(&dropped).unwrap();
    std::fs::create_dir_all(&picked).unwrap();
    drop_on_window(&h, &[&dropped]);
    let to =
        |dest: Option<&Path>| invoke(&h, "download_files", json!({"urls": url, "destDir": dest}));
    assert_eq!(to(Some(&dropped)).unwrap_err()["code"], "path_not_granted");
    assert_eq!(to(Some(&picked)).unwrap_err()["code"], "path_not_granted");
    // What the "download to" dialog records when the user picks a folder.
    h.app.state::<AppState>().grants.allow_write(&picked);
    assert_eq!(to(Some(&picked)).unwrap()[0]["kind"], "download");
    // The saved download folder, by default or by name.
    assert!(to(None).is_ok());
    assert!(to(Some(h.dir.path())).is_ok());
}

#[test]
fn the_history_comes_a_page_at_a_time_and_not_with_the_list() {
    let h = harness();
    let files: Vec<PathBuf> = (1..=3)
        .map(|n| {
            let p = h.dir.path().join(format!("h{n}.txt"));
            std::fs::write(&p, format!("history {n}")).unwrap();
            p
        })
        .collect();
    drop_on_window(&h, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let queued = invoke(&h, "upload_paths", json!({"paths": files, "folderId": 0})).unwrap();
    for t in queued.as_array().unwrap() {
        wait_finished(&h, t["id"].as_str().unwrap());
    }
    let first = invoke(&h, "list_history", json!({"offset": 0, "limit": 2})).unwrap();
    assert_eq!(first["total"], 3);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let rest = invoke(&h, "list_history", json!({"offset": 2, "limit": 2})).unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_ne!(rest["items"][0]["id"], first["items"][0]["id"]);
    assert_eq!(
        invoke(&h, "list_transfers", json!({})).unwrap(),
        json!([]),
        "finished transfers are not sent with the list"
    );
}

#[test]
fn the_local_server_gives_stream_links_exports_strm_and_keeps_its_options() {
    let h = harness();
    let src = h.dir.path().join("clip.mkv");
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&src, &bytes).unwrap();
    drop_on_window(&h, &[&src]);
    let queued = upload(&h, &src).unwrap();
    let last = wait_finished(&h, queued[0]["id"].as_str().unwrap());
    assert_eq!(last["state"], "done", "{last}");
    let listing = invoke(&h, "list_folder", json!({"folderId": 0, "force": false})).unwrap();
    let url = listing["files"][0]["url"].as_str().unwrap().to_string();

    // Off by default: a link is refused with the reason.
    let off = invoke(&h, "serve_status", json!({})).unwrap();
    assert_eq!(off["enabled"], false);
    assert_eq!(off["running"], false);
    let e = invoke(&h, "stream_link", json!({"url": url})).unwrap_err();
    assert_eq!(e["code"], "invalid_request", "{e}");

    let opts = json!({"enabled": true, "lan": false, "readOnly": false, "port": 0});
    let on = invoke(&h, "set_serve", json!({"options": opts})).unwrap();
    assert_eq!(on["running"], true, "{on}");
    assert!(on["davUrl"].as_str().unwrap().ends_with("/dav/"));
    let link = invoke(&h, "stream_link", json!({"url": url})).unwrap();
    let link = link.as_str().unwrap().to_string();
    assert!(
        link.contains("/s/") && link.ends_with("/clip.mkv"),
        "{link}"
    );
    let got = tauri::async_runtime::block_on(async {
        reqwest::get(&link).await.unwrap().bytes().await.unwrap()
    });
    assert_eq!(&got[..], &bytes[..]);
    let status = invoke(&h, "serve_status", json!({})).unwrap();
    assert_eq!(status["tokenCalls"], 1, "{status}");

    // The export writes only into a folder the user picked.
    let out = h.dir.path().join("strm");
    std::fs::create_dir_all(&out).unwrap();
    let refused = invoke(&h, "export_strm", json!({"folderId": 0, "dir": out})).unwrap_err();
    assert_eq!(refused["code"], "path_not_granted", "{refused}");
    h.app.state::<AppState>().grants.allow_write(&out);
    let report = invoke(&h, "export_strm", json!({"folderId": 0, "dir": out})).unwrap();
    assert_eq!(report["written"], 1, "{report}");
    let strm = std::fs::read_to_string(out.canonicalize().unwrap().join("clip.strm")).unwrap();
    assert_eq!(strm.trim(), link);

    // The choice is kept for the next start; turning it off stops the server.
    let saved = std::fs::read_to_string(h.dir.path().join("data/serve.json")).unwrap();
    assert!(saved.contains("\"enabled\": true"), "{saved}");
    let off = invoke(
        &h,
        "set_serve",
        json!({"options": {"enabled": false, "lan": false, "readOnly": false, "port": 0}}),
    )
    .unwrap();
    assert_eq!(off["running"], false);
    let gone = tauri::async_runtime::block_on(async { reqwest::get(&link).await });
    assert!(gone.is_err(), "the server no longer answers");
}
