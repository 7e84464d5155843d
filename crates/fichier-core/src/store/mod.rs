//! The queue on disk: one SQLite database (WAL), so transfers survive a crash or a
//! `kill -9`, and a download's verified offset (its resume journal) survives with them.

mod segment;

pub(crate) use segment::Segment;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

#[cfg(test)]
use rusqlite::OptionalExtension;
use rusqlite::{Connection, Row, params};

use crate::error::CoreError;
use crate::types::{AppError, RemoteJob, TransferKind, TransferState};

/// Bumped when the schema changes; older databases are migrated at open.
const SCHEMA_VERSION: i64 = 2;

/// Everything the engine keeps about one transfer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub id: String,
    pub seq: i64,
    pub kind: TransferKind,
    /// Display name: the local file name (upload) or the remote one (download).
    pub name: String,
    pub folder_id: Option<i64>,
    /// Upload: the source. Download: the final path, once chosen.
    pub local_path: Option<String>,
    /// Download: the file to fetch. Upload: the new file, once uploaded.
    pub url: Option<String>,
    pub state: TransferState,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub error: Option<AppError>,
    pub started_at: Option<u64>,
    pub finished_at: Option<u64>,
    pub created_at: u64,
    /// File password (download: to read it; upload: to protect it). Kept in memory only:
    /// the database records only that there was one (`password_set`).
    pub password: Option<fichier_api::Password>,
    /// A password was given for this transfer (it is not on disk).
    pub password_set: bool,
    /// Download: the folder chosen by the user.
    pub dest_dir: Option<String>,
    /// Upload: the sub-folder path (`a/b`) to create under `folder_id`.
    pub remote_dir: Option<String>,
    /// Whirlpool: expected (download) or computed (upload).
    pub checksum: Option<String>,
    /// Download: bytes of the `.part` that were fsynced and may be trusted on resume.
    pub journal_offset: u64,
    /// Upload: a POST may have reached the server; check before sending again.
    pub upload_started: bool,
    pub attempts: u32,
    /// Cleared from the list, still in the history.
    pub hidden: bool,
}

/// The queue database. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Store {
    conn: Arc<Mutex<Connection>>,
}

const COLUMNS: &str = "id, seq, kind, name, folder_id, local_path, url, state, bytes_done, \
    bytes_total, error, started_at, finished_at, created_at, password, dest_dir, remote_dir, \
    checksum, journal_offset, upload_started, attempts, hidden, password_set";

impl Store {
    pub fn open(path: &Path) -> Result<Store, CoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            crate::private::create_dir(dir)?;
        }
        // Created for the user only; SQLite gives its -wal and -shm files the same mode.
        crate::private::touch(path)?;
        for side in ["-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(side);
            crate::private::restrict(Path::new(&p));
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // A crash of the process loses nothing in WAL mode with NORMAL; a power cut may
        // lose the last journal offsets, which only makes a resume start a little earlier.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Deleted content is overwritten, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(CoreError::Database {
                detail: format!(
                    "the queue database {} was written by a newer version (schema {version})",
                    path.display()
                ),
            });
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS transfers (
                id TEXT PRIMARY KEY,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                folder_id INTEGER,
                local_path TEXT,
                url TEXT,
                state TEXT NOT NULL,
                bytes_done INTEGER NOT NULL DEFAULT 0,
                bytes_total INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                started_at INTEGER,
                finished_at INTEGER,
                created_at INTEGER NOT NULL,
                password TEXT,
                dest_dir TEXT,
                remote_dir TEXT,
                checksum TEXT,
                journal_offset INTEGER NOT NULL DEFAULT 0,
                upload_started INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                hidden INTEGER NOT NULL DEFAULT 0,
                password_set INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS transfers_seq ON transfers(seq);
            CREATE TABLE IF NOT EXISTS remote_jobs (
                id INTEGER PRIMARY KEY,
                body TEXT NOT NULL,
                finished INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE IF NOT EXISTS remote_jobs_forgotten (
                id INTEGER PRIMARY KEY
            );
            -- A download on several connections: its segments and how far each got.
            CREATE TABLE IF NOT EXISTS download_segments (
                id TEXT PRIMARY KEY,
                segments TEXT NOT NULL
            );
            DELETE FROM download_segments WHERE id NOT IN (SELECT id FROM transfers);",
        )?;
        if version < 2 {
            // Passwords leave the database: only the fact that there was one stays.
            let has: bool = conn
                .prepare(
                    "SELECT 1 FROM pragma_table_info('transfers') WHERE name = 'password_set'",
                )?
                .exists([])?;
            if !has {
                conn.execute_batch(
                    "ALTER TABLE transfers ADD COLUMN password_set INTEGER NOT NULL DEFAULT 0;",
                )?;
            }
            let cleared = conn.execute(
                "UPDATE transfers SET password_set = 1, password = NULL WHERE password IS NOT NULL",
                [],
            )?;
            if cleared > 0 {
                // Push the rewritten pages out of the write-ahead log at once.
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            }
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn all(&self) -> Result<Vec<Record>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM transfers ORDER BY seq"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    #[cfg(test)]
    pub fn get(&self, id: &str) -> Result<Option<Record>, CoreError> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM transfers WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?)
    }

    /// Inserts or replaces the whole record.
    pub fn put(&self, r: &Record) -> Result<(), CoreError> {
        let error = r
            .error
            .as_ref()
            .map(|e| serde_json::to_string(e).expect("errors serialise"));
        self.conn().execute(
            &format!(
                "INSERT OR REPLACE INTO transfers ({COLUMNS}) VALUES \
                 (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23)"
            ),
            params![
                r.id,
                r.seq,
                kind_str(r.kind),
                r.name,
                r.folder_id,
                r.local_path,
                r.url,
                r.state.as_str(),
                r.bytes_done as i64,
                r.bytes_total as i64,
                error,
                r.started_at.map(|v| v as i64),
                r.finished_at.map(|v| v as i64),
                r.created_at as i64,
                // Never written: passwords stay in memory.
                Option::<String>::None,
                r.dest_dir,
                r.remote_dir,
                r.checksum,
                r.journal_offset as i64,
                r.upload_started,
                r.attempts,
                r.hidden,
                r.password_set || r.password.is_some(),
            ],
        )?;
        Ok(())
    }

    /// Records a download's verified offset (call only after the bytes were fsynced).
    pub fn set_journal(&self, id: &str, offset: u64) -> Result<(), CoreError> {
        self.conn().execute(
            "UPDATE transfers SET journal_offset = ?2, bytes_done = ?2 WHERE id = ?1",
            params![id, offset as i64],
        )?;
        Ok(())
    }

    /// Records a segmented download's progress (call only after the bytes were fsynced):
    /// its segments, and the contiguous prefix as the journal offset.
    pub fn set_segments(
        &self,
        id: &str,
        segments: &[Segment],
        prefix: u64,
    ) -> Result<(), CoreError> {
        let json = serde_json::to_string(segments).expect("segments serialise");
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO download_segments (id, segments) VALUES (?1, ?2)
             ON CONFLICT(id) DO UPDATE SET segments = excluded.segments",
            params![id, json],
        )?;
        tx.execute(
            "UPDATE transfers SET journal_offset = ?2 WHERE id = ?1",
            params![id, prefix as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The segments journaled for a download, if it ran on several connections.
    pub fn segments(&self, id: &str) -> Option<Vec<Segment>> {
        let json: String = self
            .conn()
            .query_row(
                "SELECT segments FROM download_segments WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .ok()?;
        serde_json::from_str(&json).ok()
    }

    pub fn clear_segments(&self, id: &str) -> Result<(), CoreError> {
        self.conn()
            .execute("DELETE FROM download_segments WHERE id = ?1", [id])?;
        Ok(())
    }

    pub fn next_seq(&self) -> Result<i64, CoreError> {
        let n: Option<i64> = self
            .conn()
            .query_row("SELECT MAX(seq) FROM transfers", [], |r| r.get(0))?;
        Ok(n.unwrap_or(0) + 1)
    }

    pub fn put_remote_job(&self, job: &RemoteJob) -> Result<(), CoreError> {
        let body = serde_json::to_string(job).expect("jobs serialise");
        self.conn().execute(
            "INSERT OR REPLACE INTO remote_jobs (id, body, finished) VALUES (?1, ?2, ?3)",
            params![job.id, body, job.is_finished()],
        )?;
        Ok(())
    }

    pub fn remote_jobs(&self) -> Result<Vec<RemoteJob>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT body FROM remote_jobs ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            if let Ok(job) = serde_json::from_str(&body?) {
                out.push(job);
            }
        }
        Ok(out)
    }

    /// Forgets transfers for good, in one transaction (the history's bounds).
    /// Takes a remote job off the list for good (1fichier keeps no way to remove one).
    pub fn forget_remote_job(&self, id: i64) -> Result<(), CoreError> {
        let conn = self.conn();
        conn.execute("DELETE FROM remote_jobs WHERE id = ?1", [id])?;
        conn.execute(
            "INSERT OR IGNORE INTO remote_jobs_forgotten (id) VALUES (?1)",
            [id],
        )?;
        Ok(())
    }

    pub fn forgotten_remote_jobs(&self) -> Result<Vec<i64>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id FROM remote_jobs_forgotten")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn delete(&self, ids: &[String]) -> Result<(), CoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare("DELETE FROM transfers WHERE id = ?1")?;
            let mut segs = tx.prepare("DELETE FROM download_segments WHERE id = ?1")?;
            for id in ids {
                stmt.execute([id])?;
                segs.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn kind_str(k: TransferKind) -> &'static str {
    match k {
        TransferKind::Upload => "upload",
        TransferKind::Download => "download",
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Record> {
    let kind: String = row.get(2)?;
    let state: String = row.get(7)?;
    let error: Option<String> = row.get(10)?;
    let u = |i: usize| -> rusqlite::Result<u64> { Ok(row.get::<_, i64>(i)?.max(0) as u64) };
    let ou = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(row.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
    };
    Ok(Record {
        id: row.get(0)?,
        seq: row.get(1)?,
        kind: if kind == "upload" {
            TransferKind::Upload
        } else {
            TransferKind::Download
        },
        name: row.get(3)?,
        folder_id: row.get(4)?,
        local_path: row.get(5)?,
        url: row.get(6)?,
        state: TransferState::parse(&state).unwrap_or(TransferState::Failed),
        bytes_done: u(8)?,
        bytes_total: u(9)?,
        error: error.and_then(|e| serde_json::from_str(&e).ok()),
        started_at: ou(11)?,
        finished_at: ou(12)?,
        created_at: u(13)?,
        password: None,
        password_set: row.get::<_, bool>(22)? || row.get::<_, Option<String>>(14)?.is_some(),
        dest_dir: row.get(15)?,
        remote_dir: row.get(16)?,
        checksum: row.get(17)?,
        journal_offset: u(18)?,
        upload_started: row.get(19)?,
        attempts: row.get(20)?,
        hidden: row.get(21)?,
    })
}

#[cfg(test)]
mod tests;
