//! Time as the pacer sees it: injectable so tests never really sleep.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A boxed sleep.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The pacer's source of time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// Tokio's clock: real time, or tokio's paused time in tests that use it.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock for tests: `sleep` advances time at once and records what was slept.
#[derive(Debug, Clone)]
pub struct FakeClock {
    inner: Arc<Mutex<FakeState>>,
}

#[derive(Debug)]
struct FakeState {
    now: Instant,
    sleeps: Vec<Duration>,
}

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock::new()
    }
}

impl FakeClock {
    pub fn new() -> FakeClock {
        FakeClock {
            inner: Arc::new(Mutex::new(FakeState {
                now: Instant::now(),
                sleeps: Vec::new(),
            })),
        }
    }

    /// Moves time forward without anybody sleeping (time passing between calls).
    pub fn advance(&self, d: Duration) {
        self.state().now += d;
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state().sleeps.clone()
    }

    /// The sum of all sleeps so far.
    pub fn total_slept(&self) -> Duration {
        self.state().sleeps.iter().sum()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.state().now
    }
    fn sleep(&self, duration: Duration) -> Sleep {
        {
            let mut s = self.state();
            s.now += duration;
            s.sleeps.push(duration);
        }
        Box::pin(tokio::task::yield_now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fake_clock_advances_on_sleep_without_waiting() {
        let c = FakeClock::new();
        let t0 = c.now();
        let real = Instant::now();
        c.sleep(Duration::from_secs(3600)).await;
        assert_eq!(c.now() - t0, Duration::from_secs(3600));
        assert!(real.elapsed() < Duration::from_secs(5));
        c.advance(Duration::from_secs(1));
        assert_eq!(c.now() - t0, Duration::from_secs(3601));
        assert_eq!(c.sleeps(), vec![Duration::from_secs(3600)]);
    }
}
