//! Numbers at and past the edges of their types, in every place a request carries one:
//! each gets a proper HTTP answer, and the emulator keeps serving afterwards.

mod common;

use std::time::Duration;

use common::{Env, no_limits};
use fichier_emulator::{EmulatorConfig, Limits};
use reqwest::StatusCode;
use serde_json::{Value, json};

const U64_MAX: &str = "18446744073709551615";
const PAST_U64: &str = "18446744073709551616";

/// The emulator still answers an ordinary call.
async fn still_serving(env: &Env) {
    env.ok("remote/ls.cgi", json!({})).await;
}

async fn raw_json(env: &Env, path: &str, body: &str) -> (StatusCode, Value) {
    let r = env
        .http
        .post(format!("{}/v1/{path}", env.node()))
        .bearer_auth(&env.key)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("an answer, not a dropped connection");
    let status = r.status();
    (status, r.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn range_headers_at_the_edges_of_u64() {
    let env = Env::plain().await;
    let link = env.upload("r.bin", &[9u8; 100], 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let token = env.ok("download/get_token.cgi", json!({"url": link})).await["url"]
        .as_str()
        .unwrap()
        .to_string();
    let cases: &[(String, u16, usize)] = &[
        (format!("bytes={U64_MAX}-"), 416, 0),
        (format!("bytes={U64_MAX}-{U64_MAX}"), 416, 0),
        (format!("bytes=0-{U64_MAX}"), 206, 100),
        (format!("bytes=-{U64_MAX}"), 206, 100),
        (format!("bytes=99-{U64_MAX}"), 206, 1),
        (format!("bytes={PAST_U64}-"), 200, 100),
        (format!("bytes=0-{PAST_U64}"), 200, 100),
        ("bytes=-0".to_string(), 200, 100),
        ("bytes=-1-5".to_string(), 200, 100),
        ("bytes=--5".to_string(), 200, 100),
        ("bytes=5-2".to_string(), 200, 100),
        ("bytes=100-".to_string(), 416, 0),
    ];
    for (range, status, len) in cases {
        let r = env
            .http
            .get(&token)
            .header("Range", range)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{range}: {e}"));
        assert_eq!(r.status().as_u16(), *status, "{range}");
        if *status == 416 {
            assert_eq!(r.headers()["content-range"], "bytes */100", "{range}");
        }
        assert_eq!(r.bytes().await.unwrap().len(), *len, "{range}");
    }
    still_serving(&env).await;
}

#[tokio::test]
async fn json_numbers_out_of_range_get_a_ko() {
    let env = Env::plain().await;
    let huge = [
        U64_MAX,
        PAST_U64,
        "9223372036854775808",
        "-9223372036854775809",
        "1e300",
        "-1e300",
        "0.5",
    ];
    for n in huge {
        for (path, field) in [
            ("folder/ls.cgi", "folder_id"),
            ("file/ls.cgi", "folder_id"),
            ("folder/mkdir.cgi", "folder_id"),
            ("remote/info.cgi", "id"),
            ("folder/rm.cgi", "folder_id"),
            ("user/info.cgi", "page_limit"),
        ] {
            for value in [n.to_string(), format!("\"{n}\"")] {
                let body = format!("{{\"{field}\": {value}, \"name\": \"x\"}}");
                let (s, v) = raw_json(&env, path, &body).await;
                assert!(s.is_client_error(), "{path} {body}: {s} {v}");
                assert_eq!(v["status"], "KO", "{path} {body}");
            }
        }
    }
    // In range for an i64 but naming nothing: not found.
    for id in [i64::MAX, i64::MIN, -1, -2] {
        let (s, v) = env.call("folder/ls.cgi", json!({"folder_id": id})).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{id}: {v}");
        let (s, _) = env.call("remote/info.cgi", json!({"id": id})).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{id}");
    }
    still_serving(&env).await;
}

async fn control(env: &Env, path: &str, body: &str) -> StatusCode {
    env.http
        .post(format!("{}/_emulator/{path}", env.node()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("an answer, not a dropped connection")
        .status()
}

#[tokio::test]
async fn control_endpoints_refuse_numbers_they_cannot_honour() {
    let env = Env::plain().await;
    for body in [
        format!("{{\"seconds\": {U64_MAX}}}"),
        format!("{{\"seconds\": {PAST_U64}}}"),
        "{\"seconds\": -1}".to_string(),
        "{\"seconds\": 2.5}".to_string(),
        "{\"seconds\": \"ten\"}".to_string(),
        "{\"seconds\": 2592001}".to_string(),
        "not json".to_string(),
    ] {
        assert_eq!(
            control(&env, "flood", &body).await,
            StatusCode::BAD_REQUEST,
            "{body}"
        );
    }
    // None of them started a lock.
    still_serving(&env).await;

    for body in [
        format!("{{\"fail_next\": {PAST_U64}}}"),
        "{\"fail_next\": -1}".to_string(),
        "{\"fail_status\": 65536}".to_string(),
        "{\"fail_status\": 65535}".to_string(),
        "{\"fail_status\": 200}".to_string(),
        format!("{{\"drop_upload_after\": {PAST_U64}}}"),
        "{\"throttle_bytes_per_sec\": -5}".to_string(),
    ] {
        let s = control(&env, "faults", &body).await;
        assert!(s.is_client_error(), "{body}: {s}");
    }
    still_serving(&env).await;

    // The largest values that fit are honoured without overflowing anywhere.
    let body = format!(
        "{{\"drop_upload_after\": {U64_MAX}, \"drop_download_after\": {U64_MAX}, \"throttle_bytes_per_sec\": {U64_MAX}}}"
    );
    assert_eq!(control(&env, "faults", &body).await, StatusCode::OK);
    let got = env.upload_and_fetch("big-numbers.txt", b"still fine").await;
    assert_eq!(got, b"still fine");
    let throttle_one = "{\"throttle_bytes_per_sec\": 1, \"fail_next\": 4294967295}";
    assert_eq!(control(&env, "faults", throttle_one).await, StatusCode::OK);
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    env.emu.faults().clear();
    assert_eq!(
        control(&env, "flood", "{\"seconds\": 2592000}").await,
        StatusCode::NO_CONTENT
    );
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lifetimes_and_locks_too_long_to_represent_do_not_overflow() {
    let env = Env::new(EmulatorConfig {
        token_ttl: Duration::MAX,
        rate_limits: true,
        limits: Limits {
            per_second: 1000,
            flood_lock: Duration::MAX,
            user_info_interval: Duration::from_secs(300),
            ..Limits::default()
        },
        ..no_limits()
    })
    .await;
    let got = env.upload_and_fetch("ttl.txt", b"forever").await;
    assert_eq!(got, b"forever");
    // A second user/info within the interval trips a lock that never ends.
    env.ok("user/info.cgi", json!({})).await;
    let (s, _) = env.call("user/info.cgi", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = env.call("remote/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    env.emu.faults().flood_lock_for(Duration::MAX);
    env.emu.faults().clear();
    still_serving(&env).await;
}

#[tokio::test]
async fn upload_lengths_and_folder_ids_past_their_types() {
    let env = Env::plain().await;
    for length in [U64_MAX, PAST_U64, "-1"] {
        let req = format!(
            "POST /upload.cgi?id=AbCdE12345 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: {length}\r\n\r\n"
        );
        // Refused before any body byte: 413 from the node, or 4xx from the HTTP layer.
        let status = env.raw_status(&req, b"").await;
        let code: u16 = status
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        assert!((400..500).contains(&code), "{length}: {status}");
    }
    // A folder id that fits no integer sends the file to the root, as an unknown one does.
    for did in [U64_MAX, PAST_U64, "-9223372036854775808", "1e99"] {
        let entry = env
            .upload_with("did.txt", b"x", &[("did", did.to_string())])
            .await;
        assert_eq!(entry["filename"], "did.txt", "{did}");
    }
    let ls = env.ok("file/ls.cgi", json!({"folder_id": 0})).await;
    assert_eq!(ls["count"], 4);
    // Query strings with numbers past u64 are read as text, never as numbers.
    let r = env
        .http
        .get(format!(
            "{}/end.pl?xid={PAST_U64}&JSON={PAST_U64}",
            env.node()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    still_serving(&env).await;
}
