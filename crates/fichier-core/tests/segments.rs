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

/// One route much slower than the others: the connections that finish first split what
/// the slow one has left instead of waiting for it. Without that, the slow connection
/// alone would carry its whole piece at a sixteenth of the others' speed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_connections_take_over_what_a_slow_one_has_left() {
    let env = Env::new().await;
    let data = random_bytes(24 << 20, 35);
    let url = env.put("slow.mkv", data.clone(), None).await;
    env.emu.faults().throttle(Some(8 << 20));
    // The first answer with the file's bytes crawls: its 8 MiB piece alone would take 16 s.
    env.emu.faults().slow_next_downloads(1, 512 << 10);
    let served_before = env.emu.bytes_served();
    let engine = engine_with(&env, 3);
    let t = engine
        .download(vec![url], env.path("dl"), None)
        .unwrap()
        .remove(0);
    let t = done(&engine, &t.id).await;
    assert_eq!(sha256_file(&env.path("dl/slow.mkv")), sha256(&data));
    assert_eq!(t.bytes_done, data.len() as u64);
    let gets = env.download_statuses();
    // The one-byte look, one answer per connection, then at least one piece split off
    // the slow connection's and fetched by a free one.
    assert!(gets.len() >= 5, "nothing was taken over: {gets:?}");
    assert!(gets.iter().all(|s| *s == 206), "each a range: {gets:?}");
    assert_eq!(
        env.emu.faults().snapshot().slow_next_downloads,
        0,
        "the slow answer was served"
    );
    let served = env.emu.bytes_served() - served_before;
    assert!(
        served >= data.len() as u64 && served < data.len() as u64 + 4 * MIB,
        "{served} bytes served for {}",
        data.len()
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
    // A one-byte look at a bare link (its size, before file/info), then the file on
    // one connection.
    assert_eq!(env.download_statuses(), vec![206, 200]);
    engine.set_connections(8);
    let t = engine
        .download(vec![small_url], env.path("one"), None)
        .unwrap()
        .remove(0);
    done(&engine, &t.id).await;
    assert_eq!(
        env.download_statuses(),
        vec![206, 200, 206, 200],
        "6 MB: one connection"
    );
    assert_eq!(sha256_file(&env.path("one/big.bin")), sha256(&big));
    assert_eq!(sha256_file(&env.path("one/small.bin")), sha256(&small));
    engine.shutdown().await;
}

/// A bare link (no listing knows it): the bytes flow after one API call, the token, on
/// every connection; file/info comes while they do and its Whirlpool is still checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_link_starts_after_one_api_call_and_is_still_verified() {
    let env = Env::new().await;
    let data = random_bytes(24 << 20, 37);
    let url = env.put("bare.mkv", data.clone(), None).await;
    let small = random_bytes(300_000, 38);
    let small_url = env.put("bare-small.bin", small.clone(), None).await;
    env.emu.faults().throttle(Some(16 << 20));
    for (connections, link, bytes, name) in [
        (3, &url, &data, "bare.mkv"),
        (1, &url, &data, "bare.mkv"),
        (3, &small_url, &small, "bare-small.bin"),
    ] {
        env.emu.clear_log();
        // A client that listed nothing: the link is all it has.
        let mut o = env.options();
        o.client = client_with(&env.emu, &env.key, quick_pacer());
        o.db_path = env.path(&format!("queue-{connections}-{name}.db"));
        o.settings.connections = connections;
        let engine = TransferEngine::open(o).unwrap();
        let dir = env.path(&format!("bare-{connections}"));
        let t = engine
            .download(vec![link.clone()], dir.clone(), None)
            .unwrap()
            .remove(0);
        let t = done(&engine, &t.id).await;
        assert_eq!(sha256_file(&dir.join(name)), sha256(bytes));
        assert_eq!(t.bytes_done, bytes.len() as u64);
        let log = env.emu.request_log();
        let first = |f: &dyn Fn(&str) -> bool| log.iter().position(|e| f(&e.path));
        let info = first(&|p| p.ends_with("file/info.cgi")).expect("file/info asked");
        let byte = first(&|p| is_download(p)).expect("a download request");
        assert!(byte < info, "the first byte waited for file/info: {log:?}");
        assert_eq!(env.statuses("get_token.cgi"), vec![200], "one token");
        assert_eq!(env.statuses("file/info.cgi"), vec![200], "file/info once");
        // The one-byte look at the file and then the file: nothing fetched twice.
        let gets = env.download_statuses();
        assert!(gets.len() <= connections as usize + 2, "{gets:?}");
        engine.shutdown().await;
    }
}

fn is_download(p: &str) -> bool {
    let p = p.trim_start_matches('/');
    p.len() > 3
        && p.starts_with(|c: char| c.is_ascii_lowercase())
        && p[1..].chars().all(|c| c.is_ascii_digit())
}
