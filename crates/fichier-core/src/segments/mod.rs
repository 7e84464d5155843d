//! One download on several connections. The file is cut into segments, each fetched with
//! its own `Range` on one token (asked without `single`, so it serves every connection);
//! a connection that has finished its segment takes the second half of the largest one
//! left, so a slow connection never holds up the end. Bytes are written at their place in
//! the `.part`; after each fsync the segments are journaled, so a resume after `kill -9`
//! asks only for what is missing. The Whirlpool is fed in file order, read back from disk
//! right behind the contiguous prefix.

mod writer;

use fichier_api::ErrorCode;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use fichier_api::{ApiError, GetTokenRequest, Password};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::error::CoreError;
use crate::hashing::HashWorker;
use crate::queue::JobCtx;
pub(crate) use crate::store::Segment;
use crate::types::TransferPhase;
use writer::Writer;

/// Each connection gets at least this much of the file; smaller files use one.
pub(crate) const MIN_SEGMENT: u64 = 8 << 20;
/// A segment is split for a free connection only when at least twice this is left: a
/// split wastes what was already on its way to the old connection (a socket's buffers),
/// and a request costs a round trip. Small enough that a slow connection's piece is
/// taken over while most of it is left.
const MIN_SPLIT: u64 = 1 << 20;
/// A token is asked again after this long (1fichier's last about 5 minutes).
const TOKEN_TTL: Duration = Duration::from_secs(240);
/// How often what was written is fsynced, journaled and hashed.
const SYNC_EVERY: Duration = Duration::from_millis(500);
/// Failures in a row one connection rides out before it gives up.
const RETRIES: u32 = 3;

/// How many connections a file of `size` bytes gets when `wanted` are allowed.
pub(crate) fn connections_for(size: u64, wanted: usize) -> usize {
    (size / MIN_SEGMENT).clamp(1, wanted.max(1) as u64) as usize
}

/// How long the pieces of a file of `size` bytes are: at least 8 MiB (a request's
/// latency is then small beside its bytes), and few enough to journal (256 at most).
fn piece_len(size: u64) -> u64 {
    (size / 256).max(MIN_SEGMENT)
}

/// The first plan: `0..prefix` already written, the rest cut into pieces that the
/// connections take in file order, so the written prefix (and the Whirlpool behind it)
/// moves on at the speed of all of them together.
pub(crate) fn plan(size: u64, prefix: u64) -> Vec<Segment> {
    let prefix = prefix.min(size);
    let mut segs = Vec::new();
    if prefix > 0 {
        segs.push(Segment {
            start: 0,
            end: prefix,
            done: prefix,
        });
    }
    let step = piece_len(size);
    let mut at = prefix;
    while at < size {
        let end = (at + step).min(size);
        segs.push(Segment {
            start: at,
            end,
            done: 0,
        });
        at = end;
    }
    segs
}

/// Whether journaled segments still describe a file of `size` bytes: they cover it
/// exactly, without gaps or overlaps, each with its progress inside it.
pub(crate) fn fits(segs: &[Segment], size: u64) -> bool {
    let mut sorted = segs.to_vec();
    sorted.sort_by_key(|s| s.start);
    let mut at = 0;
    for s in &sorted {
        if s.start != at || s.end < s.start || s.done > s.end - s.start {
            return false;
        }
        at = s.end;
    }
    at == size && !sorted.is_empty()
}

/// How many bytes from the start of the file are all written.
pub(crate) fn contiguous(segs: &[Segment]) -> u64 {
    let mut sorted = segs.to_vec();
    sorted.sort_by_key(|s| s.start);
    let mut at = 0;
    for s in &sorted {
        if s.start != at {
            break;
        }
        at = s.pos();
        if s.left() > 0 {
            break;
        }
    }
    at
}

/// The same progress in fewer segments: neighbours that are both complete become one
/// (the journal of a long download stays short).
pub(crate) fn coalesce(mut segs: Vec<Segment>) -> Vec<Segment> {
    segs.sort_by_key(|s| s.start);
    let mut out: Vec<Segment> = Vec::with_capacity(segs.len());
    for s in segs {
        match out.last_mut() {
            Some(last) if last.left() == 0 && s.left() == 0 && last.end == s.start => {
                last.end = s.end;
                last.done = last.end - last.start;
            }
            _ => out.push(s),
        }
    }
    out
}

/// The segments and which of them a connection is working on.
pub(crate) struct Plan {
    segs: Vec<Segment>,
    busy: Vec<bool>,
}

impl Plan {
    pub fn new(segs: Vec<Segment>) -> Plan {
        let busy = vec![false; segs.len()];
        Plan { segs, busy }
    }

    /// The segment a free connection works on next, now marked as taken: the first one
    /// nobody has, else the second half of the largest one taken (split off), else none.
    pub fn take(&mut self) -> Option<usize> {
        let free = (0..self.segs.len())
            .filter(|&i| !self.busy[i] && self.segs[i].left() > 0)
            .min_by_key(|&i| self.segs[i].start);
        if let Some(i) = free {
            self.busy[i] = true;
            return Some(i);
        }
        let i = (0..self.segs.len())
            .filter(|&i| self.busy[i])
            .max_by_key(|&i| self.segs[i].left())?;
        let s = self.segs[i];
        if s.left() < 2 * MIN_SPLIT {
            return None;
        }
        let mid = s.pos() + s.left() / 2;
        self.segs[i].end = mid;
        self.segs.push(Segment {
            start: mid,
            end: s.end,
            done: 0,
        });
        self.busy.push(true);
        Some(self.segs.len() - 1)
    }

    pub fn release(&mut self, i: usize) {
        self.busy[i] = false;
    }

    /// Claims up to `len` bytes at the end of segment `i`'s progress: where they go, and
    /// how many fit (fewer once the segment was split or is complete).
    fn claim(&mut self, i: usize, len: u64) -> (u64, u64) {
        let s = &mut self.segs[i];
        let take = len.min(s.left());
        let at = s.pos();
        s.done += take;
        (at, take)
    }

    pub fn left(&self) -> u64 {
        self.segs.iter().map(Segment::left).sum()
    }

    fn claimed(&self) -> u64 {
        self.segs.iter().map(|s| s.done).sum()
    }
}

/// The answer of a segmented attempt when the server does not honour ranges: the caller
/// goes on with one connection from the contiguous prefix.
pub(crate) enum Outcome {
    Complete,
    RangesRefused { prefix: u64 },
}

enum Msg {
    Data { seg: usize, at: u64, bytes: Bytes },
    Sync,
}

/// Fetches every missing byte of a file of `size` bytes into `part` on `n` connections,
/// feeding `hasher` (if any) in order. `segs` is the plan (fresh or read back).
#[allow(clippy::too_many_arguments)]
/// What one segmented download fetches, and how.
pub(crate) struct Fetch<'a> {
    /// The file's link.
    pub url: &'a str,
    pub password: Option<Password>,
    /// A token already got without `single`, used before asking for another.
    pub token: Option<String>,
    pub part: &'a Path,
    pub size: u64,
    pub connections: usize,
}

pub(crate) async fn fetch_all(
    ctx: &JobCtx,
    fetch: Fetch<'_>,
    segs: Vec<Segment>,
    hasher: Option<&HashWorker>,
) -> Result<Outcome, CoreError> {
    let Fetch {
        url,
        password,
        token,
        part,
        size,
        connections: n,
    } = fetch;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .read(true)
        .open(part)
        .map_err(|e| CoreError::from_io(part, &e))?;
    let plan = Arc::new(Mutex::new(Plan::new(segs)));
    // Few chunks wait for the disk: memory stays flat whatever the connections bring.
    let (tx, rx) = mpsc::channel::<Msg>(16);
    let writer = Writer::start(
        file,
        part.to_path_buf(),
        plan.clone(),
        ctx.clone(),
        hasher.map(HashWorker::sender),
        rx,
    )?;
    let tokens = Tokens {
        url: url.to_string(),
        password,
        current: tokio::sync::Mutex::new(token.map(|t| (t, Instant::now()))),
    };
    ctx.set_phase(None);
    let workers = futures_util::future::join_all(
        (0..n).map(|_| connection(ctx, &tokens, &plan, tx.clone(), size)),
    );
    let ticker = async {
        loop {
            tokio::time::sleep(SYNC_EVERY).await;
            if tx.send(Msg::Sync).await.is_err() {
                return;
            }
            let done = plan.lock().expect("plan").claimed();
            ctx.progress(done, size);
        }
    };
    let results = tokio::select! {
        r = workers => r,
        _ = ticker => Vec::new(),
    };
    drop(tx);
    // Whatever happened, what was written is fsynced, journaled and hashed.
    let closed = writer.close().await;
    let left = plan.lock().expect("plan").left();
    let mut refused = false;
    let mut first_error = None;
    for r in results {
        match r {
            Ok(()) => {}
            Err(Failure::RangesRefused) => refused = true,
            Err(Failure::Error(e)) => {
                first_error.get_or_insert(e);
            }
        }
    }
    closed?;
    if let Some(e) = first_error
        && (left > 0 || matches!(e, CoreError::Cancelled))
    {
        return Err(e);
    }
    if refused && left > 0 {
        let prefix = ctx.journal_offset();
        return Ok(Outcome::RangesRefused { prefix });
    }
    if left > 0 {
        return Err(CoreError::Api(ApiError::Network {
            detail: "the download ended early".into(),
        }));
    }
    ctx.progress(size, size);
    Ok(Outcome::Complete)
}

enum Failure {
    RangesRefused,
    Error(CoreError),
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Failure {
        Failure::Error(e)
    }
}

/// One connection: takes segments until none is left to take.
async fn connection(
    ctx: &JobCtx,
    tokens: &Tokens,
    plan: &Mutex<Plan>,
    tx: mpsc::Sender<Msg>,
    size: u64,
) -> Result<(), Failure> {
    let mut failures = 0;
    loop {
        let Some(i) = plan.lock().expect("plan").take() else {
            return Ok(());
        };
        let res = segment(ctx, tokens, plan, i, &tx, size).await;
        plan.lock().expect("plan").release(i);
        match res {
            Ok(()) => failures = 0,
            Err(Failure::Error(e))
                if e.retryable() && e.code() != ErrorCode::Flood && failures < RETRIES =>
            {
                failures += 1;
                tracing::info!(target: "fichier_core", id = ctx.id, error = %e, "a connection broke; it tries again");
                ctx.nap(Duration::from_millis(500 << failures)).await?;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Fetches what is left of segment `i`, until it is complete or was split short.
async fn segment(
    ctx: &JobCtx,
    tokens: &Tokens,
    plan: &Mutex<Plan>,
    i: usize,
    tx: &mpsc::Sender<Msg>,
    size: u64,
) -> Result<(), Failure> {
    let (pos, end) = {
        let p = plan.lock().expect("plan");
        (p.segs[i].pos(), p.segs[i].end)
    };
    if pos >= end {
        return Ok(());
    }
    let token = tokens.get(ctx).await?;
    let dl = match ctx
        .guard(ctx.client.open_token_range(&token, pos, Some(end - 1)))
        .await
    {
        Ok(d) => d,
        Err(CoreError::Api(ApiError::LinkExpired { http_status })) => {
            // Refused before its time: the next try asks for a new token.
            tokens.refused(&token).await;
            return Err(CoreError::Api(ApiError::Network {
                detail: format!("the download link was refused ({http_status})"),
            })
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    if !dl.range_honoured {
        return Err(Failure::RangesRefused);
    }
    if dl.total_len.is_some_and(|t| t != size) {
        return Err(CoreError::Api(ApiError::Protocol {
            detail: format!(
                "the file is {} bytes now, {size} were announced",
                dl.total_len.unwrap_or(0)
            ),
        })
        .into());
    }
    let mut body = dl.body;
    let stall = ctx.options().stall_timeout;
    loop {
        let next = tokio::select! {
            biased;
            _ = ctx.stopped() => return Err(CoreError::Cancelled.into()),
            n = tokio::time::timeout(stall, body.next()) => n,
        };
        let chunk = match next {
            Err(_) => {
                // One connection stalled, not the download: it starts again from where
                // it is while the others go on, and the phase stays as it is.
                return Err(CoreError::Api(ApiError::Timeout {
                    detail: format!("no data for {} s", stall.as_secs().max(1)),
                })
                .into());
            }
            Ok(None) => {
                let left = plan.lock().expect("plan").segs[i].left();
                if left == 0 {
                    return Ok(());
                }
                return Err(CoreError::Api(ApiError::Network {
                    detail: "a connection ended early".into(),
                })
                .into());
            }
            Ok(Some(Err(e))) => return Err(CoreError::from(e).into()),
            Ok(Some(Ok(c))) => c,
        };
        ctx.bandwidth().acquire(chunk.len()).await;
        // One look at the plan per chunk: where it goes, and whether the segment is
        // then complete (a split never takes a segment's last bytes from under it).
        let (at, take, rest) = {
            let mut p = plan.lock().expect("plan");
            let (at, take) = p.claim(i, chunk.len() as u64);
            (at, take, p.segs[i].left())
        };
        if take > 0 {
            let bytes = chunk.slice(..take as usize);
            if tx.send(Msg::Data { seg: i, at, bytes }).await.is_err() {
                // The writer stopped (disk full…): its error is the one reported.
                return Err(CoreError::Cancelled.into());
            }
        }
        if take < chunk.len() as u64 || rest == 0 {
            // Complete, or split and given in part to another connection.
            return Ok(());
        }
    }
}

/// One token for every connection, asked again when it is old or was refused.
struct Tokens {
    url: String,
    password: Option<Password>,
    current: tokio::sync::Mutex<Option<(String, Instant)>>,
}

impl Tokens {
    async fn get(&self, ctx: &JobCtx) -> Result<String, CoreError> {
        let mut cur = self.current.lock().await;
        if let Some((url, at)) = &*cur
            && at.elapsed() < TOKEN_TTL
        {
            return Ok(url.clone());
        }
        ctx.set_phase(Some(TransferPhase::Connecting));
        let mut req = GetTokenRequest::new(&self.url);
        // Several requests on one token: not `single`.
        req.single = Some(false);
        req.pass = self.password.clone();
        let token = ctx.guard(ctx.client.get_token(&req)).await?;
        ctx.set_phase(None);
        *cur = Some((token.url.clone(), Instant::now()));
        Ok(token.url)
    }

    async fn refused(&self, url: &str) {
        let mut cur = self.current.lock().await;
        if cur.as_ref().is_some_and(|(u, _)| u == url) {
            *cur = None;
        }
    }
}

#[cfg(test)]
mod tests;
