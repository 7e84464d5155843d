//! The pacer against the emulator's real rate limits, on the real clock.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::config_for;
use fichier_api::*;
use fichier_emulator::{Emulator, EmulatorConfig, Offer};

#[tokio::test]
async fn a_burst_of_50_calls_never_trips_the_rate_limit() {
    // Default emulator: 3 requests/s per key and per IP, 30 s lock.
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let key = emu.add_account(Offer::Premium);
    let client = FichierClient::new(config_for(&emu), ApiKey::parse(&key).unwrap()).unwrap();
    // 50 callers at once sharing one client (and so one pacer).
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.remote_jobs().await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().expect("no call is refused");
    }
    let log = emu.request_log();
    assert_eq!(log.len(), 50);
    assert!(log.iter().all(|e| e.status == 200), "{log:?}");
}

#[tokio::test]
async fn rate_limited_reads_come_from_the_cache_instead_of_flooding() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let key = emu.add_account(Offer::Premium);
    let client = FichierClient::new(config_for(&emu), ApiKey::parse(&key).unwrap()).unwrap();
    for _ in 0..3 {
        client.user_info().await.unwrap();
        client
            .list_folder(&FolderLsRequest::folder(0))
            .await
            .unwrap();
        client.list_files(&FileLsRequest::folder(0)).await.unwrap();
        client
            .list_files(&FileLsRequest::all_files())
            .await
            .unwrap();
    }
    let made = client.create_folder(0, "fresh").await.unwrap();
    let root = client
        .list_folder(&FolderLsRequest::folder(0))
        .await
        .unwrap();
    assert!(root.from_cache);
    assert!(root.sub_folders.iter().any(|s| s.id == made.folder_id));
    let log = emu.request_log();
    assert_eq!(log.len(), 5, "{log:?}");
    assert!(log.iter().all(|e| e.status == 200), "{log:?}");
    // The hourly all-files listing is refused locally when the cache is gone.
    client.account().invalidate_caches();
    let e = client
        .list_files(&FileLsRequest::all_files())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "flood");
    assert!(e.retry_after().unwrap() > Duration::from_secs(3000));
    assert_eq!(emu.request_log().len(), 5, "nothing sent");
}

#[tokio::test]
async fn a_flood_lock_is_waited_out_and_announced() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let key = emu.add_account(Offer::Premium);
    let pacer = Pacer::new(PacerConfig {
        flood_wait: Duration::from_millis(1500),
        ..PacerConfig::default()
    });
    let mut events = pacer.subscribe();
    let client =
        FichierClient::with_pacer(config_for(&emu), Some(ApiKey::parse(&key).unwrap()), pacer)
            .unwrap();
    emu.faults().flood_lock_for(Duration::from_secs(1));
    let made = client.create_folder(0, "after-the-lock").await.unwrap();
    assert_eq!(made.name, "after-the-lock");
    let statuses: Vec<u16> = emu.request_log().iter().map(|e| e.status).collect();
    assert_eq!(statuses, vec![403, 200]);
    assert_eq!(
        events.try_recv().unwrap(),
        PacerEvent::Waiting {
            seconds: 2,
            reason: WaitReason::Flood
        }
    );
}

#[tokio::test]
async fn a_shared_pacer_spaces_two_clients_of_one_account() {
    // Fake clock: the emulator's limits (on real time) are off for this one.
    let emu = Emulator::start(common::no_limits()).await.unwrap();
    let key = ApiKey::parse(&emu.add_account(Offer::Premium)).unwrap();
    let clock = FakeClock::new();
    let pacer = Pacer::with_clock(PacerConfig::default(), Arc::new(clock.clone()));
    let account = AccountHandle::new(pacer);
    let a =
        FichierClient::with_account(config_for(&emu), Some(key.clone()), account.clone()).unwrap();
    let b = FichierClient::with_account(config_for(&emu), Some(key), account).unwrap();
    let t0 = clock.now();
    a.remote_jobs().await.unwrap();
    b.remote_jobs().await.unwrap();
    a.remote_jobs().await.unwrap();
    assert_eq!(clock.now() - t0, Duration::from_millis(1000));
    // One cache for both: b sees what a listed.
    a.list_folder(&FolderLsRequest::folder(0)).await.unwrap();
    assert!(
        b.list_folder(&FolderLsRequest::folder(0))
            .await
            .unwrap()
            .from_cache
    );
}

#[tokio::test]
async fn transfer_hosts_take_no_pacer_slot() {
    // Upload nodes and download hosts are outside the API's rate limits: opening token URLs
    // and reading the upload report right after API calls must not wait for the pacer.
    let emu = Emulator::start(common::no_limits()).await.unwrap();
    let key = emu.add_account(Offer::Premium);
    let (client, clock) = common::fake_clock_client(&emu, &key);
    let data = b"paced or not".to_vec();
    let opts = UploadOptions::default();
    let up = client
        .upload(
            "p.txt",
            data.len() as u64,
            common::bytes_stream(data, 4),
            &opts,
        )
        .await
        .expect("upload");
    // get_upload_server is the first API call (no wait); upload.cgi and end.pl take no slot.
    assert_eq!(clock.total_slept(), Duration::ZERO, "{:?}", clock.sleeps());
    let url = up.download;
    let tokens: Vec<String> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(
                client
                    .get_token(&GetTokenRequest::new(&url))
                    .await
                    .unwrap()
                    .url,
            );
        }
        v
    };
    let slept_after_api = clock.total_slept();
    for t in &tokens {
        let d = client.open_token_url(t, None).await.unwrap();
        common::collect(d.body).await.unwrap();
    }
    assert_eq!(
        clock.total_slept(),
        slept_after_api,
        "opening token URLs waited for the pacer: {:?}",
        clock.sleeps()
    );
}

#[tokio::test]
async fn the_next_process_keeps_the_rules_the_previous_one_started() {
    // Two clients with separate pacers stand for two processes (an app and its restart,
    // or two `fichier` commands) sharing one memory folder.
    // The emulator and the pacers agree on a 4 s listing rule instead of 30 s.
    let listing = Duration::from_secs(4);
    let mut config = EmulatorConfig::default();
    config.limits.listing_interval = listing;
    let emu = Emulator::start(config).await.unwrap();
    let key = emu.add_account(Offer::Premium);
    let pacing = || PacerConfig {
        listing_interval: listing,
        interval_margin: Duration::from_millis(300),
        ..PacerConfig::default()
    };
    let dir = std::env::temp_dir().join(format!("fichier-pacing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let process = || {
        let c = FichierClient::with_pacer(
            config_for(&emu),
            Some(ApiKey::parse(&key).unwrap()),
            Pacer::new(pacing()),
        )
        .unwrap();
        c.remember_pacing_in(&dir);
        c
    };
    let first = process();
    let info = first.user_info().await.unwrap();
    first
        .list_folder(&FolderLsRequest::folder(0))
        .await
        .unwrap();
    first.list_files(&FileLsRequest::all_files()).await.unwrap();
    assert_eq!(emu.request_log().len(), 3);

    let second = process();
    // The account information comes from the memory: no call.
    let again = second.user_info().await.unwrap();
    assert!(again.from_cache);
    assert_eq!(again.email, info.email);
    // The hourly listing is refused locally with the time left, not sent to be flooded.
    let e = second
        .list_files(&FileLsRequest::all_files())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "flood");
    assert!(e.retry_after().unwrap() > Duration::from_secs(3000));
    // The folder listed a moment ago is listed again only once its interval has passed: the
    // second process waits (announcing it) instead of earning a flood lock.
    let mut events = second.pacer().subscribe();
    let started = std::time::Instant::now();
    second
        .list_folder(&FolderLsRequest::folder(0))
        .await
        .unwrap();
    assert!(
        started.elapsed() > Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(
        events.try_recv().unwrap(),
        PacerEvent::Waiting {
            reason: WaitReason::ListingInterval,
            ..
        }
    ));
    let log = emu.request_log();
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(
        log.iter().all(|e| e.status == 200),
        "no flood answer: {log:?}"
    );

    // A third process, made after a flood answer, holds too.
    emu.faults().flood_lock_for(Duration::from_secs(2));
    let held = Pacer::new(PacerConfig {
        flood_wait: Duration::from_secs(2),
        ..pacing()
    });
    let third =
        FichierClient::with_pacer(config_for(&emu), Some(ApiKey::parse(&key).unwrap()), held)
            .unwrap();
    third.remember_pacing_in(&dir);
    third.remote_jobs().await.unwrap();
    let fourth = process();
    let mut events = fourth.pacer().subscribe();
    fourth.remote_jobs().await.unwrap();
    let statuses: Vec<u16> = emu.request_log().iter().map(|e| e.status).collect();
    assert_eq!(statuses[4..], [403, 200, 200], "the fourth was not flooded");
    let _ = events.try_recv();
    std::fs::remove_dir_all(&dir).unwrap();
}
