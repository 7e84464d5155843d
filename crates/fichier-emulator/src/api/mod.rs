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
use crate::params::*;
use crate::state::{self, Acl, StoredFile};
use crate::{AppState, Inner, bearer, client_ip};

/// Largest JSON body accepted by the API host.
const MAX_API_BODY: usize = 1 << 20;
/// file/scan refuses files at or over 5 GB.
const SCAN_LIMIT: u64 = 5_000_000_000;
/// Listings stop at 5000 results.
const LISTING_CAP: usize = 5000;

mod account;
mod files;
mod folders;

use account::*;
use files::*;
use folders::*;

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
