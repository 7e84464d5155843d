//! Folders and shares (protocol §8).

use serde::{Deserialize, Serialize};

use super::{FileItem, is_false, ser_bool_int};
use crate::de;
use crate::key::Password;

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
