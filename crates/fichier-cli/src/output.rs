//! How results reach the user: plain text, or JSON with `--json`; errors on stderr.

use serde::Serialize;

use crate::Failure;

pub struct Out {
    pub json: bool,
    /// stderr is a terminal: progress bars instead of plain lines.
    pub tty: bool,
}

impl Out {
    pub fn new(json: bool, tty: bool) -> Out {
        Out { json, tty }
    }

    /// Prints `value` as JSON when asked, otherwise runs `human`.
    pub fn show<T: Serialize>(&self, value: &T, human: impl FnOnce()) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("results serialise")
            );
        } else {
            human();
        }
    }

    /// A status line for people (stderr, so stdout stays clean for scripts).
    pub fn note(&self, text: &str) {
        if !self.json {
            eprintln!("{text}");
        }
    }

    pub fn error(&self, f: &Failure) {
        if self.json {
            println!(
                "{}",
                serde_json::json!({"error": {"code": f.error_code, "message": f.message}})
            );
        }
        eprintln!("fichier: {}", f.message);
    }
}

/// 1536 → "1.5 KiB".
pub fn size(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::size(12), "12 B");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(3 << 30), "3.0 GiB");
    }
}
