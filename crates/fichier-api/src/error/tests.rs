use super::*;

const W: Duration = Duration::from_secs(30);

fn code(msg: &str, status: u16) -> ErrorCode {
    classify_ko(msg, status, W).code()
}

#[test]
fn ko_number_is_split_off_and_kept() {
    let ko = Ko::parse("Flood detected: IP Locked #374", 403);
    assert_eq!(ko.text, "Flood detected: IP Locked");
    assert_eq!(ko.number, Some(374));
    // Only a trailing `#n` counts.
    let ko = Ko::parse("Price is #1 in town", 200);
    assert_eq!((ko.text.as_str(), ko.number), ("Price is #1 in town", None));
    let ko = Ko::parse("No number here", 200);
    assert_eq!((ko.text.as_str(), ko.number), ("No number here", None));
}

#[test]
fn classification_uses_text_not_number() {
    assert_eq!(code("Flood detected: IP Locked #374", 403), "flood");
    assert_eq!(code("Flood detected: IP Locked #38", 403), "flood");
    assert_eq!(code("Flood detected: User Locked #412", 403), "flood");
    assert_eq!(code("IP Locked #1", 403), "flood");
    assert_eq!(code("Not authenticated #247", 401), "invalid_key");
    assert_eq!(code("No such user #93", 403), "invalid_key");
    assert_eq!(
        code("Must be a customer (Premium, Access) #200", 403),
        "not_customer"
    );
    assert_eq!(
        code("Must be a customer (Premium, Access) #236", 403),
        "not_customer"
    );
    assert_eq!(code("Owner locked #620", 403), "owner_locked");
    assert_eq!(
        code("Only 1 location allowed at a time #887", 403),
        "location_lock"
    );
    assert_eq!(code("Resource not found #469", 404), "not_found");
    assert_eq!(code("Resource not allowed #631", 403), "not_allowed");
    assert_eq!(
        code("Invalid password. Resource not allowed #631", 403),
        "password_wrong"
    );
    assert_eq!(
        code("Password not provided. Resource not allowed #631", 403),
        "password_required"
    );
    assert_eq!(code("No file has been renamed #312", 200), "unchanged");
    assert_eq!(code("Folder already exists #77", 403), "name_conflict");
    assert_eq!(code("Folder is not empty #78", 403), "folder_not_empty");
    assert_eq!(
        code("Invalid name: forbidden character #79", 403),
        "invalid_name"
    );
    assert_eq!(
        code("Destination name is the same as the source #80", 403),
        "unchanged"
    );
    assert_eq!(code("Something new #5", 403), "refused");
    assert_eq!(code("Something new #5", 401), "invalid_key");
    assert_eq!(code("Something new #5", 429), "flood");
}

#[test]
fn flood_carries_retry_after_and_summary_is_camel_case() {
    let e = classify_ko(
        "Flood detected: IP Locked #374",
        403,
        Duration::from_secs(27),
    );
    assert!(e.retryable());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(27)));
    assert_eq!(e.ko().unwrap().number, Some(374));
    let json = serde_json::to_value(e.summary()).unwrap();
    assert_eq!(json["code"], "flood");
    assert_eq!(json["retryAfter"], 27);
    assert_eq!(json["retryable"], true);
    assert!(json["message"].as_str().unwrap().contains("27 s"));
    let not_found = serde_json::to_value(classify_status(404, W).summary()).unwrap();
    assert!(not_found.get("retryAfter").is_none());
    assert_eq!(not_found["retryable"], false);
}

#[test]
fn every_message_is_plain_language() {
    let errors = [
        classify_status(401, W),
        classify_status(503, W),
        ApiError::Refused {
            ko: Ko::parse("Weird #3", 403),
        },
    ];
    for e in errors {
        let m = e.to_string();
        assert!(!m.contains('#'), "{m}");
        assert!(m.len() > 20);
    }
    assert_eq!(classify_status(503, W).code(), "server");
    assert!(classify_status(502, W).retryable());
    assert!(!classify_status(403, W).retryable());
}
