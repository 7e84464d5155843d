//! Stable error codes: the one list every layer names its failures with. The API client,
//! core, the desktop shell and the command line all return an [`ErrorCode`]; the window
//! gets the same names as a TypeScript union, and the queue keeps them in its records.
//! Each is serialised as its snake_case name, which is also what `--json` prints.

macro_rules! error_codes {
    ($($(#[$attr:meta])* $variant:ident = $name:literal,)*) => {
        /// A stable, machine-readable name for a kind of failure. Programs switch on it,
        /// never on the message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum ErrorCode {
            $($(#[$attr])* #[serde(rename = $name)] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order of this list.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The serialised name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    // 1fichier's answers and the way to them.
    /// The key is not 32 characters of 1fichier's alphabet.
    BadKeyFormat = "bad_key_format",
    /// No key was given or found.
    KeyMissing = "key_missing",
    /// 1fichier doesn't know the key.
    InvalidKey = "invalid_key",
    /// The account has no premium or access offer.
    NotCustomer = "not_customer",
    /// A flood lock, or a rate limit: wait `retryAfter`.
    Flood = "flood",
    /// The key is refused from where this computer is.
    LocationLock = "location_lock",
    NotFound = "not_found",
    NotAllowed = "not_allowed",
    PasswordRequired = "password_required",
    PasswordWrong = "password_wrong",
    /// The owner locked the file or folder.
    OwnerLocked = "owner_locked",
    FileEmpty = "file_empty",
    FileTooLarge = "file_too_large",
    FolderNotEmpty = "folder_not_empty",
    NameConflict = "name_conflict",
    /// The change asked for was already so.
    Unchanged = "unchanged",
    InvalidName = "invalid_name",
    /// A remote-upload URL whose host 1fichier doesn't fetch from.
    HostNotAllowed = "host_not_allowed",
    /// A download token ran out.
    LinkExpired = "link_expired",
    /// The request itself is wrong: nothing was sent, or 1fichier refused its shape.
    InvalidRequest = "invalid_request",
    Network = "network",
    Timeout = "timeout",
    Server = "server",
    /// An answer that isn't what 1fichier sends.
    Protocol = "protocol",
    /// A refusal of 1fichier's that no other code describes.
    Refused = "refused",
    AnswerTooLarge = "answer_too_large",
    /// The stored key would have gone to a server that isn't 1fichier's.
    KeyWithheld = "key_withheld",

    // This computer.
    /// Another program works on the same queue or backup.
    QueueBusy = "queue_busy",
    DiskFull = "disk_full",
    PermissionDenied = "permission_denied",
    SourceUnreadable = "source_unreadable",
    ChecksumMismatch = "checksum_mismatch",
    SizeMismatch = "size_mismatch",
    Io = "io",
    KeychainUnavailable = "keychain_unavailable",
    Keychain = "keychain",
    Database = "database",
    Cancelled = "cancelled",
    ShutDown = "shut_down",
    /// A local path the user did not pick or drop in the window during this run.
    PathNotGranted = "path_not_granted",

    // What the command line reports of a run as a whole.
    /// Stopped by Ctrl-C.
    Interrupted = "interrupted",
    /// Some of the work was done, some failed.
    Partial = "partial",
    Failed = "failed",
    /// A transfer that ended without being done and without an error of its own.
    TransferFailed = "transfer_failed",

    /// A code this version doesn't know, read back from a queue an other version wrote.
    #[serde(other)]
    Unknown = "unknown",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and callers holding a serialised name compare it with a code.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_serialises_as_its_name_and_reads_back() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} listed twice");
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        assert!(ErrorCode::ALL.len() > 40);
    }

    #[test]
    fn a_name_this_version_does_not_know_reads_as_unknown() {
        let code: ErrorCode = serde_json::from_str("\"quota_of_the_future\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown);
        assert_eq!(code, "unknown");
    }
}
