//! Uploads that can't finish in time: 1fichier gives one upload process about 4 hours.
//! Before a large upload starts, the largest file's size at the upload speed measured
//! recently says whether it would fit; when it would not, the user is told and chooses.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CoreError;
use crate::types::{Transfer, TransferKind, TransferState};

/// How long 1fichier lets one upload run.
pub const UPLOAD_WINDOW: Duration = Duration::from_secs(4 * 3600);
/// Uploads smaller than this say little about the line's speed (the calls around them
/// weigh more than the bytes), so they are not counted.
const MEASURED_MIN_BYTES: u64 = 4 << 20;
/// The speed is taken from this many recent uploads.
const MEASURED_UPLOADS: usize = 10;

/// What an upload of some paths would take, at the speed measured recently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadTimeCheck {
    #[ts(type = "number")]
    pub files: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
    /// The largest file: each file is its own upload process, so it is the one that
    /// must fit in the window.
    pub largest_name: String,
    #[ts(type = "number")]
    pub largest_bytes: u64,
    /// Recent upload speed, when uploads were measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub speed_bps: Option<u64>,
    /// How long the largest file would take at that speed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub largest_secs: Option<u64>,
    #[ts(type = "number")]
    pub window_secs: u64,
    /// The largest file would not finish within the window.
    pub too_long: bool,
}

impl UploadTimeCheck {
    /// A sentence for the command line.
    pub fn warning(&self) -> Option<String> {
        if !self.too_long {
            return None;
        }
        let hours = |s: u64| format!("{:.1} hours", s as f64 / 3600.0);
        Some(format!(
            "{} ({}) would take about {} at the recent upload speed of {}/s, but 1fichier \
             stops an upload after {}: it would likely fail near the end.",
            self.largest_name,
            crate::units::human_size(self.largest_bytes),
            hours(self.largest_secs.unwrap_or(0)),
            crate::units::human_size(self.speed_bps.unwrap_or(0)),
            hours(self.window_secs),
        ))
    }
}

/// The upload speed of the recent finished uploads of a few MiB or more (total bytes
/// over total time), or else of the uploads running now.
pub fn recent_upload_speed(finished: &[Transfer], running: &[Transfer]) -> Option<u64> {
    let mut done: Vec<&Transfer> = finished
        .iter()
        .filter(|t| {
            t.kind == TransferKind::Upload
                && t.state == TransferState::Done
                && t.bytes_total >= MEASURED_MIN_BYTES
        })
        .filter(|t| matches!((t.started_at, t.finished_at), (Some(s), Some(f)) if f > s))
        .collect();
    done.sort_by_key(|t| std::cmp::Reverse(t.finished_at));
    done.truncate(MEASURED_UPLOADS);
    let (bytes, millis) = done.iter().fold((0u64, 0u64), |(b, ms), t| {
        let took = t.finished_at.unwrap_or(0) - t.started_at.unwrap_or(0);
        (b + t.bytes_total, ms + took)
    });
    if let Some(speed) = bytes.saturating_mul(1000).checked_div(millis) {
        return Some(speed).filter(|s| *s > 0);
    }
    running
        .iter()
        .filter(|t| t.kind == TransferKind::Upload && t.state == TransferState::Running)
        .map(|t| t.speed_bps)
        .max()
        .filter(|s| *s > 0)
}

/// Whether the largest of `files` (path and size) fits in the window at `speed_bps`.
pub fn check_sizes(files: &[(PathBuf, u64)], speed_bps: Option<u64>) -> UploadTimeCheck {
    let largest = files.iter().max_by_key(|(_, len)| *len);
    let largest_bytes = largest.map_or(0, |(_, len)| *len);
    let largest_name = largest
        .and_then(|(p, _)| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let largest_secs = speed_bps.map(|s| largest_bytes.div_ceil(s.max(1)));
    UploadTimeCheck {
        files: files.len() as u64,
        total_bytes: files.iter().map(|(_, len)| len).sum(),
        largest_name,
        largest_bytes,
        speed_bps,
        largest_secs,
        window_secs: UPLOAD_WINDOW.as_secs(),
        too_long: largest_secs.is_some_and(|s| s > UPLOAD_WINDOW.as_secs()),
    }
}

/// The files `paths` name (folders walked as an upload walks them), with their sizes.
pub fn sizes(paths: &[PathBuf]) -> Result<Vec<(PathBuf, u64)>, CoreError> {
    let files = crate::sources::upload_sources(paths)?;
    Ok(files
        .into_iter()
        .map(|(p, _)| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p, len)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(bytes: u64, started: u64, took_ms: u64) -> Transfer {
        Transfer {
            id: format!("u{started}"),
            kind: TransferKind::Upload,
            name: "f".into(),
            folder_id: None,
            local_path: None,
            url: None,
            state: TransferState::Done,
            phase: None,
            bytes_done: bytes,
            bytes_total: bytes,
            speed_bps: 0,
            eta_seconds: None,
            error: None,
            started_at: Some(started),
            finished_at: Some(started + took_ms),
            account: None,
        }
    }

    #[test]
    fn the_speed_comes_from_recent_large_uploads() {
        let mib = 1 << 20;
        let finished = vec![
            upload(100 * mib, 1_000, 10_000), // 10 MiB/s
            upload(50 * mib, 2_000, 10_000),  // 5 MiB/s
            upload(10_000, 3_000, 10_000),    // too small to count
        ];
        // 150 MiB in 20 s.
        assert_eq!(recent_upload_speed(&finished, &[]), Some(150 * mib / 20));
        assert_eq!(recent_upload_speed(&[], &[]), None);
        let mut running = upload(0, 0, 0);
        running.state = TransferState::Running;
        running.speed_bps = 1234;
        assert_eq!(recent_upload_speed(&[], &[running]), Some(1234));
    }

    #[test]
    fn only_a_file_that_would_outlast_four_hours_is_announced() {
        let files = vec![
            (PathBuf::from("/d/small.bin"), 1_000),
            (PathBuf::from("/d/film.mkv"), 100 << 30),
        ];
        // 100 GiB at 5 MiB/s: about 5.7 hours.
        let slow = check_sizes(&files, Some(5 << 20));
        assert!(slow.too_long);
        assert_eq!(slow.largest_name, "film.mkv");
        assert_eq!(slow.files, 2);
        let w = slow.warning().unwrap();
        assert!(w.contains("film.mkv") && w.contains("5.7 hours"), "{w}");
        // At 10 MiB/s it takes 2.8 hours.
        assert!(!check_sizes(&files, Some(10 << 20)).too_long);
        // With no measured speed nothing can be said.
        let unknown = check_sizes(&files, None);
        assert!(!unknown.too_long && unknown.largest_secs.is_none());
    }
}
