//! Website pages and the link check (protocol §10).

use serde::{Deserialize, Serialize};

use crate::de;

/// One file of a public folder (`/dir/<code>?json=1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedFile {
    #[serde(default, deserialize_with = "de::string")]
    pub filename: String,
    #[serde(default, deserialize_with = "de::string")]
    pub link: String,
    #[serde(default, deserialize_with = "de::uint")]
    pub size: u64,
}

/// The state of one link in a `check_links.pl` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LinkState {
    Online { filename: String, size: u64 },
    NotFound,
    BadLink,
    Private,
    Other { text: String },
}

/// One line of a `check_links.pl` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkCheck {
    pub url: String,
    pub state: LinkState,
}

impl LinkCheck {
    /// Parses one `url;filename;size` line (or `url;;;NOT FOUND` and friends).
    pub(crate) fn parse_line(line: &str) -> Option<LinkCheck> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        // File names may contain ';': the URL is the first field, the size or status the
        // last, the name everything in between.
        let (url, rest) = line.split_once(';')?;
        let (name, last) = rest.rsplit_once(';').unwrap_or((rest, ""));
        let status = last.trim();
        let state = match status.to_ascii_uppercase().as_str() {
            "NOT FOUND" => LinkState::NotFound,
            "BAD LINK" => LinkState::BadLink,
            "PRIVATE" => LinkState::Private,
            _ => match status.parse::<u64>() {
                Ok(size) => LinkState::Online {
                    filename: name.trim_end_matches(';').to_string(),
                    size,
                },
                Err(_) => LinkState::Other {
                    text: status.to_string(),
                },
            },
        };
        Some(LinkCheck {
            url: url.trim().to_string(),
            state,
        })
    }
}
