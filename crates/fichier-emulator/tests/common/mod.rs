//! Raw-HTTP helpers for the emulator's tests: no client crate of ours is used here, so
//! these tests check the emulator against the reference alone.

#![allow(dead_code)]

use std::time::Duration;

use fichier_emulator::{Emulator, EmulatorConfig, Offer};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct Env {
    pub emu: Emulator,
    pub key: String,
    pub http: reqwest::Client,
}

pub fn no_limits() -> EmulatorConfig {
    EmulatorConfig {
        rate_limits: false,
        remote_delay: Duration::from_millis(50),
        ..EmulatorConfig::default()
    }
}

impl Env {
    pub async fn new(config: EmulatorConfig) -> Env {
        let emu = Emulator::start(config).await.expect("emulator starts");
        let key = emu.add_account(Offer::Premium);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        Env { emu, key, http }
    }

    pub async fn plain() -> Env {
        Env::new(no_limits()).await
    }

    /// POSTs `body` to `/v1/<path>` with `key`; returns the status and the JSON answer.
    pub async fn call_as(&self, key: Option<&str>, path: &str, body: Value) -> (StatusCode, Value) {
        let mut req = self
            .http
            .post(format!("{}/{path}", self.emu.api_base()))
            .header("Content-Type", "application/json")
            .body(body.to_string());
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or_else(|_| json!({"raw": text}));
        (status, v)
    }

    pub async fn call(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call_as(Some(&self.key), path, body).await
    }

    /// Calls and insists on an OK answer.
    pub async fn ok(&self, path: &str, body: Value) -> Value {
        let (s, v) = self.call(path, body).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
        assert_eq!(v["status"], "OK", "{path}: {v}");
        v
    }

    /// Calls and insists on a KO with this status and message text.
    pub async fn ko(&self, path: &str, body: Value, status: StatusCode, text: &str) {
        let (s, v) = self.call(path, body).await;
        assert_ko(s, &v, status, text);
    }

    pub fn node(&self) -> String {
        self.emu.base_url()
    }

    /// Runs the three-step upload; returns the end.pl JSON link entry.
    pub async fn upload(&self, name: &str, bytes: &[u8], did: i64) -> Value {
        self.upload_with(name, bytes, &[("did", did.to_string())])
            .await
    }

    pub async fn upload_with(&self, name: &str, bytes: &[u8], fields: &[(&str, String)]) -> Value {
        let xid = self.post_upload(Some(&self.key), name, bytes, fields).await;
        let report = self.end_pl_json(&xid).await;
        report["links"][0].clone()
    }

    /// Steps A and B of an upload; returns the upload id after checking the 302.
    pub async fn post_upload(
        &self,
        key: Option<&str>,
        name: &str,
        bytes: &[u8],
        fields: &[(&str, String)],
    ) -> String {
        let server: Value = self
            .http
            .get(format!(
                "{}/upload/get_upload_server.cgi",
                self.emu.api_base()
            ))
            .header("Content-Type", "application/json")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = server["id"].as_str().unwrap().to_string();
        let resp = self
            .send_multipart(key, &server["url"], &id, name, bytes, fields)
            .await;
        assert_eq!(resp.status(), StatusCode::FOUND, "{:?}", resp.text().await);
        assert_eq!(
            resp.headers()["location"],
            format!("/end.pl?xid={id}").as_str()
        );
        id
    }

    pub async fn send_multipart(
        &self,
        key: Option<&str>,
        host: &Value,
        id: &str,
        name: &str,
        bytes: &[u8],
        fields: &[(&str, String)],
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new().part(
            "file[]",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
        for (k, v) in fields {
            form = form.text(k.to_string(), v.clone());
        }
        let mut req = self
            .http
            .post(format!(
                "http://{}/upload.cgi?id={id}",
                host.as_str().unwrap()
            ))
            .multipart(form);
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        req.send().await.unwrap()
    }

    pub async fn end_pl_json(&self, xid: &str) -> Value {
        let url = format!("{}/end.pl?xid={xid}", self.node());
        json_of(self.http.get(url).header("JSON", "1")).await
    }

    pub async fn token(&self, url: &str) -> String {
        let v = self
            .ok("download/get_token.cgi", json!({"url": url, "single": 1}))
            .await;
        v["url"].as_str().unwrap().to_string()
    }

    /// GETs `url` and decodes its JSON answer.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> T {
        json_of(self.http.get(url)).await
    }

    /// Uploads `bytes` to the root, then downloads them back through a token URL.
    pub async fn upload_and_fetch(&self, name: &str, bytes: &[u8]) -> Vec<u8> {
        let link = self.upload(name, bytes, 0).await["download"]
            .as_str()
            .unwrap()
            .to_string();
        let token = self.token(&link).await;
        let got = self.http.get(&token).send().await.unwrap();
        got.bytes().await.unwrap().to_vec()
    }

    /// Sends a raw HTTP request head (and optionally some body) and returns the status line.
    pub async fn raw_status(&self, head: &str, body: &[u8]) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(self.emu.addr())
            .await
            .unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(body).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        String::from_utf8_lossy(&buf[..n])
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn mkdir(&self, name: &str, parent: i64) -> i64 {
        let v = self
            .ok(
                "folder/mkdir.cgi",
                json!({"name": name, "folder_id": parent}),
            )
            .await;
        v["folder_id"].as_i64().unwrap()
    }
}

/// Sends `req` and decodes its JSON answer.
pub async fn json_of<T: serde::de::DeserializeOwned>(req: reqwest::RequestBuilder) -> T {
    req.send().await.unwrap().json().await.unwrap()
}

pub fn assert_ko(s: StatusCode, v: &Value, status: StatusCode, text: &str) {
    assert_eq!(s, status, "{v}");
    assert_eq!(v["status"], "KO", "{v}");
    let msg = v["message"].as_str().unwrap_or_default();
    assert!(
        msg.starts_with(text),
        "message {msg:?} should start with {text:?}"
    );
    let n = msg.rsplit_once(" #").map(|(_, n)| n).unwrap_or("");
    assert!(
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
        "message {msg:?} should end with #<n>"
    );
}

pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32 * 31 + seed as u32 * 7) as u8 ^ (i >> 8) as u8)
        .collect()
}

pub fn whirlpool(bytes: &[u8]) -> String {
    use whirlpool::{Digest, Whirlpool};
    hex::encode(Whirlpool::digest(bytes))
}
