//! 200 small files through the queue with concurrency 2, against the emulator with its
//! default rate limits on: everything completes and no call is refused for flooding.

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
    let log = env.emu.request_log();
    let api: Vec<_> = log.iter().filter(|e| e.path.starts_with("/v1/")).collect();
    let refused: Vec<_> = api
        .iter()
        .filter(|e| e.status == 403 || e.status == 429)
        .collect();
    assert!(refused.is_empty(), "refused calls: {refused:?}");
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
