use super::*;
use crate::key::Password;

#[test]
fn frame_length_is_exact() {
    let opts = UploadOptions {
        folder_id: Some(42),
        password: Some(Password::new("secret1")),
        ..Default::default()
    };
    let f = MultipartFrame::new("rapport \"final\".pdf", &opts, "BOUNDARY".into());
    let head = std::str::from_utf8(&f.head).unwrap();
    assert!(
        head.starts_with(
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"did\"\r\n\r\n42\r\n"
        )
    );
    assert!(head.contains("name=\"dpass\"\r\n\r\nsecret1\r\n"));
    assert!(head.contains("name=\"file[]\"; filename=\"rapport %22final%22.pdf\""));
    assert_eq!(&f.tail[..], b"\r\n--BOUNDARY--\r\n");
    assert_eq!(f.content_type(), "multipart/form-data; boundary=BOUNDARY");
    assert_eq!(
        f.content_length(1000),
        (f.head.len() + 1000 + f.tail.len()) as u64
    );
}

#[tokio::test]
async fn exact_length_rejects_short_and_long_streams() {
    async fn run(chunks: Vec<&'static [u8]>, expected: u64) -> Result<u64, io::Error> {
        let s = stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from_static(c))));
        let mut e = ExactLength {
            inner: Box::pin(s),
            expected,
            seen: 0,
            done: false,
        };
        let mut n = 0;
        while let Some(c) = e.next().await {
            n += c?.len() as u64;
        }
        Ok(n)
    }
    assert_eq!(run(vec![b"abc", b"de"], 5).await.unwrap(), 5);
    assert_eq!(
        run(vec![b"abc"], 5).await.unwrap_err().kind(),
        io::ErrorKind::UnexpectedEof
    );
    assert_eq!(
        run(vec![b"abc", b"def"], 5).await.unwrap_err().kind(),
        io::ErrorKind::InvalidData
    );
}

fn link(name: &str, size: u64) -> UploadedFile {
    UploadedFile {
        download: format!("https://1fichier.com/?{name}"),
        filename: name.into(),
        size,
        whirlpool: String::new(),
        remove: None,
    }
}

#[test]
fn report_lines_are_matched_by_name_then_by_size() {
    let sent = vec![
        ("a.txt".to_string(), 1),
        ("b\"c.txt".to_string(), 2),
        ("d.txt".to_string(), 3),
        ("gone.txt".to_string(), 4),
    ];
    // 1fichier renamed the second file; the report lists them in another order and
    // leaves the last one out.
    let links = vec![link("d.txt", 3), link("b_c.txt", 2), link("a.txt", 1)];
    let r = match_report(&sent, links);
    assert_eq!(r[0].as_ref().unwrap().filename, "a.txt");
    assert_eq!(r[1].as_ref().unwrap().filename, "b_c.txt");
    assert_eq!(r[2].as_ref().unwrap().filename, "d.txt");
    assert_eq!(r[3].as_ref().unwrap_err().code(), "protocol");
}

#[test]
fn upload_ids_and_refusals() {
    assert!(valid_upload_id("Fhl1aZERQv"));
    assert!(!valid_upload_id("Fhl1aZERQv1"));
    assert!(!valid_upload_id("../x"));
    assert!(!valid_upload_id(""));
    let w = std::time::Duration::from_secs(30);
    assert_eq!(upload_refusal(403, "Empty file", w).code(), "file_empty");
    assert_eq!(upload_refusal(413, "whatever", w).code(), "file_too_large");
    assert_eq!(upload_refusal(411, "Length required", w).code(), "protocol");
    assert_eq!(upload_refusal(503, "", w).code(), "server");
    assert_eq!(
        upload_refusal(
            403,
            r#"{"status":"KO","message":"Flood detected: IP Locked #374"}"#,
            w
        )
        .code(),
        "flood"
    );
}
