//! What can go wrong while exporting, opening or importing, each with a stable code.

/// An exchange failure. Journal failures keep their own code; the rest say what was wrong
/// with the file and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The passphrase did not open the bundle.
    #[error("wrong passphrase: this bundle does not open with that passphrase")]
    WrongPassphrase,
    /// The bundle is not encrypted to the key offered (or needs a key, not a passphrase).
    #[error("{0}")]
    WrongKey(String),
    /// The bundle is encrypted to a passphrase and none was given.
    #[error("this bundle is protected by a passphrase; enter it to open the bundle")]
    NeedsPassphrase,
    /// The file is a Touchpoint file but truncated, altered or otherwise unreadable.
    #[error("the file is damaged or incomplete: {0}")]
    Damaged(String),
    /// The file is not a Touchpoint bundle, export or review at all.
    #[error("this is not a Touchpoint file: {0}")]
    NotTouchpoint(String),
    /// The document was made by a newer Touchpoint.
    #[error("this {what} was made by a newer Touchpoint (version {found}; this version reads up to version {supported}); please update Touchpoint")]
    NewerVersion {
        /// "export" or "review".
        what: &'static str,
        /// The document's version.
        found: u32,
        /// The highest version this build reads.
        supported: u32,
    },
    /// A Touchpoint file of another kind than expected (a review where an export was wanted).
    #[error("{0}")]
    WrongDocument(String),
    /// A review arrived as plain JSON: anyone can write one, so it is not taken.
    #[error("this review is not encrypted to this journal, so anyone could have written it; nothing was imported. Ask your coach to send the review file Touchpoint writes (.touchpoint-review)")]
    ReviewNotEncrypted,
    /// A review that answers no bundle this journal made (or names none).
    #[error("{0}; nothing was imported")]
    ReviewUnknownExport(String),
    /// A review that reuses the id of a comment already in the journal with other content.
    #[error("{0}; nothing was imported")]
    ReviewConflict(String),
    /// An import would change records already in the journal and was not confirmed.
    #[error("this import would change {} record(s) already in the journal; nothing was changed. Look at the preview and confirm to go ahead", .0.changed_records())]
    NeedsConfirmation(Box<super::ImportPreview>),
    /// The progress callback asked to stop; nothing was changed or written.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// A journal or file-system failure, or input rejected by the journal.
    #[error(transparent)]
    Journal(#[from] crate::Error),
}

impl ExchangeError {
    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ExchangeError::WrongPassphrase => "wrong_passphrase",
            ExchangeError::WrongKey(_) => "wrong_key",
            ExchangeError::NeedsPassphrase => "needs_passphrase",
            ExchangeError::Damaged(_) => "file_damaged",
            ExchangeError::NotTouchpoint(_) => "not_touchpoint",
            ExchangeError::NewerVersion { .. } => "newer_format",
            ExchangeError::WrongDocument(_) => "wrong_document",
            ExchangeError::Cancelled => "cancelled",
            ExchangeError::ReviewNotEncrypted => "review_not_encrypted",
            ExchangeError::ReviewUnknownExport(_) => "review_unknown_export",
            ExchangeError::ReviewConflict(_) => "review_conflict",
            ExchangeError::NeedsConfirmation(_) => "needs_confirmation",
            ExchangeError::Journal(e) => e.code(),
        }
    }

    /// Input rejected; nothing was changed.
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ExchangeError::Journal(crate::Error::InvalidInput(message.into()))
    }
}

impl From<rusqlite::Error> for ExchangeError {
    fn from(e: rusqlite::Error) -> Self {
        ExchangeError::Journal(e.into())
    }
}
