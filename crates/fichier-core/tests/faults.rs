//! The fault matrix: every injected failure ends in a correct file or a clear error, never
//! in "done" with wrong bytes, and the queue stays intact.

mod common;

use common::*;
use fichier_api::{FileLsRequest, RenameEntry};
use fichier_core::{TransferEvent, TransferPhase, TransferState};

#[tokio::test]
async fn connection_dropped_mid_download_resumes_with_range() {
    let env = Env::new().await;
    let data = random_bytes(5 << 20, 11);
    let url = env.put("d.bin", data.clone(), None).await;
    env.emu.faults().drop_download_after(2 << 20);
    let engine = env.engine();
    let t = engine.download(vec![url], env.path("dl"), None).unwrap();
    done(&engine, &t[0].id).await;
    assert_eq!(sha256_file(&env.path("dl/d.bin")), sha256(&data));
    let statuses = env.download_statuses();
    // A one-byte look at the bare link (its size), then the file, then the resume.
    assert_eq!(statuses.get(..2), Some(&[206, 200][..]), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&206), "{statuses:?}");
}

#[tokio::test]
async fn token_expired_mid_download_gets_a_new_one() {
    let env = Env::new().await;
    let data = random_bytes(4 << 20, 12);
    let url = env.put("e.bin", data.clone(), None).await;
    // The link expires while the transfer runs, then the connection breaks.
    env.emu.faults().throttle(Some(2 << 20));
    env.emu.faults().drop_download_after(3 << 19);
    let engine = env.engine();
    let t = engine.download(vec![url], env.path("dl"), None).unwrap();
    wait_for(&engine, &t[0].id, "progress", |t| t.bytes_done > (1 << 19)).await;
    env.emu.faults().expire_tokens_now();
    wait_for(&engine, &t[0].id, "the break", |t| {
        t.bytes_done >= (3 << 19)
    })
    .await;
    env.emu.faults().throttle(None);
    done(&engine, &t[0].id).await;
    assert_eq!(sha256_file(&env.path("dl/e.bin")), sha256(&data));
    assert!(
        env.statuses("get_token.cgi").len() >= 2,
        "a fresh link for the resume"
    );
    let statuses = env.download_statuses();
    assert!(
        !statuses.contains(&410),
        "an expired link is never reused: {statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&206));
}

#[tokio::test]
async fn connection_dropped_mid_upload_restarts_and_leaves_one_file() {
    let env = Env::new().await;
    let data = random_bytes(3 << 20, 13);
    std::fs::write(env.path("u.bin"), &data).unwrap();
    env.emu.faults().drop_upload_after(1 << 20);
    let engine = env.engine();
    let mut rx = engine.subscribe();
    let t = engine
        .upload_paths(vec![env.path("u.bin")], 0, None)
        .unwrap();
    let t = done(&engine, &t[0].id).await;
    assert_eq!(env.emu.file_count(), 1, "one file on the server, not two");
    let mut saw_retrying = false;
    while let Ok(ev) = rx.try_recv() {
        if let TransferEvent::State { transfer } = ev
            && transfer.phase == Some(TransferPhase::Retrying)
            && transfer.state == TransferState::Queued
        {
            saw_retrying = true;
            assert!(transfer.error.is_some(), "the UI can say why");
            assert_eq!(transfer.bytes_done, 0, "an upload starts over");
        }
    }
    assert!(saw_retrying, "the restart is visible");
    let listed = env
        .client
        .list_files_fresh(&FileLsRequest::folder(0))
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].url, t.url.unwrap());
    assert_eq!(
        listed.items[0].checksum.as_deref(),
        Some(fichier_core::hashing::whirlpool_hex(&data).as_str())
    );
}

#[tokio::test]
async fn server_errors_and_html_reports_are_ridden_out() {
    let env = Env::new().await;
    let data = random_bytes(1 << 20, 14);
    std::fs::write(env.path("s.bin"), &data).unwrap();
    env.emu.faults().fail_next(3, 502);
    env.emu.faults().end_pl_html_next(2);
    env.emu.faults().end_pl_empty_links_next(1);
    let engine = env.engine();
    let t = engine
        .upload_paths(vec![env.path("s.bin")], 0, None)
        .unwrap();
    let t = done(&engine, &t[0].id).await;
    assert_eq!(env.emu.file_count(), 1);
    env.emu.faults().fail_next(4, 503);
    let d = engine
        .download(vec![t.url.unwrap()], env.path("dl"), None)
        .unwrap();
    done(&engine, &d[0].id).await;
    assert_eq!(sha256_file(&env.path("dl/s.bin")), sha256(&data));
}

#[tokio::test]
async fn flood_lock_is_waited_out_and_visible() {
    let env = Env::new().await;
    let data = random_bytes(100_000, 15);
    let url = env.put("f.bin", data.clone(), None).await;
    env.emu
        .faults()
        .flood_lock_for(std::time::Duration::from_secs(2));
    let engine = env.engine();
    let mut rx = engine.subscribe();
    let t = engine.download(vec![url], env.path("dl"), None).unwrap();
    done(&engine, &t[0].id).await;
    assert_eq!(sha256_file(&env.path("dl/f.bin")), sha256(&data));
    let mut saw_wait = false;
    let mut saw_phase = false;
    while let Ok(ev) = rx.try_recv() {
        match ev {
            TransferEvent::PacerWait { reason, .. } => {
                saw_wait |= reason == fichier_core::PacerReason::Flood
            }
            TransferEvent::State { transfer } => {
                saw_phase |= transfer.phase == Some(TransferPhase::WaitingFlood)
            }
            _ => {}
        }
    }
    assert!(saw_wait, "a pacerWait event says why");
    assert!(saw_phase, "the transfer shows waitingFlood");
    assert!(
        env.statuses("get_token.cgi").contains(&403) || env.statuses("info.cgi").contains(&403)
    );
}

#[tokio::test]
async fn unreadable_source_fails_clearly_and_the_queue_stays_intact() {
    let env = Env::new().await;
    std::fs::write(env.path("gone.bin"), b"soon gone").unwrap();
    std::fs::write(env.path("ok.bin"), b"still here").unwrap();
    let engine = env.engine();
    engine.pause_all();
    let ts = engine
        .upload_paths(vec![env.path("gone.bin"), env.path("ok.bin")], 0, None)
        .unwrap();
    engine.pause(&ts[0].id).unwrap();
    engine.pause(&ts[1].id).unwrap();
    std::fs::remove_file(env.path("gone.bin")).unwrap();
    engine.resume_all();
    let bad = finished(&engine, &ts[0].id).await;
    assert_eq!(bad.state, TransferState::Failed);
    let e = bad.error.unwrap();
    assert_eq!(e.code, "source_unreadable");
    assert!(e.message.contains("gone.bin"), "{}", e.message);
    done(&engine, &ts[1].id).await;
    assert_eq!(engine.list().len(), 2);
    assert_eq!(env.emu.file_count(), 1);
}

#[tokio::test]
async fn file_renamed_on_the_server_during_a_download() {
    let env = Env::new().await;
    let data = random_bytes(4 << 20, 16);
    let url = env.put("before.bin", data.clone(), None).await;
    env.emu.faults().throttle(Some(2 << 20));
    let engine = env.engine();
    let t = engine
        .download(vec![url.clone()], env.path("dl"), None)
        .unwrap();
    wait_for(&engine, &t[0].id, "progress", |t| t.bytes_done > (1 << 20)).await;
    let other = client_with(&env.emu, &env.key, quick_pacer());
    other
        .rename_files(&[RenameEntry {
            url: url.clone(),
            filename: "after.bin".into(),
        }])
        .await
        .unwrap();
    engine.pause(&t[0].id).unwrap();
    wait_for(&engine, &t[0].id, "pause", |t| {
        t.state == TransferState::Paused
    })
    .await;
    env.emu.faults().throttle(None);
    engine.resume(&t[0].id).unwrap();
    let t = done(&engine, &t[0].id).await;
    // The name chosen at the start is kept; the bytes are the file's.
    assert!(t.local_path.as_deref().unwrap().ends_with("before.bin"));
    assert_eq!(sha256_file(&env.path("dl/before.bin")), sha256(&data));
}

#[tokio::test]
async fn a_restart_after_a_crash_finds_the_upload_that_reached_the_server() {
    let env = Env::new().await;
    let data = random_bytes(200_000, 17);
    std::fs::write(env.path("crash.bin"), &data).unwrap();
    let id = {
        let engine = env.engine();
        let t = engine
            .upload_paths(vec![env.path("crash.bin")], 0, None)
            .unwrap();
        done(&engine, &t[0].id).await;
        engine.shutdown().await;
        t[0].id.clone()
    };
    // As if the process died after 1fichier stored the file but before we recorded it.
    let db = rusqlite::Connection::open(env.path("queue.db")).unwrap();
    db.execute(
        "UPDATE transfers SET state='running', upload_started=1, url=NULL WHERE id=?1",
        [&id],
    )
    .unwrap();
    drop(db);
    let uploads_before = env.statuses("get_upload_server.cgi").len();
    let engine = env.engine();
    let t = done(&engine, &id).await;
    assert!(t.url.is_some());
    assert_eq!(env.emu.file_count(), 1, "not uploaded a second time");
    assert_eq!(env.statuses("get_upload_server.cgi").len(), uploads_before);
}

#[tokio::test]
async fn full_disk_keeps_the_part_and_says_so() {
    let env = Env::new().await;
    let mount = env.path("small");
    std::fs::create_dir_all(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "skipped here: can't mount a small tmpfs (fichier-cli's test uses RLIMIT_FSIZE instead)"
        );
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mount.clone());
    let data = random_bytes(12 << 20, 18);
    let url = env.put("big.bin", data, None).await;
    let engine = env.engine();
    let t = engine.download(vec![url], mount.clone(), None).unwrap();
    let t = finished(&engine, &t[0].id).await;
    assert_eq!(t.state, TransferState::Failed);
    let e = t.error.unwrap();
    assert_eq!(e.code, "disk_full");
    assert!(e.message.contains("full"));
    let part = mount.join("big.bin.part");
    assert!(part.exists(), "the .part is kept");
    assert!(!mount.join("big.bin").exists());
    assert_eq!(engine.list().len(), 1);
    engine.shutdown().await;
}
