//! Pure parsers for what a leader brings in from elsewhere: other journals and calendars.
//!
//! Nothing here touches the journal: each parser turns bytes into plain records
//! ([`ForeignEntry`] for journal entries, [`CalendarEvent`] for calendar events) or an
//! [`ImportError`] a user can act on. Writing them into the journal, matching attendees to
//! people and skipping what an earlier import already brought in is the vault's job; the
//! stable ids ([`ForeignEntry::source_uid`], [`CalendarEvent::uid`]) are what make
//! re-importing the same file change nothing.
//!
//! Every parser is total: malformed, truncated or hostile input gives an error, never a
//! panic, and the work done is bounded by the input size and the caps passed in.

mod dayone;
mod detect;
mod ics;
#[cfg(test)]
mod ics_samples;
mod jrnl;
mod recur;
mod tz;

use chrono::{DateTime, FixedOffset};

use crate::model::TouchpointKind;

pub use dayone::{parse_dayone_json, parse_dayone_zip};
pub use detect::{detect, Detected};
pub use ics::{parse_ics, ParsedCalendar};
pub use jrnl::parse_jrnl_json;

/// An entry of another journal (Day One, jrnl), ready to become a touchpoint of kind `other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignEntry {
    /// Stable id of the entry in its source, so that importing twice changes nothing:
    /// `dayone:<uuid>` or `jrnl:<sha256 of date, time and title>`.
    pub source_uid: String,
    /// When the entry was written, in the offset it was written in when the source knows it.
    pub occurred_at: DateTime<FixedOffset>,
    /// Title: the first line of a Day One entry, the title of a jrnl entry.
    pub title: String,
    /// The rest of the text (Markdown), without the title line.
    pub text: String,
    /// Tags, without jrnl's `@` and without duplicates, in source order.
    pub tags: Vec<String>,
    /// Starred (Day One) or starred (jrnl) in the source.
    pub starred: bool,
}

/// One occurrence of a calendar event that overlaps the import window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable id of this occurrence: `ics:<UID>` for a single event,
    /// `ics:<UID>:<original start>` for an occurrence of a recurring event (the original
    /// start in UTC as `2024-05-06T07:00:00Z`, or `2024-05-06` for all-day events). A moved
    /// occurrence keeps the id of the slot it replaces, so re-importing never duplicates.
    pub uid: String,
    /// The event's title (`SUMMARY`), unescaped.
    pub summary: String,
    /// The event's description (`DESCRIPTION`), unescaped.
    pub description: String,
    /// When it starts, in the offset of its time zone at that moment (DST honoured).
    /// All-day events start at midnight, machine local time.
    pub start: DateTime<FixedOffset>,
    /// When it ends (`DTEND`, or `DTSTART` + `DURATION`); absent when the file gives neither
    /// for a timed event.
    pub end: Option<DateTime<FixedOffset>>,
    /// Whether it is an all-day event (`VALUE=DATE`).
    pub all_day: bool,
    /// Attendees and the organizer (flagged), one per address, rooms, resources and
    /// attendees who declined left out.
    pub attendees: Vec<Attendee>,
    /// The event or this occurrence is `STATUS:CANCELLED`. Such events are returned so that
    /// a re-import can drop a draft created before the cancellation; they must not become
    /// new drafts.
    pub cancelled: bool,
}

impl CalendarEvent {
    /// The attendees other than the leader, whose addresses are given (compared
    /// case-insensitively). With no address known, the organizer counts as the leader,
    /// as it is the leader's own calendar in most cases.
    pub fn others<'a>(&'a self, my_emails: &[String]) -> Vec<&'a Attendee> {
        let is_me = |a: &Attendee| match &a.email {
            Some(e) if !my_emails.is_empty() => my_emails.iter().any(|m| m.eq_ignore_ascii_case(e)),
            _ => my_emails.is_empty() && a.organizer,
        };
        self.attendees.iter().filter(|a| !is_me(a)).collect()
    }
}

/// Someone invited to a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Email address, lowercased, from a `mailto:` value.
    pub email: Option<String>,
    /// Display name (`CN`).
    pub name: Option<String>,
    /// Whether this is the event's organizer.
    pub organizer: bool,
}

/// The kind of touchpoint a calendar event most likely is, from the number of attendees
/// other than the leader: one person is a one-on-one, two or more a team meeting, nobody
/// (a reminder, a focus block) something else.
pub fn guess_kind(attendee_count_excluding_me: usize) -> TouchpointKind {
    match attendee_count_excluding_me {
        0 => TouchpointKind::Other,
        1 => TouchpointKind::OneOnOne,
        _ => TouchpointKind::TeamMeeting,
    }
}

/// Why a file could not be imported. Every message says where (line, entry) and what was
/// wrong, so that the user can fix the file or pick another.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is not of the expected format at all.
    #[error("this file is not {expected}: {detail}")]
    WrongFormat {
        /// What was expected, for example "an iCalendar (.ics) file".
        expected: &'static str,
        /// What was found instead.
        detail: String,
    },
    /// A line of an `.ics` file is malformed.
    #[error("calendar line {line}: {message}")]
    Ics {
        /// Line number (1-based) in the file as given, folded lines counted.
        line: usize,
        /// What is wrong there.
        message: String,
    },
    /// An `.ics` file holds more events in the window than allowed.
    #[error(
        "the calendar has more than {max} events in the chosen period; choose a shorter period"
    )]
    TooManyEvents {
        /// The cap.
        max: usize,
    },
    /// Recurrences too costly to expand (rules from far in the past with huge counts). The
    /// calendar import leaves such an event out and lists it rather than failing with this.
    #[error("calendar line {line}: the recurring event {summary:?} repeats too often to expand; choose a shorter period or remove the event")]
    RecurrenceTooLarge {
        /// Line of the event's `RRULE`.
        line: usize,
        /// The event's title.
        summary: String,
    },
    /// A journal export holds more entries than allowed.
    #[error("the journal has more than {max} entries, more than can be imported at once")]
    TooManyEntries {
        /// The cap.
        max: usize,
    },
    /// The zip archive is damaged or not a zip archive.
    #[error("the zip archive is damaged or unreadable: {0}")]
    Zip(String),
    /// The archive would unpack to more than is plausible for a journal (a zip bomb).
    #[error(
        "the zip archive unpacks to more than {limit_mb} MB, more than a journal export holds"
    )]
    ZipTooLarge {
        /// The cap, in megabytes.
        limit_mb: u64,
    },
    /// One entry of a journal export is unusable.
    #[error("{source_name} entry {index}: {message}")]
    Entry {
        /// Which export, for example "Day One" or "jrnl".
        source_name: &'static str,
        /// Position of the entry (1-based) in the export.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
}

impl ImportError {
    pub(crate) fn ics(line: usize, message: impl Into<String>) -> Self {
        ImportError::Ics {
            line,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_is_guessed_from_the_attendee_count() {
        assert_eq!(guess_kind(0), TouchpointKind::Other);
        assert_eq!(guess_kind(1), TouchpointKind::OneOnOne);
        assert_eq!(guess_kind(2), TouchpointKind::TeamMeeting);
        assert_eq!(guess_kind(40), TouchpointKind::TeamMeeting);
    }

    #[test]
    fn others_leave_out_the_leader() {
        let person = |email: &str, organizer| Attendee {
            email: Some(email.into()),
            name: None,
            organizer,
        };
        let event = CalendarEvent {
            uid: "ics:x".into(),
            summary: String::new(),
            description: String::new(),
            start: DateTime::parse_from_rfc3339("2024-05-01T09:00:00+02:00").unwrap(),
            end: None,
            all_day: false,
            attendees: vec![
                person("me@example.com", true),
                person("ana@example.com", false),
            ],
            cancelled: false,
        };
        assert_eq!(event.others(&["ME@example.com".into()]).len(), 1);
        assert_eq!(
            event.others(&[]).len(),
            1,
            "the organizer stands for the leader"
        );
        assert_eq!(event.others(&["x@example.com".into()]).len(), 2);
    }

    #[test]
    fn errors_read_well() {
        let e = ImportError::ics(12, "BEGIN without a component name");
        assert_eq!(
            e.to_string(),
            "calendar line 12: BEGIN without a component name"
        );
        assert_eq!(
            ImportError::TooManyEvents { max: 10 }.to_string(),
            "the calendar has more than 10 events in the chosen period; choose a shorter period"
        );
    }
}
