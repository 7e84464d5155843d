//! What the server is doing: active streams with their speed, and the API calls it made,
//! for the window, the command line, the tests and the benchmarks.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

#[derive(Default)]
pub struct Stats {
    pub token_calls: AtomicU64,
    pub api_calls: AtomicU64,
    pub listings: AtomicU64,
    pub requests: AtomicU64,
    next_id: AtomicU64,
    streams: Mutex<HashMap<u64, Stream>>,
    /// The last wait the pacer announced: until when, in seconds since the epoch.
    wait_until: Mutex<Option<(Instant, u64)>>,
}

struct Stream {
    name: String,
    client: String,
    bytes: u64,
    started: Instant,
    started_ms: u64,
    /// Bytes at the start of the current speed window.
    window: (Instant, u64),
    speed: u64,
}

/// One request being served, as the window lists it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StreamInfo {
    pub id: String,
    pub name: String,
    pub client: String,
    pub bytes: u64,
    pub bytes_per_second: u64,
    pub started_at: u64,
}

/// A numbers-only view of the counters.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    pub token_calls: u64,
    pub api_calls: u64,
    pub listings: u64,
    pub requests: u64,
}

impl std::fmt::Debug for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stats")
            .field("counters", &self.counters())
            .finish()
    }
}

impl Stats {
    pub fn counters(&self) -> Counters {
        Counters {
            token_calls: self.token_calls.load(Ordering::Relaxed),
            api_calls: self.api_calls.load(Ordering::Relaxed),
            listings: self.listings.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn api_call(&self) {
        self.api_calls.fetch_add(1, Ordering::Relaxed);
    }

    /// Registers a stream; it leaves the list when the guard is dropped.
    pub(crate) fn stream(self: &std::sync::Arc<Self>, name: &str, client: &str) -> StreamGuard {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let now = Instant::now();
        let started_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        self.streams.lock().unwrap().insert(
            id,
            Stream {
                name: name.to_string(),
                client: client.to_string(),
                bytes: 0,
                started: now,
                started_ms,
                window: (now, 0),
                speed: 0,
            },
        );
        StreamGuard {
            stats: self.clone(),
            id,
        }
    }

    pub fn streams(&self) -> Vec<StreamInfo> {
        let now = Instant::now();
        let mut out: Vec<StreamInfo> = self
            .streams
            .lock()
            .unwrap()
            .iter()
            .map(|(id, s)| {
                // A stream that sent nothing for two seconds is not moving.
                let speed = if now.duration_since(s.window.0) > Duration::from_secs(3) {
                    0
                } else if s.speed == 0 && now > s.started {
                    let secs = now.duration_since(s.started).as_secs_f64().max(0.001);
                    (s.bytes as f64 / secs) as u64
                } else {
                    s.speed
                };
                StreamInfo {
                    id: id.to_string(),
                    name: s.name.clone(),
                    client: s.client.clone(),
                    bytes: s.bytes,
                    bytes_per_second: speed,
                    started_at: s.started_ms,
                }
            })
            .collect();
        out.sort_by_key(|s| s.started_at);
        out
    }

    pub(crate) fn note_wait(&self, seconds: u64) {
        *self.wait_until.lock().unwrap() = Some((Instant::now(), seconds));
    }

    /// Seconds the pacer still makes API calls wait, if it announced a wait.
    pub fn pacer_wait(&self) -> Option<u64> {
        let w = *self.wait_until.lock().unwrap();
        w.and_then(|(at, secs)| {
            let left = secs.saturating_sub(at.elapsed().as_secs());
            (left > 0).then_some(left)
        })
    }
}

pub(crate) struct StreamGuard {
    stats: std::sync::Arc<Stats>,
    id: u64,
}

impl StreamGuard {
    pub(crate) fn add(&self, n: u64) {
        let now = Instant::now();
        if let Some(s) = self.stats.streams.lock().unwrap().get_mut(&self.id) {
            s.bytes += n;
            let (at, bytes) = s.window;
            let span = now.duration_since(at);
            if span >= Duration::from_secs(1) {
                s.speed = ((s.bytes - bytes) as f64 / span.as_secs_f64()) as u64;
                s.window = (now, s.bytes);
            }
        }
    }
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.stats.streams.lock().unwrap().remove(&self.id);
    }
}
