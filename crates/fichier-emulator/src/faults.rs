//! Deterministic fault injection, driven from tests through [`Faults`] or over HTTP at
//! `/_emulator/faults` (a path the real service does not use).

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What should go wrong next. Counters are consumed one call at a time.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FaultPlan {
    /// Answer the next N API calls with `fail_status` instead of serving them.
    pub fail_next: u32,
    /// The status for `fail_next`: 500, 502, 503 or 429.
    pub fail_status: u16,
    /// Close the connection after this many body bytes of the next upload.
    pub drop_upload_after: Option<u64>,
    /// Close the connection after this many body bytes of the next download.
    pub drop_download_after: Option<u64>,
    /// The next N end.pl calls answer the HTML page whatever the headers say.
    pub end_pl_html_next: u32,
    /// The next N end.pl calls answer JSON with an empty `links` list.
    pub end_pl_empty_links_next: u32,
    /// Limit uploads and downloads to this many bytes per second each (per connection,
    /// like a capped route to a download host).
    pub throttle_bytes_per_sec: Option<u64>,
    /// Wait this long before answering each download request (a far host).
    pub download_latency_ms: Option<u64>,
    /// The next N download answers of more than one byte are limited to
    /// `slow_bytes_per_sec` instead of `throttle_bytes_per_sec`: one slow route among
    /// fast ones.
    pub slow_next_downloads: u32,
    pub slow_bytes_per_sec: Option<u64>,
}

/// A handle on the emulator's fault plan.
#[derive(Default)]
pub struct Faults {
    plan: Mutex<FaultPlan>,
}

impl Faults {
    fn with<R>(&self, f: impl FnOnce(&mut FaultPlan) -> R) -> R {
        f(&mut self.plan.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn snapshot(&self) -> FaultPlan {
        self.with(|p| p.clone())
    }

    /// Replaces fields present in `patch` (used by the HTTP control endpoint).
    pub fn set(&self, plan: FaultPlan) {
        self.with(|p| *p = plan);
    }

    pub fn clear(&self) {
        self.set(FaultPlan::default());
    }

    /// Answer the next `n` API calls with `status` (5xx or 429).
    pub fn fail_next(&self, n: u32, status: u16) {
        self.with(|p| {
            p.fail_next = n;
            p.fail_status = status;
        });
    }

    pub fn drop_upload_after(&self, bytes: u64) {
        self.with(|p| p.drop_upload_after = Some(bytes));
    }

    pub fn drop_download_after(&self, bytes: u64) {
        self.with(|p| p.drop_download_after = Some(bytes));
    }

    pub fn end_pl_html_next(&self, n: u32) {
        self.with(|p| p.end_pl_html_next = n);
    }

    pub fn end_pl_empty_links_next(&self, n: u32) {
        self.with(|p| p.end_pl_empty_links_next = n);
    }

    pub fn throttle(&self, bytes_per_sec: Option<u64>) {
        self.with(|p| p.throttle_bytes_per_sec = bytes_per_sec);
    }

    /// The next `n` download answers longer than one byte get `bytes_per_sec` each.
    pub fn slow_next_downloads(&self, n: u32, bytes_per_sec: u64) {
        self.with(|p| {
            p.slow_next_downloads = n;
            p.slow_bytes_per_sec = Some(bytes_per_sec);
        });
    }

    /// The rate limit of a download answer of `len` bytes: a planned slow one if any is
    /// left (a one-byte look at a file is not a transfer and doesn't use it), else the
    /// general throttle.
    pub(crate) fn take_download_throttle(&self, len: u64) -> Option<u64> {
        self.with(|p| {
            if len > 1 && p.slow_next_downloads > 0 && p.slow_bytes_per_sec.is_some() {
                p.slow_next_downloads -= 1;
                p.slow_bytes_per_sec
            } else {
                p.throttle_bytes_per_sec
            }
        })
    }

    /// Delay every download answer by `ms` milliseconds.
    pub fn download_latency(&self, ms: Option<u64>) {
        self.with(|p| p.download_latency_ms = ms);
    }

    pub(crate) fn download_delay(&self) -> Option<std::time::Duration> {
        self.with(|p| p.download_latency_ms)
            .map(std::time::Duration::from_millis)
    }

    pub(crate) fn take_api_failure(&self) -> Option<u16> {
        self.with(|p| {
            (p.fail_next > 0).then(|| {
                p.fail_next -= 1;
                if p.fail_status == 0 {
                    503
                } else {
                    p.fail_status
                }
            })
        })
    }

    pub(crate) fn take_upload_drop(&self) -> Option<u64> {
        self.with(|p| p.drop_upload_after.take())
    }

    /// The planned break for an answer of `len` bytes: one shorter than the break point
    /// ends before it, so the break waits for a longer one.
    pub(crate) fn take_download_drop(&self, len: u64) -> Option<u64> {
        self.with(|p| match p.drop_download_after {
            Some(at) if at < len => p.drop_download_after.take(),
            _ => None,
        })
    }

    /// `(html, empty_links)` for this end.pl call.
    pub(crate) fn take_end_pl(&self) -> (bool, bool) {
        self.with(|p| {
            if p.end_pl_html_next > 0 {
                p.end_pl_html_next -= 1;
                (true, false)
            } else if p.end_pl_empty_links_next > 0 {
                p.end_pl_empty_links_next -= 1;
                (false, true)
            } else {
                (false, false)
            }
        })
    }

    pub(crate) fn throttle_rate(&self) -> Option<u64> {
        self.with(|p| p.throttle_bytes_per_sec)
    }
}

/// One line of the request log. The key itself is never kept: only a fingerprint.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub key_fingerprint: Option<String>,
    /// Milliseconds since the emulator started.
    pub at_ms: u64,
}

/// The first 12 hex digits of the key's SHA-256.
pub fn fingerprint(key: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(key.as_bytes()))[..12].to_string()
}
