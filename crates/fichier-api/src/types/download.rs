//! Download tokens (protocol §7).

use serde::{Deserialize, Serialize};

use crate::de;
use crate::key::Password;

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
