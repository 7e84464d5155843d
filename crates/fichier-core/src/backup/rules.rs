//! What a backup may be set to, and when its schedule runs it.

use std::path::Path;

use chrono::{Local, TimeZone};

use super::store::StoredJob;
use super::types::{BackupSpec, Schedule};
use super::{MAX_BACKUP_NAME_CHARS, MAX_EVERY_HOURS, MAX_TRASH_DAYS, MAX_VERSIONS, check_excludes};
use crate::error::CoreError;

/// Checks what the user set and returns it tidied (name trimmed, blank exclusions
/// dropped); the reason says what is wrong.
pub fn check_spec(spec: &BackupSpec) -> Result<BackupSpec, CoreError> {
    let bad = |reason: String| Err(CoreError::InvalidInput { reason });
    let mut s = spec.clone();
    s.name = s.name.trim().to_string();
    if s.name.is_empty() {
        return bad("Give the backup a name.".into());
    }
    if s.name.chars().count() > MAX_BACKUP_NAME_CHARS {
        return bad(format!(
            "A backup name has at most {MAX_BACKUP_NAME_CHARS} characters."
        ));
    }
    let source = Path::new(s.source.trim());
    if s.source.trim().is_empty() {
        return bad("Choose the folder to back up.".into());
    }
    if !source.is_absolute() {
        return bad(format!(
            "{} is not a full path to a folder.",
            source.display()
        ));
    }
    if !source.is_dir() {
        return bad(format!(
            "{} is not a folder that can be read.",
            source.display()
        ));
    }
    s.source = std::path::absolute(source)
        .unwrap_or_else(|_| source.to_path_buf())
        .to_string_lossy()
        .into_owned();
    if s.folder_id < 0 {
        return bad("Choose the 1fichier folder it goes to.".into());
    }
    if s.versions > MAX_VERSIONS {
        return bad(format!("Keep at most {MAX_VERSIONS} earlier versions."));
    }
    if !(1..=MAX_TRASH_DAYS).contains(&s.trash_days) {
        return bad(format!(
            "Keep removed files between 1 and {MAX_TRASH_DAYS} days."
        ));
    }
    match s.schedule {
        Schedule::Every { hours } if !(1..=MAX_EVERY_HOURS).contains(&hours) => {
            return bad(format!("Run every 1 to {MAX_EVERY_HOURS} hours."));
        }
        Schedule::Daily { hour, minute } if hour > 23 || minute > 59 => {
            return bad("Choose a time of day between 00:00 and 23:59.".into());
        }
        _ => {}
    }
    s.excludes = s
        .excludes
        .iter()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.trim().is_empty())
        .collect();
    check_excludes(&s.excludes)?;
    Ok(s)
}

/// When the schedule runs a job next (epoch ms), counted from its last start.
pub(crate) fn next_run(job: &StoredJob) -> Option<i64> {
    if job.paused {
        return None;
    }
    let from = job.last_started_at.unwrap_or(job.created_at);
    match job.spec.schedule {
        Schedule::Manual => None,
        Schedule::Every { hours } => Some(from + i64::from(hours.max(1)) * 3_600_000),
        Schedule::Daily { hour, minute } => {
            let base = Local.timestamp_millis_opt(from).single()?;
            let mut day = base.date_naive();
            for _ in 0..3 {
                let at = day.and_hms_opt(u32::from(hour), u32::from(minute), 0)?;
                if let Some(t) = Local.from_local_datetime(&at).earliest()
                    && t > base
                {
                    return Some(t.timestamp_millis());
                }
                day = day.succ_opt()?;
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::types::BackupMode;
    use super::super::{DEFAULT_TRASH_DAYS, DEFAULT_VERSIONS};
    use super::*;

    fn spec(dir: &Path) -> BackupSpec {
        BackupSpec {
            name: " Photos ".into(),
            source: dir.to_string_lossy().into_owned(),
            folder_id: 0,
            folder_label: "/".into(),
            mode: BackupMode::Copy,
            excludes: vec!["".into(), "*.raw".into()],
            schedule: Schedule::Daily { hour: 3, minute: 0 },
            watch: false,
            versions: DEFAULT_VERSIONS,
            trash_days: DEFAULT_TRASH_DAYS,
        }
    }

    #[test]
    fn the_rules_of_a_backup_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let ok = check_spec(&spec(dir.path())).unwrap();
        assert_eq!(ok.name, "Photos");
        assert_eq!(ok.excludes, vec!["*.raw"]);
        type Change = Box<dyn Fn(&mut BackupSpec)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|s| s.name = "  ".into()), "name"),
            (Box::new(|s| s.name = "x".repeat(101)), "100"),
            (Box::new(|s| s.source = "".into()), "folder to back up"),
            (Box::new(|s| s.source = "relative/dir".into()), "full path"),
            (
                Box::new(|s| s.source = "/no/such/dir/here".into()),
                "not a folder",
            ),
            (Box::new(|s| s.folder_id = -1), "1fichier folder"),
            (Box::new(|s| s.versions = 101), "100"),
            (Box::new(|s| s.trash_days = 0), "days"),
            (
                Box::new(|s| s.schedule = Schedule::Every { hours: 0 }),
                "hours",
            ),
            (
                Box::new(|s| {
                    s.schedule = Schedule::Daily {
                        hour: 24,
                        minute: 0,
                    }
                }),
                "time",
            ),
            (Box::new(|s| s.excludes = vec!["[z-a]".into()]), "exclusion"),
        ];
        for (change, words) in cases {
            let mut s = spec(dir.path());
            change(&mut s);
            let err = check_spec(&s).unwrap_err();
            assert_eq!(err.code(), "invalid_request");
            assert!(err.to_string().contains(words), "{err} lacks {words:?}");
        }
    }

    #[test]
    fn schedules_count_from_the_last_start() {
        let dir = tempfile::tempdir().unwrap();
        let base = Local
            .with_ymd_and_hms(2026, 12, 1, 10, 30, 0)
            .single()
            .unwrap()
            .timestamp_millis();
        let mut job = StoredJob {
            id: "b1".into(),
            spec: spec(dir.path()),
            paused: false,
            created_at: base,
            last_run: None,
            last_started_at: None,
            running: false,
            last_verified_at: None,
        };
        let daily = next_run(&job).unwrap();
        let at = Local.timestamp_millis_opt(daily).single().unwrap();
        assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2026-12-02 03:00");
        job.spec.schedule = Schedule::Daily {
            hour: 23,
            minute: 15,
        };
        let at = Local
            .timestamp_millis_opt(next_run(&job).unwrap())
            .single()
            .unwrap();
        assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2026-12-01 23:15");
        job.spec.schedule = Schedule::Every { hours: 6 };
        job.last_started_at = Some(base + 1000);
        assert_eq!(next_run(&job), Some(base + 1000 + 6 * 3_600_000));
        job.paused = true;
        assert_eq!(next_run(&job), None);
        job.paused = false;
        job.spec.schedule = Schedule::Manual;
        assert_eq!(next_run(&job), None);
    }
}
