//! Onboarding, the key, the demo and the account summary.

use fichier_api::ApiKey;
use fichier_core::account::AccountInfo;
use fichier_core::account::FtpAccount;
use fichier_core::links::LinkReport;
use fichier_core::{AppError, ErrorCode};
use tauri::State;

use crate::error::{CmdResult, local};
use crate::state::{AppState, SessionState};

#[fichier_ipc_macros::command]
pub async fn get_session(state: State<'_, AppState>) -> CmdResult<SessionState> {
    state.wait_ready().await;
    Ok(state.state(crate::keychain_available()).await)
}

/// Checks the key with 1fichier, stores it in the OS keychain (or keeps it for this
/// session only) as the default account's, and opens the account. The key never comes
/// back to the window.
#[fichier_ipc_macros::command]
pub async fn save_api_key(
    state: State<'_, AppState>,
    key: String,
    session_only: bool,
) -> CmdResult<AccountInfo> {
    let key = ApiKey::parse(&key)?;
    let accounts = state.accounts()?;
    let entry = accounts.default_account().clone();
    crate::commands::accounts::accept_key(&state, accounts, &entry, key, session_only).await
}

#[fichier_ipc_macros::command]
pub async fn start_demo(state: State<'_, AppState>) -> CmdResult<()> {
    state.open_demo().await.map(|_| ())
}

/// Closes the account shown (leaving the demo, or a key kept for this session only); the
/// keychain is left as it is. The window shows another open account, or the start screen.
#[fichier_ipc_macros::command]
pub async fn sign_out(state: State<'_, AppState>) -> CmdResult<()> {
    state.close_shown().await;
    tracing::info!("signed out");
    Ok(())
}

/// Removes the shown account's key from the keychain and closes it (see
/// `remove_account`, which this is for the account shown).
#[fichier_ipc_macros::command]
pub async fn forget_key(state: State<'_, AppState>) -> CmdResult<()> {
    let Some(shown) = state.current().await else {
        return Ok(());
    };
    crate::commands::accounts::remove_account(state, shown.account.id.clone()).await?;
    tracing::info!("API key forgotten");
    Ok(())
}

#[fichier_ipc_macros::command]
pub async fn get_account(state: State<'_, AppState>) -> CmdResult<AccountInfo> {
    state
        .session()
        .await?
        .library
        .account()
        .await
        .map_err(AppError::from)
}

/// Turns 1fichier's "use CDN credit" setting on or off (one account call per 5 minutes:
/// this may wait, and the pacer says so while it does).
#[fichier_ipc_macros::command]
pub async fn set_use_cdn(state: State<'_, AppState>, on: bool) -> CmdResult<AccountInfo> {
    state
        .session()
        .await?
        .library
        .set_use_cdn(on)
        .await
        .map_err(AppError::from)
}

/// The account's FTP sub-accounts.
#[fichier_ipc_macros::command]
pub async fn list_ftp_accounts(state: State<'_, AppState>) -> CmdResult<Vec<FtpAccount>> {
    state
        .session()
        .await?
        .library
        .ftp_accounts()
        .await
        .map_err(AppError::from)
}

/// Creates an FTP sub-account whose uploads land in `folder_id`; the password goes to
/// 1fichier and is not kept.
#[fichier_ipc_macros::command]
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
        .map_err(AppError::from)
}

#[fichier_ipc_macros::command]
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
        .map_err(AppError::from)
}

/// Finds the 1fichier links in pasted text and checks each through the website's mass
/// check (100 per request, no API call).
#[fichier_ipc_macros::command]
pub async fn check_links(state: State<'_, AppState>, text: String) -> CmdResult<Vec<LinkReport>> {
    let session = state.session().await?;
    fichier_core::links::check_text(session.library.client(), &text)
        .await
        .map_err(AppError::from)
}

/// The text of files dropped on the link checker (only paths the user dropped or picked
/// in this run; folders and files that are not text are refused by name).
#[fichier_ipc_macros::command]
pub async fn read_text_files(state: State<'_, AppState>, paths: Vec<String>) -> CmdResult<String> {
    let paths = state.grants.upload_paths(&paths)?;
    let read =
        tokio::task::spawn_blocking(move || fichier_core::link_text::read_link_files(&paths))
            .await
            .map_err(|e| local(ErrorCode::Io, e.to_string()))?;
    Ok(read?)
}
