//! The upload node reads text parts under a cap and bounds the parts of one request.

mod common;

use std::time::Duration;

use common::Env;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The cap on one text part (`message` may hold 2000 characters of UTF-8).
const FIELD_CAP: usize = 8 * 1024;

async fn post_form(env: &Env, form: Form) -> reqwest::Response {
    env.http
        .post(format!("{}/upload.cgi?id=AbCdE12345", env.node()))
        .bearer_auth(&env.key)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn one_file() -> Form {
    Form::new().part("file[]", Part::bytes(b"data".to_vec()).file_name("a.txt"))
}

#[tokio::test]
async fn a_text_part_over_the_cap_is_refused_and_nothing_is_stored() {
    let env = Env::plain().await;
    for name in ["did", "mail", "dpass", "user", "message"] {
        let r = post_form(&env, one_file().text(name, "x".repeat(FIELD_CAP + 1))).await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "{name}");
        let text = r.text().await.unwrap();
        assert!(text.starts_with("Field too large: "), "{text}");
        assert!(text.contains(name), "{text}");
    }
    assert_eq!(env.emu.file_count(), 0);
    assert_eq!(std::fs::read_dir(env.emu.data_dir()).unwrap().count(), 0);

    // Exactly at the cap is fine: a 2000-character message in four-byte characters.
    let message = "😀".repeat(2000);
    assert!(message.len() <= FIELD_CAP);
    let r = post_form(&env, one_file().text("message", message)).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let r = post_form(&env, one_file().text("mails", "m".repeat(FIELD_CAP))).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(env.emu.file_count(), 2);
}

/// Opens a raw upload announcing `length` bytes, sends `parts` of it, and returns what the
/// node answers without the rest of the body ever being sent.
async fn answer_before_the_body_ends(env: &Env, length: u64, parts: &[&[u8]]) -> String {
    let head = format!(
        "POST /upload.cgi?id=AbCdE12345 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: {length}\r\n\r\n",
        env.key
    );
    let s = tokio::net::TcpStream::connect(env.emu.addr())
        .await
        .unwrap();
    let (mut rd, mut wr) = s.into_split();
    let body: Vec<Vec<u8>> = parts.iter().map(|p| p.to_vec()).collect();
    // Written from a task of its own: the node may answer (and close) while this writes.
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        for p in body {
            wr.write_all(&p).await?;
        }
        // Keep the connection open, the body unfinished, while the answer is read.
        tokio::time::sleep(Duration::from_secs(30)).await;
        Ok::<_, std::io::Error>(wr)
    });
    let mut got = Vec::new();
    let mut buf = vec![0u8; 4096];
    let read = async {
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("the node answers before the body is complete");
    writer.abort();
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn a_huge_text_part_is_refused_without_being_read_whole() {
    let env = Env::plain().await;
    // 50 MB announced for one `did` part; only 64 KiB of it is ever sent.
    let head = b"--XX\r\nContent-Disposition: form-data; name=\"did\"\r\n\r\n";
    let answer =
        answer_before_the_body_ends(&env, 50_000_000, &[head, &vec![b'7'; 64 * 1024]]).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert_eq!(env.emu.file_count(), 0);
}

#[tokio::test]
async fn part_headers_that_never_end_are_refused() {
    let env = Env::plain().await;
    // A part whose headers go on for 17 MiB: the parser would have to hold all of it.
    let head = b"--XX\r\nContent-Disposition: form-data; name=\"did\"\r\nX-Pad: ";
    let pad = vec![b'p'; 17 << 20];
    let answer = answer_before_the_body_ends(&env, 40 << 20, &[head, &pad]).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(env.emu.file_count(), 0);
}

#[tokio::test]
async fn text_parts_are_counted() {
    let env = Env::plain().await;
    let mut form = one_file();
    for i in 0..64 {
        form = form.text(format!("extra{i}"), "1");
    }
    assert_eq!(post_form(&env, form).await.status(), StatusCode::FOUND);
    let mut form = one_file();
    for i in 0..65 {
        form = form.text(format!("extra{i}"), "1");
    }
    let r = post_form(&env, form).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().starts_with("Too many fields"));
    assert_eq!(env.emu.file_count(), 1);
}

#[tokio::test]
async fn five_hundred_files_fit_in_one_request_but_not_more() {
    let env = Env::plain().await;
    let many = |n: usize| {
        (0..n).fold(Form::new().text("did", "0"), |f, i| {
            f.part(
                "file[]",
                Part::bytes(vec![b'a' + (i % 26) as u8]).file_name(format!("f{i}.txt")),
            )
        })
    };
    let r = post_form(&env, many(501)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(env.emu.file_count(), 0);
    let r = post_form(&env, many(500)).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let report = env.end_pl_json("AbCdE12345").await;
    assert_eq!(report["links"].as_array().unwrap().len(), 500);
    assert_eq!(report["links"][499]["filename"], json!("f499.txt"));
}
