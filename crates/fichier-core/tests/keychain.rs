//! The API key in a real Secret Service. Ignored by default: it needs a session bus and an
//! unlocked keyring; `scripts/keychain-test.sh` provides both and runs it.

use fichier_api::ApiKey;
use fichier_core::Credentials;

const SERVICE: &str = "fichier-desk-test";

#[test]
#[ignore = "needs a Secret Service (run scripts/keychain-test.sh)"]
fn key_round_trip_in_the_real_secret_service() {
    let creds = Credentials::new(SERVICE, "api-key");
    assert!(!creds.store_is_mock(), "the real keychain is in use");
    let key = ApiKey::parse("KeychainTestKey0123456789abcdefg").unwrap();
    let _ = creds.delete();
    assert_eq!(creds.load_from_keychain().unwrap(), None);
    creds.save(&key).unwrap();
    assert_eq!(creds.load_from_keychain().unwrap(), Some(key.clone()));

    // Another program sees it in the Secret Service.
    let found = std::process::Command::new("secret-tool")
        .args(["search", "service", SERVICE])
        .output()
        .expect("secret-tool is installed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&found.stdout),
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(text.contains(SERVICE), "secret-tool found nothing: {text}");
    assert!(text.contains(key.expose_secret()), "stored value: {text}");

    assert!(creds.delete().unwrap());
    assert_eq!(creds.load_from_keychain().unwrap(), None);
    assert!(!creds.delete().unwrap());
}

#[test]
fn without_a_bus_the_keychain_is_unavailable_not_empty() {
    // Run in a child so the variable doesn't leak into other tests.
    if std::env::var_os("FICHIER_KEYCHAIN_CHILD").is_some() {
        let e = Credentials::new(SERVICE, "api-key")
            .load_from_keychain()
            .unwrap_err();
        assert_eq!(e.code(), "keychain_unavailable", "{e}");
        return;
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "without_a_bus_the_keychain_is_unavailable_not_empty",
            "--nocapture",
        ])
        .env("FICHIER_KEYCHAIN_CHILD", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env_remove("DISPLAY")
        .status()
        .unwrap();
    assert!(status.success());
}
