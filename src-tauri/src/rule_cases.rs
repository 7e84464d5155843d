//! Core's verdicts on a fixed set of inputs, for the window's own checks.
//!
//! The window checks a form before asking (to say what is wrong as the user types), and
//! the browser suite's fake backend answers with those same checks. Both must say what
//! core says. This renders `ui/src/lib/rules.cases.ts`: each case is an input and core's
//! verdict on it (accepted, or the error code and message); a Vitest suite runs the
//! window's checks on every case and fails on any difference. A Rust test fails when the
//! checked-in file drifts from core; rewrite it with
//! `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings`.

use fichier_core::AppError;
use fichier_core::backup::{BackupSpec, Schedule};
use serde_json::{Value, json};

/// Where the generated file lives, from the workspace root.
pub const RULE_CASES_PATH: &str = "ui/src/lib/rules.cases.ts";

fn verdict<T, E: Into<AppError>>(r: Result<T, E>) -> Value {
    match r {
        Ok(_) => Value::Null,
        Err(e) => {
            let e: AppError = e.into();
            json!({ "code": e.code, "message": e.message })
        }
    }
}

struct Cases(Vec<Value>);

impl Cases {
    fn add(&mut self, rule: &str, input: Value, verdict: Value) {
        self.0
            .push(json!({ "rule": rule, "input": input, "error": verdict }));
    }
}

fn names(c: &mut Cases) {
    use fichier_core::names::{MAX_NAME_CHARS, check_name};
    let long = "a".repeat(MAX_NAME_CHARS);
    let too_long = "a".repeat(MAX_NAME_CHARS + 1);
    let wide = "é".repeat(MAX_NAME_CHARS + 1);
    let inputs = [
        "docs",
        "  spaced  ",
        "",
        "   ",
        &long,
        &too_long,
        &wide,
        "a/b",
        "bell\u{7}",
        "tab\tname",
        "line\nbreak",
        "del\u{7f}",
        "report $1.pdf",
        "📁 photos",
    ];
    for n in inputs {
        c.add("name", json!(n), verdict(check_name(n)));
    }
}

fn passwords(c: &mut Cases) {
    use fichier_core::account::{MIN_FTP_PASSWORD_CHARS, check_ftp_password};
    use fichier_core::library::{MIN_PASSWORD_CHARS, check_password};
    let short = "p".repeat(MIN_PASSWORD_CHARS - 1);
    let enough = "p".repeat(MIN_PASSWORD_CHARS);
    let wide_short = "é".repeat(MIN_PASSWORD_CHARS - 1);
    for what in ["file", "share"] {
        for p in [
            None,
            Some(""),
            Some(short.as_str()),
            Some(&enough),
            Some(&wide_short),
        ] {
            c.add(
                "password",
                json!({ "what": what, "password": p }),
                verdict(check_password(p, what)),
            );
        }
    }
    let ftp_short = "p".repeat(MIN_FTP_PASSWORD_CHARS - 1);
    let ftp_enough = "p".repeat(MIN_FTP_PASSWORD_CHARS);
    for p in ["", ftp_short.as_str(), &ftp_enough] {
        c.add("ftpPassword", json!(p), verdict(check_ftp_password(p)));
    }
}

fn ftp_users(c: &mut Cases) {
    use fichier_core::account::{MAX_FTP_USER_CHARS, check_ftp_user};
    let long = "u".repeat(MAX_FTP_USER_CHARS);
    let too_long = "u".repeat(MAX_FTP_USER_CHARS + 1);
    for u in [
        "",
        "alice",
        "a.b_c-d",
        "with space",
        "émile",
        "x/y",
        &long,
        &too_long,
    ] {
        c.add("ftpUser", json!(u), verdict(check_ftp_user(u)));
    }
}

fn account_names(c: &mut Cases) {
    use fichier_core::accounts::{MAX_ACCOUNT_NAME_CHARS, check_account_name};
    let long = "n".repeat(MAX_ACCOUNT_NAME_CHARS);
    let too_long = "n".repeat(MAX_ACCOUNT_NAME_CHARS + 1);
    for n in ["Work", "  Home  ", "", "   ", &long, &too_long, "tab\tname"] {
        c.add("accountName", json!(n), verdict(check_account_name(n)));
    }
}

fn settings(c: &mut Cases) {
    use fichier_core::settings::{MAX_CONCURRENCY, MAX_CONNECTIONS, check};
    let pairs = [
        (0, 1),
        (1, 1),
        (MAX_CONCURRENCY, 1),
        (MAX_CONCURRENCY + 1, 1),
        (2, 0),
        (2, MAX_CONNECTIONS),
        (2, MAX_CONNECTIONS + 1),
    ];
    for (concurrency, connections) in pairs {
        let s = fichier_core::Settings {
            concurrency,
            connections,
            ..Default::default()
        };
        c.add(
            "settings",
            json!({ "concurrency": concurrency, "connections": connections }),
            verdict(check(&s)),
        );
    }
}

fn serve_ports(c: &mut Cases) {
    use fichier_core::serving::{DEFAULT_SERVE_PORT, MIN_SERVE_PORT, check_serve_port};
    for p in [
        0,
        80,
        MIN_SERVE_PORT - 1,
        MIN_SERVE_PORT,
        DEFAULT_SERVE_PORT,
        u16::MAX,
    ] {
        c.add("servePort", json!(p), verdict(check_serve_port(p)));
    }
}

fn links(c: &mut Cases) {
    use fichier_core::links::{MAX_LINKS, check_link_count};
    for n in [0, 1, MAX_LINKS, MAX_LINKS + 1] {
        c.add("linkCount", json!(n), verdict(check_link_count(n)));
    }
}

/// One change to a valid spec.
type Variant = Box<dyn Fn(&mut BackupSpec)>;

fn backups(c: &mut Cases) {
    use fichier_core::backup as b;
    // "/" is a folder on every machine the suite runs on.
    let base = BackupSpec {
        name: "Photos".into(),
        source: "/".into(),
        folder_id: 0,
        folder_label: "/".into(),
        mode: Default::default(),
        excludes: Vec::new(),
        schedule: Schedule::Manual,
        watch: false,
        versions: b::DEFAULT_VERSIONS,
        trash_days: b::DEFAULT_TRASH_DAYS,
    };
    let variants: Vec<Variant> = vec![
        Box::new(|_| {}),
        Box::new(|s| s.name = String::new()),
        Box::new(|s| s.name = "   ".into()),
        Box::new(|s| s.name = "b".repeat(b::MAX_BACKUP_NAME_CHARS)),
        Box::new(|s| s.name = "b".repeat(b::MAX_BACKUP_NAME_CHARS + 1)),
        Box::new(|s| s.source = String::new()),
        Box::new(|s| s.source = "photos".into()),
        Box::new(|s| s.folder_id = -1),
        Box::new(|s| s.versions = b::MAX_VERSIONS),
        Box::new(|s| s.versions = b::MAX_VERSIONS + 1),
        Box::new(|s| s.trash_days = 0),
        Box::new(|s| s.trash_days = b::MAX_TRASH_DAYS),
        Box::new(|s| s.trash_days = b::MAX_TRASH_DAYS + 1),
        Box::new(|s| s.schedule = Schedule::Every { hours: 0 }),
        Box::new(|s| {
            s.schedule = Schedule::Every {
                hours: b::MAX_EVERY_HOURS,
            }
        }),
        Box::new(|s| {
            s.schedule = Schedule::Every {
                hours: b::MAX_EVERY_HOURS + 1,
            }
        }),
        Box::new(|s| {
            s.schedule = Schedule::Daily {
                hour: 23,
                minute: 59,
            }
        }),
        Box::new(|s| {
            s.schedule = Schedule::Daily {
                hour: 24,
                minute: 0,
            }
        }),
        Box::new(|s| {
            s.schedule = Schedule::Daily {
                hour: 7,
                minute: 60,
            }
        }),
    ];
    for v in variants {
        let mut spec = base.clone();
        v(&mut spec);
        let input = serde_json::to_value(&spec).expect("a spec serialises");
        c.add("backupSpec", input, verdict(b::check_spec(&spec)));
    }
}

/// The whole generated file.
pub fn render() -> String {
    let mut c = Cases(Vec::new());
    names(&mut c);
    passwords(&mut c);
    ftp_users(&mut c);
    account_names(&mut c);
    settings(&mut c);
    links(&mut c);
    serve_ports(&mut c);
    backups(&mut c);
    let rows: Vec<String> =
        c.0.iter()
            .map(|v| format!("  {},", serde_json::to_string(v).expect("json")))
            .collect();
    format!(
        "// Generated from core's checks (src-tauri/src/rule_cases.rs). Do not edit: run\n\
         // `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings` after changing a rule.\n\
         import type {{ ErrorCode }} from './backend/bindings';\n\n\
         /** One input and core's verdict on it: accepted (`error: null`) or refused. */\n\
         export type RuleCase = {{\n  rule: 'name' | 'password' | 'ftpPassword' | 'ftpUser' | 'accountName' | 'settings' | 'linkCount' | 'servePort' | 'backupSpec';\n  input: unknown;\n  error: {{ code: ErrorCode; message: string }} | null;\n}};\n\n\
         export const RULE_CASES: RuleCase[] = [\n{}\n];\n",
        rows.join("\n")
    )
}
