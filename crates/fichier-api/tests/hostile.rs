//! The client against servers that misbehave: an answer that trickles, an answer of
//! gigabytes, error pages of any size, an upload node that keeps failing.

use std::sync::Arc;
use std::time::Duration;

use fichier_api::*;
use fichier_emulator::hostile::{
    HostileServer, Request, Step, endless_json, head, json, trickling_json,
};

const KEY: &str = "HostileKeyHostileKeyHostileKey01";

fn client(server: &HostileServer, tweak: impl FnOnce(&mut ClientConfig)) -> FichierClient {
    let mut config = ClientConfig::with_base(&format!("{}/v1", server.base())).unwrap();
    tweak(&mut config);
    let pacer = PacerConfig {
        min_interval: Duration::from_millis(5),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        ..PacerConfig::default()
    };
    FichierClient::with_pacer(config, Some(ApiKey::parse(KEY).unwrap()), Pacer::new(pacer)).unwrap()
}

#[tokio::test]
async fn an_answer_that_trickles_is_cut_off_by_the_deadline() {
    // Headers, "{", then a space every 200 ms for a minute: the read timeout alone would
    // never fire.
    let server = HostileServer::start(Arc::new(|_: &Request| {
        trickling_json(Duration::from_millis(200), 300)
    }))
    .await;
    let c = client(&server, |c| {
        c.api_timeout = Duration::from_secs(1);
        c.api_deadline = Duration::from_secs(2);
    });
    // A safety net only: the call must end long before it.
    let e = tokio::time::timeout(Duration::from_secs(30), c.user_info_fresh())
        .await
        .expect("the call ended")
        .unwrap_err();
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(e.to_string().contains("within 1 s"), "{e}");
    let tries = server.count("/v1/user/info.cgi");
    assert!(
        (1..=3).contains(&tries),
        "retried within the deadline only: {tries}"
    );
}

#[tokio::test]
async fn an_answer_of_gigabytes_is_refused_at_the_cap() {
    // 3 GiB of a JSON array, chunked (no length announced).
    let server = HostileServer::start(Arc::new(|_: &Request| {
        endless_json(b"[", br#"{"filename":"x","size":1},"#, 3)
    }))
    .await;
    let c = client(&server, |_| {});
    let e = c
        .list_files_fresh(&FileLsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "answer_too_large", "{e}");
    assert!(e.to_string().contains("too large to be real"), "{e}");
    assert_eq!(server.count("/v1/file/ls.cgi"), 1, "not asked again");

    // Announced up front: refused without reading.
    let server = HostileServer::start(Arc::new(|_: &Request| {
        vec![Step::Send(head(
            200,
            &[("Content-Length", (3u64 << 30).to_string())],
        ))]
    }))
    .await;
    let e = client(&server, |_| {})
        .list_files_fresh(&FileLsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "answer_too_large");
}

#[tokio::test]
async fn a_huge_error_page_is_read_only_at_its_start() {
    let server = HostileServer::start(Arc::new(|_: &Request| {
        vec![
            Step::Send(head(503, &[("Content-Type", "text/html".into())])),
            Step::Send(b"<html><body>maintenance".to_vec()),
            Step::Repeat {
                chunk: vec![b'x'; 64 << 10],
                times: 16384,
            },
        ]
    }))
    .await;
    let c = client(&server, |c| c.api_deadline = Duration::from_millis(1));
    let e = c.user_info_fresh().await.unwrap_err();
    assert_eq!(e.code(), "server", "{e}");
}

#[tokio::test]
async fn upload_report_retries_back_off_and_never_hold_the_account() {
    // end.pl fails twice with a 503, then answers.
    let end_pl_calls = Arc::new(std::sync::Mutex::new(Vec::<std::time::Instant>::new()));
    let log = end_pl_calls.clone();
    let server = HostileServer::start(Arc::new(move |req: &Request| match req.path() {
        "/end.pl" => {
            let mut l = log.lock().unwrap();
            l.push(std::time::Instant::now());
            if l.len() <= 2 {
                json(503, "busy")
            } else {
                json(
                    200,
                    r#"{"links":[{"download":"https://1fichier.com/?abc","filename":"a.txt","size":"3","whirlpool":"00"}]}"#,
                )
            }
        }
        _ => json(200, r#"{"status":"OK","data":[]}"#),
    }))
    .await;
    let mut c = client(&server, |c| c.end_pl_delay = Duration::from_millis(10));
    let pacer = PacerConfig {
        min_interval: Duration::from_millis(5),
        backoff_initial: Duration::from_secs(1),
        backoff_max: Duration::from_secs(2),
        ..PacerConfig::default()
    };
    c = FichierClient::with_pacer(
        c.config().clone(),
        Some(ApiKey::parse(KEY).unwrap()),
        Pacer::new(pacer),
    )
    .unwrap();
    let node = url::Url::parse(&format!("{}/", server.base())).unwrap();
    let report = c.clone();
    let reading = tokio::spawn(async move { report.upload_report(&node, "abcdef").await });
    // Once end.pl has failed, an unrelated API call goes through at once, not after the
    // node's backoff.
    while end_pl_calls.lock().unwrap().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    c.remote_jobs().await.unwrap();
    let account_answered = std::time::Instant::now();
    let r = reading.await.unwrap().unwrap();
    assert_eq!(r.links.len(), 1);
    let at = end_pl_calls.lock().unwrap().clone();
    assert_eq!(at.len(), 3);
    assert!(
        account_answered < at[1],
        "the account waited for the node's backoff"
    );
    let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
    // 1 s then 2 s of backoff, never back to back.
    for (gap, min) in gaps.iter().zip([1000u64, 2000]) {
        assert!(*gap >= Duration::from_millis(min), "{gaps:?}");
    }
}
