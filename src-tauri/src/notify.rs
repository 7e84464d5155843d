//! Desktop notifications when transfers finish or fail. Transfers that end close together
//! become one notification ("12 files uploaded"). No notification daemon means no
//! notification — never an error in a transfer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

/// Endings that arrive within this window of the first one are grouped.
pub const GROUP_WINDOW: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upload,
    Download,
}

/// One transfer that ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub direction: Direction,
    pub ok: bool,
    pub name: String,
}

/// The body of the one notification a finished backup run gets.
pub fn backup_summary(name: &str, r: &fichier_core::backup::RunReport) -> String {
    use fichier_core::backup::RunOutcome;
    let counted = |n: u64, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    let parts: Vec<String> = [
        counted(r.uploaded, "file uploaded", "files uploaded"),
        counted(
            r.moved + r.copied,
            "file moved or copied on 1fichier",
            "files moved or copied on 1fichier",
        ),
        counted(
            r.trashed,
            "file moved to the trash",
            "files moved to the trash",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let what = if parts.is_empty() {
        "already up to date".to_string()
    } else {
        parts.join(", ")
    };
    match r.outcome {
        Some(RunOutcome::Failed) => format!(
            "Backup \u{201c}{name}\u{201d} failed: {}",
            r.message.as_deref().unwrap_or("see the Backups view")
        ),
        Some(RunOutcome::Partial) => format!(
            "Backup \u{201c}{name}\u{201d}: {what}; {} could not be backed up",
            counted(r.errors.len() as u64, "file", "files").unwrap_or_default()
        ),
        _ => format!("Backup \u{201c}{name}\u{201d} done: {what}"),
    }
}

/// Title and body of the notification for a batch of endings.
pub fn summarize(batch: &[Ending]) -> (String, String) {
    let count = |d: Direction, ok: bool| {
        batch
            .iter()
            .filter(|e| e.direction == d && e.ok == ok)
            .count()
    };
    let up = count(Direction::Upload, true);
    let down = count(Direction::Download, true);
    let failed: Vec<&Ending> = batch.iter().filter(|e| !e.ok).collect();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        }
    };

    let mut parts = Vec::new();
    if up > 0 {
        parts.push(plural(up, "1 file uploaded", "files uploaded"));
    }
    if down > 0 {
        parts.push(plural(down, "1 file downloaded", "files downloaded"));
    }
    if !failed.is_empty() {
        parts.push(plural(
            failed.len(),
            "1 transfer failed",
            "transfers failed",
        ));
    }
    let title = if batch.len() == 1 {
        let e = &batch[0];
        match (e.direction, e.ok) {
            (Direction::Upload, true) => "Upload finished".to_string(),
            (Direction::Download, true) => "Download finished".to_string(),
            (_, false) => "Transfer failed".to_string(),
        }
    } else {
        parts.join(", ")
    };
    let body = if batch.len() == 1 {
        let e = &batch[0];
        match (e.direction, e.ok) {
            (Direction::Upload, true) => format!("{} is on 1fichier.", e.name),
            (Direction::Download, true) => format!("{} is on your computer.", e.name),
            (_, false) => format!(
                "{} could not be transferred. Open Fichier Desk to retry.",
                e.name
            ),
        }
    } else {
        let mut names: Vec<&str> = failed.iter().map(|e| e.name.as_str()).take(3).collect();
        if !failed.is_empty() {
            if failed.len() > 3 {
                names.push("…");
            }
            format!("Failed: {}. Open Fichier Desk to retry.", names.join(", "))
        } else {
            let names: Vec<&str> = batch.iter().map(|e| e.name.as_str()).take(3).collect();
            let more = if batch.len() > 3 {
                format!(" and {} more", batch.len() - 3)
            } else {
                String::new()
            };
            format!("{}{more}.", names.join(", "))
        }
    };
    (title, body)
}

/// Notification servers on Linux read the body as markup: a file named `<b>…` or with an
/// `<a href>` must show as text, not turn into a link.
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn show(title: &str, body: &str) -> Result<(), notify_rust::error::Error> {
    let body = if cfg!(all(unix, not(target_os = "macos"))) {
        escape_markup(body)
    } else {
        body.to_string()
    };
    notify_rust::Notification::new()
        .appname("Fichier Desk")
        .summary(title)
        .body(&body)
        .icon("fichier-desk")
        .show()
        .map(|_| ())
}

/// Sends grouped notifications from a background task.
#[derive(Clone)]
pub struct Notifier {
    enabled: Arc<AtomicBool>,
    tx: mpsc::UnboundedSender<Ending>,
}

impl Notifier {
    /// Starts the grouping task on the current async runtime.
    pub fn start(enabled: bool) -> Notifier {
        let (tx, mut rx) = mpsc::unbounded_channel::<Ending>();
        let enabled = Arc::new(AtomicBool::new(enabled));
        let on = enabled.clone();
        tauri::async_runtime::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                let deadline = tokio::time::Instant::now() + GROUP_WINDOW;
                while let Ok(Some(e)) = tokio::time::timeout_at(deadline, rx.recv()).await {
                    batch.push(e);
                }
                if !on.load(Ordering::Relaxed) {
                    continue;
                }
                let (title, body) = summarize(&batch);
                // notify-rust talks D-Bus synchronously: keep it off the async workers.
                let shown = tokio::task::spawn_blocking(move || show(&title, &body)).await;
                match shown {
                    Ok(Ok(())) => tracing::debug!("notification shown"),
                    Ok(Err(e)) => tracing::info!("notifications unavailable: {e}"),
                    Err(e) => tracing::info!("notification task failed: {e}"),
                }
            }
        });
        Notifier { enabled, tx }
    }

    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
    }

    pub fn ended(&self, e: Ending) {
        let _ = self.tx.send(e);
    }

    /// A one-off note (not grouped), e.g. that the app keeps working in the tray.
    pub fn note(&self, body: String) {
        if !self.enabled.load(Ordering::Relaxed) {
            return;
        }
        tauri::async_runtime::spawn_blocking(move || {
            if let Err(e) = show("Fichier Desk", &body) {
                tracing::info!("notifications unavailable: {e}");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_run_gets_one_line_that_says_what_it_did() {
        use fichier_core::backup::{FileProblem, RunOutcome, RunReport};
        let mut r = RunReport {
            outcome: Some(RunOutcome::Done),
            uploaded: 12,
            moved: 3,
            ..Default::default()
        };
        assert_eq!(
            backup_summary("Photos", &r),
            "Backup \u{201c}Photos\u{201d} done: 12 files uploaded, 3 files moved or copied on 1fichier"
        );
        r.uploaded = 0;
        r.moved = 0;
        assert_eq!(
            backup_summary("Photos", &r),
            "Backup \u{201c}Photos\u{201d} done: already up to date"
        );
        r.outcome = Some(RunOutcome::Partial);
        r.uploaded = 1;
        r.errors = vec![FileProblem {
            path: "a".into(),
            message: "b".into(),
        }];
        assert_eq!(
            backup_summary("Photos", &r),
            "Backup \u{201c}Photos\u{201d}: 1 file uploaded; 1 file could not be backed up"
        );
    }

    fn e(direction: Direction, ok: bool, name: &str) -> Ending {
        Ending {
            direction,
            ok,
            name: name.into(),
        }
    }

    #[test]
    fn one_ending_names_the_file() {
        let (t, b) = summarize(&[e(Direction::Upload, true, "a.pdf")]);
        assert_eq!(t, "Upload finished");
        assert_eq!(b, "a.pdf is on 1fichier.");
        let (t, b) = summarize(&[e(Direction::Download, false, "b.iso")]);
        assert_eq!(t, "Transfer failed");
        assert!(b.starts_with("b.iso could not be transferred"));
    }

    #[test]
    fn markup_in_names_is_shown_as_text() {
        assert_eq!(
            escape_markup(r#"<a href="http://x">a&b</a>.pdf"#),
            "&lt;a href=&quot;http://x&quot;&gt;a&amp;b&lt;/a&gt;.pdf"
        );
        assert_eq!(escape_markup("plain name.txt"), "plain name.txt");
    }

    #[test]
    fn many_endings_become_one_summary() {
        let batch: Vec<Ending> = (0..12)
            .map(|i| e(Direction::Upload, true, &format!("f{i}")))
            .collect();
        let (t, b) = summarize(&batch);
        assert_eq!(t, "12 files uploaded");
        assert_eq!(b, "f0, f1, f2 and 9 more.");
        let mixed = vec![
            e(Direction::Upload, true, "a"),
            e(Direction::Download, true, "b"),
            e(Direction::Download, true, "c"),
            e(Direction::Upload, false, "d"),
        ];
        let (t, b) = summarize(&mixed);
        assert_eq!(t, "1 file uploaded, 2 files downloaded, 1 transfer failed");
        assert_eq!(b, "Failed: d. Open Fichier Desk to retry.");
    }
}
