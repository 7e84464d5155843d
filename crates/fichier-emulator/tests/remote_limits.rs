//! Remote upload holds every redirect hop to the loopback rule and stops at its size cap.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{StatusCode as AxumStatus, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::{Env, no_limits};
use fichier_emulator::EmulatorConfig;
use serde_json::{Value, json};

const CAP: u64 = 1 << 20;

/// A small origin server on loopback, counting the bytes its endless route has sent.
async fn origin() -> (String, Arc<AtomicU64>) {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let redirect = |to: &'static str| {
        move || async move { (AxumStatus::FOUND, [(header::LOCATION, to)]).into_response() }
    };
    let app = Router::new()
        .route("/away", get(redirect("http://10.255.255.1/file.bin")))
        .route(
            "/away-by-name",
            get(redirect("http://example.com/file.bin")),
        )
        .route("/hop", get(redirect("/away")))
        .route("/to-ftp", get(redirect("ftp://127.0.0.1/file.bin")))
        .route("/to-good", get(redirect("/good.bin")))
        .route("/good.bin", get(|| async { vec![5u8; 1000] }))
        .route("/exact.bin", get(|| async { vec![6u8; CAP as usize] }))
        .route(
            "/declared.bin",
            get(|| async { vec![7u8; CAP as usize + 1] }),
        )
        .route(
            "/endless.bin",
            get(move || {
                let counter = counter.clone();
                async move { endless(counter) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, sent)
}

/// A body with no length that never ends, in 64 KiB pieces.
fn endless(sent: Arc<AtomicU64>) -> Response {
    let piece = bytes::Bytes::from(vec![8u8; 64 * 1024]);
    let stream = futures_util::stream::repeat_with(move || {
        sent.fetch_add(piece.len() as u64, Ordering::Relaxed);
        Ok::<_, std::io::Error>(piece.clone())
    });
    Body::from_stream(stream).into_response()
}

async fn env_with_cap() -> Env {
    Env::new(EmulatorConfig {
        remote_max_bytes: CAP,
        ..no_limits()
    })
    .await
}

/// Requests a remote upload of `urls` and waits for its results.
async fn run_job(env: &Env, urls: Vec<String>) -> Vec<Value> {
    let id = env.ok("remote/request.cgi", json!({"urls": urls})).await["id"].clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let info = env.ok("remote/info.cgi", json!({"id": id})).await;
        let results = info["result"].as_array().unwrap();
        if !results.is_empty() {
            return results.clone();
        }
        assert!(Instant::now() < deadline, "the job never finished: {info}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn message(r: &Value) -> &str {
    r["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_redirect_off_loopback_fails_the_url_before_any_connection() {
    let env = env_with_cap().await;
    let (base, _) = origin().await;
    let started = Instant::now();
    let urls = ["away", "away-by-name", "hop", "to-ftp", "to-good"]
        .map(|p| format!("{base}/{p}"))
        .to_vec();
    let results = run_job(&env, urls).await;
    // 10.255.255.1 answers nothing: had it been tried, the job would still be waiting.
    assert!(started.elapsed() < Duration::from_secs(10));
    for (r, refused) in results[..3]
        .iter()
        .zip(["10.255.255.1", "example.com", "10.255.255.1"])
    {
        assert_eq!(r["status"], "KO", "{r}");
        assert!(message(r).contains("loopback"), "{r}");
        assert!(message(r).contains(refused), "{r}");
        assert_eq!(r["download_link"], "");
    }
    assert_eq!(results[3]["status"], "KO");
    assert!(
        message(&results[3]).contains("http and https"),
        "{}",
        results[3]
    );
    // A redirect that stays on loopback is followed.
    assert_eq!(results[4]["status"], "OK", "{}", results[4]);
    let ls = env.ok("file/ls.cgi", json!({})).await;
    assert_eq!(ls["count"], 1);
    assert_eq!(ls["items"][0]["filename"], "good.bin");
    assert_eq!(ls["items"][0]["size"], 1000);
}

#[tokio::test]
async fn a_body_past_the_cap_fails_the_url_and_keeps_nothing() {
    let env = env_with_cap().await;
    let (base, sent) = origin().await;
    let urls = ["endless.bin", "declared.bin", "exact.bin"]
        .map(|p| format!("{base}/{p}"))
        .to_vec();
    let results = run_job(&env, urls).await;
    for r in &results[..2] {
        assert_eq!(r["status"], "KO", "{r}");
        assert!(message(r).starts_with("File too large"), "{r}");
        assert!(message(r).contains(&CAP.to_string()), "{r}");
    }
    assert_eq!(results[2]["status"], "OK", "{}", results[2]);
    // The endless body was dropped soon after the cap: what the origin managed to push
    // is the cap plus what the sockets' buffers hold.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let pushed = sent.load(Ordering::Relaxed);
    assert!(pushed > CAP, "{pushed}");
    assert!(
        pushed < CAP + (32 << 20),
        "the fetch kept reading: {pushed} bytes"
    );
    let settled = sent.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sent.load(Ordering::Relaxed),
        settled,
        "the connection was closed"
    );
    // Only the file within the cap is stored, on disk as in the listing.
    let ls = env.ok("file/ls.cgi", json!({})).await;
    assert_eq!(ls["count"], 1);
    assert_eq!(ls["items"][0]["size"], CAP);
    assert_eq!(std::fs::read_dir(env.emu.data_dir()).unwrap().count(), 1);
}
