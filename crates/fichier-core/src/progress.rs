//! Speed, ETA and the throttle on progress events.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// At most this often per transfer (10 per second).
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);
/// Speed is averaged over this window.
const WINDOW: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub(crate) struct Meter {
    samples: VecDeque<(Instant, u64)>,
    last_emit: Option<Instant>,
}

impl Meter {
    /// Forgets the history (an upload starting over, a download restarting from zero).
    pub fn reset(&mut self) {
        self.samples.clear();
    }

    /// Records `done` bytes; returns `Some((speed, eta))` when an event is due.
    pub fn observe(&mut self, done: u64, total: u64) -> Option<(u64, Option<u64>)> {
        let now = Instant::now();
        if self
            .samples
            .back()
            .is_none_or(|(t, _)| now - *t >= PROGRESS_INTERVAL)
        {
            self.samples.push_back((now, done));
        }
        while self.samples.len() > 2 && now - self.samples[0].0 > WINDOW {
            self.samples.pop_front();
        }
        if self.last_emit.is_some_and(|t| now - t < PROGRESS_INTERVAL) {
            return None;
        }
        self.last_emit = Some(now);
        Some(self.rates(done, total, now))
    }

    fn rates(&self, done: u64, total: u64, now: Instant) -> (u64, Option<u64>) {
        let Some(&(t0, b0)) = self.samples.front() else {
            return (0, None);
        };
        let secs = (now - t0).as_secs_f64();
        if secs < 0.05 || done < b0 {
            return (0, None);
        }
        let speed = ((done - b0) as f64 / secs) as u64;
        let eta = (speed > 0 && total >= done).then(|| (total - done).div_ceil(speed));
        (speed, eta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn throttles_to_ten_per_second_and_computes_speed() {
        let mut m = Meter::default();
        let mut events = 0;
        let mut last = None;
        for i in 0..100u64 {
            if let Some(e) = m.observe(i * 10_000, 1_000_000) {
                events += 1;
                last = Some(e);
            }
            tokio::time::advance(Duration::from_millis(20)).await;
        }
        // 2 s of updates every 20 ms: about 20 events, never more than one per 100 ms.
        assert!((18..=21).contains(&events), "{events}");
        let (speed, eta) = last.unwrap();
        assert!((450_000..=550_000).contains(&speed), "{speed}");
        assert!(eta.is_some());
    }
}
