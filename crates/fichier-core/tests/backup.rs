//! Backups against the emulator with its default rate limits and the app's own pacer: a
//! first run sends everything, later runs send only what changed, renames and moves
//! become server-side calls, mirror deletions go to the dated trash, earlier versions are
//! kept, exclusions hold, files being written wait, and no call is ever refused for
//! flooding. API calls are counted in the emulator's request log.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::*;
use fichier_api::PacerConfig;
use fichier_core::backup::{
    BackupMode, BackupSpec, Backups, RunOutcome, RunReport, Schedule, TRASH_FOLDER, VERSIONS_FOLDER,
};
use fichier_emulator::EmulatorConfig;

const SETTLE: Duration = Duration::from_millis(300);

async fn limited_env() -> Env {
    Env::with(EmulatorConfig::default(), PacerConfig::default()).await
}

/// The 1fichier folder the backups go to: `/Backups`.
async fn target(env: &Env) -> i64 {
    env.client
        .create_folder(0, "Backups")
        .await
        .unwrap()
        .folder_id
}

fn spec(source: &Path, folder_id: i64, mode: BackupMode) -> BackupSpec {
    BackupSpec {
        name: "Documents".into(),
        source: source.to_string_lossy().into_owned(),
        folder_id,
        folder_label: "/Backups".into(),
        mode,
        excludes: vec!["*.log".into(), "cache/".into()],
        schedule: Schedule::Manual,
        watch: false,
        versions: 2,
        trash_days: 30,
    }
}

/// API calls per endpoint since the log was cleared (upload nodes and download hosts are
/// not API calls).
fn api_calls(env: &Env) -> BTreeMap<String, u64> {
    env.emu
        .request_counts()
        .by_endpoint
        .into_iter()
        .filter(|(k, _)| k.starts_with("/v1/"))
        .collect()
}

fn total(calls: &BTreeMap<String, u64>) -> u64 {
    calls.values().sum()
}

fn floods(env: &Env) -> Vec<String> {
    env.emu
        .request_log()
        .iter()
        .filter(|e| e.path.starts_with("/v1/") && (e.status == 403 || e.status == 429))
        .map(|e| format!("{} {}", e.path, e.status))
        .collect()
}

fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

/// Files of a remote folder path (under the root), by name: what the emulator holds,
/// read without an API call so the checks cost none of the rate limits.
fn remote_files(env: &Env, path: &str) -> BTreeMap<String, (u64, String)> {
    env.emu
        .stored_files()
        .into_iter()
        .filter(|(dir, ..)| dir == path)
        .map(|(_, name, size, hash)| (name, (size, hash)))
        .collect()
}

fn report_line(r: &RunReport) -> String {
    format!(
        "scanned {} hashed {} uploaded {} adopted {} moved {} copied {} trashed {} versioned {} unchanged {} waiting {} excluded {} errors {:?}",
        r.scanned,
        r.hashed,
        r.uploaded,
        r.adopted,
        r.moved,
        r.copied,
        r.trashed,
        r.versioned,
        r.unchanged,
        r.waiting,
        r.excluded,
        r.errors
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_tree_then_changes_renames_and_deletions_in_mirror_mode() {
    let env = limited_env().await;
    let src = env.path("docs");
    // 2,000 small files in 10 folders, a folder of 50 to rename, 3 large files, and
    // files the exclusions keep out.
    for d in 0..10 {
        for i in 0..195 {
            let seed = (d * 1000 + i) as u64;
            write(
                &src,
                &format!("d{d}/f{i:03}.txt"),
                &random_bytes(500 + (seed % 3000) as usize, seed + 1),
            );
        }
    }
    for i in 0..50 {
        write(
            &src,
            &format!("trip/p{i:02}.jpg"),
            &random_bytes(2000 + i, 90_000 + i as u64),
        );
    }
    for i in 0..3 {
        write(
            &src,
            &format!("big/video{i}.mkv"),
            &random_bytes(5 << 20, 7_000 + i as u64),
        );
    }
    write(&src, "d0/notes.log", b"excluded by the job");
    write(&src, "cache/blob.bin", b"excluded by the job");
    write(&src, "d1/~$draft.docx", b"excluded by default");
    write(&src, "d1/movie.part", b"excluded by default");
    tokio::time::sleep(SETTLE * 2).await;

    let engine = env.engine();
    let backups = Backups::open_with(&env.path("backups.db"), &engine, SETTLE).unwrap();
    let job = backups
        .add(&spec(&src, target(&env).await, BackupMode::Mirror))
        .unwrap();

    // A preview changes nothing and tells what the run will do.
    let preview = backups.run(&job.id, true).await.unwrap();
    assert_eq!(preview.uploaded, 2003, "{}", report_line(&preview));
    assert_eq!(env.emu.file_count(), 0);

    env.emu.clear_log();
    let first = backups.run(&job.id, false).await.unwrap();
    let first_calls = api_calls(&env);
    println!(
        "first run: {} ; API calls {first_calls:?}",
        report_line(&first)
    );
    assert_eq!(
        first.outcome,
        Some(RunOutcome::Done),
        "{}",
        report_line(&first)
    );
    assert_eq!(first.uploaded, 2003);
    assert_eq!(first.scanned, 2003);
    assert_eq!(first.excluded, 4);
    assert_eq!(env.emu.file_count(), 2003);
    assert_eq!(floods(&env), Vec::<String>::new());
    // Small files went up in batches: far fewer upload nodes than files.
    let nodes = first_calls
        .get("/v1/upload/get_upload_server.cgi")
        .copied()
        .unwrap_or(0);
    assert!(nodes <= 30, "{nodes} upload nodes for 2,003 files");
    let d3 = remote_files(&env, "Backups/d3");
    assert_eq!(d3.len(), 195);
    assert!(
        remote_files(&env, "Backups/d0")
            .keys()
            .all(|n| !n.ends_with(".log"))
    );

    // No change: nothing read, nothing sent, no API call.
    env.emu.clear_log();
    let again = backups.run(&job.id, false).await.unwrap();
    println!(
        "no change: {} ; API calls {:?}",
        report_line(&again),
        api_calls(&env)
    );
    assert_eq!(again.hashed, 0);
    assert_eq!(again.uploaded, 0);
    assert_eq!(again.unchanged, 2003);
    assert_eq!(total(&api_calls(&env)), 0);

    // Touched files (another modification time, same bytes) are read again, not sent.
    let earlier = SystemTime::now() - Duration::from_secs(3600);
    for rel in ["d2/f000.txt", "d2/f001.txt", "d4/f010.txt"] {
        let f = std::fs::File::options()
            .write(true)
            .open(src.join(rel))
            .unwrap();
        f.set_modified(earlier).unwrap();
    }
    tokio::time::sleep(SETTLE * 2).await;
    let touched = backups.run(&job.id, false).await.unwrap();
    assert_eq!(
        (touched.hashed, touched.uploaded),
        (3, 0),
        "{}",
        report_line(&touched)
    );

    // Three changed files go up; their earlier copies are kept as versions.
    for rel in ["d5/f000.txt", "d5/f001.txt", "d6/f002.txt"] {
        write(&src, rel, format!("new content of {rel}").as_bytes());
    }
    tokio::time::sleep(SETTLE * 2).await;
    env.emu.clear_log();
    let changed = backups.run(&job.id, false).await.unwrap();
    println!(
        "3 changed: {} ; API calls {:?}",
        report_line(&changed),
        api_calls(&env)
    );
    assert_eq!(changed.uploaded, 3, "{}", report_line(&changed));
    assert_eq!(changed.versioned, 3);
    assert_eq!(changed.hashed, 3);
    let d5 = remote_files(&env, "Backups/d5");
    assert_eq!(d5.len(), 195);
    assert_eq!(
        d5["f000.txt"].1,
        fichier_core::hashing::whirlpool_hex(b"new content of d5/f000.txt")
    );
    let versions = remote_files(&env, &format!("Backups/{VERSIONS_FOLDER}/d5"));
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert!(
        versions
            .keys()
            .all(|n| n.starts_with("f00") && n.ends_with(".txt"))
    );

    // Renaming a folder of 50 files sends nothing: 50 server-side moves.
    std::fs::rename(src.join("trip"), src.join("trip 2026")).unwrap();
    tokio::time::sleep(SETTLE * 2).await;
    env.emu.clear_log();
    let renamed = backups.run(&job.id, false).await.unwrap();
    let calls = api_calls(&env);
    println!(
        "folder renamed: {} ; API calls {calls:?}",
        report_line(&renamed)
    );
    assert_eq!(
        (renamed.uploaded, renamed.moved),
        (0, 50),
        "{}",
        report_line(&renamed)
    );
    assert_eq!(
        renamed.hashed, 0,
        "a rename keeps the inode: nothing is read again"
    );
    assert_eq!(calls.get("/v1/upload/get_upload_server.cgi"), None);
    assert_eq!(remote_files(&env, "Backups/trip 2026").len(), 50);
    assert_eq!(remote_files(&env, "Backups/trip").len(), 0);
    assert!(total(&calls) <= 10, "{calls:?}");

    // Deleted files go to today's trash folder, not away.
    for i in 0..5 {
        std::fs::remove_file(src.join(format!("d7/f{i:03}.txt"))).unwrap();
    }
    let deleted = backups.run(&job.id, false).await.unwrap();
    assert_eq!(deleted.trashed, 5, "{}", report_line(&deleted));
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let trash = remote_files(&env, &format!("Backups/{TRASH_FOLDER}/{today}/d7"));
    assert_eq!(trash.len(), 5, "{trash:?}");
    assert_eq!(remote_files(&env, "Backups/d7").len(), 190);
    // Nothing was lost: every file is somewhere on 1fichier.
    assert_eq!(env.emu.file_count(), 2003 + 3);

    assert_eq!(floods(&env), Vec::<String>::new());
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_mode_never_removes_and_takes_what_is_already_there() {
    let env = limited_env().await;
    let src = env.path("photos");
    for i in 0..6 {
        write(
            &src,
            &format!("a/img{i}.jpg"),
            &random_bytes(3000 + i, 50 + i as u64),
        );
    }
    // Already on 1fichier (uploaded by hand): taken, not sent again.
    let engine = env.engine();
    let folder = target(&env).await;
    let pre = engine
        .upload_paths(vec![src.join("a")], folder, None)
        .unwrap();
    for t in &pre {
        done(&engine, &t.id).await;
    }
    assert_eq!(env.emu.file_count(), 6);
    write(&src, "a/new.jpg", &random_bytes(4000, 99));
    write(&src, "a/copy of img0.jpg", &random_bytes(3000, 50));
    tokio::time::sleep(SETTLE * 2).await;
    let backups = Backups::open_with(&env.path("backups.db"), &engine, SETTLE).unwrap();
    let job = backups.add(&spec(&src, folder, BackupMode::Copy)).unwrap();
    let first = backups.run(&job.id, false).await.unwrap();
    println!("adopting run: {}", report_line(&first));
    assert_eq!(first.adopted, 6, "{}", report_line(&first));
    assert_eq!(first.uploaded, 1);
    // A duplicate content is copied on the server (from the adopted img0).
    assert_eq!(first.copied + first.uploaded, 2);
    assert_eq!(env.emu.file_count(), 8);

    // Rename and delete in copy mode: the renamed file is copied on the server, the old
    // copy stays, and deleted files stay on 1fichier.
    std::fs::rename(src.join("a/img1.jpg"), src.join("a/renamed.jpg")).unwrap();
    std::fs::remove_file(src.join("a/img2.jpg")).unwrap();
    tokio::time::sleep(SETTLE * 2).await;
    let second = backups.run(&job.id, false).await.unwrap();
    println!("copy-mode rename: {}", report_line(&second));
    assert_eq!((second.uploaded, second.copied, second.trashed), (0, 1, 0));
    let a = remote_files(&env, "Backups/a");
    assert!(
        a.contains_key("renamed.jpg") && a.contains_key("img1.jpg") && a.contains_key("img2.jpg")
    );

    // A file removed on 1fichier (in the web console, say) is sent again by the next
    // verified run: one listing per folder, nothing read again.
    assert_eq!(env.emu.remove_stored_named("img3.jpg"), 1);
    let plain = backups.run(&job.id, false).await.unwrap();
    assert_eq!(
        plain.verified,
        0,
        "checked at most weekly: {}",
        report_line(&plain)
    );
    let verified = backups.run_verified(&job.id).await.unwrap();
    println!("verified: {}", report_line(&verified));
    assert_eq!(
        (verified.missing, verified.uploaded, verified.hashed),
        (1, 1, 0)
    );
    assert!(verified.verified >= 7, "{}", report_line(&verified));
    assert!(remote_files(&env, "Backups/a").contains_key("img3.jpg"));
    assert_eq!(floods(&env), Vec::<String>::new());
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_being_written_goes_up_once_it_is_stable() {
    let env = limited_env().await;
    let src = env.path("live");
    write(&src, "done.txt", b"finished");
    tokio::time::sleep(SETTLE * 2).await;
    let growing = src.join("recording.wav");
    let writer = std::thread::spawn({
        let growing = growing.clone();
        move || {
            use std::io::Write;
            let mut f = std::fs::File::create(&growing).unwrap();
            for i in 0..12 {
                f.write_all(&random_bytes(20_000, i)).unwrap();
                f.sync_all().unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let engine = env.engine();
    let backups = Backups::open_with(&env.path("backups.db"), &engine, SETTLE).unwrap();
    let job = backups
        .add(&spec(&src, target(&env).await, BackupMode::Mirror))
        .unwrap();
    let report = backups.run(&job.id, false).await.unwrap();
    writer.join().unwrap();
    println!("live file: {}", report_line(&report));
    // The first round left it alone; a later round sent it once complete.
    let files = remote_files(&env, "Backups");
    let expected: Vec<u8> = (0..12).flat_map(|i| random_bytes(20_000, i)).collect();
    if report.waiting == 0 {
        assert_eq!(report.uploaded, 2, "{}", report_line(&report));
        assert_eq!(
            files["recording.wav"].1,
            fichier_core::hashing::whirlpool_hex(&expected)
        );
    } else {
        // Still being written after the last round: not sent at all, never half.
        assert!(!files.contains_key("recording.wav"), "{files:?}");
        tokio::time::sleep(SETTLE * 2).await;
        let next = backups.run(&job.id, false).await.unwrap();
        assert_eq!(next.uploaded, 1, "{}", report_line(&next));
        let files = remote_files(&env, "Backups");
        assert_eq!(
            files["recording.wav"].1,
            fichier_core::hashing::whirlpool_hex(&expected)
        );
    }
    assert_eq!(env.emu.file_count(), 2);
    engine.shutdown().await;
}

/// Waits until the job has a finished run newer than `after` (epoch ms).
async fn next_run_after(backups: &Backups, id: &str, after: i64) -> RunReport {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let job = backups.find(id).unwrap();
        if let Some(r) = job.last_run
            && r.started_at > after
            && r.finished_at.is_some()
        {
            return r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no run started by itself: {:?}",
            job.status
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Edits a stored job the way time would have (its JSON body).
fn age_job(db: &Path, id: &str, edit: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let n = conn
        .execute(
            &format!("UPDATE backup_jobs SET body = {edit} WHERE id = ?1"),
            [id],
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_start_by_themselves_on_a_change_a_missed_schedule_or_an_interrupted_run() {
    let env = limited_env().await;
    let folder = target(&env).await;
    let db = env.path("backups.db");
    let watched = env.path("watched");
    let scheduled = env.path("scheduled");
    write(&watched, "first.txt", b"one");
    write(&scheduled, "a.txt", b"a");
    tokio::time::sleep(SETTLE * 2).await;
    let engine = env.engine();
    let backups = Backups::open_with(&db, &engine, SETTLE).unwrap();
    let w = backups
        .add(&BackupSpec {
            name: "Watched".into(),
            watch: true,
            ..spec(&watched, folder, BackupMode::Copy)
        })
        .unwrap();
    let s = backups
        .add(&BackupSpec {
            name: "Hourly".into(),
            schedule: Schedule::Every { hours: 1 },
            folder_label: "/Backups/scheduled".into(),
            ..spec(&scheduled, folder, BackupMode::Copy)
        })
        .unwrap();
    // Nothing is due yet: an hourly job first runs an hour after it was added.
    assert!(s.next_run_at.unwrap() > s.created_at + 3_500_000);
    let start = chrono::Utc::now().timestamp_millis();
    backups.start();

    // A change in the watched folder starts a run a moment later.
    tokio::time::sleep(Duration::from_millis(500)).await;
    write(&watched, "second.txt", b"two");
    let r = next_run_after(&backups, &w.id, start).await;
    println!("watched run: {}", report_line(&r));
    let on_remote = |name: &str| {
        env.emu
            .stored_files()
            .iter()
            .any(|(dir, n, ..)| dir == "Backups" && n == name)
    };
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !on_remote("second.txt") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "second.txt never went up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(on_remote("first.txt"));
    assert!(
        backups.find(&s.id).unwrap().last_run.is_none(),
        "not due, not run"
    );
    backups.stop_all();
    drop(backups);
    engine.shutdown().await;

    // The app was closed for two hours: the missed hourly run happens at start.
    let two_hours_ago = start - 2 * 3_600_000;
    age_job(
        &db,
        &s.id,
        &format!("json_set(body, '$.created_at', {two_hours_ago})"),
    );
    let engine = env.engine();
    let backups = Backups::open_with(&db, &engine, SETTLE).unwrap();
    let before = chrono::Utc::now().timestamp_millis();
    backups.start();
    let r = next_run_after(&backups, &s.id, before).await;
    assert_eq!(r.uploaded, 1, "{}", report_line(&r));
    let next = backups.find(&s.id).unwrap().next_run_at.unwrap();
    assert!(
        next >= r.started_at + 3_599_000,
        "the next one is an hour after this one"
    );
    backups.stop_all();
    drop(backups);
    engine.shutdown().await;

    // A run that was going when the process died goes on at the next start.
    write(&scheduled, "b.txt", b"b");
    tokio::time::sleep(SETTLE * 2).await;
    age_job(&db, &s.id, "json_set(body, '$.running', json('true'))");
    let engine = env.engine();
    let backups = Backups::open_with(&db, &engine, SETTLE).unwrap();
    assert!(backups.find(&s.id).unwrap().interrupted);
    let before = chrono::Utc::now().timestamp_millis();
    backups.start();
    let r = next_run_after(&backups, &s.id, before).await;
    assert_eq!((r.uploaded, r.unchanged), (1, 1), "{}", report_line(&r));
    assert!(!backups.find(&s.id).unwrap().interrupted);
    assert_eq!(floods(&env), Vec::<String>::new());
    backups.stop_all();
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_changed_while_it_is_sent_is_never_kept_half_changed() {
    let env = limited_env().await;
    let folder = target(&env).await;
    let src = env.path("edits");
    let path = src.join("draft.bin");
    let original = random_bytes(24 << 20, 77);
    write(&src, "draft.bin", &original);
    tokio::time::sleep(SETTLE * 2).await;
    let engine = env.engine();
    let backups = Backups::open_with(&env.path("backups.db"), &engine, SETTLE).unwrap();
    let job = backups
        .add(&spec(&src, folder, BackupMode::Mirror))
        .unwrap();
    // Slow enough that the end of the file is rewritten before it is read (24 MiB can't
    // all sit in socket buffers).
    env.emu.faults().throttle(Some(1 << 20));
    let run = tokio::spawn({
        let backups = backups.clone();
        let id = job.id.clone();
        async move { backups.run(&id, false).await.unwrap() }
    });
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !engine
        .list()
        .iter()
        .any(|t| t.bytes_done > 0 && t.bytes_done < (8 << 20))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the upload never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Same size, new content at the end: only the checksum can tell.
    let mut edited = original.clone();
    edited[(23 << 20)..].copy_from_slice(&random_bytes(1 << 20, 78));
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::File::options().write(true).open(&path).unwrap();
        f.seek(SeekFrom::Start(23 << 20)).unwrap();
        f.write_all(&edited[(23 << 20)..]).unwrap();
        f.sync_all().unwrap();
    }
    env.emu.faults().throttle(None);
    let report = run.await.unwrap();
    println!("edited during upload: {}", report_line(&report));
    let now = fichier_core::hashing::whirlpool_hex(&edited);
    // The copy sent while the file changed was removed; the file was read again once it
    // had settled and sent as it is now.
    assert_eq!(
        (report.uploaded, report.hashed),
        (1, 2),
        "{}",
        report_line(&report)
    );
    let stored: Vec<_> = env
        .emu
        .stored_files()
        .into_iter()
        .filter(|(_, n, ..)| n == "draft.bin")
        .collect();
    // What 1fichier keeps is one copy, of the content as it is now.
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].3, now);
    assert_ne!(now, fichier_core::hashing::whirlpool_hex(&original));
    engine.shutdown().await;
}
