//! The file commands print core's types and keep core's rules: the same shapes and the
//! same refusals as the window, whatever the command line allows.

mod common;

use common::{Env, random_bytes};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_commands_print_cores_types_and_keep_its_rules() {
    let env = Env::unlimited().await;

    // mkdir prints the new folder as core describes it; a nested one too.
    let photos = env.json(&["mkdir", "Photos"]).await;
    assert_eq!(photos["name"], "Photos", "{photos}");
    assert_eq!(photos["pass"], false, "{photos}");
    let photos_id = photos["id"].as_i64().unwrap();
    let year = env
        .json(&["mkdir", "2026", "--parent", &photos_id.to_string()])
        .await;
    let year_id = year["id"].as_i64().unwrap();

    // Core's name rule holds here as in the window: nothing reaches 1fichier.
    let before = env.emu.request_log().len();
    for bad in ["a/b", "   ", "line\nbreak"] {
        let refused = env.run(&["mkdir", bad]).await;
        assert_eq!(refused.status.code(), Some(1), "{bad:?}");
        let err = String::from_utf8_lossy(&refused.stderr);
        assert!(err.contains("a name can't"), "{bad:?}: {err}");
    }
    let long = "n".repeat(251);
    let refused = env.run(&["mkdir", &long]).await;
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at most 250 characters"));
    assert_eq!(
        env.emu.request_log().len(),
        before,
        "a refused name costs no call"
    );

    let url = env.put("sea.jpg", &random_bytes(20_000, 7)).await;
    env.json(&["mv", &url, "--to", &year_id.to_string()]).await;

    // Each folder is listed once here: 1fichier allows one listing of a folder per 30 s,
    // and every command is a new process that keeps that rule.
    // tree: depth first, each folder with its files.
    let tree = env.json(&["tree", &photos_id.to_string()]).await;
    let nodes: Vec<(i64, u64, String)> = tree
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_i64().unwrap(),
                n["depth"].as_u64().unwrap(),
                n["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        nodes,
        [
            (photos_id, 0, "Photos".to_string()),
            (year_id, 1, "2026".to_string())
        ],
        "{tree}"
    );
    assert_eq!(tree[1]["files"][0]["filename"], "sea.jpg", "{tree}");
    assert_eq!(tree[1]["files"][0]["size"], 20_000, "{tree}");

    // ls: the folder, its sub-folders and its files, as the window gets them.
    let ls = env.json(&["ls"]).await;
    assert_eq!(ls["folder"]["id"], 0, "{ls}");
    assert_eq!(ls["subFolders"][0]["id"], photos_id, "{ls}");
    assert_eq!(ls["subFolders"][0]["name"], "Photos", "{ls}");
    assert!(ls["files"].as_array().unwrap().is_empty(), "{ls}");
    assert_eq!(ls["fromCache"], false, "{ls}");

    // cp: each copy with its new link.
    let copied = env
        .json(&["cp", &url, "--to", &photos_id.to_string()])
        .await;
    assert_eq!(copied[0]["from"], url.as_str(), "{copied}");
    let copy = copied[0]["to"].as_str().unwrap().to_string();
    assert_ne!(copy, url);

    // info: core's file details.
    let info = env.json(&["info", &copy]).await;
    assert_eq!(info["filename"], "sea.jpg", "{info}");
    assert_eq!(info["folderId"], photos_id, "{info}");
    assert_eq!(info["pass"], false, "{info}");

    // A folder can't move into itself: refused by core before any call.
    let before = env.emu.request_log().len();
    let into_itself = env
        .run(&["mv", &year_id.to_string(), "--to", &year_id.to_string()])
        .await;
    assert_eq!(into_itself.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&into_itself.stderr).contains("into itself"));
    assert_eq!(env.emu.request_log().len(), before);

    // A word that is neither a link nor a folder id is bad usage.
    let neither = env.run(&["mv", "Photos", "--to", "0"]).await;
    assert_eq!(neither.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&neither.stderr).contains("neither a file link"));

    // mv and rename of a folder, reported as core reports them.
    let moved = env.json(&["mv", &year_id.to_string(), "--to", "0"]).await;
    assert_eq!(
        moved["movedFolders"],
        serde_json::json!([year_id]),
        "{moved}"
    );
    assert_eq!(moved["movedFiles"], 0, "{moved}");
    env.json(&["rename", &year_id.to_string(), "Year 2026"])
        .await;
    let moved_info = env.json(&["info", &url]).await;
    assert!(
        moved_info["path"].as_str().unwrap().ends_with("Year 2026"),
        "{moved_info}"
    );

    // The root is never deleted.
    let root_rm = env.run(&["rm", "0", "--yes"]).await;
    assert_eq!(root_rm.status.code(), Some(2));

    // --recursive deletes what a folder holds, depth first.
    let old = env.json(&["mkdir", "Old"]).await["id"].as_i64().unwrap();
    let sub = env
        .json(&["mkdir", "Sub", "--parent", &old.to_string()])
        .await["id"]
        .as_i64()
        .unwrap();
    let note = env.put("note.txt", b"kept for a while").await;
    env.json(&["mv", &note, "--to", &sub.to_string()]).await;
    let removed = env
        .json(&["rm", &old.to_string(), "--yes", "--recursive"])
        .await;
    assert_eq!(removed["removedFiles"], 1, "{removed}");
    assert_eq!(
        removed["removedFolders"],
        serde_json::json!([old]),
        "{removed}"
    );

    // Files and emptied folders in one command, reported as core reports them.
    let removed = env
        .json(&[
            "rm",
            &url,
            &copy,
            &photos_id.to_string(),
            &year_id.to_string(),
            "--yes",
        ])
        .await;
    assert_eq!(removed["removedFiles"], 2, "{removed}");
    assert_eq!(
        removed["removedFolders"],
        serde_json::json!([photos_id, year_id]),
        "{removed}"
    );
    assert_eq!(env.emu.file_count(), 0);
}
