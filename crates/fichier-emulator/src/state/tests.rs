use super::*;

#[test]
fn file_ids_are_read_from_any_host() {
    assert_eq!(
        file_id_from_url("https://1fichier.com/?abcde12345fghij67890&af=3").as_deref(),
        Some("abcde12345fghij67890")
    );
    assert_eq!(
        file_id_from_url("http://127.0.0.1:9/?k97o8igxxx").as_deref(),
        Some("k97o8igxxx")
    );
    assert_eq!(file_id_from_url("https://1fichier.com/"), None);
    assert_eq!(file_id_from_url("https://1fichier.com/?ABC"), None);
}

#[test]
fn names_with_forbidden_characters_are_refused() {
    assert!(check_name("report.pdf").is_ok());
    assert!(check_name("été 2025 (copie).txt").is_ok());
    for bad in [
        "a\\b",
        "<x>",
        "say \"hi\"",
        "it's",
        "`cmd`",
        "$HOME",
        " lead",
        "a/b",
        "",
    ] {
        assert!(check_name(bad).is_err(), "{bad:?} should be refused");
    }
}
