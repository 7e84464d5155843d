//! What the pacer knows, kept in a small file so the next process keeps 1fichier's rules
//! too: a restart of the app, or the next `fichier` command of a script, must not list a
//! folder listed 10 s ago or ask for the account information again within 5 minutes (both
//! earn a flood lock). Several processes of one account share the file: each merges what
//! it finds there before deciding and before writing.
//!
//! Times are stored as wall-clock milliseconds and turned into the pacer's clock on reading.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::types::UserInfo;

/// A per-endpoint rule as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub(crate) enum StoredRule {
    UserInfo,
    Listing { endpoint: String, folder: i64 },
    AllFiles,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredCall {
    #[serde(flatten)]
    pub rule: StoredRule,
    pub at_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredUserInfo {
    pub at_ms: u64,
    pub value: UserInfo,
}

/// The file's content.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Stored {
    #[serde(default)]
    pub calls: Vec<StoredCall>,
    /// Everyone holds until then (a flood answer).
    #[serde(default)]
    pub hold_until_ms: Option<u64>,
    /// The last account information, so a restart needn't ask again.
    #[serde(default)]
    pub user_info: Option<StoredUserInfo>,
}

/// Largest file read back: anything bigger is not ours.
const MAX_FILE: u64 = 1 << 20;

impl Stored {
    /// Reads `path`; a missing, unreadable or foreign file is an empty memory.
    pub fn read(path: &Path) -> Stored {
        let Ok(meta) = std::fs::metadata(path) else {
            return Stored::default();
        };
        if meta.len() > MAX_FILE {
            return Stored::default();
        }
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Writes atomically (a temporary file renamed over the old one), readable by the
    /// user only: it holds the account's e-mail address.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = temp_name(path);
        let bytes = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        {
            use std::io::Write;
            let mut f = options.open(&tmp)?;
            f.write_all(&bytes)?;
        }
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Keeps, for each rule, the later of the two calls; the later hold; the newer account
    /// information.
    pub fn merge(&mut self, other: Stored) {
        for call in other.calls {
            match self.calls.iter_mut().find(|c| c.rule == call.rule) {
                Some(mine) => mine.at_ms = mine.at_ms.max(call.at_ms),
                None => self.calls.push(call),
            }
        }
        self.hold_until_ms = self.hold_until_ms.max(other.hold_until_ms);
        if let Some(theirs) = other.user_info
            && self
                .user_info
                .as_ref()
                .is_none_or(|u| u.at_ms < theirs.at_ms)
        {
            self.user_info = Some(theirs);
        }
    }
}

/// One process's temporary file, so two writers never share one.
fn temp_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// Converts between the pacer's clock and wall-clock milliseconds, from one reading of
/// both taken together.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeBridge {
    instant: Instant,
    wall_ms: u64,
}

impl TimeBridge {
    pub fn new(now: Instant) -> TimeBridge {
        let wall_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        TimeBridge {
            instant: now,
            wall_ms,
        }
    }

    pub fn to_ms(self, at: Instant) -> u64 {
        if at >= self.instant {
            let ahead = u64::try_from((at - self.instant).as_millis()).unwrap_or(u64::MAX);
            self.wall_ms.saturating_add(ahead)
        } else {
            let behind = u64::try_from((self.instant - at).as_millis()).unwrap_or(u64::MAX);
            self.wall_ms.saturating_sub(behind)
        }
    }

    /// `None` when the moment is too far back for this clock to name (just after boot).
    pub fn to_instant(self, ms: u64) -> Option<Instant> {
        if ms >= self.wall_ms {
            self.instant
                .checked_add(Duration::from_millis(ms - self.wall_ms))
        } else {
            self.instant
                .checked_sub(Duration::from_millis(self.wall_ms - ms))
        }
    }
}

/// The file for one account on one server, in `dir`. The name is derived from the key and
/// the API base without revealing the key.
pub(crate) fn file_for(dir: &Path, api_base: &str, key: Option<&str>) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    api_base.hash(&mut h);
    key.unwrap_or_default().hash(&mut h);
    dir.join(format!("pacer-{:016x}.json", h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_cross_the_bridge_both_ways() {
        let now = Instant::now();
        let b = TimeBridge::new(now);
        let earlier = now - Duration::from_secs(20);
        let ms = b.to_ms(earlier);
        assert_eq!(b.wall_ms - ms, 20_000);
        let back = b.to_instant(ms).unwrap();
        assert!(back <= earlier && earlier - back < Duration::from_millis(1));
        let later = b.to_instant(b.wall_ms + 5_000).unwrap();
        assert_eq!(later - now, Duration::from_secs(5));
    }

    #[test]
    fn merge_keeps_the_latest_of_each() {
        let mut a = Stored {
            calls: vec![StoredCall {
                rule: StoredRule::UserInfo,
                at_ms: 10,
            }],
            hold_until_ms: Some(5),
            user_info: None,
        };
        a.merge(Stored {
            calls: vec![
                StoredCall {
                    rule: StoredRule::UserInfo,
                    at_ms: 30,
                },
                StoredCall {
                    rule: StoredRule::Listing {
                        endpoint: "folder/ls.cgi".into(),
                        folder: 0,
                    },
                    at_ms: 7,
                },
            ],
            hold_until_ms: None,
            user_info: Some(StoredUserInfo {
                at_ms: 3,
                value: UserInfo::default(),
            }),
        });
        assert_eq!(a.calls.len(), 2);
        assert_eq!(a.calls[0].at_ms, 30);
        assert_eq!(a.hold_until_ms, Some(5));
        assert_eq!(a.user_info.unwrap().at_ms, 3);
    }

    #[test]
    fn a_broken_file_is_an_empty_memory_and_writing_replaces_it() {
        let dir = std::env::temp_dir().join(format!("fichier-memory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pacer.json");
        std::fs::write(&path, b"{not json").unwrap();
        assert!(Stored::read(&path).calls.is_empty());
        let s = Stored {
            calls: vec![StoredCall {
                rule: StoredRule::AllFiles,
                at_ms: 42,
            }],
            ..Stored::default()
        };
        s.write(&path).unwrap();
        assert_eq!(Stored::read(&path).calls[0].at_ms, 42);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stored_account_information_reads_back_the_same() {
        for offer in [
            crate::Offer::Free,
            crate::Offer::Premium,
            crate::Offer::Gold,
            crate::Offer::Other(9),
        ] {
            let info = UserInfo {
                email: "a@example.com".into(),
                offer,
                subscription_end: Some("2027-01-01".into()),
                cdn: 1.5,
                use_cdn: true,
                hot_storage: 12,
                ..UserInfo::default()
            };
            let s = Stored {
                user_info: Some(StoredUserInfo {
                    at_ms: 1,
                    value: info.clone(),
                }),
                ..Stored::default()
            };
            let back: Stored = serde_json::from_slice(&serde_json::to_vec(&s).unwrap()).unwrap();
            assert_eq!(back.user_info.unwrap().value, info);
        }
    }

    #[test]
    fn each_account_and_server_has_its_own_file() {
        let d = Path::new("/x");
        let a = file_for(d, "https://api.1fichier.com/v1", Some("k1"));
        assert_ne!(a, file_for(d, "https://api.1fichier.com/v1", Some("k2")));
        assert_ne!(a, file_for(d, "http://127.0.0.1:1/v1", Some("k1")));
        assert!(!a.to_string_lossy().contains("k1"));
    }
}
