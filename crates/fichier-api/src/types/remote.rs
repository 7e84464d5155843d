//! Remote uploads (protocol §11).

use serde::{Deserialize, Serialize};

use crate::de;

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
