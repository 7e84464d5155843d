//! Every API endpoint (protocol §2, rows 1–25): success shapes and the KO rules.

mod common;

use common::{Env, assert_ko, pattern, whirlpool};
use fichier_emulator::Offer;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn user_info_answers_flags_as_strings_and_quotas_as_integers() {
    let env = Env::plain().await;
    let v = env.ok("user/info.cgi", json!({})).await;
    for k in [
        "offer",
        "cdn",
        "use_cdn",
        "ftp_mode",
        "ru_report",
        "default_port",
        "download_menu",
        "2fa",
    ] {
        assert!(v[k].is_string(), "{k} should be a string: {v}");
    }
    for k in [
        "cold_storage",
        "available_cold_storage",
        "page_limit",
        "hot_storage",
        "default_domain",
    ] {
        assert!(
            v[k].is_i64() || v[k].is_u64(),
            "{k} should be an integer: {v}"
        );
    }
    assert_eq!(v["offer"], "1");
    // Settings can be changed and are read back.
    let v = env
        .ok("user/info.cgi", json!({"use_cdn": 1, "page_limit": 50}))
        .await;
    assert_eq!(v["use_cdn"], "1");
    assert_eq!(v["page_limit"], 50);
    // Body forms that mean "no parameters".
    for body in ["", "\"\""] {
        let r = env
            .http
            .post(format!("{}/user/info.cgi", env.emu.api_base()))
            .bearer_auth(&env.key)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_bad_or_missing_key_is_not_authenticated() {
    let env = Env::plain().await;
    let (s, v) = env
        .call_as(
            Some("0123456789abcdef0123456789abcdef"),
            "folder/ls.cgi",
            json!({}),
        )
        .await;
    assert_ko(s, &v, StatusCode::UNAUTHORIZED, "Not authenticated");
    let (s, v) = env.call_as(None, "file/ls.cgi", json!({})).await;
    assert_ko(s, &v, StatusCode::UNAUTHORIZED, "Not authenticated");
}

#[tokio::test]
async fn unknown_endpoints_and_wrong_names_are_not_found() {
    let env = Env::plain().await;
    for wrong in [
        "folder/add.cgi",
        "file/delete.cgi",
        "file/move.cgi",
        "account/info.cgi",
        "upload/add_url.cgi",
    ] {
        let (s, v) = env.call(wrong, json!({})).await;
        assert_ko(s, &v, StatusCode::NOT_FOUND, "Resource not found");
    }
}

#[tokio::test]
async fn bad_json_wrong_types_and_huge_bodies_get_a_clear_ko() {
    let env = Env::plain().await;
    let send = |body: Vec<u8>| {
        env.http
            .post(format!("{}/folder/ls.cgi", env.emu.api_base()))
            .bearer_auth(&env.key)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let r = send(b"{not json".to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "KO");
    let r = send(b"[1,2]".to_vec()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = send(vec![b' '; 3 << 20]).await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (s, v) = env
        .call("folder/ls.cgi", json!({"folder_id": {"x": 1}}))
        .await;
    assert_ko(s, &v, StatusCode::BAD_REQUEST, "Invalid parameter");
    // Numbers as strings are accepted, as a Perl service would.
    let v = env.ok("folder/ls.cgi", json!({"folder_id": "0"})).await;
    assert_eq!(v["folder_id"], 0);
}

#[tokio::test]
async fn upload_server_needs_no_key_and_has_no_status() {
    let env = Env::plain().await;
    for method in [reqwest::Method::GET, reqwest::Method::POST] {
        let v: Value = env
            .http
            .request(
                method,
                format!("{}/upload/get_upload_server.cgi", env.emu.api_base()),
            )
            .header("Content-Type", "application/json")
            .body("{\"pretty\":1}")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(v.get("status").is_none(), "{v}");
        let id = v["id"].as_str().unwrap();
        assert_eq!(id.len(), 10);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(v["url"], env.emu.addr().to_string());
    }
}

#[tokio::test]
async fn file_ls_and_info_describe_an_upload() {
    let env = Env::plain().await;
    let bytes = pattern(70_000, 1);
    let link = env.upload("notes.txt", &bytes, 0).await;
    assert_eq!(link["size"], "70000", "end.pl sizes are strings");
    assert_eq!(link["whirlpool"], whirlpool(&bytes));
    assert_eq!(
        link["remove"], "",
        "no removal link for an account's upload"
    );
    let url = link["download"].as_str().unwrap().to_string();

    let v = env.ok("file/ls.cgi", json!({"folder_id": 0})).await;
    assert_eq!(v["count"], 1);
    let item = &v["items"][0];
    assert_eq!(item["url"], url.as_str());
    assert_eq!(item["filename"], "notes.txt");
    assert_eq!(item["size"], 70_000);
    assert_eq!(item["content-type"], "text/plain");
    assert_eq!(item["checksum"], whirlpool(&bytes));
    assert_eq!(item["pass"], 0);
    assert_eq!(item["acl"], 0);
    assert_eq!(item["cdn"], 0);
    let date = item["date"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S").is_ok(),
        "{date}"
    );

    let info = env.ok("file/info.cgi", json!({"url": url})).await;
    assert_eq!(info["filename"], "notes.txt");
    assert_eq!(info["size"], 70_000);
    assert_eq!(info["folder_id"], 0);
    assert_eq!(info["content-type"], "text/plain");
    assert_eq!(info["content_type"], "text/plain");
    assert!(
        info["acl"].is_object(),
        "acl is an object in file/info: {info}"
    );

    // Date filters.
    let v = env
        .ok("file/ls.cgi", json!({"sent_before": "2000-01-01 00:00:00"}))
        .await;
    assert_eq!(v["count"], 0);
    let v = env
        .ok("file/ls.cgi", json!({"sent_after": "2000-01-01 00:00:00"}))
        .await;
    assert_eq!(v["count"], 1);
    // -1 lists every file of the account.
    let d = env.mkdir("Sub", 0).await;
    env.upload("deep.bin", &pattern(10, 2), d).await;
    let v = env.ok("file/ls.cgi", json!({"folder_id": -1})).await;
    assert_eq!(v["count"], 2);

    env.ko(
        "file/info.cgi",
        json!({"url": "https://1fichier.com/?zzzzzzzzzzzzzzzzzzzz"}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
    env.ko(
        "file/ls.cgi",
        json!({"folder_id": 999}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
}

#[tokio::test]
async fn file_info_by_folder_and_exact_filename() {
    let env = Env::plain().await;
    env.upload("Report.PDF", b"x1", 0).await;
    let v = env
        .ok(
            "file/info.cgi",
            json!({"folder_id": 0, "filename": "Report.PDF"}),
        )
        .await;
    assert_eq!(v["size"], 2);
    env.ko(
        "file/info.cgi",
        json!({"folder_id": 0, "filename": "report.pdf"}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
}

#[tokio::test]
async fn scan_answers_then_answers_from_cache() {
    let env = Env::plain().await;
    let url = env.upload("a.zip", b"PK..", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let first = env.ok("file/scan.cgi", json!({"url": url})).await;
    assert!(first.get("date").is_none());
    let second = env.ok("file/scan.cgi", json!({"url": url})).await;
    assert!(second["date"].is_string(), "{second}");
}

#[tokio::test]
async fn rm_removes_several_files_and_only_own_ones() {
    let env = Env::plain().await;
    let a = env.upload("a", b"1", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let b = env.upload("b", b"2", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let v = env
        .ok("file/rm.cgi", json!({"files": [{"url": a}, {"url": b}]}))
        .await;
    assert_eq!(v["removed"], 2);
    env.ko(
        "file/rm.cgi",
        json!({"files": [{"url": a}]}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
    // Another account cannot remove my file.
    let c = env.upload("c", b"3", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let other = env.emu.add_account(Offer::Premium);
    let (s, v) = env
        .call_as(Some(&other), "file/rm.cgi", json!({"files": [{"url": c}]}))
        .await;
    assert_ko(s, &v, StatusCode::NOT_FOUND, "Resource not found");
    assert_eq!(env.emu.file_count(), 1);
}

#[tokio::test]
async fn mv_moves_keeps_the_url_and_refuses_the_same_name() {
    let env = Env::plain().await;
    let d = env.mkdir("Target", 0).await;
    let url = env.upload("film.mkv", b"abc", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let v = env
        .ok(
            "file/mv.cgi",
            json!({"urls": [url], "destination_folder_id": d}),
        )
        .await;
    assert_eq!(v["moved"], 1);
    assert_eq!(v["urls"][0], url.as_str());
    let info = env.ok("file/info.cgi", json!({"url": url})).await;
    assert_eq!(info["folder_id"], d);
    assert_eq!(info["path"], "Target");
    let v = env
        .ok(
            "file/mv.cgi",
            json!({"urls": [url], "destination_folder_id": 0, "rename": "movie.mkv"}),
        )
        .await;
    assert_eq!(v["filename"], "movie.mkv");
    env.ko(
        "file/mv.cgi",
        json!({"urls": [url], "destination_folder_id": 0, "rename": "movie.mkv"}),
        StatusCode::FORBIDDEN,
        "Destination name is the same as the source",
    )
    .await;
    env.ko(
        "file/mv.cgi",
        json!({"urls": [url], "destination_folder_id": 4242}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
    env.ko(
        "file/mv.cgi",
        json!({"urls": [url], "destination_folder_id": 0, "rename": "a<b"}),
        StatusCode::FORBIDDEN,
        "Invalid name",
    )
    .await;
}

#[tokio::test]
async fn cp_gives_a_new_url_and_imports_public_files() {
    let env = Env::plain().await;
    let url = env.upload("a.txt", b"hello", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let d = env.mkdir("Copies", 0).await;
    let v = env
        .ok(
            "file/cp.cgi",
            json!({"urls": [url], "folder_id": d, "rename": "b.txt"}),
        )
        .await;
    assert_eq!(v["copied"], 1);
    assert_eq!(v["urls"][0]["from_url"], url.as_str());
    let to = v["urls"][0]["to_url"].as_str().unwrap();
    assert_ne!(to, url);
    let info = env.ok("file/info.cgi", json!({"url": to})).await;
    assert_eq!(info["filename"], "b.txt");
    assert_eq!(info["folder_id"], d);
    // Another premium account imports my public file into its root.
    let other = env.emu.add_account(Offer::Premium);
    let (s, v) = env
        .call_as(Some(&other), "file/cp.cgi", json!({"urls": [url]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["copied"], 1);
    // Removing the original leaves the copies readable.
    env.ok("file/rm.cgi", json!({"files": [{"url": url}]}))
        .await;
    let token = env.token(to).await;
    assert_eq!(
        env.http
            .get(token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"hello"
    );
}

#[tokio::test]
async fn rename_in_place_and_the_no_op_rename() {
    let env = Env::plain().await;
    let url = env.upload("old.txt", b"x", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let v = env
        .ok(
            "file/rename.cgi",
            json!({"urls": [{"url": url, "filename": "new.txt"}], "pretty": 0}),
        )
        .await;
    assert_eq!(v["renamed"], 1);
    assert_eq!(v["urls"][0]["old_filename"], "old.txt");
    assert_eq!(v["urls"][0]["new_filename"], "new.txt");
    assert_eq!(v["urls"][0]["url"], url.as_str());
    // A rename that changes nothing: KO with HTTP 200.
    env.ko(
        "file/rename.cgi",
        json!({"urls": [{"url": url, "filename": "new.txt"}]}),
        StatusCode::OK,
        "No file has been renamed",
    )
    .await;
    env.ko(
        "file/rename.cgi",
        json!({"urls": [{"url": url, "filename": "bad$name"}]}),
        StatusCode::FORBIDDEN,
        "Invalid name",
    )
    .await;
}

#[tokio::test]
async fn chattr_sets_and_clears_attributes() {
    let env = Env::plain().await;
    let url = env.upload("doc.pdf", b"%PDF", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let v = env
        .ok(
            "file/chattr.cgi",
            json!({"urls": [url], "filename": "doc2.pdf", "description": "signed", "pass": "secret1", "inline": 1, "cdn": 1, "acl": {"premium": 1}}),
        )
        .await;
    assert_eq!(v["updated"], 1);
    let info = env.ok("file/info.cgi", json!({"url": url})).await;
    assert_eq!(info["filename"], "doc2.pdf");
    assert_eq!(info["description"], "signed");
    assert_eq!(info["pass"], 1);
    assert_eq!(info["inline"], 1);
    assert_eq!(info["cdn"], 1);
    assert_eq!(info["acl"]["premium"], 1);
    let ls = env.ok("file/ls.cgi", json!({})).await;
    assert_eq!(ls["items"][0]["pass"], 1);
    assert_eq!(ls["items"][0]["acl"], 1, "acl is a 0/1 flag in listings");
    env.ok(
        "file/chattr.cgi",
        json!({"urls": [url], "pass": "", "acl": {}}),
    )
    .await;
    let info = env.ok("file/info.cgi", json!({"url": url})).await;
    assert_eq!(info["pass"], 0);
    env.ko(
        "file/chattr.cgi",
        json!({"urls": [url], "pass": "123"}),
        StatusCode::FORBIDDEN,
        "Password must be at least 6",
    )
    .await;
}

#[tokio::test]
async fn folders_mkdir_ls_mv_rm_and_their_rules() {
    let env = Env::plain().await;
    let a = env.mkdir("Alpha", 0).await;
    let b = env.mkdir("Beta", 0).await;
    let inner = env.mkdir("Inner", a).await;
    // Folder names are unique per parent; the same name elsewhere is fine.
    env.ko(
        "folder/mkdir.cgi",
        json!({"name": "Alpha", "folder_id": 0}),
        StatusCode::FORBIDDEN,
        "Folder already exists",
    )
    .await;
    env.mkdir("Alpha", b).await;
    env.ko(
        "folder/mkdir.cgi",
        json!({"name": "a\\b"}),
        StatusCode::FORBIDDEN,
        "Invalid name",
    )
    .await;
    env.ko(
        "folder/mkdir.cgi",
        json!({"name": " lead"}),
        StatusCode::FORBIDDEN,
        "Invalid name",
    )
    .await;
    env.ko(
        "folder/mkdir.cgi",
        json!({"name": "x", "folder_id": 1}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;

    env.upload("f.txt", b"data", a).await;
    let v = env
        .ok("folder/ls.cgi", json!({"folder_id": a, "files": 1}))
        .await;
    assert_eq!(v["name"], "Alpha");
    assert_eq!(v["files"], 1);
    assert_eq!(v["size"], 4);
    assert_eq!(v["items"][0]["filename"], "f.txt");
    let sub = &v["sub_folders"][0];
    assert_eq!(sub["id"], inner, "sub-folder entries use `id`: {v}");
    assert!(sub.get("folder_id").is_none());
    assert_eq!(sub["name"], "Inner");
    assert!(sub["create_date"].is_string());
    assert_eq!(sub["pass"], 0);
    let root = env.ok("folder/ls.cgi", json!({})).await;
    assert_eq!(root["folder_id"], 0);
    assert!(root.get("items").is_none(), "no items without files=1");
    assert_eq!(root["sub_folders"].as_array().unwrap().len(), 2);

    // Non-empty folders cannot be removed.
    env.ko(
        "folder/rm.cgi",
        json!({"folder_id": a}),
        StatusCode::FORBIDDEN,
        "Folder is not empty",
    )
    .await;
    env.ok("folder/rm.cgi", json!({"folder_id": inner})).await;
    env.ko(
        "folder/rm.cgi",
        json!({"folder_id": inner}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;

    // Move and rename.
    let v = env
        .ok(
            "folder/mv.cgi",
            json!({"folder_id": b, "destination_folder_id": a}),
        )
        .await;
    assert_eq!(v["old_name"], "Beta");
    assert_eq!(v["new_name"], "Beta");
    let v = env
        .ok("folder/mv.cgi", json!({"folder_id": b, "rename": "Gamma"}))
        .await;
    assert_eq!(v["new_name"], "Gamma");
    env.ko(
        "folder/mv.cgi",
        json!({"folder_id": b, "rename": "Gamma"}),
        StatusCode::FORBIDDEN,
        "Destination name is the same",
    )
    .await;
    env.ko(
        "folder/mv.cgi",
        json!({"folder_id": a, "destination_folder_id": b}),
        StatusCode::FORBIDDEN,
        "Cannot move a folder into itself",
    )
    .await;
    let c = env.mkdir("Gamma", 0).await;
    env.ko(
        "folder/mv.cgi",
        json!({"folder_id": c, "destination_folder_id": a}),
        StatusCode::FORBIDDEN,
        "Folder already exists",
    )
    .await;
}

#[tokio::test]
async fn share_a_folder_and_read_it_publicly() {
    let env = Env::plain().await;
    let d = env.mkdir("Public", 0).await;
    env.upload("one.txt", b"111", d).await;
    let v = env
        .ok("folder/share.cgi", json!({"folder_id": d, "share": 1}))
        .await;
    let share = v["url"].as_str().unwrap().to_string();
    assert!(
        share.starts_with(&format!("{}/dir/", env.node())),
        "{share}"
    );
    let ls = env.ok("folder/ls.cgi", json!({"folder_id": d})).await;
    assert_eq!(ls["shared"], share.as_str());

    let list: Value = env
        .http
        .get(format!("{share}?json=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["filename"], "one.txt");
    assert_eq!(list[0]["size"], 3);
    assert!(list[0]["link"].as_str().unwrap().contains("/?"));

    env.ok(
        "folder/share.cgi",
        json!({"folder_id": d, "share": 1, "pass": "opensesame"}),
    )
    .await;
    let r = env
        .http
        .get(format!("{share}?json=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = env
        .http
        .post(&share)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("json=1&pass=opensesame")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    env.ko(
        "folder/share.cgi",
        json!({"folder_id": d, "share": 1, "pass": "abc"}),
        StatusCode::FORBIDDEN,
        "Password must be at least 6",
    )
    .await;
    env.ok("folder/share.cgi", json!({"folder_id": d, "share": 0}))
        .await;
    let r = env
        .http
        .get(format!("{share}?json=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Groupware shares are accepted.
    env.ok(
        "folder/share.cgi",
        json!({"folder_id": d, "shares": [{"email": "a@b.c", "rw": 0, "hide_links": 1}]}),
    )
    .await;
}

#[tokio::test]
async fn check_links_reports_each_link() {
    let env = Env::plain().await;
    let url = env.upload("ok.bin", b"12345", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let locked = env.upload("p.bin", b"1", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok(
        "file/chattr.cgi",
        json!({"urls": [locked], "pass": "password1"}),
    )
    .await;
    let gone = format!("{}/?zzzzzzzzzz", env.node());
    let body = format!(
        "links[]={}&links[]={}&links[]={}&links[]=nonsense",
        percent(&url),
        percent(&locked),
        percent(&gone)
    );
    let text = env
        .http
        .post(format!("{}/check_links.pl", env.node()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("{url};ok.bin;5"));
    assert_eq!(lines[1], format!("{locked};;;PRIVATE"));
    assert_eq!(lines[2], format!("{gone};;;NOT FOUND"));
    assert_eq!(lines[3], "nonsense;;;BAD LINK");
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn ftp_endpoints_manage_sub_accounts() {
    let env = Env::plain().await;
    let v = env.ok("ftp/process.cgi", json!({})).await;
    assert!(v["message"].is_string());
    env.ok(
        "ftp/users/add.cgi",
        json!({"user": "scanner", "pass": "longenough", "folder_id": 0}),
    )
    .await;
    env.ko(
        "ftp/users/add.cgi",
        json!({"user": "scanner", "pass": "longenough"}),
        StatusCode::FORBIDDEN,
        "User already exists",
    )
    .await;
    let v = env.ok("ftp/users/ls.cgi", json!({})).await;
    assert_eq!(v["count"], 1);
    assert_eq!(v["items"][0]["user"], "scanner");
    assert!(
        v["items"][0].get("pass").is_none(),
        "passwords are never listed"
    );
    env.ok("ftp/users/rm.cgi", json!({"user": "scanner"})).await;
    env.ko(
        "ftp/users/rm.cgi",
        json!({"user": "scanner"}),
        StatusCode::NOT_FOUND,
        "Resource not found",
    )
    .await;
}

#[tokio::test]
async fn free_accounts_are_refused_tokens_and_remote_upload() {
    let env = Env::plain().await;
    let url = env.upload("a", b"1", 0).await["download"]
        .as_str()
        .unwrap()
        .to_string();
    let free = env.emu.add_account(Offer::Free);
    let (s, v) = env
        .call_as(Some(&free), "download/get_token.cgi", json!({"url": url}))
        .await;
    assert_ko(
        s,
        &v,
        StatusCode::FORBIDDEN,
        "Must be a customer (Premium, Access)",
    );
    let (s, v) = env
        .call_as(
            Some(&free),
            "remote/request.cgi",
            json!({"urls": ["http://127.0.0.1:1/x"]}),
        )
        .await;
    assert_ko(
        s,
        &v,
        StatusCode::FORBIDDEN,
        "Must be a customer (Premium, Access)",
    );
    // Management endpoints stay open to free accounts (our choice; see the README).
    let (s, v) = env.call_as(Some(&free), "folder/ls.cgi", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn pretty_output_is_indented() {
    let env = Env::plain().await;
    let r = env
        .http
        .post(format!("{}/folder/ls.cgi", env.emu.api_base()))
        .bearer_auth(&env.key)
        .header("Content-Type", "application/json")
        .body("{\"pretty\":1}")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("\n  \""));
}
