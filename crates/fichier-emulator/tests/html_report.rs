//! end.pl's HTML page read the way third-party clients read it: line by line, taking the
//! link as the last quoted value on its line.

mod common;

use common::Env;
use reqwest::StatusCode;
use serde_json::Value;

/// The last `"..."` value on a line, if the line has one.
fn last_quoted(line: &str) -> Option<&str> {
    let end = line.rfind('"')?;
    let start = line[..end].rfind('"')?;
    Some(&line[start + 1..end])
}

/// What the greedy pattern `<td class="normal"><a href="(.+)"` captures on the first line
/// it matches: everything from the href's opening quote up to the line's last quote.
fn greedy_href(page: &str) -> Option<&str> {
    const OPEN: &str = "<td class=\"normal\"><a href=\"";
    page.lines().find_map(|line| {
        let rest = &line[line.find(OPEN)? + OPEN.len()..];
        let end = rest.rfind('"').filter(|e| *e > 0)?;
        Some(&rest[..end])
    })
}

async fn html_page(env: &Env, xid: &str) -> String {
    let r = env
        .http
        .get(format!("{}/end.pl?xid={xid}", env.node()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_line_reader_finds_each_download_link() {
    let env = Env::plain().await;
    let xid = env
        .post_upload(Some(&env.key), "report & notes (final).pdf", b"abcd", &[])
        .await;
    let json = env.end_pl_json(&xid).await;
    let link = json["links"][0]["download"].as_str().unwrap();
    let page = html_page(&env, &xid).await;

    assert_eq!(greedy_href(&page), Some(link), "{page}");
    let prefix = format!("{}/?", env.node());
    let lines: Vec<&str> = page.lines().filter(|l| l.contains(&prefix)).collect();
    assert_eq!(lines.len(), 1, "{page}");
    assert_eq!(last_quoted(lines[0]), Some(link));
    // No other cell shares the link's line.
    assert_eq!(lines[0].matches("<td").count(), 1);
    // An upload tied to an account has no removal link.
    assert!(
        page.lines().any(|l| l == "<td class=\"normal\">--</td>"),
        "{page}"
    );
}

#[tokio::test]
async fn anonymous_uploads_show_both_links_on_lines_of_their_own() {
    let env = Env::plain().await;
    let xid = env.post_upload(None, "a.txt", b"anon", &[]).await;
    let json = env.end_pl_json(&xid).await;
    let entry: &Value = &json["links"][0];
    let page = html_page(&env, &xid).await;
    assert_eq!(greedy_href(&page), entry["download"].as_str(), "{page}");
    let remove_line = page
        .lines()
        .find(|l| l.contains("/remove/"))
        .expect("a removal link");
    assert_eq!(last_quoted(remove_line), entry["remove"].as_str());
    let download_line = page
        .lines()
        .find(|l| l.contains("/?"))
        .expect("a download link");
    assert_ne!(download_line, remove_line);
    assert_eq!(last_quoted(download_line), entry["download"].as_str());
}
