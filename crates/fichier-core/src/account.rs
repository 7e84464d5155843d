//! What 1fichier says about the account, shaped for people: storage, the flags that stop
//! uploads and what to do about them, the subscription's end, CDN credit, and FTP
//! sub-accounts. Everything comes through the client's caches and its pacer: the account
//! answer is reused for 5 minutes, the FTP list too, and our own changes are folded in.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use fichier_api::types::{FtpUser, UserInfo, UserSettings};
use fichier_api::{ApiError, Password};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::library::{Library, OfferName};

/// A subscription ending within this many days is announced.
pub const SUBSCRIPTION_WARNING_DAYS: i64 = 21;
/// Shortest password 1fichier takes for an FTP account.
pub const MIN_FTP_PASSWORD_CHARS: usize = 8;
/// Longest FTP user name.
pub const MAX_FTP_USER_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    pub email: String,
    pub offer: OfferName,
    #[ts(type = "number")]
    pub cold_storage_used: u64,
    #[ts(type = "number")]
    pub cold_storage_total: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub hot_storage_used: Option<u64>,
    /// Space 1fichier says is still free, when it says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub available_storage: Option<u64>,
    pub over_quota: bool,
    pub upload_forbidden: bool,
    pub cdn_credit_gb: f64,
    /// 1fichier's "use CDN credit" setting.
    pub use_cdn: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub subscription_end: Option<String>,
    /// Whole days until the subscription ends (negative once it has ended).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub subscription_days_left: Option<i64>,
    /// What needs the user's attention, most serious first.
    pub notices: Vec<AccountNotice>,
    /// How old 1fichier's answer is (it allows one account call per 5 minutes).
    #[ts(type = "number")]
    pub age_secs: u64,
    /// How long a change of setting would wait now for that rule.
    #[ts(type = "number")]
    pub change_wait_secs: u64,
}

/// Something about the account that the user should know, with what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AccountNotice {
    UploadForbidden,
    OverQuota,
    SubscriptionEnded,
    #[serde(rename_all = "camelCase")]
    SubscriptionEndsSoon {
        #[ts(type = "number")]
        days: i64,
    },
    /// The CDN switch is on with no credit left to spend.
    CdnWithoutCredit,
}

impl AccountNotice {
    /// What it means and what to do, for the command line (the window has its own words,
    /// translated).
    pub fn explain(&self) -> String {
        match self {
            AccountNotice::UploadForbidden => "1fichier does not accept uploads on this account \
                 now. Downloads and file management still work; the account page on \
                 1fichier.com or its support says why."
                .into(),
            AccountNotice::OverQuota => "Your files take more space than your offer allows. \
                 Free space by removing files, or extend the storage on 1fichier.com, before \
                 uploading more."
                .into(),
            AccountNotice::SubscriptionEnded => "Your subscription has ended: premium \
                 downloads, remote uploads and the API stop working until it is renewed on \
                 1fichier.com."
                .into(),
            AccountNotice::SubscriptionEndsSoon { days } => format!(
                "Your subscription ends in {days} day{}. Renew it on 1fichier.com to keep \
                 premium downloads and your storage.",
                if *days == 1 { "" } else { "s" }
            ),
            AccountNotice::CdnWithoutCredit => "\"Use CDN credit\" is on, but no CDN credit \
                 is left: downloads use the ordinary servers until credit is bought."
                .into(),
        }
    }
}

/// The account as 1fichier described it `age_secs` ago, read at `now`.
pub fn account_info_at(
    info: &UserInfo,
    now: DateTime<Utc>,
    age_secs: u64,
    change_wait_secs: u64,
) -> AccountInfo {
    let subscription_end = info
        .subscription_end
        .clone()
        .filter(|s| !s.trim().is_empty());
    let days_left = subscription_end
        .as_deref()
        .and_then(parse_paris_time)
        .map(|end| days_until(end, now));
    let cold_used = info.cold_storage.max(0) as u64;
    let cold_total = info.available_cold_storage.max(0) as u64;
    let over_quota = info.overquota != 0 || (cold_total > 0 && cold_used > cold_total);
    let use_cdn = info.use_cdn;
    let mut notices = Vec::new();
    if info.upload_forbidden {
        notices.push(AccountNotice::UploadForbidden);
    }
    if over_quota {
        notices.push(AccountNotice::OverQuota);
    }
    match days_left {
        Some(d) if d < 0 => notices.push(AccountNotice::SubscriptionEnded),
        Some(d) if d <= SUBSCRIPTION_WARNING_DAYS => {
            notices.push(AccountNotice::SubscriptionEndsSoon { days: d })
        }
        _ => {}
    }
    if use_cdn && info.cdn <= 0.0 {
        notices.push(AccountNotice::CdnWithoutCredit);
    }
    AccountInfo {
        email: info.email.clone(),
        offer: info.offer.into(),
        cold_storage_used: cold_used,
        cold_storage_total: cold_total,
        hot_storage_used: (info.hot_storage > 0).then_some(info.hot_storage as u64),
        available_storage: (info.available_storage > 0).then_some(info.available_storage as u64),
        over_quota,
        upload_forbidden: info.upload_forbidden,
        cdn_credit_gb: info.cdn,
        use_cdn,
        subscription_end,
        subscription_days_left: days_left,
        notices,
        age_secs,
        change_wait_secs,
    }
}

/// The account as described now by a fresh answer.
pub fn account_info(info: &UserInfo) -> AccountInfo {
    account_info_at(info, Utc::now(), 0, 0)
}

/// 1fichier's dates are Paris time, `YYYY-MM-DD HH:MM:SS` (or just the day).
fn parse_paris_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(23, 59, 59).expect("valid time"))
        })
        .ok()?;
    chrono_tz::Europe::Paris
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Whole days left: 0 on the last day, -1 the day after it ended.
fn days_until(end: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = (end - now).num_seconds();
    if secs >= 0 {
        secs / 86_400
    } else {
        -((-secs + 86_399) / 86_400)
    }
}

/// An FTP sub-account as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FtpAccount {
    pub user: String,
    /// The folder its uploads go to (0 is the root), when 1fichier says.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub folder_id: Option<i64>,
}

impl From<FtpUser> for FtpAccount {
    fn from(u: FtpUser) -> Self {
        FtpAccount {
            user: u.user,
            folder_id: u.folder_id,
        }
    }
}

/// A user name 1fichier takes for an FTP account: letters, digits, `.`, `_` and `-`.
pub fn check_ftp_user(user: &str) -> Result<(), ApiError> {
    let bad = |reason: String| Err(ApiError::InvalidRequest { reason });
    if user.is_empty() {
        return bad("an FTP account needs a user name".into());
    }
    if user.chars().count() > MAX_FTP_USER_CHARS {
        return bad(format!(
            "an FTP user name has at most {MAX_FTP_USER_CHARS} characters"
        ));
    }
    if let Some(c) = user
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-".contains(*c)))
    {
        return bad(format!(
            "an FTP user name takes letters, digits, '.', '_' and '-' only, not {c:?}"
        ));
    }
    Ok(())
}

pub fn check_ftp_password(pass: &str) -> Result<(), ApiError> {
    if pass.chars().count() < MIN_FTP_PASSWORD_CHARS {
        return Err(ApiError::InvalidRequest {
            reason: format!("an FTP password needs at least {MIN_FTP_PASSWORD_CHARS} characters"),
        });
    }
    Ok(())
}

impl Library {
    /// Offer, storage, flags and CDN credit (from a cache younger than 5 minutes when
    /// there is one).
    pub async fn account(&self) -> Result<AccountInfo, ApiError> {
        let cached = self.client().user_info().await?;
        Ok(self.describe(&cached.value, cached.age.as_secs()))
    }

    fn describe(&self, info: &UserInfo, age_secs: u64) -> AccountInfo {
        let wait = self.client().account_call_wait().as_secs();
        account_info_at(info, Utc::now(), age_secs, wait)
    }

    /// Turns 1fichier's "use CDN credit" setting on or off. 1fichier takes one account
    /// call per 5 minutes, so this may wait (the pacer says so while it does).
    pub async fn set_use_cdn(&self, on: bool) -> Result<AccountInfo, ApiError> {
        let settings = UserSettings {
            use_cdn: Some(on),
            ..UserSettings::default()
        };
        self.client().update_settings(&settings).await?;
        self.account().await
    }

    pub async fn ftp_accounts(&self) -> Result<Vec<FtpAccount>, ApiError> {
        let users = self.client().ftp_users().await?.into_value();
        Ok(users.into_iter().map(FtpAccount::from).collect())
    }

    /// Creates an FTP account whose uploads land in `folder_id`, and returns the list.
    pub async fn add_ftp_account(
        &self,
        user: &str,
        pass: &str,
        folder_id: i64,
    ) -> Result<Vec<FtpAccount>, ApiError> {
        let user = user.trim();
        check_ftp_user(user)?;
        check_ftp_password(pass)?;
        self.client()
            .ftp_user_add(user, Password::new(pass), folder_id)
            .await?;
        self.ftp_accounts().await
    }

    pub async fn remove_ftp_account(&self, user: &str) -> Result<Vec<FtpAccount>, ApiError> {
        self.client().ftp_user_remove(user.trim()).await?;
        self.ftp_accounts().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(json: serde_json::Value) -> UserInfo {
        serde_json::from_value(json).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn flags_become_notices_most_serious_first() {
        let i = info(serde_json::json!({
            "email": "a@b.c", "offer": "1", "upload_forbidden": "1", "overquota": 1,
            "cold_storage": 10, "available_cold_storage": 100, "use_cdn": "1", "cdn": "0",
        }));
        let a = account_info_at(&i, at("2026-01-01T00:00:00Z"), 0, 0);
        assert!(a.over_quota && a.upload_forbidden && a.use_cdn);
        assert_eq!(
            a.notices,
            vec![
                AccountNotice::UploadForbidden,
                AccountNotice::OverQuota,
                AccountNotice::CdnWithoutCredit
            ]
        );
        // Using more than the total is over quota even when the flag is not set.
        let i = info(serde_json::json!({"cold_storage": 101, "available_cold_storage": 100}));
        assert!(account_info_at(&i, Utc::now(), 0, 0).over_quota);
        let i = info(serde_json::json!({"cold_storage": 10, "available_cold_storage": 100}));
        let a = account_info_at(&i, Utc::now(), 0, 0);
        assert!(!a.over_quota && a.notices.is_empty());
    }

    #[test]
    fn the_subscription_end_is_announced_three_weeks_ahead_in_paris_time() {
        // 2026-03-01 00:30 in Paris is 2026-02-28 23:30 UTC.
        let i = info(serde_json::json!({"subscription_end": "2026-03-01 00:30:00"}));
        let days = |now: &str| account_info_at(&i, at(now), 0, 0);
        let far = days("2026-01-01T00:00:00Z");
        assert_eq!(far.subscription_days_left, Some(58));
        assert!(far.notices.is_empty());
        let soon = days("2026-02-10T00:00:00Z");
        assert_eq!(soon.subscription_days_left, Some(18));
        assert_eq!(
            soon.notices,
            vec![AccountNotice::SubscriptionEndsSoon { days: 18 }]
        );
        assert_eq!(days("2026-02-28T23:00:00Z").subscription_days_left, Some(0));
        let ended = days("2026-02-28T23:31:00Z");
        assert_eq!(ended.subscription_days_left, Some(-1));
        assert_eq!(ended.notices, vec![AccountNotice::SubscriptionEnded]);
        // No date, or one that can't be read: nothing is announced.
        let i = info(serde_json::json!({"subscription_end": "soon"}));
        assert_eq!(
            account_info_at(&i, Utc::now(), 0, 0).subscription_days_left,
            None
        );
    }

    #[test]
    fn ftp_names_and_passwords_are_checked_before_any_call() {
        assert!(check_ftp_user("backup.nas-1_a").is_ok());
        for bad in ["", "has space", "é", &"x".repeat(33)] {
            assert!(check_ftp_user(bad).is_err(), "{bad:?}");
        }
        assert!(check_ftp_password("1234567").is_err());
        assert!(check_ftp_password("12345678").is_ok());
    }

    #[test]
    fn notices_explain_what_to_do() {
        assert!(
            AccountNotice::SubscriptionEndsSoon { days: 1 }
                .explain()
                .contains("1 day.")
        );
        assert!(AccountNotice::OverQuota.explain().contains("Free space"));
    }
}
