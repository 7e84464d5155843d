//! Reading a file at any offset through the file's shared token: a task reads ahead into
//! a small bounded channel (the client's pace sets ours), a seek elsewhere starts a new
//! range request, and a token that expires or is refused mid-stream is replaced and the
//! read goes on from the same byte.

use std::sync::Arc;

use bytes::Bytes;
use fichier_api::ApiError;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::stats::StreamGuard;
use crate::tokens::Tokens;

/// Chunks read ahead of the client: with the download host's chunks of at most a few
/// tens of KiB, a few MiB per stream whatever the file's size.
const READ_AHEAD_CHUNKS: usize = 48;
/// Times a read starts again after the host cut it or refused the token, before it fails.
const ATTEMPTS: u32 = 4;

pub struct Reader {
    tokens: Arc<Tokens>,
    url: String,
    len: u64,
    pos: u64,
    pending: Bytes,
    rx: Option<mpsc::Receiver<Result<Bytes, ApiError>>>,
    task: Option<tokio::task::AbortHandle>,
    token: Option<String>,
    guard: Option<StreamGuard>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("url", &self.url)
            .field("len", &self.len)
            .field("pos", &self.pos)
            .finish_non_exhaustive()
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

impl Reader {
    pub fn new(tokens: Arc<Tokens>, url: &str, len: u64) -> Reader {
        Reader {
            tokens,
            url: url.to_string(),
            len,
            pos: 0,
            pending: Bytes::new(),
            rx: None,
            task: None,
            token: None,
            guard: None,
        }
    }

    pub(crate) fn count_in(&mut self, guard: StreamGuard) {
        self.guard = Some(guard);
    }

    pub fn size(&self) -> u64 {
        self.len
    }

    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Gets the token now, so that a refusal becomes the answer's status rather than a
    /// body cut short.
    pub async fn prepare(&mut self) -> Result<(), ApiError> {
        if self.token.is_none() {
            self.token = Some(self.tokens.get(&self.url).await?);
        }
        Ok(())
    }

    pub fn seek(&mut self, pos: u64) {
        if pos == self.pos {
            return;
        }
        self.stop();
        self.pos = pos;
    }

    fn stop(&mut self) {
        self.rx = None;
        self.pending = Bytes::new();
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }

    /// Up to `max` bytes from the position; empty only at the end of the file.
    pub async fn read(&mut self, max: usize) -> Result<Bytes, ApiError> {
        if self.pos >= self.len || max == 0 {
            return Ok(Bytes::new());
        }
        let mut failures = 0;
        let mut last = None;
        while failures < ATTEMPTS {
            if !self.pending.is_empty() {
                let n = max.min(self.pending.len());
                let out = self.pending.split_to(n);
                self.pos += n as u64;
                if let Some(g) = &self.guard {
                    g.add(n as u64);
                }
                return Ok(out);
            }
            if self.rx.is_none()
                && let Err(e) = self.open().await
            {
                if !recoverable(&e) {
                    return Err(e);
                }
                failures += 1;
                last = Some(e);
                continue;
            }
            let rx = self.rx.as_mut().expect("an open range");
            match rx.recv().await {
                Some(Ok(b)) => {
                    let room = (self.len - self.pos) as usize;
                    self.pending = if b.len() > room { b.slice(..room) } else { b };
                }
                Some(Err(e)) => {
                    if let ApiError::LinkExpired { .. } = e
                        && let Some(t) = self.token.take()
                    {
                        self.tokens.refused(&self.url, &t).await;
                    }
                    self.stop();
                    failures += 1;
                    last = Some(e);
                }
                None => {
                    // The host ended the body before the file's end.
                    self.stop();
                    failures += 1;
                    last = Some(ApiError::Protocol {
                        detail: format!("the download ended at byte {} of {}", self.pos, self.len),
                    });
                }
            }
        }
        Err(last.unwrap_or(ApiError::Protocol {
            detail: "the download could not go on".into(),
        }))
    }

    async fn open(&mut self) -> Result<(), ApiError> {
        let mut refused_once = false;
        let download = loop {
            let token = match &self.token {
                Some(t) => t.clone(),
                None => {
                    let t = self.tokens.get(&self.url).await?;
                    self.token = Some(t.clone());
                    t
                }
            };
            match self
                .tokens
                .client()
                .open_token_range(&token, self.pos, None)
                .await
            {
                Ok(d) => break d,
                Err(ApiError::LinkExpired { .. }) if !refused_once => {
                    refused_once = true;
                    self.tokens.refused(&self.url, &token).await;
                    self.token = None;
                }
                Err(e) => return Err(e),
            }
        };
        if self.pos > 0 && !download.range_honoured {
            return Err(ApiError::Protocol {
                detail: "the download host ignored the range".into(),
            });
        }
        let (tx, rx) = mpsc::channel(READ_AHEAD_CHUNKS);
        let mut body = download.body;
        let task = tokio::spawn(async move {
            while let Some(item) = body.next().await {
                let stop = item.is_err();
                if tx.send(item).await.is_err() || stop {
                    break;
                }
            }
        });
        self.task = Some(task.abort_handle());
        self.rx = Some(rx);
        Ok(())
    }
}

/// Failures a new request (with a new token if needed) can get past.
fn recoverable(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::LinkExpired { .. }
            | ApiError::Network { .. }
            | ApiError::Timeout { .. }
            | ApiError::Server { .. }
            | ApiError::Protocol { .. }
    )
}
