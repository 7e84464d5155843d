//! Who may ask: a `Host` that names this computer (a web page can't reach the server
//! through a name of its own, DNS rebinding), Basic credentials for WebDAV and a secret
//! path segment for players that can't log in, compared in constant time.

use base64::Engine;

/// Compares without stopping at the first difference.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the `Host` header names this server: a loopback name, or, when the server
/// listens on the local network, any IP address (a name could be an attacker's).
pub fn host_allowed(host: Option<&str>, lan: bool) -> bool {
    let Some(host) = host else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((h, port)) if !h.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ if host.starts_with('[') => host,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match name.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() || lan,
        Err(_) => false,
    }
}

/// Whether an `Authorization` header carries `user` and `secret`.
pub fn basic_ok(header: Option<&str>, user: &str, secret: &str) -> bool {
    let Some(v) = header else {
        return false;
    };
    let Some((scheme, b64)) = v.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else {
        return false;
    };
    let Some(colon) = raw.iter().position(|b| *b == b':') else {
        return false;
    };
    let (u, p) = (&raw[..colon], &raw[colon + 1..]);
    // Both compared, whatever the first gives.
    let u_ok = same_secret(u, user.as_bytes());
    let p_ok = same_secret(p, secret.as_bytes());
    u_ok & p_ok
}

/// The kind of client, from its `User-Agent`, for the list of streams.
pub fn client_kind(ua: Option<&str>) -> &'static str {
    let ua = ua.unwrap_or_default();
    const KNOWN: [(&str, &str); 14] = [
        ("WebDAVFS", "Finder"),
        ("Microsoft-WebDAV", "Windows"),
        ("gvfs", "Files"),
        ("davfs2", "davfs2"),
        ("rclone", "rclone"),
        ("Kodi", "Kodi"),
        ("VLC", "VLC"),
        ("mpv", "mpv"),
        ("Lavf", "ffmpeg"),
        ("Jellyfin", "Jellyfin"),
        ("Plex", "Plex"),
        ("Infuse", "Infuse"),
        ("curl", "curl"),
        ("litmus", "litmus"),
    ];
    KNOWN
        .iter()
        .find(|(needle, _)| ua.contains(needle))
        .map_or("other", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(host_allowed(Some("127.0.0.1:4918"), false));
        assert!(host_allowed(Some("localhost:4918"), false));
        assert!(host_allowed(Some("[::1]:4918"), false));
        assert!(host_allowed(Some("127.0.0.1"), false));
        assert!(!host_allowed(Some("evil.example:4918"), false));
        assert!(!host_allowed(Some("evil.example:4918"), true));
        assert!(!host_allowed(Some("192.168.1.20:4918"), false));
        assert!(host_allowed(Some("192.168.1.20:4918"), true));
        assert!(!host_allowed(None, false));
    }

    #[test]
    fn basic() {
        let h = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("fichier:s3cret")
        );
        assert!(basic_ok(Some(&h), "fichier", "s3cret"));
        assert!(!basic_ok(Some(&h), "fichier", "s3cres"));
        assert!(!basic_ok(Some(&h), "other", "s3cret"));
        assert!(!basic_ok(Some("Bearer x"), "fichier", "s3cret"));
        assert!(!basic_ok(None, "fichier", "s3cret"));
        assert!(
            same_secret(b"abc", b"abc")
                && !same_secret(b"abc", b"abd")
                && !same_secret(b"a", b"ab")
        );
    }
}
