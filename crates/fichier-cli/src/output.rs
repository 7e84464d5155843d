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
        if self.json && !f.shown {
            println!(
                "{}",
                serde_json::json!({"error": {"code": f.error_code, "message": f.message}})
            );
        }
        eprintln!("fichier: {}", f.message);
    }
}

pub use fichier_core::units::human_size as size;
