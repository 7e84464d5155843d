//! Where the client connects and how patiently.

use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use crate::error::ApiError;

/// The real API.
pub const DEFAULT_API_BASE: &str = "https://api.1fichier.com/v1";
/// Environment variable that overrides the API base URL (the emulator sets it).
pub const API_BASE_ENV: &str = "FICHIER_API_BASE";

/// Environment variable: seconds one API request may take (default 30).
pub const API_TIMEOUT_ENV: &str = "FICHIER_API_TIMEOUT";
/// One API request, answer included.
pub const DEFAULT_API_TIMEOUT: Duration = Duration::from_secs(30);
/// One API call with its retries may take this many request timeouts (flood waits aside).
const DEADLINE_ATTEMPTS: u32 = 3;
/// One API call with its retries, by default.
pub const DEFAULT_API_DEADLINE: Duration = Duration::from_secs(90);

fn api_timeout_from_env() -> Option<Duration> {
    let secs: f64 = std::env::var(API_TIMEOUT_ENV).ok()?.trim().parse().ok()?;
    (secs.is_finite() && secs > 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// Client configuration. Build with [`ClientConfig::from_env`] or
/// [`ClientConfig::with_base`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    api_base: Url,
    website_base: Url,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Longest silence allowed while reading an answer or a transfer body. There is no
    /// total timeout: a large transfer may take hours.
    pub read_timeout: Duration,
    pub user_agent: String,
    /// Longest time one API request may take, from sending it to the last byte of its
    /// answer: a server that trickles its answer is cut off after this.
    pub api_timeout: Duration,
    /// Longest time one API call may take with its retries; past it no new attempt starts.
    /// Three request timeouts unless set otherwise.
    pub api_deadline: Duration,
    /// How many times `end.pl` is read again when it answers HTML or no links.
    pub end_pl_attempts: u32,
    /// First pause between two `end.pl` reads; doubled each time.
    pub end_pl_delay: Duration,
}

impl ClientConfig {
    /// The default base, or `FICHIER_API_BASE` when set.
    pub fn from_env() -> Result<ClientConfig, ApiError> {
        ClientConfig::with_override(std::env::var(API_BASE_ENV).ok().as_deref())
    }

    /// The default base, or `base` when it is set and not blank.
    pub fn with_override(base: Option<&str>) -> Result<ClientConfig, ApiError> {
        match base.map(str::trim) {
            Some(b) if !b.is_empty() => ClientConfig::with_base(b),
            _ => ClientConfig::with_base(DEFAULT_API_BASE),
        }
    }

    /// A configuration for the given API base, e.g. `http://127.0.0.1:8080/v1`.
    /// Plain `http` is accepted only for loopback hosts.
    pub fn with_base(api_base: &str) -> Result<ClientConfig, ApiError> {
        let mut api = Url::parse(api_base).map_err(|e| ApiError::InvalidRequest {
            reason: format!("the API address {api_base:?} is not a valid URL ({e})"),
        })?;
        let host = api.host_str().unwrap_or_default().to_string();
        match api.scheme() {
            "https" => {}
            "http" if is_loopback_host(&host) => {}
            "http" => {
                return Err(ApiError::HostNotAllowed {
                    host,
                    purpose: "the API (plain http is only allowed on this computer)",
                });
            }
            other => {
                return Err(ApiError::InvalidRequest {
                    reason: format!("the API address must use https, not {other}"),
                });
            }
        }
        if host.is_empty() || !api.username().is_empty() || api.password().is_some() {
            return Err(ApiError::InvalidRequest {
                reason: "the API address must be a plain https URL".into(),
            });
        }
        api.set_query(None);
        api.set_fragment(None);
        if !api.path().ends_with('/') {
            let p = format!("{}/", api.path());
            api.set_path(&p);
        }
        let website = website_for(&api);
        let api_timeout = api_timeout_from_env().unwrap_or(DEFAULT_API_TIMEOUT);
        Ok(ClientConfig {
            api_base: api,
            website_base: website,
            connect_timeout: Duration::from_secs(15),
            read_timeout: Duration::from_secs(60),
            api_timeout,
            api_deadline: api_timeout.saturating_mul(DEADLINE_ATTEMPTS),
            user_agent: format!("FichierDesk/{}", env!("CARGO_PKG_VERSION")),
            end_pl_attempts: 5,
            end_pl_delay: Duration::from_secs(1),
        })
    }

    /// The API base, always ending with `/`.
    pub fn api_base(&self) -> &Url {
        &self.api_base
    }

    /// The website (`https://1fichier.com/` for the real API) used for `/dir/` and
    /// `check_links.pl`.
    pub fn website_base(&self) -> &Url {
        &self.website_base
    }

    /// Overrides the website base (must be https, or loopback http like the API).
    pub fn set_website_base(&mut self, base: &str) -> Result<(), ApiError> {
        let other = ClientConfig::with_base(base)?;
        let mut url = other.api_base;
        url.set_path("/");
        self.website_base = url;
        Ok(())
    }

    /// True when the API itself is plain http on loopback (the emulator): then, and only
    /// then, upload nodes and download URLs on loopback are reached over http.
    pub fn is_loopback_http(&self) -> bool {
        self.api_base.scheme() == "http"
    }

    pub(crate) fn endpoint(&self, path: &str) -> Url {
        self.api_base
            .join(path.trim_start_matches('/'))
            .expect("endpoint paths are constant and valid")
    }
}

/// `https://api.1fichier.com/v1/` -> `https://1fichier.com/`;
/// `http://127.0.0.1:9/v1/` -> `http://127.0.0.1:9/`.
fn website_for(api: &Url) -> Url {
    let mut w = api.clone();
    w.set_path("/");
    if let Some(host) = api.host_str()
        && let Some(rest) = host.strip_prefix("api.")
    {
        let _ = w.set_host(Some(rest));
    }
    w
}

/// `localhost`, `127.0.0.0/8` or `::1`.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_derived_website() {
        let c = ClientConfig::with_base(DEFAULT_API_BASE).unwrap();
        assert_eq!(c.api_base().as_str(), "https://api.1fichier.com/v1/");
        assert_eq!(c.website_base().as_str(), "https://1fichier.com/");
        assert_eq!(
            c.endpoint("file/ls.cgi").as_str(),
            "https://api.1fichier.com/v1/file/ls.cgi"
        );
        assert!(c.user_agent.starts_with("FichierDesk/"));
        if std::env::var(API_TIMEOUT_ENV).is_err() {
            assert_eq!(c.api_timeout, DEFAULT_API_TIMEOUT);
            assert_eq!(c.api_deadline, DEFAULT_API_DEADLINE);
        }
        assert!(!c.is_loopback_http());

        let e = ClientConfig::with_base("http://127.0.0.1:8080/v1").unwrap();
        assert_eq!(e.website_base().as_str(), "http://127.0.0.1:8080/");
        assert_eq!(
            e.endpoint("/user/info.cgi").as_str(),
            "http://127.0.0.1:8080/v1/user/info.cgi"
        );
        assert!(e.is_loopback_http());
    }

    #[test]
    fn override_of_the_base() {
        let d = ClientConfig::with_override(None).unwrap();
        assert_eq!(d.api_base().as_str(), "https://api.1fichier.com/v1/");
        let d = ClientConfig::with_override(Some("  ")).unwrap();
        assert_eq!(d.api_base().as_str(), "https://api.1fichier.com/v1/");
        let e = ClientConfig::with_override(Some(" http://127.0.0.1:9/v1 ")).unwrap();
        assert_eq!(e.api_base().as_str(), "http://127.0.0.1:9/v1/");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert_eq!(
            ClientConfig::with_base("http://api.1fichier.com/v1")
                .unwrap_err()
                .code(),
            "host_not_allowed"
        );
        assert!(ClientConfig::with_base("http://localhost:3/v1").is_ok());
        assert!(ClientConfig::with_base("http://[::1]:3/v1").is_ok());
        assert!(ClientConfig::with_base("ftp://x/v1").is_err());
        assert!(ClientConfig::with_base("https://user:pw@x/v1").is_err());
    }
}
