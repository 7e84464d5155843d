//! Which hosts may receive the API key, and which server-provided URLs may be opened.

use url::Url;

use crate::config::{ClientConfig, is_loopback_host};
use crate::error::ApiError;

/// `1fichier.com` or any `*.1fichier.com`.
fn is_fichier_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "1fichier.com" || h.ends_with(".1fichier.com")
}

fn host_port(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

/// Whether the key (or a request on the account's behalf) may go to `url`: HTTPS to a
/// 1fichier host or to the configured API host; plain http only to loopback, and only when
/// the configured API is itself loopback http.
pub fn is_allowed(config: &ClientConfig, url: &Url) -> bool {
    if !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let api = config.api_base();
    match url.scheme() {
        "https" => {
            is_fichier_host(host)
                || (host_port(url) == host_port(api) && api.scheme() == "https")
                || (config.is_loopback_http() && is_loopback_host(host))
        }
        "http" => config.is_loopback_http() && is_loopback_host(host),
        _ => false,
    }
}

/// Checks a URL the server gave us before anything is sent to it.
pub(crate) fn check_url(
    config: &ClientConfig,
    raw: &str,
    purpose: &'static str,
) -> Result<Url, ApiError> {
    let url = Url::parse(raw.trim()).map_err(|_| ApiError::HostNotAllowed {
        host: raw.chars().take(80).collect(),
        purpose,
    })?;
    if is_allowed(config, &url) {
        Ok(url)
    } else {
        Err(ApiError::HostNotAllowed {
            host: host_port(&url),
            purpose,
        })
    }
}

/// Turns the bare node host from `get_upload_server` into a base URL: `https://<host>/`,
/// or `http://<host>/` when the API is loopback http and the node is loopback too.
pub(crate) fn upload_node_base(config: &ClientConfig, node: &str) -> Result<Url, ApiError> {
    let node = node.trim();
    let refuse = || ApiError::HostNotAllowed {
        host: node.chars().take(80).collect(),
        purpose: "an upload",
    };
    // A bare host (optionally :port): nothing that could smuggle a path, credentials or a
    // different scheme.
    let bare = !node.is_empty()
        && node
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !bare {
        return Err(refuse());
    }
    let probe = Url::parse(&format!("http://{node}/")).map_err(|_| refuse())?;
    let host = probe.host_str().ok_or_else(refuse)?;
    let scheme = if config.is_loopback_http() && is_loopback_host(host) {
        "http"
    } else {
        "https"
    };
    let url = Url::parse(&format!("{scheme}://{node}/")).map_err(|_| refuse())?;
    if url.path() != "/" || !is_allowed(config, &url) {
        return Err(refuse());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> ClientConfig {
        ClientConfig::with_base("https://api.1fichier.com/v1").unwrap()
    }
    fn emu() -> ClientConfig {
        ClientConfig::with_base("http://127.0.0.1:4000/v1").unwrap()
    }

    #[test]
    fn upload_nodes() {
        assert_eq!(
            upload_node_base(&real(), "up2.1fichier.com")
                .unwrap()
                .as_str(),
            "https://up2.1fichier.com/"
        );
        assert_eq!(
            upload_node_base(&emu(), "127.0.0.1:4000").unwrap().as_str(),
            "http://127.0.0.1:4000/"
        );
        // Loopback is not reachable over plain http from the real API.
        assert!(upload_node_base(&real(), "127.0.0.1:4000").is_err());
        for bad in [
            "evil.example.com",
            "up2.1fichier.com.evil.com",
            "up2.1fichier.com/x",
            "user@up2.1fichier.com",
            "https://up2.1fichier.com",
            "",
            "up2.1fichier.com?x=1",
            "evil1fichier.com",
        ] {
            let e = upload_node_base(&real(), bad).unwrap_err();
            assert_eq!(e.code(), "host_not_allowed", "{bad}");
        }
        // From the emulator, a non-loopback node is refused too.
        assert!(upload_node_base(&emu(), "evil.example.com").is_err());
    }

    #[test]
    fn token_urls() {
        let ok = |c: &ClientConfig, u: &str| check_url(c, u, "a download").is_ok();
        assert!(ok(&real(), "https://a-4.1fichier.com/c118073942"));
        assert!(!ok(&real(), "http://a-4.1fichier.com/c118073942"));
        assert!(!ok(&real(), "https://a-4.1fichier.com.evil.net/c1"));
        assert!(!ok(&real(), "https://user@a-4.1fichier.com/c1"));
        assert!(!ok(&real(), "http://127.0.0.1:4000/c1"));
        assert!(ok(&emu(), "http://127.0.0.1:4000/c1"));
        assert!(ok(&emu(), "http://localhost:4000/c1"));
        assert!(!ok(&emu(), "http://10.0.0.1/c1"));
        assert!(!ok(&emu(), "file:///etc/passwd"));
        assert!(!ok(&emu(), "not a url"));
    }

    #[test]
    fn custom_https_api_host_is_allowed() {
        let c = ClientConfig::with_base("https://proxy.example.org:8443/v1").unwrap();
        assert!(check_url(&c, "https://proxy.example.org:8443/x", "t").is_ok());
        assert!(check_url(&c, "https://proxy.example.org/x", "t").is_err());
        assert!(check_url(&c, "https://a-1.1fichier.com/x", "t").is_ok());
    }
}
