use super::*;
use serde_json::json;

#[test]
fn file_item_takes_either_mime_key_and_both_at_once() {
    let a: FileItem = serde_json::from_value(json!({"url":"u","filename":"f","size":"12","content-type":"text/plain","pass":"0","acl":0,"cdn":0,"date":"2021-06-22 14:57:25","checksum":"ab"})).unwrap();
    assert_eq!(a.content_type.as_deref(), Some("text/plain"));
    assert_eq!(a.size, 12);
    let b: FileItem =
        serde_json::from_value(json!({"url":"u","filename":"f","size":1,"content_type":"x/y"}))
            .unwrap();
    assert_eq!(b.content_type.as_deref(), Some("x/y"));
    let c: FileItem = serde_json::from_value(json!({"url":"u","filename":"f","size":1,"content_type":"x/y","content-type":"x/y","acl":{"ip":["1.2.3.0/24"]}})).unwrap();
    assert!(c.acl);
}

#[test]
fn user_info_flags_as_strings_or_numbers() {
    let s: UserInfo = serde_json::from_value(json!({"status":"OK","email":"u@example.org","offer":"1","cdn":"2.5","use_cdn":"0","2fa":"2","cold_storage":123,"available_cold_storage":"1099511627776"})).unwrap();
    assert_eq!(s.offer, Offer::Premium);
    assert_eq!(s.cdn, 2.5);
    assert_eq!(s.two_factor, 2);
    assert_eq!(s.available_cold_storage, 1_099_511_627_776);
    let n: UserInfo =
        serde_json::from_value(json!({"email":"u","offer":0,"use_cdn":1,"ftp_report":true}))
            .unwrap();
    assert_eq!(n.offer, Offer::Free);
    assert!(n.use_cdn && n.ftp_report);
}

#[test]
fn folder_listing_with_missing_or_null_arrays() {
    let l: FolderListing = serde_json::from_value(
        json!({"status":"OK","folder_id":"5","name":"a","files":3,"sub_folders":null}),
    )
    .unwrap();
    assert_eq!(l.folder_id, 5);
    assert_eq!(l.file_count, 3);
    assert!(l.items.is_empty() && l.sub_folders.is_empty());
    let l: FolderListing = serde_json::from_value(json!({"folder_id":0,"sub_folders":[{"id":"7","name":"x","create_date":"2024-01-01 00:00:00","pass":"1"}],"shared":0})).unwrap();
    assert_eq!(l.sub_folders[0].id, 7);
    assert!(l.sub_folders[0].pass);
    assert_eq!(l.shared, None);
}

#[test]
fn file_info_acl_object_and_flags() {
    let i: FileInfo = serde_json::from_value(json!({"url":"u","filename":"f","size":5,"folder_id":"3","content_type":"a/b","acl":{"ip":[],"country":["FR"],"email":[],"premium":0},"inline":"1"})).unwrap();
    assert!(i.acl.restricted);
    assert_eq!(i.acl.country, vec!["FR"]);
    assert!(i.inline);
    assert_eq!(i.folder_id, Some(3));
    let j: FileInfo = serde_json::from_value(json!({"url":"u","acl":0})).unwrap();
    assert!(!j.acl.restricted);
}

#[test]
fn requests_send_flags_as_integers() {
    let r = GetTokenRequest::new("https://1fichier.com/?abc").with_password("secret1");
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(
        v,
        json!({"url":"https://1fichier.com/?abc","single":1,"pass":"secret1"})
    );
    let s = UserSettings {
        use_cdn: Some(true),
        page_limit: Some(50),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({"use_cdn":1,"page_limit":50})
    );
    let f = FolderLsRequest::folder(3).with_files();
    assert_eq!(
        serde_json::to_value(&f).unwrap(),
        json!({"folder_id":3,"files":1})
    );
}

#[test]
fn upload_report_size_is_a_string() {
    let r: UploadReport = serde_json::from_value(json!({"incoming":0,"links":[{"download":"https://1fichier.com/?x","filename":"a","size":"48213","whirlpool":"ff","remove":""}]})).unwrap();
    assert_eq!(r.links[0].size, 48213);
    assert_eq!(r.links[0].remove, None);
}

#[test]
fn check_links_lines() {
    let ok = LinkCheck::parse_line("https://1fichier.com/?a;my;file.txt;1234").unwrap();
    assert_eq!(
        ok.state,
        LinkState::Online {
            filename: "my;file.txt".into(),
            size: 1234
        }
    );
    assert_eq!(
        LinkCheck::parse_line("https://1fichier.com/?b;;;NOT FOUND")
            .unwrap()
            .state,
        LinkState::NotFound
    );
    assert_eq!(
        LinkCheck::parse_line("x;;;PRIVATE").unwrap().state,
        LinkState::Private
    );
    assert_eq!(
        LinkCheck::parse_line("x;;;BAD LINK").unwrap().state,
        LinkState::BadLink
    );
    assert!(LinkCheck::parse_line("  ").is_none());
}

#[test]
fn ftp_users_in_any_reasonable_shape() {
    let v: Vec<FtpUser> =
        serde_json::from_value(json!([{"user":"a","folder_id":"3"},{"login":"b","did":4},"c"]))
            .unwrap();
    assert_eq!(
        v[0],
        FtpUser {
            user: "a".into(),
            folder_id: Some(3)
        }
    );
    assert_eq!(v[1].folder_id, Some(4));
    assert_eq!(v[2].user, "c");
}
