//! Lists of links read from files (dropped on the window's link checker, or given to
//! `fichier check`): text only, and never more than [`MAX_LINK_TEXT`] in all, whatever
//! the files hold.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::CoreError;

/// Most text one check reads from files (a list of links is far smaller).
pub const MAX_LINK_TEXT: u64 = 8 << 20;

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn unreadable(p: &Path, e: std::io::Error) -> CoreError {
    CoreError::SourceUnreadable {
        path: p.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Reads at most `left` bytes of text from `reader`; `name` says where it came from in
/// an error. Bytes that are not UTF-8 are replaced; a NUL byte means it is not text.
pub fn read_link_text(mut reader: impl Read, name: &str, left: u64) -> Result<String, CoreError> {
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(left)
        .read_to_end(&mut bytes)
        .map_err(|e| CoreError::SourceUnreadable {
            path: PathBuf::from(name),
            detail: e.to_string(),
        })?;
    if bytes.len() as u64 == left && reader.read(&mut [0u8]).is_ok_and(|n| n > 0) {
        return Err(CoreError::TextTooLarge { name: name.into() });
    }
    if bytes.contains(&0) {
        return Err(CoreError::InvalidInput {
            reason: format!("{name} is not a text file"),
        });
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The text of `paths`, one after the other (each starting on a new line). A folder, a
/// file that is not text, or more than [`MAX_LINK_TEXT`] in all is refused by name.
pub fn read_link_files(paths: &[PathBuf]) -> Result<String, CoreError> {
    let mut out = String::new();
    let mut left = MAX_LINK_TEXT;
    for p in paths {
        let name = name_of(p);
        let file = std::fs::File::open(p).map_err(|e| unreadable(p, e))?;
        let meta = file.metadata().map_err(|e| unreadable(p, e))?;
        if !meta.is_file() {
            return Err(CoreError::InvalidInput {
                reason: format!("{name} is a folder, not a text file"),
            });
        }
        if meta.len() > left {
            return Err(CoreError::TextTooLarge { name });
        }
        let text = read_link_text(file, &name, left)?;
        left -= text.len() as u64;
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&text);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fichier_api::ErrorCode;

    #[test]
    fn text_files_are_read_one_after_the_other_and_others_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "https://1fichier.com/?aaaaa11111").unwrap();
        std::fs::write(&b, "https://1fichier.com/?bbbbb22222\n").unwrap();
        let text = read_link_files(&[a.clone(), b]).unwrap();
        assert_eq!(
            text,
            "https://1fichier.com/?aaaaa11111\nhttps://1fichier.com/?bbbbb22222\n"
        );
        let bin = dir.path().join("photo.jpg");
        std::fs::write(&bin, [0xff, 0xd8, 0, 1]).unwrap();
        let e = read_link_files(&[bin]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidRequest);
        assert!(
            e.to_string().contains("photo.jpg is not a text file"),
            "{e}"
        );
        let folder = read_link_files(&[dir.path().to_path_buf()]).unwrap_err();
        assert_eq!(folder.code(), ErrorCode::InvalidRequest);
        let big = dir.path().join("big.txt");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_LINK_TEXT + 1)
            .unwrap();
        let e = read_link_files(&[a, big]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::FileTooLarge);
        assert!(e.to_string().contains("big.txt is too large"), "{e}");
    }

    #[test]
    fn a_stream_is_read_up_to_the_limit_and_no_further() {
        let text = read_link_text(&b"https://1fichier.com/?x"[..], "-", 64).unwrap();
        assert_eq!(text, "https://1fichier.com/?x");
        let endless = std::io::repeat(b'a');
        let e = read_link_text(endless, "standard input", 1 << 16).unwrap_err();
        assert_eq!(e.code(), ErrorCode::FileTooLarge);
    }
}
