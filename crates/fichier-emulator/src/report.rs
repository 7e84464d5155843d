//! `end.pl`, the upload node's report: JSON (`JSON: 1`), CSV (`EXPORT: 1`) or the HTML page
//! a browser gets after the upload's redirect.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;
use crate::params::json_response;
use crate::state::{self, ReportLink};

fn wants(headers: &HeaderMap, q: &HashMap<String, String>, name: &str) -> bool {
    let h = headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() != "0" && !v.trim().is_empty());
    let qv = q
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(name) && v.trim() != "0");
    h || qv
}

/// `GET|POST /end.pl?xid=<id>`: the upload report as JSON (`JSON: 1`), CSV (`EXPORT: 1`) or HTML.
pub(crate) async fn end_pl(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let xid = q.get("xid").cloned().unwrap_or_default();
    let (force_html, force_empty) = st.faults.take_end_pl();
    let (files, incoming) = {
        let mut w = st.shared.world();
        w.purge_expired(st.config.report_ttl);
        let Some(r) = w.reports.get(&xid) else {
            return (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Unknown or expired upload report",
            )
                .into_response();
        };
        let files: Vec<state::StoredFile> = r
            .file_ids
            .iter()
            .filter_map(|id| w.files.get(id).cloned())
            .collect();
        (files, r.incoming)
    };
    let mut links = Vec::new();
    if !force_empty {
        for f in &files {
            links.push(ReportLink {
                download: format!("{}/?{}", st.base_url, f.id),
                filename: f.filename.clone(),
                size: f.blob.size.to_string(),
                whirlpool: f.blob.checksum().await,
                remove: if f.owner.is_none() {
                    format!("{}/remove/{}/{}", st.base_url, f.id, f.remove_code)
                } else {
                    String::new()
                },
            });
        }
    }
    if !force_html && wants(&headers, &q, "json") {
        let mut r = json_response(
            StatusCode::OK,
            &json!({"incoming": incoming as i64, "links": links}),
            false,
        );
        r.headers_mut().remove(header::SERVER);
        return r;
    }
    if !force_html && wants(&headers, &q, "export") {
        let body: String = links
            .iter()
            .zip(&files)
            .map(|(l, f)| format!("{};{};{};{};0\n", l.filename, l.size, f.id, f.remove_code))
            .collect();
        return ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html_report(&links),
    )
        .into_response()
}

/// One table cell on a line of its own, as the real page writes them.
fn cell(out: &mut String, inner: &str) {
    out.push_str("<td class=\"normal\">");
    out.push_str(inner);
    out.push_str("</td>\n");
}

/// A cell holding a link; the URL is the last quoted value on its line, which is what
/// clients reading the page line by line rely on.
fn link_cell(out: &mut String, url: &str) {
    let url = html_escape(url);
    cell(out, &format!("<a href=\"{url}\">{url}</a>"));
}

/// The HTML page: a `premium` table, a header row, then one row per file with its name,
/// size, download link and removal link (`--` when the upload belongs to an account).
pub(crate) fn html_report(links: &[ReportLink]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
         <title>1fichier.com: Upload finished</title>\n</head>\n<body>\n\
         <h1>Upload finished</h1>\n<table class=\"premium\">\n<tr>\n\
         <th>File name</th>\n<th>Size</th>\n<th>Download link</th>\n<th>Remove link</th>\n</tr>\n",
    );
    for l in links {
        out.push_str("<tr>\n");
        cell(&mut out, &html_escape(&l.filename));
        cell(&mut out, &human_size(l.size.parse().unwrap_or(0)));
        link_cell(&mut out, &l.download);
        if l.remove.is_empty() {
            cell(&mut out, "--");
        } else {
            link_cell(&mut out, &l.remove);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}

pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Sizes as the French HTML report writes them (`2 o`, `1.15 Ko`).
fn human_size(n: u64) -> String {
    const UNITS: [&str; 5] = ["o", "Ko", "Mo", "Go", "To"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} o")
    } else {
        format!("{v:.2} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(name: &str, remove: &str) -> ReportLink {
        ReportLink {
            download: "https://1fichier.com/?abcde12345fghij67890".into(),
            filename: name.into(),
            size: "1178".into(),
            whirlpool: String::new(),
            remove: remove.into(),
        }
    }

    #[test]
    fn sizes_read_like_the_html_report() {
        assert_eq!(human_size(2), "2 o");
        assert_eq!(human_size(1178), "1.15 Ko");
    }

    #[test]
    fn every_cell_has_a_line_of_its_own() {
        let page = html_report(&[
            link("a \"b\" <c>.txt", ""),
            link("d.txt", "https://1fichier.com/remove/x/y"),
        ]);
        let cells: Vec<&str> = page.lines().filter(|l| l.contains("<td")).collect();
        assert_eq!(cells.len(), 8);
        for c in &cells {
            assert!(c.starts_with("<td class=\"normal\">"), "{c}");
            assert!(c.ends_with("</td>"), "{c}");
            assert_eq!(c.matches("<td").count(), 1, "{c}");
        }
        assert_eq!(
            cells[0],
            "<td class=\"normal\">a &quot;b&quot; &lt;c&gt;.txt</td>"
        );
        assert_eq!(cells[1], "<td class=\"normal\">1.15 Ko</td>");
        assert_eq!(cells[3], "<td class=\"normal\">--</td>");
        assert!(page.contains("Upload finished"));
        assert!(page.contains("<table class=\"premium\">"));
    }
}
