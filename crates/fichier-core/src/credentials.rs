//! The API key in the OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager), with `FICHIER_API_KEY` in the environment taking precedence.

use fichier_api::{ApiError, ApiKey, ClientConfig};

use crate::error::CoreError;

/// Keychain service name.
pub const KEYCHAIN_SERVICE: &str = "fichier-desk";
/// Keychain account name under that service.
pub const KEYCHAIN_USER: &str = "api-key";
/// An API key in this variable overrides the keychain.
pub const API_KEY_ENV: &str = "FICHIER_API_KEY";

/// Where a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    Keychain,
}

/// Saves, loads and deletes the key in the keychain.
#[derive(Debug, Clone)]
pub struct Credentials {
    service: String,
    user: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials::new(KEYCHAIN_SERVICE, KEYCHAIN_USER)
    }
}

impl Credentials {
    pub fn new(service: &str, user: &str) -> Credentials {
        Credentials {
            service: service.into(),
            user: user.into(),
        }
    }

    /// The entry for the server `config` points at: 1fichier's key is stored as
    /// `api-key`, the key of any other server (an emulator, a test server) as
    /// `api-key for <its API base>`. A key typed in for one server is never sent to another.
    pub fn for_api(config: &ClientConfig) -> Credentials {
        if is_1fichier(config) {
            Credentials::default()
        } else {
            let base = config.api_base().as_str().trim_end_matches('/').to_string();
            Credentials::new(KEYCHAIN_SERVICE, &format!("{KEYCHAIN_USER} for {base}"))
        }
    }

    /// The key to use with the server `config` points at: `FICHIER_API_KEY` when set,
    /// otherwise this server's own entry. For a server other than 1fichier that has no
    /// entry of its own, 1fichier's key is sent only with `FICHIER_SEND_STORED_KEY=1`;
    /// without it the answer is [`ApiError::KeyWithheld`], which says how to give one.
    pub fn load_for(config: &ClientConfig) -> Result<Option<(ApiKey, KeySource)>, CoreError> {
        let own = Credentials::for_api(config);
        if let Some(found) = own.load()? {
            return Ok(Some(found));
        }
        if is_1fichier(config) {
            return Ok(None);
        }
        match Credentials::default().load_from_keychain()? {
            Some(key) => {
                check_key_destination(KeySource::Keychain, config)?;
                Ok(Some((key, KeySource::Keychain)))
            }
            None => Ok(None),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The entry's account name under the service (`api-key`, `api-key:work`, ...).
    pub fn user(&self) -> &str {
        &self.user
    }

    fn entry(&self) -> Result<keyring::Entry, CoreError> {
        keyring::Entry::new(&self.service, &self.user).map_err(map_err)
    }

    /// Stores the key, replacing any previous one.
    pub fn save(&self, key: &ApiKey) -> Result<(), CoreError> {
        self.entry()?
            .set_password(key.expose_secret())
            .map_err(map_err)
    }

    /// The key to use: `FICHIER_API_KEY` when set, otherwise the keychain's.
    pub fn load(&self) -> Result<Option<(ApiKey, KeySource)>, CoreError> {
        if let Some(key) = key_from_env()? {
            return Ok(Some((key, KeySource::Environment)));
        }
        Ok(self.load_from_keychain()?.map(|k| (k, KeySource::Keychain)))
    }

    /// The keychain's key only.
    pub fn load_from_keychain(&self) -> Result<Option<ApiKey>, CoreError> {
        match self.entry()?.get_password() {
            Ok(raw) => Ok(Some(ApiKey::parse(&raw)?)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    /// A secret that is not an API key (the stream server's password), as text.
    pub fn load_text(&self) -> Result<Option<String>, CoreError> {
        match self.entry()?.get_password() {
            Ok(raw) => Ok(Some(raw)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    pub fn save_text(&self, text: &str) -> Result<(), CoreError> {
        self.entry()?.set_password(text).map_err(map_err)
    }

    /// Removes the key; `false` when there was none.
    pub fn delete(&self) -> Result<bool, CoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_err(e)),
        }
    }

    /// Whether entries end up in keyring's in-memory mock store (which forgets everything
    /// when the process exits). Must be `false` in every build we ship.
    pub fn store_is_mock(&self) -> bool {
        use keyring::credential::CredentialPersistence;
        let builder_is_mock = matches!(
            keyring::default::default_credential_builder().persistence(),
            CredentialPersistence::EntryOnly
        );
        let entry_is_mock = self.entry().is_ok_and(|e| {
            e.get_credential()
                .downcast_ref::<keyring::mock::MockCredential>()
                .is_some()
        });
        builder_is_mock || entry_is_mock
    }
}

/// Overrides the stream server's password (scripts, tests).
pub const SERVE_SECRET_ENV: &str = "FICHIER_SERVE_SECRET";

/// The stream server's password and link secret: `FICHIER_SERVE_SECRET` when set, else the
/// one kept in the keychain, made with `new_secret` the first time.
pub fn serve_secret(new_secret: impl FnOnce() -> String) -> Result<String, CoreError> {
    if let Ok(s) = std::env::var(SERVE_SECRET_ENV)
        && !s.trim().is_empty()
    {
        return Ok(s.trim().to_string());
    }
    let entry = Credentials::new(KEYCHAIN_SERVICE, "serve-secret");
    if let Some(s) = entry.load_text()?.filter(|s| !s.is_empty()) {
        return Ok(s);
    }
    let s = new_secret();
    entry.save_text(&s)?;
    Ok(s)
}

/// Set to `1`, lets the key stored in the keychain go to an API base that is not 1fichier.
pub const SEND_STORED_KEY_ENV: &str = "FICHIER_SEND_STORED_KEY";

/// Whether a key from `source` may be sent to the API that `config` points at. The key in
/// the keychain goes to 1fichier only: with `FICHIER_API_BASE` pointing elsewhere it is
/// withheld, unless that key comes from the environment too or `FICHIER_SEND_STORED_KEY=1`
/// says so explicitly.
pub fn check_key_destination(source: KeySource, config: &ClientConfig) -> Result<(), ApiError> {
    let allowed = std::env::var(SEND_STORED_KEY_ENV).is_ok_and(|v| v.trim() == "1");
    if source == KeySource::Environment || is_1fichier(config) || allowed {
        Ok(())
    } else {
        Err(ApiError::KeyWithheld {
            base: config.api_base().as_str().trim_end_matches('/').to_string(),
        })
    }
}

/// Whether `config` points at 1fichier itself (over HTTPS).
fn is_1fichier(config: &ClientConfig) -> bool {
    let base = config.api_base();
    let host = base.host_str().unwrap_or_default().to_ascii_lowercase();
    base.scheme() == "https" && (host == "1fichier.com" || host.ends_with(".1fichier.com"))
}

/// `FICHIER_API_KEY`, when set and not blank.
pub fn key_from_env() -> Result<Option<ApiKey>, CoreError> {
    match std::env::var(API_KEY_ENV) {
        Ok(v) if !v.trim().is_empty() => Ok(Some(ApiKey::parse(&v)?)),
        _ => Ok(None),
    }
}

fn map_err(e: keyring::Error) -> CoreError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            CoreError::KeychainUnavailable {
                detail: inner.to_string(),
            }
        }
        other => CoreError::Keychain {
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_in_use_is_not_the_mock() {
        assert!(!Credentials::default().store_is_mock());
    }

    #[test]
    fn the_stored_key_goes_only_to_1fichier() {
        let real = ClientConfig::with_base("https://api.1fichier.com/v1").unwrap();
        let other = ClientConfig::with_base("https://api.example.net/v1").unwrap();
        let local = ClientConfig::with_base("http://127.0.0.1:9/v1").unwrap();
        assert!(check_key_destination(KeySource::Keychain, &real).is_ok());
        for c in [&other, &local] {
            assert!(check_key_destination(KeySource::Environment, c).is_ok());
            if std::env::var(SEND_STORED_KEY_ENV).is_err() {
                let e = check_key_destination(KeySource::Keychain, c).unwrap_err();
                assert_eq!(e.code(), "key_withheld");
                assert!(e.to_string().contains("FICHIER_SEND_STORED_KEY=1"), "{e}");
            }
        }
        let fake = ClientConfig::with_base("https://1fichier.com.example.net/v1").unwrap();
        if std::env::var(SEND_STORED_KEY_ENV).is_err() {
            assert!(check_key_destination(KeySource::Keychain, &fake).is_err());
        }
    }

    #[test]
    fn each_server_has_its_own_entry() {
        let real = ClientConfig::with_base("https://api.1fichier.com/v1").unwrap();
        let local = ClientConfig::with_base("http://127.0.0.1:9/v1").unwrap();
        let other = ClientConfig::with_base("http://127.0.0.1:10/v1").unwrap();
        assert_eq!(Credentials::for_api(&real).user, KEYCHAIN_USER);
        assert_eq!(
            Credentials::for_api(&local).user,
            "api-key for http://127.0.0.1:9/v1"
        );
        assert_ne!(
            Credentials::for_api(&local).user,
            Credentials::for_api(&other).user
        );
    }

    #[test]
    fn unavailable_keychain_has_its_own_code() {
        let e = map_err(keyring::Error::NoStorageAccess("locked".into()));
        assert_eq!(e.code(), "keychain_unavailable");
        let e = map_err(keyring::Error::PlatformFailure("no bus".into()));
        assert_eq!(e.code(), "keychain_unavailable");
        assert_eq!(
            map_err(keyring::Error::TooLong("x".into(), 1)).code(),
            "keychain"
        );
    }
}
