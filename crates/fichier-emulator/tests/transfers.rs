//! The upload node, end.pl, the download host and remote upload, through raw HTTP.

mod common;

use std::time::Duration;

use common::{Env, assert_ko, no_limits, pattern, whirlpool};
use fichier_emulator::{EmulatorConfig, Offer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

fn blob_files(env: &Env) -> usize {
    std::fs::read_dir(env.emu.data_dir()).unwrap().count()
}

#[tokio::test]
async fn upload_into_a_folder_with_a_password() {
    let env = Env::plain().await;
    let d = env.mkdir("In", 0).await;
    let bytes = pattern(123_457, 9);
    let link = env
        .upload_with(
            "x.bin",
            &bytes,
            &[("did", d.to_string()), ("dpass", "hunter22".into())],
        )
        .await;
    let url = link["download"].as_str().unwrap();
    let info = env.ok("file/info.cgi", json!({"url": url})).await;
    assert_eq!(info["folder_id"], d);
    assert_eq!(info["pass"], 1);
    assert_eq!(info["checksum"], whirlpool(&bytes));
    // An unknown folder id uploads to the root.
    let link = env.upload("y.bin", b"y", 987_654).await;
    let info = env
        .ok("file/info.cgi", json!({"url": link["download"]}))
        .await;
    assert_eq!(info["folder_id"], 0);
    // Duplicate names are allowed: two files, two URLs.
    let a = env.upload("dup.txt", b"1", 0).await;
    let b = env.upload("dup.txt", b"2", 0).await;
    assert_ne!(a["download"], b["download"]);
}

#[tokio::test]
async fn several_files_in_one_request_and_the_report_formats() {
    let env = Env::plain().await;
    let server: Value = env
        .http
        .post(format!(
            "{}/upload/get_upload_server.cgi",
            env.emu.api_base()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = server["id"].as_str().unwrap();
    let form = reqwest::multipart::Form::new()
        .part(
            "file[]",
            reqwest::multipart::Part::bytes(b"aaaa".to_vec()).file_name("a.txt"),
        )
        .part(
            "file[]",
            reqwest::multipart::Part::bytes(b"bbbbbb".to_vec()).file_name("b.txt"),
        )
        .text("did", "0");
    let r = env
        .http
        .post(format!(
            "http://{}/upload.cgi?id={id}",
            server["url"].as_str().unwrap()
        ))
        .bearer_auth(&env.key)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let v = env.end_pl_json(id).await;
    assert_eq!(v["incoming"], 0);
    assert_eq!(v["links"].as_array().unwrap().len(), 2);
    assert_eq!(v["links"][1]["size"], "6");
    // JSON also as a query parameter.
    let q: Value = env
        .http
        .get(format!("{}/end.pl?xid={id}&JSON=1", env.node()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q, v);
    let csv = env
        .http
        .get(format!("{}/end.pl?xid={id}", env.node()))
        .header("EXPORT", "1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 2);
    assert!(csv.starts_with("a.txt;4;"), "{csv}");
    let html = env
        .http
        .post(format!("{}/end.pl?xid={id}", env.node()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<table class=\"premium\">") && html.contains("Upload finished"),
        "{html}"
    );
    assert!(html.contains("4 o"));
    let r = env
        .http
        .get(format!("{}/end.pl?xid=Nope123456", env.node()))
        .header("JSON", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn anonymous_uploads_get_a_removal_link() {
    let env = Env::plain().await;
    let xid = env.post_upload(None, "anon.txt", b"anon", &[]).await;
    let link = env.end_pl_json(&xid).await["links"][0].clone();
    let remove = link["remove"].as_str().unwrap();
    assert!(
        remove.starts_with(&format!("{}/remove/", env.node())),
        "{link}"
    );
    let r = env
        .http
        .get(format!("{remove}?force=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(env.emu.file_count(), 0);
    // An anonymous upload naming a registered recipient lands in that account, flagged incoming.
    let email = env.ok("user/info.cgi", json!({})).await["email"]
        .as_str()
        .unwrap()
        .to_string();
    let xid = env
        .post_upload(None, "gift.txt", b"gift", &[("user", email)])
        .await;
    assert_eq!(env.end_pl_json(&xid).await["incoming"], 1);
    let ls = env.ok("file/ls.cgi", json!({})).await;
    assert_eq!(ls["items"][0]["filename"], "gift.txt");
}

#[tokio::test]
async fn uploads_that_break_the_rules_are_refused_and_store_nothing() {
    let env = Env::plain().await;
    let host = json!(env.emu.addr().to_string());
    // Empty file.
    let r = env
        .send_multipart(Some(&env.key), &host, "AbCdE12345", "empty.txt", b"", &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Empty files"));
    // Forbidden character.
    let r = env
        .send_multipart(Some(&env.key), &host, "AbCdE12345", "a<b>.txt", b"x", &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Wrong key.
    let r = env
        .send_multipart(
            Some("0123456789abcdef0123456789abcdef"),
            &host,
            "AbCdE12345",
            "a.txt",
            b"x",
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // An id that is not 1-10 alphanumerics.
    let r = env
        .send_multipart(Some(&env.key), &host, "../etc", "a.txt", b"x", &[])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(env.emu.file_count(), 0);
    assert_eq!(blob_files(&env), 0, "no half-stored file");
}

#[tokio::test]
async fn length_is_required_and_checked_before_the_body() {
    let env = Env::plain().await;
    let head = format!(
        "POST /upload.cgi?id=AbCdE12345 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 400000000000\r\n\r\n",
        env.key
    );
    // 400 GB announced, nothing sent: refused at once.
    assert!(env.raw_status(&head, b"").await.contains("413"));
    let chunked = "POST /upload.cgi?id=AbCdE12345 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nTransfer-Encoding: chunked\r\n\r\n";
    assert!(env.raw_status(chunked, b"0\r\n\r\n").await.contains("411"));
}

#[tokio::test]
async fn a_client_that_disconnects_mid_upload_leaves_nothing() {
    let env = Env::plain().await;
    let body_start =
        b"--XX\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"cut.bin\"\r\n\r\n";
    let head = format!(
        "POST /upload.cgi?id=AbCdE12345 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 1000000\r\n\r\n",
        env.key
    );
    {
        let mut s = tokio::net::TcpStream::connect(env.emu.addr())
            .await
            .unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(body_start).await.unwrap();
        s.write_all(&vec![7u8; 200_000]).await.unwrap();
        // Dropped here, 800 kB short.
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(env.emu.file_count(), 0);
    assert_eq!(blob_files(&env), 0);
}

#[tokio::test]
async fn download_tokens_serve_ranges_heads_and_names() {
    let env = Env::plain().await;
    let bytes = pattern(300_000, 4);
    let url = env.upload("Été 2025.bin", &bytes, 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let v = env.ok("download/get_token.cgi", json!({"url": url})).await;
    let token = v["url"].as_str().unwrap().to_string();
    let path = token.rsplit('/').next().unwrap();
    assert!(
        path.len() > 5
            && path[..1].chars().all(|c| c.is_ascii_lowercase())
            && path[1..].chars().all(|c| c.is_ascii_digit()),
        "{token}"
    );

    let h = env.http.head(&token).send().await.unwrap();
    assert_eq!(h.status(), StatusCode::OK);
    assert_eq!(h.headers()["content-length"], "300000");
    assert_eq!(h.headers()["accept-ranges"], "bytes");
    let cd = h.headers()["content-disposition"].to_str().unwrap();
    assert!(
        cd.starts_with("attachment; filename=")
            && cd.contains("filename*=UTF-8''%C3%89t%C3%A9%202025"),
        "{cd}"
    );

    let r = env
        .http
        .get(&token)
        .header("Range", "bytes=1000-1999")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.headers()["content-range"], "bytes 1000-1999/300000");
    assert_eq!(r.headers()["content-length"], "1000");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[1000..2000]);

    let r = env
        .http
        .get(&token)
        .header("Range", "bytes=299000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[299_000..]);
    let r = env
        .http
        .get(&token)
        .header("Range", "bytes=300000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(r.headers()["content-range"], "bytes */300000");
    let r = env.http.get(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());
    // `inline` changes the disposition.
    let r = env
        .http
        .head(format!("{token}?inline=1"))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline;")
    );
}

#[tokio::test]
async fn single_tokens_serve_one_get_and_tokens_expire() {
    let env = Env::new(EmulatorConfig {
        token_ttl: Duration::from_millis(600),
        ..no_limits()
    })
    .await;
    let url = env.upload("a.bin", b"abcdef", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let token = env.token(&url).await;
    // A HEAD does not use the token up; the first GET does.
    assert_eq!(
        env.http.head(&token).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        env.http.get(&token).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        env.http.get(&token).send().await.unwrap().status(),
        StatusCode::GONE
    );
    // Without `single`, a token serves many requests until it expires.
    let multi = env.ok("download/get_token.cgi", json!({"url": url})).await["url"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..3 {
        assert_eq!(
            env.http.get(&multi).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        env.http.get(&multi).send().await.unwrap().status(),
        StatusCode::GONE
    );
    // expire_tokens_now kills live tokens at once.
    let t = env.token(&url).await;
    env.emu.faults().expire_tokens_now();
    assert_eq!(
        env.http.get(&t).send().await.unwrap().status(),
        StatusCode::GONE
    );
    assert_eq!(
        env.http
            .get(format!("{}/favicon.ico", env.node()))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn passwords_acl_owner_lock_and_location_rules_on_get_token() {
    let env = Env::plain().await;
    let url = env
        .upload_with("secret.pdf", b"%PDF", &[("dpass", "hunter22".into())])
        .await["download"]
        .as_str()
        .unwrap()
        .to_string();
    // The owner needs no password (our choice); another customer does.
    env.ok("download/get_token.cgi", json!({"url": url})).await;
    let other = env.emu.add_account(Offer::Access);
    let (s, v) = env
        .call_as(Some(&other), "download/get_token.cgi", json!({"url": url}))
        .await;
    assert_ko(
        s,
        &v,
        StatusCode::FORBIDDEN,
        "Password not provided. Resource not allowed",
    );
    let (s, v) = env
        .call_as(
            Some(&other),
            "download/get_token.cgi",
            json!({"url": url, "pass": "wrong"}),
        )
        .await;
    assert_ko(
        s,
        &v,
        StatusCode::FORBIDDEN,
        "Invalid password. Resource not allowed",
    );
    let (s, v) = env
        .call_as(
            Some(&other),
            "download/get_token.cgi",
            json!({"url": url, "pass": "hunter22"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = env
        .call_as(Some(&other), "file/info.cgi", json!({"url": url}))
        .await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Password not provided");

    // ACL by e-mail.
    let acl_url = env.upload("acl.bin", b"1", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok(
        "file/chattr.cgi",
        json!({"urls": [acl_url], "acl": {"email": ["nobody@example.org"]}}),
    )
    .await;
    let (s, v) = env
        .call_as(
            Some(&other),
            "download/get_token.cgi",
            json!({"url": acl_url}),
        )
        .await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Resource not allowed");

    // A banned owner's files are refused through the API.
    env.emu.set_owner_locked(&env.key, true);
    let (s, v) = env
        .call_as(
            Some(&other),
            "download/get_token.cgi",
            json!({"url": acl_url}),
        )
        .await;
    assert_ko(s, &v, StatusCode::FORBIDDEN, "Owner locked");
    env.emu.set_owner_locked(&env.key, false);

    env.ko(
        "download/get_token.cgi",
        json!({"url": "https://1fichier.com/?aaaaaaaaaaaaaaaaaaaa"}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;

    // The same account from a second IP within the window: one location at a time.
    let second_ip = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .no_proxy()
        .build()
        .unwrap();
    let r = second_ip
        .post(format!("{}/download/get_token.cgi", env.emu.api_base()))
        .bearer_auth(&env.key)
        .json(&json!({"url": url}))
        .send()
        .await
        .unwrap();
    let s = r.status();
    let v: Value = r.json().await.unwrap();
    assert_ko(
        s,
        &v,
        StatusCode::FORBIDDEN,
        "Only 1 location allowed at a time",
    );
    // And a token is refused from another IP than the one that asked for it.
    let token = env.token(&url).await;
    assert_eq!(
        second_ip.get(&token).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn remote_upload_fetches_loopback_urls_into_the_folder() {
    let env = Env::plain().await;
    let bytes = pattern(50_000, 3);
    let src = env.upload("source.iso", &bytes, 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let token = env.ok("download/get_token.cgi", json!({"url": src})).await["url"]
        .as_str()
        .unwrap()
        .to_string();
    let d = env.mkdir("Imports", 0).await;
    let v = env
        .ok(
            "remote/request.cgi",
            json!({"urls": [token, "https://example.org/file.bin"], "folder_id": d, "headers": {"Cookie": "a=b"}}),
        )
        .await;
    let id = v["id"].as_i64().expect("integer job id");
    let ls = env.ok("remote/ls.cgi", json!({})).await;
    assert_eq!(ls["data"][0]["id"], id);
    let mut info = Value::Null;
    for _ in 0..100 {
        info = env.ok("remote/info.cgi", json!({"id": id})).await;
        if !info["result"].as_array().unwrap().is_empty() {
            break;
        }
        assert!(
            info["execution_date"]
                .as_str()
                .unwrap()
                .starts_with("1970-01-01")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(info["links"].as_array().unwrap().len(), 2);
    let results = info["result"].as_array().unwrap();
    assert_eq!(results[0]["status"], "OK", "{info}");
    assert_eq!(results[1]["status"], "KO");
    assert!(results[1]["message"].as_str().unwrap().contains("loopback"));
    let ls = env.ok("file/ls.cgi", json!({"folder_id": d})).await;
    assert_eq!(ls["items"][0]["filename"], "source.iso");
    assert_eq!(ls["items"][0]["checksum"], whirlpool(&bytes));
    assert_eq!(ls["items"][0]["url"], results[0]["download_link"]);
    // Headers as "Name: value" strings are accepted too.
    env.ok(
        "remote/request.cgi",
        json!({"urls": ["http://127.0.0.1:9/x"], "headers": ["Cookie: a=b"]}),
    )
    .await;
    env.ko(
        "remote/info.cgi",
        json!({"id": 1}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
    env.ko(
        "remote/request.cgi",
        json!({"urls": []}),
        StatusCode::BAD_REQUEST,
        "Invalid parameter",
    )
    .await;
}

#[tokio::test]
async fn the_demo_account_has_realistic_content() {
    let env = Env::new(EmulatorConfig {
        demo: true,
        ..no_limits()
    })
    .await;
    let key = env.emu.demo_key().unwrap().to_string();
    assert_eq!(key.len(), 32);
    let (_, root) = env
        .call_as(Some(&key), "folder/ls.cgi", json!({"files": 1}))
        .await;
    assert!(root["sub_folders"].as_array().unwrap().len() >= 5, "{root}");
    let (_, all) = env
        .call_as(Some(&key), "file/ls.cgi", json!({"folder_id": -1}))
        .await;
    let items = all["items"].as_array().unwrap();
    assert!(items.len() >= 10);
    let types: std::collections::HashSet<&str> = items
        .iter()
        .map(|i| i["content-type"].as_str().unwrap())
        .collect();
    assert!(types.len() >= 5, "{types:?}");
    assert!(
        items.iter().any(|i| i["pass"] == 1),
        "a password-protected file"
    );
    assert!(
        root["sub_folders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "Shared with clients")
    );
    // Folders were made before the files in them (dates sort as text: same format).
    let oldest_file = items
        .iter()
        .map(|i| i["date"].as_str().unwrap())
        .min()
        .unwrap();
    for f in root["sub_folders"].as_array().unwrap() {
        let made = f["create_date"].as_str().unwrap();
        assert!(
            made < oldest_file,
            "{} made {made}, a file sent {oldest_file}",
            f["name"]
        );
    }
    let (_, jobs) = env.call_as(Some(&key), "remote/ls.cgi", json!({})).await;
    assert!(
        !jobs["data"][0]["execution_date"]
            .as_str()
            .unwrap()
            .starts_with("1970")
    );
}
