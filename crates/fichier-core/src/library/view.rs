//! What the window, the CLI and the local server show of folders and files: 1fichier's
//! answers with names decoded and empty strings made absent.

use fichier_api::types::{FileItem, FolderListing, Offer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::names::display_name;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "Offer")]
pub enum OfferName {
    Free,
    Premium,
    Access,
    Gold,
}

impl From<Offer> for OfferName {
    fn from(o: Offer) -> Self {
        match o {
            Offer::Premium => OfferName::Premium,
            Offer::Access => OfferName::Access,
            Offer::Gold => OfferName::Gold,
            _ => OfferName::Free,
        }
    }
}

/// The account as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FolderInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub parent_id: Option<i64>,
    pub create_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub shared: Option<String>,
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "SubFolder")]
pub struct SubFolderEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub create_date: String,
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileEntry {
    pub url: String,
    pub filename: String,
    #[ts(type = "number")]
    pub size: u64,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub checksum: Option<String>,
    pub content_type: String,
    pub pass: bool,
    pub acl: bool,
    pub cdn: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "FolderListing")]
pub struct FolderView {
    pub folder: FolderInfo,
    pub sub_folders: Vec<SubFolderEntry>,
    pub files: Vec<FileEntry>,
    pub from_cache: bool,
    #[ts(type = "number")]
    pub age_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileDetails {
    #[serde(flatten)]
    pub entry: FileEntry,
    #[ts(type = "number")]
    pub folder_id: i64,
    pub path: String,
    pub description: String,
    pub inline: bool,
    pub no_ssl: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileAttributes {
    /// A new password; empty removes it; absent leaves it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DownloadLink {
    pub url: String,
    #[ts(type = "number")]
    pub expires_in_seconds: u64,
}

pub(crate) fn folder_view(cached: fichier_api::Cached<FolderListing>) -> FolderView {
    let (from_cache, age) = (cached.from_cache, cached.age);
    let l = cached.into_value();
    FolderView {
        folder: FolderInfo {
            id: l.folder_id,
            name: display_name(&l.name),
            parent_id: None,
            create_date: l.create_date,
            shared: l.shared.filter(|s| !s.is_empty()),
            pass: l.pass,
        },
        sub_folders: l
            .sub_folders
            .into_iter()
            .map(|s| SubFolderEntry {
                id: s.id,
                name: display_name(&s.name),
                create_date: s.create_date,
                pass: s.pass,
            })
            .collect(),
        files: l.items.into_iter().map(file_entry).collect(),
        from_cache,
        age_seconds: age.as_secs(),
    }
}

pub(crate) fn file_entry(f: FileItem) -> FileEntry {
    FileEntry {
        url: f.url,
        filename: display_name(&f.filename),
        size: f.size,
        date: f.date,
        checksum: f.checksum.filter(|c| !c.is_empty()),
        content_type: f
            .content_type
            .unwrap_or_else(|| "application/octet-stream".into()),
        pass: f.pass,
        acl: f.acl,
        cdn: f.cdn,
    }
}

pub(crate) fn file_details(i: fichier_api::types::FileInfo) -> FileDetails {
    let acl = i.acl.restricted
        || i.acl.premium
        || !i.acl.ip.is_empty()
        || !i.acl.country.is_empty()
        || !i.acl.email.is_empty();
    FileDetails {
        entry: FileEntry {
            url: i.url,
            filename: display_name(&i.filename),
            size: i.size,
            date: i.date,
            checksum: i.checksum.filter(|c| !c.is_empty()),
            content_type: i
                .content_type
                .unwrap_or_else(|| "application/octet-stream".into()),
            pass: i.pass,
            acl,
            cdn: i.cdn,
        },
        folder_id: i.folder_id.unwrap_or(0),
        path: i.path.unwrap_or_default(),
        description: i.description.unwrap_or_default(),
        inline: i.inline,
        no_ssl: i.no_ssl,
    }
}
