//! The HTTP side: one listener, the Host and credential checks, WebDAV under `/dav/`,
//! stream links under `/s/`, and the fixes dav-server's answers need (the real status of
//! a failure, a `Retry-After`, a default `Depth`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use dav_server::{DavHandler, DavMethod, DavMethodSet};
use fichier_core::library::Library;
use tokio::sync::oneshot;

use crate::ServeConfig;
use crate::app::App;
use crate::fs::{Ctx, FichierFs, Shared};
use crate::guard::{basic_ok, client_kind, host_allowed};
use crate::local::{Local, Locks};
use crate::stats::Stats;
use crate::tokens::Tokens;
use crate::tree::Tree;

/// A running server; dropping it (or `stop`) ends it.
pub struct Server {
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    pub async fn start(config: ServeConfig, library: Library) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let stats = Arc::new(Stats::default());
        let tree = Tree::new(library.clone(), stats.clone(), config.fresh_listing);
        let tokens = Arc::new(Tokens::new(
            library.client().clone(),
            stats.clone(),
            config.token_keep,
        ));
        let fs = FichierFs {
            shared: Arc::new(Shared {
                tree,
                tokens: tokens.clone(),
                local: Local::default(),
                stats: stats.clone(),
                read_only: config.read_only,
                budget: config.budget,
                spool_dir: config.spool_dir.clone(),
            }),
        };
        let mut builder = DavHandler::builder()
            .filesystem(Box::new(fs.clone()))
            .strip_prefix("/dav")
            .read_buf_size(256 << 10)
            .autoindex(true);
        builder = if config.read_only {
            builder.methods(DavMethodSet::WEBDAV_RO)
        } else {
            let mut m = DavMethodSet::WEBDAV_RW;
            m.remove(DavMethod::Patch);
            builder
                .methods(m)
                .locksystem(Locks::new(Duration::from_secs(3600)))
        };
        let app = Arc::new(App {
            config,
            dav: builder.build_handler(),
            fs,
            stats: stats.clone(),
            library: library.clone(),
            tokens,
            known: Default::default(),
        });
        // Waits the pacer announces are shown with the streams.
        let mut waits = library.client().pacer().subscribe();
        let wait_stats = stats.clone();
        tokio::spawn(async move {
            while let Ok(fichier_api::PacerEvent::Waiting { seconds, .. }) = waits.recv().await {
                wait_stats.note_wait(seconds);
            }
        });
        let router = Router::new()
            .route("/dav", any(dav_entry))
            .route("/dav/", any(dav_entry))
            .route("/dav/{*path}", any(dav_entry))
            .route("/s/{secret}/{id}/{*name}", any(crate::stream::stream))
            .route("/", any(root))
            .fallback(|| async { (StatusCode::NOT_FOUND, "Not found\n") })
            .layer(middleware::from_fn_with_state(app.clone(), check_host))
            .with_state(app.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Server {
            addr,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// "http://127.0.0.1:PORT".
    pub fn base_url(&self) -> String {
        let ip = if self.addr.ip().is_unspecified() {
            std::net::IpAddr::from([127, 0, 0, 1])
        } else {
            self.addr.ip()
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    pub fn dav_url(&self) -> String {
        format!("{}/dav/", self.base_url())
    }

    pub fn user(&self) -> &str {
        &self.app.config.user
    }

    pub fn secret(&self) -> &str {
        &self.app.config.secret
    }

    pub fn config(&self) -> &ServeConfig {
        &self.app.config
    }

    pub fn stats(&self) -> &Arc<Stats> {
        &self.app.stats
    }

    /// The stable link of a 1fichier file, for players.
    pub fn stream_link(&self, file_url: &str, name: &str) -> Option<String> {
        crate::stream_link(&self.base_url(), &self.app.config.secret, file_url, name)
    }

    /// Ends the server: no new connection, open ones end.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            // Streams that a player keeps open don't hold the stop for long.
            if tokio::time::timeout(Duration::from_secs(3), t)
                .await
                .is_err()
            {
                tracing::debug!("the server stopped with streams still open");
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

async fn check_host(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    if !host_allowed(host, app.config.lan) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "This server answers requests addressed to this computer only (127.0.0.1 or localhost).\n",
        )
            .into_response();
    }
    app.stats
        .requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    next.run(req).await
}

fn challenge() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            "Basic realm=\"Fichier Desk\", charset=\"UTF-8\"",
        )],
        "The user name and password are in Fichier Desk, under Stream & mount.\n",
    )
        .into_response()
}

/// `/`: Windows and Office ask the root of the server before they mount `/dav/`.
async fn root(State(app): State<Arc<App>>, req: Request) -> Response {
    if req.method() == axum::http::Method::OPTIONS {
        return (
            StatusCode::OK,
            [
                (header::ALLOW, "OPTIONS, GET, HEAD"),
                (header::HeaderName::from_static("dav"), "1, 2"),
                (header::HeaderName::from_static("ms-author-via"), "DAV"),
            ],
        )
            .into_response();
    }
    if req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD {
        let text = format!(
            "Fichier Desk serves this computer's 1fichier library.\nWebDAV drive: /dav/ (user {})\n",
            app.config.user
        );
        return (StatusCode::OK, text).into_response();
    }
    (StatusCode::METHOD_NOT_ALLOWED, "Use /dav/\n").into_response()
}

/// The request's path under `/dav`, decoded: "/a/b" ("/" for the root).
fn dav_key(path: &str) -> String {
    let rest = path.strip_prefix("/dav").unwrap_or(path);
    let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
    let segs: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}", segs.join("/"))
}

async fn dav_entry(State(app): State<Arc<App>>, mut req: Request) -> Response {
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok());
    if !basic_ok(auth, &app.config.user, &app.config.secret) {
        return challenge();
    }
    let method = req.method().clone();
    let depth = req
        .headers()
        .get("depth")
        .and_then(|d| d.to_str().ok())
        .map(str::trim)
        .map(str::to_string);
    if method.as_str() == "PROPFIND" && depth.is_none() {
        // Without Depth dav-server would leave the target itself out.
        req.headers_mut()
            .insert("depth", HeaderValue::from_static("1"));
    }
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|h| h.to_str().ok());
    let ctx = Ctx::new(
        method.clone(),
        depth.as_deref() == Some("0"),
        client_kind(ua),
        dav_key(req.uri().path()),
        app.stats.clone(),
    );
    let resp = app
        .dav
        .handle_guarded(req, app.config.user.clone(), ctx.clone())
        .await;
    let mut resp = resp.map(Body::new);
    if method == axum::http::Method::DELETE
        && let Err(e) = app.fs.flush_deferred(&ctx, None).await
    {
        tracing::warn!("files of a deleted folder stay: {e:?}");
    }
    if let Some(h) = ctx.take_hint() {
        let st = resp.status();
        if st.is_server_error() || st == StatusCode::FORBIDDEN {
            *resp.status_mut() = StatusCode::from_u16(h.status).unwrap_or(st);
            if let Some(secs) = h.retry_after {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp.headers_mut()
                .insert("x-fichier-error", HeaderValue::from_static(h.code.as_str()));
        }
    }
    if let Some(dav) = resp.headers().get("dav").and_then(|v| v.to_str().ok()) {
        // PATCH (partial updates) is refused: don't announce it.
        let cleaned: Vec<&str> = dav
            .split(',')
            .map(str::trim)
            .filter(|p| !p.eq_ignore_ascii_case("sabredav-partialupdate"))
            .collect();
        if let Ok(v) = HeaderValue::from_str(&cleaned.join(", ")) {
            resp.headers_mut().insert("dav", v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn dav_keys() {
        assert_eq!(super::dav_key("/dav"), "/");
        assert_eq!(super::dav_key("/dav/"), "/");
        assert_eq!(super::dav_key("/dav/a%20b/c/"), "/a b/c");
    }
}
