//! The server against the emulator: what WebDAV clients and players see, and what it
//! costs in API calls (counted by the emulator's request log).

use std::time::Duration;

use bytes::Bytes;
use fichier_api::{ApiKey, ClientConfig, FichierClient, Pacer, PacerConfig, UploadOptions};
use fichier_core::library::Library;
use fichier_emulator::{Emulator, EmulatorConfig, Offer};
use fichier_serve::{ServeConfig, Server};
use reqwest::{Method, StatusCode};

const SECRET: &str = "test-secret-123";

struct Env {
    emu: Emulator,
    client: FichierClient,
    server: Server,
    http: reqwest::Client,
}

fn quick_pacer() -> PacerConfig {
    PacerConfig {
        min_interval: Duration::from_millis(5),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(500),
        flood_wait: Duration::from_millis(500),
        flood_wait_max: Duration::from_secs(2),
        ..PacerConfig::default()
    }
}

async fn env_with(read_only: bool, budget: Duration) -> Env {
    let emu = Emulator::start(EmulatorConfig {
        rate_limits: false,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let key = emu.add_account(Offer::Premium);
    let mut config = ClientConfig::with_base(&emu.api_base()).unwrap();
    config.end_pl_delay = Duration::from_millis(20);
    let client = FichierClient::with_pacer(
        config,
        Some(ApiKey::parse(&key).unwrap()),
        Pacer::new(quick_pacer()),
    )
    .unwrap();
    let mut sc = ServeConfig::new(SECRET.into());
    sc.read_only = read_only;
    sc.budget = budget;
    let server = Server::start(sc, Library::new(client.clone()))
        .await
        .unwrap();
    Env {
        emu,
        client,
        server,
        http: reqwest::Client::new(),
    }
}

async fn env() -> Env {
    env_with(false, Duration::from_secs(20)).await
}

fn data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

impl Env {
    async fn put(&self, name: &str, bytes: &[u8], folder: Option<i64>) -> String {
        let body = futures_util::stream::iter(
            bytes
                .chunks(1 << 20)
                .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        );
        let opts = UploadOptions {
            folder_id: folder,
            ..Default::default()
        };
        self.client
            .upload(name, bytes.len() as u64, body, &opts)
            .await
            .unwrap()
            .download
    }

    fn dav(&self, path: &str) -> String {
        format!("{}/dav{path}", self.server.base_url())
    }

    fn req(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                self.dav(path),
            )
            .basic_auth("fichier", Some(SECRET))
    }

    fn calls(&self, endpoint: &str) -> u64 {
        let c = self.emu.request_counts();
        c.by_endpoint
            .get(&format!("/v1/{endpoint}.cgi"))
            .copied()
            .unwrap_or(0)
    }

    async fn get(&self, path: &str) -> Bytes {
        let r = self.req("GET", path).send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.bytes().await.unwrap()
    }

    async fn propfind(&self, path: &str, depth: &str) -> (StatusCode, String) {
        let r = self
            .req("PROPFIND", path)
            .header("Depth", depth)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

#[tokio::test]
async fn listings_come_from_the_cache_and_duplicates_get_their_own_names() {
    let e = env().await;
    let folder = e.client.create_folder(0, "Films").await.unwrap().folder_id;
    e.put("a.mkv", &data(1000, 1), Some(folder)).await;
    // 1fichier's dates are to the second: the second file is the newer one, so it is
    // the one renamed (the older keeps the name).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    e.put("a.mkv", &data(2000, 2), Some(folder)).await;
    e.emu.clear_log();
    let (st, body) = e.propfind("/Films/", "1").await;
    assert_eq!(st, StatusCode::MULTI_STATUS);
    assert!(body.contains("/dav/Films/a.mkv<"), "{body}");
    assert!(body.contains("/dav/Films/a%20%282%29.mkv<"), "{body}");
    let (_, second) = e.propfind("/Films/a%20(2).mkv", "0").await;
    assert!(second.contains("<D:getcontentlength>2000<"), "{second}");
    let first = e.emu.request_counts().total;
    for _ in 0..5 {
        let (st, _) = e.propfind("/Films/", "1").await;
        assert_eq!(st, StatusCode::MULTI_STATUS);
        let (st, _) = e.propfind("/Films/a%20(2).mkv", "0").await;
        assert_eq!(st, StatusCode::MULTI_STATUS);
    }
    assert_eq!(
        e.emu.request_counts().total,
        first,
        "repeated PROPFINDs make no call"
    );
    // A housekeeping probe (Finder's ._ files) is answered from the listing.
    let (st, _) = e.propfind("/Films/._a.mkv", "0").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(e.emu.request_counts().total, first);
    // A PROPFIND without Depth on a file still describes the file.
    let r = e.req("PROPFIND", "/Films/a.mkv").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::MULTI_STATUS);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<D:getcontentlength>1000<")
    );
}

#[tokio::test]
async fn reads_share_one_token_and_ranges_are_exact() {
    let e = env().await;
    let bytes = data(3 << 20, 7);
    e.put("clip.mp4", &bytes, None).await;
    e.emu.clear_log();
    let head = e.req("HEAD", "/clip.mp4").send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(e.calls("download/get_token"), 0, "HEAD asks for no token");
    for (i, (a, b)) in [
        (0u64, 99u64),
        (1 << 20, (1 << 20) + 4095),
        (3_000_000, 3_145_727),
    ]
    .into_iter()
    .enumerate()
    {
        let r = e
            .req("GET", "/clip.mp4")
            .header("Range", format!("bytes={a}-{b}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT, "range {i}");
        let got = r.bytes().await.unwrap();
        assert_eq!(&got[..], &bytes[a as usize..=b as usize], "range {i}");
    }
    let whole = e.get("/clip.mp4").await;
    assert_eq!(&whole[..], &bytes[..]);
    assert_eq!(e.calls("download/get_token"), 1, "one token for every read");
    let unsatisfiable = e
        .req("GET", "/clip.mp4")
        .header("Range", "bytes=99999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(unsatisfiable.status(), StatusCode::RANGE_NOT_SATISFIABLE);
}

#[tokio::test]
async fn stream_links_seek_renew_expired_tokens_and_refuse_strangers() {
    let e = env().await;
    let bytes = data(2 << 20, 9);
    let url = e.put("Movie (2020).mkv", &bytes, None).await;
    let link = e.server.stream_link(&url, "Movie (2020).mkv").unwrap();
    assert!(link.contains("/s/test-secret-123/"), "{link}");
    e.emu.clear_log();
    for k in 0..20u64 {
        let a = (k * 104_729) % (bytes.len() as u64 - 5000);
        let r = e
            .http
            .get(&link)
            .header("Range", format!("bytes={a}-{}", a + 4999))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(
            r.headers()["content-range"].to_str().unwrap(),
            format!("bytes {a}-{}/{}", a + 4999, bytes.len())
        );
        assert_eq!(
            &r.bytes().await.unwrap()[..],
            &bytes[a as usize..a as usize + 5000]
        );
    }
    assert_eq!(e.calls("download/get_token"), 1, "20 seeks, one token");
    // The token dies (as 1fichier's do after about 5 minutes): the link keeps working.
    e.emu.faults().expire_tokens_now();
    let r = e.http.get(&link).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(&r.bytes().await.unwrap()[..], &bytes[..]);
    assert_eq!(
        e.calls("download/get_token"),
        2,
        "a new token behind the same link"
    );
    // Someone else's secret, and a page on another site (DNS rebinding).
    let wrong = link.replace("test-secret-123", "test-secret-124");
    assert_eq!(
        e.http.get(&wrong).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let foreign = e
        .http
        .get(&link)
        .header("Host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::MISDIRECTED_REQUEST);
    let no_auth = e.http.get(e.dav("/")).send().await.unwrap();
    assert_eq!(no_auth.status(), StatusCode::UNAUTHORIZED);
    assert!(
        no_auth.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    let bad_auth = e
        .http
        .get(e.dav("/"))
        .basic_auth("fichier", Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_auth.status(), StatusCode::UNAUTHORIZED);
    // A cut mid-stream is picked up again at the same byte.
    e.emu.faults().drop_download_after(700_000);
    let r = e.http.get(&link).send().await.unwrap();
    assert_eq!(&r.bytes().await.unwrap()[..], &bytes[..]);
}

#[tokio::test]
async fn a_flood_lock_is_a_503_with_retry_after() {
    let e = env_with(false, Duration::from_secs(2)).await;
    let url = e.put("locked.mkv", &data(10_000, 3), None).await;
    let link = e.server.stream_link(&url, "locked.mkv").unwrap();
    // The file is known (listed) before 1fichier locks the account.
    let (st, _) = e.propfind("/", "1").await;
    assert_eq!(st, StatusCode::MULTI_STATUS);
    e.emu.faults().flood_lock_for(Duration::from_secs(60));
    let r = e.req("GET", "/locked.mkv").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "{retry}");
    let r = e.http.get(&link).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().contains_key("retry-after"));
    // Listings stay available from the cache meanwhile.
    let (st, body) = e.propfind("/", "1").await;
    assert_eq!(st, StatusCode::MULTI_STATUS);
    assert!(body.contains("locked.mkv"));
}

#[tokio::test]
async fn a_stream_already_playing_goes_on_through_a_flood_lock() {
    let e = env().await;
    let bytes = data(4 << 20, 31);
    let url = e.put("playing.mkv", &bytes, None).await;
    let link = e.server.stream_link(&url, "playing.mkv").unwrap();
    let first = e
        .http
        .get(&link)
        .header("Range", "bytes=0-65535")
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(&first.bytes().await.unwrap()[..], &bytes[..65536]);
    // 1fichier locks the API; its download hosts keep serving the token in hand.
    e.emu.faults().flood_lock_for(Duration::from_secs(60));
    for a in [1_000_000u64, 3_000_000, 65_536] {
        let r = e
            .http
            .get(&link)
            .header("Range", format!("bytes={a}-{}", a + 99_999))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::PARTIAL_CONTENT,
            "seek to {a} during the lock"
        );
        assert_eq!(
            &r.bytes().await.unwrap()[..],
            &bytes[a as usize..a as usize + 100_000]
        );
    }
    assert_eq!(e.calls("download/get_token"), 1);
}

#[tokio::test]
async fn puts_are_verified_uploads_and_a_cut_one_leaves_nothing() {
    let e = env().await;
    let bytes = data(1_500_000, 11);
    let r = e
        .req("PUT", "/up.bin")
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let stored = e.emu.stored_files();
    assert!(
        stored
            .iter()
            .any(|f| f.1 == "up.bin" && f.2 == bytes.len() as u64),
        "{stored:?}"
    );
    let back = e.get("/up.bin").await;
    assert_eq!(&back[..], &bytes[..]);
    // Without a length (chunked), spooled first.
    let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(100_000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let r = e
        .req("PUT", "/chunked.bin")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let back = e.get("/chunked.bin").await;
    assert_eq!(&back[..], &bytes[..]);
    // Overwriting: the new bytes replace the old file, one file stays.
    let newer = data(70_000, 12);
    let r = e
        .req("PUT", "/up.bin")
        .body(newer.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let stored = e.emu.stored_files();
    assert_eq!(
        stored.iter().filter(|f| f.1 == "up.bin").count(),
        1,
        "{stored:?}"
    );
    let back = e.get("/up.bin").await;
    assert_eq!(&back[..], &newer[..]);
    // A body that ends before its Content-Length: no file at all.
    let before = e.emu.file_count();
    let mut sock = tokio::net::TcpStream::connect(e.server.addr())
        .await
        .unwrap();
    use tokio::io::AsyncWriteExt;
    let auth = "ZmljaGllcjp0ZXN0LXNlY3JldC0xMjM="; // fichier:test-secret-123
    let head = format!(
        "PUT /dav/cut.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\nContent-Length: 500000\r\n\r\n"
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    sock.write_all(&data(200_000, 13)).await.unwrap();
    drop(sock);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(e.emu.file_count(), before, "a cut PUT stores nothing");
    let (st, _) = e.propfind("/cut.bin", "0").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // An empty file is kept on this side (1fichier refuses empty files) and listed.
    let r = e
        .req("PUT", "/empty.txt")
        .body(Vec::<u8>::new())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let (st, body) = e.propfind("/", "1").await;
    assert_eq!(st, StatusCode::MULTI_STATUS);
    assert!(body.contains("/dav/empty.txt<"));
    assert_eq!(e.emu.file_count(), before);
}

#[tokio::test]
async fn folders_move_copy_and_delete_on_1fichiers_side() {
    let e = env().await;
    let a = e.req("MKCOL", "/A/").send().await.unwrap();
    assert_eq!(a.status(), StatusCode::CREATED);
    assert_eq!(
        e.req("MKCOL", "/A/").send().await.unwrap().status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        e.req("MKCOL", "/nope/B/").send().await.unwrap().status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        e.req("MKCOL", "/A/B/").send().await.unwrap().status(),
        StatusCode::CREATED
    );
    let bytes = data(300_000, 21);
    for name in ["one.bin", "two.bin", "three.bin"] {
        let r = e
            .req("PUT", &format!("/A/B/{name}"))
            .body(bytes.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let served = e.emu.bytes_served();
    e.emu.clear_log();
    // COPY of a file: one file/cp, no byte through this computer.
    let r = e
        .req("COPY", "/A/B/one.bin")
        .header("Destination", e.dav("/A/copy.bin"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(e.calls("file/cp"), 1);
    assert_eq!(e.emu.bytes_served(), served, "no download for a copy");
    // MOVE across folders with a new name, then a folder rename.
    let r = e
        .req("MOVE", "/A/B/two.bin")
        .header("Destination", e.dav("/A/moved.bin"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = e
        .req("MOVE", "/A/B/")
        .header("Destination", e.dav("/A/C/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let (_, body) = e.propfind("/A/", "1").await;
    assert!(
        body.contains("/dav/A/C/<")
            && body.contains("/dav/A/moved.bin<")
            && body.contains("/dav/A/copy.bin<"),
        "{body}"
    );
    let back = e.get("/A/C/three.bin").await;
    assert_eq!(&back[..], &bytes[..]);
    // DELETE of a tree: one file/rm per folder, then the folders.
    e.emu.clear_log();
    let r = e.req("DELETE", "/A/").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        e.calls("file/rm"),
        2,
        "A's two files in one call, C's in another"
    );
    assert_eq!(e.calls("folder/rm"), 2);
    assert_eq!(e.emu.file_count(), 0);
    let (st, _) = e.propfind("/A/", "0").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn read_only_refuses_every_change() {
    let e = env_with(true, Duration::from_secs(20)).await;
    e.put("keep.bin", &data(1000, 5), None).await;
    for (m, p) in [
        ("PUT", "/x.bin"),
        ("MKCOL", "/D/"),
        ("DELETE", "/keep.bin"),
        ("LOCK", "/keep.bin"),
    ] {
        let r = e.req(m, p).body("x").send().await.unwrap();
        assert!(r.status().is_client_error(), "{m} {p}: {}", r.status());
    }
    assert_eq!(e.emu.file_count(), 1);
    let r = e.req("GET", "/keep.bin").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
