//! The API key in the OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager), with `FICHIER_API_KEY` in the environment taking precedence.

use fichier_api::ApiKey;

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

    pub fn service(&self) -> &str {
        &self.service
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
