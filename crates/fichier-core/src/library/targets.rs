//! Operations on what a user names at once: files by their links and folders by their ids,
//! as the `fichier` command takes them. The rules are the window's: the same name check,
//! no folder into itself, the root folder never deleted.

use fichier_api::ApiError;
use serde::Serialize;
use ts_rs::TS;

use super::{FileEntry, Library};

/// A file by its link, or a folder by its id (0 is the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(String),
    Folder(i64),
}

impl Target {
    /// Reads `"12345"` as a folder and `https://…` as a file.
    pub fn parse(s: &str) -> Result<Target, ApiError> {
        let s = s.trim();
        if let Ok(id) = s.parse::<i64>()
            && id >= 0
        {
            return Ok(Target::Folder(id));
        }
        if s.starts_with("http://") || s.starts_with("https://") {
            return Ok(Target::File(s.to_string()));
        }
        Err(ApiError::InvalidRequest {
            reason: format!(
                "{s:?} is neither a file link (https://1fichier.com/?…) nor a folder id"
            ),
        })
    }

    /// Every target of a list, or the first that can't be read.
    pub fn parse_all<S: AsRef<str>>(items: &[S]) -> Result<Vec<Target>, ApiError> {
        items.iter().map(|s| Target::parse(s.as_ref())).collect()
    }
}

/// Splits targets into file links and folder ids, in their order.
fn split(targets: &[Target]) -> (Vec<String>, Vec<i64>) {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for t in targets {
        match t {
            Target::File(u) => files.push(u.clone()),
            Target::Folder(id) => folders.push(*id),
        }
    }
    (files, folders)
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoveReport {
    #[ts(type = "number")]
    pub moved_files: u64,
    #[ts(type = "number[]")]
    pub moved_folders: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveReport {
    #[ts(type = "number")]
    pub removed_files: u64,
    #[ts(type = "number[]")]
    pub removed_folders: Vec<i64>,
}

/// One copy: the file copied and the new file's link.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CopiedFile {
    pub from: String,
    pub to: String,
}

/// One folder of a tree, depth first: its depth below the folder asked for, its name and
/// its files.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub depth: u32,
    pub name: String,
    pub files: Vec<FileEntry>,
}

impl Library {
    /// Moves files and folders into a folder: the folders one by one, then the files in
    /// one call.
    pub async fn move_targets(&self, targets: &[Target], to: i64) -> Result<MoveReport, ApiError> {
        let (files, folders) = split(targets);
        for id in &folders {
            self.move_folder(*id, to).await?;
        }
        let moved_files = if files.is_empty() {
            0
        } else {
            self.move_files(files, to).await?
        };
        Ok(MoveReport {
            moved_files,
            moved_folders: folders,
        })
    }

    /// Renames a file or a folder.
    pub async fn rename_target(&self, target: &Target, name: &str) -> Result<(), ApiError> {
        match target {
            Target::File(url) => self.rename_file(url, name).await,
            Target::Folder(id) => self.rename_folder(*id, name).await,
        }
    }

    /// Deletes files and folders. A folder must be empty unless `recursive`; the root is
    /// refused before anything is deleted.
    pub async fn remove_targets(
        &self,
        targets: &[Target],
        recursive: bool,
    ) -> Result<RemoveReport, ApiError> {
        let (files, folders) = split(targets);
        if folders.contains(&0) {
            return Err(ApiError::InvalidRequest {
                reason: "the root folder can't be deleted".into(),
            });
        }
        let mut removed_files = 0;
        if !files.is_empty() {
            removed_files += self.delete_files(files).await?;
        }
        for id in &folders {
            if recursive {
                removed_files += self.delete_folder_recursive(*id).await?;
            } else {
                self.delete_folder(*id).await?;
            }
        }
        Ok(RemoveReport {
            removed_files,
            removed_folders: folders,
        })
    }

    /// A folder and everything below it, depth first, one listing per folder (through
    /// the cache, so a folder listed in the last 30 s costs no call).
    pub async fn tree(&self, folder_id: i64) -> Result<Vec<TreeNode>, ApiError> {
        let mut nodes = Vec::new();
        let mut stack = vec![(folder_id, 0u32)];
        while let Some((id, depth)) = stack.pop() {
            let view = self.list_folder(id).await?;
            for sub in view.sub_folders.iter().rev() {
                stack.push((sub.id, depth + 1));
            }
            let name = if id == 0 {
                "/".to_string()
            } else {
                view.folder.name
            };
            nodes.push(TreeNode {
                id,
                depth,
                name,
                files: view.files,
            });
        }
        Ok(nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_a_folder_id_or_a_file_link() {
        assert_eq!(Target::parse(" 42 ").unwrap(), Target::Folder(42));
        assert_eq!(Target::parse("0").unwrap(), Target::Folder(0));
        assert_eq!(
            Target::parse("https://1fichier.com/?abc").unwrap(),
            Target::File("https://1fichier.com/?abc".into())
        );
        for bad in ["-3", "docs", "ftp://x", ""] {
            let e = Target::parse(bad).unwrap_err();
            assert_eq!(e.code(), fichier_api::ErrorCode::InvalidRequest, "{bad}");
            assert!(e.to_string().contains("neither a file link"), "{e}");
        }
    }

    #[test]
    fn targets_split_into_links_and_ids_in_order() {
        let t = Target::parse_all(&["7", "https://a/?1", "3", "https://a/?2"]).unwrap();
        assert_eq!(
            split(&t),
            (
                vec!["https://a/?1".into(), "https://a/?2".into()],
                vec![7, 3]
            )
        );
    }
}
