//! Files (protocol §8).

use serde::{Deserialize, Serialize};

use super::{is_false, ser_bool_int};
use crate::de;
use crate::key::Password;

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
