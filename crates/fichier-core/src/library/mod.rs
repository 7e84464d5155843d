//! Browsing one account: folders and files shaped for the window, and the operations a
//! file manager offers on them. Names that 1fichier forbids are encoded on the way out
//! and decoded on the way back, so the user only ever sees their own names.

use std::time::Duration;

use fichier_api::types::{
    ChattrRequest, FileCpRequest, FileInfoRequest, FileLsRequest, FileMvRequest, FileToRemove,
    FolderLsRequest, FolderMvRequest, GetTokenRequest, RenameEntry, ShareRequest,
};
use fichier_api::{ApiError, FichierClient, Password};

use crate::names::{check_name, encode_name};

mod targets;
mod view;

pub use targets::{CopiedFile, MoveReport, RemoveReport, Target, TreeNode};
pub use view::{
    DownloadLink, FileAttributes, FileDetails, FileEntry, FolderInfo, FolderView, OfferName,
    ShareResult, SubFolderEntry,
};
use view::{file_details, file_entry, folder_view};

/// Shortest password for a file or a share (an empty one removes the password).
pub const MIN_PASSWORD_CHARS: usize = 6;

/// A password for a file or a share: empty (no password) or at least
/// [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(password: Option<&str>, what: &str) -> Result<(), ApiError> {
    match password {
        Some(p) if !p.is_empty() && p.chars().count() < MIN_PASSWORD_CHARS => {
            Err(ApiError::InvalidRequest {
                reason: format!("a {what} password needs at least {MIN_PASSWORD_CHARS} characters"),
            })
        }
        _ => Ok(()),
    }
}

/// How long a direct download link stays valid (1fichier: about 5 minutes).
pub const DOWNLOAD_LINK_LIFETIME: Duration = Duration::from_secs(300);

/// The browsing service of one account.
#[derive(Clone)]
pub struct Library {
    client: FichierClient,
}

impl Library {
    pub fn new(client: FichierClient) -> Library {
        Library { client }
    }

    pub fn client(&self) -> &FichierClient {
        &self.client
    }

    /// The folder's sub-folders and files. 1fichier allows one listing per folder per 30 s:
    /// a younger listing comes from the cache (patched with our own changes), and the
    /// answer says so.
    pub async fn list_folder(&self, folder_id: i64) -> Result<FolderView, ApiError> {
        let req = FolderLsRequest {
            folder_id,
            files: true,
            ..FolderLsRequest::default()
        };
        let cached = self.client.list_folder(&req).await?;
        Ok(folder_view(cached))
    }

    /// The folder as last listed, however long ago, without a call (`None` when it was
    /// never listed or the cache has let it go).
    pub fn cached_folder(&self, folder_id: i64) -> Option<FolderView> {
        let req = FolderLsRequest {
            folder_id,
            files: true,
            ..FolderLsRequest::default()
        };
        self.client.cached_folder(&req).map(folder_view)
    }

    /// Lists the folder again, ignoring the cache (still one listing per 30 s per folder).
    pub async fn refresh_folder(&self, folder_id: i64) -> Result<FolderView, ApiError> {
        let req = FolderLsRequest {
            folder_id,
            files: true,
            ..FolderLsRequest::default()
        };
        let l = self.client.list_folder_fresh(&req).await?;
        Ok(folder_view(fichier_api::Cached {
            value: l,
            from_cache: false,
            age: Duration::ZERO,
        }))
    }

    pub async fn create_folder(
        &self,
        parent_id: i64,
        name: &str,
    ) -> Result<SubFolderEntry, ApiError> {
        let name = check_name(name)?;
        let created = self
            .client
            .create_folder(parent_id, &encode_name(name))
            .await?;
        Ok(SubFolderEntry {
            id: created.folder_id,
            name: name.to_string(),
            create_date: String::new(),
            pass: false,
        })
    }

    pub async fn rename_folder(&self, folder_id: i64, name: &str) -> Result<(), ApiError> {
        let name = check_name(name)?;
        let req = FolderMvRequest {
            folder_id,
            rename: Some(encode_name(name)),
            ..FolderMvRequest::default()
        };
        self.client.move_folder(&req).await.map(|_| ())
    }

    pub async fn move_folder(&self, folder_id: i64, destination_id: i64) -> Result<(), ApiError> {
        if folder_id == destination_id {
            return Err(ApiError::InvalidRequest {
                reason: "a folder can't be moved into itself".into(),
            });
        }
        let req = FolderMvRequest {
            folder_id,
            destination_folder_id: Some(destination_id),
            ..FolderMvRequest::default()
        };
        self.client.move_folder(&req).await.map(|_| ())
    }

    pub async fn delete_folder(&self, folder_id: i64) -> Result<(), ApiError> {
        self.client.remove_folder(folder_id).await.map(|_| ())
    }

    /// Deletes a folder with everything in it, depth first; returns the files removed.
    pub async fn delete_folder_recursive(&self, folder_id: i64) -> Result<u64, ApiError> {
        let removed = self.empty_folder(folder_id).await?;
        self.client.remove_folder(folder_id).await?;
        Ok(removed)
    }

    /// Deletes what a folder holds (not the folder); returns the files removed.
    pub async fn empty_folder(&self, folder_id: i64) -> Result<u64, ApiError> {
        let listing = self
            .client
            .list_folder_fresh(&FolderLsRequest::folder(folder_id).with_files())
            .await?;
        let mut removed = 0;
        for sub in &listing.sub_folders {
            removed += Box::pin(self.empty_folder(sub.id)).await?;
            self.client.remove_folder(sub.id).await?;
        }
        // file/ls is the complete list of a folder's files; the folder listing's is a
        // fallback.
        let items = match self
            .client
            .list_files_fresh(&FileLsRequest::folder(folder_id))
            .await
        {
            Ok(l) => l.items,
            Err(_) => listing.items,
        };
        let files: Vec<FileToRemove> = items
            .into_iter()
            .map(|f| FileToRemove {
                url: f.url,
                code: None,
            })
            .collect();
        for part in files.chunks(100) {
            removed += self.client.remove_files(part).await?.removed;
        }
        Ok(removed)
    }

    /// Renames one file in place; no call at all when the name does not change.
    pub async fn rename_file(&self, url: &str, filename: &str) -> Result<(), ApiError> {
        let filename = check_name(filename)?;
        let entry = RenameEntry {
            url: url.to_string(),
            filename: encode_name(filename),
        };
        self.client.rename_files(&[entry]).await.map(|_| ())
    }

    /// Moves files into a folder; returns how many 1fichier moved.
    pub async fn move_files(
        &self,
        urls: Vec<String>,
        destination_id: i64,
    ) -> Result<u64, ApiError> {
        let req = FileMvRequest {
            urls,
            destination_folder_id: destination_id,
            ..FileMvRequest::default()
        };
        Ok(self.client.move_files(&req).await?.moved)
    }

    /// Copies files into a folder; each copy is a new file with its own link.
    pub async fn copy_files(
        &self,
        urls: Vec<String>,
        destination_id: i64,
    ) -> Result<Vec<CopiedFile>, ApiError> {
        let req = FileCpRequest {
            urls,
            folder_id: destination_id,
            ..FileCpRequest::default()
        };
        let copied = self.client.copy_files(&req).await?;
        Ok(copied
            .urls
            .into_iter()
            .map(|c| CopiedFile {
                from: c.from_url,
                to: c.to_url,
            })
            .collect())
    }

    /// Deletes files; returns how many 1fichier removed.
    pub async fn delete_files(&self, urls: Vec<String>) -> Result<u64, ApiError> {
        let files: Vec<FileToRemove> = urls
            .into_iter()
            .map(|url| FileToRemove { url, code: None })
            .collect();
        Ok(self.client.remove_files(&files).await?.removed)
    }

    pub async fn set_attributes(
        &self,
        urls: Vec<String>,
        attrs: FileAttributes,
    ) -> Result<(), ApiError> {
        check_password(attrs.password.as_deref(), "file")?;
        let req = ChattrRequest {
            urls,
            description: attrs.description,
            pass: attrs.password.map(Password::new),
            ..ChattrRequest::default()
        };
        self.client.change_attributes(&req).await.map(|_| ())
    }

    pub async fn file_info(&self, url: &str) -> Result<FileDetails, ApiError> {
        self.file_info_with(url, None).await
    }

    /// A file's details; `password` opens a password-protected file of another account.
    pub async fn file_info_with(
        &self,
        url: &str,
        password: Option<&str>,
    ) -> Result<FileDetails, ApiError> {
        let req = FileInfoRequest {
            url: url.to_string(),
            pass: password.map(|p| Password::new(p.to_string())),
            ..FileInfoRequest::default()
        };
        Ok(file_details(self.client.file_info(&req).await?))
    }

    pub async fn share_folder(
        &self,
        folder_id: i64,
        share: bool,
        password: Option<String>,
    ) -> Result<ShareResult, ApiError> {
        check_password(password.as_deref(), "share")?;
        let req = ShareRequest {
            folder_id,
            share: Some(share),
            pass: password.filter(|p| !p.is_empty()).map(Password::new),
            ..ShareRequest::default()
        };
        let s = self.client.share_folder(&req).await?;
        Ok(ShareResult {
            url: s.url.filter(|u| !u.is_empty()),
        })
    }

    /// A direct download URL, valid about 5 minutes, usable once.
    pub async fn download_link(&self, url: &str) -> Result<DownloadLink, ApiError> {
        self.direct_link(url, None, true).await
    }

    /// A direct download URL, valid about 5 minutes. `single`: usable for one download
    /// only; without it, a program given the link may open it several times (a player
    /// seeking, a download manager's connections).
    pub async fn direct_link(
        &self,
        url: &str,
        password: Option<&str>,
        single: bool,
    ) -> Result<DownloadLink, ApiError> {
        let req = GetTokenRequest {
            url: url.to_string(),
            single: single.then_some(true),
            pass: password.map(|p| Password::new(p.to_string())),
            ..GetTokenRequest::default()
        };
        let t = self.client.get_token(&req).await?;
        Ok(DownloadLink {
            url: t.url,
            expires_in_seconds: DOWNLOAD_LINK_LIFETIME.as_secs(),
        })
    }

    /// Every file in the account (1fichier allows this once an hour).
    pub async fn all_files(&self) -> Result<Vec<FileEntry>, ApiError> {
        let req = FileLsRequest {
            folder_id: -1,
            ..FileLsRequest::default()
        };
        let list = self.client.list_files(&req).await?.into_value();
        Ok(list.items.into_iter().map(file_entry).collect())
    }

    /// The account's remote uploads, as 1fichier lists them.
    pub async fn remote_jobs(&self) -> Result<fichier_api::types::RemoteJobs, ApiError> {
        self.client.remote_jobs().await
    }

    /// One remote upload with what each of its links gave.
    pub async fn remote_job(&self, id: i64) -> Result<fichier_api::types::RemoteJobInfo, ApiError> {
        self.client.remote_job(id).await
    }
}
