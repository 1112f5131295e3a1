//! Tests of the vault against real encrypted journals in temporary folders.

use chrono::{Duration, Utc};
use proptest::prelude::*;

use super::*;
use crate::model::{NewPerson, NewReflection, NewTouchpoint, TouchpointKind};
use crate::secret::Passphrase;

fn pass() -> Passphrase {
    Passphrase::new("test passphrase one".into())
}

fn fresh() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (journal, _code) = Journal::init(&dir.path().join("j"), &pass()).expect("init");
    (dir, journal)
}

fn person(j: &mut Journal, name: &str) -> uuid::Uuid {
    j.add_person(NewPerson {
        name: name.into(),
        ..NewPerson::default()
    })
    .expect("add person")
    .id
}

fn entry(j: &mut Journal, who: uuid::Uuid, notes: &str, at: chrono::DateTime<Utc>) -> uuid::Uuid {
    j.add_touchpoint(NewTouchpoint {
        kind: TouchpointKind::OneOnOne,
        occurred_at: Some(at.fixed_offset()),
        duration_minutes: None,
        title: String::new(),
        participants: vec![who],
        team: None,
        affected_groups: Vec::new(),
        notes: notes.into(),
        tags: Vec::new(),
        private: false,
        source: String::new(),
        state: None,
    })
    .expect("add touchpoint")
    .id
}

#[test]
fn a_journal_from_a_newer_version_is_refused() {
    let (dir, journal) = fresh();
    journal
        .conn()
        .pragma_update(None, "user_version", 99)
        .expect("bump version");
    drop(journal);
    match Journal::open(&dir.path().join("j"), &pass()) {
        Err(Error::NewerFormat {
            found: 99,
            supported,
        }) => assert_eq!(supported, schema::supported_version()),
        other => panic!("expected NewerFormat, got {other:?}"),
    }
}

#[test]
fn a_failed_write_leaves_the_journal_as_it_was() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let id = entry(&mut j, ana, "before", Utc::now());
    let mut t = j.touchpoint(id).expect("read");
    t.notes = "after".into();
    // The touchpoint row is updated first; the unknown participant then fails the transaction.
    t.participants.push(uuid::Uuid::now_v7());
    assert!(matches!(j.update_touchpoint(&t), Err(Error::NotFound(_))));
    let stored = j.touchpoint(id).expect("read");
    assert_eq!(stored.notes, "before", "the whole update rolled back");
    assert_eq!(stored.participants, vec![ana]);
    assert_eq!(
        j.search("after", SearchMode::Plain, 10)
            .expect("search")
            .len(),
        0
    );
}

#[test]
fn settings_survive_reopening_and_bad_values_are_refused() {
    let (dir, mut j) = fresh();
    let mut s = j.settings().clone();
    s.loss_weight = 2.5;
    s.auto_lock_minutes = 3;
    j.update_settings(s.clone()).expect("update");
    let mut bad = s.clone();
    bad.loss_weight = 0.5;
    assert!(matches!(
        j.update_settings(bad),
        Err(Error::InvalidInput(_))
    ));
    drop(j);
    let j = Journal::open(&dir.path().join("j"), &pass()).expect("reopen");
    assert_eq!(j.settings(), &s);
}

#[test]
fn trash_is_erased_after_thirty_days() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let old = entry(&mut j, ana, "old", Utc::now());
    let recent = entry(&mut j, ana, "recent", Utc::now());
    j.trash_touchpoint(old, Utc::now() - Duration::days(31))
        .expect("trash");
    j.trash_touchpoint(recent, Utc::now() - Duration::days(2))
        .expect("trash");
    assert_eq!(j.purge_trash(Utc::now()).expect("purge").entries, 1);
    let trashed: Vec<_> = j
        .trashed_touchpoints()
        .expect("trash")
        .into_iter()
        .map(|(t, _)| t.id)
        .collect();
    assert_eq!(trashed, vec![recent]);
    assert!(j.restore_touchpoint(old).is_err(), "gone for good");
    j.restore_touchpoint(recent).expect("restore");
}

#[test]
fn erasing_a_person_leaves_no_token_in_the_search_index() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let id = entry(&mut j, ana, "the quokkaword plan", Utc::now());
    j.reflect(NewReflection {
        touchpoint_id: id,
        person_id: ana,
        answers: Vec::new(),
        their_side: "my numbatword worry".into(),
        willingness: 1,
        ability: 1,
        adversarial: false,
        would_have_helped: String::new(),
        next_time: String::new(),
    })
    .expect("reflect");
    j.erase_person(ana).expect("erase");
    j.conn()
        .execute_batch("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search, 'row');")
        .expect("vocab");
    for word in ["quokkaword", "numbatword"] {
        let n: i64 = j
            .conn()
            .query_row(
                "SELECT count(*) FROM temp.vocab WHERE term = ?1",
                [word],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 0, "{word} survives in the index");
    }
    assert!(j.verify().expect("verify").ok);
}

#[test]
fn timeline_pages_follow_each_other_without_gaps_or_repeats() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let start = Utc::now() - Duration::days(200);
    for i in 0..120 {
        // Pairs share a time so the id breaks ties.
        entry(&mut j, ana, &format!("n{i}"), start + Duration::days(i / 2));
    }
    let mut seen = Vec::new();
    let mut filter = TimelineFilter {
        limit: Some(50),
        ..TimelineFilter::default()
    };
    loop {
        let page = j.timeline(&filter).expect("page");
        let Some(last) = page.last() else { break };
        filter.after = Some(last.cursor.clone());
        seen.extend(page.iter().map(|t| t.id));
    }
    assert_eq!(seen.len(), 120);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 120, "no entry twice");
}

#[test]
fn wrong_passphrase_and_lock_are_reported() {
    let (dir, j) = fresh();
    drop(j);
    let path = dir.path().join("j");
    assert!(matches!(
        Journal::open(&path, &Passphrase::new("nope".into())),
        Err(Error::WrongPassphrase)
    ));
    let held = Journal::open(&path, &pass()).expect("open");
    assert!(matches!(
        Journal::open(&path, &pass()),
        Err(Error::InUse { .. })
    ));
    drop(held);
    Journal::open(&path, &pass()).expect("open again after the first closed");
}

#[test]
fn a_missing_key_file_is_damage_not_a_new_journal() {
    let (dir, j) = fresh();
    drop(j);
    let path = dir.path().join("j");
    std::fs::remove_file(path.join(KEY_FILE)).expect("remove key");
    assert!(matches!(
        Journal::open(&path, &pass()),
        Err(Error::Damaged { .. })
    ));
    assert!(matches!(
        Journal::init(&path, &pass()),
        Err(Error::AlreadyExists(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    /// Whatever a user types into the search box, a plain search answers without an error.
    #[test]
    fn plain_search_never_fails(query in "\\PC{0,40}") {
        let j = SEARCH_JOURNAL.with(|j| j.search(&query, SearchMode::Plain, 20).map(|h| h.len()));
        prop_assert!(j.is_ok(), "{query:?}: {j:?}");
    }

    /// Queries made of FTS5 syntax pieces are plain text in plain mode.
    #[test]
    fn fts_syntax_pieces_are_plain_text(parts in proptest::collection::vec(
        prop_oneof![
            Just("\""), Just("NEAR("), Just("*"), Just("-"), Just("OR"), Just("AND"), Just("NOT"),
            Just("("), Just(")"), Just(":"), Just("^"), Just("+"), Just("plan"), Just("a\"b"),
        ], 1..8)) {
        let query = parts.join(" ");
        let r = SEARCH_JOURNAL.with(|j| j.search(&query, SearchMode::Plain, 20).map(|h| h.len()));
        prop_assert!(r.is_ok(), "{query:?}: {r:?}");
    }
}

thread_local! {
    /// One small journal per test thread for the search properties (opening costs a key derivation).
    static SEARCH_JOURNAL: Journal = {
        let dir = Box::leak(Box::new(tempfile::tempdir().expect("temp dir")));
        let (mut j, _) = Journal::init(&dir.path().join("j"), &pass()).expect("init");
        let ana = person(&mut j, "Ana");
        entry(&mut j, ana, "the \"plan\" NEAR(x) -- a*b: c^d", Utc::now());
        j
    };
}

#[test]
fn one_persons_timeline_pages_follow_each_other_in_order() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let bo = person(&mut j, "Bo");
    let start = Utc::now() - Duration::days(200);
    for i in 0..90 {
        // Pairs share a time so the id breaks ties; Bo's entries sit in between.
        entry(&mut j, ana, &format!("n{i}"), start + Duration::days(i / 2));
        if i % 3 == 0 {
            entry(&mut j, bo, &format!("b{i}"), start + Duration::days(i / 2));
        }
    }
    let mut seen = Vec::new();
    let mut filter = TimelineFilter {
        person: Some(ana),
        limit: Some(40),
        ..TimelineFilter::default()
    };
    loop {
        let page = j.timeline(&filter).expect("page");
        let Some(last) = page.last() else { break };
        filter.after = Some(last.cursor.clone());
        seen.extend(page);
    }
    assert_eq!(seen.len(), 90, "every entry of Ana's once");
    assert!(seen
        .iter()
        .all(|t| t.participants.iter().any(|p| p.id == ana)));
    assert!(
        seen.windows(2)
            .all(|w| (w[0].cursor.occurred_ms, w[0].cursor.id)
                > (w[1].cursor.occurred_ms, w[1].cursor.id)),
        "newest first, ties by id"
    );
    let since = start + Duration::days(40);
    let recent = j
        .timeline(&TimelineFilter {
            person: Some(ana),
            since: Some(since),
            limit: Some(1000),
            ..TimelineFilter::default()
        })
        .expect("since");
    assert_eq!(recent.len(), 10, "days 40 to 44, two a day");
}

#[test]
fn a_touchpoint_with_its_reflections_is_one_write() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let bo = person(&mut j, "Bo");
    let new = |who: Vec<uuid::Uuid>| NewTouchpoint {
        kind: TouchpointKind::TeamMeeting,
        occurred_at: None,
        duration_minutes: None,
        title: String::new(),
        participants: who,
        team: None,
        affected_groups: Vec::new(),
        notes: "planning".into(),
        tags: Vec::new(),
        private: false,
        source: String::new(),
        state: Some(crate::model::TouchpointState::Draft),
    };
    let side = |who: uuid::Uuid, w: i32| NewReflection {
        touchpoint_id: uuid::Uuid::nil(),
        person_id: who,
        answers: Vec::new(),
        their_side: format!("side of {who}"),
        willingness: w,
        ability: 0,
        adversarial: false,
        would_have_helped: String::new(),
        next_time: String::new(),
    };
    // Refused as a whole: a reflection of someone who was not there, or two of one person.
    let err = j
        .add_reflected_touchpoint(new(vec![ana]), vec![side(ana, 1), side(bo, 1)])
        .expect_err("Bo was not there");
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    let err = j
        .add_reflected_touchpoint(new(vec![ana, bo]), vec![side(ana, 1), side(ana, 2)])
        .expect_err("two reflections of Ana");
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(j
        .timeline(&TimelineFilter::default())
        .expect("timeline")
        .is_empty());

    let (t, rs) = j
        .add_reflected_touchpoint(new(vec![ana, bo]), vec![side(ana, 2), side(bo, -1)])
        .expect("add");
    assert_eq!(t.state, crate::model::TouchpointState::Logged);
    assert_eq!(rs.len(), 2);
    for r in &rs {
        assert_eq!(r.touchpoint_id, t.id);
        assert_eq!(&j.reflection(t.id, r.person_id).expect("stored"), r);
    }
    let stored = j.touchpoint(t.id).expect("stored");
    assert_eq!(stored.state, crate::model::TouchpointState::Logged);
    assert_eq!(stored.participants, vec![ana, bo]);
}

#[test]
fn the_overview_kept_across_writes_equals_one_read_afresh() {
    let (_dir, mut j) = fresh();
    let anchor = Utc::now() - Duration::days(1);
    crate::demo::generate(&mut j, 8, 240, 7, anchor).expect("demo");
    let now = Utc::now();
    let people = j.people(false).expect("people");
    let (a, b) = (people[0].id, people[1].id);
    let before = j.overview(now).expect("overview");

    // Writes keep the stored balances current in their own transaction.
    let (t, _) = j
        .add_reflected_touchpoint(
            NewTouchpoint {
                kind: TouchpointKind::OneOnOne,
                occurred_at: Some((now - Duration::hours(2)).fixed_offset()),
                duration_minutes: Some(30),
                title: String::new(),
                participants: vec![a],
                team: None,
                affected_groups: Vec::new(),
                notes: "a hard one".into(),
                tags: Vec::new(),
                private: false,
                source: String::new(),
                state: None,
            },
            vec![NewReflection {
                touchpoint_id: uuid::Uuid::nil(),
                person_id: a,
                answers: Vec::new(),
                their_side: String::new(),
                willingness: -2,
                ability: -2,
                adversarial: true,
                would_have_helped: String::new(),
                next_time: String::new(),
            }],
        )
        .expect("capture");
    let c = j
        .add_commitment(b, "send the plan", None, None)
        .expect("commitment");
    j.resolve_commitment(c.id, crate::model::CommitmentStatus::Broken, now)
        .expect("broken");
    let kept = j.overview(now).expect("overview");
    assert_ne!(kept, before, "the writes show");
    let kept_today = j.today(now).expect("today");
    let kept_a = j.person_overview(a, now).expect("person overview");

    // Reading everything afresh gives the same answers.
    assert_kept_equals_afresh(&mut j, now);
    j.rebuild_aggregates();
    assert_eq!(
        j.person_overview(a, now).expect("one person, rebuilt"),
        kept_a
    );
    assert_eq!(j.overview(now).expect("overview"), kept);
    assert_eq!(j.today(now).expect("today"), kept_today);
    let row = kept.iter().find(|o| o.person.id == a).expect("row of a");
    assert_eq!(row, &kept_a);
    assert!(row.slipping, "an adversarial withdrawal slips");

    // A trashed entry leaves the overview at once.
    j.trash_touchpoint(t.id, now).expect("trash");
    let after = j.person_overview(a, now).expect("person overview");
    assert_ne!(after, kept_a);
    assert_kept_equals_afresh(&mut j, now);
}

/// After every kind of write, what the stored balances answer equals what they answer once
/// rebuilt from the journal's rows.
#[test]
fn the_stored_balances_follow_every_kind_of_write() {
    let (_dir, mut j) = fresh();
    let anchor = Utc::now() - Duration::days(1);
    crate::demo::generate(&mut j, 6, 120, 11, anchor).expect("demo");
    let now = Utc::now();
    let people = j.people(false).expect("people");
    let (a, b) = (people[0].id, people[1].id);
    let of_a = j
        .timeline(&TimelineFilter {
            person: Some(a),
            limit: Some(3),
            ..TimelineFilter::default()
        })
        .expect("timeline of a");
    let (t1, t2, t3) = (of_a[0].id, of_a[1].id, of_a[2].id);
    j.erase_touchpoint(t3).expect("erase before any overview");
    j.overview(now).expect("overview");

    j.trash_touchpoint(t1, now).expect("trash");
    assert_kept_equals_afresh(&mut j, now);
    j.restore_touchpoint(t1).expect("restore");
    assert_kept_equals_afresh(&mut j, now);
    j.erase_touchpoint(t2).expect("erase");
    assert_kept_equals_afresh(&mut j, now);

    let mut edited = j.touchpoint(t1).expect("touchpoint");
    edited.title = "A new title".into();
    edited.occurred_at = (now - Duration::days(400)).fixed_offset();
    j.update_touchpoint(&edited).expect("edit");
    assert_kept_equals_afresh(&mut j, now);

    j.trash_person(b, now).expect("trash person");
    assert_kept_equals_afresh(&mut j, now);
    j.restore_person(b).expect("restore person");
    assert_kept_equals_afresh(&mut j, now);
    j.erase_person(b).expect("erase person");
    assert_kept_equals_afresh(&mut j, now);

    j.purge_trash(now + Duration::days(40)).expect("purge");
    assert_kept_equals_afresh(&mut j, now);
}

/// Checks that the overview, Today and every balance (with its explanation) answered from the
/// stored balances equal the answers once they are rebuilt from the journal's rows.
fn assert_kept_equals_afresh(j: &mut Journal, now: chrono::DateTime<Utc>) {
    let scopes = |j: &Journal| -> Vec<Scope> {
        let mut scopes: Vec<Scope> = j
            .people(true)
            .expect("people")
            .iter()
            .map(|p| Scope::Person { id: p.id })
            .collect();
        scopes.extend(
            j.teams()
                .expect("teams")
                .into_iter()
                .map(|t| Scope::Team { name: t.name }),
        );
        scopes.extend(
            crate::model::Group::ALL
                .iter()
                .map(|g| Scope::Group { group: *g }),
        );
        scopes
    };
    let answers = |j: &Journal| {
        let balances: Vec<_> = scopes(j)
            .iter()
            .map(|s| {
                let report = j.balance(s, now).expect("balance");
                assert_eq!(
                    j.balance_summary(s, now).expect("summary"),
                    report.summary()
                );
                report
            })
            .collect();
        let events: Vec<_> = scopes(j)
            .iter()
            .map(|s| {
                let mut events = j.events(s).expect("events");
                crate::balance::sort_chronologically(&mut events);
                events
            })
            .collect();
        (balances, events)
    };
    let kept = (
        answers(j),
        j.overview(now).expect("overview"),
        j.today(now).expect("today"),
    );
    j.rebuild_aggregates();
    let afresh_balances = answers(j);
    let afresh = (
        afresh_balances,
        j.overview(now).expect("overview"),
        j.today(now).expect("today"),
    );
    assert_eq!(kept, afresh);
}

#[test]
fn a_one_on_one_that_took_place_counts_as_held_though_not_reflected() {
    let (_dir, mut j) = fresh();
    let now = Utc::now();
    let ana = j
        .add_person(NewPerson {
            name: "Ana Cadence".into(),
            cadence_days: Some(14),
            ..NewPerson::default()
        })
        .expect("add person")
        .id;
    let draft = |at: chrono::DateTime<Utc>| NewTouchpoint {
        kind: TouchpointKind::OneOnOne,
        occurred_at: Some(at.fixed_offset()),
        duration_minutes: Some(30),
        title: "1:1 from the calendar".into(),
        participants: vec![ana],
        team: None,
        affected_groups: Vec::new(),
        notes: String::new(),
        tags: Vec::new(),
        private: false,
        source: String::new(),
        state: Some(crate::model::TouchpointState::Draft),
    };
    // Known for 60 days, the last one-on-one 40 days ago: overdue.
    j.add_touchpoint(NewTouchpoint {
        occurred_at: Some((now - Duration::days(40)).fixed_offset()),
        state: None,
        ..draft(now)
    })
    .expect("an old one-on-one");
    let before = j.person_overview(ana, now).expect("overview");
    assert!(before.consistency.overdue);

    // The calendar's meeting of an hour ago, not reflected yet, and next week's.
    j.add_touchpoint(draft(now - Duration::hours(1)))
        .expect("today's meeting");
    j.add_touchpoint(draft(now + Duration::days(7)))
        .expect("next week's meeting");
    for overview in [j.person_overview(ana, now).expect("overview"), {
        j.rebuild_aggregates();
        j.person_overview(ana, now).expect("overview rebuilt")
    }] {
        let c = &overview.consistency;
        assert!(!c.overdue, "the meeting that took place counts as held");
        assert_eq!(
            c.held_90d, 2,
            "held: the old one and today's, not next week's"
        );
        assert_eq!(c.days_since_last, Some(0));
        assert!(
            overview.coverage < 1.0,
            "reflection coverage is where the unreflected meeting shows: {}",
            overview.coverage
        );
    }
    assert!(j
        .today(now)
        .expect("today")
        .overdue
        .iter()
        .all(|o| o.person.id != ana));
}
