//! Accounts and their keys (`login`, `logout`, `accounts`), `fichier check`, and what
//! describes the command itself: shell completions and the man page, both generated from
//! the same definitions as `--help`.

use fichier_api::ErrorCode;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::CommandFactory;
use fichier_api::{ApiKey, ClientConfig};
use fichier_core::accounts::{AccountEntry, Accounts};
use fichier_core::links::{LinkReport, LinkStatus, check_text};
use serde_json::json;

use crate::output::{Out, size};
use crate::{Cli, CliResult, Failure, account_flag, client, client_for};

/// Reads a key from standard input, asking for it on a terminal.
fn read_key(whose: &str) -> Result<ApiKey, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("1fichier API key for {whose} (from 1fichier.com > Parameters > API key): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("couldn't read the key: {e}")))?;
    Ok(ApiKey::parse(&line)?)
}

/// Checks `key` with 1fichier, stores it as `entry`'s key and remembers its e-mail.
async fn store_key(out: &Out, accounts: &mut Accounts, entry: &AccountEntry) -> CliResult {
    let key = read_key(&format!("the account {:?}", entry.name))?;
    let info = client_for(key.clone())?.user_info_fresh().await?;
    entry.credentials(&ClientConfig::from_env()?).save(&key)?;
    accounts.set_email(&entry.id, &info.email);
    accounts.save()?;
    out.show(
        &json!({"account": entry.name, "email": info.email, "offer": info.offer}),
        || {
            println!(
                "Account {:?}: {} ({:?}). The key is in the system keychain.",
                entry.name, info.email, info.offer
            )
        },
    );
    Ok(())
}

pub async fn login(out: &Out) -> CliResult {
    let mut accounts = Accounts::load()?;
    let entry = accounts.pick(account_flag().as_deref())?.clone();
    store_key(out, &mut accounts, &entry).await
}

pub fn logout(out: &Out) -> CliResult {
    let accounts = Accounts::load()?;
    let entry = accounts.pick(account_flag().as_deref())?;
    let removed = entry.credentials(&ClientConfig::from_env()?).delete()?;
    out.show(&json!({"account": entry.name, "removed": removed}), || {
        if removed {
            println!(
                "The API key of {:?} was removed from the system keychain.",
                entry.name
            );
        } else {
            println!("No API key was stored for {:?}.", entry.name);
        }
    });
    Ok(())
}

pub fn accounts_list(out: &Out) -> CliResult {
    let accounts = Accounts::load()?;
    let config = ClientConfig::from_env()?;
    let default = accounts.default_account().id.clone();
    let rows: Vec<_> = accounts
        .list()
        .iter()
        .map(|a| {
            // Unknown when the keychain can't be asked (no Secret Service, say).
            let has_key = a
                .credentials(&config)
                .load_from_keychain()
                .ok()
                .map(|k| k.is_some());
            json!({"id": a.id, "name": a.name, "email": a.email, "default": a.id == default,
                   "hasKey": has_key})
        })
        .collect();
    out.show(&rows, || {
        for (a, row) in accounts.list().iter().zip(&rows) {
            let mark = if a.id == default { "*" } else { " " };
            let key = match row["hasKey"].as_bool() {
                Some(true) => "key stored",
                Some(false) => "no key",
                None => "keychain unavailable",
            };
            println!(
                "{mark} {:<24} {:<32} {key}",
                a.name,
                a.email.as_deref().unwrap_or("")
            );
        }
    });
    Ok(())
}

pub async fn accounts_add(out: &Out, name: &str) -> CliResult {
    let mut accounts = Accounts::load()?;
    let entry = accounts.add(name)?;
    // Saved only once its key is checked and stored.
    store_key(out, &mut accounts, &entry).await
}

pub fn accounts_rm(out: &Out, name: &str) -> CliResult {
    let mut accounts = Accounts::load()?;
    let entry = accounts.remove(name)?;
    entry.credentials(&ClientConfig::from_env()?).delete()?;
    accounts.save()?;
    let queue = fichier_core::settings::data_dir()
        .map(|d| d.join(entry.file_name("cli-queue.db")))
        .filter(|q| q.exists());
    out.show(&json!({"removed": entry.name, "queue": queue}), || {
        println!("The account {:?} and its key were removed.", entry.name);
        if let Some(q) = &queue {
            println!("Its transfer queue is kept in {}.", q.display());
        }
    });
    Ok(())
}

pub fn accounts_default(out: &Out, name: &str) -> CliResult {
    let mut accounts = Accounts::load()?;
    let entry = accounts.set_default(name)?;
    accounts.save()?;
    out.show(&json!({"default": entry.name}), || {
        println!(
            "Commands now use the account {:?} unless --account says otherwise.",
            entry.name
        )
    });
    Ok(())
}

pub async fn check(cli: &Cli, out: &Out, source: &str, download: Option<PathBuf>) -> CliResult {
    let text = read_source(source)?;
    let client = client()?;
    // No link in the text, or too many: the input is what needs changing (exit code 2).
    let reports = check_text(&client, &text).await.map_err(|e| match e {
        fichier_api::ApiError::InvalidRequest { reason } => Failure::usage(reason),
        other => other.into(),
    })?;
    let available: Vec<String> = reports
        .iter()
        .filter(|r| matches!(r.status, LinkStatus::Available { .. }))
        .map(|r| r.url.clone())
        .collect();
    let missing = reports.len() - available.len();
    if download.is_none() || cli.json {
        out.show(&reports, || {
            for r in &reports {
                println!("{}", line(r));
            }
            println!(
                "{} of {} link{} can be downloaded",
                available.len(),
                reports.len(),
                if reports.len() == 1 { "" } else { "s" }
            );
        });
    } else {
        for r in &reports {
            eprintln!("{}", line(r));
        }
    }
    if let Some(dir) = download {
        if available.is_empty() {
            return Err(Failure {
                code: 4,
                error_code: ErrorCode::NotFound,
                message: "none of the links can be downloaded".into(),
                shown: false,
            });
        }
        crate::transfers::download(cli, out, available, dir, None).await?;
    }
    if missing > 0 {
        return Err(Failure {
            code: 4,
            error_code: ErrorCode::NotFound,
            message: format!(
                "{missing} of {} link{} can't be downloaded",
                reports.len(),
                if reports.len() == 1 { "" } else { "s" }
            ),
            shown: true,
        });
    }
    Ok(())
}

fn line(r: &LinkReport) -> String {
    match &r.status {
        LinkStatus::Available { name, size: bytes } => {
            format!("ok          {}  {}  {}", r.url, size(*bytes), name)
        }
        LinkStatus::NotFound => format!("not found   {}", r.url),
        LinkStatus::Private => format!("private     {}  (password or access list)", r.url),
        LinkStatus::BadLink => format!("bad link    {}", r.url),
        LinkStatus::Unknown { text } => format!("unknown     {}  ({text})", r.url),
    }
}

/// The text to check: standard input (`-`) or a file, with core's limits.
fn read_source(source: &str) -> Result<String, Failure> {
    use fichier_core::link_text::{MAX_LINK_TEXT, read_link_files, read_link_text};
    let read = if source == "-" {
        read_link_text(std::io::stdin().lock(), "standard input", MAX_LINK_TEXT)
    } else {
        read_link_files(&[PathBuf::from(source)])
    };
    read.map_err(|e| Failure::usage(e.to_string()))
}

pub fn completions(shell: clap_complete::Shell) -> CliResult {
    // Written whole at the end: a reader that stops early (`| head`) is not an error.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "fichier", &mut script);
    print_all(&script)
}

pub fn manpage() -> CliResult {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Failure::usage(format!("can't write the manual: {e}")))?;
    print_all(&page)
}

fn print_all(bytes: &[u8]) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure {
            code: 8,
            error_code: ErrorCode::Io,
            message: format!("can't write to standard output: {e}"),
            shown: false,
        }),
        _ => Ok(()),
    }
}
