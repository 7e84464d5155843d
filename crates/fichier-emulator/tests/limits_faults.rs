//! Rate limits, flood locks, the request log and every injectable fault.

mod common;

use std::time::{Duration, Instant};

use common::{Env, assert_ko, no_limits, pattern};
use fichier_emulator::{EmulatorConfig, FaultPlan, Limits, fingerprint};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn limited(lock: Duration) -> EmulatorConfig {
    EmulatorConfig {
        limits: Limits {
            flood_lock: lock,
            ..Limits::default()
        },
        ..EmulatorConfig::default()
    }
}

#[tokio::test]
async fn a_burst_over_three_per_second_trips_a_flood_lock_that_lasts() {
    let env = Env::new(limited(Duration::from_millis(1500))).await;
    for _ in 0..3 {
        let (s, _) = env.call("remote/ls.cgi", json!({})).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, v) = env.call("remote/ls.cgi", json!({})).await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Flood detected: IP Locked");
    assert!(v["message"].as_str().unwrap().ends_with("#374"));
    // The lock outlasts the one-second window.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn calls_spaced_at_the_documented_rate_never_trip() {
    let env = Env::new(EmulatorConfig::default()).await;
    for _ in 0..8 {
        let (s, v) = env.call("remote/ls.cgi", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
}

#[tokio::test]
async fn per_endpoint_limits_user_info_listings_and_all_files() {
    let env = Env::new(limited(Duration::from_millis(200))).await;
    let pause = || tokio::time::sleep(Duration::from_millis(450));
    env.ok("user/info.cgi", json!({})).await;
    pause().await;
    let (s, v) = env.call("user/info.cgi", json!({})).await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Flood detected: IP Locked");
    assert!(
        v["message"].as_str().unwrap().ends_with("#38"),
        "user/info floods say #38: {v}"
    );
    pause().await;

    env.ok("folder/ls.cgi", json!({"folder_id": 0})).await;
    pause().await;
    // Another endpoint on the same folder, or another folder, is fine.
    env.ok("file/ls.cgi", json!({"folder_id": 0})).await;
    pause().await;
    let d = env.mkdir("D", 0).await;
    pause().await;
    env.ok("folder/ls.cgi", json!({"folder_id": d})).await;
    pause().await;
    let (s, v) = env.call("folder/ls.cgi", json!({"folder_id": 0})).await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Flood detected");
    pause().await;

    env.ok("file/ls.cgi", json!({"folder_id": -1})).await;
    pause().await;
    let (s, v) = env.call("file/ls.cgi", json!({"folder_id": -1})).await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Flood detected");
}

#[tokio::test]
async fn limits_apply_per_ip_across_keys() {
    let env = Env::new(limited(Duration::from_secs(5))).await;
    let keys: Vec<String> = (0..4)
        .map(|_| env.emu.add_account(fichier_emulator::Offer::Premium))
        .collect();
    for k in &keys[..3] {
        let (s, _) = env.call_as(Some(k), "remote/ls.cgi", json!({})).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, v) = env
        .call_as(Some(&keys[3]), "remote/ls.cgi", json!({}))
        .await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Flood detected");
}

#[tokio::test]
async fn injected_flood_lock_and_server_errors() {
    let env = Env::plain().await;
    env.emu.faults().flood_lock_for(Duration::from_millis(300));
    let (s, v) = env.call("remote/ls.cgi", json!({})).await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Flood detected: IP Locked");
    tokio::time::sleep(Duration::from_millis(350)).await;
    env.ok("remote/ls.cgi", json!({})).await;

    env.emu.faults().fail_next(2, 502);
    for _ in 0..2 {
        let (s, v) = env.call("remote/ls.cgi", json!({})).await;
        assert_eq!(s, StatusCode::BAD_GATEWAY);
        assert!(
            v["raw"].as_str().unwrap().contains("<html>"),
            "5xx pages are nginx HTML: {v}"
        );
    }
    env.ok("remote/ls.cgi", json!({})).await;
    env.emu.faults().fail_next(1, 429);
    let (s, v) = env.call("remote/ls.cgi", json!({})).await;
    assert_ko(s, &v, StatusCode::TOO_MANY_REQUESTS, "Flood detected");
    env.ok("remote/ls.cgi", json!({})).await;
}

#[tokio::test]
async fn end_pl_can_answer_html_or_no_links_once() {
    let env = Env::plain().await;
    let xid = env.post_upload(Some(&env.key), "a.txt", b"abc", &[]).await;
    env.emu.faults().end_pl_html_next(1);
    let r = env
        .http
        .get(format!("{}/end.pl?xid={xid}", env.node()))
        .header("JSON", "1")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().starts_with("<!DOCTYPE html>"));
    env.emu.faults().end_pl_empty_links_next(1);
    assert_eq!(env.end_pl_json(&xid).await["links"], json!([]));
    assert_eq!(
        env.end_pl_json(&xid).await["links"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_dropped_upload_stores_nothing() {
    let env = Env::plain().await;
    env.emu.faults().drop_upload_after(100_000);
    let host = json!(env.emu.addr().to_string());
    let sent = env
        .http
        .post(format!(
            "http://{}/upload.cgi?id=AbCdE12345",
            host.as_str().unwrap()
        ))
        .bearer_auth(&env.key)
        .multipart(reqwest::multipart::Form::new().part(
            "file[]",
            reqwest::multipart::Part::bytes(pattern(1_000_000, 1)).file_name("big.bin"),
        ))
        .send()
        .await;
    // Either an error answer or a connection closed under the client: never the 302.
    if let Ok(r) = sent {
        assert_ne!(r.status(), StatusCode::FOUND);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(env.emu.file_count(), 0);
    // The fault is used up: the next upload works.
    env.upload("big.bin", &pattern(1_000_000, 1), 0).await;
    assert_eq!(env.emu.file_count(), 1);
}

#[tokio::test]
async fn a_dropped_download_delivers_exactly_the_bytes_before_the_cut() {
    let env = Env::plain().await;
    let bytes = pattern(2_000_000, 5);
    let url = env.upload("d.bin", &bytes, 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    env.emu.faults().drop_download_after(777_777);
    let token = env.token(&url).await;
    let mut resp = env.http.get(&token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut got = Vec::new();
    let mut failed = false;
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => got.extend_from_slice(&c),
            Ok(None) => break,
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(failed, "the client must see the connection break");
    assert_eq!(got.len(), 777_777);
    assert_eq!(got, bytes[..777_777]);
    // Resuming with Range from the cut gives the rest.
    let token = env.token(&url).await;
    let rest = env
        .http
        .get(&token)
        .header("Range", "bytes=777777-")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(rest.as_ref(), &bytes[777_777..]);
}

#[tokio::test]
async fn throttling_slows_transfers_down() {
    let env = Env::plain().await;
    let bytes = pattern(300_000, 2);
    let url = env.upload("t.bin", &bytes, 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    env.emu.faults().throttle(Some(1_000_000));
    let token = env.token(&url).await;
    let t = Instant::now();
    let got = env
        .http
        .get(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    // A lower bound from the throttle's own pacing, not a speed measurement.
    assert!(
        t.elapsed() >= Duration::from_millis(240),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(got.len(), 300_000);
    env.emu.faults().clear();
}

#[tokio::test]
async fn faults_can_be_driven_over_http() {
    let env = Env::plain().await;
    let plan = FaultPlan {
        fail_next: 1,
        fail_status: 503,
        ..FaultPlan::default()
    };
    let r = env
        .http
        .post(format!("{}/_emulator/faults", env.node()))
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    let r = env
        .http
        .post(format!("{}/_emulator/flood", env.node()))
        .json(&json!({"seconds": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let r: Value = env
        .http
        .post(format!("{}/_emulator/accounts", env.node()))
        .json(&json!({"offer": "free"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["key"].as_str().unwrap().len(), 32);
}

#[tokio::test]
async fn the_request_log_names_calls_by_key_fingerprint_only() {
    let env = Env::new(no_limits()).await;
    env.ok("remote/ls.cgi", json!({})).await;
    env.call_as(None, "folder/ls.cgi", json!({})).await;
    let log = env.emu.request_log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].path, "/v1/remote/ls.cgi");
    assert_eq!(log[0].status, 200);
    assert_eq!(
        log[0].key_fingerprint.as_deref(),
        Some(fingerprint(&env.key).as_str())
    );
    assert_eq!(log[1].status, 401);
    assert_eq!(log[1].key_fingerprint, None);
    let served: String = env
        .http
        .get(format!("{}/_emulator/log", env.node()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!served.contains(&env.key), "the key itself is never logged");
    env.emu.clear_log();
    assert!(env.emu.request_log().is_empty());
}
