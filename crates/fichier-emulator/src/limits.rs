//! Rate limits as 1fichier enforces them (protocol §9): a global rate per key and per
//! IP, per-endpoint intervals, and a flood lock that outlasts the burst that caused it.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `now + d`, saturating: a lock or a lifetime too long to represent ends a century from
/// now instead of overflowing.
pub(crate) fn later(now: Instant, d: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(d.min(CENTURY)).unwrap_or(now)
}

/// The numbers behind the limits. All configurable; the defaults follow the reference.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Requests allowed in any one-second window, per key and per IP (the doc's 3/s).
    pub per_second: usize,
    /// At most one `user/info` per key in this interval (about 5 minutes).
    pub user_info_interval: Duration,
    /// At most one listing of the same folder per key in this interval (30 s).
    pub listing_interval: Duration,
    /// At most one `file/ls` of `-1` per key in this interval (1 hour).
    pub all_files_interval: Duration,
    /// How long a flood lock lasts once tripped.
    pub flood_lock: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_second: 3,
            user_info_interval: Duration::from_secs(300),
            listing_interval: Duration::from_secs(30),
            all_files_interval: Duration::from_secs(3600),
            flood_lock: Duration::from_secs(30),
        }
    }
}

/// Which per-endpoint rule a call falls under.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub enum EndpointRule {
    UserInfo,
    /// The endpoint path and the folder listed.
    Listing(&'static str, i64),
    AllFiles,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused: the `#n` to put in the message.
    Flood(u16),
}

#[derive(Default)]
struct Book {
    recent_by_key: HashMap<String, VecDeque<Instant>>,
    recent_by_ip: HashMap<IpAddr, VecDeque<Instant>>,
    locked_keys: HashMap<String, Instant>,
    locked_ips: HashMap<IpAddr, Instant>,
    last_endpoint: HashMap<(String, EndpointRule), Instant>,
    /// A lock started by a test: every caller is refused until then.
    global_lock: Option<Instant>,
}

pub struct RateLimiter {
    pub enabled: bool,
    pub limits: Limits,
    book: Mutex<Book>,
}

impl RateLimiter {
    pub fn new(enabled: bool, limits: Limits) -> RateLimiter {
        RateLimiter {
            enabled,
            limits,
            book: Mutex::new(Book::default()),
        }
    }

    /// Starts a flood lock for everybody now (fault injection).
    pub fn lock_everyone(&self, duration: Duration) {
        self.book
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .global_lock = Some(later(Instant::now(), duration));
    }

    pub fn clear(&self) {
        *self.book.lock().unwrap_or_else(|e| e.into_inner()) = Book::default();
    }

    /// Records one API call and says whether it may proceed.
    pub fn check(&self, key: Option<&str>, ip: IpAddr, rule: Option<EndpointRule>) -> Verdict {
        let now = Instant::now();
        let mut b = self.book.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = b.global_lock {
            if until > now {
                return Verdict::Flood(374);
            }
            b.global_lock = None;
        }
        if !self.enabled {
            return Verdict::Allowed;
        }
        let lock = self.limits.flood_lock;
        let key_locked = key
            .and_then(|k| b.locked_keys.get(k))
            .is_some_and(|u| *u > now);
        let ip_locked = b.locked_ips.get(&ip).is_some_and(|u| *u > now);
        if key_locked || ip_locked {
            return Verdict::Flood(374);
        }

        let window = Duration::from_secs(1);
        let per_second = self.limits.per_second;
        let over_ip =
            push_and_count(b.recent_by_ip.entry(ip).or_default(), now, window) > per_second;
        let over_key = key.is_some_and(|k| {
            push_and_count(
                b.recent_by_key.entry(k.to_string()).or_default(),
                now,
                window,
            ) > per_second
        });
        let mut verdict = if over_ip || over_key {
            Verdict::Flood(374)
        } else {
            Verdict::Allowed
        };

        if verdict == Verdict::Allowed
            && let (Some(k), Some(rule)) = (key, rule)
        {
            let interval = match rule {
                EndpointRule::UserInfo => self.limits.user_info_interval,
                EndpointRule::Listing(..) => self.limits.listing_interval,
                EndpointRule::AllFiles => self.limits.all_files_interval,
            };
            let code = if rule == EndpointRule::UserInfo {
                38
            } else {
                374
            };
            let slot = (k.to_string(), rule);
            match b.last_endpoint.get(&slot) {
                Some(last) if now.duration_since(*last) < interval => {
                    verdict = Verdict::Flood(code)
                }
                _ => {
                    b.last_endpoint.insert(slot, now);
                }
            }
        }

        if verdict != Verdict::Allowed {
            let until = later(now, lock);
            b.locked_ips.insert(ip, until);
            if let Some(k) = key {
                b.locked_keys.insert(k.to_string(), until);
            }
        }
        verdict
    }
}

fn push_and_count(q: &mut VecDeque<Instant>, now: Instant, window: Duration) -> usize {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
    q.push_back(now);
    q.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip() -> IpAddr {
        "127.0.0.1".parse().unwrap()
    }

    #[test]
    fn the_fourth_call_in_a_second_is_refused_and_locks() {
        let rl = RateLimiter::new(true, Limits::default());
        for _ in 0..3 {
            assert_eq!(rl.check(Some("k"), ip(), None), Verdict::Allowed);
        }
        assert_eq!(rl.check(Some("k"), ip(), None), Verdict::Flood(374));
        // The lock holds even for another key from the same IP.
        assert_eq!(rl.check(Some("other"), ip(), None), Verdict::Flood(374));
    }

    #[test]
    fn per_endpoint_intervals_apply_per_key() {
        let rl = RateLimiter::new(
            true,
            Limits {
                per_second: 100,
                ..Limits::default()
            },
        );
        let a: IpAddr = "127.0.0.2".parse().unwrap();
        let b: IpAddr = "127.0.0.3".parse().unwrap();
        assert_eq!(
            rl.check(Some("k1"), a, Some(EndpointRule::UserInfo)),
            Verdict::Allowed
        );
        assert_eq!(
            rl.check(Some("k2"), b, Some(EndpointRule::UserInfo)),
            Verdict::Allowed
        );
        assert_eq!(
            rl.check(Some("k1"), a, Some(EndpointRule::UserInfo)),
            Verdict::Flood(38)
        );
    }

    #[test]
    fn disabled_limits_still_honour_an_injected_lock() {
        let rl = RateLimiter::new(false, Limits::default());
        for _ in 0..20 {
            assert_eq!(rl.check(Some("k"), ip(), None), Verdict::Allowed);
        }
        rl.lock_everyone(Duration::from_secs(60));
        assert_eq!(rl.check(Some("k"), ip(), None), Verdict::Flood(374));
    }

    #[test]
    fn locks_of_any_length_never_overflow() {
        let rl = RateLimiter::new(
            true,
            Limits {
                per_second: 0,
                flood_lock: Duration::MAX,
                ..Limits::default()
            },
        );
        assert_eq!(rl.check(Some("k"), ip(), None), Verdict::Flood(374));
        assert_eq!(rl.check(Some("k"), ip(), None), Verdict::Flood(374));
        rl.lock_everyone(Duration::MAX);
        assert_eq!(rl.check(None, ip(), None), Verdict::Flood(374));
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > now + Duration::from_secs(3600 * 24 * 365 * 99));
    }
}
