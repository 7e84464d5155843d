//! Request and response bodies of the API v1, with the field names 1fichier uses.
//!
//! Responses decode tolerantly (see `de.rs` and the crate README): numbers may arrive as
//! strings, flags as numbers, strings or booleans, arrays may be missing or null, and the
//! MIME type may be spelt `content-type` or `content_type`.

use serde::{Deserialize, Serialize};

use crate::de;
use crate::key::Password;

fn is_false(b: &bool) -> bool {
    !*b
}

// ---------------------------------------------------------------- user/info (protocol §5)

/// Subscription level (`offer`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Offer {
    #[default]
    Free,
    Premium,
    Access,
    Gold,
    Other(i64),
}

impl Offer {
    pub fn from_code(code: i64) -> Offer {
        match code {
            0 => Offer::Free,
            1 => Offer::Premium,
            2 => Offer::Access,
            3 => Offer::Gold,
            n => Offer::Other(n),
        }
    }
    /// Whether the account may use customer-only calls (download tokens, remote upload).
    pub fn is_customer(self) -> bool {
        !matches!(self, Offer::Free)
    }
}

impl<'de> Deserialize<'de> for Offer {
    /// 1fichier's number, or the name this crate writes (so a stored answer reads back).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let named = match &v {
            serde_json::Value::String(s) => match s.as_str() {
                "free" => Some(Offer::Free),
                "premium" => Some(Offer::Premium),
                "access" => Some(Offer::Access),
                "gold" => Some(Offer::Gold),
                _ => None,
            },
            serde_json::Value::Object(o) => {
                o.get("other").and_then(|n| n.as_i64()).map(Offer::Other)
            }
            _ => None,
        };
        match named {
            Some(offer) => Ok(offer),
            None => de::int(v)
                .map(Offer::from_code)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Account information from `user/info.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    #[serde(default, deserialize_with = "de::string")]
    pub email: String,
    #[serde(default)]
    pub offer: Offer,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub subscription_end: Option<String>,
    /// CDN credit in GB.
    #[serde(default, deserialize_with = "de::float")]
    pub cdn: f64,
    #[serde(default, deserialize_with = "de::flag")]
    pub use_cdn: bool,
    #[serde(default, rename = "2fa", deserialize_with = "de::int")]
    pub two_factor: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub default_domain: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub default_port: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub default_port_files: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub page_limit: i64,
    #[serde(default, deserialize_with = "de::flag")]
    pub download_menu: bool,
    #[serde(default, deserialize_with = "de::int")]
    pub ftp_mode: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub ftp_did: i64,
    #[serde(default, deserialize_with = "de::flag")]
    pub ftp_report: bool,
    #[serde(default, deserialize_with = "de::flag")]
    pub ru_report: bool,
    #[serde(default, deserialize_with = "de::flag")]
    pub mail_rm: bool,
    #[serde(default, deserialize_with = "de::flag")]
    pub upload_forbidden: bool,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub stats_date: Option<String>,
    #[serde(default, deserialize_with = "de::int")]
    pub default_quota: i64,
    /// Bytes used (rclone's About reads this as "used").
    #[serde(default, deserialize_with = "de::int")]
    pub cold_storage: i64,
    /// Total bytes available (rclone's About reads this as "total").
    #[serde(default, deserialize_with = "de::int")]
    pub available_cold_storage: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub allowed_cold_storage: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub default_cold_storage_quota: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub hot_storage: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub available_storage: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub overquota: i64,
    #[serde(default, deserialize_with = "de::int")]
    pub extended_quota: i64,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub extended_quota_end: Option<String>,
}

/// Settings that `user/info.cgi` can change. Only the fields set are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserSettings {
    /// 0 = process FTP uploads automatically, 1 = manually.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ftp_mode: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ftp_did: Option<i64>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub ftp_report: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub ru_report: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_domain: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_limit: Option<i64>,
    /// 0 = HTTPS, 1 = HTTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_port_files: Option<i64>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub use_cdn: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub download_menu: Option<bool>,
}

impl UserSettings {
    pub fn is_empty(&self) -> bool {
        self == &UserSettings::default()
    }

    /// Applies these settings to a cached [`UserInfo`] after a successful change.
    pub(crate) fn apply_to(&self, info: &mut UserInfo) {
        if let Some(v) = self.ftp_mode {
            info.ftp_mode = v;
        }
        if let Some(v) = self.ftp_did {
            info.ftp_did = v;
        }
        if let Some(v) = self.ftp_report {
            info.ftp_report = v;
        }
        if let Some(v) = self.ru_report {
            info.ru_report = v;
        }
        if let Some(v) = self.default_domain {
            info.default_domain = v;
        }
        if let Some(v) = self.page_limit {
            info.page_limit = v;
        }
        if let Some(v) = self.default_port {
            info.default_port = v;
        }
        if let Some(v) = self.default_port_files {
            info.default_port_files = v;
        }
        if let Some(v) = self.use_cdn {
            info.use_cdn = v;
        }
        if let Some(v) = self.download_menu {
            info.download_menu = v;
        }
    }
}

// ---------------------------------------------------------------- upload (protocol §6)

/// Answer of `upload/get_upload_server.cgi`: a bare node host and an upload id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadServer {
    /// Bare host name, e.g. `up2.1fichier.com` (no scheme).
    #[serde(deserialize_with = "de::string")]
    pub url: String,
    #[serde(deserialize_with = "de::string")]
    pub id: String,
}

/// Optional fields of an upload (the multipart text parts).
#[derive(Debug, Clone, Default)]
pub struct UploadOptions {
    /// Destination folder (`did`); the root when `None`.
    pub folder_id: Option<i64>,
    /// Publishing domain id (`domain`).
    pub domain: Option<u32>,
    /// Password protecting the uploaded file (`dpass`).
    pub password: Option<Password>,
    /// Notification e-mail (`mail`).
    pub mail: Option<String>,
    /// Contacts to notify (`mails`).
    pub mails: Option<String>,
    /// Notification text (`message`).
    pub message: Option<String>,
}

/// One file of an upload report (`end.pl`, JSON form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    /// The new file's URL (its identifier).
    #[serde(deserialize_with = "de::string")]
    pub download: String,
    #[serde(default, deserialize_with = "de::string")]
    pub filename: String,
    /// Sent as a string of digits by 1fichier.
    #[serde(default, deserialize_with = "de::uint")]
    pub size: u64,
    #[serde(default, deserialize_with = "de::string")]
    pub whirlpool: String,
    /// Removal link; empty for uploads linked to an account.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub remove: Option<String>,
}

/// The JSON upload report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadReport {
    #[serde(default, deserialize_with = "de::flag")]
    pub incoming: bool,
    #[serde(default, deserialize_with = "de::list")]
    pub links: Vec<UploadedFile>,
}

// ---------------------------------------------------------------- download (protocol §7)

/// Body of `download/get_token.cgi`. [`GetTokenRequest::new`] sets `single: 1` as rclone
/// does.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GetTokenRequest {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub inline: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub cdn: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restrict_ip: Option<u8>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub single: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<Password>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_user: Option<String>,
}

impl GetTokenRequest {
    pub fn new(url: impl Into<String>) -> GetTokenRequest {
        GetTokenRequest {
            url: url.into(),
            single: Some(true),
            ..Default::default()
        }
    }
    pub fn with_password(mut self, pass: impl Into<Password>) -> Self {
        self.pass = Some(pass.into());
        self
    }
}

/// A one-time download URL (valid about 5 minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadToken {
    #[serde(deserialize_with = "de::string")]
    pub url: String,
}

// ---------------------------------------------------------------- files (protocol §8)

/// One file in a listing (`file/ls`, `folder/ls` with `files=1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "FileItemWire")]
pub struct FileItem {
    pub url: String,
    pub filename: String,
    pub size: u64,
    /// `YYYY-MM-DD HH:MM:SS`, French local time; empty when not known yet (an entry added
    /// to a cached listing after an upload).
    pub date: String,
    /// Whirlpool, lowercase hex.
    pub checksum: Option<String>,
    pub content_type: Option<String>,
    pub pass: bool,
    /// Whether access restrictions are set.
    pub acl: bool,
    pub cdn: bool,
}

#[derive(Deserialize)]
struct FileItemWire {
    #[serde(default, deserialize_with = "de::string")]
    url: String,
    #[serde(default, deserialize_with = "de::string")]
    filename: String,
    #[serde(default, deserialize_with = "de::uint")]
    size: u64,
    #[serde(default, deserialize_with = "de::string")]
    date: String,
    #[serde(default, deserialize_with = "de::opt_string")]
    checksum: Option<String>,
    #[serde(default, rename = "content-type", deserialize_with = "de::opt_string")]
    content_type_hyphen: Option<String>,
    #[serde(default, rename = "content_type", deserialize_with = "de::opt_string")]
    content_type_underscore: Option<String>,
    #[serde(default, deserialize_with = "de::flag")]
    pass: bool,
    #[serde(default, deserialize_with = "acl_flag")]
    acl: bool,
    #[serde(default, deserialize_with = "de::flag")]
    cdn: bool,
}

impl From<FileItemWire> for FileItem {
    fn from(w: FileItemWire) -> Self {
        FileItem {
            url: w.url,
            filename: w.filename,
            size: w.size,
            date: w.date,
            checksum: w.checksum,
            content_type: w.content_type_hyphen.or(w.content_type_underscore),
            pass: w.pass,
            acl: w.acl,
            cdn: w.cdn,
        }
    }
}

fn acl_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let acl: FileAcl = FileAcl::deserialize(d)?;
    Ok(acl.restricted)
}

/// Access restrictions: a 0/1 flag in listings, an object in `file/info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileAcl {
    pub restricted: bool,
    pub ip: Vec<String>,
    pub country: Vec<String>,
    pub email: Vec<String>,
    pub premium: bool,
}

impl<'de> Deserialize<'de> for FileAcl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Obj {
            #[serde(default, deserialize_with = "de::string_list")]
            ip: Vec<String>,
            #[serde(default, deserialize_with = "de::string_list")]
            country: Vec<String>,
            #[serde(default, deserialize_with = "de::string_list")]
            email: Vec<String>,
            #[serde(default, deserialize_with = "de::flag")]
            premium: bool,
        }
        let v = serde_json::Value::deserialize(d)?;
        match v {
            serde_json::Value::Object(_) => {
                let o: Obj = serde_json::from_value(v).map_err(serde::de::Error::custom)?;
                Ok(FileAcl {
                    restricted: !(o.ip.is_empty() && o.country.is_empty() && o.email.is_empty())
                        || o.premium,
                    ip: o.ip,
                    country: o.country,
                    email: o.email,
                    premium: o.premium,
                })
            }
            other => {
                let restricted = de::flag(other).map_err(serde::de::Error::custom)?;
                Ok(FileAcl {
                    restricted,
                    ..Default::default()
                })
            }
        }
    }
}

/// Body of `file/ls.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct FileLsRequest {
    /// 0 = root, -1 = every file of the account (at most hourly).
    pub folder_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_after: Option<String>,
}

impl FileLsRequest {
    pub fn folder(folder_id: i64) -> FileLsRequest {
        FileLsRequest {
            folder_id,
            ..Default::default()
        }
    }
    /// Every file of the account (`folder_id: -1`).
    pub fn all_files() -> FileLsRequest {
        FileLsRequest::folder(-1)
    }
    pub(crate) fn is_filtered(&self) -> bool {
        self.sent_after.is_some() || self.sent_before.is_some()
    }
}

/// Answer of `file/ls.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileList {
    #[serde(default, deserialize_with = "de::uint")]
    pub count: u64,
    #[serde(default, deserialize_with = "de::list")]
    pub items: Vec<FileItem>,
}

/// Body of `file/info.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileInfoRequest {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<Password>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_user: Option<String>,
}

impl FileInfoRequest {
    pub fn new(url: impl Into<String>) -> FileInfoRequest {
        FileInfoRequest {
            url: url.into(),
            ..Default::default()
        }
    }
}

/// Answer of `file/info.cgi`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "FileInfoWire")]
pub struct FileInfo {
    pub url: String,
    pub filename: String,
    pub size: u64,
    pub date: String,
    pub folder_id: Option<i64>,
    /// Folder path, e.g. `a/b`.
    pub path: Option<String>,
    pub checksum: Option<String>,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub pass: bool,
    pub no_ssl: bool,
    pub inline: bool,
    pub cdn: bool,
    pub acl: FileAcl,
}

#[derive(Deserialize)]
struct FileInfoWire {
    #[serde(default, deserialize_with = "de::string")]
    url: String,
    #[serde(default, deserialize_with = "de::string")]
    filename: String,
    #[serde(default, deserialize_with = "de::uint")]
    size: u64,
    #[serde(default, deserialize_with = "de::string")]
    date: String,
    #[serde(default, deserialize_with = "de::opt_int")]
    folder_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_string")]
    path: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    checksum: Option<String>,
    #[serde(default, rename = "content-type", deserialize_with = "de::opt_string")]
    content_type_hyphen: Option<String>,
    #[serde(default, rename = "content_type", deserialize_with = "de::opt_string")]
    content_type_underscore: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "de::flag")]
    pass: bool,
    #[serde(default, deserialize_with = "de::flag")]
    no_ssl: bool,
    #[serde(default, deserialize_with = "de::flag")]
    inline: bool,
    #[serde(default, deserialize_with = "de::flag")]
    cdn: bool,
    #[serde(default)]
    acl: Option<FileAcl>,
}

impl From<FileInfoWire> for FileInfo {
    fn from(w: FileInfoWire) -> Self {
        FileInfo {
            url: w.url,
            filename: w.filename,
            size: w.size,
            date: w.date,
            folder_id: w.folder_id,
            path: w.path,
            checksum: w.checksum,
            content_type: w.content_type_hyphen.or(w.content_type_underscore),
            description: w.description,
            pass: w.pass,
            no_ssl: w.no_ssl,
            inline: w.inline,
            cdn: w.cdn,
            acl: w.acl.unwrap_or_default(),
        }
    }
}

/// Result of `file/scan.cgi`. A KO that is not an access or rate-limit error is the scan's
/// verdict, not a failure of the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanResult {
    /// `true` when 1fichier answered OK.
    pub clean: bool,
    pub message: Option<String>,
    /// Set when the answer came from 1fichier's scan cache.
    pub date: Option<String>,
}

/// One file to remove (`file/rm.cgi`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileToRemove {
    pub url: String,
    /// Removal code, only for files not linked to an account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl From<&str> for FileToRemove {
    fn from(url: &str) -> Self {
        FileToRemove {
            url: url.to_string(),
            code: None,
        }
    }
}

impl From<String> for FileToRemove {
    fn from(url: String) -> Self {
        FileToRemove { url, code: None }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FileRmRequest<'a> {
    pub files: &'a [FileToRemove],
}

/// Answer of `file/rm.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    #[serde(default, deserialize_with = "de::uint")]
    pub removed: u64,
    #[serde(default, deserialize_with = "de::string_list")]
    pub urls: Vec<String>,
}

/// Body of `file/mv.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileMvRequest {
    pub urls: Vec<String>,
    pub destination_folder_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_user: Option<String>,
    /// New name; only with exactly one URL, and only when it really changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
}

/// Answer of `file/mv.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    #[serde(default, deserialize_with = "de::uint")]
    pub moved: u64,
    #[serde(default, deserialize_with = "de::string_list")]
    pub urls: Vec<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub filename: Option<String>,
}

/// Body of `file/cp.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileCpRequest {
    pub urls: Vec<String>,
    /// Destination folder (note: `folder_id`, not `destination_folder_id`).
    pub folder_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<Password>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
}

/// One copy made by `file/cp.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopiedFile {
    #[serde(default, deserialize_with = "de::string")]
    pub from_url: String,
    #[serde(default, deserialize_with = "de::string")]
    pub to_url: String,
}

/// Answer of `file/cp.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copied {
    #[serde(default, deserialize_with = "de::uint")]
    pub copied: u64,
    #[serde(default, deserialize_with = "de::list")]
    pub urls: Vec<CopiedFile>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub filename: Option<String>,
}

/// One rename for `file/rename.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenameEntry {
    pub url: String,
    pub filename: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FileRenameRequest<'a> {
    pub urls: &'a [RenameEntry],
}

/// One file renamed by `file/rename.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenamedFile {
    #[serde(default, deserialize_with = "de::string")]
    pub url: String,
    #[serde(default, deserialize_with = "de::string")]
    pub old_filename: String,
    #[serde(default, deserialize_with = "de::string")]
    pub new_filename: String,
}

/// Answer of `file/rename.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renamed {
    #[serde(default, deserialize_with = "de::uint")]
    pub renamed: u64,
    #[serde(default, deserialize_with = "de::list")]
    pub urls: Vec<RenamedFile>,
}

/// Access restrictions to set with `file/chattr.cgi`. An empty value removes them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AclSettings {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ip: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub country: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email: Vec<String>,
    #[serde(skip_serializing_if = "is_false", serialize_with = "ser_bool_int")]
    pub premium: bool,
}

fn ser_bool_int<S: serde::Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(u8::from(*v))
}

/// Body of `file/chattr.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChattrRequest {
    pub urls: Vec<String>,
    /// New name; only with one URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// At least 6 characters; an empty password removes the protection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<Password>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub no_ssl: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub inline: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub cdn: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acl: Option<AclSettings>,
}

/// Answer of `file/chattr.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Updated {
    #[serde(default, deserialize_with = "de::uint")]
    pub updated: u64,
    #[serde(default, deserialize_with = "de::string_list")]
    pub urls: Vec<String>,
}

// ---------------------------------------------------------------- folders (protocol §8)

/// Body of `folder/ls.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct FolderLsRequest {
    pub folder_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_user: Option<String>,
    /// Also return the folder's files in `items`.
    #[serde(skip_serializing_if = "is_false", serialize_with = "ser_bool_int")]
    pub files: bool,
}

impl FolderLsRequest {
    pub fn folder(folder_id: i64) -> FolderLsRequest {
        FolderLsRequest {
            folder_id,
            ..Default::default()
        }
    }
    pub fn with_files(mut self) -> Self {
        self.files = true;
        self
    }
}

/// A sub-folder in a `folder/ls` answer (its id key is `id`, not `folder_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubFolder {
    #[serde(alias = "folder_id", deserialize_with = "de::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub create_date: String,
    #[serde(default, deserialize_with = "de::flag")]
    pub pass: bool,
    /// The sharer's e-mail, for folders shared with this account.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub email: Option<String>,
}

/// Answer of `folder/ls.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FolderListing {
    #[serde(default, deserialize_with = "de::int")]
    pub folder_id: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    pub create_date: String,
    #[serde(default, deserialize_with = "de::flag")]
    pub pass: bool,
    /// Public share URL, if shared.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub shared: Option<String>,
    /// Bytes of direct children.
    #[serde(default, deserialize_with = "de::uint")]
    pub size: u64,
    /// Number of files directly inside.
    #[serde(default, rename = "files", deserialize_with = "de::uint")]
    pub file_count: u64,
    /// The folder's files, when asked with `files=1`.
    #[serde(default, deserialize_with = "de::list")]
    pub items: Vec<FileItem>,
    #[serde(default, deserialize_with = "de::list")]
    pub sub_folders: Vec<SubFolder>,
}

/// Body of `folder/mkdir.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MkdirRequest {
    pub name: String,
    /// Parent folder; the root when 0.
    pub folder_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_user: Option<String>,
}

/// Answer of `folder/mkdir.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedFolder {
    #[serde(deserialize_with = "de::int")]
    pub folder_id: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
}

/// Body of `folder/mv.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FolderMvRequest {
    pub folder_id: i64,
    /// Destination parent; the root when `Some(0)`; leave `None` to rename in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_folder_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
}

/// Answer of `folder/mv.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderMoved {
    #[serde(default, deserialize_with = "de::opt_string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub old_name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub new_name: Option<String>,
}

/// A groupware share of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupShare {
    pub email: String,
    #[serde(serialize_with = "ser_bool_int")]
    pub rw: bool,
    #[serde(serialize_with = "ser_bool_int")]
    pub hide_links: bool,
}

/// Body of `folder/share.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ShareRequest {
    pub folder_id: i64,
    /// Public URL sharing on or off.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "de::ser_flag"
    )]
    pub share: Option<bool>,
    /// Password of the public share (at least 6 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<Password>,
    /// Groupware shares; `Some(vec![])` removes them all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shares: Option<Vec<GroupShare>>,
}

/// Answer of `folder/share.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// Public folder URL (`https://1fichier.com/dir/<code>`) when sharing is on.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub message: Option<String>,
}

/// A plain OK answer (`folder/rm`, `ftp/*`, settings change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    #[serde(default, deserialize_with = "de::opt_string")]
    pub message: Option<String>,
}

// ---------------------------------------------------------------- remote upload (protocol §11)

/// Body of `remote/request.cgi`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RemoteRequest {
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<i64>,
    /// Extra HTTP headers 1fichier should send, as an object `{name: value}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
}

/// Answer of `remote/request.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteJobCreated {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
}

/// One job in `remote/ls.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteJob {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub request_date: String,
    /// `1970-01-01 ...` (or empty) while the job has not run.
    #[serde(default, deserialize_with = "de::string")]
    pub execution_date: String,
}

impl RemoteJob {
    pub fn has_run(&self) -> bool {
        !(self.execution_date.is_empty() || self.execution_date.starts_with("1970-01-01"))
    }
}

/// Answer of `remote/ls.cgi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteJobs {
    #[serde(default, deserialize_with = "de::list")]
    pub data: Vec<RemoteJob>,
}

/// One URL's outcome in `remote/info.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteResult {
    #[serde(default, deserialize_with = "de::string")]
    pub status: String,
    #[serde(default, deserialize_with = "de::string")]
    pub url: String,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub download_link: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    pub message: Option<String>,
}

impl RemoteResult {
    pub fn is_ok(&self) -> bool {
        self.status.eq_ignore_ascii_case("OK")
    }
}

/// Answer of `remote/info.cgi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteJobInfo {
    #[serde(default, deserialize_with = "de::int")]
    pub id: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub request_date: String,
    #[serde(default, deserialize_with = "de::string")]
    pub execution_date: String,
    #[serde(default, deserialize_with = "de::string_list")]
    pub links: Vec<String>,
    /// Empty until the job has run.
    #[serde(default, deserialize_with = "de::list")]
    pub result: Vec<RemoteResult>,
}

// ---------------------------------------------------------------- FTP (protocol §11)

/// An FTP sub-account. The reference publishes no shape: the login is read from `user`,
/// `login` or `name`, the folder from `folder_id` or `did`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FtpUser {
    pub user: String,
    pub folder_id: Option<i64>,
}

impl<'de> Deserialize<'de> for FtpUser {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match v {
            serde_json::Value::String(user) => Ok(FtpUser {
                user,
                folder_id: None,
            }),
            serde_json::Value::Object(m) => {
                let user = ["user", "login", "name", "username"]
                    .iter()
                    .find_map(|k| m.get(*k).and_then(|v| v.as_str()))
                    .unwrap_or_default()
                    .to_string();
                let folder_id = ["folder_id", "did"].iter().find_map(|k| {
                    m.get(*k)
                        .and_then(|v| de::opt_int(v.clone()).ok().flatten())
                });
                Ok(FtpUser { user, folder_id })
            }
            other => Err(serde::de::Error::custom(format!(
                "expected an FTP user, got {other}"
            ))),
        }
    }
}

/// Body of `ftp/users/add.cgi`.
#[derive(Debug, Clone, Serialize)]
pub struct FtpUserAdd {
    pub user: String,
    pub pass: Password,
    pub folder_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FtpUserRm<'a> {
    pub user: &'a str,
}

// ---------------------------------------------------------------- website (protocol §10)

/// One file of a public folder (`/dir/<code>?json=1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedFile {
    #[serde(default, deserialize_with = "de::string")]
    pub filename: String,
    #[serde(default, deserialize_with = "de::string")]
    pub link: String,
    #[serde(default, deserialize_with = "de::uint")]
    pub size: u64,
}

/// The state of one link in a `check_links.pl` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LinkState {
    Online { filename: String, size: u64 },
    NotFound,
    BadLink,
    Private,
    Other { text: String },
}

/// One line of a `check_links.pl` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkCheck {
    pub url: String,
    pub state: LinkState,
}

impl LinkCheck {
    /// Parses one `url;filename;size` line (or `url;;;NOT FOUND` and friends).
    pub(crate) fn parse_line(line: &str) -> Option<LinkCheck> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        // File names may contain ';': the URL is the first field, the size or status the
        // last, the name everything in between.
        let (url, rest) = line.split_once(';')?;
        let (name, last) = rest.rsplit_once(';').unwrap_or((rest, ""));
        let status = last.trim();
        let state = match status.to_ascii_uppercase().as_str() {
            "NOT FOUND" => LinkState::NotFound,
            "BAD LINK" => LinkState::BadLink,
            "PRIVATE" => LinkState::Private,
            _ => match status.parse::<u64>() {
                Ok(size) => LinkState::Online {
                    filename: name.trim_end_matches(';').to_string(),
                    size,
                },
                Err(_) => LinkState::Other {
                    text: status.to_string(),
                },
            },
        };
        Some(LinkCheck {
            url: url.trim().to_string(),
            state,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn file_item_takes_either_mime_key_and_both_at_once() {
        let a: FileItem = serde_json::from_value(json!({"url":"u","filename":"f","size":"12","content-type":"text/plain","pass":"0","acl":0,"cdn":0,"date":"2021-06-22 14:57:25","checksum":"ab"})).unwrap();
        assert_eq!(a.content_type.as_deref(), Some("text/plain"));
        assert_eq!(a.size, 12);
        let b: FileItem =
            serde_json::from_value(json!({"url":"u","filename":"f","size":1,"content_type":"x/y"}))
                .unwrap();
        assert_eq!(b.content_type.as_deref(), Some("x/y"));
        let c: FileItem = serde_json::from_value(json!({"url":"u","filename":"f","size":1,"content_type":"x/y","content-type":"x/y","acl":{"ip":["1.2.3.0/24"]}})).unwrap();
        assert!(c.acl);
    }

    #[test]
    fn user_info_flags_as_strings_or_numbers() {
        let s: UserInfo = serde_json::from_value(json!({"status":"OK","email":"u@example.org","offer":"1","cdn":"2.5","use_cdn":"0","2fa":"2","cold_storage":123,"available_cold_storage":"1099511627776"})).unwrap();
        assert_eq!(s.offer, Offer::Premium);
        assert_eq!(s.cdn, 2.5);
        assert_eq!(s.two_factor, 2);
        assert_eq!(s.available_cold_storage, 1_099_511_627_776);
        let n: UserInfo =
            serde_json::from_value(json!({"email":"u","offer":0,"use_cdn":1,"ftp_report":true}))
                .unwrap();
        assert_eq!(n.offer, Offer::Free);
        assert!(n.use_cdn && n.ftp_report);
    }

    #[test]
    fn folder_listing_with_missing_or_null_arrays() {
        let l: FolderListing = serde_json::from_value(
            json!({"status":"OK","folder_id":"5","name":"a","files":3,"sub_folders":null}),
        )
        .unwrap();
        assert_eq!(l.folder_id, 5);
        assert_eq!(l.file_count, 3);
        assert!(l.items.is_empty() && l.sub_folders.is_empty());
        let l: FolderListing = serde_json::from_value(json!({"folder_id":0,"sub_folders":[{"id":"7","name":"x","create_date":"2024-01-01 00:00:00","pass":"1"}],"shared":0})).unwrap();
        assert_eq!(l.sub_folders[0].id, 7);
        assert!(l.sub_folders[0].pass);
        assert_eq!(l.shared, None);
    }

    #[test]
    fn file_info_acl_object_and_flags() {
        let i: FileInfo = serde_json::from_value(json!({"url":"u","filename":"f","size":5,"folder_id":"3","content_type":"a/b","acl":{"ip":[],"country":["FR"],"email":[],"premium":0},"inline":"1"})).unwrap();
        assert!(i.acl.restricted);
        assert_eq!(i.acl.country, vec!["FR"]);
        assert!(i.inline);
        assert_eq!(i.folder_id, Some(3));
        let j: FileInfo = serde_json::from_value(json!({"url":"u","acl":0})).unwrap();
        assert!(!j.acl.restricted);
    }

    #[test]
    fn requests_send_flags_as_integers() {
        let r = GetTokenRequest::new("https://1fichier.com/?abc").with_password("secret1");
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v,
            json!({"url":"https://1fichier.com/?abc","single":1,"pass":"secret1"})
        );
        let s = UserSettings {
            use_cdn: Some(true),
            page_limit: Some(50),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            json!({"use_cdn":1,"page_limit":50})
        );
        let f = FolderLsRequest::folder(3).with_files();
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"folder_id":3,"files":1})
        );
    }

    #[test]
    fn upload_report_size_is_a_string() {
        let r: UploadReport = serde_json::from_value(json!({"incoming":0,"links":[{"download":"https://1fichier.com/?x","filename":"a","size":"48213","whirlpool":"ff","remove":""}]})).unwrap();
        assert_eq!(r.links[0].size, 48213);
        assert_eq!(r.links[0].remove, None);
    }

    #[test]
    fn check_links_lines() {
        let ok = LinkCheck::parse_line("https://1fichier.com/?a;my;file.txt;1234").unwrap();
        assert_eq!(
            ok.state,
            LinkState::Online {
                filename: "my;file.txt".into(),
                size: 1234
            }
        );
        assert_eq!(
            LinkCheck::parse_line("https://1fichier.com/?b;;;NOT FOUND")
                .unwrap()
                .state,
            LinkState::NotFound
        );
        assert_eq!(
            LinkCheck::parse_line("x;;;PRIVATE").unwrap().state,
            LinkState::Private
        );
        assert_eq!(
            LinkCheck::parse_line("x;;;BAD LINK").unwrap().state,
            LinkState::BadLink
        );
        assert!(LinkCheck::parse_line("  ").is_none());
    }

    #[test]
    fn ftp_users_in_any_reasonable_shape() {
        let v: Vec<FtpUser> =
            serde_json::from_value(json!([{"user":"a","folder_id":"3"},{"login":"b","did":4},"c"]))
                .unwrap();
        assert_eq!(
            v[0],
            FtpUser {
                user: "a".into(),
                folder_id: Some(3)
            }
        );
        assert_eq!(v[1].folder_id, Some(4));
        assert_eq!(v[2].user, "c");
    }
}
