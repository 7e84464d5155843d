//! Faults injected by the emulator: 5xx and 429 bursts, floods, dropped connections,
//! HTML or empty upload reports, expired tokens. The client runs on a fake clock.

mod common;

use std::time::Duration;

use common::{Env, bytes_stream, collect};
use fichier_api::*;

fn statuses(env: &Env, suffix: &str) -> Vec<u16> {
    env.emu
        .request_log()
        .iter()
        .filter(|e| e.path.ends_with(suffix))
        .map(|e| e.status)
        .collect()
}

#[tokio::test]
async fn a_5xx_burst_is_ridden_out_with_exponential_backoff_on_reads() {
    let env = Env::plain().await;
    env.emu.faults().fail_next(3, 503);
    let jobs = env.client.remote_jobs().await.unwrap();
    assert!(jobs.data.is_empty());
    assert_eq!(statuses(&env, "remote/ls.cgi"), vec![503, 503, 503, 200]);
    let backoffs: Vec<Duration> = env
        .clock
        .sleeps()
        .into_iter()
        .filter(|d| *d >= Duration::from_secs(1))
        .collect();
    assert_eq!(
        backoffs,
        vec![
            Duration::from_secs(2),
            Duration::from_secs(4),
            Duration::from_secs(8)
        ]
    );
}

#[tokio::test]
async fn reads_give_up_after_max_retries_with_a_server_error() {
    let env = Env::plain().await;
    env.emu.faults().fail_next(20, 500);
    let e = env.client.remote_jobs().await.unwrap_err();
    assert_eq!(e.code(), "server");
    assert!(e.retryable());
    assert_eq!(
        statuses(&env, "remote/ls.cgi").len(),
        5,
        "1 try + 4 retries"
    );
    env.emu.faults().clear();
}

#[tokio::test]
async fn writes_are_not_repeated_after_a_5xx_but_are_after_429() {
    let env = Env::plain().await;
    env.emu.faults().fail_next(1, 502);
    let e = env.client.create_folder(0, "once").await.unwrap_err();
    assert_eq!(e.code(), "server");
    assert_eq!(
        statuses(&env, "folder/mkdir.cgi"),
        vec![502],
        "may have run: not repeated"
    );

    // 429 means nothing was done: safe to repeat even a write.
    env.emu.faults().fail_next(2, 429);
    let made = env.client.create_folder(0, "twice").await.unwrap();
    assert_eq!(made.name, "twice");
    assert_eq!(statuses(&env, "folder/mkdir.cgi"), vec![502, 429, 429, 200]);
}

#[tokio::test]
async fn flood_waits_double_and_end_in_a_flood_error_with_retry_after() {
    let env = Env::plain().await;
    let mut events = env.client.pacer().subscribe();
    // A lock far longer than our (fake) waits: every retry meets it.
    env.emu.faults().flood_lock_for(Duration::from_secs(3600));
    let e = env.client.create_folder(0, "x").await.unwrap_err();
    assert_eq!(e.code(), "flood");
    assert!(e.retryable());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(240)));
    assert_eq!(e.ko().unwrap().text, "Flood detected: IP Locked");
    let summary = serde_json::to_value(e.summary()).unwrap();
    assert_eq!(summary["retryAfter"], 240);
    // 1 try + 3 retries, each after a longer wait; a flood means nothing was done, so
    // even this write was repeated.
    assert_eq!(statuses(&env, "folder/mkdir.cgi"), vec![403; 4]);
    let mut waits = Vec::new();
    while let Ok(ev) = events.try_recv() {
        waits.push(ev.message());
    }
    assert_eq!(
        waits,
        vec![
            "waiting 30 s: 1fichier flood protection",
            "waiting 60 s: 1fichier flood protection",
            "waiting 120 s: 1fichier flood protection",
        ]
    );
    env.emu.faults().clear();
    // The next call goes through and resets the streak.
    env.client.create_folder(0, "x").await.unwrap();
}

#[tokio::test]
async fn a_dropped_upload_is_not_posted_again() {
    let env = Env::plain().await;
    env.emu.faults().drop_upload_after(10_000);
    let data = vec![7u8; 200_000];
    let e = env
        .client
        .upload(
            "big.bin",
            data.len() as u64,
            bytes_stream(data, 4096),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e.code(), ErrorCode::Network | ErrorCode::Timeout),
        "{e:?}"
    );
    assert!(e.retryable());
    assert_eq!(env.count("/upload.cgi"), 1);
    assert_eq!(env.count("/end.pl"), 0);
    assert_eq!(env.emu.file_count(), 0);
}

#[tokio::test]
async fn html_and_empty_upload_reports_are_read_again() {
    let env = Env::plain().await;
    env.emu.faults().end_pl_html_next(2);
    let a = env.upload("a.txt", b"aaa", None).await;
    assert_eq!(env.count("/end.pl"), 3);
    env.emu.faults().end_pl_empty_links_next(2);
    let b = env.upload("b.txt", b"bbb", None).await;
    assert_eq!(env.count("/end.pl"), 6);
    assert_ne!(a, b);
    assert_eq!(env.count("/upload.cgi"), 2, "never re-posted");
    let mut events = env.client.pacer().subscribe();

    // A report that never comes: a protocol error, still without a second upload.
    env.emu.faults().end_pl_html_next(50);
    let e = env
        .client
        .upload(
            "c.txt",
            3,
            bytes_stream(b"ccc".to_vec(), 2),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "protocol");
    assert_eq!(env.count("/upload.cgi"), 3);
    assert_eq!(env.count("/end.pl"), 11, "5 reads for the last upload");
    let _ = events.try_recv();
}

#[tokio::test]
async fn expired_and_used_tokens_are_link_expired() {
    let env = Env::plain().await;
    let url = env.upload("t.txt", b"token test", None).await;
    let token = env
        .client
        .get_token(&GetTokenRequest::new(&url))
        .await
        .unwrap();
    env.emu.faults().expire_tokens_now();
    let e = env
        .client
        .open_token_url(&token.url, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "link_expired");
    assert!(e.retryable());

    let token = env
        .client
        .get_token(&GetTokenRequest::new(&url))
        .await
        .unwrap();
    let d = env.client.open_token_url(&token.url, None).await.unwrap();
    assert_eq!(collect(d.body).await.unwrap(), b"token test");
    // single=1: a token serves one download.
    let e = env
        .client
        .open_token_url(&token.url, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "link_expired");
}

#[tokio::test]
async fn a_dropped_download_resumes_from_where_it_stopped() {
    let env = Env::plain().await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let url = env.upload("r.bin", &data, None).await;
    env.emu.faults().drop_download_after(50_000);
    let first = env
        .client
        .open_download(&GetTokenRequest::new(&url), None)
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut body = first.body;
    let mut failed = None;
    use futures_util::StreamExt;
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(c) => got.extend_from_slice(&c),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    let e = failed.expect("the connection was dropped");
    assert!(
        matches!(e.code(), ErrorCode::Network | ErrorCode::Timeout),
        "{e:?}"
    );
    assert!(got.len() < data.len());
    let rest = env
        .client
        .open_download(&GetTokenRequest::new(&url), Some(got.len() as u64))
        .await
        .unwrap();
    assert!(rest.range_honoured);
    got.extend(collect(rest.body).await.unwrap());
    assert_eq!(got, data);
}

#[tokio::test]
async fn unreachable_server_is_a_network_error_after_retries() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = FakeClock::new();
    let pacer = Pacer::with_clock(PacerConfig::default(), std::sync::Arc::new(clock.clone()));
    let client = FichierClient::with_pacer(
        ClientConfig::with_base(&format!("http://127.0.0.1:{port}/v1")).unwrap(),
        Some(ApiKey::parse("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap()),
        pacer,
    )
    .unwrap();
    // Nothing was sent, so even a write is tried again.
    let e = client.create_folder(0, "x").await.unwrap_err();
    assert_eq!(e.code(), "network");
    assert!(e.to_string().contains("internet connection"));
    let backoffs = clock
        .sleeps()
        .into_iter()
        .filter(|d| *d >= Duration::from_secs(1))
        .count();
    assert_eq!(backoffs, 4);
}

#[tokio::test]
async fn a_listing_refused_with_5xx_does_not_use_up_its_30_s_interval() {
    let env = Env::plain().await;
    env.emu.faults().fail_next(1, 503);
    let listing = env
        .client
        .list_folder(&FolderLsRequest::folder(0))
        .await
        .unwrap();
    assert!(!listing.from_cache);
    assert_eq!(statuses(&env, "folder/ls.cgi"), vec![503, 200]);
    // Only the 2 s backoff, not the listing interval.
    assert!(
        env.clock.total_slept() < Duration::from_secs(5),
        "{:?}",
        env.clock.sleeps()
    );
}
