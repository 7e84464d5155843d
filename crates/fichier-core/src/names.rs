//! File names: the reversible encoding of the characters 1fichier refuses, and local names
//! that can never leave the folder they are meant for.

use std::path::{Component, Path, PathBuf};

/// Characters 1fichier refuses in names, and the fullwidth twins sent in their place (the
/// mapping rclone uses). A leading space becomes `␠`.
const TWINS: [(char, char); 8] = [
    ('\\', '＼'),
    ('<', '＜'),
    ('>', '＞'),
    ('"', '＂'),
    ('\'', '＇'),
    ('`', '｀'),
    ('$', '＄'),
    ('/', '／'),
];
const LEADING_SPACE: char = '␠';
/// Marks a character that was already a twin in the original name, so decoding leaves it.
const QUOTE: char = '‛';

fn twin_of(c: char) -> Option<char> {
    TWINS.iter().find(|(o, _)| *o == c).map(|(_, t)| *t)
}

fn original_of(c: char) -> Option<char> {
    if c == LEADING_SPACE {
        return Some(' ');
    }
    TWINS.iter().find(|(_, t)| *t == c).map(|(o, _)| *o)
}

/// Longest file or folder name, in characters.
pub const MAX_NAME_CHARS: usize = 250;

/// Checks a name typed for a new folder or a rename and returns it without surrounding
/// spaces. The characters 1fichier refuses are fine (they are encoded, see
/// [`encode_name`]); what is refused here has no faithful meaning on 1fichier: an empty
/// name, more than [`MAX_NAME_CHARS`] characters, a `/` (which would read as a folder
/// that isn't there) and control characters.
pub fn check_name(name: &str) -> Result<&str, fichier_api::ApiError> {
    let n = name.trim();
    let refuse = |reason: String| Err(fichier_api::ApiError::InvalidRequest { reason });
    let count = n.chars().count();
    if count == 0 {
        return refuse("a name can't be empty".into());
    }
    if count > MAX_NAME_CHARS {
        return refuse(format!(
            "a name has at most {MAX_NAME_CHARS} characters; this one has {count}"
        ));
    }
    if n.contains('/') {
        return refuse(
            "a name can't contain “/”: it would look like a folder that isn't there (create the folder instead)"
                .into(),
        );
    }
    if n.chars().any(char::is_control) {
        return refuse("a name can't contain control characters (line breaks, tabs)".into());
    }
    Ok(n)
}

/// Encodes a file or folder name for 1fichier: `\ < > " ' ` $ /` become their fullwidth
/// twins and a leading space becomes `␠`. Names that already contain a twin keep it
/// through a quote mark, so [`decode_name`] always gives the original back.
pub fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for (i, c) in name.chars().enumerate() {
        if let Some(t) = twin_of(c) {
            out.push(t);
        } else if c == ' ' && i == 0 {
            out.push(LEADING_SPACE);
        } else if c == QUOTE || original_of(c).is_some() {
            out.push(QUOTE);
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Reverses [`encode_name`]; names listed by 1fichier go through it before they are shown.
pub fn decode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == QUOTE {
            if let Some(next) = chars.next() {
                out.push(next);
            } else {
                out.push(c);
            }
        } else if let Some(o) = original_of(c) {
            out.push(o);
        } else {
            out.push(c);
        }
    }
    out
}

/// A name from the server as it is shown and saved: decoded, without the invisible format
/// characters that could make it look like another name or another type of file.
pub fn display_name(server_name: &str) -> String {
    decode_name(server_name)
        .chars()
        .filter(|c| !is_disguising(*c))
        .collect()
}

/// Windows device names: a file named so (with any extension) can't be created or opens
/// the device. `COM0`/`LPT0` and the superscript digits count too.
const RESERVED: [&str; 32] = [
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3",
    "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

fn is_reserved(stem: &str) -> bool {
    RESERVED.contains(&stem.to_uppercase().as_str())
}

/// Invisible format characters that can disguise a name: bidirectional overrides and
/// isolates (`report` U+202E `fdp.exe` shows as `reportexe.pdf`), zero-width characters, the soft
/// hyphen, the byte-order mark, invisible operators and tag characters.
pub fn is_disguising(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Longest local name we make, in bytes, leaving room for ` (nnn)` and `.part`.
const MAX_NAME_BYTES: usize = 200;

/// A name from the server made safe to create inside a chosen folder: no separators, no
/// `.`/`..`, no control characters, no Windows reserved device names, no trailing dots or
/// spaces, not too long. The result is always a single plain path component.
pub fn safe_local_name(server_name: &str) -> String {
    let decoded = decode_name(server_name);
    let mut s: String = decoded
        .chars()
        .map(|c| match c {
            '/' | '\\' => '_',
            c if c.is_control() => '_',
            ':' | '*' | '?' | '|' | '<' | '>' | '"' if cfg!(windows) => '_',
            c => c,
        })
        .filter(|c| !is_disguising(*c))
        .collect();
    s = s
        .trim_matches(|c: char| c.is_whitespace())
        .trim_end_matches('.')
        .to_string();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        s = "download".into();
    }
    if is_reserved(s.split('.').next().unwrap_or("").trim()) {
        s = format!("_{s}");
    }
    if s.len() > MAX_NAME_BYTES {
        let (stem, ext) = split_ext(&s);
        let ext = if ext.len() < 20 { ext } else { "" };
        let mut cut = MAX_NAME_BYTES.saturating_sub(ext.len());
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        s = format!("{}{}", &stem[..cut], ext);
    }
    debug_assert!(is_single_component(&s));
    s
}

fn is_single_component(name: &str) -> bool {
    let mut comps = Path::new(name).components();
    matches!(comps.next(), Some(Component::Normal(_))) && comps.next().is_none()
}

/// `"a.tar.gz"` → (`"a.tar"`, `".gz"`); `".bashrc"` → (`".bashrc"`, `""`).
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(0) | None => (name, ""),
        Some(i) => (&name[..i], &name[i..]),
    }
}

/// The `.part` file that holds a download in progress.
pub fn part_path(final_path: &Path) -> PathBuf {
    let mut s = final_path.as_os_str().to_owned();
    s.push(".part");
    PathBuf::from(s)
}

/// `dir/name`, or `dir/name (1).ext`, `(2)`… — the first one where neither the file nor
/// its `.part` exists and that `taken` doesn't claim. Never overwrites anything.
pub fn unique_path(dir: &Path, name: &str, taken: impl Fn(&Path) -> bool) -> PathBuf {
    let free = |p: &Path| !p.exists() && !part_path(p).exists() && !taken(p);
    let first = dir.join(name);
    if free(&first) {
        return first;
    }
    let (stem, ext) = split_ext(name);
    for n in 1u32.. {
        let p = dir.join(format!("{stem} ({n}){ext}"));
        if free(&p) {
            return p;
        }
    }
    unreachable!("some numbered name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_names_are_checked_and_trimmed() {
        assert_eq!(check_name("  Photos 2026 ").unwrap(), "Photos 2026");
        assert_eq!(check_name("a<b>\"c\"$").unwrap(), "a<b>\"c\"$");
        assert_eq!(check_name(&"é".repeat(250)).unwrap().chars().count(), 250);
        for bad in ["", "   ", "a/b.pdf", "foo/bar", "line\nbreak", "tab\there"] {
            let e = check_name(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_request", "{bad:?}");
        }
        let e = check_name(&"x".repeat(251)).unwrap_err();
        assert!(e.to_string().contains("251"), "{e}");
    }

    #[test]
    fn encoding_round_trips_and_removes_forbidden_characters() {
        let cases = [
            "plain.txt",
            "a\\b<c>d\"e'f`g$h/i",
            " leading space",
            "  two",
            "already ＼ twin and ␠ and ‛ quote",
            "‛",
            "trailing ‛",
            "x ␠",
            "",
            "été 日本.txt",
        ];
        for c in cases {
            let e = encode_name(c);
            for bad in ['\\', '<', '>', '"', '\'', '`', '$', '/'] {
                assert!(!e.contains(bad), "{c:?} -> {e:?}");
            }
            assert!(!e.starts_with(' '), "{e:?}");
            assert_eq!(decode_name(&e), c, "{c:?} -> {e:?}");
        }
        assert_eq!(encode_name("a$b"), "a＄b");
        assert_eq!(encode_name(" x"), "␠x");
        assert_eq!(decode_name("a＄b"), "a$b");
    }

    #[test]
    fn local_names_never_escape_the_folder() {
        let hostile = [
            "../../etc/passwd",
            "/etc/passwd",
            "..",
            ".",
            "",
            "   ",
            "a/../../b",
            "C:\\Windows\\x",
            "CON",
            "nul.txt",
            "Com1.tar.gz",
            "bell\u{7}\nnewline",
            "dots...",
            "／etc／passwd",
            "..／..／x",
        ];
        let dir = Path::new("/safe/dir");
        for h in hostile {
            let n = safe_local_name(h);
            assert!(is_single_component(&n), "{h:?} -> {n:?}");
            assert!(!n.chars().any(|c| c.is_control()), "{n:?}");
            let joined = dir.join(&n);
            assert_eq!(joined.parent(), Some(dir), "{h:?} -> {n:?}");
            let upper = n.split('.').next().unwrap().to_ascii_uppercase();
            assert!(!RESERVED.contains(&upper.as_str()), "{n:?}");
            assert!(n != "." && n != "..");
        }
        assert_eq!(safe_local_name("report.pdf"), "report.pdf");
        assert_eq!(safe_local_name("CON"), "_CON");
        assert_eq!(safe_local_name("a＄b.txt"), "a$b.txt");
        let long = format!("{}.mkv", "x".repeat(400));
        let n = safe_local_name(&long);
        assert!(n.len() <= MAX_NAME_BYTES && n.ends_with(".mkv"));
    }

    #[test]
    fn disguising_characters_and_device_names() {
        // U+202E makes "invoice\u{202E}fdp.exe" display as "invoiceexe.pdf".
        assert_eq!(safe_local_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(display_name("a\u{2066}b\u{200B}c\u{FEFF}.txt"), "abc.txt");
        assert_eq!(display_name("tag\u{E0041}.txt"), "tag.txt");
        assert_eq!(display_name("Crème brûlée ＄.txt"), "Crème brûlée $.txt");
        for dev in [
            "COM0",
            "lpt0.txt",
            "COM¹.log",
            "lpt³",
            "CONIN$",
            "conout$.txt",
            "Nul .x",
        ] {
            assert!(safe_local_name(dev).starts_with('_'), "{dev}");
        }
        assert_eq!(safe_local_name("COM10.txt"), "COM10.txt");
        assert_eq!(safe_local_name("\u{202E}\u{202E}"), "download");
    }

    #[test]
    fn unique_paths_number_the_copies() {
        let dir = tempfile::tempdir().unwrap();
        let p = unique_path(dir.path(), "a.txt", |_| false);
        assert_eq!(p, dir.path().join("a.txt"));
        std::fs::write(&p, b"x").unwrap();
        let p2 = unique_path(dir.path(), "a.txt", |_| false);
        assert_eq!(p2, dir.path().join("a (1).txt"));
        std::fs::write(part_path(&p2), b"x").unwrap();
        let p3 = unique_path(dir.path(), "a.txt", |q| q.ends_with("a (2).txt"));
        assert_eq!(p3, dir.path().join("a (3).txt"));
        assert_eq!(
            unique_path(dir.path(), ".bashrc", |_| false),
            dir.path().join(".bashrc")
        );
    }
}
