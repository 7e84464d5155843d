//! `fichier check`, and what describes the command itself: shell completions and the man
//! page, both generated from the same definitions as `--help`.

use std::io::Read;
use std::path::PathBuf;

use clap::CommandFactory;
use fichier_core::links::{LinkReport, LinkStatus, check_text};

use crate::output::{Out, size};
use crate::{Cli, CliResult, Failure, client};

/// The most text `fichier check` reads (a list of links is far smaller).
const MAX_INPUT: u64 = 8 << 20;

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
                error_code: "not_found".into(),
                message: "none of the links can be downloaded".into(),
                shown: false,
            });
        }
        crate::transfers::download(cli, out, available, dir, None).await?;
    }
    if missing > 0 {
        return Err(Failure {
            code: 4,
            error_code: "not_found".into(),
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

fn read_source(source: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let read = if source == "-" {
        std::io::stdin().take(MAX_INPUT).read_to_string(&mut text)
    } else {
        std::fs::File::open(source).and_then(|f| f.take(MAX_INPUT).read_to_string(&mut text))
    };
    read.map_err(|e| Failure::usage(format!("can't read {source}: {e}")))?;
    Ok(text)
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
            error_code: "io".into(),
            message: format!("can't write to standard output: {e}"),
            shown: false,
        }),
        _ => Ok(()),
    }
}
