//! User/info: the account (protocol §5).

use serde::{Deserialize, Serialize};

use crate::de;

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
