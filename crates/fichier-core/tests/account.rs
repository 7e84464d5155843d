//! The account view, the CDN switch, FTP sub-accounts and the link checker against the
//! emulator with its rate limits on: what the user sees, and how many calls it costs.

mod common;

use std::time::Duration;

use common::Env;
use fichier_api::PacerConfig;
use fichier_core::account::AccountNotice;
use fichier_core::library::Library;
use fichier_core::links::{LinkStatus, check_text};
use fichier_emulator::{AccountState, EmulatorConfig, Limits};

fn calls(env: &Env, endpoint: &str) -> u64 {
    env.emu
        .request_counts()
        .by_endpoint
        .get(endpoint)
        .copied()
        .unwrap_or(0)
}

/// Every API call so far (the website's link check is not one).
fn api_calls(env: &Env) -> u64 {
    env.emu
        .request_counts()
        .by_endpoint
        .iter()
        .filter(|(k, _)| k.starts_with("/v1/"))
        .map(|(_, v)| v)
        .sum()
}

/// The emulator's limits on, its 5-minute user/info rule shortened to 2 s (the pacer
/// keeps the same rule), so a second account call is sent only when it is allowed.
async fn limited() -> Env {
    let rule = Duration::from_secs(2);
    Env::with(
        EmulatorConfig {
            limits: Limits {
                user_info_interval: rule,
                ..Limits::default()
            },
            ..EmulatorConfig::default()
        },
        PacerConfig {
            user_info_interval: rule,
            ..PacerConfig::default()
        },
    )
    .await
}

#[tokio::test]
async fn the_account_view_tells_what_needs_attention_from_one_call() {
    let env = limited().await;
    env.emu.set_account_state(
        &env.key,
        AccountState {
            quota_bytes: Some(1_000),
            hot_storage: Some(4_096),
            upload_forbidden: Some(true),
            subscription_end: Some(
                (chrono::Utc::now() + chrono::Duration::days(10))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
            ),
            cdn_credit_gb: Some(0),
        },
    );
    // Over the quota once a file of 2,000 bytes is stored.
    env.put("big.bin", vec![7; 2_000], None).await;
    let library = Library::new(env.client.clone());
    let a = library.account().await.unwrap();
    assert!(a.upload_forbidden && a.over_quota);
    assert_eq!(a.hot_storage_used, Some(4_096));
    assert_eq!(a.cold_storage_used, 2_000);
    let days = a.subscription_days_left.unwrap();
    assert!((9..=10).contains(&days), "{days}");
    assert_eq!(
        a.notices,
        vec![
            AccountNotice::UploadForbidden,
            AccountNotice::OverQuota,
            AccountNotice::SubscriptionEndsSoon { days },
        ]
    );
    // Opened again: the same answer from the cache, no second call.
    let again = library.account().await.unwrap();
    assert_eq!(again.notices, a.notices);
    assert_eq!(calls(&env, "/v1/user/info.cgi"), 1);
    // A change now would wait for 1fichier's rule, and the view says for how long.
    assert!(again.change_wait_secs >= 1, "{}", again.change_wait_secs);
}

#[tokio::test]
async fn the_cdn_switch_waits_its_turn_and_the_view_shows_the_new_value() {
    let env = limited().await;
    let library = Library::new(env.client.clone());
    let before = library.account().await.unwrap();
    assert!(!before.use_cdn);
    // Sent only once the user/info interval has passed (the emulator would lock the
    // account otherwise), then read back from the patched cache.
    let after = library.set_use_cdn(true).await.unwrap();
    assert!(after.use_cdn);
    assert_eq!(calls(&env, "/v1/user/info.cgi"), 2);
    assert_eq!(
        env.emu.request_counts().by_endpoint.len(),
        1,
        "only user/info was called"
    );
    let floods = env.statuses("/v1/user/info.cgi");
    assert!(floods.iter().all(|s| *s == 200), "{floods:?}");
    // What 1fichier now says agrees.
    env.client.account().invalidate_caches();
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert!(library.account().await.unwrap().use_cdn);
}

#[tokio::test]
async fn ftp_accounts_are_listed_once_and_kept_in_step_with_our_changes() {
    let env = limited().await;
    let library = Library::new(env.client.clone());
    assert!(library.ftp_accounts().await.unwrap().is_empty());
    let folder = env.client.create_folder(0, "NAS").await.unwrap().folder_id;
    // Checked here before any call: a bad name, a short password.
    let e = library
        .add_ftp_account("has space", "longenough", folder)
        .await;
    assert_eq!(e.unwrap_err().code(), "invalid_request");
    let e = library.add_ftp_account("nas", "short", folder).await;
    assert_eq!(e.unwrap_err().code(), "invalid_request");
    assert_eq!(calls(&env, "/v1/ftp/users/add.cgi"), 0);
    let list = library
        .add_ftp_account("nas", "longenough", folder)
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].user.as_str(), list[0].folder_id),
        ("nas", Some(folder))
    );
    let e = library
        .add_ftp_account("nas", "longenough", 0)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "name_conflict");
    let list = library.remove_ftp_account("nas").await.unwrap();
    assert!(list.is_empty());
    // One listing for all of it: the additions and removals patch the cached list.
    assert_eq!(calls(&env, "/v1/ftp/users/ls.cgi"), 1);
}

#[tokio::test]
async fn pasted_links_are_checked_without_an_api_call() {
    let env = limited().await;
    let url = env.put("film.mkv", vec![1; 3_000], None).await;
    let private = env.put("secret.txt", vec![2; 10], None).await;
    env.client
        .change_attributes(&fichier_api::types::ChattrRequest {
            urls: vec![private.clone()],
            pass: Some(fichier_api::Password::new("hunter22")),
            ..Default::default()
        })
        .await
        .unwrap();
    let id = url.rsplit('?').next().unwrap();
    let api_calls_before = api_calls(&env);
    // As users paste them: the same file twice, an affiliate suffix, a removed file, noise.
    let text =
        format!("{url}&af=123\n{url}\n  {private} ;\nhttps://1fichier.com/?zzzzz00000 gone\nhello");
    let reports = check_text(&env.client, &text).await.unwrap();
    assert_eq!(reports.len(), 3);
    assert!(reports[0].url.ends_with(id));
    assert_eq!(
        reports[0].status,
        LinkStatus::Available {
            name: "film.mkv".into(),
            size: 3_000
        }
    );
    assert_eq!(reports[1].status, LinkStatus::Private);
    assert_eq!(reports[2].status, LinkStatus::NotFound);
    let api_calls_after = api_calls(&env);
    assert_eq!(api_calls_after, api_calls_before, "no API call");
    assert_eq!(calls(&env, "/check_links.pl"), 1);
    // Text without a link says what it looked for.
    let e = check_text(&env.client, "nothing here").await.unwrap_err();
    assert!(e.to_string().contains("no 1fichier link"), "{e}");
}

#[tokio::test]
async fn two_hundred_and_fifty_links_go_in_three_requests() {
    let env = Env::new().await;
    let text: String = (0..250)
        .map(|i| format!("https://1fichier.com/?miss{i:05}x\n"))
        .collect();
    let reports = check_text(&env.client, &text).await.unwrap();
    assert_eq!(reports.len(), 250);
    assert!(reports.iter().all(|r| r.status == LinkStatus::NotFound));
    assert_eq!(calls(&env, "/check_links.pl"), 3);
}

#[tokio::test]
async fn an_upload_that_would_outlast_four_hours_at_the_measured_speed_is_announced() {
    let env = Env::new().await;
    let engine = env.engine();
    // Nothing measured yet: nothing can be said, even of a huge file.
    let huge = env.path("huge.bin");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(60 << 30)
        .unwrap();
    let unknown = engine
        .upload_time_check(std::slice::from_ref(&huge))
        .unwrap();
    assert!(!unknown.too_long && unknown.speed_bps.is_none());
    // One upload of 6 MiB through a link capped at 3 MiB/s measures the speed.
    env.emu.faults().throttle(Some(3 << 20));
    let sample = env.path("sample.bin");
    std::fs::write(&sample, common::random_bytes(6 << 20, 9)).unwrap();
    let t = engine.upload_paths(vec![sample], 0, None).unwrap();
    common::done(&engine, &t[0].id).await;
    env.emu.faults().throttle(None);
    // 60 GiB at about 3 MiB/s is over 5 hours; a folder's largest file decides.
    let dir = env.path("folder");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("small.txt"), b"x").unwrap();
    std::fs::rename(&huge, dir.join("huge.bin")).unwrap();
    let check = engine
        .upload_time_check(std::slice::from_ref(&dir))
        .unwrap();
    let speed = check.speed_bps.unwrap();
    assert!((1 << 20..=4 << 20).contains(&speed), "{speed}");
    assert!(check.too_long, "{check:?}");
    assert_eq!((check.files, check.largest_name.as_str()), (2, "huge.bin"));
    assert!(check.warning().unwrap().contains("huge.bin"));
    // 1 GiB fits in well under an hour at that speed.
    std::fs::File::create(dir.join("huge.bin"))
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    assert!(!engine.upload_time_check(&[dir]).unwrap().too_long);
    engine.shutdown().await;
}
