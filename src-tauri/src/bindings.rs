//! The TypeScript the window imports, generated from the Rust IPC types with ts-rs.
//! `ui/src/lib/backend/bindings.ts` is checked in; a test fails when it drifts from the
//! Rust types. Rewrite it with `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings`.

use fichier_core::account::AccountInfo;
use fichier_core::backup::{
    BackupJob, BackupMode, BackupSpec, BackupStatus, FileProblem, RunOutcome, RunReport, Schedule,
};
use fichier_core::library::{
    DownloadLink, FileAttributes, FileDetails, FileEntry, FolderInfo, FolderView, OfferName,
    ShareResult, SubFolderEntry,
};
use fichier_core::{
    AppError, ErrorCode, HistoryPage, Language, PacerReason, RemoteJob, RemoteResult, RemoteStatus,
    Settings, Theme, Transfer, TransferEvent, TransferKind, TransferPhase, TransferState,
};
use ts_rs::TS;

use crate::state::SessionState;

/// Where the generated file lives, from the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/backend/bindings.ts";

fn decl<T: TS>() -> String {
    format!("export {}", T::decl())
}

/// Core's limits and defaults, for the forms that check before asking (core checks again).
fn limits() -> String {
    use fichier_core::backup as b;
    let entries: [(&str, u64); 21] = [
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
        ("minServePort", fichier_core::serving::MIN_SERVE_PORT.into()),
        (
            "defaultServePort",
            fichier_core::serving::DEFAULT_SERVE_PORT.into(),
        ),
        ("maxLinkTextBytes", fichier_core::link_text::MAX_LINK_TEXT),
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

/// Core's settings before the user changes any; the download folder is this computer's,
/// so it is left empty here (the backend fills it in).
fn default_settings() -> String {
    let s = Settings {
        download_dir: String::new(),
        ..Settings::default()
    };
    format!(
        "/** Core's settings before the user changes any (the download folder is filled in by the backend). */\nexport const DEFAULT_SETTINGS: Settings = {};",
        serde_json::to_string(&s).expect("settings serialise")
    )
}

/// The whole generated file.
pub fn render() -> String {
    let codes: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| format!("'{}'", c.as_str()))
        .collect();
    let decls = [
        format!(
            "export const ERROR_CODES = [{}] as const;\n\nexport type ErrorCode = (typeof ERROR_CODES)[number];",
            codes.join(", ")
        ),
        limits(),
        default_settings(),
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
        decl::<crate::commands::dialogs::DirectoryPurpose>(),
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

/// The names `bindings.ts` exports, for the command layer's imports.
pub fn exported_names(bindings: &str) -> std::collections::BTreeSet<String> {
    bindings
        .lines()
        .filter_map(|l| l.strip_prefix("export type "))
        .filter_map(|rest| rest.split([' ', '<', '=']).next())
        .map(str::to_string)
        .collect()
}

/// The command layer, `ui/src/lib/backend/commands.ts`.
pub fn render_commands() -> String {
    crate::ipc::render(&crate::commands::signatures(), &exported_names(&render()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares a generated file with the checked-in one (or rewrites it).
    fn check(rel: &str, fresh: String) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(rel);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("generated file written");
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "{rel} is out of date: run `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings`"
        );
    }

    #[test]
    fn bindings_match_the_rust_types() {
        check(BINDINGS_PATH, render());
    }

    #[test]
    fn bindings_of_the_commands_match_their_rust_signatures() {
        check(crate::ipc::COMMANDS_PATH, render_commands());
    }

    #[test]
    fn rule_cases_match_the_verdicts_of_core() {
        check(
            crate::rule_cases::RULE_CASES_PATH,
            crate::rule_cases::render(),
        );
    }

    #[test]
    fn every_command_is_described_once_with_its_window_arguments() {
        let sigs = crate::commands::signatures();
        let mut names: Vec<_> = sigs.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), sigs.len(), "a command is listed twice");
        let folder = sigs.iter().find(|s| s.name == "list_folder").unwrap();
        let args: Vec<_> = folder
            .args
            .iter()
            .map(|a| (a.name, a.ts.as_str(), a.optional))
            .collect();
        assert_eq!(
            args,
            [("folderId", "number", false), ("force", "boolean", true)]
        );
        assert_eq!(folder.returns, "FolderListing");
        let share = sigs.iter().find(|s| s.name == "share_folder").unwrap();
        assert_eq!(share.method, "shareFolder");
        // State and AppHandle are Tauri's to give, never the window's.
        assert!(
            sigs.iter()
                .all(|s| s.args.iter().all(|a| a.name != "state" && a.name != "app"))
        );
    }
}
