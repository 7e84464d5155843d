//! The two website pages clients use besides the API: public folder listings and the
//! mass link check (protocol §10). No key is sent to either.

use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use crate::client::{FichierClient, Retry, decode};
use crate::error::ApiError;
use crate::failure::Failure;
use crate::key::Password;
use crate::pacer::Pacing;
use crate::types::{LinkCheck, SharedFile};

/// `check_links.pl` takes up to 100 links per request.
pub const CHECK_LINKS_BATCH: usize = 100;

/// The code of a public folder, from `https://1fichier.com/dir/<code>` or the bare code.
fn dir_code(code_or_url: &str) -> Option<String> {
    let s = code_or_url.trim();
    let code = match s.find("/dir/") {
        Some(pos) => &s[pos + 5..],
        None => s,
    };
    let code = code.split(['?', '#', '/']).next().unwrap_or("");
    (!code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| code.to_string())
}

impl FichierClient {
    /// Lists a public folder (`/dir/<code>?json=1`), with its password when it has one.
    /// Only the configured website is contacted, whatever host the URL names.
    pub async fn shared_folder(
        &self,
        code_or_url: &str,
        password: Option<&Password>,
    ) -> Result<Vec<SharedFile>, ApiError> {
        let code = dir_code(code_or_url).ok_or_else(|| ApiError::InvalidRequest {
            reason: "that is not a 1fichier folder link".into(),
        })?;
        let mut url = self
            .config
            .website_base()
            .join(&format!("dir/{code}"))
            .map_err(|_| ApiError::InvalidRequest {
                reason: "that is not a 1fichier folder link".into(),
            })?;
        let form = password.map(|p| {
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("json", "1")
                .append_pair("pass", p.expose_secret())
                .finish()
        });
        if form.is_none() {
            url.query_pairs_mut().append_pair("json", "1");
        }
        let value: Value = self
            .with_retries("dir", Retry::Idempotent, Pacing::Api(None), || {
                let req = match &form {
                    Some(body) => self
                        .http
                        .post(url.clone())
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(body.clone()),
                    None => self.http.get(url.clone()),
                };
                async move {
                    let resp = req.send().await.map_err(Failure::transport)?;
                    self.read_json(resp).await
                }
            })
            .await
            .map_err(|e| match e {
                ApiError::PasswordRequired { ko } if password.is_some() => {
                    ApiError::PasswordWrong { ko }
                }
                other => other,
            })?;
        match value {
            Value::Array(_) => decode("dir", value),
            // Some answers wrap the list, or say why there is none.
            Value::Object(ref m) => {
                if let Some(list) = ["items", "files", "data"].iter().find_map(|k| m.get(*k)) {
                    return decode("dir", list.clone());
                }
                Err(ApiError::Protocol {
                    detail: "the folder page did not list files".into(),
                })
            }
            _ => Err(ApiError::Protocol {
                detail: "the folder page did not list files".into(),
            }),
        }
    }

    /// Checks many links at once (`check_links.pl`), 100 per request.
    pub async fn check_links(&self, links: &[String]) -> Result<Vec<LinkCheck>, ApiError> {
        let url = self
            .config
            .website_base()
            .join("check_links.pl")
            .expect("constant path");
        let mut out = Vec::with_capacity(links.len());
        for batch in links.chunks(CHECK_LINKS_BATCH) {
            // Built apart: the serializer is not `Sync`, and the request future must be.
            let body = {
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                for l in batch {
                    form.append_pair("links[]", l);
                }
                form.finish()
            };
            let text: String = self
                .with_retries(
                    "check_links.pl",
                    Retry::Idempotent,
                    Pacing::Api(None),
                    || {
                        let req = self
                            .http
                            .post(url.clone())
                            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .body(body.clone());
                        async move {
                            let resp = req.send().await.map_err(Failure::transport)?;
                            let (status, bytes) = crate::body::read_answer(resp).await?;
                            if !status.is_success() {
                                return crate::client::interpret(
                                    status,
                                    &reqwest::header::HeaderMap::new(),
                                    &bytes,
                                    self.pacer().flood_wait(),
                                )
                                .map(|_| String::new());
                            }
                            Ok(String::from_utf8_lossy(&bytes).into_owned())
                        }
                    },
                )
                .await?;
            if crate::client::looks_like_html(&text) {
                return Err(ApiError::Protocol {
                    detail: "the link check answered an HTML page".into(),
                });
            }
            out.extend(text.lines().filter_map(LinkCheck::parse_line));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_codes() {
        assert_eq!(
            dir_code("https://1fichier.com/dir/AbC123").as_deref(),
            Some("AbC123")
        );
        assert_eq!(
            dir_code("https://1fichier.com/dir/AbC123?json=1").as_deref(),
            Some("AbC123")
        );
        assert_eq!(dir_code("AbC123").as_deref(), Some("AbC123"));
        assert_eq!(dir_code("https://1fichier.com/dir/../x"), None);
        assert_eq!(dir_code(""), None);
    }
}
