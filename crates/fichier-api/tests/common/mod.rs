//! Shared helpers: an emulator, a client on a fake clock, a byte stream, and a tiny fake
//! server for the cases the emulator can't produce (hostile hosts).

#![allow(dead_code)]

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use fichier_api::{ApiKey, ClientConfig, FakeClock, FichierClient, Pacer, PacerConfig};
use fichier_emulator::{Emulator, EmulatorConfig, Offer};
use futures_util::{Stream, StreamExt, stream};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Env {
    pub emu: Emulator,
    pub key: String,
    pub client: FichierClient,
    pub clock: FakeClock,
}

pub fn no_limits() -> EmulatorConfig {
    EmulatorConfig {
        rate_limits: false,
        remote_delay: Duration::from_millis(50),
        ..EmulatorConfig::default()
    }
}

pub fn config_for(emu: &Emulator) -> ClientConfig {
    let mut c = ClientConfig::with_base(&emu.api_base()).expect("emulator base is valid");
    c.end_pl_delay = Duration::from_millis(10);
    c
}

/// A client whose pacer runs on a fake clock: spacing, backoff and flood waits cost no
/// real time.
pub fn fake_clock_client(emu: &Emulator, key: &str) -> (FichierClient, FakeClock) {
    let clock = FakeClock::new();
    let pacer = Pacer::with_clock(PacerConfig::default(), Arc::new(clock.clone()));
    let client = FichierClient::with_pacer(
        config_for(emu),
        Some(ApiKey::parse(key).expect("emulator keys are valid")),
        pacer,
    )
    .expect("client builds");
    (client, clock)
}

impl Env {
    pub async fn new(config: EmulatorConfig, offer: Offer) -> Env {
        let emu = Emulator::start(config).await.expect("emulator starts");
        let key = emu.add_account(offer);
        let (client, clock) = fake_clock_client(&emu, &key);
        Env {
            emu,
            key,
            client,
            clock,
        }
    }

    /// Rate limits off, premium account, fake clock.
    pub async fn plain() -> Env {
        Env::new(no_limits(), Offer::Premium).await
    }

    /// Requests whose path ends with `suffix`.
    pub fn count(&self, suffix: &str) -> usize {
        self.emu
            .request_log()
            .iter()
            .filter(|e| e.path.ends_with(suffix))
            .count()
    }

    /// Uploads `data` as `name` into `folder`; returns the new URL.
    pub async fn upload(&self, name: &str, data: &[u8], folder: Option<i64>) -> String {
        let opts = fichier_api::UploadOptions {
            folder_id: folder,
            ..Default::default()
        };
        self.client
            .upload(
                name,
                data.len() as u64,
                bytes_stream(data.to_vec(), 7),
                &opts,
            )
            .await
            .expect("upload succeeds")
            .download
    }
}

/// `data` as a stream of chunks of `chunk` bytes.
pub fn bytes_stream(
    data: Vec<u8>,
    chunk: usize,
) -> impl Stream<Item = Result<Bytes, io::Error>> + Send + 'static {
    let chunks: Vec<Result<Bytes, io::Error>> = data
        .chunks(chunk.max(1))
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(chunks)
}

/// Collects a download body.
pub async fn collect(mut body: fichier_api::ByteStream) -> Result<Vec<u8>, fichier_api::ApiError> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

/// A request as the fake server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// A minimal HTTP/1.1 server on loopback that answers with `handler` and records what it
/// received, raw. Enough for hostile-host tests.
pub struct FakeServer {
    pub addr: std::net::SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(
        handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static,
    ) -> FakeServer {
        FakeServer::start_with(move |_| handler).await
    }

    /// Like `start`, for a handler that needs to know the server's own address.
    pub async fn start_with<H>(make: impl FnOnce(std::net::SocketAddr) -> H) -> FakeServer
    where
        H: Fn(&Seen) -> (u16, String) + Send + Sync + 'static,
    {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(make(addr));
        let seen2 = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let seen = seen2.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut tmp = [0u8; 4096];
                    let head_end = loop {
                        let Ok(n) = sock.read(&mut tmp).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&tmp[..n]);
                        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break p + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let mut lines = head.split("\r\n");
                    let first = lines.next().unwrap_or_default();
                    let mut parts = first.split(' ');
                    let method = parts.next().unwrap_or_default().to_string();
                    let path = parts.next().unwrap_or_default().to_string();
                    let headers: Vec<(String, String)> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .collect();
                    let len: usize = headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    let mut body = buf[head_end..].to_vec();
                    while body.len() < len {
                        let Ok(n) = sock.read(&mut tmp).await else {
                            return;
                        };
                        if n == 0 {
                            break;
                        }
                        body.extend_from_slice(&tmp[..n]);
                    }
                    let req = Seen {
                        method,
                        path,
                        headers,
                        body,
                    };
                    let (status, text) = handler(&req);
                    seen.lock().unwrap().push(req);
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        FakeServer { addr, seen, task }
    }

    pub fn api_base(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
