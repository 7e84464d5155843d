//! The 1fichier library served on this computer: a WebDAV drive (`/dav/`) for file
//! managers and media servers, and stream links (`/s/…`) that keep working for days, for
//! players. Every API call goes through the client's pacer and caches: listings come from
//! the cache and are refreshed behind the answer, and one download token per file serves
//! every range of every client.

mod app;
mod context;
mod export;
mod fs;
mod guard;
mod handles;
mod local;
mod options;
mod reader;
mod server;
mod stats;
mod stream;
mod tokens;
mod tree;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use export::{ExportError, ExportReport, export_strm, is_media};
pub use guard::{basic_ok, host_allowed};
pub use options::{DEFAULT_PORT, ServeOptions};
pub use server::Server;
pub use stats::{Counters, Stats, StreamInfo};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen; loopback unless the user opted in to the local network.
    pub listen: SocketAddr,
    /// Accept requests addressed to this computer's network addresses too.
    pub lan: bool,
    pub read_only: bool,
    /// Basic auth user name for WebDAV.
    pub user: String,
    /// Basic auth password and the secret segment of stream links.
    pub secret: String,
    /// Listings younger than this are answered as they are; older ones are answered and
    /// refreshed in the background.
    pub fresh_listing: Duration,
    /// How long one download token serves before a new one is asked (1fichier's last
    /// about 5 minutes).
    pub token_keep: Duration,
    /// Longest an API call may hold a request before it gets 503 and a Retry-After.
    pub budget: Duration,
    /// Where PUTs without a length wait before they are uploaded.
    pub spool_dir: PathBuf,
}

impl ServeConfig {
    pub fn new(secret: String) -> ServeConfig {
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            lan: false,
            read_only: false,
            user: DEFAULT_USER.to_string(),
            secret,
            fresh_listing: Duration::from_secs(60),
            token_keep: Duration::from_secs(4 * 60),
            budget: Duration::from_secs(20),
            spool_dir: std::env::temp_dir(),
        }
    }
}

pub const DEFAULT_USER: &str = "fichier";

/// A new secret: 24 letters and digits (about 143 bits).
pub fn random_secret() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..24)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// The id of a 1fichier file URL ("https://1fichier.com/?abc123&af=1" → "abc123").
pub fn file_id(url: &str) -> Option<&str> {
    let q = url.split_once('?')?.1;
    let id = q.split('&').next()?;
    valid_id(id).then_some(id)
}

pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The stream link of a file: `BASE/s/SECRET/ID/NAME`. The name is only for the player's
/// eyes (and its guess of the type); the id says which file.
pub fn stream_link(base: &str, secret: &str, file_url: &str, name: &str) -> Option<String> {
    stream_link_base(
        &format!("{}/s/{secret}", base.trim_end_matches('/')),
        file_url,
        name,
    )
}

/// `LINK_BASE/ID/NAME`, where the link base is `BASE/s/SECRET`.
pub fn stream_link_base(link_base: &str, file_url: &str, name: &str) -> Option<String> {
    let id = file_id(file_url)?;
    let name = percent_encoding::utf8_percent_encode(name, SEGMENT).to_string();
    Some(format!("{}/{id}/{name}", link_base.trim_end_matches('/')))
}

/// What a path segment must escape.
pub(crate) const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'(')
    .remove(b')');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_links() {
        assert_eq!(file_id("https://1fichier.com/?abc123"), Some("abc123"));
        assert_eq!(file_id("https://1fichier.com/?abc123&af=4"), Some("abc123"));
        assert_eq!(file_id("https://1fichier.com/?../x"), None);
        assert_eq!(file_id("https://1fichier.com/"), None);
        assert_eq!(
            stream_link(
                "http://127.0.0.1:4918/",
                "S",
                "https://1fichier.com/?abc",
                "Film (2020) é.mkv"
            )
            .as_deref(),
            Some("http://127.0.0.1:4918/s/S/abc/Film%20(2020)%20%C3%A9.mkv")
        );
        let s = random_secret();
        assert_eq!(s.len(), 24);
        assert_ne!(s, random_secret());
    }
}
