//! What the command-line tests share: an emulator with one premium account, a scratch
//! directory, and the `fichier` command pointed at both, run as a separate process.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use fichier_emulator::{Emulator, EmulatorConfig, Offer};

pub struct Env {
    pub emu: Emulator,
    pub key: String,
    pub dir: tempfile::TempDir,
    /// Extra arguments given to every command (a `--queue` file, say).
    base_args: Vec<String>,
    /// Extra environment for every command.
    base_env: Vec<(String, String)>,
}

impl Env {
    pub async fn start(config: EmulatorConfig) -> Env {
        let emu = Emulator::start(config).await.unwrap();
        let key = emu.add_account(Offer::Premium);
        Env {
            emu,
            key,
            dir: tempfile::tempdir().unwrap(),
            base_args: Vec::new(),
            base_env: Vec::new(),
        }
    }

    /// Every command also gets these arguments.
    pub fn with_args(mut self, args: &[&str]) -> Env {
        self.base_args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Every command uses the queue file `queue.db` of the scratch directory.
    pub fn with_own_queue(self) -> Env {
        let queue = self.path("queue.db").to_string_lossy().into_owned();
        self.with_args(&["--queue", &queue])
    }

    /// Every command also gets this variable.
    pub fn with_env(mut self, name: &str, value: &str) -> Env {
        self.base_env.push((name.into(), value.into()));
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_fichier"));
        c.args(args)
            .args(&self.base_args)
            .env("FICHIER_API_BASE", self.emu.api_base())
            .env("FICHIER_API_KEY", &self.key)
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .envs(self.base_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        c
    }

    /// Runs the command to the end (on a blocking thread, so the emulator keeps serving).
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut c = self.cmd(args);
        tokio::task::spawn_blocking(move || c.output().unwrap())
            .await
            .unwrap()
    }

    /// Runs with `--json`; the command must succeed and print JSON.
    pub async fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let out = self.run(&full).await;
        assert!(
            out.status.success(),
            "{args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// An emulator without rate limits, and a queue of this scratch directory.
    pub async fn unlimited() -> Env {
        Env::start(EmulatorConfig {
            rate_limits: false,
            ..EmulatorConfig::default()
        })
        .await
        .with_own_queue()
    }

    /// Uploads `data` as `name` with `fichier upload`; returns its URL.
    pub async fn put(&self, name: &str, data: &[u8]) -> String {
        std::fs::write(self.path(name), data).unwrap();
        let up = self
            .json(&["upload", self.path(name).to_str().unwrap()])
            .await;
        up[0]["url"].as_str().unwrap().to_string()
    }

    /// API calls refused with 403 (flood locks).
    pub fn floods(&self) -> usize {
        self.emu
            .request_log()
            .iter()
            .filter(|e| e.path.starts_with("/v1/") && e.status == 403)
            .count()
    }
}

/// Deterministic bytes that do not compress (xorshift).
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(len);
    v
}

/// Writes `data` at `root/rel`, making its folders.
pub fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

pub fn kill9(child: &mut Child) {
    unsafe {
        libc::kill(child.id() as i32, libc::SIGKILL);
    }
    let _ = child.wait();
}

/// Waits (polling) until `pred` holds, at most two minutes.
pub async fn until(what: &str, mut pred: impl FnMut() -> bool) {
    for _ in 0..1200 {
        if pred() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("gave up waiting for {what}");
}
