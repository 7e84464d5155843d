//! FTP (protocol §11).

use serde::{Deserialize, Serialize};

use crate::de;
use crate::key::Password;

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
