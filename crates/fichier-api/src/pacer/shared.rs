//! What a pacer shares with the account's other processes through its memory file: the
//! calls under a per-endpoint rule, a flood hold, and the account information.

use std::path::PathBuf;
use std::sync::MutexGuard;
use std::time::Instant;

use super::{Pacer, Rule, WaitReason};
use crate::memory::{Stored, StoredCall, StoredRule, StoredUserInfo, TimeBridge};
use crate::types::UserInfo;

impl Pacer {
    /// Keeps what this pacer knows in `path` and reads what other processes of the same
    /// account left there (see [`crate::memory`]). Set once; later calls are ignored.
    pub fn remember_in(&self, path: PathBuf) {
        if self.inner.memory.set(path).is_ok() {
            self.absorb();
        }
    }

    /// Folds the shared file's calls, hold and account information into this pacer.
    pub(super) fn absorb(&self) {
        let Some(path) = self.inner.memory.get() else {
            return;
        };
        let stored = Stored::read(path);
        let bridge = TimeBridge::new(self.now());
        {
            let mut st = self.state();
            for call in &stored.calls {
                let (Some(rule), Some(at)) =
                    (Rule::from_stored(&call.rule), bridge.to_instant(call.at_ms))
                else {
                    continue;
                };
                let last = st.last_call.entry(rule).or_insert(at);
                *last = (*last).max(at);
            }
            if let Some(until) = stored.hold_until_ms.and_then(|ms| bridge.to_instant(ms))
                && until > self.now()
                && st.hold.is_none_or(|(u, _)| u < until)
            {
                st.hold = Some((until, WaitReason::Flood));
            }
        }
        if let Some(info) = stored.user_info
            && let Some(at) = bridge.to_instant(info.at_ms)
        {
            let mut slot = self.shared_slot();
            if slot.as_ref().is_none_or(|(mine, _)| *mine < at) {
                *slot = Some((at, info.value));
            }
        }
    }

    /// Writes what this pacer knows, merged with what is already in the shared file.
    pub(crate) fn persist(&self) {
        self.persist_withdrawing(None);
    }

    /// Like `persist`, also taking out of the shared file a slot this process reserved
    /// and then gave back (the merge would otherwise keep it, as the later time).
    pub(super) fn persist_withdrawing(&self, withdrawn: Option<(&Rule, Instant)>) {
        let Some(path) = self.inner.memory.get() else {
            return;
        };
        let now = self.now();
        let bridge = TimeBridge::new(now);
        let mut mine = {
            let st = self.state();
            Stored {
                calls: st
                    .last_call
                    .iter()
                    .filter(|(rule, at)| {
                        **at + self.interval(rule) + self.inner.config.interval_margin > now
                    })
                    .map(|(rule, at)| StoredCall {
                        rule: rule.stored(),
                        at_ms: bridge.to_ms(*at),
                    })
                    .collect(),
                hold_until_ms: st
                    .hold
                    .filter(|(until, why)| *until > now && *why == WaitReason::Flood)
                    .map(|(until, _)| bridge.to_ms(until)),
                user_info: None,
            }
        };
        mine.user_info = self
            .shared_slot()
            .clone()
            .map(|(at, value)| StoredUserInfo {
                at_ms: bridge.to_ms(at),
                value,
            });
        let mut theirs = Stored::read(path);
        if let Some((rule, at)) = withdrawn {
            let (stored, ms) = (rule.stored(), bridge.to_ms(at));
            theirs
                .calls
                .retain(|c| !(c.rule == stored && c.at_ms.abs_diff(ms) <= 2));
        }
        let cutoff = bridge.to_ms(now);
        theirs
            .calls
            .retain(|c| c.at_ms.saturating_add(self.stored_interval_ms(&c.rule)) > cutoff);
        mine.merge(theirs);
        if let Err(e) = mine.write(path) {
            tracing::warn!(path = %path.display(), "the pacer's memory could not be saved: {e}");
        }
    }

    fn stored_interval_ms(&self, rule: &StoredRule) -> u64 {
        Rule::from_stored(rule).map_or(0, |r| {
            let d = self.interval(&r) + self.inner.config.interval_margin;
            u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
        })
    }

    fn shared_slot(&self) -> MutexGuard<'_, Option<(Instant, UserInfo)>> {
        self.inner
            .shared_info
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The account information other processes (or this one) left in the memory file, as
    /// of the pacer's last read of it (when it was set, and before each call under a rule):
    /// a cached read of the account costs no file read.
    pub(crate) fn shared_user_info(&self) -> Option<(Instant, UserInfo)> {
        self.shared_slot().clone()
    }

    /// What the next write of the memory file shares of the account information (a
    /// newer copy already there is kept).
    pub(crate) fn share_user_info(&self, entry: Option<(Instant, UserInfo)>) {
        let Some((at, info)) = entry else {
            return;
        };
        let mut slot = self.shared_slot();
        if slot.as_ref().is_none_or(|(theirs, _)| *theirs <= at) {
            *slot = Some((at, info));
        }
    }
}
