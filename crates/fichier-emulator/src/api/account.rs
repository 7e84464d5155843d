//! `user/info` and the FTP sub-accounts.

use super::*;

// ---- endpoints ----

const USER_SETTINGS: &[&str] = &[
    "ftp_mode",
    "ftp_did",
    "ftp_report",
    "ru_report",
    "default_domain",
    "page_limit",
    "default_port",
    "default_port_files",
    "use_cdn",
    "download_menu",
];

pub(super) async fn user_info(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let mut changes = Vec::new();
    for name in USER_SETTINGS {
        if let Some(v) = opt_int(p, name)? {
            changes.push((name.to_string(), v));
        }
    }
    let mut w = st.shared.world();
    let used: u64 = w
        .files_in(c.account, None)
        .iter()
        .map(|f| f.blob.size)
        .sum();
    let a = w.account_mut(c.account).ok_or_else(Ko::not_found)?;
    for (k, v) in changes {
        a.settings.insert(k, v);
    }
    let s = |k: &str| a.settings.get(k).copied().unwrap_or(0);
    let available = a.quota_bytes.saturating_sub(used);
    Ok(json!({
        "status": "OK",
        "email": a.email,
        "offer": a.offer.code().to_string(),
        "cdn": a.cdn_credit_gb.to_string(),
        "subscription_end": a.subscription_end,
        "stats_date": state::now_paris()[..10].to_string(),
        "mail_rm": "0",
        "upload_forbidden": if a.upload_forbidden { "1" } else { "0" },
        "2fa": "0",
        "use_cdn": s("use_cdn").to_string(),
        "default_port": s("default_port").to_string(),
        "download_menu": s("download_menu").to_string(),
        "default_port_files": s("default_port_files").to_string(),
        "ftp_report": s("ftp_report").to_string(),
        "ftp_mode": s("ftp_mode").to_string(),
        "ru_report": s("ru_report").to_string(),
        "default_quota": a.quota_bytes,
        "page_limit": s("page_limit"),
        "cold_storage": used,
        "available_cold_storage": a.quota_bytes,
        "allowed_cold_storage": a.quota_bytes,
        "default_cold_storage_quota": a.quota_bytes,
        "hot_storage": a.hot_storage,
        "available_storage": available,
        "overquota": i64::from(a.quota_bytes > 0 && used > a.quota_bytes),
        "default_domain": s("default_domain"),
        "ftp_did": s("ftp_did"),
    }))
}

pub(super) fn ftp_users_ls(st: &Inner, c: &Caller) -> Result<Value, Ko> {
    let w = st.shared.world();
    let users = w.ftp_users.get(&c.account).cloned().unwrap_or_default();
    Ok(json!({"status": "OK", "count": users.len(), "items": users}))
}

pub(super) fn ftp_users_add(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let user = req_str(p, "user")?;
    let pass = req_str(p, "pass")?;
    let folder_id = opt_int(p, "folder_id")?.unwrap_or(0);
    if !user
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch))
        || user.len() > 32
    {
        return Err(Ko::bad_param("user"));
    }
    if pass.chars().count() < 8 {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Password must be at least 8 characters",
            664,
        ));
    }
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, folder_id) {
        return Err(Ko::not_found());
    }
    let list = w.ftp_users.entry(c.account).or_default();
    if list.iter().any(|u| u.user == user) {
        return Err(Ko::new(StatusCode::FORBIDDEN, "User already exists", 671));
    }
    list.push(state::FtpUser {
        user: user.clone(),
        pass,
        folder_id,
        create_date: state::now_paris(),
    });
    Ok(json!({"status": "OK", "user": user, "folder_id": folder_id, "message": "FTP user created"}))
}

pub(super) fn ftp_users_rm(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let user = req_str(p, "user")?;
    let mut w = st.shared.world();
    let list = w.ftp_users.entry(c.account).or_default();
    let before = list.len();
    list.retain(|u| u.user != user);
    if list.len() == before {
        return Err(Ko::not_found());
    }
    Ok(json!({"status": "OK", "message": "FTP user removed"}))
}
