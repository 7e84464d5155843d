//! Several 1fichier accounts on one computer (a personal and a work key, a premium and a
//! GOLD one). The list of names lives in `accounts.json` in the settings folder; each
//! account's key is in the keychain under its own entry, and each has its own queue file
//! and pacing memory, so a transfer always goes on with the key it started with.
//!
//! The account named `main` keeps the names used before there were several accounts (the
//! keychain's `api-key` entry, `cli-queue.db`): a key stored by `fichier login` earlier is
//! that account, with nothing to move.

use std::path::{Path, PathBuf};

use fichier_api::ClientConfig;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::credentials::{Credentials, KEYCHAIN_SERVICE, KEYCHAIN_USER};
use crate::error::CoreError;

/// The account a `fichier` command uses when `--account` is not given.
pub const ACCOUNT_ENV: &str = "FICHIER_ACCOUNT";
/// The id of the account that keeps the single-account names.
pub const MAIN_ID: &str = "main";
/// The id the desktop app gives its built-in demo account; no account of this computer
/// takes it, so the demo's files never mix with a real account's.
pub const DEMO_ID: &str = "demo";
/// Longest account name.
pub const MAX_ACCOUNT_NAME_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountEntry {
    /// Stable: names the keychain entry and the queue file.
    pub id: String,
    /// What the user calls it.
    pub name: String,
    /// The e-mail 1fichier gave when the key was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub email: Option<String>,
}

impl AccountEntry {
    pub fn is_main(&self) -> bool {
        self.id == MAIN_ID
    }

    /// The keychain entry of this account's key, for the server `config` points at.
    pub fn credentials(&self, config: &ClientConfig) -> Credentials {
        let legacy = Credentials::for_api(config);
        if self.is_main() {
            return legacy;
        }
        let user =
            legacy
                .user()
                .replacen(KEYCHAIN_USER, &format!("{KEYCHAIN_USER}:{}", self.id), 1);
        Credentials::new(KEYCHAIN_SERVICE, &user)
    }

    /// This account's file for `base` (`cli-queue.db` → `cli-queue-work.db`).
    pub fn file_name(&self, base: &str) -> String {
        if self.is_main() {
            return base.to_string();
        }
        match base.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}-{}.{ext}", self.id),
            None => format!("{base}-{}", self.id),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Registry {
    #[serde(default)]
    accounts: Vec<AccountEntry>,
    #[serde(default)]
    default: Option<String>,
}

/// The accounts of this computer.
#[derive(Debug, Clone)]
pub struct Accounts {
    path: PathBuf,
    reg: Registry,
}

impl Accounts {
    /// `accounts.json` in the settings folder.
    pub fn load() -> Result<Accounts, CoreError> {
        let dir = crate::settings::config_dir().ok_or_else(|| CoreError::InvalidInput {
            reason: "no settings folder on this system".into(),
        })?;
        Accounts::load_from(&dir.join("accounts.json"))
    }

    /// The list in `path`; none yet is the one `main` account.
    pub fn load_from(path: &Path) -> Result<Accounts, CoreError> {
        let reg = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| CoreError::InvalidInput {
                reason: format!("{} can't be read: {e}", path.display()),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Registry::default(),
            Err(e) => return Err(CoreError::from_io(path, &e)),
        };
        let mut a = Accounts {
            path: path.to_path_buf(),
            reg,
        };
        if a.reg.accounts.is_empty() {
            a.reg.accounts.push(AccountEntry {
                id: MAIN_ID.into(),
                name: MAIN_ID.into(),
                email: None,
            });
        }
        Ok(a)
    }

    pub fn list(&self) -> &[AccountEntry] {
        &self.reg.accounts
    }

    /// The default account (the first one unless another was chosen).
    pub fn default_account(&self) -> &AccountEntry {
        self.reg
            .default
            .as_deref()
            .and_then(|id| self.reg.accounts.iter().find(|a| a.id == id))
            .unwrap_or(&self.reg.accounts[0])
    }

    /// An account by name or id (case does not matter).
    pub fn find(&self, name: &str) -> Result<&AccountEntry, CoreError> {
        let n = name.trim();
        self.reg
            .accounts
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(n) || a.id.eq_ignore_ascii_case(n))
            .ok_or_else(|| CoreError::UnknownAccount {
                name: n.to_string(),
                known: self
                    .reg
                    .accounts
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The account `name` if given, else the default one.
    pub fn pick(&self, name: Option<&str>) -> Result<&AccountEntry, CoreError> {
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => self.find(n),
            None => Ok(self.default_account()),
        }
    }

    /// Adds an account called `name` (not saved until [`Accounts::save`]).
    pub fn add(&mut self, name: &str) -> Result<AccountEntry, CoreError> {
        let name = check_account_name(name)?;
        if self.find(&name).is_ok() {
            return Err(CoreError::InvalidInput {
                reason: format!("an account named {name:?} already exists"),
            });
        }
        let stem = slug(&name);
        let mut id = stem.clone();
        let mut n = 2;
        while id == DEMO_ID || self.reg.accounts.iter().any(|a| a.id == id) {
            id = format!("{stem}-{n}");
            n += 1;
        }
        let entry = AccountEntry {
            id,
            name,
            email: None,
        };
        self.reg.accounts.push(entry.clone());
        Ok(entry)
    }

    /// Forgets the account `name` (its key is the caller's to delete). The last account
    /// can't be removed; a default removed falls back to the first.
    pub fn remove(&mut self, name: &str) -> Result<AccountEntry, CoreError> {
        let id = self.find(name)?.id.clone();
        if self.reg.accounts.len() == 1 {
            return Err(CoreError::InvalidInput {
                reason: "the only account can't be removed (`fichier logout` removes its key)"
                    .into(),
            });
        }
        let at = self
            .reg
            .accounts
            .iter()
            .position(|a| a.id == id)
            .expect("found above");
        let gone = self.reg.accounts.remove(at);
        if self.reg.default.as_deref() == Some(id.as_str()) {
            self.reg.default = None;
        }
        Ok(gone)
    }

    pub fn set_default(&mut self, name: &str) -> Result<AccountEntry, CoreError> {
        let entry = self.find(name)?.clone();
        self.reg.default = Some(entry.id.clone());
        Ok(entry)
    }

    /// Remembers the e-mail 1fichier gave for an account's key.
    pub fn set_email(&mut self, id: &str, email: &str) {
        if let Some(a) = self.reg.accounts.iter_mut().find(|a| a.id == id) {
            a.email = Some(email.to_string()).filter(|e| !e.is_empty());
        }
    }

    /// Writes the list (a new file renamed over the old, so a crash leaves one or the other).
    pub fn save(&self) -> Result<(), CoreError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::from_io(dir, &e))?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(&self.reg).expect("the list serialises");
        std::fs::write(&tmp, bytes).map_err(|e| CoreError::from_io(&tmp, &e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| CoreError::from_io(&self.path, &e))
    }
}

/// An account name as typed: trimmed, not empty, not too long, no control characters.
pub fn check_account_name(name: &str) -> Result<String, CoreError> {
    let name = name.trim();
    let bad = |reason: String| Err(CoreError::InvalidInput { reason });
    if name.is_empty() {
        return bad("an account needs a name".into());
    }
    if name.chars().count() > MAX_ACCOUNT_NAME_CHARS {
        return bad(format!(
            "an account name has at most {MAX_ACCOUNT_NAME_CHARS} characters"
        ));
    }
    if name.chars().any(char::is_control) {
        return bad("an account name can't hold control characters".into());
    }
    Ok(name.to_string())
}

/// `Work (GOLD)` → `work-gold`; a name with no letter or digit becomes `account`.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    let s: String = s.chars().take(24).collect();
    if s.is_empty() { "account".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_added_found_defaulted_and_removed_and_kept_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json");
        let mut a = Accounts::load_from(&path).unwrap();
        // Nothing stored yet: the one `main` account, which keeps the old names.
        assert_eq!(a.list().len(), 1);
        assert!(a.default_account().is_main());
        let work = a.add("Work (GOLD)").unwrap();
        assert_eq!(work.id, "work-gold");
        assert_eq!(a.add("work (gold)").unwrap_err().code(), "invalid_request");
        assert_eq!(a.add("Work: GOLD").unwrap().id, "work-gold-2");
        assert_eq!(a.add("  ").unwrap_err().code(), "invalid_request");
        assert_eq!(a.add("???").unwrap().id, "account");
        // The demo's id is never an account's.
        assert_eq!(a.add("Demo").unwrap().id, "demo-2");
        a.remove("demo").unwrap();
        a.set_default("WORK (gold)").unwrap();
        a.set_email("work-gold", "me@work.example");
        a.save().unwrap();
        let mut b = Accounts::load_from(&path).unwrap();
        assert_eq!(b.list().len(), 4);
        assert_eq!(b.default_account().name, "Work (GOLD)");
        assert_eq!(
            b.default_account().email.as_deref(),
            Some("me@work.example")
        );
        assert_eq!(b.pick(Some("main")).unwrap().id, "main");
        assert_eq!(b.pick(None).unwrap().id, "work-gold");
        let e = b.find("nope").unwrap_err();
        assert_eq!(e.code(), "not_found");
        assert!(e.to_string().contains("main, Work (GOLD)"), "{e}");
        // Removing the default falls back to the first.
        b.remove("work-gold").unwrap();
        assert!(b.default_account().is_main());
        b.remove("Work: GOLD").unwrap();
        b.remove("???").unwrap();
        assert_eq!(b.remove("main").unwrap_err().code(), "invalid_request");
    }

    #[test]
    fn each_account_has_its_own_key_entry_and_files() {
        let one = ClientConfig::with_base(fichier_api::DEFAULT_API_BASE).unwrap();
        let main = AccountEntry {
            id: MAIN_ID.into(),
            name: "main".into(),
            email: None,
        };
        let work = AccountEntry {
            id: "work".into(),
            name: "Work".into(),
            email: None,
        };
        assert_eq!(main.credentials(&one).user(), "api-key");
        assert_eq!(work.credentials(&one).user(), "api-key:work");
        let emu = ClientConfig::with_base("http://127.0.0.1:9/v1").unwrap();
        assert_eq!(
            work.credentials(&emu).user(),
            "api-key:work for http://127.0.0.1:9/v1"
        );
        assert_eq!(main.file_name("cli-queue.db"), "cli-queue.db");
        assert_eq!(work.file_name("cli-queue.db"), "cli-queue-work.db");
        assert_eq!(work.file_name("queue.sqlite"), "queue-work.sqlite");
    }

    #[test]
    fn a_damaged_list_is_said_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.json");
        std::fs::write(&path, b"{not json").unwrap();
        let e = Accounts::load_from(&path).unwrap_err();
        assert!(e.to_string().contains("accounts.json"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), b"{not json");
    }
}
