//! The request side of the API host that every endpoint shares: KO answers, JSON
//! answers, who is calling, and parameters read as tolerantly as 1fichier's Perl server
//! reads them.

use std::net::IpAddr;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::state::{AccountId, Offer};

/// A KO answer: HTTP status and the message (with its `#n`).
#[derive(Debug)]
pub(crate) struct Ko {
    pub status: StatusCode,
    pub message: String,
}

impl Ko {
    pub fn new(status: StatusCode, text: &str, n: u16) -> Ko {
        Ko {
            status,
            message: format!("{text} #{n}"),
        }
    }
    pub(crate) fn not_found() -> Ko {
        Ko::new(StatusCode::NOT_FOUND, "Resource not found", 469)
    }
    pub(crate) fn not_allowed() -> Ko {
        Ko::new(StatusCode::FORBIDDEN, "Resource not allowed", 631)
    }
    pub(crate) fn bad_param(name: &str) -> Ko {
        Ko::new(
            StatusCode::BAD_REQUEST,
            &format!("Invalid parameter: {name}"),
            602,
        )
    }
    pub(crate) fn not_customer() -> Ko {
        Ko::new(
            StatusCode::FORBIDDEN,
            "Must be a customer (Premium, Access)",
            236,
        )
    }
    pub(crate) fn owner_locked() -> Ko {
        Ko::new(StatusCode::FORBIDDEN, "Owner locked", 620)
    }
    pub(crate) fn bad_name(reason: &str) -> Ko {
        Ko::new(StatusCode::FORBIDDEN, reason, 651)
    }
}

pub(crate) fn ko_response(ko: Ko, pretty: bool) -> Response {
    json_response(
        ko.status,
        &json!({"status": "KO", "message": ko.message}),
        pretty,
    )
}

pub(crate) fn json_response(status: StatusCode, v: &Value, pretty: bool) -> Response {
    let body = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    }
    .unwrap_or_default();
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::SERVER, "nginx"),
        ],
        body,
    )
        .into_response()
}

/// Who is calling.
pub(crate) struct Caller {
    pub account: AccountId,
    pub offer: Offer,
    pub email: String,
    pub ip: IpAddr,
}

/// Empty bodies, `""` and `{}` all mean "no parameters" (protocol §3).
pub(crate) fn parse_body(raw: &[u8]) -> Result<Map<String, Value>, Ko> {
    let text = std::str::from_utf8(raw).map_err(|_| Ko::bad_param("body is not UTF-8"))?;
    let text = text.trim();
    if text.is_empty() || text == "\"\"" {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::String(s)) if s.is_empty() => Ok(Map::new()),
        Ok(_) => Err(Ko::new(
            StatusCode::BAD_REQUEST,
            "Invalid JSON: an object is expected",
            601,
        )),
        Err(_) => Err(Ko::new(StatusCode::BAD_REQUEST, "Invalid JSON", 601)),
    }
}

// ---- parameter helpers: tolerant of numbers sent as strings, as a Perl server is ----

pub(crate) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

pub(crate) fn opt_int(p: &Map<String, Value>, name: &str) -> Result<Option<i64>, Ko> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => as_int(v).map(Some).ok_or_else(|| Ko::bad_param(name)),
    }
}

pub(crate) fn opt_str(p: &Map<String, Value>, name: &str) -> Result<Option<String>, Ko> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(Ko::bad_param(name)),
    }
}

pub(crate) fn req_str(p: &Map<String, Value>, name: &str) -> Result<String, Ko> {
    opt_str(p, name)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Ko::bad_param(name))
}

pub(crate) fn str_list(p: &Map<String, Value>, name: &str) -> Result<Vec<String>, Ko> {
    match p.get(name) {
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| Ko::bad_param(name))
            })
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => Ok(vec![s.clone()]),
        _ => Err(Ko::bad_param(name)),
    }
}

/// A non-empty array of objects, such as `files` of rm.cgi or `urls` of rename.cgi.
pub(crate) fn object_list(p: &Map<String, Value>, name: &str) -> Result<Vec<Value>, Ko> {
    match p.get(name) {
        Some(Value::Array(a)) if !a.is_empty() => Ok(a.clone()),
        _ => Err(Ko::bad_param(name)),
    }
}

/// A string field of one entry of `list`; its absence is a bad `list`.
pub(crate) fn entry_str<'v>(entry: &'v Value, field: &str, list: &str) -> Result<&'v str, Ko> {
    entry
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| Ko::bad_param(list))
}

pub(crate) fn flag(b: bool) -> Value {
    json!(b as i64)
}
