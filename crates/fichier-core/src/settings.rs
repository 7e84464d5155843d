//! The user's preferences: a small JSON file in the platform's config folder
//! (`$XDG_CONFIG_HOME/fichier-desk/settings.json` on Linux). The API key never goes here.

use std::path::{Path, PathBuf};

use crate::error::CoreError;
use crate::types::Settings;

/// The folder name used under the platform's config and data folders.
pub const APP_DIR: &str = "fichier-desk";
/// Most transfers that may run at once.
pub const MAX_CONCURRENCY: u32 = 16;

/// `<config dir>/fichier-desk`.
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join(APP_DIR))
}

/// `<data dir>/fichier-desk` (the queue databases live there).
pub fn data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_DIR))
}

/// Reads and writes [`Settings`] in one JSON file.
#[derive(Debug, Clone)]
pub struct SettingsStore {
    path: PathBuf,
}

impl SettingsStore {
    /// `settings.json` in the platform's config folder.
    pub fn default_location() -> Result<SettingsStore, CoreError> {
        let dir = config_dir().ok_or_else(|| CoreError::InvalidInput {
            reason: "this system has no config folder (HOME is not set)".into(),
        })?;
        Ok(SettingsStore::at(dir.join("settings.json")))
    }

    pub fn at(path: impl Into<PathBuf>) -> SettingsStore {
        SettingsStore { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved settings, or the defaults when none were saved. Unknown or missing fields
    /// take their defaults; values out of range are brought back into range.
    pub fn load(&self) -> Result<Settings, CoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                let s: Settings =
                    serde_json::from_slice(&bytes).map_err(|e| CoreError::InvalidInput {
                        reason: format!(
                            "the settings file {} is not valid ({e}); fix or delete it",
                            self.path.display()
                        ),
                    })?;
                Ok(normalize(s))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(CoreError::from_io(&self.path, &e)),
        }
    }

    /// Saves atomically (write a temporary file, then rename) and returns what was saved.
    pub fn save(&self, settings: &Settings) -> Result<Settings, CoreError> {
        let s = normalize(settings.clone());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::from_io(dir, &e))?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let json = serde_json::to_vec_pretty(&s).expect("settings serialise");
        std::fs::write(&tmp, json).map_err(|e| CoreError::from_io(&tmp, &e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| CoreError::from_io(&self.path, &e))?;
        Ok(s)
    }
}

/// Brings values into range: concurrency 1–16, a zero bandwidth limit means unlimited.
pub fn normalize(mut s: Settings) -> Settings {
    s.concurrency = s.concurrency.clamp(1, MAX_CONCURRENCY);
    if s.bandwidth_limit_bps == Some(0) {
        s.bandwidth_limit_bps = None;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Theme;

    #[test]
    fn round_trip_defaults_and_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::at(dir.path().join("sub/settings.json"));
        assert_eq!(store.load().unwrap(), Settings::default());
        let s = Settings {
            concurrency: 99,
            bandwidth_limit_bps: Some(0),
            theme: Theme::Dark,
            ..Settings::default()
        };
        let saved = store.save(&s).unwrap();
        assert_eq!(saved.concurrency, MAX_CONCURRENCY);
        assert_eq!(saved.bandwidth_limit_bps, None);
        assert_eq!(store.load().unwrap(), saved);
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"theme\": \"dark\""));
        assert!(!text.to_lowercase().contains("key"));
        std::fs::write(store.path(), b"{not json").unwrap();
        assert_eq!(store.load().unwrap_err().code(), "invalid_request");
    }
}
