//! `fichier serve` and `fichier export-strm`: the library as a WebDAV drive and stream
//! links for players, and `.strm` trees for media servers.

use fichier_api::ErrorCode;
use std::net::SocketAddr;
use std::path::Path;

use fichier_core::library::Library;
use fichier_serve::{ServeConfig, Server};
use serde_json::json;

use crate::output::Out;
use crate::{CliResult, Failure, client};

/// The address the server uses when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:4918";

fn secret() -> Result<String, Failure> {
    Ok(fichier_core::serve_secret(fichier_serve::random_secret)?)
}

fn parse_addr(addr: &str, lan: bool) -> Result<SocketAddr, Failure> {
    let a: SocketAddr = addr.parse().map_err(|_| {
        Failure::usage(format!("{addr:?} is not an address such as 127.0.0.1:4918"))
    })?;
    if !a.ip().is_loopback() && !lan {
        return Err(Failure::usage(format!(
            "{addr} is reachable from other computers: add --lan to say that is what you want (the password is then all that protects your library)"
        )));
    }
    Ok(a)
}

pub async fn serve(
    out: &Out,
    addr: &str,
    read_only: bool,
    lan: bool,
    token_keep_secs: u64,
) -> CliResult {
    let library = Library::new(client()?);
    let mut config = ServeConfig::new(secret()?);
    config.listen = parse_addr(addr, lan)?;
    config.lan = lan;
    config.read_only = read_only;
    config.token_keep = std::time::Duration::from_secs(token_keep_secs.max(1));
    let server = Server::start(config, library).await.map_err(|e| Failure {
        code: 1,
        error_code: ErrorCode::Io,
        message: format!("Couldn't listen on {addr}: {e}. Another program may use the port: pick another with --addr."),
        shown: false,
    })?;
    let info = json!({
        "address": server.base_url(),
        "dav": server.dav_url(),
        "user": server.user(),
        "secret": server.secret(),
        "readOnly": read_only,
    });
    out.show(&info, || {
        println!(
            "WebDAV drive: {} (user {}, password {})",
            server.dav_url(),
            server.user(),
            server.secret()
        );
        println!(
            "Stream links: {}/s/{}/<file id>/<name>",
            server.base_url(),
            server.secret()
        );
        println!("Press Ctrl+C to stop.");
    });
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    let c = server.stats().counters();
    server.stop().await;
    out.note(&format!(
        "stopped: {} requests, {} API calls, {} download tokens",
        c.requests, c.api_calls, c.token_calls
    ));
    Ok(())
}

pub async fn export_strm(out: &Out, folder: i64, dir: &Path, base: Option<&str>) -> CliResult {
    let library = Library::new(client()?);
    let base = base.map_or_else(|| format!("http://{DEFAULT_ADDR}"), str::to_string);
    let link_base = format!("{}/s/{}", base.trim_end_matches('/'), secret()?);
    let report = fichier_serve::export_strm(&library, folder, dir, &link_base)
        .await
        .map_err(|e| match e {
            fichier_serve::ExportError::Api(a) => Failure::from(fichier_core::CoreError::from(a)),
            other => Failure {
                code: 8,
                error_code: ErrorCode::Io,
                message: other.to_string(),
                shown: false,
            },
        })?;
    out.show(&report, || {
        println!(
            "{} link(s) written, {} unchanged, {} removed, {} folder(s), {} playlist(s) in {}",
            report.written,
            report.unchanged,
            report.removed,
            report.folders,
            report.playlists,
            report.dir
        );
        println!(
            "Links point at {base}: keep `fichier serve` (or the app's Stream & mount) running."
        );
    });
    Ok(())
}
