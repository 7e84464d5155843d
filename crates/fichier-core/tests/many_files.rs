//! Many small files through the queue: against the emulator with its default rate limits
//! on, everything completes, no call is refused for flooding, and small files go up in
//! batches (one upload node and one report per batch, each file verified on its own).

mod common;

use std::time::Duration;

use common::*;
use fichier_api::PacerConfig;
use fichier_core::TransferState;
use fichier_emulator::EmulatorConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_small_files_without_tripping_the_rate_limits() {
    // rclone's spacing (400 ms); every other rule as the app ships it.
    let pacer = PacerConfig {
        min_interval: Duration::from_millis(400),
        ..PacerConfig::default()
    };
    let env = Env::with(EmulatorConfig::default(), pacer).await;
    let src = env.path("many");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..200u64 {
        std::fs::write(
            src.join(format!("f{i:03}.txt")),
            random_bytes(1000 + i as usize, i),
        )
        .unwrap();
    }
    let engine = env.engine();
    assert_eq!(engine.concurrency(), 2);
    let queued = engine.upload_paths(vec![src.clone()], 0, None).unwrap();
    assert_eq!(queued.len(), 200);
    for t in &queued {
        let t = finished(&engine, &t.id).await;
        assert_eq!(t.state, TransferState::Done, "{t:?}");
    }
    assert_eq!(env.emu.file_count(), 200);
    // Two batches of 100: one upload node asked of the API per batch, not per file.
    assert_eq!(env.statuses("/upload/get_upload_server.cgi").len(), 2);
    assert_eq!(env.statuses("/upload.cgi").len(), 2);
    let log = env.emu.request_log();
    let api: Vec<_> = log.iter().filter(|e| e.path.starts_with("/v1/")).collect();
    let refused: Vec<_> = api
        .iter()
        .filter(|e| e.status == 403 || e.status == 429)
        .collect();
    assert!(refused.is_empty(), "refused calls: {refused:?}");
    // What 1fichier holds is what is on disk, file by file.
    let root = env
        .client
        .list_folder(&fichier_api::FolderLsRequest::folder(0))
        .await
        .unwrap();
    let many = root
        .sub_folders
        .iter()
        .find(|f| f.name == "many")
        .unwrap()
        .id;
    let listed = env
        .client
        .list_files_fresh(&fichier_api::FileLsRequest::folder(many))
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 200);
    for item in &listed.items {
        let local = std::fs::read(src.join(&item.filename)).unwrap();
        assert_eq!(
            item.checksum.as_deref(),
            Some(fichier_core::hashing::whirlpool_hex(&local).as_str()),
            "{}",
            item.filename
        );
    }
    // No more than 3 API calls in any one-second window, as the emulator measures.
    for (i, e) in api.iter().enumerate() {
        let in_window = api[i..]
            .iter()
            .take_while(|o| o.at_ms < e.at_ms + 1000)
            .count();
        assert!(
            in_window <= 3,
            "{in_window} calls within a second at {} ms",
            e.at_ms
        );
    }
}

#[tokio::test]
async fn a_batch_whose_report_was_lost_is_adopted_not_sent_twice() {
    let env = Env::new().await;
    let src = env.path("lost");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..30u64 {
        std::fs::write(
            src.join(format!("p{i:02}.jpg")),
            random_bytes(2000 + i as usize, i),
        )
        .unwrap();
    }
    // The files reach 1fichier, but its report never comes: the batch can't tell.
    env.emu.faults().end_pl_empty_links_next(5);
    let engine = env.engine();
    let queued = engine.upload_paths(vec![src.clone()], 0, None).unwrap();
    assert_eq!(queued.len(), 30);
    for t in &queued {
        finished(&engine, &t.id).await;
    }
    assert_eq!(env.emu.file_count(), 30, "sent once");
    assert_eq!(
        env.statuses("/upload.cgi").len(),
        1,
        "one request for the 30 files"
    );
    // The retry found them with one listing of the folder, each with its Whirlpool.
    assert_eq!(env.statuses("/file/ls.cgi").len(), 1);
    for t in &queued {
        let t = engine.get(&t.id).unwrap();
        assert_eq!(t.state, fichier_core::TransferState::Done, "{t:?}");
        assert!(t.url.is_some());
    }
}

#[tokio::test]
async fn one_file_of_a_batch_can_be_cancelled_and_is_not_left_on_1fichier() {
    let env = Env::new().await;
    let src = env.path("some");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..8u64 {
        std::fs::write(src.join(format!("d{i}.txt")), random_bytes(300_000, i)).unwrap();
    }
    // Slow enough to cancel one while the batch is on its way.
    env.emu.faults().throttle(Some(400_000));
    let engine = env.engine();
    let queued = engine.upload_paths(vec![src.clone()], 0, None).unwrap();
    let victim = queued[5].id.clone();
    wait_for(&engine, &victim, "the batch running", |t| {
        t.state == fichier_core::TransferState::Running
    })
    .await;
    engine.cancel(&victim).unwrap();
    for t in &queued {
        finished(&engine, &t.id).await;
    }
    env.emu.faults().throttle(None);
    let states: Vec<_> = queued
        .iter()
        .map(|t| (t.name.clone(), engine.get(&t.id).map(|t| t.state)))
        .collect();
    assert_eq!(
        engine.get(&victim).unwrap().state,
        fichier_core::TransferState::Cancelled,
        "{states:?}"
    );
    assert_eq!(
        env.emu.file_count(),
        7,
        "the cancelled file was removed: {states:?}"
    );
    assert_eq!(env.statuses("/upload.cgi").len(), 1);
}
