//! What every command shares: the failure and its exit code, and the client of the chosen
//! account, with the account's pacing memory.

use fichier_api::{ApiKey, ClientConfig, ErrorCode, FichierClient};
use fichier_core::{CoreError, Credentials};

/// A failure and the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub error_code: ErrorCode,
    pub message: String,
    /// The command's own output already says it (`--json` prints no error object).
    pub shown: bool,
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        let code = match e.code() {
            ErrorCode::KeyMissing
            | ErrorCode::InvalidKey
            | ErrorCode::BadKeyFormat
            | ErrorCode::NotCustomer => 3,
            ErrorCode::NotFound => 4,
            ErrorCode::Flood | ErrorCode::LocationLock => 6,
            ErrorCode::KeychainUnavailable | ErrorCode::Keychain => 7,
            ErrorCode::DiskFull | ErrorCode::PermissionDenied | ErrorCode::Io => 8,
            ErrorCode::QueueBusy => 9,
            _ => 1,
        };
        Failure {
            code,
            error_code: e.code(),
            message: e.to_string(),
            shown: false,
        }
    }
}

impl From<fichier_api::ApiError> for Failure {
    fn from(e: fichier_api::ApiError) -> Self {
        CoreError::from(e).into()
    }
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            error_code: ErrorCode::InvalidRequest,
            message: message.into(),
            shown: false,
        }
    }
}

pub type CliResult = Result<(), Failure>;

/// The key (environment first, then keychain) and a client for it.
pub fn client() -> Result<FichierClient, Failure> {
    let config = ClientConfig::from_env()?;
    let chosen = chosen_account()?;
    let found = match &chosen {
        // Named with --account: that account's own key, whatever the environment says.
        Some(entry) => entry
            .credentials(&config)
            .load_from_keychain()?
            .map(|k| (k, fichier_core::KeySource::Keychain)),
        None => Credentials::load_for(&config)?,
    };
    let Some((key, _source)) = found else {
        return Err(match chosen {
            Some(entry) => Failure {
                code: 3,
                error_code: ErrorCode::KeyMissing,
                message: format!(
                    "No API key is stored for the account {:?}: `fichier --account {:?} login` stores one.",
                    entry.name, entry.name
                ),
                shown: false,
            },
            None => CoreError::from(fichier_api::ApiError::KeyMissing).into(),
        });
    };
    remembering(FichierClient::new(config, key)?)
}

/// The account `--account` names, or the default one when it is not `main` (`main` keeps
/// the single-account ways: `FICHIER_API_KEY`, then its keychain entry). `None` for main.
fn chosen_account() -> Result<Option<fichier_core::accounts::AccountEntry>, Failure> {
    let named = account_flag();
    let accounts = fichier_core::accounts::Accounts::load()?;
    let entry = accounts.pick(named.as_deref())?.clone();
    Ok((named.is_some() || !entry.is_main()).then_some(entry))
}

/// `--account`, as given (also from FICHIER_ACCOUNT).
pub fn account_flag() -> Option<String> {
    ACCOUNT.get().cloned().flatten()
}

pub(crate) static ACCOUNT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

pub fn client_for(key: ApiKey) -> Result<FichierClient, Failure> {
    let config = ClientConfig::from_env()?;
    remembering(FichierClient::new(config, key)?)
}

/// Each command is a new process: the pacing of the commands before it (and of the app)
/// comes from the shared memory file, so a script never trips 1fichier's per-endpoint rules.
fn remembering(client: FichierClient) -> Result<FichierClient, Failure> {
    if let Some(dir) = fichier_core::pacing_dir() {
        client.remember_pacing_in(&dir);
    }
    Ok(client)
}
