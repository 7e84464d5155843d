//! The account's API key, kept in a type that never prints itself.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use zeroize::Zeroize;

use crate::error::ApiError;

/// Length of every 1fichier API key (protocol §1).
pub const KEY_LEN: usize = 32;

/// A 1fichier API key.
///
/// Built only through [`ApiKey::parse`], which trims surrounding whitespace and checks the
/// format (32 characters from `[A-Za-z0-9_=-]`). `Debug` and `Display` are redacted, there
/// is no `Serialize`, and the client sends it only in an `Authorization: Bearer` header to
/// validated hosts.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Arc<SecretText>);

/// Text that is wiped from memory when dropped.
#[derive(PartialEq, Eq)]
struct SecretText(String);

impl Drop for SecretText {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ApiKey {
    /// Checks and wraps a key as pasted by the user.
    pub fn parse(raw: &str) -> Result<ApiKey, ApiError> {
        let key = raw.trim();
        if key.is_empty() {
            return Err(ApiError::BadKeyFormat {
                reason: "the key is empty".into(),
            });
        }
        let len = key.chars().count();
        if len != KEY_LEN {
            return Err(ApiError::BadKeyFormat {
                reason: format!("a key has exactly {KEY_LEN} characters, this one has {len}"),
            });
        }
        if let Some(pos) = key.chars().position(|c| !is_key_char(c)) {
            return Err(ApiError::BadKeyFormat {
                reason: format!(
                    "character {} is not allowed (only letters, digits, '_', '=' and '-')",
                    pos + 1
                ),
            });
        }
        Ok(ApiKey(Arc::new(SecretText(key.to_string()))))
    }

    /// The key itself, for the one place that needs it: the `Authorization` header (and
    /// the keychain, in the core crate). Never log or display the result.
    pub fn expose_secret(&self) -> &str {
        &self.0.0
    }

    pub(crate) fn bearer_header(&self) -> reqwest::header::HeaderValue {
        let text = SecretText(format!("Bearer {}", self.0.0));
        let mut value = reqwest::header::HeaderValue::from_str(&text.0)
            .expect("a validated key is a valid header value");
        value.set_sensitive(true);
        value
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '=' | '-')
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted API key>")
    }
}

impl FromStr for ApiKey {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApiKey::parse(s)
    }
}

/// A password (file, folder share or FTP account): serialised as a plain string in request
/// bodies, redacted in `Debug`, wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Password(String);

impl Drop for Password {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Password {
    pub fn new(p: impl Into<String>) -> Password {
        Password(p.into())
    }
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Password::new(s)
    }
}

impl From<String> for Password {
    fn from(s: String) -> Self {
        Password(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "Ab3_=-xyzXYZ0123456789abcdefghij";

    #[test]
    fn accepts_and_trims_a_valid_key() {
        assert_eq!(GOOD.len(), 32);
        let k = ApiKey::parse(&format!("  {GOOD}\n")).unwrap();
        assert_eq!(k.expose_secret(), GOOD);
    }

    #[test]
    fn rejects_wrong_length_and_characters_without_echoing_the_key() {
        let short = &GOOD[..31];
        let e = ApiKey::parse(short).unwrap_err();
        assert_eq!(e.code(), "bad_key_format");
        assert!(e.to_string().contains("31"));
        assert!(!e.to_string().contains(short));

        let bad = GOOD.replace('x', "!");
        let e = ApiKey::parse(&bad).unwrap_err();
        assert_eq!(e.code(), "bad_key_format");
        assert!(!format!("{e} {e:?}").contains(&bad));
        assert!(ApiKey::parse("   ").is_err());
        // 32 characters but one of them is multi-byte
        let accented = format!("é{}", &GOOD[1..]);
        assert_eq!(
            ApiKey::parse(&accented).unwrap_err().code(),
            "bad_key_format"
        );
    }

    #[test]
    fn debug_and_display_are_redacted() {
        let k = ApiKey::parse(GOOD).unwrap();
        for s in [format!("{k:?}"), format!("{k}"), format!("{:?}", Some(&k))] {
            assert!(!s.contains(GOOD), "{s}");
            assert!(s.contains("redacted"));
        }
        let h = k.bearer_header();
        assert!(h.is_sensitive());
        assert!(!format!("{h:?}").contains(GOOD));
        let p = Password::new("hunter22");
        assert!(!format!("{p:?}").contains("hunter22"));
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"hunter22\"");
    }
}
