//! Downloads on several connections against the emulator, each connection capped like a
//! slow route: one token for all of them, every byte fetched once, the Whirlpool checked,
//! and a stopped download resuming each segment where it was.

mod common;

use common::*;
use fichier_core::{Settings, TransferEngine};

const MIB: u64 = 1 << 20;

fn engine_with(env: &Env, connections: u32) -> TransferEngine {
    let mut o = env.options();
    o.settings = Settings {
        connections,
        ..o.settings.clone()
    };
    TransferEngine::open(o).unwrap()
}

/// The journaled segments of the queue's one download: (start, end, done).
fn journaled(env: &Env) -> Vec<(u64, u64, u64)> {
    let db = rusqlite::Connection::open(env.path("queue.db")).unwrap();
    let json: Option<String> = db
        .query_row("SELECT segments FROM download_segments", [], |r| r.get(0))
        .ok();
    let Some(json) = json else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_u64().unwrap();
            (n("start"), n("end"), n("done"))
        })
        .collect()
}

/// The host's byte count once the connections of a stopped download are gone (it may
/// still push a little into them).
async fn settled_count(env: &Env) -> u64 {
    let mut last = env.emu.bytes_served();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = env.emu.bytes_served();
        if now == last {
            return now;
        }
        last = now;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_download_runs_on_several_connections_of_one_token() {
    let env = Env::new().await;
    let data = random_bytes(40 << 20, 31);
    let url = env.put("film.mkv", data.clone(), None).await;
    env.emu.faults().throttle(Some(8 << 20));
    let served_before = env.emu.bytes_served();
    let engine = engine_with(&env, 3);
    let t = engine
        .download(vec![url], env.path("dl"), None)
        .unwrap()
        .remove(0);
    let t = done(&engine, &t.id).await;
    assert_eq!(sha256_file(&env.path("dl/film.mkv")), sha256(&data));
    assert_eq!(t.bytes_done, data.len() as u64);
    assert_eq!(
        env.statuses("get_token.cgi"),
        vec![200],
        "one token for all"
    );
    let gets = env.download_statuses();
    assert!(gets.len() >= 3, "{gets:?}");
    assert!(gets.iter().all(|s| *s == 206), "each a range: {gets:?}");
    // Every byte came once (a connection cut short by a split may have had a little
    // more on its way).
    let served = env.emu.bytes_served() - served_before;
    assert!(
        served >= data.len() as u64 && served < data.len() as u64 + 4 * MIB,
        "{served} bytes served for {}",
        data.len()
    );
    assert!(
        journaled(&env).is_empty(),
        "the segments are forgotten once done"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_segmented_download_resumes_each_segment_where_it_was() {
    let env = Env::new().await;
    let size = 48 << 20;
    let data = random_bytes(size, 32);
    let url = env.put("archive.tar", data.clone(), None).await;
    env.emu.faults().throttle(Some(4 << 20));
    let id = {
        let engine = engine_with(&env, 3);
        let t = engine
            .download(vec![url], env.path("dl"), None)
            .unwrap()
            .remove(0);
        wait_for(&engine, &t.id, "a third of the file", |t| {
            t.bytes_done > size as u64 / 3
        })
        .await;
        engine.shutdown().await;
        t.id
    };
    let segs = journaled(&env);
    let started = segs.iter().filter(|s| s.2 > 0).count();
    assert!(started >= 3, "every connection got somewhere: {segs:?}");
    let kept: u64 = segs.iter().map(|s| s.2).sum();
    let served_before = settled_count(&env).await;

    // Resumed on capped connections too: a connection that finishes early splits a slow
    // one's piece, and what the old connection already had on its way is fetched twice.
    // Unthrottled, that is whatever the loopback socket buffers hold (several MiB, seen
    // at exactly 4 MiB once); capped, it stays a fraction of a MiB.
    env.emu.faults().throttle(Some(16 << 20));
    let engine = engine_with(&env, 3);
    done(&engine, &id).await;
    assert_eq!(sha256_file(&env.path("dl/archive.tar")), sha256(&data));
    let refetched = env.emu.bytes_served() - served_before;
    assert!(
        refetched < size as u64 - kept + 4 * MIB,
        "{refetched} bytes fetched again, {} were missing",
        size as u64 - kept
    );
    assert_eq!(
        env.statuses("get_token.cgi").len(),
        2,
        "one token per start"
    );
    assert!(env.download_statuses().iter().all(|s| *s == 206));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_when_the_setting_says_so_or_the_file_is_small() {
    let env = Env::new().await;
    let big = random_bytes(20 << 20, 33);
    let small = random_bytes(6 << 20, 34);
    let big_url = env.put("big.bin", big.clone(), None).await;
    let small_url = env.put("small.bin", small.clone(), None).await;
    let engine = engine_with(&env, 1);
    let t = engine
        .download(vec![big_url], env.path("one"), None)
        .unwrap()
        .remove(0);
    done(&engine, &t.id).await;
    assert_eq!(env.download_statuses(), vec![200]);
    engine.set_connections(8);
    let t = engine
        .download(vec![small_url], env.path("one"), None)
        .unwrap()
        .remove(0);
    done(&engine, &t.id).await;
    assert_eq!(
        env.download_statuses(),
        vec![200, 200],
        "6 MB: one connection"
    );
    assert_eq!(sha256_file(&env.path("one/big.bin")), sha256(&big));
    assert_eq!(sha256_file(&env.path("one/small.bin")), sha256(&small));
    engine.shutdown().await;
}
