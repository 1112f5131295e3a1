//! Calendars as real generators write them (and as hand edits break them), read end to end.
//!
//! The files in `testdata/calendars` were written for these tests in the style of each
//! generator: Outlook/Exchange (Windows and display-name zones), Google, Apple iCloud,
//! Thunderbird (`/mozilla.org/` zone paths), Fastmail (Cyrus), Nextcloud, and files broken
//! on purpose. Floating times are read in Berlin so that results do not depend on the machine.

use chrono::{DateTime, Utc};

use super::ics::{parse_ics_in, ParsedCalendar};
use super::tz::Zone;
use super::ImportError;
use crate::vault::CalendarNotice;

fn read(file: &str) -> Result<ParsedCalendar, ImportError> {
    read_in(file, "2024-05-01T00:00:00Z", "2024-07-01T00:00:00Z")
}

fn read_in(file: &str, from: &str, to: &str) -> Result<ParsedCalendar, ImportError> {
    let path = format!(
        "{}/src/import/testdata/calendars/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    parse_ics_in(
        &bytes,
        (utc(from), utc(to)),
        10_000,
        Zone::Named(chrono_tz::Europe::Berlin),
    )
}

/// Each occurrence as `instant (UTC) title`, flagged when all-day or cancelled; checks on the
/// way that no occurrence id comes twice.
fn table(parsed: &ParsedCalendar) -> Vec<String> {
    let mut ids = std::collections::HashSet::new();
    for e in &parsed.events {
        assert!(ids.insert(e.uid.as_str()), "{} twice", e.uid);
    }
    parsed
        .events
        .iter()
        .map(|e| {
            let mut row = format!(
                "{} {}",
                e.start.with_timezone(&Utc).format("%Y-%m-%dT%H:%MZ"),
                e.summary
            );
            if e.all_day {
                row.push_str(" (all day)");
            }
            if e.cancelled {
                row.push_str(" (cancelled)");
            }
            row
        })
        .collect()
}

fn notice(line: u32, summary: &str, reason: &str) -> CalendarNotice {
    CalendarNotice {
        line,
        summary: summary.into(),
        reason: reason.into(),
    }
}

/// A file that reads cleanly: nothing left out, nothing guessed.
fn clean(file: &str) -> Vec<String> {
    let parsed = read(file).unwrap();
    assert_eq!(parsed.skipped, [], "{file}");
    assert_eq!(parsed.notes, [], "{file}");
    table(&parsed)
}

#[test]
fn ics_outlook_windows_and_display_name_zones() {
    assert_eq!(
        clean("outlook.ics"),
        [
            "2024-05-06T08:00Z Weekly team sync",
            "2024-05-13T08:00Z Weekly team sync",
            // "(UTC+01:00) Amsterdam, Berlin, ...": Amsterdam, in summer time.
            "2024-05-15T12:00Z Budget review",
            "2024-05-19T22:00Z Whit Monday (all day)",
            // The override moved the 20 May occurrence to the 21st.
            "2024-05-21T08:00Z Weekly team sync",
            // "Eastern Time (US & Canada)": New York, EDT.
            "2024-05-22T13:00Z Call with the New York office",
            // "Customized Time Zone", defined in the file at +05:30.
            "2024-05-23T09:30Z India sync",
            "2024-05-27T08:00Z Weekly team sync",
            // "Western/Central Europe": Berlin.
            "2024-06-05T07:00Z Offsite planning",
            // 3 June is excluded; UNTIL includes 17 June.
            "2024-06-10T08:00Z Weekly team sync",
            // "GMT Standard Time": London, BST.
            "2024-06-12T14:00Z Quarterly review",
            "2024-06-17T08:00Z Weekly team sync",
            // "(UTC-08:00) Pacific Time (US & Canada)": Los Angeles, PDT.
            "2024-06-18T15:00Z Vendor call",
        ]
    );
    let parsed = read("outlook.ics").unwrap();
    let sync = &parsed.events[0];
    assert_eq!(
        sync.attendees
            .iter()
            .filter_map(|a| a.email.as_deref())
            .collect::<Vec<_>>(),
        [
            "lea.leader@example.com",
            "ana.ruiz@example.com",
            "tom.kim@example.com"
        ],
        "the room is left out"
    );
    assert_eq!(sync.end.unwrap().to_rfc3339(), "2024-05-06T11:00:00+02:00");
}

#[test]
fn ics_google_with_a_cancelled_occurrence() {
    assert_eq!(
        clean("google.ics"),
        [
            "2024-05-07T07:30Z Ana / Lea",
            "2024-05-14T07:30Z Ana / Lea (cancelled)",
            "2024-05-16T13:00Z Design review",
            "2024-05-21T07:30Z Ana / Lea",
            "2024-05-28T07:30Z Ana / Lea",
            "2024-06-04T07:30Z Ana / Lea",
            "2024-06-10T22:00Z Leadership conference (all day)",
        ]
    );
}

#[test]
fn ics_apple_icloud_mixed_zones_and_floating_time() {
    assert_eq!(
        clean("icloud.ics"),
        [
            "2024-05-02T15:00Z Mentoring Jo",
            "2024-05-07T08:00Z Flight to New York",
            "2024-05-08T12:00Z Breakfast with Tom",
            // Floating: read in the leader's zone (Berlin here).
            "2024-05-10T16:30Z Yoga",
            "2024-06-06T15:00Z Mentoring Jo",
        ]
    );
    let parsed = read("icloud.ics").unwrap();
    let flight = &parsed.events[1];
    // It ends in New York's zone: 13:30 EDT.
    assert_eq!(
        flight.end.unwrap().with_timezone(&Utc).to_rfc3339(),
        "2024-05-07T17:30:00+00:00"
    );
}

#[test]
fn ics_thunderbird_mozilla_zone_paths() {
    assert_eq!(
        clean("thunderbird.ics"),
        [
            "2024-05-13T12:00Z Sprint planning",
            "2024-05-27T12:00Z Sprint planning",
            "2024-05-31T22:00Z Reading day (all day)",
            "2024-06-10T12:00Z Sprint planning",
            "2024-06-14T15:00Z Retro with the London team",
            "2024-06-24T12:00Z Sprint planning",
        ]
    );
}

#[test]
fn ics_fastmail_southern_zone_durations_and_rdates() {
    assert_eq!(
        clean("fastmail.ics"),
        [
            "2024-05-07T09:00Z Board meeting",
            "2024-05-20T10:00Z Coffee with Priya",
            "2024-06-02T23:00Z Sydney stand-up",
            "2024-06-03T23:00Z Sydney stand-up",
            "2024-06-04T09:00Z Board meeting",
            "2024-06-04T23:00Z Sydney stand-up",
        ]
    );
}

#[test]
fn ics_nextcloud_exdate_until_and_a_newer_copy() {
    assert_eq!(
        clean("nextcloud.ics"),
        [
            "2024-05-02T10:00Z Team lunch",
            // Of two copies of one event, the higher SEQUENCE.
            "2024-05-15T14:00Z Planning (updated)",
            "2024-05-16T10:00Z Team lunch",
            "2024-05-23T10:00Z Team lunch",
            "2024-05-30T10:00Z Team lunch",
            "2024-06-20T08:00Z Release go/no-go",
        ]
    );
}

#[test]
fn ics_broken_events_are_left_out_and_the_rest_imported() {
    let parsed = read("broken.ics").unwrap();
    assert_eq!(
        table(&parsed),
        [
            "2024-05-03T08:00Z First good one",
            // Unknown zone: read in the leader's zone (Berlin here), with a note.
            "2024-05-10T07:00Z Rover check-in",
            // The event after one without END:VEVENT.
            "2024-05-13T09:00Z Right after",
            "2024-05-15T08:00Z Last good one",
        ]
    );
    assert_eq!(
        parsed.skipped,
        [
            notice(10, "Team sync", "no start time"),
            notice(
                15,
                "Thirteenth month",
                "its repeat rule (line 18) cannot be read: RRULE BYMONTH value 13 is out of range"
            ),
            notice(
                21,
                "Never ever",
                "its repeat rule (line 24) cannot be read: unknown RRULE frequency \"NEVERLY\""
            ),
            notice(
                27,
                "Leap day plus one",
                "its start \"20240230T090000Z\" (line 29) is not a date or a time"
            ),
            notice(
                38,
                "Lost its end",
                "END:VEVENT is missing (the next component begins or ends at line 42)"
            ),
            notice(
                47,
                "Folded badly",
                "line 51: expected a property such as SUMMARY:text, found \"and this line lost its leading space\" (a broken or unfolded line?)"
            ),
        ]
    );
    assert_eq!(
        parsed.notes,
        [notice(
            32,
            "Rover check-in",
            "time zone \"Mars/Olympus_Mons\" is unknown; its times were read in your own time zone"
        )]
    );
    // Outside the window: the unreadable events are still listed, the note is not (its
    // event is not imported).
    let earlier = read_in("broken.ics", "2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z").unwrap();
    assert_eq!(earlier.events, []);
    assert_eq!(earlier.skipped, parsed.skipped);
    assert_eq!(earlier.notes, []);
}

#[test]
fn ics_broken_overrides_and_rules_neither_drop_nor_duplicate_silently() {
    let parsed = read("broken-series.ics").unwrap();
    assert_eq!(
        table(&parsed),
        [
            "2024-05-06T08:00Z Weekly 1:1",
            // Series b's rule is broken: the series is left out, its moved occurrence is
            // imported once, as itself.
            "2024-05-14T13:00Z Broken series (moved)",
            // 13 May: changed by an override that cannot be read, so neither the change
            // nor the original slot is imported (listed below), never the old time.
            "2024-05-21T09:00Z Weekly 1:1 (moved too)",
            "2024-05-27T08:00Z Weekly 1:1",
        ]
    );
    assert_eq!(
        parsed.events[1].uid, "ics:series-b:2024-05-14T09:00:00Z",
        "the id of the slot it replaces, as when the series is readable"
    );
    assert_eq!(
        parsed.skipped,
        [
            notice(
                11,
                "Weekly 1:1 (moved)",
                "its end \"20240514T25000\" (line 15) is not a date or a time; the occurrence of the series it changes is left out too"
            ),
            notice(
                25,
                "Broken series",
                "its repeat rule (line 29) cannot be read: RRULE BYDAY value \"XX\" is not a weekday"
            ),
        ]
    );
}

#[test]
fn ics_a_cut_off_file_is_refused_whole() {
    let err = read("cut-off.ics").unwrap_err();
    assert!(matches!(err, ImportError::Ics { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("the file ends inside BEGIN:VEVENT of line 60 (missing END:VEVENT); the file may be truncated"),
        "{text}"
    );
}

mod total {
    use proptest::prelude::*;

    use super::*;

    const FILES: [&str; 8] = [
        "outlook.ics",
        "google.ics",
        "icloud.ics",
        "thunderbird.ics",
        "fastmail.ics",
        "nextcloud.ics",
        "broken.ics",
        "broken-series.ics",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any edit of any sample gives events, a refusal or a list of events left out,
        /// never a panic; what is left out or noted always names a line of the file.
        #[test]
        fn ics_samples_edited_anywhere_never_panic(
            which in 0usize..FILES.len(),
            edits in proptest::collection::vec((any::<usize>(), 0u8..3, prop_oneof![
                Just(b':'), Just(b';'), Just(b'"'), Just(b','), Just(b'\n'), Just(b' '),
                Just(b'0'), Just(b'T'), Just(b'Z'), Just(b'='), any::<u8>()
            ]), 1..6),
        ) {
            let path = format!(
                "{}/src/import/testdata/calendars/{}",
                env!("CARGO_MANIFEST_DIR"),
                FILES[which]
            );
            let mut bytes = std::fs::read(path).unwrap();
            for (pos, op, byte) in edits {
                let at = pos % bytes.len().max(1);
                match op {
                    0 if !bytes.is_empty() => bytes[at] = byte,
                    1 if !bytes.is_empty() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at.min(bytes.len()), byte),
                }
            }
            let lines = bytes.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
            let window = (utc("2024-05-01T00:00:00Z"), utc("2024-07-01T00:00:00Z"));
            if let Ok(parsed) = parse_ics_in(&bytes, window, 10_000, Zone::Named(chrono_tz::Europe::Berlin)) {
                for n in parsed.skipped.iter().chain(&parsed.notes) {
                    prop_assert!(n.line >= 1 && n.line <= lines, "{n:?}");
                    prop_assert!(!n.reason.is_empty());
                }
            }
        }
    }
}
