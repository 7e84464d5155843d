//! Which earlier transfer `enqueue_uploads` hands back instead of queueing a new one.

use std::collections::HashSet;
use std::time::Duration;

use fichier_api::{ApiKey, ClientConfig, FichierClient, Pacer, PacerConfig};
use fichier_emulator::{Emulator, EmulatorConfig, Offer};

use super::{FinishedSince, TransferEngine};
use crate::queue::now_ms;
use crate::types::TransferState;
use crate::{EngineOptions, Settings};

async fn engine(dir: &std::path::Path) -> (Emulator, TransferEngine) {
    let emu = Emulator::start(EmulatorConfig {
        rate_limits: false,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let key = emu.add_account(Offer::Premium);
    let config = ClientConfig::with_base(&emu.api_base()).unwrap();
    let pacer = Pacer::new(PacerConfig {
        min_interval: Duration::from_millis(5),
        ..PacerConfig::default()
    });
    let client =
        FichierClient::with_pacer(config, Some(ApiKey::parse(&key).unwrap()), pacer).unwrap();
    let settings = Settings {
        download_dir: dir.join("downloads").to_string_lossy().into_owned(),
        ..Settings::default()
    };
    let engine = TransferEngine::open(EngineOptions::new(dir.join("q.db"), client, settings));
    (emu, engine.unwrap())
}

async fn finished(engine: &TransferEngine, id: &str) -> super::UploadResult {
    for _ in 0..1200 {
        let r = engine.upload_result(id).unwrap();
        if r.state.is_finished() {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the upload did not finish");
}

#[tokio::test]
async fn a_finished_upload_is_reused_only_when_recent_and_of_the_same_content() {
    let dir = tempfile::tempdir().unwrap();
    let (_emu, engine) = engine(dir.path()).await;
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, b"the same content, twice asked for").unwrap();
    let place = || vec![(file.clone(), Some("docs".to_string()))];
    let before = now_ms();
    let first = engine.enqueue_uploads(place(), 0, None, None).unwrap();
    let res = finished(&engine, &first[0].id).await;
    assert_eq!(res.state, TransferState::Done);
    let hash = res.checksum.clone().unwrap();

    // Queues the file again, taking a transfer finished since `since` with `sum`.
    let ask = |since: u64, sum: &str, taken: &[&String]| {
        let taken: HashSet<String> = taken.iter().map(|t| t.to_string()).collect();
        let sums = [sum.to_string()];
        let reuse = FinishedSince {
            since_ms: since,
            checksums: &sums,
            taken: &taken,
        };
        engine
            .enqueue_uploads(place(), 0, None, Some(reuse))
            .unwrap()[0]
            .id
            .clone()
    };

    // Finished since `before`, same Whirlpool: that transfer is the answer.
    assert_eq!(ask(before, &hash, &[]), first[0].id);
    // Unless its result was used already.
    let used = ask(before, &hash, &[&first[0].id]);
    assert_ne!(used, first[0].id);
    finished(&engine, &used).await;

    // Another content expected: a new transfer.
    let other = ask(before, &"0".repeat(128), &[]);
    assert!(![&first[0].id, &used].contains(&&other));
    finished(&engine, &other).await;

    // Finished before the moment given: not taken either.
    let fresh = ask(now_ms() + 1, &hash, &[]);
    assert!(![&first[0].id, &used, &other].contains(&&fresh));
    finished(&engine, &fresh).await;
    // Without the option, a finished transfer is never reused.
    let plain = engine.enqueue_uploads(place(), 0, None, None).unwrap();
    let earlier = [&first[0].id, &used, &other, &fresh];
    assert!(!earlier.contains(&&plain[0].id));
}
