//! The user's preferences: a small JSON file in the platform's config folder
//! (`$XDG_CONFIG_HOME/fichier-desk/settings.json` on Linux). The API key never goes here.

use std::path::{Path, PathBuf};

use crate::error::CoreError;
use crate::types::Settings;

/// The folder name used under the platform's config and data folders.
pub const APP_DIR: &str = "fichier-desk";
/// Most transfers that may run at once.
pub const MAX_CONCURRENCY: u32 = 8;
/// Most connections one download may use (1fichier allows about 30 per account).
pub const MAX_CONNECTIONS: u32 = 8;
/// Finished transfers kept in the history unless the user chooses otherwise.
pub const DEFAULT_HISTORY_ITEMS: u32 = 1_000;
/// Days a finished transfer is kept unless the user chooses otherwise.
pub const DEFAULT_HISTORY_DAYS: u32 = 90;
/// The range the history's size may be set in (a few are always kept, so the last
/// transfers can still be checked; beyond the top the history costs more than it helps).
pub const HISTORY_ITEMS_RANGE: std::ops::RangeInclusive<u32> = 10..=100_000;
/// The range of days the history may be kept (one day to ten years).
pub const HISTORY_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=3_650;

/// `<config dir>/fichier-desk`.
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join(APP_DIR))
}

/// `<data dir>/fichier-desk` (the queue databases live there).
pub fn data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_DIR))
}

/// Where every process (the app, each `fichier` command) keeps the pacer's memory of
/// recent rate-limited calls, one file per account.
pub fn pacing_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("pacing"))
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
            crate::private::create_dir(dir)?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let json = serde_json::to_vec_pretty(&s).expect("settings serialise");
        // Readable by the user only (the folder list says where their files go).
        let _ = std::fs::remove_file(&tmp);
        crate::private::open_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &json).and_then(|_| f.sync_all()))
            .map_err(|e| CoreError::from_io(&tmp, &e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| CoreError::from_io(&self.path, &e))?;
        Ok(s)
    }
}

/// Refuses what the user may not choose, saying what is allowed.
pub fn check(s: &Settings) -> Result<(), CoreError> {
    if !(1..=MAX_CONCURRENCY).contains(&s.concurrency) {
        return Err(CoreError::InvalidInput {
            reason: format!("Run between 1 and {MAX_CONCURRENCY} transfers at once."),
        });
    }
    if !(1..=MAX_CONNECTIONS).contains(&s.connections) {
        return Err(CoreError::InvalidInput {
            reason: format!("Use between 1 and {MAX_CONNECTIONS} connections per download."),
        });
    }
    Ok(())
}

/// Brings values into range: concurrency 1–8, a zero bandwidth limit means unlimited,
/// the history's bounds within [`HISTORY_ITEMS_RANGE`] and [`HISTORY_DAYS_RANGE`].
pub fn normalize(mut s: Settings) -> Settings {
    s.concurrency = s.concurrency.clamp(1, MAX_CONCURRENCY);
    s.connections = s.connections.clamp(1, MAX_CONNECTIONS);
    if s.bandwidth_limit_bps == Some(0) {
        s.bandwidth_limit_bps = None;
    }
    s.history_max_items = s
        .history_max_items
        .clamp(*HISTORY_ITEMS_RANGE.start(), *HISTORY_ITEMS_RANGE.end());
    s.history_max_days = s
        .history_max_days
        .clamp(*HISTORY_DAYS_RANGE.start(), *HISTORY_DAYS_RANGE.end());
    s
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            download_dir: dirs::download_dir()
                .or_else(dirs::home_dir)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|| ".".into()),
            concurrency: crate::DEFAULT_CONCURRENCY,
            connections: crate::DEFAULT_CONNECTIONS,
            bandwidth_limit_bps: None,
            notifications: true,
            theme: crate::types::Theme::System,
            language: crate::types::Language::En,
            history_max_items: DEFAULT_HISTORY_ITEMS,
            history_max_days: DEFAULT_HISTORY_DAYS,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn concurrency_outside_its_range_is_refused_with_the_range() {
        let mut s = Settings::default();
        assert_eq!(s.concurrency, crate::DEFAULT_CONCURRENCY);
        assert!(check(&s).is_ok());
        for bad in [0, MAX_CONCURRENCY + 1] {
            s.concurrency = bad;
            let err = check(&s).unwrap_err();
            assert_eq!(err.code(), "invalid_request");
            assert!(err.to_string().contains("between 1 and 8"), "{err}");
        }
        s.concurrency = 1;
        assert_eq!(s.connections, crate::DEFAULT_CONNECTIONS);
        for bad in [0, MAX_CONNECTIONS + 1] {
            s.connections = bad;
            let err = check(&s).unwrap_err();
            assert!(
                err.to_string().contains("connections per download"),
                "{err}"
            );
        }
    }

    use super::*;
    use crate::types::Theme;

    #[cfg(unix)]
    #[test]
    fn the_settings_file_is_for_the_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::at(dir.path().join("conf/settings.json"));
        store.save(&Settings::default()).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

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

    #[test]
    fn history_bounds_default_and_stay_in_range() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::at(dir.path().join("settings.json"));
        // A file from before the history settings existed takes the defaults.
        std::fs::write(store.path(), br#"{"concurrency":3}"#).unwrap();
        let s = store.load().unwrap();
        assert_eq!(s.history_max_items, DEFAULT_HISTORY_ITEMS);
        assert_eq!(s.history_max_days, DEFAULT_HISTORY_DAYS);
        let saved = store
            .save(&Settings {
                history_max_items: 0,
                history_max_days: 1_000_000,
                ..Settings::default()
            })
            .unwrap();
        assert_eq!(saved.history_max_items, *HISTORY_ITEMS_RANGE.start());
        assert_eq!(saved.history_max_days, *HISTORY_DAYS_RANGE.end());
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert!(text.contains("\"historyMaxItems\": 10"), "{text}");
    }
}
