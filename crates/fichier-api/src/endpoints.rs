//! Every API v1 endpoint (protocol §2, rows 1–25), as typed methods.

use std::time::Duration;

use serde_json::{Value, json};

use crate::cache::Cached;
use crate::client::{Endpoint, FichierClient, Retry, decode};
use crate::error::ApiError;
use crate::key::Password;
use crate::pacer::Rule;
use crate::types::*;

const USER_INFO: Endpoint = Endpoint::read("user/info.cgi");
const USER_SETTINGS: Endpoint = Endpoint::write("user/info.cgi");
const GET_UPLOAD_SERVER: Endpoint = Endpoint {
    path: "upload/get_upload_server.cgi",
    get: true,
    retry: Retry::Idempotent,
    needs_key: false,
};
const GET_TOKEN: Endpoint = Endpoint::read("download/get_token.cgi");
const FILE_LS: Endpoint = Endpoint::read("file/ls.cgi");
const FILE_INFO: Endpoint = Endpoint::read("file/info.cgi");
// A scan is answered from 1fichier's 6-hour cache when repeated: safe to repeat.
const FILE_SCAN: Endpoint = Endpoint::read("file/scan.cgi");
const FILE_RM: Endpoint = Endpoint::write("file/rm.cgi");
const FILE_MV: Endpoint = Endpoint::write("file/mv.cgi");
const FILE_CP: Endpoint = Endpoint::write("file/cp.cgi");
const FILE_RENAME: Endpoint = Endpoint::write("file/rename.cgi");
const FILE_CHATTR: Endpoint = Endpoint::write("file/chattr.cgi");
const FOLDER_LS: Endpoint = Endpoint::read("folder/ls.cgi");
const FOLDER_MKDIR: Endpoint = Endpoint::write("folder/mkdir.cgi");
const FOLDER_RM: Endpoint = Endpoint::write("folder/rm.cgi");
const FOLDER_MV: Endpoint = Endpoint::write("folder/mv.cgi");
const FOLDER_SHARE: Endpoint = Endpoint::write("folder/share.cgi");
const REMOTE_REQUEST: Endpoint = Endpoint::write("remote/request.cgi");
const REMOTE_LS: Endpoint = Endpoint::read("remote/ls.cgi");
const REMOTE_INFO: Endpoint = Endpoint::read("remote/info.cgi");
const FTP_PROCESS: Endpoint = Endpoint::write("ftp/process.cgi");
const FTP_USERS_LS: Endpoint = Endpoint::read("ftp/users/ls.cgi");
const FTP_USERS_ADD: Endpoint = Endpoint::write("ftp/users/add.cgi");
const FTP_USERS_RM: Endpoint = Endpoint::write("ftp/users/rm.cgi");

fn invalid(reason: &str) -> ApiError {
    ApiError::InvalidRequest {
        reason: reason.to_string(),
    }
}

fn is_virus_verdict(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("virus") || t.contains("infect") || t.contains("malware")
}

/// How long the FTP accounts' list is reused (it changes only when the user changes it,
/// here or on the website).
pub const FTP_USERS_TTL: std::time::Duration = std::time::Duration::from_secs(300);

fn fresh<T>(value: T) -> Cached<T> {
    Cached {
        value,
        from_cache: false,
        age: std::time::Duration::ZERO,
    }
}

impl FichierClient {
    // ------------------------------------------------------------ account

    /// Account information, from the cache when it is younger than 5 minutes (1fichier
    /// allows about one `user/info` call per 5 minutes).
    pub async fn user_info(&self) -> Result<Cached<UserInfo>, ApiError> {
        let ttl = self.pacer().config().user_info_interval;
        if let Some(hit) = self.account.user_info(ttl) {
            return Ok(hit);
        }
        self.user_info_fresh().await.map(fresh)
    }

    /// Asks 1fichier even if a cached answer exists (still at most one call per interval:
    /// this may wait).
    pub async fn user_info_fresh(&self) -> Result<UserInfo, ApiError> {
        let info: UserInfo = self
            .call(USER_INFO, &json!({}), Some(Rule::UserInfo))
            .await?;
        self.account
            .cache()
            .put_user_info(self.pacer().now(), info.clone());
        self.account.share_user_info();
        Ok(info)
    }

    /// How long an account call (`user/info`, which also changes settings) would wait now
    /// for 1fichier's one-per-5-minutes rule.
    pub fn account_call_wait(&self) -> std::time::Duration {
        self.pacer().rule_wait(&Rule::UserInfo)
    }

    /// Changes account settings through `user/info.cgi`. The cached account information is
    /// updated with the new values.
    pub async fn update_settings(&self, settings: &UserSettings) -> Result<Done, ApiError> {
        if settings.is_empty() {
            return Err(invalid("no setting to change"));
        }
        let value = self
            .call_value(USER_SETTINGS, settings, Some(Rule::UserInfo))
            .await?;
        // The answer is the account information with the new values: it refreshes the
        // cache. If it isn't, the cached copy is patched instead.
        match serde_json::from_value::<UserInfo>(value.clone()) {
            Ok(info) if !info.email.is_empty() => {
                self.account.cache().put_user_info(self.pacer().now(), info);
            }
            _ => self.account.cache().on_user_settings(settings),
        }
        self.account.share_user_info();
        decode(USER_SETTINGS.path, value)
    }

    // ------------------------------------------------------------ upload / download

    /// Picks an upload node and an upload id.
    pub async fn get_upload_server(&self) -> Result<UploadServer, ApiError> {
        self.call(GET_UPLOAD_SERVER, &json!({}), None).await
    }

    /// A one-time download URL for a file (valid about 5 minutes).
    pub async fn get_token(&self, req: &GetTokenRequest) -> Result<DownloadToken, ApiError> {
        if req.url.is_empty() && req.filename.is_none() {
            return Err(invalid("a download needs the file's URL"));
        }
        self.call(GET_TOKEN, req, None).await
    }

    // ------------------------------------------------------------ files

    /// Lists the files of a folder (or of the whole account with `folder_id: -1`), from the
    /// cache when the same listing is younger than 30 s (1 hour for the whole account).
    pub async fn list_files(&self, req: &FileLsRequest) -> Result<Cached<FileList>, ApiError> {
        let ttl = self.file_ls_ttl(req);
        if let Some(hit) = self.account.cache().files(req, self.pacer().now(), ttl) {
            return Ok(hit);
        }
        self.list_files_fresh(req).await.map(fresh)
    }

    /// The cached listing of a folder however old it is, with its age; no call is made.
    /// What a server answering many clients serves while it refreshes in the background.
    pub fn cached_folder(&self, req: &FolderLsRequest) -> Option<Cached<FolderListing>> {
        self.account
            .cache()
            .folder(req, self.pacer().now(), Duration::MAX)
    }

    /// Lists without using the cache (still at most one call per folder per interval).
    pub async fn list_files_fresh(&self, req: &FileLsRequest) -> Result<FileList, ApiError> {
        let rule = if req.folder_id == -1 {
            Rule::AllFiles
        } else {
            Rule::Listing("file/ls.cgi", req.folder_id)
        };
        let list: FileList = self.call(FILE_LS, req, Some(rule)).await?;
        self.account
            .cache()
            .put_files(req, self.pacer().now(), list.clone());
        Ok(list)
    }

    fn file_ls_ttl(&self, req: &FileLsRequest) -> std::time::Duration {
        let c = self.pacer().config();
        if req.folder_id == -1 {
            c.all_files_interval
        } else {
            c.listing_interval
        }
    }

    pub async fn file_info(&self, req: &FileInfoRequest) -> Result<FileInfo, ApiError> {
        self.call(FILE_INFO, req, None).await
    }

    /// What a cached listing already says about `url` (name, size, Whirlpool, folder), so
    /// a download of a file just listed costs no `file/info` call. `None` when no listing
    /// has it, when it has no Whirlpool, or when it is password-protected (then
    /// `file/info` checks the password first).
    pub fn known_file_info(&self, url: &str) -> Option<FileInfo> {
        let (item, folder) = self.account.cache().known_file(url)?;
        if item.pass || item.checksum.is_none() {
            return None;
        }
        Some(FileInfo {
            url: item.url,
            filename: item.filename,
            size: item.size,
            date: item.date,
            folder_id: Some(folder),
            path: None,
            checksum: item.checksum,
            content_type: item.content_type,
            description: None,
            pass: false,
            no_ssl: false,
            inline: false,
            cdn: item.cdn,
            acl: Default::default(),
        })
    }

    /// Antivirus scan. A KO that reports a virus is the scan's verdict (`clean: false`);
    /// any other KO is an error.
    pub async fn scan_file(&self, url: &str) -> Result<ScanResult, ApiError> {
        let v = self
            .call_value(FILE_SCAN, &json!({ "url": url }), None)
            .await;
        match v {
            Ok(v) => Ok(ScanResult {
                clean: true,
                message: v.get("message").and_then(Value::as_str).map(str::to_string),
                date: v.get("date").and_then(Value::as_str).map(str::to_string),
            }),
            Err(ApiError::Refused { ko }) if is_virus_verdict(&ko.text) => Ok(ScanResult {
                clean: false,
                message: Some(ko.text),
                date: None,
            }),
            Err(e) => Err(e),
        }
    }

    /// Deletes files. Not repeated after an uncertain failure.
    pub async fn remove_files(&self, files: &[FileToRemove]) -> Result<Removed, ApiError> {
        if files.is_empty() {
            return Err(invalid("no file to delete"));
        }
        let removed: Removed = self.call(FILE_RM, &FileRmRequest { files }, None).await?;
        let urls: Vec<String> = files.iter().map(|f| f.url.clone()).collect();
        self.account.cache().on_files_removed(&urls);
        Ok(removed)
    }

    /// Moves files to another folder, optionally renaming one file.
    pub async fn move_files(&self, req: &FileMvRequest) -> Result<Moved, ApiError> {
        if req.urls.is_empty() {
            return Err(invalid("no file to move"));
        }
        if req.rename.is_some() && req.urls.len() != 1 {
            return Err(invalid("a new name can be given only when moving one file"));
        }
        let moved: Moved = self.call(FILE_MV, req, None).await?;
        self.account.cache().on_files_moved(
            &req.urls,
            req.destination_folder_id,
            req.rename.as_deref(),
        );
        Ok(moved)
    }

    /// Copies files (also other users' public files) into a folder.
    pub async fn copy_files(&self, req: &FileCpRequest) -> Result<Copied, ApiError> {
        if req.urls.is_empty() {
            return Err(invalid("no file to copy"));
        }
        if req.rename.is_some() && req.urls.len() != 1 {
            return Err(invalid(
                "a new name can be given only when copying one file",
            ));
        }
        let copied: Copied = self.call(FILE_CP, req, None).await?;
        self.account
            .cache()
            .on_files_copied(&copied, req.folder_id, req.rename.as_deref());
        Ok(copied)
    }

    /// Renames files in place.
    pub async fn rename_files(&self, renames: &[RenameEntry]) -> Result<Renamed, ApiError> {
        if renames.is_empty() {
            return Err(invalid("no file to rename"));
        }
        let renamed: Renamed = self
            .call(FILE_RENAME, &FileRenameRequest { urls: renames }, None)
            .await?;
        let pairs: Vec<(String, String)> = renames
            .iter()
            .map(|r| (r.url.clone(), r.filename.clone()))
            .collect();
        self.account.cache().on_files_renamed(&pairs);
        Ok(renamed)
    }

    /// Changes file attributes (name, description, password, ACL, flags).
    pub async fn change_attributes(&self, req: &ChattrRequest) -> Result<Updated, ApiError> {
        if req.urls.is_empty() {
            return Err(invalid("no file to change"));
        }
        if req.filename.is_some() && req.urls.len() != 1 {
            return Err(invalid("a new name can be given only for one file"));
        }
        let updated: Updated = self.call(FILE_CHATTR, req, None).await?;
        self.account.cache().on_attributes_changed(req);
        Ok(updated)
    }

    // ------------------------------------------------------------ folders

    /// A folder, its sub-folders and (with `files`) its files, from the cache when the same
    /// listing is younger than 30 s.
    pub async fn list_folder(
        &self,
        req: &FolderLsRequest,
    ) -> Result<Cached<FolderListing>, ApiError> {
        let ttl = self.pacer().config().listing_interval;
        if let Some(hit) = self.account.cache().folder(req, self.pacer().now(), ttl) {
            return Ok(hit);
        }
        self.list_folder_fresh(req).await.map(fresh)
    }

    /// Lists without using the cache (still at most one call per folder per interval).
    pub async fn list_folder_fresh(
        &self,
        req: &FolderLsRequest,
    ) -> Result<FolderListing, ApiError> {
        let rule = Rule::Listing("folder/ls.cgi", req.folder_id);
        let listing: FolderListing = self.call(FOLDER_LS, req, Some(rule)).await?;
        self.account
            .cache()
            .put_folder(req, self.pacer().now(), listing.clone());
        Ok(listing)
    }

    /// Creates a folder in `parent` (0 = root).
    pub async fn create_folder(&self, parent: i64, name: &str) -> Result<CreatedFolder, ApiError> {
        self.mkdir(&MkdirRequest {
            name: name.to_string(),
            folder_id: parent,
            sharing_user: None,
        })
        .await
    }

    pub async fn mkdir(&self, req: &MkdirRequest) -> Result<CreatedFolder, ApiError> {
        if req.name.trim().is_empty() {
            return Err(invalid("a folder needs a name"));
        }
        let created: CreatedFolder = self.call(FOLDER_MKDIR, req, None).await?;
        self.account
            .cache()
            .on_folder_created(req.folder_id, &created, &req.name);
        Ok(created)
    }

    /// Deletes an empty folder.
    pub async fn remove_folder(&self, folder_id: i64) -> Result<Done, ApiError> {
        if folder_id <= 0 {
            return Err(invalid("the root folder can't be deleted"));
        }
        let done: Done = self
            .call(FOLDER_RM, &json!({ "folder_id": folder_id }), None)
            .await?;
        self.account.cache().on_folder_removed(folder_id);
        Ok(done)
    }

    /// Moves and/or renames a folder.
    pub async fn move_folder(&self, req: &FolderMvRequest) -> Result<FolderMoved, ApiError> {
        if req.destination_folder_id.is_none() && req.rename.is_none() {
            return Err(invalid(
                "nothing to change: give a destination or a new name",
            ));
        }
        let moved: FolderMoved = self.call(FOLDER_MV, req, None).await?;
        self.account.cache().on_folder_moved(req, &moved);
        Ok(moved)
    }

    /// Public and groupware sharing of a folder.
    pub async fn share_folder(&self, req: &ShareRequest) -> Result<Shared, ApiError> {
        let shared: Shared = self.call(FOLDER_SHARE, req, None).await?;
        if req.share.is_some() {
            let on = req.share == Some(true);
            let url = if on { shared.url.clone() } else { None };
            // Each share call sets the password: none given means none.
            let pass = on
                && req
                    .pass
                    .as_ref()
                    .is_some_and(|p| !p.expose_secret().is_empty());
            self.account
                .cache()
                .on_folder_shared(req.folder_id, url, pass);
        }
        Ok(shared)
    }

    // ------------------------------------------------------------ remote upload

    /// Asks 1fichier to fetch URLs into the account.
    pub async fn remote_request(&self, req: &RemoteRequest) -> Result<RemoteJobCreated, ApiError> {
        if req.urls.is_empty() {
            return Err(invalid("no URL to fetch"));
        }
        self.call(REMOTE_REQUEST, req, None).await
    }

    pub async fn remote_jobs(&self) -> Result<RemoteJobs, ApiError> {
        self.call(REMOTE_LS, &json!({}), None).await
    }

    pub async fn remote_job(&self, id: i64) -> Result<RemoteJobInfo, ApiError> {
        self.call(REMOTE_INFO, &json!({ "id": id }), None).await
    }

    // ------------------------------------------------------------ FTP

    /// Processes files uploaded by FTP.
    pub async fn ftp_process(&self) -> Result<Done, ApiError> {
        self.call(FTP_PROCESS, &json!({}), None).await
    }

    /// FTP sub-accounts, from a cache younger than 5 minutes when there is one (our own
    /// additions and removals are folded into it). The answer's shape is unpublished: the
    /// list is taken from the first of `users`, `items`, `data`, `list` that is present, or
    /// the answer itself.
    pub async fn ftp_users(&self) -> Result<Cached<Vec<FtpUser>>, ApiError> {
        if let Some(hit) = self
            .account
            .cache()
            .ftp_users(self.pacer().now(), FTP_USERS_TTL)
        {
            return Ok(hit);
        }
        let v = self.call_value(FTP_USERS_LS, &json!({}), None).await?;
        let list = match &v {
            Value::Array(_) => v,
            Value::Object(m) => ["users", "items", "data", "list"]
                .iter()
                .find_map(|k| m.get(*k).cloned())
                .unwrap_or(Value::Array(Vec::new())),
            _ => Value::Array(Vec::new()),
        };
        let list = match list {
            Value::Null => Value::Array(Vec::new()),
            other => other,
        };
        let users: Vec<FtpUser> = decode(FTP_USERS_LS.path, list)?;
        self.account
            .cache()
            .put_ftp_users(self.pacer().now(), users.clone());
        Ok(fresh(users))
    }

    pub async fn ftp_user_add(
        &self,
        user: &str,
        pass: Password,
        folder_id: i64,
    ) -> Result<Done, ApiError> {
        if user.trim().is_empty() {
            return Err(invalid("an FTP account needs a user name"));
        }
        let req = FtpUserAdd {
            user: user.to_string(),
            pass,
            folder_id,
        };
        let done = self.call(FTP_USERS_ADD, &req, None).await?;
        let added = FtpUser {
            user: user.to_string(),
            folder_id: Some(folder_id),
        };
        self.account.cache().on_ftp_change(Some(added), None);
        Ok(done)
    }

    pub async fn ftp_user_remove(&self, user: &str) -> Result<Done, ApiError> {
        let done = self.call(FTP_USERS_RM, &FtpUserRm { user }, None).await?;
        self.account.cache().on_ftp_change(None, Some(user));
        Ok(done)
    }
}
