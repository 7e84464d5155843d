//! The backups database: the jobs, and per job an index of what was backed up (path,
//! size, modification time, inode, Whirlpool and the 1fichier URL), its earlier versions
//! and its trash folders. One SQLite file (WAL) shared by the app and the `fichier`
//! command, so a job added in one is run by the other.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::types::{BackupSpec, RunReport};
use crate::error::CoreError;

const SCHEMA_VERSION: i64 = 1;

/// A job as it is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredJob {
    pub id: String,
    pub spec: BackupSpec,
    pub paused: bool,
    pub created_at: i64,
    #[serde(default)]
    pub last_run: Option<RunReport>,
    /// When the last run (or the running one) started; schedules count from here.
    #[serde(default)]
    pub last_started_at: Option<i64>,
    /// Set while a run is in progress; still set at open means it was interrupted.
    #[serde(default)]
    pub running: bool,
    /// When the index was last checked against 1fichier's listings.
    #[serde(default)]
    pub last_verified_at: Option<i64>,
}

/// What the index knows of one local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub size: u64,
    /// Nanoseconds since the epoch.
    pub mtime: i64,
    pub inode: u64,
    pub hash: String,
    /// The copy on 1fichier; none while it is only hashed (not backed up yet).
    pub url: Option<String>,
}

/// An earlier copy of a changed file, in the versions folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    pub path: String,
    pub url: String,
    pub kept_at: i64,
}

#[derive(Clone)]
pub(crate) struct BackupStore {
    conn: Arc<Mutex<Connection>>,
}

impl BackupStore {
    pub fn open(path: &Path) -> Result<BackupStore, CoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            crate::private::create_dir(dir)?;
        }
        crate::private::touch(path)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(CoreError::Database {
                detail: format!(
                    "the backups database {} was written by a newer version (schema {version})",
                    path.display()
                ),
            });
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS backup_jobs (
                id TEXT PRIMARY KEY,
                body TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS backup_files (
                job TEXT NOT NULL,
                path TEXT NOT NULL,
                size INTEGER NOT NULL,
                mtime INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                hash TEXT NOT NULL,
                url TEXT,
                PRIMARY KEY (job, path)
            );
            CREATE TABLE IF NOT EXISTS backup_versions (
                job TEXT NOT NULL,
                path TEXT NOT NULL,
                url TEXT NOT NULL,
                kept_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS backup_versions_path ON backup_versions(job, path);
            CREATE TABLE IF NOT EXISTS backup_folders (
                job TEXT NOT NULL,
                rel TEXT NOT NULL,
                folder_id INTEGER NOT NULL,
                PRIMARY KEY (job, rel)
            );
            CREATE TABLE IF NOT EXISTS backup_trash (
                job TEXT NOT NULL,
                day TEXT NOT NULL,
                folder_id INTEGER NOT NULL,
                PRIMARY KEY (job, day)
            );",
        )?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        crate::private::restrict(path);
        Ok(BackupStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn jobs(&self) -> Result<Vec<StoredJob>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT body FROM backup_jobs")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            match serde_json::from_str::<StoredJob>(&body?) {
                Ok(job) => out.push(job),
                Err(e) => tracing::warn!(error = %e, "unreadable backup job skipped"),
            }
        }
        out.sort_by_key(|j| j.created_at);
        Ok(out)
    }

    pub fn job(&self, id: &str) -> Result<Option<StoredJob>, CoreError> {
        let body: Option<String> = self
            .conn()
            .query_row("SELECT body FROM backup_jobs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    pub fn put_job(&self, job: &StoredJob) -> Result<(), CoreError> {
        let body = serde_json::to_string(job).map_err(|e| CoreError::Database {
            detail: e.to_string(),
        })?;
        self.conn().execute(
            "INSERT INTO backup_jobs (id, body) VALUES (?1, ?2)
             ON CONFLICT(id) DO UPDATE SET body = excluded.body",
            params![job.id, body],
        )?;
        Ok(())
    }

    /// Forgets a job and its index (nothing on 1fichier is touched).
    pub fn remove_job(&self, id: &str) -> Result<(), CoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for table in [
            "backup_files",
            "backup_versions",
            "backup_trash",
            "backup_folders",
        ] {
            tx.execute(&format!("DELETE FROM {table} WHERE job = ?1"), [id])?;
        }
        tx.execute("DELETE FROM backup_jobs WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    pub fn index(&self, job: &str) -> Result<HashMap<String, Entry>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT path, size, mtime, inode, hash, url FROM backup_files WHERE job = ?1",
        )?;
        let rows = stmt.query_map([job], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Entry {
                    size: r.get::<_, i64>(1)? as u64,
                    mtime: r.get(2)?,
                    inode: r.get::<_, i64>(3)? as u64,
                    hash: r.get(4)?,
                    url: r.get(5)?,
                },
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (path, entry) = row?;
            out.insert(path, entry);
        }
        Ok(out)
    }

    /// Writes index entries (`None` removes the path), in one transaction.
    pub fn update_index(
        &self,
        job: &str,
        changes: &[(String, Option<Entry>)],
    ) -> Result<(), CoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut put = tx.prepare(
                "INSERT INTO backup_files (job, path, size, mtime, inode, hash, url)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(job, path) DO UPDATE SET size = excluded.size,
                   mtime = excluded.mtime, inode = excluded.inode, hash = excluded.hash,
                   url = excluded.url",
            )?;
            let mut del = tx.prepare("DELETE FROM backup_files WHERE job = ?1 AND path = ?2")?;
            for (path, entry) in changes {
                match entry {
                    Some(e) => {
                        put.execute(params![
                            job,
                            path,
                            e.size as i64,
                            e.mtime,
                            e.inode as i64,
                            e.hash,
                            e.url
                        ])?;
                    }
                    None => {
                        del.execute(params![job, path])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The 1fichier folders of a job (`a/b` under its target → id), as last seen.
    pub fn folders(&self, job: &str) -> Result<Vec<(String, i64)>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT rel, folder_id FROM backup_folders WHERE job = ?1")?;
        let rows = stmt.query_map([job], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn set_folders(&self, job: &str, folders: &[(String, i64)]) -> Result<(), CoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM backup_folders WHERE job = ?1", [job])?;
        {
            let mut put = tx.prepare(
                "INSERT OR REPLACE INTO backup_folders (job, rel, folder_id) VALUES (?1, ?2, ?3)",
            )?;
            for (rel, id) in folders {
                put.execute(params![job, rel, id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn versions(&self, job: &str) -> Result<Vec<Version>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT path, url, kept_at FROM backup_versions WHERE job = ?1 ORDER BY kept_at",
        )?;
        let rows = stmt.query_map([job], |r| {
            Ok(Version {
                path: r.get(0)?,
                url: r.get(1)?,
                kept_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn add_version(&self, job: &str, v: &Version) -> Result<(), CoreError> {
        self.conn().execute(
            "INSERT INTO backup_versions (job, path, url, kept_at) VALUES (?1, ?2, ?3, ?4)",
            params![job, v.path, v.url, v.kept_at],
        )?;
        Ok(())
    }

    pub fn remove_version(&self, job: &str, url: &str) -> Result<(), CoreError> {
        self.conn().execute(
            "DELETE FROM backup_versions WHERE job = ?1 AND url = ?2",
            params![job, url],
        )?;
        Ok(())
    }

    /// The dated trash folders of a job: (day, folder id).
    pub fn trash_days(&self, job: &str) -> Result<Vec<(String, i64)>, CoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT day, folder_id FROM backup_trash WHERE job = ?1 ORDER BY day")?;
        let rows = stmt.query_map([job], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn put_trash_day(&self, job: &str, day: &str, folder_id: i64) -> Result<(), CoreError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO backup_trash (job, day, folder_id) VALUES (?1, ?2, ?3)",
            params![job, day, folder_id],
        )?;
        Ok(())
    }

    pub fn remove_trash_day(&self, job: &str, day: &str) -> Result<(), CoreError> {
        self.conn().execute(
            "DELETE FROM backup_trash WHERE job = ?1 AND day = ?2",
            params![job, day],
        )?;
        Ok(())
    }
}
