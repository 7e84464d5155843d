//! Several accounts in one window: the list the switcher shows, switching, adding and
//! removing. Every account with a key stays open once opened (its queue, pacer and caches
//! go on), so switching never stops a transfer; the window shows one at a time.

use fichier_api::{ApiKey, ClientConfig, FichierClient};
use fichier_core::ErrorCode;
use fichier_core::account::{AccountInfo, account_info};
use fichier_core::accounts::{AccountEntry, Accounts, DEMO_ID};
use fichier_core::{CoreError, Credentials, TransferState};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::{CmdResult, local};
use crate::state::{AccountRef, AppState, SessionState};

/// One line of the account switcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub email: Option<String>,
    pub demo: bool,
    /// Its session runs: its transfers and backups go on.
    pub open: bool,
    /// The window shows it.
    pub shown: bool,
    /// Transfers queued, running or paused in its queue.
    pub transfers: u32,
    /// Of those, the ones moving bytes now.
    pub running: u32,
}

/// The key stored for `entry` (for the first account, `FICHIER_API_KEY` counts too).
pub fn stored_key(
    entry: &AccountEntry,
    config: &ClientConfig,
) -> Result<Option<ApiKey>, CoreError> {
    if entry.is_main() {
        return Ok(Credentials::load_for(config)?.map(|(k, _)| k));
    }
    entry.credentials(config).load_from_keychain()
}

/// Opens `entry` with its stored key; shown or not, as `show` says.
pub async fn open_stored(state: &AppState, entry: &AccountEntry, show: bool) -> CmdResult<bool> {
    let config = state.client_config()?;
    let Some(key) = stored_key(entry, &config)? else {
        return Ok(false);
    };
    let shown = state.current().await;
    let client = FichierClient::new(config, key)?;
    state.open(client, AccountRef::of(entry), None).await?;
    if !show && let Some(s) = shown {
        state.activate(&s.account.id).await;
    }
    Ok(true)
}

/// Every account of this computer that has a key or is open, then the demo last. Each
/// open one keeps its transfers and backups going, whichever the window shows.
#[fichier_ipc_macros::command]
pub async fn list_accounts(state: State<'_, AppState>) -> CmdResult<Vec<AccountSummary>> {
    let accounts = state.accounts()?;
    let shown = state.current().await.map(|s| s.account.id.clone());
    let sessions = state.sessions().await;
    let counts = |id: &str| {
        sessions
            .iter()
            .find(|s| s.account.id == id)
            .map(|s| {
                let list = s.engine.list();
                let waiting = list.iter().filter(|t| !t.state.is_finished()).count();
                let running = list
                    .iter()
                    .filter(|t| t.state == TransferState::Running)
                    .count();
                (true, waiting as u32, running as u32)
            })
            .unwrap_or((false, 0, 0))
    };
    let mut out = Vec::new();
    for a in accounts.list() {
        let (open, transfers, running) = counts(&a.id);
        // The first account exists before any key was given: listed once it has one.
        if a.is_main() && !open {
            let config = state.client_config()?;
            if !matches!(stored_key(a, &config), Ok(Some(_))) {
                continue;
            }
        }
        out.push(AccountSummary {
            id: a.id.clone(),
            name: a.name.clone(),
            email: a.email.clone(),
            demo: false,
            open,
            shown: shown.as_deref() == Some(a.id.as_str()),
            transfers,
            running,
        });
    }
    let (open, transfers, running) = counts(DEMO_ID);
    out.push(AccountSummary {
        id: DEMO_ID.into(),
        name: AccountRef::demo().name,
        email: None,
        demo: true,
        open,
        shown: shown.as_deref() == Some(DEMO_ID),
        transfers,
        running,
    });
    Ok(out)
}

/// Shows the account `id`, opening it with its stored key (or starting the demo) when it
/// is not open yet. The account shown before keeps running.
#[fichier_ipc_macros::command]
pub async fn switch_account(state: State<'_, AppState>, id: String) -> CmdResult<SessionState> {
    if id == DEMO_ID {
        state.open_demo().await?;
    } else if !state.activate(&id).await {
        let accounts = state.accounts()?;
        let entry = accounts.find(&id)?.clone();
        if !open_stored(&state, &entry, true).await? {
            return Err(local(
                ErrorCode::KeyMissing,
                format!(
                    "No API key is stored for {:?} any more. Remove the account and add it again with its key.",
                    entry.name
                ),
            ));
        }
    }
    tracing::info!(account = %id, "account shown");
    Ok(state.state(crate::keychain_available()).await)
}

/// Adds the account `name` with `key`: checked with 1fichier, stored in the keychain
/// under its own entry (or kept for this session only), opened and shown.
#[fichier_ipc_macros::command]
pub async fn add_account(
    state: State<'_, AppState>,
    name: String,
    key: String,
    session_only: bool,
) -> CmdResult<AccountInfo> {
    let key = ApiKey::parse(&key)?;
    let mut accounts = state.accounts()?;
    let entry = accounts.add(&name)?;
    accept_key(&state, accounts, &entry, key, session_only).await
}

/// Checks `key` with 1fichier as `entry`'s, refuses a key already in the list, stores it
/// (unless `session_only`) with the list, and opens and shows the account. The key never
/// comes back to the window.
pub async fn accept_key(
    state: &AppState,
    mut accounts: Accounts,
    entry: &AccountEntry,
    key: ApiKey,
    session_only: bool,
) -> CmdResult<AccountInfo> {
    let config = state.client_config()?;
    let client = FichierClient::new(config.clone(), key.clone())?;
    if let Some(dir) = fichier_core::pacing_dir() {
        client.remember_pacing_in(&dir);
    }
    // The answer stays in this client's 5-minute cache, so the account view that
    // follows costs no second call.
    let info = client.user_info().await?.into_value();
    if let Some(same) = accounts
        .list()
        .iter()
        .find(|a| a.id != entry.id && a.email.as_deref() == Some(info.email.as_str()))
    {
        return Err(local(
            ErrorCode::NameConflict,
            format!(
                "This key is the account {:?} ({}), already in the list.",
                same.name, info.email
            ),
        ));
    }
    if !session_only {
        entry.credentials(&config).save(&key)?;
    }
    accounts.set_email(&entry.id, &info.email);
    accounts.save()?;
    state.set_session_only(&entry.id, session_only);
    state.open(client, AccountRef::of(entry), None).await?;
    tracing::info!(account = %entry.id, session_only, "API key accepted");
    Ok(account_info(&info))
}

/// Removes the account `id`: its transfers stop (its queue file stays, so adding it again
/// resumes them), its key leaves the keychain and its name the list. The first account
/// keeps its place in the list with no key. Removing the demo ends it. When the keychain
/// can't be changed nothing is: the error says why.
#[fichier_ipc_macros::command]
pub async fn remove_account(state: State<'_, AppState>, id: String) -> CmdResult<SessionState> {
    if id != DEMO_ID {
        let mut accounts = state.accounts()?;
        let entry = accounts.find(&id)?.clone();
        if !state.is_session_only(&entry.id) {
            let config = state.client_config()?;
            entry.credentials(&config).delete()?;
        }
        state.set_session_only(&entry.id, false);
        if !entry.is_main() {
            accounts.remove(&entry.id)?;
            accounts.save()?;
        }
        tracing::info!(account = %id, "account removed");
    }
    state.close(&id).await;
    Ok(state.state(crate::keychain_available()).await)
}
