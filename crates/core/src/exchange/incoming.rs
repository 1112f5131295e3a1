//! Any file a leader brings in, recognised by content and sent to the importer that reads it.
//!
//! The CLI's `import` and the app's import screen both go through [`import_file`], so a file
//! is read the same way wherever it is dropped: own bundles and JSON exports, coach reviews,
//! Day One and jrnl exports, and iCalendar files.

use std::cell::Cell;
use std::ops::ControlFlow;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    inspect, open_file, ExchangeError, FileKind, ImportSummary, Opened, Progress,
    ReviewImportSummary, Unlock,
};
use crate::import::{self, Detected, ImportError};
use crate::secret::Passphrase;
use crate::vault::ForeignImportSummary;
use crate::{Error, Journal};

/// Most events or entries one import takes; beyond that the file is refused, not truncated.
pub const MAX_RECORDS: usize = 200_000;

/// What a file to import is, judged by its content before anything is decrypted or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IncomingKind {
    /// A Touchpoint bundle protected by a passphrase.
    PassphraseBundle,
    /// A bundle or a coach's review encrypted to a journal's key (this one, if it opens).
    KeyBundle,
    /// A Touchpoint export or review as plain JSON.
    TouchpointJson,
    /// A Day One export (zip, or its JSON file).
    DayOne,
    /// A jrnl JSON export.
    Jrnl,
    /// An iCalendar file: its meetings in a window become drafts waiting for reflection.
    Calendar,
}

/// Says what `bytes` are, or why Touchpoint cannot import them.
pub fn describe(bytes: &[u8]) -> Result<IncomingKind, ExchangeError> {
    Ok(match import::detect(bytes) {
        Detected::AgeEncrypted | Detected::TouchpointJson => match inspect(bytes)? {
            FileKind::PassphraseBundle => IncomingKind::PassphraseBundle,
            FileKind::KeyBundle => IncomingKind::KeyBundle,
            FileKind::Json => IncomingKind::TouchpointJson,
        },
        Detected::Ics => IncomingKind::Calendar,
        Detected::DayOneZip | Detected::DayOneJson => IncomingKind::DayOne,
        Detected::JrnlJson => IncomingKind::Jrnl,
        Detected::Unknown => {
            return Err(ExchangeError::NotTouchpoint(
                "expected a bundle, a review file, a JSON export, a Day One export, a jrnl JSON \
                 export or an iCalendar (.ics) file"
                    .into(),
            ))
        }
    })
}

/// What an import did, by the kind of file it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ImportOutcome {
    /// An export (own bundle or JSON) merged by id.
    Export(ImportSummary),
    /// A coach's review: their comments.
    Review(ReviewImportSummary),
    /// Calendar meetings as drafts.
    Calendar(ForeignImportSummary),
    /// Entries of another journal as touchpoints of kind `other`.
    Entries(ForeignImportSummary),
}

/// The calendar window used when none is given: the last 30 days and the next 7.
pub fn default_calendar_window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now - Duration::days(30), now + Duration::days(7))
}

/// Imports `bytes` into `journal`, whatever Touchpoint file or foreign export they hold.
///
/// `passphrase` opens a passphrase bundle; `window` picks the calendar events to import (the
/// default window when `None`). Everything is written in one transaction: a failure, or a
/// `Break` from `progress`, changes nothing (the latter answers [`ExchangeError::Cancelled`]).
pub fn import_file(
    journal: &mut Journal,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ImportOutcome, ExchangeError> {
    let stopped = Cell::new(false);
    let mut watch = |p: Progress| {
        let flow = progress(p);
        if flow.is_break() {
            stopped.set(true);
        }
        flow
    };
    let result = import_kind(journal, bytes, passphrase, window, now, &mut watch);
    match result {
        Err(_) if stopped.get() => Err(ExchangeError::Cancelled),
        other => other,
    }
}

fn import_kind(
    journal: &mut Journal,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ImportOutcome, ExchangeError> {
    Ok(match describe(bytes)? {
        kind @ (IncomingKind::PassphraseBundle
        | IncomingKind::KeyBundle
        | IncomingKind::TouchpointJson) => {
            let opened = if kind == IncomingKind::PassphraseBundle {
                let pass = passphrase.ok_or(ExchangeError::NeedsPassphrase)?;
                open_file(bytes, Unlock::Passphrase(pass))?
            } else {
                open_file(bytes, Unlock::Identity(journal))?
            };
            match opened {
                Opened::Export(doc) => {
                    ImportOutcome::Export(journal.import_document(&doc, progress)?)
                }
                Opened::Review(review) => {
                    ImportOutcome::Review(journal.import_review_document(&review, now)?)
                }
            }
        }
        IncomingKind::Calendar => {
            let (from, to) = window.unwrap_or_else(|| default_calendar_window(now));
            if to <= from {
                return Err(ExchangeError::invalid(
                    "the end of the calendar window must be after its start",
                ));
            }
            let events = import::parse_ics(bytes, (from, to), MAX_RECORDS).map_err(invalid)?;
            ImportOutcome::Calendar(journal.import_calendar(&events, progress)?)
        }
        IncomingKind::DayOne => {
            let entries = if bytes.starts_with(b"PK\x03\x04") {
                import::parse_dayone_zip(bytes, MAX_RECORDS)
            } else {
                import::parse_dayone_json(bytes, MAX_RECORDS)
            }
            .map_err(invalid)?;
            ImportOutcome::Entries(journal.import_entries(&entries, "dayone", progress)?)
        }
        IncomingKind::Jrnl => {
            let entries = import::parse_jrnl_json(bytes, MAX_RECORDS).map_err(invalid)?;
            ImportOutcome::Entries(journal.import_entries(&entries, "jrnl", progress)?)
        }
    })
}

fn invalid(e: ImportError) -> ExchangeError {
    ExchangeError::Journal(Error::InvalidInput(e.to_string()))
}
