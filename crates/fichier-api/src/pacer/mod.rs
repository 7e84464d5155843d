//! The pacer: one per account, shared by every call made with that account's key.
//!
//! It spaces calls, backs off on 1fichier's flood protection, on 429 and on 5xx, enforces
//! the per-endpoint intervals (user/info, listings, the all-files listing) and shares what
//! it knows with the account's other processes through a small file (see
//! [`crate::memory`]). The caches that let those rules be kept without making the UI wait
//! are beside it, in the account's [`crate::AccountHandle`]. Waits of a second or more are
//! announced as [`PacerEvent`]s.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::clock::{Clock, TokioClock};
use crate::error::ApiError;
use crate::memory::StoredRule;
use crate::types::UserInfo;
pub use crate::wait::WaitReason;

mod shared;

/// The pacer's numbers. See the crate README for why these defaults.
#[derive(Debug, Clone)]
pub struct PacerConfig {
    /// Minimum time between the starts of two calls (2 calls/s by default).
    pub min_interval: Duration,
    /// First backoff after a 429, a 5xx or a network error; doubled on each repeat.
    pub backoff_initial: Duration,
    /// Longest backoff.
    pub backoff_max: Duration,
    /// Retries after a 429, 5xx or network error, for calls that may be retried.
    pub max_retries: u32,
    /// Wait after a "Flood detected" answer; doubled on consecutive floods.
    pub flood_wait: Duration,
    /// Longest flood wait.
    pub flood_wait_max: Duration,
    /// How many floods in a row a call rides out before giving up with `flood`.
    pub max_flood_retries: u32,
    /// At most one `user/info` call in this interval; reads are answered from the cache.
    pub user_info_interval: Duration,
    /// At most one listing of the same folder (per endpoint) in this interval.
    pub listing_interval: Duration,
    /// At most one `file/ls` of `-1` in this interval.
    pub all_files_interval: Duration,
    /// Added to the per-endpoint intervals: 1fichier counts from the moment our call
    /// arrives, we count from the moment it leaves.
    pub interval_margin: Duration,
    /// A call that would have to wait longer than this for a per-endpoint interval fails
    /// at once with `flood` and its `retry_after`, instead of blocking.
    pub max_wait: Duration,
    /// Waits shorter than this are not announced.
    pub announce_threshold: Duration,
}

impl Default for PacerConfig {
    fn default() -> Self {
        PacerConfig {
            min_interval: Duration::from_millis(500),
            backoff_initial: Duration::from_secs(2),
            backoff_max: Duration::from_secs(60),
            max_retries: 4,
            flood_wait: Duration::from_secs(30),
            flood_wait_max: Duration::from_secs(300),
            max_flood_retries: 3,
            user_info_interval: Duration::from_secs(300),
            listing_interval: Duration::from_secs(30),
            all_files_interval: Duration::from_secs(3600),
            interval_margin: Duration::from_secs(1),
            max_wait: Duration::from_secs(360),
            announce_threshold: Duration::from_secs(1),
        }
    }
}

/// Something the pacer tells its observers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PacerEvent {
    /// A call is about to wait this long, for this reason.
    Waiting { seconds: u64, reason: WaitReason },
}

impl PacerEvent {
    /// E.g. "waiting 27 s: 1fichier flood protection".
    pub fn message(&self) -> String {
        match self {
            PacerEvent::Waiting { seconds, reason } => format!("waiting {seconds} s: {reason}"),
        }
    }
}

impl fmt::Display for PacerEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// What `acquire` recorded for a per-endpoint rule, to undo it if the call wasn't served.
#[derive(Debug)]
pub(crate) struct WindowTicket(Option<(Rule, Option<Instant>)>);

/// A rule's slot reserved by a call still waiting for it; dropped before the wait ends
/// (the caller gave up), it gives the slot back.
struct Unwind<'a> {
    pacer: &'a Pacer,
    rule: Rule,
    at: Instant,
    previous: Option<Instant>,
}

impl Drop for Unwind<'_> {
    fn drop(&mut self) {
        self.pacer.unreserve(&self.rule, self.at, self.previous);
    }
}

/// Whether a request goes through the pacer.
#[derive(Debug, Clone)]
pub(crate) enum Pacing {
    /// The API host: spaced, held during floods, and under a per-endpoint rule if any.
    Api(Option<Rule>),
    /// Upload nodes and download hosts, which the API's limits don't cover (protocol
    /// §9; downloads keep working while the API is flood-locked): sent at once.
    TransferHost,
}

/// A per-endpoint rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Rule {
    UserInfo,
    /// Endpoint path and folder id.
    Listing(&'static str, i64),
    AllFiles,
}

impl Rule {
    fn stored(&self) -> StoredRule {
        match self {
            Rule::UserInfo => StoredRule::UserInfo,
            Rule::Listing(endpoint, folder) => StoredRule::Listing {
                endpoint: (*endpoint).to_string(),
                folder: *folder,
            },
            Rule::AllFiles => StoredRule::AllFiles,
        }
    }

    fn from_stored(rule: &StoredRule) -> Option<Rule> {
        Some(match rule {
            StoredRule::UserInfo => Rule::UserInfo,
            StoredRule::Listing { endpoint, folder } => {
                let endpoint = LISTING_ENDPOINTS.iter().find(|e| **e == endpoint)?;
                Rule::Listing(endpoint, *folder)
            }
            StoredRule::AllFiles => Rule::AllFiles,
        })
    }

    fn reason(&self) -> WaitReason {
        match self {
            Rule::UserInfo => WaitReason::UserInfoInterval,
            Rule::Listing(..) => WaitReason::ListingInterval,
            Rule::AllFiles => WaitReason::AllFilesInterval,
        }
    }
}

/// The endpoints under the one-listing-per-folder rule.
const LISTING_ENDPOINTS: [&str; 2] = ["folder/ls.cgi", "file/ls.cgi"];

struct PacerState {
    /// Earliest start of the next call.
    next_slot: Option<Instant>,
    /// Everyone waits until then (flood lock, backoff).
    hold: Option<(Instant, WaitReason)>,
    backoff: Duration,
    floods_in_a_row: u32,
    last_call: HashMap<Rule, Instant>,
}

struct PacerInner {
    config: PacerConfig,
    clock: Arc<dyn Clock>,
    state: Mutex<PacerState>,
    events: broadcast::Sender<PacerEvent>,
    /// The account information as this process last shared or read it in the memory
    /// file (the answer cache keeps its own copy).
    shared_info: Mutex<Option<(Instant, UserInfo)>>,
    /// The file shared with other processes of this account, once set.
    memory: OnceLock<PathBuf>,
}

/// Paces every call of one account. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Pacer {
    inner: Arc<PacerInner>,
}

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacer")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(PacerConfig::default())
    }
}

impl Pacer {
    /// A pacer on tokio's clock.
    pub fn new(config: PacerConfig) -> Pacer {
        Pacer::with_clock(config, Arc::new(TokioClock))
    }

    pub fn with_clock(config: PacerConfig, clock: Arc<dyn Clock>) -> Pacer {
        let (events, _) = broadcast::channel(64);
        Pacer {
            inner: Arc::new(PacerInner {
                config,
                clock,
                state: Mutex::new(PacerState {
                    next_slot: None,
                    hold: None,
                    backoff: Duration::ZERO,
                    floods_in_a_row: 0,
                    last_call: HashMap::new(),
                }),
                events,
                shared_info: Mutex::new(None),
                memory: OnceLock::new(),
            }),
        }
    }

    pub fn config(&self) -> &PacerConfig {
        &self.inner.config
    }

    /// Waits announced from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<PacerEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn now(&self) -> Instant {
        self.inner.clock.now()
    }

    fn state(&self) -> MutexGuard<'_, PacerState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for this request's turn as `pacing` says.
    pub(crate) async fn admit(&self, pacing: &Pacing) -> Result<WindowTicket, ApiError> {
        match pacing {
            Pacing::Api(rule) => self.acquire(rule.clone()).await,
            Pacing::TransferHost => Ok(WindowTicket(None)),
        }
    }

    /// Waits for this call's turn. With a rule, also waits until the rule's interval since
    /// the previous such call has passed; if that is longer than `max_wait`, fails with
    /// `flood` instead (nothing is sent).
    pub(crate) async fn acquire(&self, rule: Option<Rule>) -> Result<WindowTicket, ApiError> {
        let cfg = &self.inner.config;
        if rule.is_some() {
            // Another process of this account may have made such a call since.
            self.absorb();
        }
        let mut ticket = WindowTicket(None);
        let mut unwind = None;
        let (wait, reason) = {
            let mut st = self.state();
            let now = self.now();
            let mut at = st.next_slot.map_or(now, |s| s.max(now));
            let mut reason = WaitReason::Spacing;
            if let Some((until, why)) = st.hold {
                if until > at {
                    at = until;
                    reason = why;
                } else if until <= now {
                    st.hold = None;
                }
            }
            if let Some(rule) = &rule {
                if let Some(last) = st.last_call.get(rule) {
                    let earliest = *last + self.interval(rule) + cfg.interval_margin;
                    if earliest > at {
                        let wait = earliest - now;
                        if wait > cfg.max_wait {
                            return Err(ApiError::RateLimited {
                                retry_after: wait,
                                reason: rule.reason(),
                            });
                        }
                        at = earliest;
                        reason = rule.reason();
                    }
                }
                let previous = st.last_call.insert(rule.clone(), at);
                ticket = WindowTicket(Some((rule.clone(), previous)));
                unwind = Some(Unwind {
                    pacer: self,
                    rule: rule.clone(),
                    at,
                    previous,
                });
            }
            st.next_slot = Some(at + cfg.min_interval);
            (at.saturating_duration_since(now), reason)
        };
        if rule.is_some() {
            self.persist();
        }
        self.wait(wait, reason).await;
        // Waited to the end: the call goes out and its slot is taken.
        std::mem::forget(unwind);
        Ok(ticket)
    }

    /// Gives back a rule's slot reserved by a call abandoned while it waited for it (a
    /// request given up by its caller): the next such call needn't wait for one that was
    /// never sent.
    fn unreserve(&self, rule: &Rule, at: Instant, previous: Option<Instant>) {
        {
            let mut st = self.state();
            if st.last_call.get(rule) != Some(&at) {
                // A later call reserved after this one: its slot stands.
                return;
            }
            match previous {
                Some(p) => st.last_call.insert(rule.clone(), p),
                None => st.last_call.remove(rule),
            };
        }
        self.persist_withdrawing(Some((rule, at)));
    }

    /// The call behind `ticket` was certainly not served (429, 5xx, no connection): it
    /// doesn't count towards its per-endpoint interval, so a retry needn't wait for it.
    pub(crate) fn not_served(&self, ticket: WindowTicket) {
        if let Some((rule, previous)) = ticket.0 {
            {
                let mut st = self.state();
                match previous {
                    Some(p) => st.last_call.insert(rule, p),
                    None => st.last_call.remove(&rule),
                };
            }
            self.persist();
        }
    }

    /// How long a call under `rule` would wait for the rule's interval if it were made now
    /// (zero when it could go at once). Spacing and flood holds are not counted.
    pub(crate) fn rule_wait(&self, rule: &Rule) -> Duration {
        self.absorb();
        let st = self.state();
        let Some(last) = st.last_call.get(rule) else {
            return Duration::ZERO;
        };
        let earliest = *last + self.interval(rule) + self.inner.config.interval_margin;
        earliest.saturating_duration_since(self.now())
    }

    fn interval(&self, rule: &Rule) -> Duration {
        let cfg = &self.inner.config;
        match rule {
            Rule::UserInfo => cfg.user_info_interval,
            Rule::Listing(..) => cfg.listing_interval,
            Rule::AllFiles => cfg.all_files_interval,
        }
    }

    /// Sleeps on the pacer's clock, announcing waits above the threshold.
    pub(crate) async fn wait(&self, wait: Duration, reason: WaitReason) {
        if wait.is_zero() {
            return;
        }
        if wait >= self.inner.config.announce_threshold {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let event = PacerEvent::Waiting { seconds, reason };
            tracing::info!(target: "fichier_api::pacer", "{}", event.message());
            let _ = self.inner.events.send(event);
        }
        self.inner.clock.sleep(wait).await;
    }

    /// A call succeeded: the backoff and flood streak reset.
    pub(crate) fn on_success(&self) {
        let mut st = self.state();
        st.backoff = Duration::ZERO;
        st.floods_in_a_row = 0;
    }

    /// 1fichier said "Flood detected": everybody holds for the flood wait (doubled on
    /// consecutive floods). Returns the wait.
    pub(crate) fn on_flood(&self) -> Duration {
        let cfg = &self.inner.config;
        let mut st = self.state();
        st.floods_in_a_row += 1;
        let factor = 1u32 << (st.floods_in_a_row - 1).min(10);
        let wait = cfg
            .flood_wait
            .saturating_mul(factor)
            .min(cfg.flood_wait_max);
        let until = self.now() + wait;
        if st.hold.is_none_or(|(u, _)| u < until) {
            st.hold = Some((until, WaitReason::Flood));
        }
        drop(st);
        self.persist();
        wait
    }

    /// A 429, 5xx or network error: everybody holds for the exponential backoff.
    pub(crate) fn on_backoff(&self, reason: WaitReason) -> Duration {
        let cfg = &self.inner.config;
        let mut st = self.state();
        st.backoff = if st.backoff.is_zero() {
            cfg.backoff_initial
        } else {
            st.backoff.saturating_mul(2)
        }
        .min(cfg.backoff_max);
        let wait = st.backoff;
        let until = self.now() + wait;
        if st.hold.is_none_or(|(u, _)| u < until) {
            st.hold = Some((until, reason));
        }
        wait
    }

    /// The flood wait that a flood right now would impose (for errors).
    pub(crate) fn flood_wait(&self) -> Duration {
        self.inner.config.flood_wait
    }
}

#[cfg(test)]
mod tests;
