//! Several accounts in a real Secret Service (run by scripts/keychain-test.sh): each key
//! in its own keychain entry, each account with its own queue, `--account` and the
//! default choosing between them.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::Env;
use fichier_emulator::Offer;

/// Runs `fichier ARGS` with `stdin` as its standard input.
async fn with_stdin(env: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    let mut c = env.cmd(args);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

fn email(v: &serde_json::Value) -> String {
    v["email"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service (run scripts/keychain-test.sh)"]
async fn two_accounts_each_with_its_key_its_queue_and_the_default_between_them() {
    // No --queue: each account's own queue file is used.
    let env = Env::start(fichier_emulator::EmulatorConfig {
        rate_limits: false,
        ..Default::default()
    })
    .await;
    let main_email = email(&env.json(&["whoami"]).await);
    let work_key = env.emu.add_account(Offer::Gold);
    let home_key = env.emu.add_account(Offer::Premium);
    // A wrong key is refused and adds nothing.
    let out = with_stdin(&env, &["accounts", "add", "Work"], "not-a-key\n").await;
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let unknown = "Zz0123456789Zz0123456789Zz012345";
    let out = with_stdin(&env, &["accounts", "add", "Work"], &format!("{unknown}\n")).await;
    assert_eq!(
        out.status.code(),
        Some(3),
        "a key 1fichier refuses: {out:?}"
    );
    assert_eq!(
        env.json(&["accounts", "list"])
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for (name, key) in [("Work", &work_key), ("Home", &home_key)] {
        let out = with_stdin(
            &env,
            &["--json", "accounts", "add", name],
            &format!("{key}\n"),
        )
        .await;
        assert!(out.status.success(), "{name}: {out:?}");
    }
    let list = env.json(&["accounts", "list"]).await;
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].clone())
        .collect();
    assert_eq!(names, ["main", "Work", "Home"]);
    assert!(list[1]["hasKey"].as_bool().unwrap() && list[2]["hasKey"].as_bool().unwrap());
    // --account picks the key, whatever FICHIER_API_KEY says; without it, main as before.
    let work = env.json(&["--account", "work", "whoami"]).await;
    let home = env.json(&["--account", "Home", "whoami"]).await;
    assert_eq!(work["offer"], "gold");
    assert!(email(&work) != email(&home) && email(&home) != main_email);
    assert_eq!(email(&env.json(&["whoami"]).await), main_email);
    // A default other than main is used by every command.
    env.json(&["accounts", "default", "home"]).await;
    assert_eq!(email(&env.json(&["whoami"]).await), email(&home));
    // Each account has its own queue: an upload of Work's goes into cli-queue-work.db with
    // Work's key and lands in Work's files.
    std::fs::write(env.path("w.txt"), b"work file").unwrap();
    env.json(&[
        "--account",
        "Work",
        "upload",
        env.path("w.txt").to_str().unwrap(),
    ])
    .await;
    let data = env.path("data").join("fichier-desk");
    assert!(data.join("cli-queue-work.db").exists());
    assert!(!data.join("cli-queue.db").exists() && !data.join("cli-queue-home.db").exists());
    let listed = env.json(&["--account", "work", "ls"]).await;
    let files: Vec<_> = listed["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["filename"].clone())
        .collect();
    assert!(files.contains(&serde_json::json!("w.txt")), "{files:?}");
    let home_files = env.json(&["--account", "home", "ls"]).await;
    assert!(home_files["files"].as_array().unwrap().is_empty());
    // Removing an account removes its key from the keychain.
    env.json(&["accounts", "rm", "Work"]).await;
    env.json(&["accounts", "rm", "Home"]).await;
    let out = env.run(&["--account", "work", "whoami"]).await;
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let list = env.json(&["accounts", "list"]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}
