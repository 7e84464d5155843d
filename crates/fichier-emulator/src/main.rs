//! `fichier-emulator`: run a local 1fichier on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use fichier_emulator::{Emulator, EmulatorConfig, Limits, Offer};

/// A faithful local stand-in for 1fichier.com: API, upload node and download host.
#[derive(Parser, Debug)]
#[command(name = "fichier-emulator", version)]
struct Args {
    /// Address to listen on (port 0 picks a free one). Loopback only.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Add a premium account with this key (repeatable).
    #[arg(long = "key")]
    keys: Vec<String>,
    /// Add a free account with this key (repeatable).
    #[arg(long = "free-key")]
    free_keys: Vec<String>,
    /// Load the demo account (premium) with folders and files, and print its key.
    #[arg(long)]
    demo: bool,
    /// Keep stored files in this folder (a temporary one otherwise).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Turn 1fichier's rate limits off (for benchmarks).
    #[arg(long)]
    no_rate_limits: bool,
    /// Length of a flood lock, in seconds.
    #[arg(long, default_value_t = 30)]
    flood_lock_secs: u64,
    /// Lifetime of a download token URL, in seconds.
    #[arg(long, default_value_t = 300)]
    token_ttl_secs: u64,
    /// Largest file one remote-upload URL may bring, in bytes.
    #[arg(long, default_value_t = fichier_emulator::DEFAULT_REMOTE_MAX_BYTES)]
    remote_max_bytes: u64,
    /// Cap every connection (upload or download) at this many bytes per second.
    #[arg(long, value_name = "BYTES_PER_S")]
    throttle: Option<u64>,
    /// Answer every download request this many milliseconds late.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "fichier-emulator: refusing to listen on {}: loopback addresses only",
            args.listen
        );
        std::process::exit(2);
    }
    let config = EmulatorConfig {
        listen: args.listen,
        data_dir: args.data,
        rate_limits: !args.no_rate_limits,
        limits: Limits {
            flood_lock: Duration::from_secs(args.flood_lock_secs),
            ..Limits::default()
        },
        token_ttl: Duration::from_secs(args.token_ttl_secs),
        remote_max_bytes: args.remote_max_bytes,
        demo: args.demo,
        ..EmulatorConfig::default()
    };
    let emu = match Emulator::start(config).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("fichier-emulator: cannot start: {e}");
            std::process::exit(1);
        }
    };
    emu.faults().throttle(args.throttle);
    emu.faults().download_latency(args.latency_ms);
    for k in &args.keys {
        emu.add_account_with_key(k.trim(), Offer::Premium);
    }
    for k in &args.free_keys {
        emu.add_account_with_key(k.trim(), Offer::Free);
    }
    if let Some(k) = emu.demo_key() {
        eprintln!("fichier-emulator: demo account key: {k}");
    }
    println!("fichier-emulator listening on {}", emu.base_url());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    emu.stop().await;
}
