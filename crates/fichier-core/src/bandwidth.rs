//! One token bucket shared by every transfer: the global bandwidth limit, changeable while
//! transfers run.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// The shared limiter. Cheap to clone; clones share the bucket.
#[derive(Clone, Default)]
pub struct Bandwidth {
    inner: Arc<Mutex<Bucket>>,
}

#[derive(Default)]
struct Bucket {
    /// Bytes per second; `None` = unlimited.
    rate: Option<u64>,
    /// May go negative: a large chunk is let through and paid for by waiting afterwards.
    tokens: f64,
    last: Option<Instant>,
}

/// Longest single sleep, so a raised limit takes effect quickly.
const MAX_NAP: Duration = Duration::from_millis(100);

impl Bandwidth {
    pub fn new(rate: Option<u64>) -> Bandwidth {
        let b = Bandwidth::default();
        b.set_limit(rate);
        b
    }

    /// Changes the limit now, for every transfer.
    pub fn set_limit(&self, rate: Option<u64>) {
        let mut b = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        b.rate = rate.filter(|r| *r > 0);
        b.tokens = b.tokens.min(burst(b.rate));
        b.last = Some(Instant::now());
    }

    pub fn limit(&self) -> Option<u64> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).rate
    }

    /// Takes `n` bytes from the bucket, waiting as long as the limit requires.
    pub async fn acquire(&self, n: usize) {
        let mut paid = false;
        loop {
            let wait = {
                let mut b = self.inner.lock().unwrap_or_else(|e| e.into_inner());
                let Some(rate) = b.rate else { return };
                let now = Instant::now();
                let elapsed = b.last.map_or(0.0, |l| (now - l).as_secs_f64());
                b.last = Some(now);
                b.tokens = (b.tokens + elapsed * rate as f64).min(burst(Some(rate)));
                if !paid {
                    b.tokens -= n as f64;
                    paid = true;
                }
                if b.tokens >= 0.0 {
                    return;
                }
                Duration::from_secs_f64(-b.tokens / rate as f64)
            };
            tokio::time::sleep(wait.min(MAX_NAP)).await;
        }
    }
}

/// At most a quarter of a second's worth of bytes saved up.
fn burst(rate: Option<u64>) -> f64 {
    rate.map_or(0.0, |r| (r as f64 / 4.0).max(64.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn limits_and_changes_live() {
        let b = Bandwidth::new(Some(1_000_000));
        let t = Instant::now();
        for _ in 0..10 {
            b.acquire(500_000).await;
        }
        // 5 MB at 1 MB/s: about 5 s (minus the initial burst allowance).
        let took = t.elapsed();
        assert!(took >= Duration::from_millis(4_500), "{took:?}");
        assert!(took <= Duration::from_millis(5_200), "{took:?}");
        b.set_limit(None);
        let t = Instant::now();
        for _ in 0..10 {
            b.acquire(10_000_000).await;
        }
        assert_eq!(t.elapsed(), Duration::ZERO);
    }
}
