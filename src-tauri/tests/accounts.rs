//! Several accounts in one window, through the commands: adding, switching and removing
//! never stop another account's transfers, each transfer says whose it is and is
//! controlled in its own account's queue.

mod support;

use std::time::{Duration, Instant};

use fichier_emulator::Offer;
use serde_json::{Value, json};
use support::*;

fn transfers(h: &Harness) -> Vec<Value> {
    invoke(h, "list_transfers", json!({}))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn find(h: &Harness, id: &str) -> Option<Value> {
    transfers(h).into_iter().find(|t| t["id"] == id)
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(30);
    while Instant::now() < end {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} never happened");
}

fn accounts(h: &Harness) -> Vec<Value> {
    invoke(h, "list_accounts", json!({}))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn account<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no account {id} in {list:?}"))
}

#[test]
fn switching_accounts_never_stops_the_other_accounts_transfers() {
    let h = harness();
    // A file of the first account, then its download on a slow link.
    let src = h.dir.path().join("film.bin");
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&src, &bytes).unwrap();
    drop_on_window(&h, &[&src]);
    let up = upload(&h, &src).unwrap();
    let url = wait_finished(&h, up[0]["id"].as_str().unwrap())["url"]
        .as_str()
        .unwrap()
        .to_string();
    h.emu.faults().throttle(Some(400_000));
    // Into the download folder of the settings, beside the source: a new name.
    let dest = h.dir.path();
    let down = invoke(&h, "download_files", json!({"urls": [url]})).unwrap();
    let down_id = down[0]["id"].as_str().unwrap().to_string();
    assert_eq!(down[0]["account"], "main", "{down}");
    wait_for("the download moving", || {
        find(&h, &down_id).is_some_and(|t| t["state"] == "running" && t["bytesDone"] != 0)
    });

    // A second account: checked with 1fichier and shown; the first keeps downloading.
    let work_key = h.emu.add_account(Offer::Gold);
    let info = invoke(
        &h,
        "add_account",
        json!({"name": "Work", "key": work_key, "sessionOnly": true}),
    )
    .unwrap();
    assert_eq!(info["offer"], "gold", "{info}");
    let session = invoke(&h, "get_session", json!({})).unwrap();
    assert_eq!(session["account"], "work", "{session}");
    let listing = invoke(&h, "list_folder", json!({"folderId": 0, "force": true})).unwrap();
    assert!(
        listing["files"].as_array().unwrap().is_empty(),
        "the work account's root shows the first account's files: {listing}"
    );
    let list = accounts(&h);
    let main = account(&list, "main");
    assert_eq!(
        (&main["open"], &main["shown"], &main["running"]),
        (&json!(true), &json!(false), &json!(1)),
        "{main}"
    );
    assert_eq!(account(&list, "work")["shown"], true);
    assert_eq!(account(&list, "demo")["open"], false);
    let before = find(&h, &down_id).unwrap()["bytesDone"].as_u64().unwrap();
    wait_for(
        "the first account's download going on after the switch",
        || {
            find(&h, &down_id).is_some_and(|t| {
                t["state"] == "running" && t["bytesDone"].as_u64().unwrap() > before
            })
        },
    );

    // The same name, or a key already in the list, is refused and adds nothing.
    let e = invoke(
        &h,
        "add_account",
        json!({"name": "work", "key": h.emu.add_account(Offer::Premium), "sessionOnly": true}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "invalid_request", "{e}");
    let e = invoke(
        &h,
        "add_account",
        json!({"name": "Work again", "key": work_key, "sessionOnly": true}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "name_conflict", "{e}");
    assert!(e["message"].as_str().unwrap().contains("Work"), "{e}");
    assert_eq!(accounts(&h).len(), 3, "main, work and the demo");

    // An upload of the work account is labelled so; a control on the first account's
    // transfer reaches its own queue while the work account is shown.
    let small = h.dir.path().join("notes.txt");
    std::fs::write(&small, "work notes").unwrap();
    drop_on_window(&h, &[&small]);
    let up = upload(&h, &small).unwrap();
    assert_eq!(up[0]["account"], "work", "{up}");
    assert_eq!(
        wait_finished(&h, up[0]["id"].as_str().unwrap())["account"],
        "work"
    );
    invoke(&h, "pause_transfer", json!({"id": down_id})).unwrap();
    wait_for("the download paused", || {
        find(&h, &down_id).is_some_and(|t| t["state"] == "paused")
    });
    invoke(&h, "resume_transfer", json!({"id": down_id})).unwrap();

    // The demo is one more account; showing it leaves the others running.
    let shown = invoke(&h, "switch_account", json!({"id": "demo"})).unwrap();
    assert_eq!(
        (&shown["account"], &shown["demo"]),
        (&json!("demo"), &json!(true))
    );
    assert_eq!(account(&accounts(&h), "demo")["open"], true);
    let shown = invoke(&h, "switch_account", json!({"id": "main"})).unwrap();
    assert_eq!(shown["account"], "main");
    let e = invoke(&h, "switch_account", json!({"id": "nobody"})).unwrap_err();
    assert_eq!(e["code"], "not_found", "{e}");

    // Removing the work account takes its transfers off the list, not the others'.
    let after = invoke(&h, "remove_account", json!({"id": "work"})).unwrap();
    assert_eq!(after["account"], "main", "{after}");
    assert!(accounts(&h).iter().all(|a| a["id"] != "work"));
    let history = invoke(&h, "list_history", json!({"offset": 0, "limit": 50})).unwrap();
    assert!(
        history["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["account"] != "work"),
        "{history}"
    );
    h.emu.faults().throttle(None);
    wait_for("the download done", || {
        invoke(&h, "list_history", json!({"offset": 0, "limit": 50})).unwrap()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == down_id && t["state"] == "done")
    });
    let done = invoke(&h, "list_history", json!({"offset": 0, "limit": 50})).unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == down_id)
        .cloned()
        .unwrap();
    let path = std::path::PathBuf::from(done["localPath"].as_str().unwrap());
    assert_eq!(path.parent(), Some(dest));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    let stored = std::fs::read_to_string(h.dir.path().join("accounts.json")).unwrap();
    assert!(
        !stored.contains(&work_key),
        "a key was written to the account list"
    );
}
