//! The request log: the most recent requests in a ring of fixed capacity, so a long demo
//! session keeps a bounded amount of memory, plus exact counters per endpoint that keep
//! counting after old entries have been dropped from the ring.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use axum::extract::MatchedPath;
use axum::http::Request;

use crate::LogEntry;

/// How many entries the log keeps by default.
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

/// The label of requests that matched no route.
const UNROUTED: &str = "(no route)";
/// The label of `/v1/...` paths that name no endpoint of the API.
const UNKNOWN_API: &str = "/v1/(unknown)";

/// Totals since the log was last cleared.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RequestCounts {
    /// Every request recorded, whether or not its entry is still in the log.
    pub total: u64,
    /// Requests per endpoint: the API path (`/v1/file/ls.cgi`) or the route template
    /// (`/{token}` for download URLs, `/dir/{code}` for shared folders).
    pub by_endpoint: BTreeMap<String, u64>,
}

struct Ring {
    entries: VecDeque<LogEntry>,
    counts: RequestCounts,
}

pub(crate) struct RequestLog {
    capacity: usize,
    ring: Mutex<Ring>,
}

impl RequestLog {
    pub fn new(capacity: usize) -> RequestLog {
        RequestLog {
            capacity,
            ring: Mutex::new(Ring {
                // Grows as needed: a short test never pays for the whole ring.
                entries: VecDeque::new(),
                counts: RequestCounts::default(),
            }),
        }
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records one request under `endpoint`, dropping the oldest entry when full.
    pub fn push(&self, endpoint: String, entry: LogEntry) {
        let mut r = self.ring();
        r.counts.total = r.counts.total.saturating_add(1);
        let n = r.counts.by_endpoint.entry(endpoint).or_default();
        *n = n.saturating_add(1);
        if self.capacity == 0 {
            return;
        }
        while r.entries.len() >= self.capacity {
            r.entries.pop_front();
        }
        r.entries.push_back(entry);
    }

    /// The entries still held, oldest first.
    pub fn entries(&self) -> Vec<LogEntry> {
        self.ring().entries.iter().cloned().collect()
    }

    pub fn counts(&self) -> RequestCounts {
        self.ring().counts.clone()
    }

    /// Forgets every entry and resets the counters.
    pub fn clear(&self) {
        let mut r = self.ring();
        r.entries = VecDeque::new();
        r.counts = RequestCounts::default();
    }
}

/// The endpoint a request is counted under. Paths chosen by the caller (tokens, share
/// codes, unknown API names) collapse into their route, so the counters stay few.
pub(crate) fn endpoint_of<B>(req: &Request<B>) -> String {
    let Some(route) = req.extensions().get::<MatchedPath>() else {
        return UNROUTED.to_string();
    };
    let path = req.uri().path();
    if let Some(name) = path.strip_prefix("/v1/") {
        return if crate::api::Endpoint::from_path(name).is_some() {
            path.to_string()
        } else {
            UNKNOWN_API.to_string()
        };
    }
    route.as_str().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: u64) -> LogEntry {
        LogEntry {
            method: "POST".into(),
            path: format!("/v1/call-{i}"),
            status: 200,
            key_fingerprint: None,
            at_ms: i,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest_entries_and_counts_them_all() {
        let log = RequestLog::new(3);
        for i in 0..10 {
            let endpoint = if i % 2 == 0 { "/even" } else { "/odd" };
            log.push(endpoint.to_string(), entry(i));
        }
        let kept: Vec<u64> = log.entries().iter().map(|e| e.at_ms).collect();
        assert_eq!(kept, vec![7, 8, 9]);
        let counts = log.counts();
        assert_eq!(counts.total, 10);
        assert_eq!(counts.by_endpoint["/even"], 5);
        assert_eq!(counts.by_endpoint["/odd"], 5);
        log.clear();
        assert!(log.entries().is_empty());
        assert_eq!(log.counts(), RequestCounts::default());
    }

    #[test]
    fn a_zero_capacity_log_still_counts() {
        let log = RequestLog::new(0);
        log.push("/x".into(), entry(1));
        assert!(log.entries().is_empty());
        assert_eq!(log.counts().total, 1);
    }

    #[test]
    fn memory_stays_bounded_over_a_long_session() {
        let log = RequestLog::new(DEFAULT_LOG_CAPACITY);
        for i in 0..(3 * DEFAULT_LOG_CAPACITY as u64) {
            log.push("/v1/file/ls.cgi".into(), entry(i));
        }
        let ring = log.ring();
        assert_eq!(ring.entries.len(), DEFAULT_LOG_CAPACITY);
        // The ring never reallocates past what the capacity needs.
        assert!(ring.entries.capacity() < 2 * DEFAULT_LOG_CAPACITY);
        assert_eq!(ring.counts.total, 3 * DEFAULT_LOG_CAPACITY as u64);
        assert_eq!(ring.counts.by_endpoint.len(), 1);
    }

    #[test]
    fn requests_outside_every_route_share_one_counter() {
        let bare = Request::builder().uri("/a/b/c").body(()).unwrap();
        assert_eq!(endpoint_of(&bare), UNROUTED);
    }
}
