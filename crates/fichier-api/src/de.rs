//! Tolerant decoding for shapes the reference marks as uncertain: numbers that arrive as
//! strings, flags as numbers, strings or booleans, and arrays that are missing or null.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serializer};
use serde_json::Value;

fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(|f| f as i64))
        }
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// An integer sent as a number or as a string of digits; null or empty becomes 0.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(0),
        Value::String(s) if s.trim().is_empty() => Ok(0),
        _ => value_to_i64(&v)
            .ok_or_else(|| de::Error::custom(format!("expected an integer, got {v}"))),
    }
}

/// A size or count: like [`int`], negative values become 0.
pub fn uint<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    int(d).map(|i| u64::try_from(i).unwrap_or(0))
}

/// An optional integer: absent, null or empty is `None`.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        _ => value_to_i64(&v)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected an integer, got {v}"))),
    }
}

/// A decimal number sent as a number or a string (CDN credit).
pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match &v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        Value::Bool(b) => f64::from(u8::from(*b)),
        _ => 0.0,
    })
}

/// A 0/1 flag sent as a number, a string or a boolean.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match &v {
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::String(s) => {
            let s = s.trim().to_ascii_lowercase();
            !(s.is_empty() || s == "0" || s == "false" || s == "no" || s == "off")
        }
        other => value_to_i64(other).is_some_and(|i| i != 0),
    })
}

/// A string that may come as a number, or be null.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Null => String::new(),
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// An optional string: absent, null, empty, or a number 0 (used for "none") is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s),
        Value::Number(n) if n.as_i64() == Some(0) => None,
        Value::Bool(false) => None,
        other => Some(other.to_string()),
    })
}

/// A list that may be missing, null, or (seen in PHP back ends) an empty object.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Object(m) if m.is_empty() => Ok(Vec::new()),
        // An object keyed by index ("0", "1", ...) is a list in disguise.
        Value::Object(m) => m
            .into_iter()
            .map(|(_, v)| serde_json::from_value(v).map_err(de::Error::custom))
            .collect(),
        Value::Array(items) => items
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(de::Error::custom))
            .collect(),
        other => Err(de::Error::custom(format!("expected a list, got {other}"))),
    }
}

/// A list of strings where the server may also send a single string.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Null => Vec::new(),
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::String(s) => vec![s],
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                Value::Null => None,
                // {"url": ...} objects: keep the URL
                Value::Object(m) => m.get("url").and_then(|u| u.as_str()).map(str::to_string),
                other => Some(other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// Serialises a flag as the integer 1 or 0, as the API expects.
pub fn ser_flag<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(b) => s.serialize_u8(u8::from(*b)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "int")]
        i: i64,
        #[serde(default, deserialize_with = "uint")]
        u: u64,
        #[serde(default, deserialize_with = "flag")]
        f: bool,
        #[serde(default, deserialize_with = "list")]
        l: Vec<i64>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "string_list")]
        sl: Vec<String>,
    }

    fn t(json: &str) -> T {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_as_strings_and_flags_in_any_form() {
        let v = t(r#"{"i":"42","u":"48213","f":"1","l":null,"s":0}"#);
        assert_eq!((v.i, v.u, v.f, v.l.len(), v.s), (42, 48213, true, 0, None));
        let v = t(r#"{"i":7,"u":-3,"f":true,"l":[1,2],"s":"x"}"#);
        assert_eq!(
            (v.i, v.u, v.f, v.l, v.s.as_deref()),
            (7, 0, true, vec![1, 2], Some("x"))
        );
        let v = t(r#"{"f":"0","l":{}}"#);
        assert!(!v.f && v.l.is_empty() && v.i == 0);
        let v = t(r#"{"f":0,"i":null,"sl":"a"}"#);
        assert!(!v.f && v.i == 0 && v.sl == vec!["a"]);
        let v = t(r#"{"sl":["a",{"url":"b"}]}"#);
        assert_eq!(v.sl, vec!["a", "b"]);
        assert!(serde_json::from_str::<T>(r#"{"i":"abc"}"#).is_err());
    }
}
