//! The demo account: realistic folders and files of several types and sizes, a shared
//! folder, a password-protected file and a finished remote-upload job.

use std::sync::Arc;

use crate::Inner;
use crate::state::new_stored_file;
use crate::state::{Blob, Offer, RemoteJob, RemoteResult};

/// The demo account's key: fixed, so a demo can be reopened with the same key.
pub const DEMO_KEY: &str = "FichierDeskDemoAccount0000000001";

/// Password of the demo's protected file.
pub const DEMO_FILE_PASSWORD: &str = "demo-secret";

/// Deterministic filler bytes, so demo files have stable checksums.
fn filler(seed: u64, len: usize, header: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&header[..header.len().min(len)]);
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes()[..(len - out.len()).min(8)]);
    }
    out
}

fn text_content(len: usize, line: &str) -> Vec<u8> {
    line.as_bytes().iter().copied().cycle().take(len).collect()
}

pub(crate) async fn load(st: &Arc<Inner>) -> std::io::Result<String> {
    let account = st.shared.add_account(DEMO_KEY.to_string(), Offer::Premium);
    {
        let mut w = st.shared.world();
        if let Some(a) = w.account_mut(account) {
            a.email = "demo@fichier-desk.example".to_string();
        }
    }
    let folders = {
        let mut w = st.shared.world();
        let docs = w.mkdir(account, 0, "Documents");
        let invoices = w.mkdir(account, docs, "Invoices 2026");
        let photos = w.mkdir(account, 0, "Photos");
        let holidays = w.mkdir(account, photos, "Holidays 2025");
        let music = w.mkdir(account, 0, "Music");
        let videos = w.mkdir(account, 0, "Videos");
        let backups = w.mkdir(account, 0, "Backups");
        let shared = w.mkdir(account, 0, "Shared with clients");
        if let Some(f) = w.folders.get_mut(&shared) {
            f.share_code = Some("demoshare1".to_string());
        }
        [
            docs, invoices, photos, holidays, music, videos, backups, shared,
        ]
    };
    let [
        docs,
        invoices,
        _photos,
        holidays,
        music,
        videos,
        backups,
        shared,
    ] = folders;

    let plan: Vec<(i64, &str, Vec<u8>, Option<&str>)> = vec![
        (
            0,
            "Welcome to Fichier Desk.txt",
            text_content(
                1_840,
                "This is a demo account served by the built-in 1fichier emulator. ",
            ),
            None,
        ),
        (
            0,
            "Quarterly report.pdf",
            filler(1, 482_133, b"%PDF-1.7\n"),
            None,
        ),
        (
            docs,
            "Meeting notes.md",
            text_content(6_120, "- Decide the release date\n- Review the budget\n"),
            None,
        ),
        (
            docs,
            "Budget 2026.xlsx",
            filler(2, 58_410, b"PK\x03\x04"),
            None,
        ),
        (
            docs,
            "Contrat signé.pdf",
            filler(3, 214_771, b"%PDF-1.6\n"),
            Some(DEMO_FILE_PASSWORD),
        ),
        (
            invoices,
            "Invoice 2026-001.pdf",
            filler(4, 91_220, b"%PDF-1.4\n"),
            None,
        ),
        (
            invoices,
            "Invoice 2026-002.pdf",
            filler(5, 88_004, b"%PDF-1.4\n"),
            None,
        ),
        (
            holidays,
            "Beach at sunset.jpg",
            filler(6, 2_412_876, b"\xff\xd8\xff\xe0"),
            None,
        ),
        (
            holidays,
            "Old town.jpg",
            filler(7, 1_873_554, b"\xff\xd8\xff\xe0"),
            None,
        ),
        (
            holidays,
            "Panorama.png",
            filler(8, 3_145_728, b"\x89PNG\r\n\x1a\n"),
            None,
        ),
        (music, "Demo track.mp3", filler(9, 4_194_304, b"ID3"), None),
        (
            music,
            "Field recording.flac",
            filler(10, 2_621_440, b"fLaC"),
            None,
        ),
        (
            videos,
            "Launch teaser.mp4",
            filler(11, 6_291_456, b"\x00\x00\x00\x18ftypmp42"),
            None,
        ),
        (
            backups,
            "laptop-2026-11-01.tar.gz",
            filler(12, 5_242_880, b"\x1f\x8b"),
            None,
        ),
        (
            backups,
            "photos-2025.zip",
            filler(13, 3_670_016, b"PK\x03\x04"),
            None,
        ),
        (
            shared,
            "Brand guidelines.pdf",
            filler(14, 1_048_576, b"%PDF-1.7\n"),
            None,
        ),
        (
            shared,
            "Logo pack.zip",
            filler(15, 786_432, b"PK\x03\x04"),
            None,
        ),
    ];
    let mut first_backup_link = String::new();
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris);
    let oldest_file = now - chrono::Duration::hours(7 + 53 * plan.len() as i64);
    {
        // Made before anything was put in them, parents before their sub-folders.
        let mut w = st.shared.world();
        for (k, id) in folders.iter().enumerate() {
            let made = oldest_file - chrono::Duration::hours(24 * (folders.len() - k) as i64);
            if let Some(f) = w.folders.get_mut(id) {
                f.create_date = made.format("%Y-%m-%d %H:%M:%S").to_string();
            }
        }
    }
    for (i, (folder, name, bytes, pass)) in plan.into_iter().enumerate() {
        // Spread over the last months, so dates read like a real account's.
        let sent = now - chrono::Duration::hours(7 + 53 * i as i64);
        let path = st.shared.new_blob_path();
        tokio::fs::write(&path, &bytes).await?;
        let blob = Blob::new(path, bytes.len() as u64);
        let mut w = st.shared.world();
        let mut f = new_stored_file(
            &w,
            Some(account),
            folder,
            name.to_string(),
            blob,
            pass.map(str::to_string),
        );
        f.date = sent.format("%Y-%m-%d %H:%M:%S").to_string();
        if folder == backups && first_backup_link.is_empty() {
            first_backup_link = format!("{}/?{}", st.base_url, f.id);
        }
        w.insert_file(f);
    }

    let mut w = st.shared.world();
    let id = w.next_job_id;
    w.next_job_id += 1;
    w.jobs.push(RemoteJob {
        id,
        owner: account,
        request_date: "2026-11-20 09:14:02".to_string(),
        execution_date: Some("2026-11-20 09:14:31".to_string()),
        urls: vec![
            "http://127.0.0.1/mirror/laptop-2026-11-01.tar.gz".to_string(),
            "http://127.0.0.1/mirror/missing.iso".to_string(),
        ],
        headers: Vec::new(),
        folder_id: backups,
        result: vec![
            RemoteResult {
                status: "OK".into(),
                url: "http://127.0.0.1/mirror/laptop-2026-11-01.tar.gz".into(),
                download_link: first_backup_link,
                message: String::new(),
            },
            RemoteResult {
                status: "KO".into(),
                url: "http://127.0.0.1/mirror/missing.iso".into(),
                download_link: String::new(),
                message: "Download failed: HTTP 404".into(),
            },
        ],
    });
    drop(w);
    Ok(DEMO_KEY.to_string())
}
