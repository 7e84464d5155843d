//! `fichier`: 1fichier.com from a terminal or a script, on the same core as the desktop app.

mod account;
mod backup;
mod files;
mod output;
mod serve;
mod session;
mod transfers;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::output::Out;
use crate::session::ACCOUNT;
pub use crate::session::{CliResult, Failure, account_flag, client, client_for};

/// 1fichier.com from the command line: browse, move, upload and download with a queue
/// that resumes after a crash.
///
/// The API key comes from FICHIER_API_KEY or from the system keychain (`fichier login`).
/// FICHIER_API_BASE points the command at another API (e.g. the local emulator).
///
/// Exit codes: 0 success, 1 other error, 2 bad usage, 3 key or account problem,
/// 4 not found, 5 a transfer failed, 6 rate-limited by 1fichier, 7 keychain unavailable,
/// 8 local disk error, 9 the transfer queue is in use by another process (see --wait).
#[derive(Parser, Debug)]
#[command(name = "fichier", version, max_term_width = 100)]
pub struct Cli {
    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// Work with this account (`fichier accounts list`); the default one otherwise.
    #[arg(long, global = true, value_name = "NAME", env = fichier_core::accounts::ACCOUNT_ENV)]
    account: Option<String>,
    /// Transfer queue database (default: the data folder's cli-queue.db, or
    /// cli-queue-<account>.db for an account other than main).
    #[arg(long, global = true, value_name = "PATH")]
    queue: Option<PathBuf>,
    /// Transfers running at once (1 to 8).
    #[arg(long, global = true, default_value_t = fichier_core::DEFAULT_CONCURRENCY)]
    concurrency: u32,
    /// Connections one large download may use (1 to 8; files under 16 MiB use one).
    #[arg(long, global = true, default_value_t = fichier_core::DEFAULT_CONNECTIONS)]
    connections: u32,
    /// Global bandwidth limit for transfers, in bytes per second.
    #[arg(long, global = true, value_name = "BYTES_PER_S")]
    limit: Option<u64>,
    /// When another process works on the queue, wait for it instead of failing.
    #[arg(long, global = true)]
    wait: bool,
    /// Seconds one API request may take before it is abandoned (default 30).
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        env = "FICHIER_API_TIMEOUT"
    )]
    timeout: Option<f64>,
    /// Send the key stored in the keychain to the API at FICHIER_API_BASE even though
    /// it is not 1fichier (the same as FICHIER_SEND_STORED_KEY=1).
    #[arg(long, global = true)]
    send_stored_key: bool,
    /// Skip Whirlpool verification (sizes are still checked). For measurements.
    #[arg(long, global = true, hide = true)]
    no_verify: bool,
    /// Send every small file in its own upload request instead of in batches. For
    /// measurements.
    #[arg(long, global = true, hide = true)]
    no_batch: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Store an API key in the system keychain (read from stdin, or asked for), for the
    /// default account or the one --account names.
    Login,
    /// Remove the API key (of the default account, or of --account) from the keychain.
    Logout,
    /// Several 1fichier accounts: each with its own key in the keychain, its own queue and
    /// its own pacing. `--account NAME` (or FICHIER_ACCOUNT) picks one for any command.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Show the account: e-mail, offer, storage, CDN credit, and what needs attention.
    Whoami,
    /// Check 1fichier links listed in FILE (or - for standard input), in any form they
    /// were pasted: name, size and whether each can be downloaded. Uses 1fichier's mass
    /// check (100 links a request, no API call). Exits with 4 when any can't be.
    Check {
        #[arg(value_name = "FILE")]
        source: String,
        /// Then download every available file into DIR.
        #[arg(long, value_name = "DIR")]
        download: Option<PathBuf>,
    },
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff).
    #[command(hide = true)]
    Manpage,
    /// List a folder (default: the root, 0).
    Ls { folder: Option<i64> },
    /// Show a folder tree with its files.
    Tree { folder: Option<i64> },
    /// Create a folder.
    Mkdir {
        name: String,
        /// Parent folder id (default: the root).
        #[arg(long, default_value_t = 0)]
        parent: i64,
    },
    /// Move files (URLs) or folders (ids) into a folder.
    Mv {
        #[arg(required = true)]
        items: Vec<String>,
        /// Destination folder id.
        #[arg(long)]
        to: i64,
    },
    /// Copy files (URLs) into a folder.
    Cp {
        #[arg(required = true)]
        urls: Vec<String>,
        #[arg(long)]
        to: i64,
    },
    /// Rename a file (URL) or a folder (id).
    Rename { item: String, new_name: String },
    /// Delete files (URLs) or folders (ids; needs --yes).
    Rm {
        #[arg(required = true)]
        items: Vec<String>,
        /// Confirm deleting folders (with everything in them when --recursive).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Delete what folders contain first.
        #[arg(long, short = 'r')]
        recursive: bool,
    },
    /// Show a file's details.
    Info {
        url: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Print a direct download URL (valid about 5 minutes).
    Link {
        url: String,
        #[arg(long)]
        password: Option<String>,
    },
    /// Upload files and folders (folders keep their tree).
    Upload {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Destination folder id (default: the root).
        #[arg(long, default_value_t = 0)]
        folder: i64,
        /// Protect the uploaded files with this password.
        #[arg(long)]
        password: Option<String>,
    },
    /// Download files by URL.
    Download {
        #[arg(required = true)]
        urls: Vec<String>,
        /// Destination folder (default: the current folder).
        #[arg(short = 'o', long = "output", default_value = ".")]
        output: PathBuf,
        /// Password of protected files.
        #[arg(long)]
        password: Option<String>,
    },
    /// Resume what an earlier run left in the queue.
    Resume,
    /// Print the Whirlpool checksum of local files (what 1fichier shows as checksum).
    Hash {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Remote upload: 1fichier fetches URLs for you.
    #[command(subcommand)]
    Remote(RemoteCommand),
    /// Backups: local folders kept on 1fichier, shared with the app.
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Serve the library on this computer: a WebDAV drive at /dav/ (user "fichier", the
    /// password from the keychain or FICHIER_SERVE_SECRET) and stable stream links for
    /// players, until Ctrl+C.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = serve::DEFAULT_ADDR)]
        addr: String,
        /// Refuse every change (no upload, move or delete).
        #[arg(long)]
        read_only: bool,
        /// Allow an address other computers reach (a TV on the local network).
        #[arg(long)]
        lan: bool,
        /// Seconds one download token serves (benchmarks with short-lived tokens).
        #[arg(long, hide = true, default_value_t = 240)]
        token_keep_secs: u64,
    },
    /// Write a .strm file per video of FOLDER (and its sub-folders) into DIR, and an .m3u
    /// playlist per folder, for Jellyfin, Emby and Kodi. Run again to update.
    ExportStrm {
        folder: i64,
        dir: PathBuf,
        /// Where the links point (the address `fichier serve` listens on).
        #[arg(long, value_name = "URL")]
        base: Option<String>,
    },
    /// Back up LOCAL into FOLDER now: only what changed goes up, renames become moves on
    /// 1fichier. The pair is remembered, so the next sync reads only what changed.
    Sync {
        local: PathBuf,
        /// A folder id, or a path from the root such as /Backups/Photos (created if missing).
        folder: String,
        /// Also follow deletions and renames (removed files go to a dated trash folder).
        #[arg(long)]
        mirror: bool,
        /// Say what would be done, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Leave out what matches this gitignore-style pattern (repeatable).
        #[arg(long = "exclude", value_name = "PATTERN")]
        excludes: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum AccountsCommand {
    /// The accounts, the default one marked, and whether each has a key stored.
    #[command(alias = "ls")]
    List,
    /// Add an account called NAME; its key is read from stdin (or asked for), checked
    /// with 1fichier, then stored in the keychain.
    Add { name: String },
    /// Forget an account and remove its key from the keychain.
    Rm { name: String },
    /// Make NAME the account commands use without --account.
    Default { name: String },
}

#[derive(Subcommand, Debug)]
enum BackupCommand {
    /// Add a backup of LOCAL into FOLDER (an id, or a path such as /Backups/Photos,
    /// created if missing).
    Add {
        local: PathBuf,
        folder: String,
        /// Its name (default: the local folder's).
        #[arg(long)]
        name: Option<String>,
        /// Also follow deletions and renames (removed files go to a dated trash folder).
        #[arg(long)]
        mirror: bool,
        /// Leave out what matches this gitignore-style pattern (repeatable).
        #[arg(long = "exclude", value_name = "PATTERN")]
        excludes: Vec<String>,
        /// Run every N hours (while the app runs, or from `fichier backup run`).
        #[arg(long, value_name = "HOURS")]
        every: Option<u32>,
        /// Run each day at this time.
        #[arg(long, value_name = "HH:MM")]
        daily: Option<String>,
        /// Back up changes as they happen while the app runs.
        #[arg(long)]
        watch: bool,
        /// Earlier copies of a changed file to keep.
        #[arg(long, default_value_t = fichier_core::backup::DEFAULT_VERSIONS)]
        versions: u32,
        /// Days removed files stay in the trash folder.
        #[arg(long, default_value_t = fichier_core::backup::DEFAULT_TRASH_DAYS)]
        trash_days: u32,
    },
    /// List the backups with their last and next runs.
    #[command(alias = "ls")]
    List,
    /// Run a backup now (by name or id).
    Run {
        backup: String,
        /// Say what would be done, change nothing.
        #[arg(long, conflicts_with = "verify")]
        dry_run: bool,
        /// First check every backed-up file against 1fichier (done weekly by itself);
        /// files removed there are sent again.
        #[arg(long)]
        verify: bool,
    },
    /// Forget a backup (nothing on 1fichier or on the disk is removed).
    Rm { backup: String },
    /// A backup's state, last run and problems (all backups without a name).
    Status { backup: Option<String> },
}

#[derive(Subcommand, Debug)]
enum RemoteCommand {
    /// Ask 1fichier to fetch URLs into a folder.
    Add {
        #[arg(required = true)]
        urls: Vec<String>,
        #[arg(long, default_value_t = 0)]
        folder: i64,
        /// Extra header 1fichier should send, as "Name: value" (repeatable).
        #[arg(long = "header")]
        headers: Vec<String>,
        /// Wait until 1fichier has run the job and show the results.
        #[arg(long)]
        wait: bool,
    },
    /// List remote-upload jobs.
    Ls,
    /// Show one job's results.
    Info { id: i64 },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The flags that the client reads from the environment, set before any thread starts.
    if let Some(secs) = cli.timeout {
        // SAFETY: still single-threaded: no runtime or other thread exists yet.
        unsafe { std::env::set_var(fichier_api::API_TIMEOUT_ENV, secs.to_string()) };
    }
    if cli.send_stored_key {
        // SAFETY: as above.
        unsafe { std::env::set_var(fichier_core::SEND_STORED_KEY_ENV, "1") };
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FICHIER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let _ = ACCOUNT.set(cli.account.clone().filter(|a| !a.trim().is_empty()));
    let out = Out::new(cli.json, std::io::stderr().is_terminal());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime starts");
    match rt.block_on(run(cli, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            out.error(&f);
            ExitCode::from(f.code)
        }
    }
}

async fn run(cli: Cli, out: &Out) -> CliResult {
    match &cli.command {
        Command::Login => account::login(out).await,
        Command::Logout => account::logout(out),
        Command::Accounts(AccountsCommand::List) => account::accounts_list(out),
        Command::Accounts(AccountsCommand::Add { name }) => account::accounts_add(out, name).await,
        Command::Accounts(AccountsCommand::Rm { name }) => account::accounts_rm(out, name),
        Command::Accounts(AccountsCommand::Default { name }) => {
            account::accounts_default(out, name)
        }
        Command::Whoami => files::whoami(out).await,
        Command::Check { source, download } => {
            account::check(&cli, out, source, download.clone()).await
        }
        Command::Completions { shell } => account::completions(*shell),
        Command::Manpage => account::manpage(),
        Command::Ls { folder } => files::ls(out, folder.unwrap_or(0)).await,
        Command::Tree { folder } => files::tree(out, folder.unwrap_or(0)).await,
        Command::Mkdir { name, parent } => files::mkdir(out, name, *parent).await,
        Command::Mv { items, to } => files::mv(out, items, *to).await,
        Command::Cp { urls, to } => files::cp(out, urls, *to).await,
        Command::Rename { item, new_name } => files::rename(out, item, new_name).await,
        Command::Rm {
            items,
            yes,
            recursive,
        } => files::rm(out, items, *yes, *recursive).await,
        Command::Info { url, password } => files::info(out, url, password.clone()).await,
        Command::Link { url, password } => files::link(out, url, password.clone()).await,
        Command::Upload {
            paths,
            folder,
            password,
        } => transfers::upload(&cli, out, paths.clone(), *folder, password.clone()).await,
        Command::Download {
            urls,
            output,
            password,
        } => transfers::download(&cli, out, urls.clone(), output.clone(), password.clone()).await,
        Command::Resume => transfers::resume(&cli, out).await,
        Command::Serve {
            addr,
            read_only,
            lan,
            token_keep_secs,
        } => serve::serve(out, addr, *read_only, *lan, *token_keep_secs).await,
        Command::ExportStrm { folder, dir, base } => {
            serve::export_strm(out, *folder, dir, base.as_deref()).await
        }
        Command::Hash { paths } => files::hash(out, paths),
        Command::Remote(RemoteCommand::Add {
            urls,
            folder,
            headers,
            wait,
        }) => transfers::remote_add(&cli, out, urls.clone(), *folder, headers, *wait).await,
        Command::Remote(RemoteCommand::Ls) => files::remote_ls(out).await,
        Command::Remote(RemoteCommand::Info { id }) => files::remote_info(out, *id).await,
        Command::Backup(BackupCommand::Add {
            local,
            folder,
            name,
            mirror,
            excludes,
            every,
            daily,
            watch,
            versions,
            trash_days,
        }) => {
            let job = backup::NewJob {
                local: local.clone(),
                folder: folder.clone(),
                name: name.clone(),
                mirror: *mirror,
                excludes: excludes.clone(),
                every: *every,
                daily: daily.clone(),
                watch: *watch,
                versions: *versions,
                trash_days: *trash_days,
            };
            backup::add(&cli, out, job).await
        }
        Command::Backup(BackupCommand::List) => backup::list(&cli, out).await,
        Command::Backup(BackupCommand::Run {
            backup,
            dry_run,
            verify,
        }) => backup::run(&cli, out, backup, *dry_run, *verify).await,
        Command::Backup(BackupCommand::Rm { backup }) => backup::remove(&cli, out, backup).await,
        Command::Backup(BackupCommand::Status { backup }) => {
            backup::status(&cli, out, backup.as_deref()).await
        }
        Command::Sync {
            local,
            folder,
            mirror,
            dry_run,
            excludes,
        } => {
            let job = backup::NewJob {
                local: local.clone(),
                folder: folder.clone(),
                name: None,
                mirror: *mirror,
                excludes: excludes.clone(),
                every: None,
                daily: None,
                watch: false,
                versions: fichier_core::backup::DEFAULT_VERSIONS,
                trash_days: fichier_core::backup::DEFAULT_TRASH_DAYS,
            };
            backup::sync(&cli, out, job, *dry_run).await
        }
    }
}
