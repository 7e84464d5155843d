//! The key never shows up in Debug output, error messages or log lines, whatever happens.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Env, bytes_stream, collect, fake_clock_client};
use fichier_api::*;
use fichier_emulator::Offer;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_key_never_appears_in_debug_errors_or_logs() {
    use tracing_subscriber::util::SubscriberInitExt;
    let logs = Captured::default();
    let writer = logs.clone();
    // Everything, our crate's and the HTTP stack's (log records included), at TRACE.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish()
        .try_init()
        .expect("first subscriber of this test binary");

    let env = Env::new(common::no_limits(), Offer::Premium).await;
    let key = env.key.clone();
    let mut seen: Vec<String> = Vec::new();
    macro_rules! keep {
        ($e:expr) => {{
            let v = $e;
            seen.push(format!("{v:?}"));
            v
        }};
    }
    macro_rules! keep_err {
        ($e:expr) => {{
            let e = $e.unwrap_err();
            seen.push(format!(
                "{e:?} {e} {}",
                serde_json::to_string(&e.summary()).unwrap()
            ));
            e
        }};
    }

    keep!(ApiKey::parse(&format!(" {key} ")).unwrap());
    keep!(&env.client);
    keep!(env.client.pacer());
    keep!(env.client.user_info().await.unwrap());
    let up = keep!(
        env.client
            .upload(
                "s.txt",
                6,
                bytes_stream(b"secret".to_vec(), 2),
                &UploadOptions::default()
            )
            .await
            .unwrap()
    );
    let d = keep!(
        env.client
            .open_download(&GetTokenRequest::new(&up.download), None)
            .await
            .unwrap()
    );
    assert_eq!(collect(d.body).await.unwrap(), b"secret");
    keep!(
        env.client
            .list_folder(&FolderLsRequest::folder(0).with_files())
            .await
            .unwrap()
    );
    env.client.create_folder(0, "dup").await.unwrap();
    keep_err!(env.client.create_folder(0, "dup").await);
    keep_err!(env.client.create_folder(0, "bad$").await);
    keep_err!(
        env.client
            .file_info(&FileInfoRequest::new(
                "https://1fichier.com/?zzzzzzzzzzzzzzzzzzzz"
            ))
            .await
    );

    env.emu.faults().fail_next(2, 503);
    keep!(env.client.remote_jobs().await.unwrap());
    env.emu.faults().flood_lock_for(Duration::from_secs(3600));
    keep_err!(env.client.remote_jobs().await);
    env.emu.faults().clear();
    env.emu.faults().end_pl_html_next(50);
    keep_err!(
        env.client
            .upload(
                "h.txt",
                1,
                bytes_stream(b"h".to_vec(), 1),
                &UploadOptions::default()
            )
            .await
    );
    env.emu.faults().clear();
    env.emu.faults().drop_upload_after(100);
    keep_err!(
        env.client
            .upload(
                "d.bin",
                100_000,
                bytes_stream(vec![1; 100_000], 1000),
                &UploadOptions::default()
            )
            .await
    );
    env.emu.faults().expire_tokens_now();
    let t = env
        .client
        .get_token(&GetTokenRequest::new(&up.download))
        .await
        .unwrap();
    env.emu.faults().expire_tokens_now();
    keep_err!(env.client.open_token_url(&t.url, None).await);
    keep_err!(
        env.client
            .open_token_url("https://evil.example.com/c1", None)
            .await
    );

    // A client with a key 1fichier doesn't know.
    let bad = "BADBADBADBADBADBADBADBADBADBAD00";
    let (stranger, _) = fake_clock_client(&env.emu, bad);
    keep_err!(stranger.user_info().await);
    keep_err!(
        stranger
            .get_token(&GetTokenRequest::new(&up.download))
            .await
    );
    // A malformed key: the error doesn't echo it.
    keep_err!(ApiKey::parse(&format!("{key}x")));

    let log_text = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
    assert!(
        log_text.contains("fichier_api"),
        "our own log lines were captured"
    );
    assert!(log_text.contains("flood protection"));
    assert!(log_text.len() > 1000, "the HTTP stack logged too");
    for secret in [key.as_str(), bad] {
        assert!(!log_text.contains(secret), "a key leaked into the logs");
        for s in &seen {
            assert!(!s.contains(secret), "a key leaked into: {s}");
        }
    }
    // The keys did go where they belong: the emulator saw them (as fingerprints).
    assert!(
        env.emu
            .request_log()
            .iter()
            .any(|e| e.key_fingerprint.is_some())
    );
}
