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

use super::bundle::open_sealed;
use super::guard::ReviewPlan;
use super::import::ExportPlan;
use super::{
    inspect, ExchangeError, FileKind, ImportPreview, ImportSummary, Opened, Progress,
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

/// What `bytes` would do to `journal` if imported, computed by the same plan an import
/// makes and changing nothing: new, changed and unchanged records per kind and the records
/// that would change. Refusals (a forged or unknown review, a damaged file) come here too.
pub fn preview_file(
    journal: &Journal,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ImportPreview, ExchangeError> {
    watching(progress, |progress| {
        Ok(prepare(journal, bytes, passphrase, window, now, progress)?.preview())
    })
}

/// Imports `bytes` into `journal`, whatever Touchpoint file or foreign export they hold.
///
/// `passphrase` opens a passphrase bundle; `window` picks the calendar events to import (the
/// default window when `None`). The plan of [`preview_file`] is made, then written in one
/// transaction: a failure, or a `Break` from `progress`, changes nothing (the latter answers
/// [`ExchangeError::Cancelled`]). An export that would change records already in the journal
/// is written only when `confirmed`; otherwise it answers [`ExchangeError::NeedsConfirmation`]
/// with the preview. Reviews only add comments, imports that only add records and calendar
/// files updating their own drafts need no confirmation.
pub fn import_file(
    journal: &mut Journal,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
    confirmed: bool,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ImportOutcome, ExchangeError> {
    watching(progress, |progress| {
        let prepared = prepare(journal, bytes, passphrase, window, now, progress)?;
        Ok(match prepared {
            Prepared::Export(plan, kind) => {
                if plan.changes_records() && !confirmed {
                    return Err(ExchangeError::NeedsConfirmation(Box::new(
                        plan.preview(kind),
                    )));
                }
                ImportOutcome::Export(journal.apply_export(plan, progress)?)
            }
            Prepared::Review(plan, _) => ImportOutcome::Review(journal.apply_review(plan, now)?),
            Prepared::Calendar(calendar) => {
                ImportOutcome::Calendar(journal.import_calendar_file(&calendar, progress)?)
            }
            Prepared::Entries(entries, source) => {
                ImportOutcome::Entries(journal.import_entries(&entries, source, progress)?)
            }
        })
    })
}

/// Runs `f`, answering [`ExchangeError::Cancelled`] for any failure after a `Break`.
fn watching<T>(
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    f: impl FnOnce(&mut dyn FnMut(Progress) -> ControlFlow<()>) -> Result<T, ExchangeError>,
) -> Result<T, ExchangeError> {
    let stopped = Cell::new(false);
    let mut watch = |p: Progress| {
        let flow = progress(p);
        if flow.is_break() {
            stopped.set(true);
        }
        flow
    };
    match f(&mut watch) {
        Err(_) if stopped.get() => Err(ExchangeError::Cancelled),
        other => other,
    }
}

/// A file read and checked against the journal, ready to be written.
enum Prepared {
    Export(ExportPlan, IncomingKind),
    Review(ReviewPlan, IncomingKind),
    Calendar(import::ParsedCalendar),
    Entries(Vec<import::ForeignEntry>, &'static str),
}

impl Prepared {
    fn preview(&self) -> ImportPreview {
        match self {
            Prepared::Export(plan, kind) => plan.preview(*kind),
            Prepared::Review(plan, kind) => plan.preview(*kind),
            Prepared::Calendar(calendar) => {
                let mut p = ImportPreview::new(IncomingKind::Calendar, "calendar");
                p.records = calendar.events.len() as u32;
                p.skipped_events = calendar.skipped.clone();
                p.notes = calendar.notes.clone();
                p
            }
            Prepared::Entries(entries, source) => {
                let kind = if *source == "dayone" {
                    IncomingKind::DayOne
                } else {
                    IncomingKind::Jrnl
                };
                let mut p = ImportPreview::new(kind, "entries");
                p.records = entries.len() as u32;
                p
            }
        }
    }
}

fn prepare(
    journal: &Journal,
    bytes: &[u8],
    passphrase: Option<&Passphrase>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<Prepared, ExchangeError> {
    Ok(match describe(bytes)? {
        kind @ (IncomingKind::PassphraseBundle
        | IncomingKind::KeyBundle
        | IncomingKind::TouchpointJson) => {
            let sealed = if kind == IncomingKind::PassphraseBundle {
                let pass = passphrase.ok_or(ExchangeError::NeedsPassphrase)?;
                open_sealed(bytes, Unlock::Passphrase(pass))?
            } else {
                open_sealed(bytes, Unlock::Identity(journal))?
            };
            match sealed.opened {
                Opened::Export(doc) => Prepared::Export(journal.plan_export(&doc, progress)?, kind),
                Opened::Review(review) => {
                    // Only a review sent to this journal's key counts as encrypted: one
                    // behind a passphrase could come from anyone who was told it.
                    let to_key = sealed.encrypted && kind == IncomingKind::KeyBundle;
                    Prepared::Review(journal.plan_review(&review, to_key)?, kind)
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
            Prepared::Calendar(import::parse_ics(bytes, (from, to), MAX_RECORDS).map_err(invalid)?)
        }
        IncomingKind::DayOne => {
            let entries = if bytes.starts_with(b"PK\x03\x04") {
                import::parse_dayone_zip(bytes, MAX_RECORDS)
            } else {
                import::parse_dayone_json(bytes, MAX_RECORDS)
            }
            .map_err(invalid)?;
            Prepared::Entries(entries, "dayone")
        }
        IncomingKind::Jrnl => Prepared::Entries(
            import::parse_jrnl_json(bytes, MAX_RECORDS).map_err(invalid)?,
            "jrnl",
        ),
    })
}

fn invalid(e: ImportError) -> ExchangeError {
    ExchangeError::Journal(Error::InvalidInput(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::CalendarNotice;

    fn go(_: Progress) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    #[test]
    fn a_calendar_with_odd_events_imports_the_rest_and_lists_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pass = Passphrase::new("incoming calendar test".into());
        let (mut journal, _code) = Journal::init(&dir.path().join("journal"), &pass).expect("init");
        let bytes = include_bytes!("../import/testdata/calendars/broken.ics");
        let utc = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("time")
                .with_timezone(&Utc)
        };
        let window = Some((utc("2024-05-01T00:00:00Z"), utc("2024-07-01T00:00:00Z")));
        let preview =
            preview_file(&journal, bytes, None, window, Utc::now(), &mut go).expect("preview");
        assert_eq!(preview.records, 4);
        assert_eq!(preview.skipped_events.len(), 6);
        assert_eq!(preview.notes.len(), 1);
        let summary = match import_file(
            &mut journal,
            bytes,
            None,
            window,
            Utc::now(),
            false,
            &mut go,
        )
        .expect("import")
        {
            ImportOutcome::Calendar(s) => s,
            other => panic!("a calendar, not {other:?}"),
        };
        assert_eq!(summary.added, 4);
        assert_eq!(
            summary
                .skipped_events
                .iter()
                .map(|n| (n.line, n.summary.as_str()))
                .collect::<Vec<_>>(),
            [
                (10, "Team sync"),
                (15, "Thirteenth month"),
                (21, "Never ever"),
                (27, "Leap day plus one"),
                (38, "Lost its end"),
                (47, "Folded badly"),
            ]
        );
        assert_eq!(summary.skipped_events[0].reason, "no start time");
        assert_eq!(summary.notes.len(), 1);
        assert_eq!(summary.notes[0].line, 32);
        // Again: nothing new, the same lists (the file has not changed).
        let again = match import_file(
            &mut journal,
            bytes,
            None,
            window,
            Utc::now(),
            false,
            &mut go,
        )
        .expect("again")
        {
            ImportOutcome::Calendar(s) => s,
            other => panic!("a calendar, not {other:?}"),
        };
        assert_eq!((again.added, again.unchanged), (0, 4));
        assert_eq!(again.skipped_events, summary.skipped_events);
        let json = serde_json::to_value(&again).expect("json");
        let first: CalendarNotice =
            serde_json::from_value(json["skipped_events"][0].clone()).expect("notice");
        assert_eq!(first.line, 10);
        assert_eq!(json["notes"][0]["summary"], "Rover check-in");
    }

    #[test]
    fn a_cut_off_calendar_is_refused_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pass = Passphrase::new("incoming calendar test".into());
        let (mut journal, _code) = Journal::init(&dir.path().join("journal"), &pass).expect("init");
        let bytes = include_bytes!("../import/testdata/calendars/cut-off.ics");
        let err = import_file(&mut journal, bytes, None, None, Utc::now(), false, &mut go)
            .expect_err("refused");
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
