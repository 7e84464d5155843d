//! The request log stays bounded while its counters stay exact.

mod common;

use common::{Env, no_limits};
use fichier_emulator::{EmulatorConfig, RequestCounts};
use reqwest::StatusCode;
use serde_json::json;

fn small_log(capacity: usize) -> EmulatorConfig {
    EmulatorConfig {
        request_log_capacity: capacity,
        ..no_limits()
    }
}

#[tokio::test]
async fn the_log_keeps_the_newest_entries_and_the_counters_keep_counting() {
    let env = Env::new(small_log(20)).await;
    for _ in 0..30 {
        env.ok("remote/ls.cgi", json!({})).await;
    }
    for i in 0..15 {
        let (s, _) = env.call(&format!("nothing/here-{i}.cgi"), json!({})).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let log = env.emu.request_log();
    assert_eq!(log.len(), 20, "the ring holds its capacity, no more");
    // The newest entries survive, in order: 5 listings, then the 15 unknown calls.
    assert!(log[..5].iter().all(|e| e.path == "/v1/remote/ls.cgi"));
    assert_eq!(log[5].path, "/v1/nothing/here-0.cgi");
    assert_eq!(log[19].path, "/v1/nothing/here-14.cgi");
    assert!(log.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));

    let counts = env.emu.request_counts();
    assert_eq!(counts.total, 45);
    assert_eq!(counts.by_endpoint["/v1/remote/ls.cgi"], 30);
    // Names made up by the caller do not each get a counter of their own.
    assert_eq!(counts.by_endpoint["/v1/(unknown)"], 15);
    assert_eq!(counts.by_endpoint.len(), 2);

    let served: RequestCounts = env
        .get_json(&format!("{}/_emulator/log/counts", env.node()))
        .await;
    assert_eq!(served, counts, "control endpoints are not counted");

    env.emu.clear_log();
    assert!(env.emu.request_log().is_empty());
    assert_eq!(env.emu.request_counts(), RequestCounts::default());
}

#[tokio::test]
async fn download_urls_are_counted_under_one_route() {
    let env = Env::new(small_log(4)).await;
    let link = env.upload("a.txt", b"hello", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..5 {
        let token = env.token(&link).await;
        let r = env.http.get(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"hello");
    }
    let counts = env.emu.request_counts();
    assert_eq!(counts.by_endpoint["/{token}"], 5);
    assert_eq!(counts.by_endpoint["/v1/download/get_token.cgi"], 5);
    assert_eq!(counts.by_endpoint["/upload.cgi"], 1);
    assert_eq!(counts.by_endpoint["/end.pl"], 1);
    assert_eq!(counts.by_endpoint["/v1/upload/get_upload_server.cgi"], 1);
    assert_eq!(counts.total, 13);
    assert_eq!(env.emu.request_log().len(), 4);
}
