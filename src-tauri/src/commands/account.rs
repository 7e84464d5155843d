//! Onboarding, the key, the demo and the account summary.

use fichier_api::{ApiKey, ClientConfig};
use fichier_core::Credentials;
use fichier_core::account::FtpAccount;
use fichier_core::library::{AccountInfo, account_info};
use fichier_core::links::LinkReport;
use tauri::State;

use crate::error::{CmdResult, api};
use crate::state::{AppState, SessionState};

#[tauri::command]
pub async fn get_session(state: State<'_, AppState>) -> CmdResult<SessionState> {
    state.wait_ready().await;
    Ok(state.state(crate::keychain_available()).await)
}

/// Checks the key with 1fichier, stores it in the OS keychain (or keeps it for this
/// session only), and opens the account. The key never comes back to the window.
#[tauri::command]
pub async fn save_api_key(
    state: State<'_, AppState>,
    key: String,
    session_only: bool,
) -> CmdResult<AccountInfo> {
    let key = ApiKey::parse(&key).map_err(api)?;
    let config = ClientConfig::from_env().map_err(api)?;
    let credentials = Credentials::for_api(&config);
    let client = fichier_api::FichierClient::new(config, key.clone()).map_err(api)?;
    if let Some(dir) = fichier_core::pacing_dir() {
        client.remember_pacing_in(&dir);
    }
    // Checked with 1fichier first; the answer stays in this client's 5-minute cache, so
    // the account view that follows costs no second call.
    let info = client.user_info().await.map_err(api)?.into_value();
    if !session_only {
        credentials.save(&key).map_err(|e| e.summary())?;
    }
    state.open(client, None).await?;
    tracing::info!(session_only, "API key accepted");
    Ok(account_info(&info))
}

#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> CmdResult<()> {
    state.open_demo().await.map(|_| ())
}

/// Closes the account and goes back to the start screen; the keychain is left as it is
/// (leaving the demo, or a key kept for this session only).
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> CmdResult<()> {
    state.close().await;
    tracing::info!("signed out");
    Ok(())
}

/// Removes the key from the keychain and closes the account.
#[tauri::command]
pub async fn forget_key(state: State<'_, AppState>) -> CmdResult<()> {
    state.close().await;
    let config = ClientConfig::from_env().map_err(api)?;
    Credentials::for_api(&config)
        .delete()
        .map_err(|e| e.summary())?;
    tracing::info!("API key forgotten");
    Ok(())
}

#[tauri::command]
pub async fn get_account(state: State<'_, AppState>) -> CmdResult<AccountInfo> {
    state.session().await?.library.account().await.map_err(api)
}

/// Turns 1fichier's "use CDN credit" setting on or off (one account call per 5 minutes:
/// this may wait, and the pacer says so while it does).
#[tauri::command]
pub async fn set_use_cdn(state: State<'_, AppState>, on: bool) -> CmdResult<AccountInfo> {
    state
        .session()
        .await?
        .library
        .set_use_cdn(on)
        .await
        .map_err(api)
}

#[tauri::command]
pub async fn list_ftp_accounts(state: State<'_, AppState>) -> CmdResult<Vec<FtpAccount>> {
    state
        .session()
        .await?
        .library
        .ftp_accounts()
        .await
        .map_err(api)
}

/// Creates an FTP sub-account whose uploads land in `folder_id`; the password goes to
/// 1fichier and is not kept.
#[tauri::command]
pub async fn add_ftp_account(
    state: State<'_, AppState>,
    user: String,
    password: String,
    folder_id: i64,
) -> CmdResult<Vec<FtpAccount>> {
    state
        .session()
        .await?
        .library
        .add_ftp_account(&user, &password, folder_id)
        .await
        .map_err(api)
}

#[tauri::command]
pub async fn remove_ftp_account(
    state: State<'_, AppState>,
    user: String,
) -> CmdResult<Vec<FtpAccount>> {
    state
        .session()
        .await?
        .library
        .remove_ftp_account(&user)
        .await
        .map_err(api)
}

/// Finds the 1fichier links in pasted text and checks each through the website's mass
/// check (100 per request, no API call).
#[tauri::command]
pub async fn check_links(state: State<'_, AppState>, text: String) -> CmdResult<Vec<LinkReport>> {
    let session = state.session().await?;
    fichier_core::links::check_text(session.library.client(), &text)
        .await
        .map_err(api)
}
