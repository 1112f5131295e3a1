//! The one error type of the core, with a stable code for every case a user can act on.

use std::path::PathBuf;

/// Everything that can go wrong in the journal core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The passphrase did not unlock the key file.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The recovery code did not unlock the key file.
    #[error("wrong recovery code")]
    WrongRecoveryCode,
    /// A file of the journal is unreadable, truncated or tampered with.
    #[error("the journal file {path} is damaged: {detail}")]
    Damaged {
        /// The damaged file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// Another process holds the journal.
    #[error(
        "journal is open elsewhere ({path}); close the other Touchpoint window or command first"
    )]
    InUse {
        /// The journal folder.
        path: PathBuf,
    },
    /// The journal was written by a newer Touchpoint.
    #[error("this journal was written by a newer version of Touchpoint (format {found}, this version reads up to {supported}); please update Touchpoint")]
    NewerFormat {
        /// Format version found on disk.
        found: u32,
        /// Highest format this build understands.
        supported: u32,
    },
    /// There is no journal where one was expected.
    #[error("no journal at {0}; create one with `touchpoint init`")]
    NoJournal(PathBuf),
    /// A journal already exists where a new one was to be created.
    #[error("a journal already exists at {0}")]
    AlreadyExists(PathBuf),
    /// The input was rejected; nothing was changed.
    #[error("{0}")]
    InvalidInput(String),
    /// A new passphrase is too short or too easy to guess (the one passphrase rule,
    /// [`crate::secret::check_new_passphrase`]); nothing was changed. Never contains the passphrase.
    #[error("this passphrase is too weak. {reason} {suggestion}")]
    WeakPassphrase {
        /// Why it is too weak, in one sentence.
        reason: String,
        /// What would make it strong enough.
        suggestion: String,
    },
    /// A named record does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The disk is full; nothing was changed.
    #[error("the disk is full; nothing was changed")]
    DiskFull,
    /// A file-system failure.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A database failure not covered above.
    #[error("database error: {0}")]
    Database(#[source] rusqlite::Error),
}

impl Error {
    /// Wraps an I/O error with what was being done, recognising a full disk.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        if source.raw_os_error() == Some(28) || source.kind() == std::io::ErrorKind::StorageFull {
            return Error::DiskFull;
        }
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::WrongPassphrase | Error::WrongRecoveryCode => "wrong_passphrase",
            Error::Damaged { .. } => "journal_damaged",
            Error::InUse { .. } => "journal_in_use",
            Error::NewerFormat { .. } => "newer_format",
            Error::NoJournal(_) => "no_journal",
            Error::AlreadyExists(_) => "already_exists",
            Error::InvalidInput(_) => "invalid_input",
            Error::WeakPassphrase { .. } => "weak_passphrase",
            Error::NotFound(_) => "not_found",
            Error::DiskFull => "disk_full",
            Error::Io { .. } => "io",
            Error::Database(_) => "database",
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::InUse {
                path: PathBuf::new(),
            },
            // A page that fails its authentication code (SQLCipher) or its structure check
            // can surface in any query, long after opening: it is damage, never a plain failure.
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => Error::Damaged {
                path: PathBuf::from("journal.db"),
                detail: e.to_string(),
            },
            _ => Error::Database(e),
        }
    }
}

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
