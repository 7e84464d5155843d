//! The `fichier` command against a misbehaving server and against a second process on its
//! queue: a clear error, a documented exit code, bounded memory.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fichier_core::QueueLock;
use fichier_emulator::hostile::{HostileServer, Request, endless_json, trickling_json};

const KEY: &str = "HostileKeyHostileKeyHostileKey01";

fn fichier(base: &str, dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fichier"));
    c.args(args)
        .arg("--queue")
        .arg(dir.join("queue.db"))
        .env("FICHIER_API_BASE", base)
        .env("FICHIER_API_KEY", KEY)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `cmd` to its end; returns its exit code, stderr and peak resident memory (KiB).
/// The child is reaped by `wait4`, which also gives its own resource usage.
#[allow(clippy::zombie_processes)]
fn run_measured(mut cmd: Command) -> (Option<i32>, String, i64) {
    let child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let stderr = child.stderr.unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not waited for yet.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, reader.join().unwrap(), usage.ru_maxrss)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_of_three_gigabytes_fails_clearly_with_memory_bounded() {
    let server = HostileServer::start(Arc::new(|_: &Request| {
        endless_json(
            br#"{"folder_id":0,"name":"root","sub_folders":["#,
            br#"{"id":1,"name":"folder","create_date":""},"#,
            3,
        )
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let cmd = fichier(&format!("{}/v1", server.base()), dir.path(), &["ls"]);
    let (code, err, peak_kib) = tokio::task::spawn_blocking(move || run_measured(cmd))
        .await
        .unwrap();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("too large to be real"), "{err}");
    println!(
        "peak memory of `fichier ls` under a 3 GiB answer: {} MiB",
        peak_kib / 1024
    );
    assert!(peak_kib < 200 * 1024, "peak {peak_kib} KiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_server_gets_a_timeout_not_an_endless_wait() {
    let server = HostileServer::start(Arc::new(|_: &Request| {
        trickling_json(Duration::from_millis(500), 600)
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = fichier(
        &format!("{}/v1", server.base()),
        dir.path(),
        &["whoami", "--timeout", "1"],
    );
    cmd.env_remove("FICHIER_API_TIMEOUT");
    let (code, err, _) = tokio::task::spawn_blocking(move || run_measured(cmd))
        .await
        .unwrap();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("took too long"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_the_queue_is_told_who_owns_it_or_waits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    let held = QueueLock::acquire(&db).unwrap();
    let base = "http://127.0.0.1:9/v1";
    let cmd = fichier(base, dir.path(), &["resume"]);
    let (code, err, _) = tokio::task::spawn_blocking(move || run_measured(cmd))
        .await
        .unwrap();
    assert_eq!(code, Some(9), "{err}");
    assert!(err.contains("is in use by"), "{err}");
    assert!(
        err.contains(&format!("pid {}", std::process::id())),
        "{err}"
    );

    // With --wait it waits for the owner, then goes on.
    let child = fichier(base, dir.path(), &["resume", "--wait"])
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    drop(held);
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Waiting: the queue is in use by"), "{err}");
    assert!(err.contains("Nothing to resume"), "{err}");
}
