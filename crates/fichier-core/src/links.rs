//! Checking a list of 1fichier links before downloading them: the links are found in any
//! text as users paste it (any of 1fichier's domains, with or without `https://`, with
//! affiliate suffixes, the old `<id>.1fichier.com` form), each file once, then checked 100
//! at a time through the website's mass check, which costs no API call.

use std::collections::HashSet;

use fichier_api::types::LinkState;
use fichier_api::{ApiError, FichierClient};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

/// The domains 1fichier serves files on (its upload domain table).
pub const DOMAINS: [&str; 11] = [
    "1fichier.com",
    "alterupload.com",
    "cjoint.net",
    "desfichiers.com",
    "dfichiers.com",
    "megadl.fr",
    "mesfichiers.org",
    "piecejointe.net",
    "pjointe.com",
    "tenvoi.com",
    "dl4free.com",
];

/// Most links one check takes (50 of the website's requests).
pub const MAX_LINKS: usize = 5_000;

/// A link found in the text, in the form the check and the download use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    pub id: String,
    pub url: String,
}

/// The 1fichier links in `text`, each file once, in the order they appear. Links on
/// `own_host` (the website this client talks to, such as a local emulator) count too.
pub fn find_links(text: &str, own_host: Option<&str>) -> Vec<FoundLink> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || "<>\"'()[]{},|".contains(c)) {
        let word = word.trim_matches(|c: char| ".;:!".contains(c));
        if let Some(link) = read_link(word, own_host)
            && seen.insert(link.id.clone())
        {
            out.push(link);
        }
    }
    out
}

fn read_link(word: &str, own_host: Option<&str>) -> Option<FoundLink> {
    if word.len() < 8 || word.len() > 2048 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let with_scheme = if lower.starts_with("http://") || lower.starts_with("https://") {
        word.to_string()
    } else if lower.contains("://") {
        return None;
    } else {
        format!("https://{word}")
    };
    let url = Url::parse(&with_scheme).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let own = own_host.is_some_and(|h| h.eq_ignore_ascii_case(&host_with_port(&url)));
    let domain = DOMAINS
        .iter()
        .find(|d| host == **d || host.strip_suffix(*d).is_some_and(|s| s.ends_with('.')));
    if !own && domain.is_none() {
        return None;
    }
    // `?<id>` (maybe followed by `&af=…`), or the old `<id>.1fichier.com` form.
    let from_query = url
        .query()
        .and_then(|q| q.split('&').next())
        .map(str::to_string);
    let from_host = domain.and_then(|d| {
        let sub = host.strip_suffix(*d)?.strip_suffix('.')?;
        (sub != "www").then(|| sub.to_string())
    });
    let id = from_query
        .filter(|q| is_id(q))
        .or(from_host.filter(|s| is_id(s)))?;
    let url = if own {
        format!("{}://{}/?{id}", url.scheme(), host_with_port(&url))
    } else {
        format!("https://1fichier.com/?{id}")
    };
    Some(FoundLink { id, url })
}

fn host_with_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

/// File ids are 5 to 20 lowercase letters and digits.
fn is_id(s: &str) -> bool {
    (5..=20).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// What the check says of one link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum LinkStatus {
    #[serde(rename_all = "camelCase")]
    Available {
        name: String,
        #[ts(type = "number")]
        size: u64,
    },
    /// Removed, or never existed.
    NotFound,
    /// Protected by a password or an access list: only its owner's or a password's way in.
    Private,
    /// Not a link 1fichier recognises.
    BadLink,
    /// The check answered something else, quoted.
    #[serde(rename_all = "camelCase")]
    Unknown { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkReport {
    pub url: String,
    #[serde(flatten)]
    pub status: LinkStatus,
}

/// Finds the links in `text` and checks them. No links is an error that says what was
/// looked for; so is a list longer than [`MAX_LINKS`].
pub async fn check_text(client: &FichierClient, text: &str) -> Result<Vec<LinkReport>, ApiError> {
    let own = host_with_port(client.config().website_base());
    let links = find_links(text, Some(&own));
    check_link_count(links.len())?;
    check(client, &links).await
}

/// How many links one check takes: at least one, at most [`MAX_LINKS`].
pub fn check_link_count(found: usize) -> Result<(), ApiError> {
    if found == 0 {
        return Err(ApiError::InvalidRequest {
            reason: "no 1fichier link found: paste links such as https://1fichier.com/?abc123xyz9"
                .into(),
        });
    }
    if found > MAX_LINKS {
        return Err(ApiError::InvalidRequest {
            reason: format!("{found} links found; one check takes at most {MAX_LINKS}"),
        });
    }
    Ok(())
}

/// Checks `links` (100 per request to the website), in their order.
pub async fn check(
    client: &FichierClient,
    links: &[FoundLink],
) -> Result<Vec<LinkReport>, ApiError> {
    let urls: Vec<String> = links.iter().map(|l| l.url.clone()).collect();
    let answers = client.check_links(&urls).await?;
    let by_url: std::collections::HashMap<&str, &LinkState> =
        answers.iter().map(|a| (a.url.as_str(), &a.state)).collect();
    Ok(links
        .iter()
        .map(|l| {
            // The answer repeats the URL as sent; a line for an id in another form counts
            // (looked for only when the URL itself is not there, so 5,000 links stay cheap).
            let state = by_url
                .get(l.url.as_str())
                .copied()
                .or_else(|| {
                    answers
                        .iter()
                        .find(|a| a.url.contains(&l.id))
                        .map(|a| &a.state)
                })
                .cloned();
            let status = match state {
                Some(LinkState::Online { filename, size }) => LinkStatus::Available {
                    name: crate::display_name(&filename),
                    size,
                },
                Some(LinkState::NotFound) => LinkStatus::NotFound,
                Some(LinkState::Private) => LinkStatus::Private,
                Some(LinkState::BadLink) => LinkStatus::BadLink,
                Some(LinkState::Other { text }) => LinkStatus::Unknown { text },
                None => LinkStatus::Unknown {
                    text: "the check did not mention this link".into(),
                },
            };
            LinkReport {
                url: l.url.clone(),
                status,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        find_links(text, Some("127.0.0.1:9"))
            .into_iter()
            .map(|l| l.url)
            .collect()
    }

    #[test]
    fn links_are_found_as_users_paste_them() {
        let text = "Here: https://1fichier.com/?abcde12345&af=99, and\n\
            1fichier.com/?zzzzz11111 (mirror) <https://www.alterupload.com/?qqqqq22222>\n\
            old form http://oldid12345.1fichier.com/ and again https://1fichier.com/?abcde12345\n\
            not ours https://example.com/?abcde99999 nor https://1fichier.com/dir/AbC nor \
            https://1fichier.com/?UPPER; emulator http://127.0.0.1:9/?local1234.";
        assert_eq!(
            ids(text),
            vec![
                "https://1fichier.com/?abcde12345",
                "https://1fichier.com/?zzzzz11111",
                "https://1fichier.com/?qqqqq22222",
                "https://1fichier.com/?oldid12345",
                "http://127.0.0.1:9/?local1234",
            ]
        );
        assert!(ids("ftp://1fichier.com/?abcde12345 www.1fichier.com").is_empty());
        // Lookalike domains are not 1fichier's.
        assert!(ids("https://not1fichier.com/?abcde12345").is_empty());
        assert!(find_links("http://127.0.0.1:9/?local1234", None).is_empty());
    }
}
