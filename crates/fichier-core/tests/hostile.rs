//! The engine against servers that misbehave: each test checks the clear error and that
//! nothing was lost, placed wrongly or placed at all when it shouldn't be.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use fichier_api::{ApiKey, ClientConfig, FichierClient, Pacer};
use fichier_core::hashing::whirlpool_hex;
use fichier_core::{
    EngineOptions, Settings, TransferEngine, TransferEvent, TransferPhase, TransferState,
};
use fichier_emulator::hostile::{Handler, HostileServer, Request, Step, head, json};

const LINK: &str = "https://1fichier.com/?hostile0001";
const KEY: &str = "HostileKeyHostileKeyHostileKey01";

/// What file/info answers.
#[derive(Clone)]
enum Info {
    /// Someone else's file: `Resource not allowed`, but a token is granted.
    Refused,
    /// Details with this size and checksum.
    Given { size: u64, whirlpool: String },
}

/// The API part of a fake 1fichier: file/info and get_token; everything else is the
/// download host's, answered by `dl`.
fn fake(info: Info, dl: impl Fn(&Request, usize) -> Vec<Step> + Send + Sync + 'static) -> Handler {
    let downloads = AtomicUsize::new(0);
    Arc::new(move |req: &Request| {
        let host = req.header("host").unwrap_or("127.0.0.1").to_string();
        match req.path() {
            "/v1/file/info.cgi" => match &info {
                Info::Refused => json(
                    403,
                    r#"{"status":"KO","message":"Resource not allowed #631"}"#,
                ),
                Info::Given { size, whirlpool } => json(
                    200,
                    &format!(
                        r#"{{"url":"{LINK}","filename":"given.bin","size":{size},"date":"2026-01-01 00:00:00","checksum":"{whirlpool}","content-type":"application/octet-stream","pass":0,"folder_id":0}}"#
                    ),
                ),
            },
            "/v1/download/get_token.cgi" => json(
                200,
                &format!(r#"{{"url":"http://{host}/dl/token","status":"OK"}}"#),
            ),
            _ => {
                let n = downloads.fetch_add(1, Ordering::SeqCst);
                dl(req, n)
            }
        }
    })
}

/// A download host answer for `data`, honouring `Range` with a 206.
fn serve(req: &Request, data: &[u8], disposition: Option<&str>) -> Vec<Step> {
    let start = req.range_start().unwrap_or(0).min(data.len() as u64) as usize;
    let body = &data[start..];
    let mut headers = vec![("Content-Length", body.len().to_string())];
    if let Some(d) = disposition {
        headers.push(("Content-Disposition", d.to_string()));
    }
    let status = if start > 0 {
        headers.push((
            "Content-Range",
            format!("bytes {start}-{}/{}", data.len() - 1, data.len()),
        ));
        206
    } else {
        200
    };
    let mut out = head(status, &headers);
    out.extend_from_slice(body);
    vec![Step::Send(out)]
}

struct Setup {
    server: HostileServer,
    dir: tempfile::TempDir,
}

impl Setup {
    async fn new(handler: Handler) -> Setup {
        Setup {
            server: HostileServer::start(handler).await,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn options(&self, max_attempts: u32) -> EngineOptions {
        let mut config = ClientConfig::with_base(&format!("{}/v1", self.server.base())).unwrap();
        config.api_timeout = Duration::from_secs(5);
        let client = FichierClient::with_pacer(
            config,
            Some(ApiKey::parse(KEY).unwrap()),
            Pacer::new(quick_pacer()),
        )
        .unwrap();
        let mut o = EngineOptions::new(
            self.dir.path().join("queue.db"),
            client,
            Settings::default(),
        );
        o.retry_base = Duration::from_millis(50);
        o.max_attempts = max_attempts;
        o.stall_timeout = Duration::from_secs(1);
        o
    }

    /// An engine with `max_attempts`, downloading [`LINK`].
    fn start(&self, max_attempts: u32) -> (TransferEngine, fichier_core::Transfer) {
        let engine = TransferEngine::open(self.options(max_attempts)).unwrap();
        let t = engine
            .download(vec![LINK.into()], self.dest(), None)
            .unwrap()
            .remove(0);
        (engine, t)
    }

    fn dest(&self) -> std::path::PathBuf {
        self.dir.path().join("dl")
    }

    /// Every file under the destination, with its content.
    fn placed(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        if let Ok(rd) = std::fs::read_dir(self.dest()) {
            for e in rd.flatten() {
                out.push((
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap_or_default(),
                ));
            }
        }
        out.sort();
        out
    }
}

fn no_file_outside(dir: &Path, allowed: &Path) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        assert!(
            p.starts_with(allowed)
                || p.extension().is_some_and(|x| x == "db" || x == "lock")
                || p.to_string_lossy().contains("queue.db"),
            "unexpected file {}",
            p.display()
        );
    }
}

#[tokio::test]
async fn a_body_that_ends_early_without_a_length_is_not_a_finished_file() {
    let data = random_bytes(200_000, 1);
    let half = data[..100_000].to_vec();
    let s = Setup::new(fake(Info::Refused, move |_, _| {
        // No Content-Length: the body just stops.
        let mut out = head(
            200,
            &[(
                "Content-Disposition",
                "attachment; filename=\"cut.bin\"".into(),
            )],
        );
        out.extend_from_slice(&half);
        vec![Step::Send(out)]
    }))
    .await;
    let (engine, t) = s.start(1);
    let t = finished(&engine, &t.id).await;
    assert_eq!(t.state, TransferState::Failed, "{t:?}");
    let e = t.error.unwrap();
    assert_eq!(e.code, "size_mismatch");
    assert!(
        e.message.contains("can't be told from a cut one"),
        "{}",
        e.message
    );
    let placed = s.placed();
    assert!(
        placed.iter().all(|(n, _)| n.ends_with(".part")),
        "{placed:?}"
    );
    assert_eq!(placed.len(), 1, "the part is kept: {placed:?}");
}

#[tokio::test]
async fn refused_details_still_resume_after_a_restart_and_are_checked_by_length() {
    let data = Arc::new(random_bytes(3 << 20, 2));
    let d = data.clone();
    let s = Setup::new(fake(Info::Refused, move |req, n| {
        let mut steps = serve(req, &d, Some("attachment; filename=\"theirs.bin\""));
        if n == 0 {
            // The first connection is slow: 64 KiB every 50 ms.
            let Step::Send(all) = steps.remove(0) else {
                unreachable!()
            };
            for c in all.chunks(64 << 10) {
                steps.push(Step::Send(c.to_vec()));
                steps.push(Step::Sleep(Duration::from_millis(50)));
            }
        }
        steps
    }))
    .await;
    let id = {
        let engine = TransferEngine::open(s.options(3)).unwrap();
        let t = engine
            .download(vec![LINK.into()], s.dest(), None)
            .unwrap()
            .remove(0);
        wait_for(&engine, &t.id, "some bytes", |t| t.bytes_done > (256 << 10)).await;
        engine.shutdown().await;
        t.id
    };
    let engine = TransferEngine::open(s.options(3)).unwrap();
    let t = done(&engine, &id).await;
    assert_eq!(t.bytes_total, data.len() as u64);
    assert_eq!(
        std::fs::read(s.dest().join("theirs.bin")).unwrap(),
        *data,
        "the resumed file is whole"
    );
    let ranged: Vec<u64> = s
        .server
        .requests()
        .iter()
        .filter(|r| r.path() == "/dl/token")
        .filter_map(Request::range_start)
        .collect();
    assert!(
        ranged.iter().any(|&o| o > 0),
        "resumed with a Range: {ranged:?}"
    );
}

#[tokio::test]
async fn a_size_lie_or_a_checksum_lie_places_nothing() {
    let data = Arc::new(random_bytes(100_000, 3));
    for info in [
        Info::Given {
            size: 50_000,
            whirlpool: whirlpool_hex(&data),
        },
        Info::Given {
            size: 100_000,
            whirlpool: "0".repeat(128),
        },
    ] {
        let d = data.clone();
        let s = Setup::new(fake(info, move |req, _| serve(req, &d, None))).await;
        let (engine, t) = s.start(1);
        let t = finished(&engine, &t.id).await;
        assert_eq!(t.state, TransferState::Failed, "{t:?}");
        let code = t.error.unwrap().code;
        assert!(
            ["protocol", "size_mismatch", "checksum_mismatch"].contains(&code.as_str()),
            "{code}"
        );
        assert!(
            s.placed().iter().all(|(n, _)| n.ends_with(".part")),
            "{:?}",
            s.placed().iter().map(|p| &p.0).collect::<Vec<_>>()
        );
        assert!(!s.dest().join("given.bin").exists());
    }
}

#[tokio::test]
async fn a_hostile_file_name_stays_in_its_folder_and_shows_what_it_is() {
    let data = Arc::new(random_bytes(10_000, 4));
    let d = data.clone();
    let s = Setup::new(fake(Info::Refused, move |req, _| {
        serve(
            req,
            &d,
            Some("attachment; filename*=UTF-8''..%2F..%2Fescape%E2%80%AEtxt.exe"),
        )
    }))
    .await;
    let (engine, t) = s.start(1);
    let t = done(&engine, &t.id).await;
    let placed = s.placed();
    assert_eq!(placed.len(), 1, "{placed:?}");
    let (name, content) = &placed[0];
    assert_eq!(content, &*data);
    assert!(
        !name.contains('/') && !name.contains('\u{202E}'),
        "{name:?}"
    );
    assert!(name.ends_with("txt.exe"), "the real type shows: {name:?}");
    assert!(
        t.local_path
            .unwrap()
            .starts_with(s.dest().to_str().unwrap())
    );
    no_file_outside(s.dir.path(), &s.dest());
}

#[tokio::test]
async fn a_200_answer_to_a_range_request_starts_over_cleanly() {
    let data = Arc::new(random_bytes(400_000, 5));
    let d = data.clone();
    let info = Info::Given {
        size: data.len() as u64,
        whirlpool: whirlpool_hex(&data),
    };
    let s = Setup::new(fake(info, move |_req, n| {
        if n == 0 {
            // Announces everything, sends a part, hangs up.
            let mut out = head(200, &[("Content-Length", d.len().to_string())]);
            out.extend_from_slice(&d[..150_000]);
            vec![Step::Send(out)]
        } else {
            // Ignores the Range and sends the whole file.
            let mut out = head(200, &[("Content-Length", d.len().to_string())]);
            out.extend_from_slice(&d);
            vec![Step::Send(out)]
        }
    }))
    .await;
    let (engine, t) = s.start(2);
    done(&engine, &t.id).await;
    assert_eq!(std::fs::read(s.dest().join("given.bin")).unwrap(), *data);
    let asked: Vec<Option<u64>> = s
        .server
        .requests()
        .iter()
        .filter(|r| r.path() == "/dl/token")
        .map(Request::range_start)
        .collect();
    assert!(asked.iter().any(|o| o.is_some_and(|v| v > 0)), "{asked:?}");
}

#[tokio::test]
async fn a_redirect_of_the_download_to_another_host_is_not_followed() {
    let s = Setup::new(fake(Info::Refused, |_, _| {
        vec![Step::Send(head(
            302,
            &[("Location", "http://198.51.100.7/steal".into())],
        ))]
    }))
    .await;
    let (engine, t) = s.start(1);
    let t = finished(&engine, &t.id).await;
    assert_eq!(t.state, TransferState::Failed);
    assert_eq!(t.error.unwrap().code, "link_expired");
    assert!(s.placed().is_empty());
}

#[tokio::test]
async fn a_stalled_download_says_so_and_resumes_by_itself() {
    let data = Arc::new(random_bytes(300_000, 6));
    let d = data.clone();
    let info = Info::Given {
        size: data.len() as u64,
        whirlpool: whirlpool_hex(&data),
    };
    let s = Setup::new(fake(info, move |req, n| {
        let mut steps = serve(req, &d, None);
        if n == 0 {
            let Step::Send(all) = steps.remove(0) else {
                unreachable!()
            };
            steps.push(Step::Send(all[..120_000].to_vec()));
            steps.push(Step::Sleep(Duration::from_secs(60)));
        }
        steps
    }))
    .await;
    let engine = TransferEngine::open(s.options(3)).unwrap();
    let mut rx = engine.subscribe();
    let t = engine
        .download(vec![LINK.into()], s.dest(), None)
        .unwrap()
        .remove(0);
    let saw_stall = tokio::spawn(async move {
        while let Ok(ev) = rx.recv().await {
            if let TransferEvent::State { transfer } = ev
                && transfer.phase == Some(TransferPhase::Stalled)
            {
                return true;
            }
        }
        false
    });
    done(&engine, &t.id).await;
    assert!(
        tokio::time::timeout(Duration::from_secs(5), saw_stall)
            .await
            .unwrap()
            .unwrap(),
        "the window was told the transfer stalled"
    );
    assert_eq!(std::fs::read(s.dest().join("given.bin")).unwrap(), *data);
    let resumed_at: Vec<u64> = s
        .server
        .requests()
        .iter()
        .filter_map(Request::range_start)
        .collect();
    assert!(
        resumed_at.iter().any(|&o| o >= 100_000),
        "resumed from the part: {resumed_at:?}"
    );
}

#[tokio::test]
async fn a_second_engine_on_the_same_queue_is_refused_and_told_who_owns_it() {
    let s = Setup::new(fake(Info::Refused, |_, _| Vec::new())).await;
    let first = TransferEngine::open(s.options(1)).unwrap();
    let e = TransferEngine::open(s.options(1)).unwrap_err();
    assert_eq!(e.code(), "queue_busy");
    let text = e.to_string();
    assert!(
        text.contains(&format!("pid {}", std::process::id())),
        "{text}"
    );
    assert!(text.contains("--wait"), "{text}");
    first.shutdown().await;
    let second = TransferEngine::open(s.options(1)).unwrap();
    second.shutdown().await;
}

#[tokio::test]
async fn a_retry_after_a_name_collision_never_touches_another_download() {
    let env = Env::new().await;
    let a = random_bytes(2 << 20, 7);
    let b = random_bytes(2 << 20, 8);
    let folder = env.client.create_folder(0, "other").await.unwrap();
    let url_a = env.put("same.bin", a.clone(), None).await;
    let url_b = env.put("same.bin", b.clone(), Some(folder.folder_id)).await;
    env.emu.faults().throttle(Some(1 << 20));
    let engine = env.engine();
    let dest = env.path("dl");
    let ta = engine
        .download(vec![url_a], dest.clone(), None)
        .unwrap()
        .remove(0);
    wait_for(&engine, &ta.id, "some bytes of A", |t| t.bytes_done > 0).await;
    engine.cancel(&ta.id).unwrap();
    wait_for(&engine, &ta.id, "A cancelled", |t| {
        t.state == TransferState::Cancelled
    })
    .await;
    // B has the same name; A's path stays A's while its record lives.
    let tb = engine
        .download(vec![url_b], dest.clone(), None)
        .unwrap()
        .remove(0);
    wait_for(&engine, &tb.id, "some bytes of B", |t| t.bytes_done > 0).await;
    // A is retried while B is still being written.
    engine.retry(&ta.id).unwrap();
    let da = done(&engine, &ta.id).await;
    let db = done(&engine, &tb.id).await;
    assert_ne!(da.local_path, db.local_path);
    assert_eq!(std::fs::read(da.local_path.unwrap()).unwrap(), a);
    assert_eq!(std::fs::read(db.local_path.unwrap()).unwrap(), b);
}

#[tokio::test]
async fn a_password_kept_in_memory_is_never_silently_dropped_from_an_upload() {
    let env = Env::new().await;
    std::fs::write(env.path("secret.txt"), b"for your eyes only").unwrap();
    let id = {
        let engine = env.engine();
        let t = engine
            .upload_paths(vec![env.path("secret.txt")], 0, Some("s3cret-pass".into()))
            .unwrap()
            .remove(0);
        engine.pause(&t.id).unwrap();
        engine.shutdown().await;
        t.id
    };
    let db = std::fs::read(env.path("queue.db")).unwrap();
    assert!(
        !db.windows(11).any(|w| w == b"s3cret-pass"),
        "the password reached the disk"
    );
    let engine = env.engine();
    engine.resume(&id).unwrap();
    let t = finished(&engine, &id).await;
    assert_eq!(t.state, TransferState::Failed, "{t:?}");
    assert_eq!(t.error.unwrap().code, "password_required");
    let listed = env
        .client
        .list_files_fresh(&fichier_api::FileLsRequest::default())
        .await
        .unwrap();
    assert!(
        listed.items.iter().all(|f| f.filename != "secret.txt"),
        "uploaded without its password"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_folder_upload_leaves_out_links_that_point_outside_it() {
    let env = Env::new().await;
    let top = env.path("photos");
    std::fs::create_dir_all(&top).unwrap();
    std::fs::write(top.join("a.jpg"), b"a picture").unwrap();
    std::fs::write(env.path("id_secret"), b"a private key").unwrap();
    std::os::unix::fs::symlink(env.path("id_secret"), top.join("innocent.jpg")).unwrap();
    std::os::unix::fs::symlink(top.join("a.jpg"), top.join("same.jpg")).unwrap();
    let engine = env.engine();
    let queued = engine.upload_paths(vec![top], 0, None).unwrap();
    let mut names: Vec<String> = queued.iter().map(|t| t.name.clone()).collect();
    names.sort();
    assert_eq!(names, vec!["a.jpg", "same.jpg"]);
    engine.shutdown().await;
}
