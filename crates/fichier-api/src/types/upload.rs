//! Uploads: the node and the report (protocol §6).

use serde::{Deserialize, Serialize};

use crate::de;
use crate::key::Password;

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
