//! The API host: every `/v1/*.cgi` endpoint (protocol §2, rows 1–2 and 5–25).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::limits::{EndpointRule, Verdict};
use crate::state::{self, AccountId, Acl, Blob, Offer, StoredFile};
use crate::{AppState, Inner, bearer, client_ip};

/// Largest JSON body accepted by the API host.
const MAX_API_BODY: usize = 1 << 20;
/// file/scan refuses files at or over 5 GB.
const SCAN_LIMIT: u64 = 5_000_000_000;
/// Listings stop at 5000 results.
const LISTING_CAP: usize = 5000;

/// A KO answer: HTTP status and the message (with its `#n`).
#[derive(Debug)]
pub(crate) struct Ko {
    pub status: StatusCode,
    pub message: String,
}

impl Ko {
    pub fn new(status: StatusCode, text: &str, n: u16) -> Ko {
        Ko {
            status,
            message: format!("{text} #{n}"),
        }
    }
    fn not_found() -> Ko {
        Ko::new(StatusCode::NOT_FOUND, "Resource not found", 469)
    }
    fn not_allowed() -> Ko {
        Ko::new(StatusCode::FORBIDDEN, "Resource not allowed", 631)
    }
    fn bad_param(name: &str) -> Ko {
        Ko::new(
            StatusCode::BAD_REQUEST,
            &format!("Invalid parameter: {name}"),
            602,
        )
    }
    fn not_customer() -> Ko {
        Ko::new(
            StatusCode::FORBIDDEN,
            "Must be a customer (Premium, Access)",
            236,
        )
    }
    fn owner_locked() -> Ko {
        Ko::new(StatusCode::FORBIDDEN, "Owner locked", 620)
    }
    fn bad_name(reason: &str) -> Ko {
        Ko::new(StatusCode::FORBIDDEN, reason, 651)
    }
}

pub(crate) fn ko_response(ko: Ko, pretty: bool) -> Response {
    json_response(
        ko.status,
        &json!({"status": "KO", "message": ko.message}),
        pretty,
    )
}

pub(crate) fn json_response(status: StatusCode, v: &Value, pretty: bool) -> Response {
    let body = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .unwrap_or_default();
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::SERVER, "nginx"),
        ],
        body,
    )
        .into_response()
}

/// Who is calling.
pub(crate) struct Caller {
    pub account: AccountId,
    pub offer: Offer,
    pub email: String,
    pub ip: IpAddr,
}

/// Entry point for every `/v1/...` request.
pub(crate) async fn handle(
    State(st): State<AppState>,
    ci: ConnectInfo<SocketAddr>,
    Path(endpoint): Path<String>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ip = client_ip(&ci);
    let key = bearer(&headers);

    if let Some(status) = st.faults.take_api_failure() {
        return injected_failure(status);
    }

    let raw = match to_bytes(body, MAX_API_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return ko_response(
                Ko::new(StatusCode::PAYLOAD_TOO_LARGE, "Request too large", 413),
                false,
            );
        }
    };
    let params = match parse_body(&raw) {
        Ok(p) => p,
        Err(ko) => return ko_response(ko, false),
    };
    let pretty = params.get("pretty").and_then(as_int).unwrap_or(0) != 0;

    let Some(kind) = Endpoint::from_path(&endpoint) else {
        return ko_response(Ko::not_found(), pretty);
    };
    if method != Method::POST && !(kind == Endpoint::UploadServer && method == Method::GET) {
        return ko_response(
            Ko::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", 405),
            pretty,
        );
    }

    let rule = match kind.rule(&params) {
        Ok(r) => r,
        Err(ko) => return ko_response(ko, pretty),
    };
    if let Verdict::Flood(n) = st.limiter.check(key.as_deref(), ip, rule) {
        return ko_response(
            Ko::new(StatusCode::FORBIDDEN, "Flood detected: IP Locked", n),
            pretty,
        );
    }

    if kind == Endpoint::UploadServer {
        // No authentication needed, and no `status` in the answer.
        return json_response(
            StatusCode::OK,
            &json!({"url": st.host, "id": state::random_alnum(10)}),
            pretty,
        );
    }

    let caller = {
        let w = st.shared.world();
        match key.as_deref().and_then(|k| w.account_by_key(k)) {
            Some(a) => Caller {
                account: a.id,
                offer: a.offer,
                email: a.email.clone(),
                ip,
            },
            None => {
                return ko_response(
                    Ko::new(StatusCode::UNAUTHORIZED, "Not authenticated", 247),
                    pretty,
                );
            }
        }
    };

    match dispatch(&st, kind, &caller, &params).await {
        Ok(mut v) => {
            if let Value::Object(m) = &mut v
                && !m.contains_key("status")
            {
                m.insert("status".into(), json!("OK"));
            }
            json_response(StatusCode::OK, &v, pretty)
        }
        Err(ko) => ko_response(ko, pretty),
    }
}

fn injected_failure(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return ko_response(Ko::new(status, "Flood detected: IP Locked", 374), false);
    }
    let reason = status.canonical_reason().unwrap_or("Error");
    (
        status,
        [(header::CONTENT_TYPE, "text/html"), (header::SERVER, "nginx")],
        format!(
            "<html><head><title>{} {reason}</title></head><body><center><h1>{} {reason}</h1></center><hr><center>nginx</center></body></html>",
            status.as_u16(),
            status.as_u16()
        ),
    )
        .into_response()
}

/// Empty bodies, `""` and `{}` all mean "no parameters" (protocol §3).
fn parse_body(raw: &[u8]) -> Result<Map<String, Value>, Ko> {
    let text = std::str::from_utf8(raw).map_err(|_| Ko::bad_param("body is not UTF-8"))?;
    let text = text.trim();
    if text.is_empty() || text == "\"\"" {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::String(s)) if s.is_empty() => Ok(Map::new()),
        Ok(_) => Err(Ko::new(
            StatusCode::BAD_REQUEST,
            "Invalid JSON: an object is expected",
            601,
        )),
        Err(_) => Err(Ko::new(StatusCode::BAD_REQUEST, "Invalid JSON", 601)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    UserInfo,
    UploadServer,
    GetToken,
    FileLs,
    FileInfo,
    FileScan,
    FileRm,
    FileMv,
    FileCp,
    FileRename,
    FileChattr,
    FolderLs,
    FolderMkdir,
    FolderRm,
    FolderMv,
    FolderShare,
    RemoteRequest,
    RemoteLs,
    RemoteInfo,
    FtpProcess,
    FtpUsersLs,
    FtpUsersAdd,
    FtpUsersRm,
}

impl Endpoint {
    pub(crate) fn from_path(p: &str) -> Option<Endpoint> {
        use Endpoint::*;
        Some(match p.trim_start_matches('/') {
            "user/info.cgi" => UserInfo,
            "upload/get_upload_server.cgi" => UploadServer,
            "download/get_token.cgi" => GetToken,
            "file/ls.cgi" => FileLs,
            "file/info.cgi" => FileInfo,
            "file/scan.cgi" => FileScan,
            "file/rm.cgi" => FileRm,
            "file/mv.cgi" => FileMv,
            "file/cp.cgi" => FileCp,
            "file/rename.cgi" => FileRename,
            "file/chattr.cgi" => FileChattr,
            "folder/ls.cgi" => FolderLs,
            "folder/mkdir.cgi" => FolderMkdir,
            "folder/rm.cgi" => FolderRm,
            "folder/mv.cgi" => FolderMv,
            "folder/share.cgi" => FolderShare,
            "remote/request.cgi" => RemoteRequest,
            "remote/ls.cgi" => RemoteLs,
            "remote/info.cgi" => RemoteInfo,
            "ftp/process.cgi" => FtpProcess,
            "ftp/users/ls.cgi" => FtpUsersLs,
            "ftp/users/add.cgi" => FtpUsersAdd,
            "ftp/users/rm.cgi" => FtpUsersRm,
            _ => return None,
        })
    }

    /// The per-endpoint rate rule a call falls under.
    fn rule(self, p: &Map<String, Value>) -> Result<Option<EndpointRule>, Ko> {
        Ok(match self {
            Endpoint::UserInfo => Some(EndpointRule::UserInfo),
            Endpoint::FileLs => match opt_int(p, "folder_id")?.unwrap_or(0) {
                -1 => Some(EndpointRule::AllFiles),
                id => Some(EndpointRule::Listing("file/ls", id)),
            },
            Endpoint::FolderLs => Some(EndpointRule::Listing(
                "folder/ls",
                opt_int(p, "folder_id")?.unwrap_or(0),
            )),
            _ => None,
        })
    }
}

async fn dispatch(
    st: &Arc<Inner>,
    kind: Endpoint,
    c: &Caller,
    p: &Map<String, Value>,
) -> Result<Value, Ko> {
    use Endpoint::*;
    match kind {
        UserInfo => user_info(st, c, p).await,
        UploadServer => unreachable!("answered before authentication"),
        GetToken => get_token(st, c, p),
        FileLs => file_ls(st, c, p).await,
        FileInfo => file_info(st, c, p).await,
        FileScan => file_scan(st, c, p),
        FileRm => file_rm(st, c, p),
        FileMv => file_mv(st, c, p),
        FileCp => file_cp(st, c, p),
        FileRename => file_rename(st, c, p),
        FileChattr => file_chattr(st, c, p),
        FolderLs => folder_ls(st, c, p).await,
        FolderMkdir => folder_mkdir(st, c, p),
        FolderRm => folder_rm(st, c, p),
        FolderMv => folder_mv(st, c, p),
        FolderShare => folder_share(st, c, p),
        RemoteRequest => crate::remote::request(st, c, p),
        RemoteLs => crate::remote::list(st, c),
        RemoteInfo => crate::remote::info(st, c, p),
        FtpProcess => Ok(json!({"status": "OK", "message": "FTP processing started"})),
        FtpUsersLs => ftp_users_ls(st, c),
        FtpUsersAdd => ftp_users_add(st, c, p),
        FtpUsersRm => ftp_users_rm(st, c, p),
    }
}

// ---- parameter helpers: tolerant of numbers sent as strings, as a Perl server is ----

pub(crate) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

pub(crate) fn opt_int(p: &Map<String, Value>, name: &str) -> Result<Option<i64>, Ko> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => as_int(v).map(Some).ok_or_else(|| Ko::bad_param(name)),
    }
}

pub(crate) fn opt_str(p: &Map<String, Value>, name: &str) -> Result<Option<String>, Ko> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(Ko::bad_param(name)),
    }
}

fn req_str(p: &Map<String, Value>, name: &str) -> Result<String, Ko> {
    opt_str(p, name)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Ko::bad_param(name))
}

pub(crate) fn str_list(p: &Map<String, Value>, name: &str) -> Result<Vec<String>, Ko> {
    match p.get(name) {
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Ko::bad_param(name))
            })
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => Ok(vec![s.clone()]),
        _ => Err(Ko::bad_param(name)),
    }
}

/// A non-empty array of objects, such as `files` of rm.cgi or `urls` of rename.cgi.
fn object_list(p: &Map<String, Value>, name: &str) -> Result<Vec<Value>, Ko> {
    match p.get(name) {
        Some(Value::Array(a)) if !a.is_empty() => Ok(a.clone()),
        _ => Err(Ko::bad_param(name)),
    }
}

/// A string field of one entry of `list`; its absence is a bad `list`.
fn entry_str<'v>(entry: &'v Value, field: &str, list: &str) -> Result<&'v str, Ko> {
    entry
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| Ko::bad_param(list))
}

fn flag(b: bool) -> Value {
    json!(b as i64)
}

// ---- shared lookups ----

fn file_url(st: &Inner, id: &str) -> String {
    format!("{}/?{id}", st.base_url)
}

/// Looks a file up by URL for an operation on one's own files.
fn own_file<'w>(w: &'w state::World, c: &Caller, url: &str) -> Result<&'w StoredFile, Ko> {
    let id = state::file_id_from_url(url).ok_or_else(Ko::not_found)?;
    let f = w.files.get(&id).ok_or_else(Ko::not_found)?;
    if f.owner != Some(c.account) {
        return Err(Ko::not_allowed());
    }
    Ok(f)
}

/// Checks that `c` may read file `f` with password `pass` (download, copy, info).
fn check_access(
    w: &state::World,
    c: &Caller,
    f: &StoredFile,
    pass: Option<&str>,
) -> Result<(), Ko> {
    if let Some(owner) = f.owner.and_then(|o| w.account(o))
        && owner.owner_locked
    {
        return Err(Ko::owner_locked());
    }
    if f.owner == Some(c.account) {
        return Ok(());
    }
    if let Some(expected) = &f.pass {
        match pass.filter(|p| !p.is_empty()) {
            None => {
                return Err(Ko::new(
                    StatusCode::FORBIDDEN,
                    "Password not provided. Resource not allowed",
                    631,
                ));
            }
            Some(p) if p != expected => {
                return Err(Ko::new(
                    StatusCode::FORBIDDEN,
                    "Invalid password. Resource not allowed",
                    631,
                ));
            }
            _ => {}
        }
    }
    let acl = &f.acl;
    let ip_ok = acl.ip.is_empty() || acl.ip.iter().any(|r| ip_in_cidr(c.ip, r));
    let email_ok =
        acl.email.is_empty() || acl.email.iter().any(|e| e.eq_ignore_ascii_case(&c.email));
    // Every caller of the emulator is taken to be in France.
    let country_ok =
        acl.country.is_empty() || acl.country.iter().any(|x| x.eq_ignore_ascii_case("FR"));
    let premium_ok = acl.premium == 0 || c.offer.is_customer();
    if ip_ok && email_ok && country_ok && premium_ok {
        Ok(())
    } else {
        Err(Ko::not_allowed())
    }
}

fn ip_in_cidr(ip: IpAddr, cidr: &str) -> bool {
    let (net, bits) = cidr.split_once('/').unwrap_or((cidr, "32"));
    match (ip, net.parse::<IpAddr>(), bits.parse::<u32>()) {
        (IpAddr::V4(a), Ok(IpAddr::V4(n)), Ok(b)) if b <= 32 => {
            let mask = if b == 0 { 0 } else { u32::MAX << (32 - b) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (a, Ok(n), _) => a == n,
        _ => false,
    }
}

fn ls_item(st: &Inner, f: &StoredFile, checksum: String) -> Value {
    json!({
        "url": file_url(st, &f.id),
        "filename": f.filename,
        "size": f.blob.size,
        "date": f.date,
        "checksum": checksum,
        "content-type": f.content_type,
        "pass": flag(f.pass.is_some()),
        "acl": flag(!f.acl.is_empty()),
        "cdn": f.cdn,
    })
}

/// Listing items with their checksums (computed, if need be, outside the lock).
async fn ls_items(st: &Inner, files: Vec<StoredFile>) -> Vec<Value> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let sum = f.blob.checksum().await;
        out.push(ls_item(st, &f, sum));
    }
    out
}

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

async fn user_info(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
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

fn get_token(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    if !c.offer.is_customer() {
        return Err(Ko::not_customer());
    }
    let pass = opt_str(p, "pass")?;
    let single = opt_int(p, "single")?.unwrap_or(0) != 0;
    let inline = opt_int(p, "inline")?.unwrap_or(0) != 0;
    let mut w = st.shared.world();
    let id = match (opt_int(p, "folder_id")?, opt_str(p, "filename")?) {
        // Groupware shares with hidden links: the URL is ignored.
        (Some(folder), Some(name)) if !name.is_empty() => w
            .files
            .values()
            .find(|f| f.folder_id == folder && f.filename == name && f.owner == Some(c.account))
            .map(|f| f.id.clone())
            .ok_or_else(Ko::not_found)?,
        _ => {
            let url = req_str(p, "url")?;
            state::file_id_from_url(&url).ok_or_else(Ko::not_found)?
        }
    };
    let f = w.files.get(&id).ok_or_else(Ko::not_found)?;
    check_access(&w, c, f, pass.as_deref())?;
    {
        let mut loc = st.last_location.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((ip, at)) = loc.get(&c.account)
            && *ip != c.ip
            && at.elapsed() < st.config.location_window
        {
            return Err(Ko::new(
                StatusCode::FORBIDDEN,
                "Only 1 location allowed at a time",
                887,
            ));
        }
        loc.insert(c.account, (c.ip, Instant::now()));
    }
    w.purge_expired(st.config.report_ttl);
    let code = loop {
        let letter = (b'a' + rand::random::<u8>() % 26) as char;
        let code = format!(
            "{letter}{}",
            100_000_000 + rand::random::<u32>() % 900_000_000
        );
        if !w.tokens.contains_key(&code) {
            break code;
        }
    };
    w.tokens.insert(
        code.clone(),
        state::Token {
            file_id: id,
            expires: crate::limits::later(Instant::now(), st.config.token_ttl),
            single,
            used: false,
            inline,
            ip: c.ip,
        },
    );
    Ok(json!({"status": "OK", "url": format!("{}/{code}", st.base_url)}))
}

async fn file_ls(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let folder = opt_int(p, "folder_id")?.unwrap_or(0);
    let before = opt_str(p, "sent_before")?.filter(|s| !s.is_empty());
    let after = opt_str(p, "sent_after")?.filter(|s| !s.is_empty());
    let files: Vec<StoredFile> = {
        let w = st.shared.world();
        if folder != -1 && !w.owns_folder(c.account, folder) {
            return Err(Ko::not_found());
        }
        w.files_in(c.account, (folder != -1).then_some(folder))
            .into_iter()
            .filter(|f| before.as_deref().is_none_or(|b| f.date.as_str() < b))
            .filter(|f| after.as_deref().is_none_or(|a| f.date.as_str() > a))
            .take(LISTING_CAP)
            .cloned()
            .collect()
    };
    let items = ls_items(st, files).await;
    Ok(json!({"status": "OK", "count": items.len(), "items": items}))
}

async fn file_info(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let pass = opt_str(p, "pass")?;
    let (f, path) = {
        let w = st.shared.world();
        let f = match (opt_int(p, "folder_id")?, opt_str(p, "filename")?) {
            (Some(folder), Some(name)) if !name.is_empty() => w
                .files
                .values()
                .find(|f| f.folder_id == folder && f.filename == name && f.owner == Some(c.account))
                .ok_or_else(Ko::not_found)?,
            _ => {
                let url = req_str(p, "url")?;
                let id = state::file_id_from_url(&url).ok_or_else(Ko::not_found)?;
                w.files.get(&id).ok_or_else(Ko::not_found)?
            }
        };
        check_access(&w, c, f, pass.as_deref())?;
        (f.clone(), w.folder_path(f.folder_id))
    };
    let checksum = f.blob.checksum().await;
    // The MIME key is spelt both ways until the real one is known (protocol §8).
    Ok(json!({
        "status": "OK",
        "url": file_url(st, &f.id),
        "filename": f.filename,
        "size": f.blob.size,
        "date": f.date,
        "folder_id": f.folder_id,
        "path": path,
        "checksum": checksum,
        "content-type": f.content_type,
        "content_type": f.content_type,
        "description": f.description,
        "pass": flag(f.pass.is_some()),
        "no_ssl": f.no_ssl,
        "inline": f.inline,
        "cdn": f.cdn,
        "acl": f.acl,
    }))
}

fn file_scan(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let url = req_str(p, "url")?;
    let mut w = st.shared.world();
    let id = own_file(&w, c, &url)?.id.clone();
    let f = w.files.get_mut(&id).ok_or_else(Ko::not_found)?;
    if f.blob.size >= SCAN_LIMIT {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "File too large to be scanned",
            668,
        ));
    }
    match &f.scanned_at {
        Some(date) => {
            Ok(json!({"status": "OK", "message": "No virus found (cached result)", "date": date}))
        }
        None => {
            f.scanned_at = Some(state::now_paris());
            Ok(json!({"status": "OK", "message": "No virus found"}))
        }
    }
}

fn file_rm(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let entries = object_list(p, "files")?;
    let mut w = st.shared.world();
    let mut removed = Vec::new();
    for e in entries {
        let url = entry_str(&e, "url", "files")?;
        let code = e.get("code").and_then(Value::as_str).unwrap_or("");
        let Some(id) = state::file_id_from_url(url) else {
            continue;
        };
        let Some(f) = w.files.get(&id) else { continue };
        let mine = f.owner == Some(c.account);
        let anonymous_ok = f.owner.is_none() && !code.is_empty() && code == f.remove_code;
        if mine || anonymous_ok {
            w.remove_file(&id);
            removed.push(url.to_string());
        }
    }
    if removed.is_empty() {
        return Err(Ko::not_found());
    }
    Ok(json!({"status": "OK", "removed": removed.len(), "urls": removed}))
}

fn file_mv(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let urls = str_list(p, "urls")?;
    let dest = opt_int(p, "destination_folder_id")?
        .ok_or_else(|| Ko::bad_param("destination_folder_id"))?;
    let rename = opt_str(p, "rename")?.filter(|s| !s.is_empty());
    if rename.is_some() && urls.len() != 1 {
        return Err(Ko::bad_param("rename (only with one URL)"));
    }
    if let Some(n) = &rename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, dest) {
        return Err(Ko::not_found());
    }
    let ids: Vec<String> = urls
        .iter()
        .map(|u| own_file(&w, c, u).map(|f| f.id.clone()))
        .collect::<Result<_, _>>()?;
    if let Some(n) = &rename
        && w.files[&ids[0]].filename == *n
    {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Destination name is the same as the source",
            683,
        ));
    }
    for id in &ids {
        let f = w.files.get_mut(id).expect("checked above");
        f.folder_id = dest;
        if let Some(n) = &rename {
            f.filename = n.clone();
        }
    }
    let mut out = json!({"status": "OK", "moved": ids.len(), "urls": urls});
    if let Some(n) = rename {
        out["filename"] = json!(n);
    }
    Ok(out)
}

fn file_cp(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let urls = str_list(p, "urls")?;
    let dest = opt_int(p, "folder_id")?.unwrap_or(0);
    let pass = opt_str(p, "pass")?;
    let rename = opt_str(p, "rename")?.filter(|s| !s.is_empty());
    if rename.is_some() && urls.len() != 1 {
        return Err(Ko::bad_param("rename (only with one URL)"));
    }
    if let Some(n) = &rename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, dest) {
        return Err(Ko::not_found());
    }
    let mut sources = Vec::new();
    for u in &urls {
        let id = state::file_id_from_url(u).ok_or_else(Ko::not_found)?;
        let f = w.files.get(&id).ok_or_else(Ko::not_found)?;
        check_access(&w, c, f, pass.as_deref())?;
        sources.push((u.clone(), f.clone()));
    }
    let mut pairs = Vec::new();
    for (from, src) in sources {
        let id = w.new_file_id();
        let copy = StoredFile {
            id: id.clone(),
            owner: Some(c.account),
            folder_id: dest,
            filename: rename.clone().unwrap_or(src.filename.clone()),
            date: state::now_paris(),
            pass: None,
            description: String::new(),
            acl: Acl::default(),
            remove_code: String::new(),
            scanned_at: None,
            ..src
        };
        w.insert_file(copy);
        pairs.push(json!({"from_url": from, "to_url": file_url(st, &id)}));
    }
    let mut out = json!({"status": "OK", "copied": pairs.len(), "urls": pairs});
    if let Some(n) = rename {
        out["filename"] = json!(n);
    }
    Ok(out)
}

fn file_rename(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let entries = object_list(p, "urls")?;
    let mut w = st.shared.world();
    let mut done = Vec::new();
    for e in entries {
        let url = entry_str(&e, "url", "urls")?;
        let name = entry_str(&e, "filename", "urls")?;
        state::check_name(name).map_err(Ko::bad_name)?;
        let Ok(f) = own_file(&w, c, url) else {
            continue;
        };
        if f.filename == name {
            continue;
        }
        let id = f.id.clone();
        let f = w.files.get_mut(&id).expect("found above");
        let old = std::mem::replace(&mut f.filename, name.to_string());
        done.push(json!({"url": url, "old_filename": old, "new_filename": name}));
    }
    if done.is_empty() {
        // Reported with HTTP 200, as the real service appears to (protocol §3).
        return Err(Ko::new(StatusCode::OK, "No file has been renamed", 312));
    }
    Ok(json!({"status": "OK", "renamed": done.len(), "urls": done}))
}

fn file_chattr(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let urls = str_list(p, "urls")?;
    let filename = opt_str(p, "filename")?.filter(|s| !s.is_empty());
    if filename.is_some() && urls.len() != 1 {
        return Err(Ko::bad_param("filename (only with one URL)"));
    }
    if let Some(n) = &filename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    let description = opt_str(p, "description")?;
    let pass = opt_str(p, "pass")?;
    if let Some(pw) = &pass
        && !pw.is_empty()
        && pw.chars().count() < 6
    {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Password must be at least 6 characters",
            664,
        ));
    }
    let no_ssl = opt_int(p, "no_ssl")?;
    let inline = opt_int(p, "inline")?;
    let cdn = opt_int(p, "cdn")?;
    let acl = match p.get("acl") {
        None | Some(Value::Null) => None,
        Some(v) => {
            Some(serde_json::from_value::<Acl>(v.clone()).map_err(|_| Ko::bad_param("acl"))?)
        }
    };
    let mut w = st.shared.world();
    let ids: Vec<String> = urls
        .iter()
        .map(|u| own_file(&w, c, u).map(|f| f.id.clone()))
        .collect::<Result<_, _>>()?;
    for id in &ids {
        let f = w.files.get_mut(id).expect("checked above");
        if let Some(n) = &filename {
            f.filename = n.clone();
        }
        if let Some(d) = &description {
            f.description = d.clone();
        }
        if let Some(pw) = &pass {
            f.pass = (!pw.is_empty()).then(|| pw.clone());
        }
        if let Some(v) = no_ssl {
            f.no_ssl = (v != 0) as i64;
        }
        if let Some(v) = inline {
            f.inline = (v != 0) as i64;
        }
        if let Some(v) = cdn {
            f.cdn = (v != 0) as i64;
        }
        if let Some(a) = &acl {
            f.acl = a.clone();
        }
    }
    Ok(json!({"status": "OK", "updated": ids.len(), "urls": urls}))
}

fn share_url(st: &Inner, code: &str) -> String {
    format!("{}/dir/{code}", st.base_url)
}

async fn folder_ls(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.unwrap_or(0);
    let with_files = opt_int(p, "files")?.unwrap_or(0) != 0;
    let (mut out, files) = {
        let w = st.shared.world();
        if !w.owns_folder(c.account, id) {
            return Err(Ko::not_found());
        }
        let own_files = w.files_in(c.account, Some(id));
        let size: u64 = own_files.iter().map(|f| f.blob.size).sum();
        let count = own_files.len();
        let subs: Vec<Value> = w
            .sub_folders(c.account, id)
            .into_iter()
            .take(LISTING_CAP)
            .map(|f| {
                json!({
                    "id": f.id,
                    "name": f.name,
                    "create_date": f.create_date,
                    "pass": flag(f.share_pass.is_some()),
                })
            })
            .collect();
        let (name, create_date, shared, pass) = match w.folders.get(&id) {
            Some(f) => (
                f.name.clone(),
                f.create_date.clone(),
                f.share_code
                    .as_deref()
                    .map(|c| share_url(st, c))
                    .unwrap_or_default(),
                f.share_pass.is_some(),
            ),
            None => (
                String::new(),
                "2020-01-01 00:00:00".to_string(),
                String::new(),
                false,
            ),
        };
        let out = json!({
            "status": "OK",
            "folder_id": id,
            "name": name,
            "create_date": create_date,
            "pass": flag(pass),
            "shared": shared,
            "size": size,
            "files": count,
            "sub_folders": subs,
        });
        let files: Vec<StoredFile> = if with_files {
            own_files.into_iter().take(LISTING_CAP).cloned().collect()
        } else {
            Vec::new()
        };
        (out, files)
    };
    if with_files {
        out["items"] = Value::Array(ls_items(st, files).await);
    }
    Ok(out)
}

fn folder_mkdir(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let name = req_str(p, "name")?;
    state::check_name(&name).map_err(Ko::bad_name)?;
    let parent = opt_int(p, "folder_id")?.unwrap_or(0);
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, parent) {
        return Err(Ko::not_found());
    }
    if w.folder_name_taken(c.account, parent, &name) {
        return Err(Ko::new(StatusCode::FORBIDDEN, "Folder already exists", 647));
    }
    let id = w.mkdir(c.account, parent, &name);
    Ok(json!({"status": "OK", "folder_id": id, "name": name}))
}

fn folder_rm(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.ok_or_else(|| Ko::bad_param("folder_id"))?;
    let mut w = st.shared.world();
    if id == 0 {
        return Err(Ko::not_allowed());
    }
    if !w.owns_folder(c.account, id) {
        return Err(Ko::not_found());
    }
    if !w.sub_folders(c.account, id).is_empty() || !w.files_in(c.account, Some(id)).is_empty() {
        return Err(Ko::new(StatusCode::FORBIDDEN, "Folder is not empty", 648));
    }
    w.folders.remove(&id);
    Ok(json!({"status": "OK", "message": "Folder removed"}))
}

fn folder_mv(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.ok_or_else(|| Ko::bad_param("folder_id"))?;
    let dest = opt_int(p, "destination_folder_id")?;
    let rename = opt_str(p, "rename")?.filter(|s| !s.is_empty());
    if let Some(n) = &rename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    let mut w = st.shared.world();
    if id == 0 {
        return Err(Ko::not_allowed());
    }
    if !w.owns_folder(c.account, id) {
        return Err(Ko::not_found());
    }
    let current = w.folders[&id].clone();
    // Both fields: move and rename in one step (our choice; see the README).
    let target_parent = dest.unwrap_or(current.parent.unwrap_or(0));
    if !w.owns_folder(c.account, target_parent) {
        return Err(Ko::not_found());
    }
    if w.is_descendant(target_parent, id) {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Cannot move a folder into itself",
            652,
        ));
    }
    let new_name = rename.unwrap_or(current.name.clone());
    if Some(target_parent) == current.parent && new_name == current.name {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Destination name is the same as the source",
            683,
        ));
    }
    if w.folder_name_taken(c.account, target_parent, &new_name) {
        return Err(Ko::new(StatusCode::FORBIDDEN, "Folder already exists", 647));
    }
    let f = w.folders.get_mut(&id).expect("owned");
    f.parent = Some(target_parent);
    f.name = new_name.clone();
    Ok(
        json!({"status": "OK", "message": "Folder moved", "old_name": current.name, "new_name": new_name}),
    )
}

fn folder_share(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.ok_or_else(|| Ko::bad_param("folder_id"))?;
    let share = opt_int(p, "share")?;
    let pass = opt_str(p, "pass")?.filter(|s| !s.is_empty());
    if let Some(pw) = &pass
        && pw.chars().count() < 6
    {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Password must be at least 6 characters",
            664,
        ));
    }
    let shares = match p.get("shares") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => {
            for s in a {
                if s.get("email").and_then(Value::as_str).is_none() {
                    return Err(Ko::bad_param("shares"));
                }
            }
            Some(a.clone())
        }
        Some(_) => return Err(Ko::bad_param("shares")),
    };
    let mut w = st.shared.world();
    if id == 0 || !w.owns_folder(c.account, id) {
        return Err(Ko::not_found());
    }
    let f = w.folders.get_mut(&id).expect("owned");
    if let Some(s) = shares {
        f.groupware = s;
    }
    match share {
        Some(0) => {
            f.share_code = None;
            f.share_pass = None;
            Ok(json!({"status": "OK", "url": "", "message": "Public sharing disabled"}))
        }
        Some(_) => {
            let code = f
                .share_code
                .get_or_insert_with(|| state::random_lower(10))
                .clone();
            f.share_pass = pass;
            Ok(json!({"status": "OK", "url": share_url(st, &code), "message": "Folder shared"}))
        }
        None => {
            let url = f
                .share_code
                .as_deref()
                .map(|c| share_url(st, c))
                .unwrap_or_default();
            Ok(json!({"status": "OK", "url": url, "message": "Sharing updated"}))
        }
    }
}

fn ftp_users_ls(st: &Inner, c: &Caller) -> Result<Value, Ko> {
    let w = st.shared.world();
    let users = w.ftp_users.get(&c.account).cloned().unwrap_or_default();
    Ok(json!({"status": "OK", "count": users.len(), "items": users}))
}

fn ftp_users_add(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
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

fn ftp_users_rm(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
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

/// Stores a finished upload or fetch as a file of `owner` (or anonymous).
pub(crate) fn new_stored_file(
    w: &state::World,
    owner: Option<AccountId>,
    folder_id: i64,
    filename: String,
    blob: Arc<Blob>,
    pass: Option<String>,
) -> StoredFile {
    StoredFile {
        id: w.new_file_id(),
        owner,
        folder_id,
        content_type: state::content_type_for(&filename).to_string(),
        filename,
        date: state::now_paris(),
        blob,
        pass,
        description: String::new(),
        no_ssl: 0,
        inline: 0,
        cdn: 0,
        acl: Acl::default(),
        remove_code: if owner.is_none() {
            state::random_alnum(10)
        } else {
            String::new()
        },
        scanned_at: None,
    }
}
