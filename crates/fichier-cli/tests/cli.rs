//! The `fichier` command against the emulator, as a separate process: commands, JSON
//! output, exit codes, and resuming after being killed with SIGKILL.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{Env, kill9, random_bytes, until};
use sha2::{Digest, Sha256};

/// What only these tests read: the queue's journal and the download-token requests.
trait Inspect {
    fn queue(&self) -> std::path::PathBuf;
    fn journal(&self) -> (String, u64, u64);
    fn journal_of(&self, kind: &str) -> (String, u64, u64);
    fn token_statuses(&self) -> Vec<u16>;
    /// (state, journal offset, upload started) of the one transfer, or of the one of
    /// this kind.
    fn journal_row(&self, kind: &str) -> Option<(String, u64, u64)> {
        let db = rusqlite::Connection::open(self.queue()).unwrap();
        db.query_row(
            "SELECT state, journal_offset, upload_started FROM transfers \
             WHERE ?1 = '' OR kind = ?1",
            [kind],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                ))
            },
        )
        .ok()
    }
}

impl Inspect for Env {
    fn queue(&self) -> std::path::PathBuf {
        self.path("queue.db")
    }

    fn journal(&self) -> (String, u64, u64) {
        self.journal_row("").unwrap_or(("none".into(), 0, 0))
    }

    fn journal_of(&self, kind: &str) -> (String, u64, u64) {
        self.journal_row(kind).unwrap()
    }

    fn token_statuses(&self) -> Vec<u16> {
        self.emu
            .request_log()
            .iter()
            .filter(|e| {
                let p = e.path.trim_start_matches('/');
                e.method == "GET"
                    && p.len() > 3
                    && p.starts_with(|c: char| c.is_ascii_lowercase())
                    && p[1..].chars().all(|c| c.is_ascii_digit())
            })
            .map(|e| e.status)
            .collect()
    }
}

fn sha256_file(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

async fn env() -> Env {
    Env::unlimited().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_round_trip_with_json_and_exit_codes() {
    let env = env().await;
    let data = random_bytes(700_000, 1);
    std::fs::write(env.path("report $1.pdf"), &data).unwrap();
    let folder = env.json(&["mkdir", "docs"]).await["id"].as_i64().unwrap();
    let up = env
        .json(&[
            "upload",
            env.path("report $1.pdf").to_str().unwrap(),
            "--folder",
            &folder.to_string(),
        ])
        .await;
    assert_eq!(up[0]["state"], "done");
    let url = up[0]["url"].as_str().unwrap().to_string();

    let ls = env.json(&["ls", &folder.to_string()]).await;
    assert_eq!(ls["files"][0]["filename"], "report $1.pdf", "{ls}");
    let root = env.json(&["ls"]).await;
    assert_eq!(root["subFolders"][0]["name"], "docs");
    let info = env.json(&["info", &url]).await;
    assert_eq!(info["size"], 700_000);
    let link = env.json(&["link", &url]).await;
    assert!(
        link["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1")
    );

    let dl = env
        .json(&["download", &url, "-o", env.path("out").to_str().unwrap()])
        .await;
    assert_eq!(dl[0]["state"], "done");
    assert_eq!(
        sha256_file(&env.path("out/report $1.pdf")),
        hex::encode(Sha256::digest(&data))
    );

    env.json(&["rename", &url, "final.pdf"]).await;
    env.json(&["mv", &url, "--to", "0"]).await;
    let root = env.json(&["ls"]).await;
    assert_eq!(root["files"][0]["filename"], "final.pdf");
    let tree = env.run(&["tree"]).await;
    assert!(String::from_utf8_lossy(&tree.stdout).contains("docs/"));

    // Folders need --yes.
    let refused = env.run(&["rm", &folder.to_string()]).await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));
    env.json(&["rm", &url, &folder.to_string(), "--yes"]).await;
    assert_eq!(env.emu.file_count(), 0);

    // Plain-language errors on stderr, meaningful exit codes.
    let missing = env
        .run(&["info", "http://127.0.0.1:1/?aaaaaaaaaaaaaaaaaaaa"])
        .await;
    assert_eq!(missing.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no longer exists"));
    let mut nokey = env.cmd(&["whoami"]);
    nokey
        .env_remove("FICHIER_API_KEY")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    let nokey = tokio::task::spawn_blocking(move || nokey.output().unwrap())
        .await
        .unwrap();
    assert!(
        matches!(nokey.status.code(), Some(3) | Some(7)),
        "{nokey:?}"
    );
    let usage = env.run(&["upload"]).await;
    assert_eq!(usage.status.code(), Some(2));
    let empty = env.path("empty");
    std::fs::write(&empty, b"").unwrap();
    let refused = env.run(&["upload", empty.to_str().unwrap()]).await;
    assert_eq!(refused.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_download_resumes_from_the_journal() {
    let env = env().await;
    let size = 32usize << 20;
    let data = random_bytes(size, 2);
    let url = put(&env, "src.bin", &data).await;
    for f in ["queue.db", "queue.db-wal", "queue.db-shm"] {
        let _ = std::fs::remove_file(env.path(f));
    }
    let out = env.path("out");
    // One connection: the journal is one offset (several: see the segmented test).
    let (args, mut child) = throttled_download(&env, &url, &out, "1");
    let part = out.join("src.bin.part");
    until("a third of the file", || {
        std::fs::metadata(&part).is_ok_and(|m| m.len() > (size as u64) / 3)
    })
    .await;
    kill9(&mut child);
    let part_len = std::fs::metadata(&part).unwrap().len();
    let (state, journal, _) = env.journal();
    assert_eq!(state, "running", "killed while running");
    assert!(journal > 0, "the journal has an offset");
    assert!(journal <= part_len);
    let refetched = part_len - journal;
    assert!(
        refetched < 8 << 20,
        "{refetched} bytes would be fetched again"
    );

    finish_unthrottled(&env, &args, &out.join("src.bin"), &data).await;
    assert!(!part.exists());
    let statuses = env.token_statuses();
    // The first run looks at one byte (the size, before file/info), then takes the
    // file; the second resumes with a Range.
    assert_eq!(
        statuses,
        vec![206, 200, 206],
        "the second run resumed with Range"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_segmented_download_resumes_every_segment() {
    let env = env().await;
    let size = 48u64 << 20;
    let data = random_bytes(size as usize, 12);
    let url = put(&env, "big.bin", &data).await;
    let out = env.path("out");
    let (args, mut child) = throttled_download(&env, &url, &out, "3");
    until("three segments under way", || {
        segments(&env).iter().filter(|s| s.2 >= 2 << 20).count() >= 3
    })
    .await;
    kill9(&mut child);
    let kept: u64 = segments(&env).iter().map(|s| s.2).sum();
    // The host may still push a little into the dead connections: the second run is
    // counted from when that has stopped.
    let mut served_before = env.emu.bytes_served();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = env.emu.bytes_served();
        if now == served_before {
            break;
        }
        served_before = now;
    }
    let (state, ..) = env.journal_of("download");
    assert_eq!(state, "running", "killed while running");

    finish_unthrottled(&env, &args, &out.join("big.bin"), &data).await;
    assert!(!out.join("big.bin.part").exists());
    // Only what no segment had journaled was fetched again.
    let refetched = env.emu.bytes_served() - served_before;
    assert!(
        refetched < size - kept + (4 << 20),
        "{refetched} bytes fetched again, {} were missing",
        size - kept
    );
    let statuses = env.token_statuses();
    assert!(statuses.len() >= 6, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 206), "{statuses:?}");
}

/// Uploads `data` as `name`; returns its URL.
async fn put(env: &Env, name: &str, data: &[u8]) -> String {
    env.put(name, data).await
}

/// Starts `fichier download URL -o OUT --connections N` with each connection capped at
/// 4 MiB/s; returns its arguments (to run it again) and the process.
fn throttled_download(
    env: &Env,
    url: &str,
    out: &std::path::Path,
    connections: &str,
) -> ([String; 6], std::process::Child) {
    env.emu.faults().throttle(Some(4 << 20));
    let args = [
        "download",
        url,
        "-o",
        out.to_str().unwrap(),
        "--connections",
        connections,
    ]
    .map(str::to_string);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let child = env
        .cmd(&argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (args, child)
}

/// Runs the download again at full speed; it must succeed with exactly `data`.
async fn finish_unthrottled(env: &Env, args: &[String; 6], file: &Path, data: &[u8]) {
    env.emu.faults().throttle(None);
    let again = env.run(&args.each_ref().map(String::as_str)).await;
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(sha256_file(file), hex::encode(Sha256::digest(data)));
}

/// (start, end, done) of the journaled segments of the queue's download.
fn segments(env: &Env) -> Vec<(u64, u64, u64)> {
    let Ok(db) = rusqlite::Connection::open(env.path("queue.db")) else {
        return Vec::new();
    };
    let json: Option<String> = db
        .query_row("SELECT segments FROM download_segments", [], |r| r.get(0))
        .ok();
    let v: serde_json::Value = json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    let n = |k: &str| s[k].as_u64().unwrap_or(0);
                    (n("start"), n("end"), n("done"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_upload_restarts_and_leaves_one_file() {
    let env = env().await;
    let size = 24usize << 20;
    let data = random_bytes(size, 3);
    std::fs::write(env.path("up.bin"), &data).unwrap();
    env.emu.faults().throttle(Some(4 << 20));
    let path = env.path("up.bin");
    let args = ["upload", path.to_str().unwrap()];
    let mut child = env
        .cmd(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    until("the upload to start", || env.journal().2 == 1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    kill9(&mut child);
    assert_eq!(env.journal().0, "running");
    assert_eq!(env.emu.file_count(), 0, "a broken upload stores nothing");

    env.emu.faults().throttle(None);
    let again = env.run(&["--json", "upload", path.to_str().unwrap()]).await;
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        result.as_array().unwrap().len(),
        1,
        "the same transfer, not a new one"
    );
    assert_eq!(env.emu.file_count(), 1, "one file on the server, not two");
    let url = result[0]["url"].as_str().unwrap();
    let back = env.path("back");
    let dl = env
        .run(&["download", url, "-o", back.to_str().unwrap()])
        .await;
    assert!(dl.status.success());
    assert_eq!(
        sha256_file(&back.join("up.bin")),
        hex::encode(Sha256::digest(&data))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_size_limit_fails_as_disk_full_and_keeps_the_part() {
    use std::os::unix::process::CommandExt;
    let env = env().await;
    let data = random_bytes(12 << 20, 4);
    std::fs::write(env.path("big.bin"), &data).unwrap();
    let up = env
        .json(&["upload", env.path("big.bin").to_str().unwrap()])
        .await;
    let url = up[0]["url"].as_str().unwrap().to_string();
    let out = env.path("out");
    let mut cmd = env.cmd(&["download", &url, "-o", out.to_str().unwrap()]);
    // Like a full disk: no file of this process may grow past 4 MiB (EFBIG on write).
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 4 << 20,
                rlim_max: 4 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let res = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(res.status.code(), Some(8), "{res:?}");
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("full"), "{err}");
    assert!(err.contains("fichier resume"), "names the command: {err}");
    let part = out.join("big.bin.part");
    assert!(part.exists(), "the .part is kept");
    assert!(!out.join("big.bin").exists());
    let (state, journal, _) = env.journal_of("download");
    assert_eq!(state, "failed");
    assert!(journal <= 4 << 20);
    // Room again: `fichier resume` finishes from the kept part.
    let statuses_before = env.token_statuses().len();
    let again = env.run(&["resume"]).await;
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        sha256_file(&out.join("big.bin")),
        hex::encode(Sha256::digest(&data))
    );
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("Nothing to resume"),
        "{again:?}"
    );
    let resumed = env.token_statuses()[statuses_before..].to_vec();
    assert_eq!(resumed, vec![206], "picked up the part with a Range");
}
