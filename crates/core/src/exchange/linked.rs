//! Linked calendar files kept current: each sync reads the file again and imports it as a calendar.
//!
//! A sync goes through the same calendar import as [`import_file`] (default window), so its
//! rules hold here too: importing the same file again changes nothing, meetings already
//! reflected on are never touched, a cancelled meeting's draft goes to the trash. A linked
//! path only ever imports a calendar: a file replaced by a bundle, a review or an export is
//! recorded as "not a calendar" and nothing of it is read further. A missing or broken file
//! is a status on its link, never an error that stops the other files.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{import_file, ExchangeError, ImportOutcome, Progress};
use crate::import::{detect, Detected};
use crate::vault::{CalendarStatus, ForeignImportSummary, LinkedCalendar};
use crate::{Error, Journal};

/// Largest calendar file a sync reads; a bigger one is refused, not truncated.
pub const MAX_CALENDAR_BYTES: u64 = 64 * 1024 * 1024;

/// What reading and importing one linked file came to, before it is recorded.
struct Outcome {
    status: CalendarStatus,
    message: String,
    summary: Option<ForeignImportSummary>,
}

impl Outcome {
    fn problem(status: CalendarStatus, message: impl Into<String>) -> Outcome {
        Outcome {
            status,
            message: message.into(),
            summary: None,
        }
    }
}

/// Links the calendar file at `path` and imports it at once.
///
/// Refused, changing nothing, when there is no file there or it is not an iCalendar file.
/// The link is kept even when its first import is refused (the status says why), so a file
/// fixed later is picked up by the next sync.
pub fn link_calendar(
    journal: &mut Journal,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<LinkedCalendar, ExchangeError> {
    let linked = journal.link_calendar(path, now)?;
    sync_calendar(journal, Path::new(&linked.path), now, &mut |_| {
        ControlFlow::Continue(())
    })
}

/// Reads the linked file at `path` and imports its meetings, recording what it found.
///
/// A missing, unreadable or foreign file, or one the import refuses, is recorded as such on
/// the link and answered as `Ok` (the journal is otherwise unchanged). Errors are kept for a
/// path that is not linked, a `Break` from `progress` ([`ExchangeError::Cancelled`]: nothing
/// is changed or recorded) and a journal that cannot be written.
pub fn sync_calendar(
    journal: &mut Journal,
    path: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<LinkedCalendar, ExchangeError> {
    let key = journal.linked_key(path)?;
    let outcome = match read_calendar(Path::new(&key)) {
        Err(problem) => *problem,
        Ok(bytes) => match import_file(journal, &bytes, None, None, now, false, progress) {
            Ok(ImportOutcome::Calendar(summary)) => Outcome {
                status: CalendarStatus::Ok,
                message: String::new(),
                summary: Some(summary),
            },
            // Never reached: the bytes were checked to be a calendar; kept as a refusal so a
            // linked path can never import anything else without saying so.
            Ok(_) => Outcome::problem(CalendarStatus::NotCalendar, "not an iCalendar file"),
            Err(ExchangeError::Cancelled) => return Err(ExchangeError::Cancelled),
            Err(ExchangeError::Journal(e)) if !matches!(e, Error::InvalidInput(_)) => {
                return Err(ExchangeError::Journal(e))
            }
            Err(e) => Outcome::problem(CalendarStatus::Refused, e.to_string()),
        },
    };
    journal.record_calendar_sync(
        &key,
        now,
        outcome.status,
        &outcome.message,
        outcome.summary.as_ref(),
    )?;
    Ok(journal
        .linked_calendar(&key)?
        .ok_or_else(|| Error::NotFound(format!("no calendar file is linked at {key}")))?)
}

/// Syncs every linked calendar file, one after the other; one file's trouble is recorded on
/// its link and the others are synced all the same. Answers the links as they are after.
pub fn sync_calendars(
    journal: &mut Journal,
    now: DateTime<Utc>,
) -> Result<Vec<LinkedCalendar>, ExchangeError> {
    for linked in journal.linked_calendars()? {
        sync_calendar(journal, Path::new(&linked.path), now, &mut |_| {
            ControlFlow::Continue(())
        })?;
    }
    Ok(journal.linked_calendars()?)
}

/// The bytes of the calendar file at `path`, or why there is none to import.
fn read_calendar(path: &Path) -> Result<Vec<u8>, Box<Outcome>> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => boxed(
            CalendarStatus::Missing,
            format!("there is no file at {} any more", path.display()),
        ),
        _ => boxed(
            CalendarStatus::Unreadable,
            format!("cannot read {}: {e}", path.display()),
        ),
    })?;
    let unreadable = |e: std::io::Error| {
        boxed(
            CalendarStatus::Unreadable,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(boxed(
            CalendarStatus::Unreadable,
            format!("{} is not a file", path.display()),
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CALENDAR_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_CALENDAR_BYTES {
        return Err(boxed(
            CalendarStatus::Refused,
            format!(
                "the file is larger than {} MiB; nothing was imported",
                MAX_CALENDAR_BYTES / (1024 * 1024)
            ),
        ));
    }
    if detect(&bytes) != Detected::Ics {
        return Err(boxed(
            CalendarStatus::NotCalendar,
            "the file is no longer an iCalendar (.ics) file; nothing of it was imported",
        ));
    }
    Ok(bytes)
}

fn boxed(status: CalendarStatus, message: impl Into<String>) -> Box<Outcome> {
    Box::new(Outcome::problem(status, message))
}
