//! Hosts given by the server are checked before anything (the key above all) is sent.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use common::{Env, FakeServer};
use fichier_api::*;
use futures_util::stream;

const KEY: &str = "Key_key-key=KEYkey0123456789abcd";

fn client_for(server: &FakeServer) -> FichierClient {
    let pacer = Pacer::with_clock(PacerConfig::default(), Arc::new(FakeClock::new()));
    FichierClient::with_pacer(
        ClientConfig::with_base(&server.api_base()).unwrap(),
        Some(ApiKey::parse(KEY).unwrap()),
        pacer,
    )
    .unwrap()
}

/// A file stream that records whether anyone read it.
fn watched_stream(
    flag: Arc<AtomicBool>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    stream::poll_fn(move |_| {
        flag.store(true, Ordering::SeqCst);
        std::task::Poll::Ready(Some(Ok(Bytes::from_static(b"abc"))))
    })
}

#[tokio::test]
async fn hostile_upload_nodes_are_refused_before_anything_is_sent() {
    for node in [
        "evil.example.com".to_string(),
        "up2.1fichier.com.evil.net".to_string(),
        "10.0.0.1:8080".to_string(),
        "127.0.0.1:1/x".to_string(),
        "user@127.0.0.1".to_string(),
        "https://127.0.0.1".to_string(),
    ] {
        let body = serde_json::json!({"url": node, "id": "abcdef1234"}).to_string();
        let server = FakeServer::start(move |_| (200, body.clone())).await;
        let client = client_for(&server);
        let read = Arc::new(AtomicBool::new(false));
        let e = client
            .upload(
                "f.txt",
                3,
                watched_stream(read.clone()),
                &UploadOptions::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "host_not_allowed", "{node}: {e:?}");
        assert!(!read.load(Ordering::SeqCst), "{node}: the file was read");
        let seen = server.seen();
        assert_eq!(seen.len(), 1, "{node}: only get_upload_server was called");
        assert!(seen[0].path.ends_with("/v1/upload/get_upload_server.cgi"));
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn a_bad_upload_id_is_refused_too() {
    let server =
        FakeServer::start(|_| (200, r#"{"url":"127.0.0.1","id":"../../etc/x"}"#.to_string())).await;
    let client = client_for(&server);
    let read = Arc::new(AtomicBool::new(false));
    let e = client
        .upload(
            "f.txt",
            3,
            watched_stream(read.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "protocol");
    assert!(!read.load(Ordering::SeqCst));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn hostile_token_urls_are_refused_before_they_are_opened() {
    for url in [
        "http://evil.example.com/c123456789",
        "https://a-4.1fichier.com.evil.net/c123456789",
        "https://evil@a-4.1fichier.com/c1",
        "http://a-4.1fichier.com/c123456789",
        "ftp://127.0.0.1/c1",
        "http://192.168.1.1/c1",
    ] {
        let body = serde_json::json!({"status": "OK", "url": url}).to_string();
        let server = FakeServer::start(move |_| (200, body.clone())).await;
        let client = client_for(&server);
        let e = client
            .open_download(
                &GetTokenRequest::new("https://1fichier.com/?abcde12345"),
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "host_not_allowed", "{url}");
        assert_eq!(server.seen().len(), 1, "{url}: only get_token was called");
    }
}

#[tokio::test]
async fn token_urls_are_opened_without_the_key() {
    // The token URL points back at the fake server: we see the headers it gets.
    let server = FakeServer::start_with(|addr| {
        move |req: &common::Seen| {
            if req.path.starts_with("/v1/download/get_token.cgi") {
                (
                    200,
                    format!(r#"{{"status":"OK","url":"http://{addr}/c123456789"}}"#),
                )
            } else {
                (200, "file body".to_string())
            }
        }
    })
    .await;
    let client = client_for(&server);
    let d = client
        .open_download(
            &GetTokenRequest::new("https://1fichier.com/?abcde12345"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(common::collect(d.body).await.unwrap(), b"file body");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0]
            .header("authorization")
            .is_some_and(|v| v == format!("Bearer {KEY}"))
    );
    assert_eq!(seen[1].path, "/c123456789");
    assert!(
        seen[1].header("authorization").is_none(),
        "no key on a token URL"
    );
}

#[tokio::test]
async fn the_emulator_sees_no_key_on_token_urls_and_website_pages() {
    let env = Env::plain().await;
    let url = env.upload("k.txt", b"key?", None).await;
    let d = env
        .client
        .open_download(&GetTokenRequest::new(&url), None)
        .await
        .unwrap();
    common::collect(d.body).await.unwrap();
    env.client.check_links(&[url]).await.unwrap();
    for e in env.emu.request_log() {
        let api = e.path.starts_with("/v1/") || e.path == "/upload.cgi" || e.path == "/end.pl";
        assert_eq!(e.key_fingerprint.is_some(), api, "{e:?}");
    }
}

#[tokio::test]
async fn the_upload_request_is_framed_exactly() {
    let server = FakeServer::start_with(|addr| {
        move |req: &common::Seen| {
            if req.path.ends_with("get_upload_server.cgi") {
                (200, format!(r#"{{"url":"{addr}","id":"Fhl1aZERQv"}}"#))
            } else if req.path.starts_with("/upload.cgi") {
                (302, String::new())
            } else {
                (
                    200,
                    r#"{"incoming":0,"links":[{"download":"https://1fichier.com/?abcdefghij0123456789","filename":"r.txt","size":"5","whirlpool":"00","remove":""}]}"#
                        .to_string(),
                )
            }
        }
    })
    .await;
    let client = client_for(&server);
    let up = client
        .upload(
            "r.txt",
            5,
            common::bytes_stream(b"hello".to_vec(), 2),
            &UploadOptions {
                folder_id: Some(12),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(up.size, 5);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    let post = &seen[1];
    assert_eq!(post.method, "POST");
    assert_eq!(post.path, "/upload.cgi?id=Fhl1aZERQv");
    assert_eq!(
        post.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        post.body.len()
    );
    assert!(post.header("transfer-encoding").is_none());
    let ct = post.header("content-type").unwrap();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    assert!(!boundary.starts_with('"'), "boundary unquoted");
    let body = String::from_utf8(post.body.clone()).unwrap();
    assert!(body.contains("name=\"did\"\r\n\r\n12\r\n"));
    assert!(body.contains("name=\"file[]\"; filename=\"r.txt\""));
    assert!(body.ends_with(&format!("hello\r\n--{boundary}--\r\n")));
    assert!(
        post.header("authorization").is_some(),
        "loopback node of a loopback API"
    );
    let end = &seen[2];
    assert_eq!(end.method, "GET");
    assert_eq!(end.path, "/end.pl?xid=Fhl1aZERQv");
    assert_eq!(end.header("json"), Some("1"));
}
