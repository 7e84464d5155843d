//! The command layer on Tauri's mock runtime, against the emulator: what the window sends
//! goes through the same handler, state and core services as in the app.

use fichier_api::{ApiKey, ClientConfig, FichierClient};
use fichier_desk::state::AppState;
use fichier_emulator::{Emulator, EmulatorConfig, Offer};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

struct Harness {
    window: WebviewWindow<MockRuntime>,
    _app: tauri::App<MockRuntime>,
    emu: Emulator,
    dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let (emu, key) = tauri::async_runtime::block_on(async {
        let emu = Emulator::start(EmulatorConfig {
            rate_limits: false,
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        let key = emu.add_account(Offer::Premium);
        (emu, key)
    });
    let settings = fichier_core::Settings {
        download_dir: dir.path().to_string_lossy().into_owned(),
        notifications: false,
        ..Default::default()
    };
    let app = mock_builder()
        .manage(AppState::new(settings, dir.path().join("data")))
        .invoke_handler(fichier_desk::commands_handler())
        .build(tauri::generate_context!(test = true))
        .unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let state = app.state::<AppState>();
    tauri::async_runtime::block_on(async {
        state.mark_ready();
        let client = FichierClient::new(
            ClientConfig::with_base(&emu.api_base()).unwrap(),
            ApiKey::parse(&key).unwrap(),
        )
        .unwrap();
        state.open(client, None).await.unwrap();
    });
    Harness {
        window,
        _app: app,
        emu,
        dir,
    }
}

fn invoke(h: &Harness, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_on(&h.window, cmd, args)
}

fn invoke_on(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let req = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // The window's own origin, as WebKitGTK and WKWebView name it (WebView2 uses
        // http://tauri.localhost).
        url: if cfg!(windows) {
            "http://tauri.localhost"
        } else {
            "tauri://localhost"
        }
        .parse()
        .unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, req).map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn folders_round_trip_through_the_commands() {
    let h = harness();
    let made = invoke(
        &h,
        "create_folder",
        json!({"parentId": 0, "name": "Reports"}),
    )
    .unwrap();
    let id = made["id"].as_i64().unwrap();
    let root = invoke(&h, "list_folder", json!({"folderId": 0, "force": false})).unwrap();
    assert_eq!(root["subFolders"][0]["name"], "Reports");
    assert_eq!(root["subFolders"][0]["id"], id);
    invoke(
        &h,
        "rename_folder",
        json!({"folderId": id, "name": "Reports 2026"}),
    )
    .unwrap();
    let root = invoke(&h, "list_folder", json!({"folderId": 0, "force": true})).unwrap();
    assert_eq!(root["subFolders"][0]["name"], "Reports 2026");
    assert_eq!(
        root["fromCache"], true,
        "a refresh within 30 s is served from the patched cache"
    );
    invoke(&h, "delete_folder", json!({"folderId": id})).unwrap();
    let log = h.emu.request_log();
    assert_eq!(
        log.iter().filter(|e| e.path == "/v1/folder/ls.cgi").count(),
        1,
        "{log:?}"
    );
}

#[test]
fn errors_reach_the_window_with_their_code() {
    let h = harness();
    let e = invoke(&h, "delete_folder", json!({"folderId": 4242})).unwrap_err();
    assert_eq!(e["code"], "not_found", "{e}");
    assert!(e["message"].as_str().unwrap().len() > 10);
    assert_eq!(e["retryable"], false);
    let e = invoke(
        &h,
        "upload_paths",
        json!({"paths": ["relative/file.txt"], "folderId": 0}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "io", "{e}");
    let e = invoke(
        &h,
        "upload_paths",
        json!({"paths": ["/no/such/file.bin"], "folderId": 0}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "io", "{e}");
    let e = invoke(&h, "create_folder", json!({"parentId": 0, "name": "   "})).unwrap_err();
    assert_eq!(e["code"], "not_allowed", "{e}");
    let e = invoke(
        &h,
        "save_api_key",
        json!({"key": "short", "sessionOnly": true}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "bad_key_format", "{e}");
}

#[test]
fn an_upload_from_a_dropped_path_is_queued_and_completes() {
    let h = harness();
    let src = h.dir.path().join("dropped.txt");
    std::fs::write(&src, b"dropped on the window").unwrap();
    let queued = invoke(&h, "upload_paths", json!({"paths": [src], "folderId": 0})).unwrap();
    let id = queued[0]["id"].as_str().unwrap().to_string();
    assert_eq!(queued[0]["kind"], "upload");
    let mut last = Value::Null;
    for _ in 0..200 {
        let all = invoke(&h, "list_transfers", json!({})).unwrap();
        last = all
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id.as_str())
            .cloned()
            .unwrap();
        if last["state"] == "done" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(last["state"], "done", "{last}");
    assert_eq!(last["bytesDone"], 21);
    assert_eq!(h.emu.file_count(), 1);
}

#[test]
fn without_an_account_commands_ask_for_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_builder()
        .manage(AppState::new(
            fichier_core::Settings::default(),
            dir.path().to_path_buf(),
        ))
        .invoke_handler(fichier_desk::commands_handler())
        .build(tauri::generate_context!(test = true))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    app.state::<AppState>().mark_ready();
    let e = invoke_on(
        &window,
        "list_folder",
        json!({"folderId": 0, "force": false}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "invalid_key", "{e}");
}
