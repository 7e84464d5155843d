//! The HTTP client: one call = pacer turn + request + classification + retry policy.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::body::read_answer;
use crate::config::ClientConfig;
use crate::error::{ApiError, classify_ko, classify_status};
use crate::failure::{Failure, FailureKind};
use crate::handle::AccountHandle;
use crate::key::ApiKey;
use crate::pacer::{Pacer, Pacing, Rule, WaitReason};

/// Whether a call may be repeated after a failure that may have reached the server.
///
/// Every call is retried when 1fichier said "Flood detected" or 429 (nothing was done), and
/// when the connection could not be opened (nothing was sent). Only `Idempotent` calls are
/// also retried after a 5xx, a timeout, a broken connection or an unreadable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    Idempotent,
    NotIdempotent,
}

/// One API endpoint and how to call it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoint {
    pub path: &'static str,
    /// `GET` instead of `POST` (only `get_upload_server`).
    pub get: bool,
    pub retry: Retry,
    /// Whether the call needs the key (the key is sent whenever we have one).
    pub needs_key: bool,
}

impl Endpoint {
    pub const fn read(path: &'static str) -> Endpoint {
        Endpoint {
            path,
            get: false,
            retry: Retry::Idempotent,
            needs_key: true,
        }
    }
    pub const fn write(path: &'static str) -> Endpoint {
        Endpoint {
            path,
            get: false,
            retry: Retry::NotIdempotent,
            needs_key: true,
        }
    }
}

/// The 1fichier client for one account. Cheap to clone.
#[derive(Clone)]
pub struct FichierClient {
    pub(crate) http: reqwest::Client,
    pub(crate) config: Arc<ClientConfig>,
    pub(crate) key: Option<ApiKey>,
    pub(crate) account: AccountHandle,
}

impl fmt::Debug for FichierClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FichierClient")
            .field("api_base", &self.config.api_base().as_str())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl FichierClient {
    /// A client for `key`, with its own pacer and cache.
    pub fn new(config: ClientConfig, key: ApiKey) -> Result<FichierClient, ApiError> {
        FichierClient::with_account(config, Some(key), AccountHandle::default())
    }

    /// A client on `pacer`, with a cache of its own.
    pub fn with_pacer(
        config: ClientConfig,
        key: Option<ApiKey>,
        pacer: Pacer,
    ) -> Result<FichierClient, ApiError> {
        FichierClient::with_account(config, key, AccountHandle::new(pacer))
    }

    /// A client sharing the account's pacer and cache with every other client made from
    /// `account` (one handle per account). Clones of a client share them too.
    pub fn with_account(
        config: ClientConfig,
        key: Option<ApiKey>,
        account: AccountHandle,
    ) -> Result<FichierClient, ApiError> {
        let mut builder = reqwest::Client::builder();
        if config.is_loopback_http() {
            // Loopback never goes through a proxy.
            builder = builder.no_proxy();
        }
        let http = builder
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            // Never follow redirects: upload.cgi answers 302 (we read end.pl ourselves),
            // and a redirect must never carry the key somewhere unchecked.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!config.is_loopback_http())
            .build()
            .map_err(|e| ApiError::InvalidRequest {
                reason: format!("could not set up HTTPS ({e})"),
            })?;
        Ok(FichierClient {
            http,
            config: Arc::new(config),
            key,
            account,
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Keeps this account's pacing (per-endpoint intervals, flood holds, the account
    /// information) in a file under `dir` shared with the account's other processes, so a
    /// restart or the next command keeps 1fichier's rules. The file is named after the
    /// server and a hash of the key.
    pub fn remember_pacing_in(&self, dir: &std::path::Path) {
        let key = self.key.as_ref().map(|k| k.expose_secret());
        let path = crate::memory::file_for(dir, self.config.api_base().as_str(), key);
        self.account.pacer().remember_in(path);
    }

    pub fn pacer(&self) -> &Pacer {
        self.account.pacer()
    }

    /// The pacer and cache this client shares with the account's other clients.
    pub fn account(&self) -> &AccountHandle {
        &self.account
    }

    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// Calls `endpoint` with a JSON body and decodes the answer.
    pub(crate) async fn call<B, T>(
        &self,
        endpoint: Endpoint,
        body: &B,
        rule: Option<Rule>,
    ) -> Result<T, ApiError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let value = self.call_value(endpoint, body, rule).await?;
        decode(endpoint.path, value)
    }

    /// Calls `endpoint` and returns the raw JSON of an OK answer.
    pub(crate) async fn call_value<B>(
        &self,
        endpoint: Endpoint,
        body: &B,
        rule: Option<Rule>,
    ) -> Result<Value, ApiError>
    where
        B: Serialize + ?Sized,
    {
        if endpoint.needs_key && self.key.is_none() {
            return Err(ApiError::KeyMissing);
        }
        let body = serde_json::to_vec(body).map_err(|e| ApiError::InvalidRequest {
            reason: format!("could not encode the request ({e})"),
        })?;
        let body = Bytes::from(body);
        let url = self.config.endpoint(endpoint.path);
        self.with_retries(endpoint.path, endpoint.retry, Pacing::Api(rule), || {
            let method = if endpoint.get {
                Method::GET
            } else {
                Method::POST
            };
            let mut req = self
                .http
                .request(method, url.clone())
                .header(CONTENT_TYPE, "application/json");
            if let Some(key) = &self.key {
                req = req.header(reqwest::header::AUTHORIZATION, key.bearer_header());
            }
            if !endpoint.get {
                req = req.body(body.clone());
            }
            async move {
                let resp = req.send().await.map_err(Failure::transport)?;
                self.read_json(resp).await
            }
        })
        .await
    }

    /// Runs attempts under the pacer until one succeeds or the retry policy gives up.
    pub(crate) async fn with_retries<F, Fut, T>(
        &self,
        what: &str,
        retry: Retry,
        pacing: Pacing,
        mut attempt: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let cfg = self.account.pacer().config().clone();
        let mut retries = 0u32;
        let mut floods = 0u32;
        // Upload nodes and download hosts are outside the API's pacing: their retries back
        // off on their own and never hold the account's other calls.
        let own_backoff = matches!(pacing, Pacing::TransferHost);
        let mut next_own_wait = cfg.backoff_initial;
        let started = tokio::time::Instant::now();
        let attempt_timeout = self.config.api_timeout;
        // The failure a retry is about to repeat: its wait for a turn counts against the
        // deadline too (an endpoint's interval may be long).
        let mut repeating: Option<ApiError> = None;
        loop {
            let ticket = match repeating.take() {
                None => self.account.pacer().admit(&pacing).await?,
                Some(previous) => {
                    let left = self.config.api_deadline.saturating_sub(started.elapsed());
                    match tokio::time::timeout(left, self.account.pacer().admit(&pacing)).await {
                        Ok(ticket) => ticket?,
                        Err(_) => return Err(previous),
                    }
                }
            };
            let outcome = match tokio::time::timeout(attempt_timeout, attempt()).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Failure {
                    error: ApiError::Timeout {
                        detail: format!(
                            "no complete answer within {} s",
                            attempt_timeout.as_secs_f64().ceil() as u64
                        ),
                    },
                    kind: FailureKind::Uncertain(WaitReason::NetworkError),
                }),
            };
            let failure = match outcome {
                Ok(v) => {
                    self.account.pacer().on_success();
                    tracing::debug!(target: "fichier_api", call = what, "ok");
                    return Ok(v);
                }
                Err(f) => f,
            };
            let code = failure.error.code().as_str();
            let served = !matches!(
                failure.kind,
                FailureKind::NotExecuted(_) | FailureKind::Uncertain(WaitReason::ServerError)
            ) || matches!(failure.error, ApiError::Protocol { .. });
            if !served {
                self.account.pacer().not_served(ticket);
            }
            // The call's overall deadline: past it, no new attempt starts (a flood answer
            // still says how long to wait).
            let out_of_time = started.elapsed() >= self.config.api_deadline;
            if out_of_time && failure.kind != FailureKind::Flood {
                tracing::warn!(target: "fichier_api", call = what, error = code, "deadline reached, not repeated");
                return Err(failure.error);
            }
            let mut back_off = |reason: WaitReason| {
                if own_backoff {
                    let wait = next_own_wait;
                    next_own_wait = next_own_wait.saturating_mul(2).min(cfg.backoff_max);
                    wait
                } else {
                    self.account.pacer().on_backoff(reason)
                }
            };
            match failure.kind {
                FailureKind::Flood => {
                    floods += 1;
                    let wait = self.account.pacer().on_flood();
                    tracing::warn!(target: "fichier_api", call = what, wait_s = wait.as_secs(), "flood protection answered");
                    if floods > cfg.max_flood_retries {
                        return Err(match failure.error {
                            ApiError::Flood { ko, .. } => ApiError::Flood {
                                retry_after: wait,
                                ko,
                            },
                            other => other,
                        });
                    }
                }
                FailureKind::NotExecuted(reason) => {
                    retries += 1;
                    if retries > cfg.max_retries {
                        return Err(failure.error);
                    }
                    let wait = back_off(reason);
                    tracing::warn!(target: "fichier_api", call = what, error = code, wait_s = wait.as_secs(), "retrying");
                    if own_backoff {
                        self.account.pacer().wait(wait, reason).await;
                    }
                    repeating = Some(failure.error);
                }
                FailureKind::Uncertain(reason) if retry == Retry::Idempotent => {
                    retries += 1;
                    if retries > cfg.max_retries {
                        return Err(failure.error);
                    }
                    let wait = back_off(reason);
                    tracing::warn!(target: "fichier_api", call = what, error = code, wait_s = wait.as_secs(), "retrying");
                    if own_backoff {
                        self.account.pacer().wait(wait, reason).await;
                    }
                    repeating = Some(failure.error);
                }
                FailureKind::Uncertain(reason) => {
                    // Not repeated: it may have been carried out. The others still slow down.
                    back_off(reason);
                    tracing::warn!(target: "fichier_api", call = what, error = code, "failed, not repeated (may have been carried out)");
                    return Err(failure.error);
                }
                FailureKind::Final => {
                    tracing::debug!(target: "fichier_api", call = what, error = code, "refused");
                    return Err(failure.error);
                }
            }
        }
    }

    /// Reads an answer that should be JSON and sorts out KO answers.
    pub(crate) async fn read_json(&self, resp: reqwest::Response) -> Result<Value, Failure> {
        let headers = resp.headers().clone();
        // A KO object is small; an error page needs only its start.
        let (status, bytes) = read_answer(resp).await?;
        interpret(status, &headers, &bytes, self.account.pacer().flood_wait())
    }
}

/// Sorts an answer into an OK JSON value or a classified failure.
pub(crate) fn interpret(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    flood_wait: std::time::Duration,
) -> Result<Value, Failure> {
    let code = status.as_u16();
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    if let Some(Value::Object(map)) = &parsed {
        let field = |name: &str| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        };
        let is_ko = field("status")
            .and_then(Value::as_str)
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("KO"));
        if is_ko {
            let message = field("message").and_then(Value::as_str).unwrap_or("");
            let error = classify_ko(message, code, flood_wait);
            return Err(failure_for(error, code));
        }
    }
    if status.is_success() {
        return parsed.ok_or_else(|| Failure {
            error: ApiError::Protocol {
                detail: describe_non_json(headers, body),
            },
            kind: FailureKind::Uncertain(WaitReason::ServerError),
        });
    }
    // Not a KO object: plain text or HTML error page.
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let error =
        if !text.is_empty() && text.len() < 300 && !looks_like_html(text) && parsed.is_none() {
            match classify_ko(text, code, flood_wait) {
                ApiError::Refused { .. } => classify_status(code, flood_wait),
                other => other,
            }
        } else {
            classify_status(code, flood_wait)
        };
    Err(failure_for(error, code))
}

fn failure_for(error: ApiError, status: u16) -> Failure {
    let kind = match (&error, status) {
        (_, 429) => FailureKind::NotExecuted(WaitReason::TooManyRequests),
        (ApiError::Flood { .. }, _) => FailureKind::Flood,
        (ApiError::Server { .. }, _) => FailureKind::Uncertain(WaitReason::ServerError),
        _ => FailureKind::Final,
    };
    Failure { error, kind }
}

pub(crate) fn looks_like_html(text: &str) -> bool {
    let t = text
        .trim_start()
        .get(..15)
        .unwrap_or(text)
        .to_ascii_lowercase();
    t.starts_with("<!doctype") || t.starts_with("<html") || t.starts_with('<')
}

fn describe_non_json(headers: &HeaderMap, body: &[u8]) -> String {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type");
    let text = String::from_utf8_lossy(body);
    if body.is_empty() {
        "an empty answer where JSON was expected".into()
    } else if looks_like_html(&text) {
        format!("an HTML page ({ct}) where JSON was expected")
    } else {
        format!("non-JSON text ({ct}) where JSON was expected")
    }
}

pub(crate) fn decode<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::Protocol {
        detail: format!("unexpected answer to {what}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn run(status: u16, body: &str) -> Result<Value, Failure> {
        interpret(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
            Duration::from_secs(30),
        )
    }

    #[test]
    fn ko_answers_are_classified_whatever_the_status() {
        let f = run(
            403,
            r#"{"status":"KO","message":"Flood detected: IP Locked #374"}"#,
        )
        .unwrap_err();
        assert_eq!(f.kind, FailureKind::Flood);
        let f = run(
            200,
            r#"{"message":"No file has been renamed #312","status":"KO"}"#,
        )
        .unwrap_err();
        assert_eq!(f.error.code(), "unchanged");
        assert_eq!(f.kind, FailureKind::Final);
        let f = run(401, r#"{"Status":"KO","Message":"Not authenticated #247"}"#).unwrap_err();
        assert_eq!(f.error.code(), "invalid_key");
    }

    #[test]
    fn missing_status_is_success_and_html_is_protocol() {
        assert!(run(200, r#"{"url":"up2.1fichier.com","id":"abc"}"#).is_ok());
        assert!(run(200, r#"[{"filename":"a"}]"#).is_ok());
        let f = run(200, "<html><body>Upload finished</body></html>").unwrap_err();
        assert_eq!(f.error.code(), "protocol");
        assert!(matches!(f.kind, FailureKind::Uncertain(_)));
    }

    #[test]
    fn bare_statuses() {
        let f = run(503, "<html>maintenance</html>").unwrap_err();
        assert_eq!(f.error.code(), "server");
        assert!(matches!(
            f.kind,
            FailureKind::Uncertain(WaitReason::ServerError)
        ));
        let f = run(429, "").unwrap_err();
        assert_eq!(
            f.kind,
            FailureKind::NotExecuted(WaitReason::TooManyRequests)
        );
        let f = run(404, "").unwrap_err();
        assert_eq!(f.error.code(), "not_found");
        let f = run(403, "Flood detected").unwrap_err();
        assert_eq!(f.kind, FailureKind::Flood);
    }
}
