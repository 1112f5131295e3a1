//! The exchange: sending a chosen part of the journal to a coach and getting comments back.
//!
//! - **Export** ([`export`]): pick entries by date, people, kinds and tags (private entries
//!   never leave), optionally pseudonymise people, and write an encrypted `.touchpoint` bundle
//!   (age, to public keys or a passphrase), the same document as plain JSON, a self-contained
//!   HTML report, Markdown or CSV. Files are written beside their final names and renamed into
//!   place only when complete.
//! - **Open** ([`open_bundle`], [`open_file`], [`inspect`]): decrypt and read a document,
//!   with a clear error for a wrong passphrase or key, a damaged file, another kind of file or
//!   a newer version.
//! - **Import** ([`Journal::import_document`](crate::Journal::import_document)): merge an
//!   export into a journal by id, in one transaction, idempotently.
//! - **Any file** ([`import_file`]): recognise a file by content (bundle, review, JSON, Day
//!   One, jrnl, iCalendar) and import it with the importer that reads it.
//! - **Linked calendars** ([`sync_calendars`]): calendar files the journal keeps current,
//!   imported again at each sync; a missing or broken file is a status, not an error.
//! - **Review** ([`ReviewSession`]): a coach reads an export read-only from memory, writes
//!   comments and sends them back encrypted to the leader, who imports them with
//!   [`Journal::import_review`](crate::Journal::import_review). A review must answer a bundle
//!   the journal recorded (its export id) and only adds comments.
//! - **Careful imports** ([`preview_file`]): what an import would do, per kind of record; an
//!   import that would change existing records waits for confirmation.
//!
//! The documents are versioned JSON with committed JSON Schemas in `docs/schema/`.

mod bundle;
mod document;
mod error;
mod export;
mod guard;
mod html;
mod import;
mod incoming;
mod initiatives;
mod linked;
#[cfg(test)]
mod linked_tests;
mod markdown;
mod packing;
mod pseudonym;
mod review;
mod select;
mod tables;
#[cfg(test)]
mod tests;
pub(crate) mod text;
#[cfg(test)]
mod withheld_tests;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use bundle::{check_public_key, inspect, open_bundle, open_file, Encryption, FileKind, Unlock};
pub use document::{
    ExportDocument, Opened, ReviewDocument, EXPORT_FORMAT, EXPORT_VERSION, REVIEW_FORMAT,
    REVIEW_VERSION,
};
pub use error::ExchangeError;
pub use export::{export, write_document, ExportFormat, ExportSummary};
pub use guard::{
    key_fingerprint, CoachNote, ImportPreview, PlannedChange, RecordKind, ReviewSource,
};
pub use import::{ImportSummary, RecordCounts, ReviewImportSummary};
pub use incoming::{
    default_calendar_window, describe, import_file, preview_file, ImportOutcome, IncomingKind,
    MAX_RECORDS,
};
pub use initiatives::{
    ExportedConcern, ExportedGuideline, ExportedInitiative, ExportedOutcome, ExportedStep,
    ReviewInitiative, ReviewInitiativeSummary,
};
pub use linked::{link_calendar, sync_calendar, sync_calendars, MAX_CALENDAR_BYTES};
pub use review::{ReviewPerson, ReviewSession, REVIEW_EXTENSION};
pub use text::write_private_file;

use crate::model::{Annotation, TouchpointKind};

/// What to export. Empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportOptions {
    /// Only entries at or after this time.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this time.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Only these people (and entries with at least one of them); everyone when empty.
    #[serde(default)]
    pub people: Vec<Uuid>,
    /// Only entries of these kinds; all kinds when empty.
    #[serde(default)]
    pub kinds: Vec<TouchpointKind>,
    /// Only entries with at least one of these tags; any when empty.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Replace people by labels ("Person A") everywhere, names in free text included.
    #[serde(default)]
    pub pseudonymise: bool,
}

/// How far a long export or import has come, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Progress {
    /// Units done so far.
    #[ts(type = "number")]
    pub done: u64,
    /// Units in all.
    #[ts(type = "number")]
    pub total: u64,
    /// What is being done: `reading` then `writing` for an export, `checking` then `writing`
    /// for an import.
    pub stage: String,
}

/// A coach's comment with the entry it belongs to, for Today's "new comments from your coach".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CoachComment {
    /// The comment.
    pub annotation: Annotation,
    /// When its review file was imported.
    pub imported_at: DateTime<Utc>,
    /// The entry commented on (or whose reflection was).
    pub touchpoint_id: Uuid,
    /// That entry's title.
    pub touchpoint_title: String,
    /// The review it came from (reviewer key and bundle), when known.
    pub source: Option<ReviewSource>,
}
