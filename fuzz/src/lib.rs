//! What the fuzz targets share: the fixed test key, the import limits and the checks run on
//! whatever a parser accepts.
//!
//! Every target feeds its input to the same pure parser the journal's import uses, so a run
//! needs no journal, no database and no key derivation. A panic, an overflow (debug
//! assertions are on) or a failed check below is a crash that libFuzzer saves and reports.

use std::io::Write;
use std::str::FromStr;

use chrono::{DateTime, TimeZone, Utc};
use touchpoint_core::exchange::{ExchangeError, Opened, ReviewSession};
use touchpoint_core::import::{guess_kind, CalendarEvent, ForeignEntry};

/// A test-only age identity, never a real journal's key: the encrypted seeds in
/// `fuzz/corpus/bundle` are sent to its public key, so the fuzzer reaches past the
/// decryption into the document parser. (Derived from a fixed phrase, see docs/RELIABILITY.md.)
pub const TEST_IDENTITY: &str =
    "AGE-SECRET-KEY-1WJSQ4ZZUG4ZCZPA4XCH8MEWQ22E35R5YVZC53EAQNNUXRN0LNR2Q8RLHL9";

/// The test identity's public key: the seeds are encrypted to it.
pub const TEST_PUBLIC_KEY: &str = "age1mf5c0x9l7dffekkd9rhawd3w3u5ysx256p50xl90lmqdj5day9ys75pldv";

/// The most events or entries one import takes, as in the journal's import
/// (`touchpoint_core::exchange::MAX_RECORDS`).
pub const MAX_RECORDS: usize = 200_000;

/// The test identity.
pub fn identity() -> age::x25519::Identity {
    let identity =
        age::x25519::Identity::from_str(TEST_IDENTITY).expect("the test identity parses");
    assert_eq!(
        identity.to_public().to_string(),
        TEST_PUBLIC_KEY,
        "the seeds are encrypted to this key"
    );
    identity
}

/// The calendar window the `.ics` seeds fall in: 2024 and 2025.
pub fn calendar_window() -> (DateTime<Utc>, DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    )
}

/// Encrypts `plain` to the test identity, as anyone holding its public key can.
pub fn encrypt_to_test_key(plain: &[u8]) -> Vec<u8> {
    let recipient = identity().to_public();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .expect("one recipient");
    let mut out = Vec::with_capacity(plain.len() + 256);
    let mut writer = encryptor.wrap_output(&mut out).expect("in memory");
    writer.write_all(plain).expect("in memory");
    writer.finish().expect("in memory");
    out
}

/// The documented promises of a calendar parse: capped, sorted by start, stable ids.
pub fn check_events(events: &[CalendarEvent], max: usize) {
    assert!(events.len() <= max, "more events than the cap");
    assert!(
        events.windows(2).all(|w| w[0].start <= w[1].start),
        "events not sorted by start"
    );
    for e in events {
        assert!(e.uid.starts_with("ics:"), "event id {:?}", e.uid);
        let _ = guess_kind(e.others(&[]).len());
    }
}

/// The documented promises of a journal-entry parse: capped, source-prefixed ids, tags unique.
pub fn check_entries(entries: &[ForeignEntry], max: usize, prefix: &str) {
    assert!(entries.len() <= max, "more entries than the cap");
    for e in entries {
        assert!(
            e.source_uid.starts_with(prefix),
            "entry id {:?}",
            e.source_uid
        );
        for (i, tag) in e.tags.iter().enumerate() {
            assert!(!e.tags[..i].contains(tag), "tag {tag:?} twice");
        }
    }
}

/// Uses an opened document the way review mode does: an export is checked and shown
/// (people with their balances, the timeline, each entry), a review is read as is.
pub fn use_opened(opened: &Result<Opened, ExchangeError>) {
    let Ok(Opened::Export(doc)) = opened else {
        return;
    };
    let session = ReviewSession::new((**doc).clone()).expect("an opened export passes its check");
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let _ = session.people(now);
    let _ = session.timeline(None);
    for t in &doc.touchpoints {
        let _ = session.touchpoint_detail(t.id);
    }
}
