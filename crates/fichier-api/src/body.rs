//! Reading answers with a cap for their kind, enforced while the bytes arrive, so that no
//! server (a broken proxy, a captive portal, a hostile network) can make the client hold
//! more than the cap in memory.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::CONTENT_LENGTH;

use crate::error::ApiError;
use crate::failure::{Failure, FailureKind};

/// JSON answers of the API. The largest real one is a listing of a folder at 1fichier's
/// limit of items; at most about 700 bytes an item (a 250-character name, the link, the
/// checksum, dates and flags), 5,000 items take 3.5 MB. Four times that is a margin.
pub const JSON_CAP: usize = 16 << 20;
/// Error pages and refusals in plain text or HTML: only their first words are read.
pub const ERROR_PAGE_CAP: usize = 16 << 10;

/// What kind of answer is being read, for the cap and the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// A JSON answer of the API, the upload report, a folder page: past the cap it fails.
    Json,
    /// An error page or refusal: past the cap the rest is dropped, the start is kept.
    ErrorPage,
}

impl Answer {
    pub fn cap(self) -> usize {
        match self {
            Answer::Json => JSON_CAP,
            Answer::ErrorPage => ERROR_PAGE_CAP,
        }
    }
}

/// Reads the body of `resp` up to the cap of `kind`. A JSON answer that announces or
/// sends more fails with [`ApiError::AnswerTooLarge`]; an error page is cut at the cap.
pub(crate) async fn read_bounded(resp: reqwest::Response, kind: Answer) -> Result<Bytes, Failure> {
    read_bounded_with(resp, kind, kind.cap()).await
}

/// The status and the body of an answer: JSON-sized when it succeeded, an error page's
/// start otherwise.
pub(crate) async fn read_answer(
    resp: reqwest::Response,
) -> Result<(reqwest::StatusCode, Bytes), Failure> {
    let status = resp.status();
    let kind = if status.is_success() {
        Answer::Json
    } else {
        Answer::ErrorPage
    };
    Ok((status, read_bounded(resp, kind).await?))
}

/// The start of an error page or refusal as text (lossy), never more than the cap.
pub(crate) async fn error_text(resp: reqwest::Response) -> String {
    match read_bounded(resp, Answer::ErrorPage).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => String::new(),
    }
}

pub(crate) async fn read_bounded_with(
    resp: reqwest::Response,
    kind: Answer,
    cap: usize,
) -> Result<Bytes, Failure> {
    let announced = resp
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if kind == Answer::Json
        && let Some(n) = announced
        && n > cap as u64
    {
        return Err(too_large(cap));
    }
    let start = announced.map_or(8 << 10, |n| n as usize).min(cap);
    let mut buf = BytesMut::with_capacity(start);
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(Failure::transport)?;
        let room = cap - buf.len();
        if chunk.len() > room {
            match kind {
                Answer::Json => return Err(too_large(cap)),
                Answer::ErrorPage => {
                    buf.extend_from_slice(&chunk[..room]);
                    break;
                }
            }
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

fn too_large(cap: usize) -> Failure {
    Failure {
        error: ApiError::AnswerTooLarge {
            limit_mib: (cap as u64).div_ceil(1 << 20),
        },
        kind: FailureKind::Final,
    }
}
