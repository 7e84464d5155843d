//! A misbehaving HTTP server for tests: it answers each request with a script of raw
//! bytes and pauses, so a test can produce what a well-behaved server never sends: an
//! answer that trickles, a body of gigabytes, a body that ends early, a length that lies,
//! a redirect elsewhere, a `200` to a `Range` request. Loopback only; one request per
//! connection (every scripted answer closes it).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The path without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first offset of a `Range: bytes=N-` header.
    pub fn range_start(&self) -> Option<u64> {
        let v = self.header("range")?.trim().strip_prefix("bytes=")?;
        v.split('-').next()?.trim().parse().ok()
    }
}

/// One step of an answer.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Write `chunk` `times` times (a huge body without holding it in memory).
    Repeat { chunk: Vec<u8>, times: u64 },
    /// Wait before the next step.
    Sleep(Duration),
    /// Write `byte` every `every`, `times` times: an answer that never quite ends.
    Trickle {
        byte: u8,
        every: Duration,
        times: u32,
    },
}

/// Decides the answer to each request.
pub type Handler = Arc<dyn Fn(&Request) -> Vec<Step> + Send + Sync>;

/// The server; it stops when dropped.
pub struct HostileServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl HostileServer {
    pub async fn start(handler: Handler) -> HostileServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(conn, handler, log).await;
                });
            }
        });
        HostileServer {
            port,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many requests had this path.
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut conn: TcpStream,
    handler: Handler,
    log: Arc<Mutex<Vec<Request>>>,
) -> std::io::Result<()> {
    let Some(req) = read_request(&mut conn).await? else {
        return Ok(());
    };
    log.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(req.clone());
    for step in handler(&req) {
        match step {
            Step::Send(b) => conn.write_all(&b).await?,
            Step::Repeat { chunk, times } => {
                for _ in 0..times {
                    conn.write_all(&chunk).await?;
                }
            }
            Step::Sleep(d) => tokio::time::sleep(d).await,
            Step::Trickle { byte, every, times } => {
                for _ in 0..times {
                    tokio::time::sleep(every).await;
                    conn.write_all(&[byte]).await?;
                    conn.flush().await?;
                }
            }
        }
    }
    conn.flush().await?;
    conn.shutdown().await
}

/// Reads one request: head up to 64 KiB, body by `Content-Length` up to 16 MiB.
async fn read_request(conn: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::with_capacity(4096);
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 << 10 {
            return Ok(None);
        }
        let n = conn.read(&mut tmp).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(16 << 20);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = conn.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&tmp[..n]);
    }
    body.truncate(len);
    Ok(Some(Request {
        method,
        target,
        headers,
        body,
    }))
}

/// A status line and headers (with `Connection: close`), ready to send.
pub fn head(status: u16, headers: &[(&str, String)]) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// A complete JSON answer.
pub fn json(status: u16, body: &str) -> Vec<Step> {
    let mut out = head(
        status,
        &[
            ("Content-Type", "application/json".into()),
            ("Content-Length", body.len().to_string()),
        ],
    );
    out.extend_from_slice(body.as_bytes());
    vec![Step::Send(out)]
}

/// A JSON answer that starts, then sends one space every `every`, `times` times.
pub fn trickling_json(every: Duration, times: u32) -> Vec<Step> {
    vec![
        Step::Send(head(200, &[("Content-Type", "application/json".into())])),
        Step::Send(b"{".to_vec()),
        Step::Trickle {
            byte: b' ',
            every,
            times,
        },
    ]
}

/// A JSON answer of about `gib` GiB (chunked, no length): `prefix`, then `item` repeated.
pub fn endless_json(prefix: &[u8], item: &[u8], gib: u64) -> Vec<Step> {
    let mut chunk = Vec::with_capacity(64 << 10);
    while chunk.len() + item.len() <= 64 << 10 {
        chunk.extend_from_slice(item);
    }
    let times = (gib << 30) / chunk.len() as u64;
    vec![
        Step::Send(head(200, &[("Content-Type", "application/json".into())])),
        Step::Send(prefix.to_vec()),
        Step::Repeat { chunk, times },
    ]
}
