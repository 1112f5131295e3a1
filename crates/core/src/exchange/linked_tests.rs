//! Tests of linked calendar files: linking, syncing again and again, and files that go wrong.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use super::{link_calendar, sync_calendar, sync_calendars, ExchangeError};
use crate::secret::Passphrase;
use crate::vault::CalendarStatus;
use crate::{Error, Journal};

fn fresh() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pass = Passphrase::new("linked calendar passphrase".into());
    let (j, _code) = Journal::init(&dir.path().join("journal"), &pass).expect("init");
    (dir, j)
}

/// One event: uid, start, title, cancelled.
struct Ev<'a>(&'a str, DateTime<Utc>, &'a str, bool);

fn ics(events: &[Ev<'_>]) -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
    for Ev(uid, start, title, cancelled) in events {
        let fmt = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:{title}\r\n\
             ORGANIZER;CN=Lea:mailto:lea@example.com\r\nATTENDEE;CN=Ana:mailto:ana@example.com\r\n",
            fmt(*start),
            fmt(*start),
            fmt(*start + Duration::minutes(30)),
        ));
        if *cancelled {
            s.push_str("STATUS:CANCELLED\r\n");
        }
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write calendar");
}

/// Writes like a sync tool: a new file renamed over the old one.
fn replace(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

/// (title, start in ms, trashed) of every imported touchpoint, by source.
fn drafts(j: &Journal) -> Vec<(String, String, i64, bool)> {
    let mut stmt = j
        .conn()
        .prepare(
            "SELECT source, title, occurred_ms, deleted_at IS NOT NULL FROM touchpoints
             WHERE source <> 'manual' ORDER BY source",
        )
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn now() -> DateTime<Utc> {
    // Whole seconds, as the file keeps them.
    DateTime::from_timestamp(Utc::now().timestamp(), 0).expect("now")
}

fn calendar(dir: &tempfile::TempDir, name: &str, events: &[Ev<'_>]) -> PathBuf {
    let path = dir.path().join(name);
    write(&path, &ics(events));
    path
}

#[test]
fn link_unlink_and_list() {
    let (dir, mut j) = fresh();
    let t = now();
    let a = calendar(&dir, "work.ics", &[Ev("a@x", t, "Ana 1:1", false)]);
    let b = calendar(&dir, "team.ics", &[]);
    assert!(j.linked_calendars().expect("list").is_empty());

    let linked = j.link_calendar(&a, t).expect("link a");
    assert_eq!(linked.status, CalendarStatus::Pending);
    assert_eq!(linked.synced_at, None);
    assert!(Path::new(&linked.path).is_absolute());
    // Linking again, even by a relative path through `..`, is the same link.
    let again = dir.path().join("sub").join("..").join("work.ics");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    assert_eq!(j.link_calendar(&again, t).expect("again"), linked);
    j.link_calendar(&b, t).expect("link b");
    let paths: Vec<String> = j
        .linked_calendars()
        .expect("list")
        .into_iter()
        .map(|l| l.path)
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("team.ics") && paths[1].ends_with("work.ics"));

    j.unlink_calendar(&a).expect("unlink");
    assert_eq!(j.linked_calendars().expect("list").len(), 1);
    assert!(matches!(j.unlink_calendar(&a), Err(Error::NotFound(_))));
    // A file gone since it was linked can still be unlinked by its path.
    std::fs::remove_file(&b).expect("remove");
    j.unlink_calendar(&b).expect("unlink a missing file");
    assert!(j.linked_calendars().expect("list").is_empty());
}

#[test]
fn linking_refuses_what_is_not_a_calendar_file() {
    let (dir, mut j) = fresh();
    let t = now();
    let missing = dir.path().join("nowhere.ics");
    assert!(matches!(
        j.link_calendar(&missing, t),
        Err(Error::NotFound(m)) if m.contains("no file")
    ));
    let json = dir.path().join("export.json");
    write(&json, r#"{"format": "touchpoint-export", "version": 1}"#);
    let bundle = dir.path().join("bundle.ics");
    write(&bundle, "age-encryption.org/v1\n-> X25519 abc\n");
    for path in [&json, &bundle] {
        match j.link_calendar(path, t) {
            Err(Error::InvalidInput(m)) => assert!(m.contains("not an iCalendar"), "{m}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert!(matches!(
        j.link_calendar(dir.path(), t),
        Err(Error::InvalidInput(m)) if m.contains("not a file")
    ));
    assert!(j.linked_calendars().expect("list").is_empty());
}

#[test]
fn link_imports_and_syncing_twice_changes_nothing() {
    let (dir, mut j) = fresh();
    let t = now();
    let path = calendar(
        &dir,
        "work.ics",
        &[
            Ev("a@x", t - Duration::hours(2), "Ana 1:1", false),
            Ev("b@x", t + Duration::days(1), "Team sync", false),
        ],
    );
    let linked = link_calendar(&mut j, &path, t).expect("link");
    assert_eq!(linked.status, CalendarStatus::Ok);
    assert_eq!(linked.synced_at, Some(t));
    assert_eq!(linked.last_import.as_ref().expect("import").added, 2);
    let before = drafts(&j);
    assert_eq!(before.len(), 2);

    let later = t + Duration::minutes(5);
    let all = sync_calendars(&mut j, later).expect("sync");
    assert_eq!(all.len(), 1);
    let s = all[0].last_import.as_ref().expect("import");
    assert_eq!((s.added, s.updated, s.unchanged, s.removed), (0, 0, 2, 0));
    assert_eq!(all[0].synced_at, Some(later));
    assert_eq!(drafts(&j), before);
}

#[test]
fn a_changed_file_adds_moves_and_cancels_per_the_importer() {
    let (dir, mut j) = fresh();
    let t = now();
    let start = t + Duration::hours(3);
    let path = calendar(
        &dir,
        "work.ics",
        &[
            Ev("a@x", start, "Ana 1:1", false),
            Ev("b@x", start + Duration::hours(1), "Budget", false),
        ],
    );
    link_calendar(&mut j, &path, t).expect("link");
    replace(
        &path,
        &ics(&[
            Ev("a@x", start + Duration::hours(2), "Ana 1:1 (moved)", false),
            Ev("b@x", start + Duration::hours(1), "Budget", true),
            Ev("c@x", start + Duration::days(1), "New: Marco", false),
        ]),
    );
    let linked = sync_calendar(&mut j, &path, t, &mut |_| ControlFlow::Continue(())).expect("sync");
    let s = linked.last_import.expect("import");
    assert_eq!((s.added, s.updated, s.removed), (1, 1, 1));
    let d = drafts(&j);
    assert_eq!(d[0].0, "ics:a@x");
    assert_eq!(d[0].1, "Ana 1:1 (moved)");
    assert_eq!(d[0].2, (start + Duration::hours(2)).timestamp_millis());
    assert!(!d[0].3);
    assert!(d[1].3, "the cancelled meeting's draft is in the trash");
    assert_eq!((d[2].1.as_str(), d[2].3), ("New: Marco", false));
}

#[test]
fn a_missing_file_is_a_status_and_the_others_still_sync() {
    let (dir, mut j) = fresh();
    let t = now();
    let gone = calendar(&dir, "gone.ics", &[Ev("a@x", t, "Ana 1:1", false)]);
    let kept = calendar(&dir, "kept.ics", &[Ev("b@x", t, "Budget", false)]);
    link_calendar(&mut j, &gone, t).expect("link");
    link_calendar(&mut j, &kept, t).expect("link");
    std::fs::remove_file(&gone).expect("remove");
    replace(
        &kept,
        &ics(&[
            Ev("b@x", t, "Budget", false),
            Ev("c@x", t + Duration::hours(1), "Later", false),
        ]),
    );
    let all = sync_calendars(&mut j, t + Duration::minutes(1)).expect("sync");
    let (g, k) = (&all[0], &all[1]);
    assert_eq!(g.status, CalendarStatus::Missing);
    assert!(g.status.is_problem());
    assert!(g.message.contains("no file"), "{}", g.message);
    // The last import's counts are kept for the leader to see.
    assert_eq!(g.last_import.as_ref().expect("kept").added, 1);
    assert_eq!(k.status, CalendarStatus::Ok);
    assert_eq!(k.last_import.as_ref().expect("import").added, 1);
    // The meetings of the missing file stay as they are.
    assert_eq!(drafts(&j).iter().filter(|d| !d.3).count(), 3);

    // Back in place, it syncs again.
    write(&gone, &ics(&[Ev("a@x", t, "Ana 1:1", false)]));
    let all = sync_calendars(&mut j, t + Duration::minutes(2)).expect("sync");
    assert_eq!(all[0].status, CalendarStatus::Ok);
    assert!(all[0].message.is_empty());
}

#[test]
fn a_file_replaced_by_something_else_imports_nothing() {
    let (dir, mut j) = fresh();
    let t = now();
    let path = calendar(&dir, "work.ics", &[Ev("a@x", t, "Ana 1:1", false)]);
    link_calendar(&mut j, &path, t).expect("link");
    let before = drafts(&j);
    // A Touchpoint JSON export, a jrnl export and garbage, dropped under the linked name.
    for foreign in [
        r#"{"format": "touchpoint-export", "version": 1, "touchpoints": []}"#,
        r#"{"tags": {}, "entries": [{"title": "x", "body": "", "date": "2024-01-01", "time": "09:00"}]}"#,
        "garbage",
    ] {
        replace(&path, foreign);
        let linked =
            sync_calendar(&mut j, &path, t, &mut |_| ControlFlow::Continue(())).expect("sync");
        assert_eq!(linked.status, CalendarStatus::NotCalendar);
        assert!(linked.message.contains("iCalendar"), "{}", linked.message);
        assert_eq!(drafts(&j), before);
    }
}

#[test]
fn a_calendar_the_import_refuses_is_recorded_as_refused() {
    let (dir, mut j) = fresh();
    let t = now();
    let path = calendar(&dir, "work.ics", &[Ev("a@x", t, "Ana 1:1", false)]);
    link_calendar(&mut j, &path, t).expect("link");
    replace(&path, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n");
    let linked = sync_calendar(&mut j, &path, t, &mut |_| ControlFlow::Continue(())).expect("sync");
    assert_eq!(linked.status, CalendarStatus::Refused);
    assert!(!linked.message.is_empty());
}

#[test]
fn a_failure_mid_sync_leaves_the_journal_as_it_was() {
    let (dir, mut j) = fresh();
    let t = now();
    let path = calendar(&dir, "work.ics", &[Ev("a@x", t, "Ana 1:1", false)]);
    let first = link_calendar(&mut j, &path, t).expect("link");
    let before = drafts(&j);
    replace(
        &path,
        &ics(&[
            Ev("a@x", t + Duration::hours(1), "Ana 1:1 moved", false),
            Ev("b@x", t + Duration::hours(2), "New", false),
        ]),
    );
    // Stops in the middle of writing: nothing is written and nothing is recorded.
    let mut stop = |p: super::Progress| {
        if p.stage == "writing" && p.done > 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let later = t + Duration::minutes(3);
    assert!(matches!(
        sync_calendar(&mut j, &path, later, &mut stop),
        Err(ExchangeError::Cancelled)
    ));
    assert_eq!(drafts(&j), before);
    assert_eq!(j.linked_calendars().expect("list"), vec![first]);
}

#[test]
fn syncing_a_path_not_linked_is_an_error() {
    let (dir, mut j) = fresh();
    let path = calendar(&dir, "work.ics", &[]);
    assert!(matches!(
        sync_calendar(&mut j, &path, now(), &mut |_| ControlFlow::Continue(())),
        Err(ExchangeError::Journal(Error::NotFound(_)))
    ));
}
