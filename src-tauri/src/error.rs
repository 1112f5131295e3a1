//! The one error every command returns: a stable code the UI branches on, and a message for people.

use std::fmt;

use serde::{Deserialize, Serialize};
use touchpoint_core::exchange::ExchangeError;
use ts_rs::TS;

/// What went wrong, as the UI tells cases apart. Only codes a screen acts on are here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The passphrase (or recovery code) did not unlock the journal; nothing changed.
    WrongPassphrase,
    /// The journal is locked: the UI returns to the unlock screen.
    JournalLocked,
    /// A journal file is unreadable or tampered with; the message names it and the latest backup.
    JournalDamaged,
    /// Another process holds the journal folder.
    JournalInUse,
    /// The input was rejected; nothing changed.
    InvalidInput,
    /// A new passphrase is too short or too easy to guess; the message gives the reason and a
    /// suggestion (the same as `passphrase_strength`). Nothing changed.
    WeakPassphrase,
    /// A named record (person, entry, backup, ...) does not exist.
    NotFound,
    /// The journal was written by a newer Touchpoint.
    NewerFormat,
    /// The disk is full; nothing changed.
    DiskFull,
    /// There is no journal in the folder the app points at.
    NoJournal,
    /// A journal already exists where a new one was to be created.
    AlreadyExists,
    /// A bundle or review file is encrypted to another key than this journal's.
    WrongKey,
    /// A bundle is protected by a passphrase and none was given: ask for it.
    NeedsPassphrase,
    /// A file to import or review is truncated, altered or unreadable; nothing was changed.
    FileDamaged,
    /// A file to import or review is not one Touchpoint reads.
    NotTouchpoint,
    /// The leader cancelled an export or import; nothing was changed or written.
    Cancelled,
    /// A review came as plain JSON, which anyone could write; nothing was imported.
    ReviewNotEncrypted,
    /// A review answers no bundle this journal sent (or names none); nothing was imported.
    ReviewUnknownExport,
    /// A review reuses a comment id already here with other content; nothing was imported.
    ReviewConflict,
    /// An import would change records already in the journal and was not confirmed; nothing
    /// was changed (`preview_import` shows what it would do).
    NeedsConfirmation,
    /// Anything else: a file-system or database failure the user cannot fix from the UI.
    Internal,
}

/// The error a command answers with, sent to the UI as `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppError {
    /// What went wrong, for the UI to branch on.
    pub code: ErrorCode,
    /// One sentence for the user; never contains a passphrase or a recovery code.
    pub message: String,
}

impl AppError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
        }
    }

    /// The answer of every journal command while the journal is locked.
    pub fn locked() -> Self {
        AppError::new(
            ErrorCode::JournalLocked,
            "the journal is locked; unlock it to continue",
        )
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<touchpoint_core::Error> for AppError {
    fn from(e: touchpoint_core::Error) -> Self {
        AppError::new(code_of(e.code()), e.to_string())
    }
}

impl From<ExchangeError> for AppError {
    fn from(e: ExchangeError) -> Self {
        AppError::new(code_of(e.code()), e.to_string())
    }
}

/// The IPC code for a core error code; codes the UI has no use for are `internal`.
fn code_of(core_code: &str) -> ErrorCode {
    match core_code {
        "wrong_passphrase" => ErrorCode::WrongPassphrase,
        "journal_damaged" => ErrorCode::JournalDamaged,
        "journal_in_use" => ErrorCode::JournalInUse,
        "invalid_input" => ErrorCode::InvalidInput,
        "weak_passphrase" => ErrorCode::WeakPassphrase,
        "not_found" => ErrorCode::NotFound,
        "newer_format" => ErrorCode::NewerFormat,
        "disk_full" => ErrorCode::DiskFull,
        "no_journal" => ErrorCode::NoJournal,
        "already_exists" => ErrorCode::AlreadyExists,
        "wrong_key" => ErrorCode::WrongKey,
        "needs_passphrase" => ErrorCode::NeedsPassphrase,
        "file_damaged" => ErrorCode::FileDamaged,
        "not_touchpoint" => ErrorCode::NotTouchpoint,
        "cancelled" => ErrorCode::Cancelled,
        "review_not_encrypted" => ErrorCode::ReviewNotEncrypted,
        "review_unknown_export" => ErrorCode::ReviewUnknownExport,
        "review_conflict" => ErrorCode::ReviewConflict,
        "needs_confirmation" => ErrorCode::NeedsConfirmation,
        // A review file where an export was expected (or the reverse) is a wrong input.
        "wrong_document" => ErrorCode::InvalidInput,
        // `io`, `database` and any code added later.
        _ => ErrorCode::Internal,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;
    use touchpoint_core::Error;

    use super::*;

    fn json_of(e: impl Into<AppError>) -> serde_json::Value {
        serde_json::to_value(e.into()).expect("errors serialise")
    }

    /// The UI matches on these exact objects; a change here breaks it.
    #[test]
    fn errors_cross_ipc_as_code_and_message() {
        assert_eq!(
            json_of(Error::WrongPassphrase),
            json!({"code": "wrong_passphrase", "message": "wrong passphrase"})
        );
        assert_eq!(
            json_of(AppError::locked()),
            json!({"code": "journal_locked", "message": "the journal is locked; unlock it to continue"})
        );
        assert_eq!(
            json_of(Error::NoJournal(PathBuf::from("/j"))),
            json!({"code": "no_journal", "message": "no journal at /j; create one with `touchpoint init`"})
        );
        assert_eq!(
            json_of(Error::DiskFull),
            json!({"code": "disk_full", "message": "the disk is full; nothing was changed"})
        );
    }

    #[test]
    fn every_core_error_maps_to_its_code() {
        let cases: Vec<(Error, &str)> = vec![
            (Error::WrongPassphrase, "wrong_passphrase"),
            (Error::WrongRecoveryCode, "wrong_passphrase"),
            (
                Error::Damaged {
                    path: "/j/journal.db".into(),
                    detail: "bad page".into(),
                },
                "journal_damaged",
            ),
            (Error::InUse { path: "/j".into() }, "journal_in_use"),
            (
                Error::NewerFormat {
                    found: 9,
                    supported: 1,
                },
                "newer_format",
            ),
            (Error::NoJournal("/j".into()), "no_journal"),
            (Error::AlreadyExists("/j".into()), "already_exists"),
            (Error::InvalidInput("no".into()), "invalid_input"),
            (
                Error::WeakPassphrase {
                    reason: "too common".into(),
                    suggestion: "add words".into(),
                },
                "weak_passphrase",
            ),
            (Error::NotFound("who".into()), "not_found"),
            (Error::DiskFull, "disk_full"),
            (
                Error::io("reading", std::io::Error::other("boom")),
                "internal",
            ),
        ];
        for (error, code) in cases {
            let what = format!("{error:?}");
            assert_eq!(json_of(error)["code"], code, "{what} should map to {code}");
        }
    }

    /// Opening or importing a file fails in ways the exchange screens tell apart.
    #[test]
    fn every_exchange_error_maps_to_its_code() {
        let cases: Vec<(ExchangeError, &str)> = vec![
            (ExchangeError::WrongPassphrase, "wrong_passphrase"),
            (
                ExchangeError::WrongKey("not for this key".into()),
                "wrong_key",
            ),
            (ExchangeError::NeedsPassphrase, "needs_passphrase"),
            (ExchangeError::Damaged("cut short".into()), "file_damaged"),
            (
                ExchangeError::NotTouchpoint("a picture".into()),
                "not_touchpoint",
            ),
            (
                ExchangeError::NewerVersion {
                    what: "export",
                    found: 9,
                    supported: 1,
                },
                "newer_format",
            ),
            (
                ExchangeError::WrongDocument("a review".into()),
                "invalid_input",
            ),
            (ExchangeError::Cancelled, "cancelled"),
            (ExchangeError::ReviewNotEncrypted, "review_not_encrypted"),
            (
                ExchangeError::ReviewUnknownExport("unknown".into()),
                "review_unknown_export",
            ),
            (
                ExchangeError::ReviewConflict("reused".into()),
                "review_conflict",
            ),
            (
                ExchangeError::NeedsConfirmation(Box::new(
                    touchpoint_core::exchange::ImportPreview::new(
                        touchpoint_core::exchange::IncomingKind::TouchpointJson,
                        "export",
                    ),
                )),
                "needs_confirmation",
            ),
            (ExchangeError::Journal(Error::DiskFull), "disk_full"),
        ];
        for (error, code) in cases {
            let what = format!("{error:?}");
            assert_eq!(json_of(error)["code"], code, "{what} should map to {code}");
        }
        assert_eq!(
            json_of(ExchangeError::Cancelled),
            json!({"code": "cancelled", "message": "cancelled; nothing was changed"})
        );
    }
}
