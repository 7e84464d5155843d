//! `fichier whoami`, `check`, `completions` and the man page, run as the user runs them.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::{Env, kill9, random_bytes};
use fichier_emulator::AccountState;

async fn env() -> Env {
    Env::unlimited().await
}

async fn put(env: &Env, name: &str, data: &[u8]) -> String {
    env.put(name, data).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reads_pasted_links_and_downloads_the_available_ones() {
    let env = env().await;
    let data = random_bytes(300_000, 4);
    let url = put(&env, "clip.mp4", &data).await;
    let list = env.path("links.txt");
    std::fs::write(
        &list,
        format!("Links:\n - {url}&af=42\n - {url}\n - https://1fichier.com/?gonegone99\n"),
    )
    .unwrap();
    // JSON: one report per file, in order; exit code 4 because one can't be downloaded.
    let out = env.run(&["--json", "check", list.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["status"], "available");
    assert_eq!(reports[0]["name"], "clip.mp4");
    assert_eq!(reports[0]["size"], 300_000);
    assert_eq!(reports[1]["status"], "notFound");
    // From standard input, every link available: exit 0, and --download fetches them.
    let dest = env.path("got");
    let mut c = env.cmd(&["check", "-", "--download", dest.to_str().unwrap()]);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{url}").unwrap();
    }
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::read(dest.join("clip.mp4")).unwrap(), data);
    // No link in the text: a usage error that says what was looked for.
    std::fs::write(&list, "nothing to see").unwrap();
    let out = env.run(&["check", list.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no 1fichier link"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whoami_says_what_needs_attention() {
    let env = env().await;
    env.emu.set_account_state(
        &env.key,
        AccountState {
            upload_forbidden: Some(true),
            ..AccountState::default()
        },
    );
    let a = env.json(&["whoami"]).await;
    assert_eq!(a["uploadForbidden"], true);
    assert_eq!(a["notices"][0]["kind"], "uploadForbidden");
    let human = env.run(&["whoami"]).await;
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("does not accept uploads"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_and_the_manual_come_from_the_definitions() {
    let env = env().await;
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = env.run(&["completions", shell]).await;
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["whoami", "check", "export-strm", "backup"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let man = env.run(&["manpage"]).await;
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH fichier 1"),
        "{page}"
    );
    assert!(page.contains("whoami") && page.contains("completions"));
    // A reader that stops early is not an error (`fichier completions bash | head`).
    let mut c = env.cmd(&["completions", "bash"]);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    drop(child.stdout.take());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_that_cannot_finish_in_four_hours_is_announced_before_it_starts() {
    let env = env().await;
    // Measured on one upload of 6 MiB at 3 MiB/s.
    env.emu.faults().throttle(Some(3 << 20));
    put(&env, "sample.bin", &random_bytes(6 << 20, 5)).await;
    env.emu.faults().throttle(None);
    let huge = env.path("archive.tar");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(60 << 30)
        .unwrap();
    // In a script (no terminal) it says so on stderr and goes on: stopped once it spoke.
    let mut c = env.cmd(&["upload", huge.to_str().unwrap()]);
    c.stderr(Stdio::piped()).stdout(Stdio::null());
    let mut child = c.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stderr).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    kill9(&mut child);
    assert!(first.starts_with("Warning: archive.tar"), "{first}");
    assert!(first.contains("4.0 hours"), "{first}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_account_is_named_with_the_ones_there_are() {
    let env = env().await;
    let list = env.json(&["accounts", "list"]).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0]["id"].as_str(), list[0]["default"].as_bool()),
        (Some("main"), Some(true))
    );
    for args in [
        &["accounts", "default", "nope"][..],
        &["--account", "nope", "whoami"][..],
        &["accounts", "rm", "nope"][..],
    ] {
        let out = env.run(args).await;
        assert_eq!(out.status.code(), Some(4), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("No account named \"nope\" (accounts: main)"),
            "{err}"
        );
    }
    let mut c = env.cmd(&["whoami"]);
    c.env("FICHIER_ACCOUNT", "nope");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    // The only account can't be removed.
    let out = env.run(&["accounts", "rm", "main"]).await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}
