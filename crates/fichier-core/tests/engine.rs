//! The engine against the emulator: round trips, folder trees, names, the queue surviving
//! a restart, pause/resume with the journal, remote upload, events.

mod common;

use std::time::Duration;

use common::*;
use fichier_api::{FileLsRequest, FolderLsRequest, GetTokenRequest};
use fichier_core::{
    RemoteStatus, TransferEvent, TransferKind, TransferPhase, TransferState, decode_name,
};

#[tokio::test]
async fn folder_tree_upload_then_download_round_trip() {
    let env = Env::new().await;
    let src = env.path("src/album");
    std::fs::create_dir_all(src.join("2024/été")).unwrap();
    let files = [
        ("a.bin", random_bytes(300_000, 1)),
        ("2024/b $cost 'q'.txt", random_bytes(10_000, 2)),
        ("2024/été/ leading.dat", random_bytes(2_500_000, 3)),
    ];
    for (rel, data) in &files {
        std::fs::write(src.join(rel), data).unwrap();
    }
    let engine = env.engine();
    let queued = engine.upload_paths(vec![src.clone()], 0, None).unwrap();
    assert_eq!(queued.len(), 3);
    assert!(queued.iter().all(|t| t.kind == TransferKind::Upload));
    // Queuing the same tree again adds nothing.
    let again = engine.upload_paths(vec![src.clone()], 0, None).unwrap();
    assert_eq!(
        again.iter().map(|t| &t.id).collect::<Vec<_>>(),
        queued.iter().map(|t| &t.id).collect::<Vec<_>>()
    );
    let mut urls = Vec::new();
    for (rel, _) in &files {
        let local = src.join(rel).to_string_lossy().into_owned();
        let t = queued
            .iter()
            .find(|t| t.local_path.as_deref() == Some(local.as_str()))
            .unwrap();
        let t = done(&engine, &t.id).await;
        assert_eq!(t.bytes_done, t.bytes_total);
        urls.push(t.url.clone().expect("an uploaded file has a URL"));
    }
    assert_eq!(env.emu.file_count(), 3);

    // Remote folders: album/2024/été, each created once, names decoded back. (Another
    // client: the engine's pacer just listed these folders and would make us wait.)
    let checker = client_with(&env.emu, &env.key, quick_pacer());
    let root = checker
        .list_folder_fresh(&FolderLsRequest::folder(0))
        .await
        .unwrap();
    let album = root.sub_folders.iter().find(|f| f.name == "album").unwrap();
    let inner = checker
        .list_folder_fresh(&FolderLsRequest::folder(album.id))
        .await
        .unwrap();
    assert_eq!(inner.sub_folders.len(), 1);
    let y2024 = &inner.sub_folders[0];
    let listed = checker
        .list_files_fresh(&FileLsRequest::folder(y2024.id))
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(decode_name(&listed.items[0].filename), "b $cost 'q'.txt");

    // A second upload of the tree into the same folder reuses the folders.
    std::fs::write(src.join("2024/new.txt"), b"new file").unwrap();
    let more = engine
        .upload_paths(vec![src.join("2024/new.txt")], y2024.id, None)
        .unwrap();
    done(&engine, &more[0].id).await;

    // Download everything back.
    let dest = env.path("dl");
    let downloads = engine.download(urls.clone(), dest.clone(), None).unwrap();
    for (t, (rel, data)) in downloads.iter().zip(files.iter()) {
        let t = done(&engine, &t.id).await;
        let local = std::path::PathBuf::from(t.local_path.unwrap());
        assert_eq!(local.parent().unwrap(), dest.as_path());
        let expected_name = std::path::Path::new(rel)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim()
            .to_string();
        assert_eq!(local.file_name().unwrap().to_string_lossy(), expected_name);
        assert_eq!(sha256_file(&local), sha256(data));
    }
    // The same file again: a numbered copy, the first is untouched.
    let twice = engine.download(vec![urls[0].clone()], dest.clone(), None);
    // Already done: a new transfer is queued.
    let t = done(&engine, &twice.unwrap()[0].id).await;
    assert!(t.local_path.unwrap().ends_with("a (1).bin"));
    assert_eq!(sha256_file(&dest.join("a.bin")), sha256(&files[0].1));
    assert!(
        std::fs::read_dir(&dest)
            .unwrap()
            .all(|e| { !e.unwrap().file_name().to_string_lossy().ends_with(".part") })
    );
    let history = engine.history();
    assert_eq!(history.len(), 8);
    let cleared = engine.clear_finished();
    assert_eq!(cleared.len(), 8);
    assert!(engine.list().is_empty());
    assert_eq!(engine.history().len(), 8);
}

#[tokio::test]
async fn refuses_empty_files_and_reports_clearly() {
    let env = Env::new().await;
    std::fs::write(env.path("empty.txt"), b"").unwrap();
    let engine = env.engine();
    let t = engine
        .upload_paths(vec![env.path("empty.txt")], 0, None)
        .unwrap();
    let t = finished(&engine, &t[0].id).await;
    assert_eq!(t.state, TransferState::Failed);
    let e = t.error.unwrap();
    assert_eq!(e.code, "file_empty");
    assert!(!e.retryable);
    assert!(e.message.contains("empty"));
    assert!(
        env.statuses("get_upload_server.cgi").is_empty(),
        "nothing was sent"
    );
    let missing = engine.upload_paths(vec![env.path("nope")], 0, None);
    assert_eq!(missing.unwrap_err().code(), "source_unreadable");
}

#[tokio::test]
async fn pause_keeps_the_part_and_resume_uses_range_with_a_fresh_token() {
    let env = Env::new().await;
    let data = random_bytes(6 << 20, 4);
    let url = env.put("movie.mkv", data.clone(), None).await;
    env.emu.faults().throttle(Some(2 << 20));
    let engine = env.engine();
    let t = engine
        .download(vec![url.clone()], env.path("dl"), None)
        .unwrap()
        .remove(0);
    wait_for(&engine, &t.id, "some progress", |t| {
        t.bytes_done > (1 << 20)
    })
    .await;
    engine.pause(&t.id).unwrap();
    let paused = wait_for(&engine, &t.id, "the pause", |t| {
        t.state == TransferState::Paused
    })
    .await;
    let part = env.path("dl/movie.mkv.part");
    assert!(part.exists(), "the .part is kept");
    let part_len = std::fs::metadata(&part).unwrap().len();
    assert!(part_len > 0 && part_len < data.len() as u64);
    assert_eq!(paused.bytes_done, part_len, "journal = bytes on disk");
    // Links expire while paused; the resume asks for a new one anyway.
    env.emu.faults().expire_tokens_now();
    env.emu.faults().throttle(None);
    engine.resume(&t.id).unwrap();
    let t = done(&engine, &t.id).await;
    assert_eq!(
        sha256_file(env.path("dl/movie.mkv").as_path()),
        sha256(&data)
    );
    assert_eq!(t.bytes_done, data.len() as u64);
    assert_eq!(
        env.statuses("get_token.cgi").len(),
        2,
        "one token per start"
    );
    // The first start looks at one byte (the size, before file/info), then takes the
    // file; the resume asks for the rest with a Range.
    assert_eq!(env.download_statuses(), vec![206, 200, 206]);
}

#[tokio::test]
async fn the_queue_survives_a_restart_and_resumes() {
    let env = Env::new().await;
    let data = random_bytes(3 << 20, 5);
    let url = env.put("keep.bin", data.clone(), None).await;
    env.emu.faults().throttle(Some(1 << 20));
    let id = {
        let engine = env.engine();
        let t = engine
            .download(vec![url.clone()], env.path("dl"), None)
            .unwrap()
            .remove(0);
        wait_for(&engine, &t.id, "some progress", |t| t.bytes_done > 0).await;
        engine.shutdown().await;
        t.id
    };
    env.emu.faults().throttle(None);
    let engine = env.engine();
    let listed = engine.list();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    done(&engine, &id).await;
    assert_eq!(sha256_file(&env.path("dl/keep.bin")), sha256(&data));
    assert_eq!(*env.download_statuses().last().unwrap(), 206);
}

#[tokio::test]
async fn cancel_removes_the_part_and_retry_starts_again() {
    let env = Env::new().await;
    let data = random_bytes(4 << 20, 6);
    let url = env.put("c.bin", data.clone(), None).await;
    env.emu.faults().throttle(Some(1 << 20));
    let engine = env.engine();
    let t = engine
        .download(vec![url], env.path("dl"), None)
        .unwrap()
        .remove(0);
    wait_for(&engine, &t.id, "some progress", |t| t.bytes_done > 0).await;
    engine.cancel(&t.id).unwrap();
    wait_for(&engine, &t.id, "the cancel", |t| {
        t.state == TransferState::Cancelled
    })
    .await;
    assert!(!env.path("dl/c.bin.part").exists());
    env.emu.faults().throttle(None);
    engine.retry(&t.id).unwrap();
    done(&engine, &t.id).await;
    assert_eq!(sha256_file(&env.path("dl/c.bin")), sha256(&data));
}

#[tokio::test]
async fn progress_is_throttled_and_ends_with_a_final_state() {
    let env = Env::new().await;
    let data = random_bytes(3 << 20, 7);
    let url = env.put("p.bin", data.clone(), None).await;
    env.emu.faults().throttle(Some(3 << 20));
    let engine = env.engine();
    let mut rx = engine.subscribe();
    let t = engine
        .download(vec![url], env.path("dl"), None)
        .unwrap()
        .remove(0);
    let id = t.id.clone();
    let events = collect_until(&mut rx, |e| {
        matches!(e, TransferEvent::State { transfer } if transfer.id == id && transfer.state.is_finished())
    })
    .await;
    let progress: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, TransferEvent::Progress { .. }))
        .collect();
    assert!(!progress.is_empty());
    // About one second of transfer: never more than ~10 progress events per second.
    assert!(progress.len() <= 25, "{} progress events", progress.len());
    let TransferEvent::State { transfer } = events.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(transfer.state, TransferState::Done);
    assert_eq!(transfer.bytes_done, data.len() as u64);
    assert!(events.iter().any(|e| matches!(e,
        TransferEvent::State { transfer } if transfer.phase == Some(TransferPhase::Verifying))));
}

#[tokio::test]
async fn concurrency_and_bandwidth_change_live() {
    let env = Env::new().await;
    let engine = env.engine();
    assert_eq!(engine.concurrency(), 2);
    engine.set_concurrency(1);
    assert_eq!(engine.concurrency(), 1);
    engine.set_concurrency(0);
    assert_eq!(engine.concurrency(), 1, "at least one");
    let mut urls = Vec::new();
    for i in 0..3 {
        urls.push(
            env.put(&format!("f{i}"), random_bytes(200_000, i), None)
                .await,
        );
    }
    engine.set_bandwidth_limit(Some(400_000));
    assert_eq!(engine.bandwidth_limit(), Some(400_000));
    let ts = engine.download(urls, env.path("dl"), None).unwrap();
    let mut rx = engine.subscribe();
    // With concurrency 1, never two running at once.
    let mut max_running = 0;
    let ids: Vec<String> = ts.iter().map(|t| t.id.clone()).collect();
    let last = ids.last().unwrap().clone();
    collect_until(&mut rx, |_| {
        let running = engine
            .list()
            .iter()
            .filter(|t| t.state == TransferState::Running)
            .count();
        max_running = max_running.max(running);
        engine.get(&last).unwrap().state.is_finished()
    })
    .await;
    engine.set_bandwidth_limit(None);
    for id in &ids {
        done(&engine, id).await;
    }
    assert!(max_running <= 1, "{max_running}");
}

#[tokio::test]
async fn remote_upload_is_followed_until_it_has_run() {
    let env = Env::new().await;
    let url = env.put("source.bin", random_bytes(50_000, 8), None).await;
    // A reusable token URL on the emulator is something 1fichier can fetch.
    let mut req = GetTokenRequest::new(url);
    req.single = Some(false);
    let token = env.client.get_token(&req).await.unwrap();
    let engine = env.engine();
    let mut rx = engine.subscribe();
    let job = engine
        .remote_upload(vec![token.url.clone()], 0, None)
        .await
        .unwrap();
    assert_eq!(job.results[0].status, RemoteStatus::Pending);
    let events = collect_until(&mut rx, |e| matches!(e, TransferEvent::RemoteResult { .. })).await;
    let TransferEvent::RemoteResult { job: finished } = events.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(finished.id, job.id);
    assert!(finished.execution_date.is_some());
    assert_eq!(finished.results[0].status, RemoteStatus::Ok, "{finished:?}");
    assert!(finished.results[0].download_link.is_some());
    assert!(engine.remote_jobs()[0].is_finished());
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::test]
async fn remote_uploads_made_elsewhere_are_listed_and_can_be_retried_or_forgotten() {
    let env = Env::new().await;
    // Made in the web console (straight through the API): one that works, one that can't.
    let url = env.put("source.bin", random_bytes(20_000, 18), None).await;
    let mut req = GetTokenRequest::new(url);
    req.single = Some(false);
    let token = env.client.get_token(&req).await.unwrap();
    let console = client_with(&env.emu, &env.key, quick_pacer());
    let ok = console
        .remote_request(&fichier_api::RemoteRequest {
            urls: vec![token.url.clone()],
            folder_id: None,
            headers: None,
        })
        .await
        .unwrap();
    let bad = console
        .remote_request(&fichier_api::RemoteRequest {
            urls: vec!["http://127.0.0.1:9/nothing-here.bin".into()],
            folder_id: None,
            headers: None,
        })
        .await
        .unwrap();
    let engine = env.engine();
    assert!(engine.remote_jobs().is_empty());
    assert_eq!(engine.adopt_account_remote_jobs().await.unwrap(), 2);
    let ids: Vec<i64> = engine.remote_jobs().iter().map(|j| j.id).collect();
    assert!(ids.contains(&ok.id) && ids.contains(&bad.id), "{ids:?}");
    // Known ones are not read again: one remote/ls, no remote/info.
    env.emu.clear_log();
    assert_eq!(engine.adopt_account_remote_jobs().await.unwrap(), 0);
    let calls = env.emu.request_counts().by_endpoint;
    assert_eq!(calls.get("/v1/remote/ls.cgi"), Some(&1), "{calls:?}");
    assert_eq!(calls.get("/v1/remote/info.cgi"), None, "{calls:?}");
    // They are followed until they have run, like the app's own.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !engine.remote_jobs().iter().all(|j| j.is_finished()) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            engine.remote_jobs()
        );
        engine.refresh_remote_jobs();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let failed = engine
        .remote_jobs()
        .into_iter()
        .find(|j| j.id == bad.id)
        .unwrap();
    assert_eq!(failed.results[0].status, RemoteStatus::Ko, "{failed:?}");
    // Retry asks again for what failed, as a new job; the old one leaves the list.
    let again = engine.retry_remote_job(bad.id).await.unwrap();
    assert_eq!(again.urls, failed.urls);
    assert_ne!(again.id, bad.id);
    // Forgotten stays forgotten, even though 1fichier still lists it.
    engine.forget_remote_job(ok.id).unwrap();
    assert_eq!(engine.adopt_account_remote_jobs().await.unwrap(), 0);
    let ids: Vec<i64> = engine.remote_jobs().iter().map(|j| j.id).collect();
    assert!(!ids.contains(&ok.id) && !ids.contains(&bad.id) && ids.contains(&again.id));
}

#[tokio::test]
async fn password_protected_files_need_their_password() {
    let env = Env::new().await;
    let data = random_bytes(300_000, 9);
    std::fs::write(env.path("secret.bin"), &data).unwrap();
    let owner = env.engine();
    let up = owner
        .upload_paths(vec![env.path("secret.bin")], 0, Some("hunter22".into()))
        .unwrap();
    let url = done(&owner, &up[0].id).await.url.unwrap();
    owner.shutdown().await;

    // Someone else downloads it: without the password, a clear refusal.
    let other_key = env.emu.add_account(fichier_emulator::Offer::Premium);
    let mut options = env.options();
    options.client = client_with(&env.emu, &other_key, quick_pacer());
    options.db_path = env.path("other.db");
    let other = fichier_core::TransferEngine::open(options).unwrap();
    let t = other
        .download(vec![url.clone()], env.path("dl"), None)
        .unwrap();
    let t = finished(&other, &t[0].id).await;
    assert_eq!(t.state, TransferState::Failed);
    assert_eq!(t.error.unwrap().code, "password_required");
    // With it, the same transfer goes through.
    let again = other
        .download(vec![url], env.path("dl"), Some("hunter22".into()))
        .unwrap();
    assert_eq!(again[0].id, t.id);
    done(&other, &t.id).await;
    assert_eq!(sha256_file(&env.path("dl/secret.bin")), sha256(&data));
}
