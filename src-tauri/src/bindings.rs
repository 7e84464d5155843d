//! The TypeScript the window imports, generated from the Rust IPC types with ts-rs.
//! `ui/src/lib/backend/bindings.ts` is checked in; a test fails when it drifts from the
//! Rust types. Rewrite it with `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings`.

use fichier_core::backup::{
    BackupJob, BackupMode, BackupSpec, BackupStatus, FileProblem, RunOutcome, RunReport, Schedule,
};
use fichier_core::library::{
    AccountInfo, DownloadLink, FileAttributes, FileDetails, FileEntry, FolderInfo, FolderView,
    OfferName, ShareResult, SubFolderEntry,
};
use fichier_core::{
    AppError, HistoryPage, Language, PacerReason, RemoteJob, RemoteResult, RemoteStatus, Settings,
    Theme, Transfer, TransferEvent, TransferKind, TransferPhase, TransferState,
};
use ts_rs::TS;

use crate::state::SessionState;

/// Where the generated file lives, from the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/backend/bindings.ts";

/// Every stable error code a command can fail with; the window switches on these.
pub const ERROR_CODES: &[&str] = &[
    "bad_key_format",
    "key_missing",
    "invalid_key",
    "not_customer",
    "flood",
    "location_lock",
    "not_found",
    "not_allowed",
    "password_required",
    "password_wrong",
    "owner_locked",
    "file_empty",
    "file_too_large",
    "folder_not_empty",
    "name_conflict",
    "unchanged",
    "invalid_name",
    "host_not_allowed",
    "link_expired",
    "invalid_request",
    "network",
    "timeout",
    "server",
    "protocol",
    "answer_too_large",
    "key_withheld",
    "queue_busy",
    "refused",
    "disk_full",
    "permission_denied",
    "source_unreadable",
    "checksum_mismatch",
    "size_mismatch",
    "io",
    "keychain_unavailable",
    "keychain",
    "database",
    "cancelled",
    "shut_down",
    // A local path the user did not pick or drop in this run (see `grants`).
    crate::grants::NOT_GRANTED,
];

fn decl<T: TS>() -> String {
    format!("export {}", T::decl())
}

/// Core's limits and defaults, for the forms that check before asking (core checks again).
fn limits() -> String {
    use fichier_core::backup as b;
    let entries: [(&str, u64); 18] = [
        (
            "maxConcurrency",
            fichier_core::settings::MAX_CONCURRENCY.into(),
        ),
        (
            "defaultConcurrency",
            fichier_core::DEFAULT_CONCURRENCY.into(),
        ),
        (
            "maxConnections",
            fichier_core::settings::MAX_CONNECTIONS.into(),
        ),
        (
            "defaultConnections",
            fichier_core::DEFAULT_CONNECTIONS.into(),
        ),
        ("maxNameChars", fichier_core::names::MAX_NAME_CHARS as u64),
        (
            "minPasswordChars",
            fichier_core::library::MIN_PASSWORD_CHARS as u64,
        ),
        ("maxBackupNameChars", b::MAX_BACKUP_NAME_CHARS as u64),
        (
            "minFtpPasswordChars",
            fichier_core::account::MIN_FTP_PASSWORD_CHARS as u64,
        ),
        (
            "maxFtpUserChars",
            fichier_core::account::MAX_FTP_USER_CHARS as u64,
        ),
        (
            "subscriptionWarningDays",
            fichier_core::account::SUBSCRIPTION_WARNING_DAYS as u64,
        ),
        ("maxCheckedLinks", fichier_core::links::MAX_LINKS as u64),
        (
            "maxAccountNameChars",
            fichier_core::accounts::MAX_ACCOUNT_NAME_CHARS as u64,
        ),
        ("maxVersions", b::MAX_VERSIONS.into()),
        ("defaultVersions", b::DEFAULT_VERSIONS.into()),
        ("maxTrashDays", b::MAX_TRASH_DAYS.into()),
        ("defaultTrashDays", b::DEFAULT_TRASH_DAYS.into()),
        ("maxEveryHours", b::MAX_EVERY_HOURS.into()),
        ("settleSeconds", b::DEFAULT_SETTLE.as_secs()),
    ];
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("  {k}: {v},"))
        .collect();
    format!(
        "/** What core allows, and its defaults. */\nexport const LIMITS = {{\n{}\n}} as const;",
        body.join("\n")
    )
}

/// The whole generated file.
pub fn render() -> String {
    let codes: Vec<String> = ERROR_CODES.iter().map(|c| format!("'{c}'")).collect();
    let decls = [
        format!(
            "export const ERROR_CODES = [{}] as const;\n\nexport type ErrorCode = (typeof ERROR_CODES)[number];",
            codes.join(", ")
        ),
        limits(),
        decl::<AppError>(),
        decl::<SessionState>(),
        decl::<crate::commands::accounts::AccountSummary>(),
        decl::<OfferName>(),
        decl::<AccountInfo>(),
        decl::<fichier_core::account::AccountNotice>(),
        decl::<fichier_core::account::FtpAccount>(),
        decl::<fichier_core::links::LinkStatus>(),
        decl::<fichier_core::links::LinkReport>(),
        decl::<fichier_core::upload_time::UploadTimeCheck>(),
        decl::<FolderInfo>(),
        decl::<SubFolderEntry>(),
        decl::<FileEntry>(),
        decl::<FolderView>(),
        decl::<FileDetails>(),
        decl::<FileAttributes>(),
        decl::<ShareResult>(),
        decl::<DownloadLink>(),
        decl::<TransferKind>(),
        decl::<TransferState>(),
        decl::<TransferPhase>(),
        decl::<Transfer>(),
        decl::<HistoryPage>(),
        decl::<PacerReason>(),
        decl::<BackupMode>(),
        decl::<Schedule>(),
        decl::<BackupSpec>(),
        decl::<BackupStatus>(),
        decl::<RunOutcome>(),
        decl::<FileProblem>(),
        decl::<RunReport>(),
        decl::<BackupJob>(),
        decl::<TransferEvent>(),
        decl::<Theme>(),
        decl::<Language>(),
        decl::<Settings>(),
        decl::<RemoteStatus>(),
        decl::<RemoteResult>(),
        decl::<RemoteJob>(),
        decl::<crate::serve::ServeStatus>(),
        decl::<crate::serve::StreamInfo>(),
        decl::<crate::serve::ServeOptionsIpc>(),
        decl::<crate::serve::ExportReport>(),
        decl::<crate::serve::MountResult>(),
    ];
    let mut out = String::from(
        "// Generated from the Rust IPC types (src-tauri/src/bindings.rs). Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings` after changing them.\n\n",
    );
    for d in decls {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_match_the_rust_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(BINDINGS_PATH);
        let fresh = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("bindings written");
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{} is out of date: run `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings`",
            BINDINGS_PATH
        );
    }

    /// The codes in the `code()` functions of fichier-api and fichier-core.
    fn codes_in(source: &str) -> Vec<String> {
        let body = source
            .split("pub fn code(&self)")
            .nth(1)
            .expect("a code() function");
        let body = &body[..body.find("\n    }\n").expect("end of code()")];
        body.split("=> \"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn every_error_code_the_crates_produce_is_listed() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
        let mut found = Vec::new();
        for file in ["fichier-api/src/error.rs", "fichier-core/src/error.rs"] {
            let src = std::fs::read_to_string(crates.join(file)).expect("error source");
            found.extend(codes_in(&src));
        }
        assert!(found.len() > 20, "parsed too few codes: {found:?}");
        for code in &found {
            assert!(
                ERROR_CODES.contains(&code.as_str()),
                "{code} is missing from ERROR_CODES"
            );
        }
    }
}
