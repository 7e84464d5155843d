//! The emulator's world: accounts, folders, stored files, tokens, upload reports,
//! remote-upload jobs and FTP users. Everything sits behind one mutex; no lock is held
//! across an await point.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod blob;
mod helpers;

pub use blob::{Blob, whirlpool_file};
pub use helpers::{
    check_name, content_type_for, now_paris, random_alnum, random_key, random_lower,
};

/// The kind of subscription behind an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Offer {
    Free,
    Premium,
    Access,
    Gold,
}

impl Offer {
    /// The number 1fichier uses in `user/info` (`offer`).
    pub fn code(self) -> u8 {
        match self {
            Offer::Free => 0,
            Offer::Premium => 1,
            Offer::Access => 2,
            Offer::Gold => 3,
        }
    }

    pub fn is_customer(self) -> bool {
        self != Offer::Free
    }
}

pub type AccountId = u32;

#[derive(Debug)]
pub struct Account {
    pub id: AccountId,
    pub key: String,
    pub email: String,
    pub offer: Offer,
    /// Settable integer settings of `user/info` (ftp_mode, use_cdn, ...).
    pub settings: BTreeMap<String, i64>,
    pub cdn_credit_gb: i64,
    pub subscription_end: String,
    pub quota_bytes: u64,
    /// Banned uploader: the API refuses its files with `Owner locked`.
    pub owner_locked: bool,
    /// Bytes in hot storage, as `user/info` reports them.
    pub hot_storage: u64,
    /// `user/info`'s `upload_forbidden` flag.
    pub upload_forbidden: bool,
}

#[derive(Debug, Clone)]
pub struct Folder {
    pub id: i64,
    pub owner: AccountId,
    pub parent: Option<i64>,
    pub name: String,
    pub create_date: String,
    pub share_code: Option<String>,
    pub share_pass: Option<String>,
    pub groupware: Vec<serde_json::Value>,
}

/// The bytes of a stored file on disk. Copies share one blob; the file on disk is
/// removed when the last entry that points at it goes away.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Acl {
    #[serde(default)]
    pub ip: Vec<String>,
    #[serde(default)]
    pub country: Vec<String>,
    #[serde(default)]
    pub email: Vec<String>,
    #[serde(default)]
    pub premium: i64,
}

impl Acl {
    pub fn is_empty(&self) -> bool {
        self.ip.is_empty() && self.country.is_empty() && self.email.is_empty() && self.premium == 0
    }
}

#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The id after `?` in the file URL.
    pub id: String,
    /// `None` for anonymous uploads.
    pub owner: Option<AccountId>,
    pub folder_id: i64,
    pub filename: String,
    pub date: String,
    pub blob: Arc<Blob>,
    pub content_type: String,
    pub pass: Option<String>,
    pub description: String,
    pub no_ssl: i64,
    pub inline: i64,
    pub cdn: i64,
    pub acl: Acl,
    pub remove_code: String,
    pub scanned_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub file_id: String,
    pub expires: Instant,
    pub single: bool,
    pub used: bool,
    pub inline: bool,
    pub ip: std::net::IpAddr,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportLink {
    pub download: String,
    pub filename: String,
    pub size: String,
    pub whirlpool: String,
    pub remove: String,
}

#[derive(Debug, Clone)]
pub struct UploadReport {
    pub file_ids: Vec<String>,
    pub incoming: bool,
    pub created: Instant,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RemoteResult {
    pub status: String,
    pub url: String,
    pub download_link: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct RemoteJob {
    pub id: i64,
    pub owner: AccountId,
    pub request_date: String,
    pub execution_date: Option<String>,
    pub urls: Vec<String>,
    pub headers: Vec<(String, String)>,
    pub folder_id: i64,
    pub result: Vec<RemoteResult>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FtpUser {
    pub user: String,
    /// Kept as 1fichier keeps it; no FTP server is emulated, so nothing reads it.
    #[serde(skip)]
    #[allow(dead_code)]
    pub pass: String,
    pub folder_id: i64,
    pub create_date: String,
}

#[derive(Default)]
pub struct World {
    pub accounts: Vec<Account>,
    pub folders: HashMap<i64, Folder>,
    pub files: HashMap<String, StoredFile>,
    /// Upload order, so listings are stable.
    pub file_order: Vec<String>,
    pub tokens: HashMap<String, Token>,
    pub reports: HashMap<String, UploadReport>,
    pub jobs: Vec<RemoteJob>,
    pub ftp_users: HashMap<AccountId, Vec<FtpUser>>,
    pub next_folder_id: i64,
    pub next_job_id: i64,
}

pub struct Shared {
    pub world: Mutex<World>,
    pub data_dir: PathBuf,
    blob_counter: AtomicU64,
}

/// Characters 1fichier refuses in names (protocol §12), plus `/`.
pub const FORBIDDEN_CHARS: &[char] = &['\\', '<', '>', '"', '\'', '`', '$', '/'];

impl Shared {
    pub fn new(data_dir: PathBuf) -> Shared {
        Shared {
            world: Mutex::new(World {
                next_folder_id: 22_692_434,
                next_job_id: 4_100_000,
                ..World::default()
            }),
            data_dir,
            blob_counter: AtomicU64::new(0),
        }
    }

    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh path for a new blob under the data folder.
    pub fn new_blob_path(&self) -> PathBuf {
        let n = self.blob_counter.fetch_add(1, Ordering::Relaxed);
        self.data_dir
            .join(format!("blob-{n:08}-{}", random_alnum(6)))
    }

    pub fn add_account(&self, key: String, offer: Offer) -> AccountId {
        let mut w = self.world();
        if let Some(a) = w.accounts.iter_mut().find(|a| a.key == key) {
            a.offer = offer;
            return a.id;
        }
        let id = w.accounts.len() as AccountId + 1;
        let mut settings = BTreeMap::new();
        for (k, v) in [
            ("ftp_mode", 0),
            ("ftp_did", 0),
            ("ftp_report", 0),
            ("ru_report", 0),
            ("default_domain", 0),
            ("page_limit", 100),
            ("default_port", 0),
            ("default_port_files", 0),
            ("use_cdn", 0),
            ("download_menu", 0),
        ] {
            settings.insert(k.to_string(), v);
        }
        w.accounts.push(Account {
            id,
            key,
            email: format!("user{id}@example.org"),
            offer,
            settings,
            cdn_credit_gb: if offer == Offer::Free { 0 } else { 25 },
            subscription_end: if offer == Offer::Free {
                String::new()
            } else {
                "2027-06-30 23:59:59".to_string()
            },
            quota_bytes: if offer == Offer::Free {
                0
            } else {
                // 1fichier's cold-storage allowance for subscribers: large; 2 TB here.
                2_000_000_000_000
            },
            owner_locked: false,
            hot_storage: 0,
            upload_forbidden: false,
        });
        id
    }
}

impl World {
    pub fn account_by_key(&self, key: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.key == key)
    }

    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub fn account_mut(&mut self, id: AccountId) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.id == id)
    }

    /// The folder `id` of `owner`; `0` is every account's root.
    pub fn owns_folder(&self, owner: AccountId, id: i64) -> bool {
        id == 0 || self.folders.get(&id).is_some_and(|f| f.owner == owner)
    }

    pub fn sub_folders(&self, owner: AccountId, parent: i64) -> Vec<&Folder> {
        let mut v: Vec<&Folder> = self
            .folders
            .values()
            .filter(|f| f.owner == owner && f.parent == Some(parent))
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        v
    }

    pub fn files_in(&self, owner: AccountId, folder: Option<i64>) -> Vec<&StoredFile> {
        self.file_order
            .iter()
            .filter_map(|id| self.files.get(id))
            .filter(|f| f.owner == Some(owner) && folder.is_none_or(|d| f.folder_id == d))
            .collect()
    }

    pub fn folder_name_taken(&self, owner: AccountId, parent: i64, name: &str) -> bool {
        self.folders
            .values()
            .any(|f| f.owner == owner && f.parent == Some(parent) && f.name == name)
    }

    /// `a/b` for folder `id` (empty for the root).
    pub fn folder_path(&self, id: i64) -> String {
        let mut parts = Vec::new();
        let mut cur = self.folders.get(&id);
        while let Some(f) = cur {
            parts.push(f.name.clone());
            cur = f.parent.and_then(|p| self.folders.get(&p));
        }
        parts.reverse();
        parts.join("/")
    }

    pub fn mkdir(&mut self, owner: AccountId, parent: i64, name: &str) -> i64 {
        let id = self.next_folder_id;
        self.next_folder_id += 1 + (id % 7);
        self.folders.insert(
            id,
            Folder {
                id,
                owner,
                parent: Some(parent),
                name: name.to_string(),
                create_date: now_paris(),
                share_code: None,
                share_pass: None,
                groupware: Vec::new(),
            },
        );
        id
    }

    pub fn is_descendant(&self, id: i64, ancestor: i64) -> bool {
        let mut cur = Some(id);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.folders.get(&c).and_then(|f| f.parent);
        }
        false
    }

    pub fn insert_file(&mut self, file: StoredFile) {
        self.file_order.push(file.id.clone());
        self.files.insert(file.id.clone(), file);
    }

    pub fn remove_file(&mut self, id: &str) -> Option<StoredFile> {
        let f = self.files.remove(id)?;
        self.file_order.retain(|x| x != id);
        self.tokens.retain(|_, t| t.file_id != id);
        Some(f)
    }

    pub fn new_file_id(&self) -> String {
        loop {
            let id = random_lower(20);
            if !self.files.contains_key(&id) {
                return id;
            }
        }
    }

    pub fn purge_expired(&mut self, report_ttl: Duration) {
        let now = Instant::now();
        self.tokens.retain(|_, t| t.expires > now);
        self.reports
            .retain(|_, r| now.duration_since(r.created) < report_ttl);
    }
}

/// The id in a file URL: whatever follows `?`, up to an `&` (affiliate suffixes are dropped).
pub fn file_id_from_url(url: &str) -> Option<String> {
    let (_, q) = url.split_once('?')?;
    let id = q.split('&').next()?.trim();
    let ok = (5..=20).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    ok.then(|| id.to_string())
}

/// Stores a finished upload or fetch as a file of `owner` (or anonymous).
pub(crate) fn new_stored_file(
    w: &World,
    owner: Option<AccountId>,
    folder_id: i64,
    filename: String,
    blob: Arc<Blob>,
    pass: Option<String>,
) -> StoredFile {
    StoredFile {
        id: w.new_file_id(),
        owner,
        folder_id,
        content_type: content_type_for(&filename).to_string(),
        filename,
        date: now_paris(),
        blob,
        pass,
        description: String::new(),
        no_ssl: 0,
        inline: 0,
        cdn: 0,
        acl: Acl::default(),
        remove_code: if owner.is_none() {
            random_alnum(10)
        } else {
            String::new()
        },
        scanned_at: None,
    }
}

#[cfg(test)]
mod tests;
