//! Memory stays bounded while moving a file much larger than the budget: a 1 GiB upload
//! and download by the `fichier` process, its peak RSS read with wait4 (getrusage of that
//! child only). Files live in /dev/shm when it exists, so the disk isn't what's measured.

use std::path::Path;
use std::process::{Command, Stdio};

use fichier_emulator::{Emulator, EmulatorConfig, Offer};

const SIZE: u64 = 1 << 30;
const BUDGET_KIB: i64 = 64 * 1024;

fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("fichier-mem-")
            .tempdir_in(shm)
            .unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

/// Runs the command and returns (exit status, peak RSS in KiB) of that process alone.
// The child is reaped by wait4, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn run_measured(mut cmd: Command) -> (i32, i64) {
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peak_memory_stays_under_64_mib_for_a_1_gib_transfer() {
    let dir = scratch();
    let emu = Emulator::start(EmulatorConfig {
        rate_limits: false,
        data_dir: Some(dir.path().join("emu")),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let key = emu.add_account(Offer::Premium);
    let src = dir.path().join("big.bin");
    {
        // Sparse-free content without holding it in memory.
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&src).unwrap());
        let mut block = vec![0u8; 1 << 20];
        for i in 0..(SIZE >> 20) {
            block[..8].copy_from_slice(&i.to_le_bytes());
            f.write_all(&block).unwrap();
        }
    }
    let cmd = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_fichier"));
        c.args(args)
            .arg("--queue")
            .arg(dir.path().join("queue.db"))
            .env("FICHIER_API_BASE", emu.api_base())
            .env("FICHIER_API_KEY", &key);
        c
    };
    let up = cmd(&["--json", "upload", src.to_str().unwrap()]);
    let (code, up_rss) = tokio::task::spawn_blocking(move || run_measured(up))
        .await
        .unwrap();
    assert_eq!(code, 0, "upload failed");
    let url = {
        let listed = Command::new(env!("CARGO_BIN_EXE_fichier"))
            .args(["--json", "ls"])
            .env("FICHIER_API_BASE", emu.api_base())
            .env("FICHIER_API_KEY", &key)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        v["files"][0]["url"].as_str().unwrap().to_string()
    };
    std::fs::remove_file(&src).unwrap();
    let out = dir.path().join("out");
    let down = cmd(&["download", &url, "-o", out.to_str().unwrap()]);
    let (code, down_rss) = tokio::task::spawn_blocking(move || run_measured(down))
        .await
        .unwrap();
    assert_eq!(code, 0, "download failed");
    assert_eq!(std::fs::metadata(out.join("big.bin")).unwrap().len(), SIZE);
    eprintln!("peak RSS: upload {up_rss} KiB, download {down_rss} KiB");
    assert!(up_rss < BUDGET_KIB, "upload peak RSS {up_rss} KiB");
    assert!(down_rss < BUDGET_KIB, "download peak RSS {down_rss} KiB");
}
