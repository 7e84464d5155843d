//! The command layer on Tauri's mock runtime: an app with one account open on an
//! emulator, and what the window does to it (commands, drops).
#![allow(dead_code)]

use std::path::Path;

use fichier_api::{ApiKey, ClientConfig, FichierClient};
use fichier_desk::state::{AccountRef, AppState};
use fichier_emulator::{Emulator, EmulatorConfig, Offer};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{DragDropEvent, Manager, PhysicalPosition, WebviewWindow, WebviewWindowBuilder};

pub struct Harness {
    pub window: WebviewWindow<MockRuntime>,
    pub app: tauri::App<MockRuntime>,
    pub emu: Emulator,
    pub dir: tempfile::TempDir,
}

pub fn harness() -> Harness {
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
        .manage(
            AppState::new(settings, dir.path().join("data"))
                .with_accounts_file(dir.path().join("accounts.json"))
                .with_api_base(&emu.api_base()),
        )
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
        state.open(client, main_account(), None).await.unwrap();
    });
    Harness {
        window,
        app,
        emu,
        dir,
    }
}

pub fn invoke(h: &Harness, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_on(&h.window, cmd, args)
}

pub fn invoke_on(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
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

/// What the shell does when files are dropped onto the window.
pub fn drop_on_window(h: &Harness, paths: &[&Path]) {
    let event = DragDropEvent::Drop {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        position: PhysicalPosition::new(10.0, 10.0),
    };
    fichier_desk::desktop::on_drag_drop(h.app.handle(), &event);
}

/// The transfer `id` once it is in the history (done, failed or cancelled).
pub fn wait_finished(h: &Harness, id: &str) -> Value {
    for _ in 0..400 {
        let page = invoke(h, "list_history", json!({"offset": 0, "limit": 200})).unwrap();
        if let Some(t) = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
        {
            return t.clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{id} never finished");
}

pub fn upload(h: &Harness, path: &Path) -> Result<Value, Value> {
    invoke(h, "upload_paths", json!({"paths": [path], "folderId": 0}))
}

/// The account the harness opens.
pub fn main_account() -> AccountRef {
    AccountRef {
        id: "main".into(),
        name: "main".into(),
    }
}
