//! Forwards the event hub to the window over a `Channel`: progress at most ~10 times a
//! second per transfer, and every state change (which carries the final numbers).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fichier_core::TransferEvent;
use tauri::ipc::Channel;
use tokio::sync::broadcast;

/// The shortest gap between two progress updates of one transfer.
pub const PROGRESS_GAP: Duration = Duration::from_millis(100);

/// Decides which events go to the window.
#[derive(Default)]
pub struct ProgressThrottle {
    last: HashMap<String, Instant>,
}

impl ProgressThrottle {
    /// Whether `ev` should be sent now.
    pub fn admit(&mut self, ev: &TransferEvent, now: Instant) -> bool {
        match ev {
            TransferEvent::Progress { id, .. } => match self.last.get(id) {
                Some(t) if now.duration_since(*t) < PROGRESS_GAP => false,
                _ => {
                    self.last.insert(id.clone(), now);
                    true
                }
            },
            TransferEvent::State { transfer } => {
                // The next progress after a state change is always shown.
                self.last.remove(&transfer.id);
                true
            }
            _ => true,
        }
    }
}

/// Runs until the window's channel goes away.
pub fn forward_to_window(
    mut rx: broadcast::Receiver<TransferEvent>,
    channel: Channel<TransferEvent>,
) {
    tauri::async_runtime::spawn(async move {
        let mut throttle = ProgressThrottle::default();
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!("window lagged by {n} events");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            if throttle.admit(&ev, Instant::now()) && channel.send(ev).is_err() {
                break;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use fichier_core::{Transfer, TransferKind, TransferState};

    fn progress(id: &str, done: u64) -> TransferEvent {
        TransferEvent::Progress {
            id: id.into(),
            bytes_done: done,
            bytes_total: 100,
            speed_bps: 1,
            eta_seconds: None,
        }
    }

    #[test]
    fn progress_is_thinned_per_transfer_and_states_always_pass() {
        let mut t = ProgressThrottle::default();
        let t0 = Instant::now();
        assert!(t.admit(&progress("a", 1), t0));
        assert!(!t.admit(&progress("a", 2), t0 + Duration::from_millis(50)));
        assert!(t.admit(&progress("b", 2), t0 + Duration::from_millis(50)));
        assert!(t.admit(&progress("a", 3), t0 + Duration::from_millis(101)));
        let done = TransferEvent::State {
            transfer: Transfer {
                id: "a".into(),
                kind: TransferKind::Upload,
                name: "x".into(),
                folder_id: None,
                local_path: None,
                url: None,
                state: TransferState::Done,
                phase: None,
                bytes_done: 100,
                bytes_total: 100,
                speed_bps: 0,
                eta_seconds: None,
                error: None,
                started_at: None,
                finished_at: None,
                account: None,
            },
        };
        assert!(t.admit(&done, t0 + Duration::from_millis(102)));
        assert!(t.admit(&progress("a", 4), t0 + Duration::from_millis(103)));
        // 1,000 updates within one second of one transfer: about ten get through.
        let mut t = ProgressThrottle::default();
        let sent = (0..1000)
            .filter(|i| t.admit(&progress("c", *i), t0 + Duration::from_millis(*i)))
            .count();
        assert_eq!(sent, 10);
    }
}
