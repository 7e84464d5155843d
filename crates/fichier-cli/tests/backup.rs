//! `fichier backup` and `fichier sync` as separate processes against the emulator with its
//! default rate limits: jobs, JSON, exit codes, and a sync killed with SIGKILL that the
//! next one finishes without a duplicate.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use common::{Env, kill9, random_bytes, write};
use fichier_emulator::EmulatorConfig;

/// (folder path, name) → how many stored copies, read from the emulator's state.
fn stored(env: &Env) -> BTreeMap<(String, String), usize> {
    let mut m = BTreeMap::new();
    for (dir, name, ..) in env.emu.stored_files() {
        *m.entry((dir, name)).or_insert(0) += 1;
    }
    m
}

async fn env() -> Env {
    Env::start(EmulatorConfig::default())
        .await
        .with_env("FICHIER_BACKUP_SETTLE_MS", "300")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_jobs_from_the_command_line() {
    let env = env().await;
    let src = env.path("Pictures");
    for i in 0..20 {
        write(
            &src,
            &format!("2026/img{i:02}.jpg"),
            &random_bytes(1500 + i, i as u64 + 1),
        );
    }
    write(&src, "2026/scratch.tmp", b"left out by default");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let src_s = src.to_str().unwrap();

    let added = env
        .json(&[
            "backup",
            "add",
            src_s,
            "/Backups/Pictures",
            "--daily",
            "03:30",
            "--mirror",
        ])
        .await;
    assert_eq!(added["spec"]["name"], "Pictures");
    assert_eq!(added["spec"]["mode"], "mirror");
    assert_eq!(added["spec"]["schedule"]["kind"], "daily");
    assert!(added["nextRunAt"].as_i64().is_some());

    let report = env.json(&["backup", "run", "pictures"]).await;
    assert_eq!(report["uploaded"], 20, "{report}");
    assert_eq!(report["outcome"], "done");
    assert_eq!(stored(&env).len(), 20);
    assert!(
        stored(&env)
            .keys()
            .all(|(dir, _)| dir == "Backups/Pictures/2026")
    );

    let listed = env.json(&["backup", "list"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["lastRun"]["uploaded"], 20);

    // Human output says what happened.
    let again = env.run(&["backup", "run", "Pictures"]).await;
    assert!(again.status.success());
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.contains("0 uploaded") && text.contains("20 unchanged"),
        "{text}"
    );

    // A preview tells what a run would send, and sends nothing.
    write(&src, "2026/img00.jpg", b"edited");
    write(&src, "2026/new.jpg", b"new");
    tokio::time::sleep(Duration::from_millis(700)).await;
    let preview = env.json(&["backup", "run", "Pictures", "--dry-run"]).await;
    assert_eq!(
        (preview["uploaded"].as_u64(), preview["versioned"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(preview["dryRun"], true);
    assert_eq!(env.emu.file_count(), 20, "a dry run sends nothing");

    // Unknown names exit 4; bad usage 2; removal keeps the files.
    let missing = env.run(&["backup", "run", "Nope"]).await;
    assert_eq!(missing.status.code(), Some(4));
    let bad = env
        .run(&["backup", "add", src_s, "/Backups/x", "--daily", "25h"])
        .await;
    assert_eq!(bad.status.code(), Some(2));
    let refused = env
        .run(&[
            "backup",
            "add",
            src_s,
            "/Backups/Pictures",
            "--name",
            "again",
        ])
        .await;
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a duplicate is not a usage error"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already sends this folder"));
    let removed = env.json(&["backup", "rm", "Pictures"]).await;
    assert!(removed["removed"].as_str().is_some());
    assert_eq!(
        env.json(&["backup", "list"])
            .await
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(env.emu.file_count(), 20);
    assert_eq!(env.floods(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_mid_run_is_finished_by_the_next_without_duplicates() {
    let env = env().await;
    let src = env.path("server-archive");
    for i in 0..150 {
        write(
            &src,
            &format!("logs/{i:03}.txt"),
            &random_bytes(800 + i, 500 + i as u64),
        );
    }
    for i in 0..3 {
        write(
            &src,
            &format!("dumps/db{i}.sql"),
            &random_bytes(6 << 20, 40 + i as u64),
        );
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let src_s = src.to_str().unwrap();
    env.emu.faults().throttle(Some(1 << 20));
    let mut child = env
        .cmd(&["sync", src_s, "/Backups/archive", "--mirror"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once part of the tree is on 1fichier and a large file is on its way.
    for _ in 0..1200 {
        if env.emu.file_count() >= 50 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    kill9(&mut child);
    let partial = env.emu.file_count();
    assert!(partial < 153, "killed before the end ({partial} files)");

    env.emu.faults().throttle(None);
    let report = env
        .json(&["sync", src_s, "/Backups/archive", "--mirror"])
        .await;
    assert_eq!(report["outcome"], "done", "{report}");
    let stored = stored(&env);
    assert_eq!(stored.len(), 153, "every file once: {stored:?}");
    let twice: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored twice: {twice:?}");
    // The next sync finds nothing to do.
    let idle = env
        .json(&["sync", src_s, "/Backups/archive", "--mirror"])
        .await;
    assert_eq!(
        (idle["uploaded"].as_u64(), idle["hashed"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(env.emu.file_count(), 153);
    assert_eq!(env.floods(), 0);
}
