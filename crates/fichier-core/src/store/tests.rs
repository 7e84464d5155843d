use super::*;

fn record(id: &str, seq: i64) -> Record {
    Record {
        id: id.into(),
        seq,
        kind: TransferKind::Download,
        name: "n".into(),
        folder_id: Some(3),
        local_path: None,
        url: Some("http://x/?abc".into()),
        state: TransferState::Queued,
        bytes_done: 0,
        bytes_total: 10,
        error: Some(AppError {
            code: crate::ErrorCode::Server,
            message: "m".into(),
            retryable: true,
            retry_after: Some(3),
        }),
        started_at: None,
        finished_at: None,
        created_at: 5,
        password: None,
        password_set: false,
        dest_dir: Some("/d".into()),
        remote_dir: None,
        checksum: None,
        journal_offset: 0,
        upload_started: false,
        attempts: 1,
        hidden: false,
    }
}

#[test]
fn records_round_trip_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q/queue.db");
    {
        let s = Store::open(&path).unwrap();
        s.put(&record("a", 1)).unwrap();
        s.put(&record("b", 2)).unwrap();
        s.set_journal("a", 4096).unwrap();
        assert_eq!(s.next_seq().unwrap(), 3);
    }
    let s = Store::open(&path).unwrap();
    let all = s.all().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].journal_offset, 4096);
    assert_eq!(all[0].bytes_done, 4096);
    let mut expected = record("b", 2);
    assert_eq!(all[1], expected);
    expected.state = TransferState::Done;
    s.put(&expected).unwrap();
    assert_eq!(s.get("b").unwrap().unwrap().state, TransferState::Done);
}

#[test]
fn passwords_never_reach_the_disk_and_files_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    let mut r = record("p", 1);
    r.password = Some("hunter2-secret".into());
    {
        let s = Store::open(&path).unwrap();
        s.put(&r).unwrap();
        let back = s.get("p").unwrap().unwrap();
        assert_eq!(back.password, None);
        assert!(back.password_set);
    }
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        assert!(
            !bytes.windows(14).any(|w| w == b"hunter2-secret"),
            "{} holds the password",
            p.display()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{} is {mode:o}", p.display());
        }
    }
}

#[test]
fn passwords_of_an_older_queue_are_removed_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE transfers (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL,
             name TEXT NOT NULL, folder_id INTEGER, local_path TEXT, url TEXT, state TEXT NOT NULL,
             bytes_done INTEGER NOT NULL DEFAULT 0, bytes_total INTEGER NOT NULL DEFAULT 0,
             error TEXT, started_at INTEGER, finished_at INTEGER, created_at INTEGER NOT NULL,
             password TEXT, dest_dir TEXT, remote_dir TEXT, checksum TEXT,
             journal_offset INTEGER NOT NULL DEFAULT 0, upload_started INTEGER NOT NULL DEFAULT 0,
             attempts INTEGER NOT NULL DEFAULT 0, hidden INTEGER NOT NULL DEFAULT 0);
             INSERT INTO transfers (id, seq, kind, name, state, created_at, password)
             VALUES ('old', 1, 'upload', 'a.txt', 'queued', 1, 'old-secret');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let r = s.get("old").unwrap().unwrap();
    assert!(r.password_set);
    assert_eq!(r.password, None);
    let left: Option<String> = s
        .conn()
        .query_row("SELECT password FROM transfers WHERE id = 'old'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(left, None);
}
