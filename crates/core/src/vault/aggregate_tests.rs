//! The balances kept in the database always equal a recomputation from the journal's own rows:
//! random sequences of every kind of write, checked after each step.

use std::cell::RefCell;
use std::ops::ControlFlow;

use chrono::{Duration, NaiveDate, Utc};
use proptest::prelude::*;
use uuid::Uuid;

use super::aggregates::{group_key, initiative_key};
use super::{Journal, Scope};
use crate::balance::{self, Event, LossWeight, Totals};
use crate::model::{
    CommitmentStatus, Group, GroupImpact, NewPerson, NewReflection, TouchpointKind,
};
use crate::secret::Passphrase;

fn pass() -> Passphrase {
    Passphrase::new("kept where the data is".into())
}

thread_local! {
    /// The journal an import step brings in: made once, as each new journal costs a key
    /// derivation.
    static SOURCE: RefCell<Option<(tempfile::TempDir, crate::exchange::ExportDocument)>> =
        const { RefCell::new(None) };
}

/// An export of a small journal of its own (people, rated entries, a kept and a broken
/// commitment, a decision), to import.
fn source_document() -> crate::exchange::ExportDocument {
    SOURCE.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let dir = tempfile::tempdir().expect("temp dir");
            let (mut j, _) = Journal::init(&dir.path().join("s"), &pass()).expect("init");
            let p = j
                .add_person(NewPerson {
                    name: "Imported Ina".into(),
                    group: Some(Group::Peer),
                    ..NewPerson::default()
                })
                .expect("person")
                .id;
            for (days, w, a) in [(40, -2, -1), (20, 1, 2), (3, -1, -1)] {
                capture(&mut j, p, days, w, a, false);
            }
            let c = j
                .add_commitment(p, "send the plan", None, None)
                .expect("commitment");
            j.resolve_commitment(
                c.id,
                CommitmentStatus::Broken,
                Utc::now() - Duration::days(2),
            )
            .expect("resolve");
            j.add_touchpoint(super::explain_tests::touchpoint(
                TouchpointKind::Decision,
                Vec::new(),
                vec![GroupImpact {
                    group: Group::Peer,
                    impact: -2,
                }],
                5,
            ))
            .expect("decision");
            let file = dir.path().join("x.json");
            crate::exchange::export(
                &j,
                &crate::exchange::ExportOptions::default(),
                crate::exchange::ExportFormat::Json,
                None,
                &file,
                &mut |_| ControlFlow::Continue(()),
            )
            .expect("export");
            let doc = crate::exchange::open_bundle(
                &std::fs::read(&file).expect("read"),
                crate::exchange::Unlock::Passphrase(&pass()),
            )
            .expect("open");
            *cell = Some((dir, doc));
        }
        cell.as_ref().expect("made above").1.clone()
    })
}

/// A new initiative named "Roll-out", whose linked entries get a scope of their own.
fn roll_out(j: &mut Journal) -> Uuid {
    j.add_initiative(crate::initiative::NewInitiative {
        name: "Roll-out".into(),
        purpose: String::new(),
        status: None,
        starts_on: None,
        review_on: None,
        tag: None,
        teams: Vec::new(),
        people: Vec::new(),
    })
    .expect("initiative")
    .id
}

/// A one-on-one `days` ago with `who`, rated.
fn capture(j: &mut Journal, who: Uuid, days: i64, w: i32, a: i32, adversarial: bool) -> Uuid {
    let t = j
        .add_touchpoint(super::explain_tests::touchpoint(
            TouchpointKind::OneOnOne,
            vec![who],
            Vec::new(),
            days,
        ))
        .expect("capture")
        .id;
    j.reflect(NewReflection {
        touchpoint_id: t,
        person_id: who,
        answers: Vec::new(),
        their_side: String::new(),
        willingness: w,
        ability: a,
        adversarial,
        would_have_helped: String::new(),
        next_time: String::new(),
    })
    .expect("reflect");
    t
}

#[derive(Debug, Clone)]
enum Step {
    Capture {
        who: usize,
        days: i64,
        w: i32,
        a: i32,
        adversarial: bool,
    },
    Draft {
        who: usize,
        days: i64,
    },
    Rereflect {
        entry: usize,
        w: i32,
        a: i32,
    },
    Commitment {
        who: usize,
        status: u8,
        late: bool,
        entry: Option<usize>,
    },
    Decision {
        group: bool,
        impact: i32,
        days: i64,
    },
    Move {
        entry: usize,
        days: i64,
    },
    TrashEntry(usize),
    RestoreEntry(usize),
    EraseEntry(usize),
    TrashPerson(usize),
    RestorePerson(usize),
    ErasePerson(usize),
    LossWeight(u8),
    Link(usize),
    Unlink(usize),
    Import,
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0usize..3;
    let rating = -2i32..=2;
    prop_oneof![
        6 => (who.clone(), -100i64..5, rating.clone(), rating.clone(), proptest::bool::weighted(0.1))
            .prop_map(|(who, days, w, a, adversarial)| Step::Capture { who, days, w, a, adversarial }),
        1 => (who.clone(), -10i64..3).prop_map(|(who, days)| Step::Draft { who, days }),
        2 => (any::<usize>(), rating.clone(), rating.clone())
            .prop_map(|(entry, w, a)| Step::Rereflect { entry, w, a }),
        2 => (who.clone(), 0u8..4, any::<bool>(), proptest::option::of(any::<usize>()))
            .prop_map(|(who, status, late, entry)| Step::Commitment { who, status, late, entry }),
        2 => (any::<bool>(), rating, 0i64..100)
            .prop_map(|(group, impact, days)| Step::Decision { group, impact, days }),
        1 => (any::<usize>(), -5i64..100).prop_map(|(entry, days)| Step::Move { entry, days }),
        1 => any::<usize>().prop_map(Step::TrashEntry),
        1 => any::<usize>().prop_map(Step::RestoreEntry),
        1 => any::<usize>().prop_map(Step::EraseEntry),
        1 => who.clone().prop_map(Step::TrashPerson),
        1 => who.clone().prop_map(Step::RestorePerson),
        1 => who.prop_map(Step::ErasePerson),
        1 => (10u8..=30).prop_map(Step::LossWeight),
        2 => any::<usize>().prop_map(Step::Link),
        1 => any::<usize>().prop_map(Step::Unlink),
        1 => Just(Step::Import),
    ]
}

/// Applies `step`; a step the journal refuses (a person erased earlier, say) changes nothing.
fn apply(j: &mut Journal, people: &[Uuid], entries: &mut Vec<Uuid>, initiative: Uuid, step: &Step) {
    let entry = |i: usize| (!entries.is_empty()).then(|| entries[i % entries.len()]);
    let _ = match step.clone() {
        Step::Capture {
            who,
            days,
            w,
            a,
            adversarial,
        } => {
            if j.person(people[who]).is_ok() {
                entries.push(capture(j, people[who], days, w, a, adversarial));
            }
            Ok(())
        }
        Step::Draft { who, days } => {
            let mut new = super::explain_tests::touchpoint(
                TouchpointKind::OneOnOne,
                vec![people[who]],
                Vec::new(),
                days,
            );
            new.state = Some(crate::model::TouchpointState::Draft);
            j.add_touchpoint(new).map(|t| entries.push(t.id))
        }
        Step::Rereflect { entry: e, w, a } => match entry(e) {
            Some(t) => match j.touchpoint(t) {
                Ok(tp) if !tp.participants.is_empty() => j
                    .reflect(NewReflection {
                        touchpoint_id: t,
                        person_id: tp.participants[0],
                        answers: Vec::new(),
                        their_side: String::new(),
                        willingness: w,
                        ability: a,
                        adversarial: false,
                        would_have_helped: String::new(),
                        next_time: String::new(),
                    })
                    .map(drop),
                _ => Ok(()),
            },
            None => Ok(()),
        },
        Step::Commitment {
            who,
            status,
            late,
            entry: e,
        } => {
            let due = NaiveDate::from_ymd_opt(2020, 1, 1).filter(|_| late);
            let made_in = e.and_then(entry);
            match j.add_commitment(people[who], "a promise", due, made_in) {
                Ok(c) => {
                    let status = match status {
                        0 => CommitmentStatus::Kept,
                        1 => CommitmentStatus::Broken,
                        2 => CommitmentStatus::Renegotiated,
                        _ => CommitmentStatus::Open,
                    };
                    j.resolve_commitment(c.id, status, Utc::now() - Duration::days(1))
                        .map(drop)
                }
                Err(e) => Err(e),
            }
        }
        Step::Decision {
            group,
            impact,
            days,
        } => {
            let group = if group {
                Group::Peer
            } else {
                Group::DirectReport
            };
            j.add_touchpoint(super::explain_tests::touchpoint(
                TouchpointKind::Decision,
                Vec::new(),
                vec![GroupImpact { group, impact }],
                days,
            ))
            .map(|t| entries.push(t.id))
        }
        Step::Move { entry: e, days } => match entry(e).map(|t| j.touchpoint(t)) {
            Some(Ok(mut t)) => {
                t.occurred_at = (Utc::now() - Duration::days(days)).fixed_offset();
                t.title = format!("moved {days}");
                j.update_touchpoint(&t).map(drop)
            }
            _ => Ok(()),
        },
        Step::TrashEntry(e) => entry(e).map_or(Ok(()), |t| j.trash_touchpoint(t, Utc::now())),
        Step::RestoreEntry(e) => entry(e).map_or(Ok(()), |t| j.restore_touchpoint(t)),
        Step::EraseEntry(e) => entry(e).map_or(Ok(()), |t| j.erase_touchpoint(t).map(drop)),
        Step::TrashPerson(p) => j.trash_person(people[p], Utc::now()),
        Step::RestorePerson(p) => j.restore_person(people[p]),
        Step::ErasePerson(p) => j.erase_person(people[p]).map(drop),
        Step::LossWeight(tenths) => {
            let mut s = j.settings().clone();
            s.loss_weight = f64::from(tenths) / 10.0;
            j.update_settings(s)
        }
        Step::Link(e) => entry(e).map_or(Ok(()), |t| j.link_initiative(initiative, t)),
        Step::Unlink(e) => entry(e).map_or(Ok(()), |t| j.unlink_initiative(initiative, t)),
        Step::Import => {
            let doc = source_document();
            let _ = j.import_document(&doc, &mut |_| ControlFlow::Continue(()));
            Ok(())
        }
    };
}

/// Sorted, so two lists of the same events compare equal.
fn sorted(mut events: Vec<Event>) -> Vec<Event> {
    balance::sort_chronologically(&mut events);
    events
}

/// Every stored scope against a recomputation from the rows, with the engine's rules.
fn check(j: &Journal, initiative: Uuid) -> Result<(), TestCaseError> {
    let lw = LossWeight::from_f64(j.settings().loss_weight).expect("weight");
    let now = Utc::now();
    let mut scopes: Vec<(String, Vec<Event>)> = Vec::new();
    let all_people: Vec<Uuid> = j
        .conn()
        .prepare("SELECT id FROM people")
        .expect("people")
        .query_map([], |r| super::get_id(r, 0))
        .expect("people")
        .collect::<rusqlite::Result<_>>()
        .expect("people");
    let mut recomputed = j.person_events(None).expect("events");
    for p in &all_people {
        scopes.push((p.to_string(), recomputed.remove(p).unwrap_or_default()));
    }
    for g in [Group::Peer, Group::DirectReport] {
        scopes.push((group_key(g), j.decision_events(g).expect("decisions")));
    }
    scopes.push((
        initiative_key(initiative),
        j.initiative_events_from_rows(initiative)
            .expect("initiative"),
    ));
    for (scope, events) in scopes {
        let events = sorted(events);
        let stored = j.stored_events(&scope).expect("stored");
        prop_assert_eq!(&stored, &events, "events of {}", scope);
        let totals = j.stored_totals(&scope).expect("totals");
        prop_assert_eq!(totals.totals, Totals::of(&events), "totals of {}", scope);
        let reflections = events
            .iter()
            .filter(|e| e.source == balance::EventSource::Reflection)
            .count();
        prop_assert_eq!(
            totals.reflections,
            reflections as i64,
            "reflections of {}",
            scope
        );
        // The summary from the totals and the latest events is the engine's, for several
        // nows (each reads a different tail).
        for days in [0, 10, 45] {
            let at = now - Duration::days(days);
            prop_assert_eq!(
                j.stored_summary(&scope, lw, at).expect("summary"),
                balance::summary(&events, lw, at),
                "summary of {} {} days ago",
                scope,
                days
            );
        }
    }
    // Participation: what the overview counts, against the rows.
    for p in &all_people {
        let counted: i64 = j
            .conn()
            .query_row(
                "SELECT count(*) FROM participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id
                 WHERE pp.person_id = ?1 AND t.deleted_at IS NULL",
                [p.to_string()],
                |r| r.get(0),
            )
            .expect("count");
        let stored = j.stored_totals(&p.to_string()).expect("totals");
        prop_assert_eq!(stored.touchpoints, counted, "entries of {}", p);
        let rows: i64 = j
            .conn()
            .query_row(
                "SELECT count(*) FROM participation WHERE person_id = ?1",
                [p.to_string()],
                |r| r.get(0),
            )
            .expect("count");
        prop_assert_eq!(rows, counted, "participation rows of {}", p);
    }
    // The balances the app shows, through the journal's own entry points.
    for p in &all_people {
        if j.person(*p).is_ok() {
            let scope = Scope::Person { id: *p };
            let events = sorted(
                j.person_events(Some(*p))
                    .expect("events")
                    .remove(p)
                    .unwrap_or_default(),
            );
            prop_assert_eq!(
                j.balance(&scope, now).expect("balance"),
                balance::compute(&events, lw, now)
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn stored_balances_equal_a_recomputation_after_every_write(
        steps in proptest::collection::vec(step(), 1..24)
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut j, _) = Journal::init(&dir.path().join("j"), &pass()).expect("init");
        let people: Vec<Uuid> = (0..3)
            .map(|i| {
                j.add_person(NewPerson {
                    name: format!("P{i}"),
                    group: Some(if i == 2 { Group::Peer } else { Group::DirectReport }),
                    teams: vec!["Crew".into()],
                    ..NewPerson::default()
                })
                .expect("person")
                .id
            })
            .collect();
        let initiative = roll_out(&mut j);
        let mut entries = Vec::new();
        for s in &steps {
            apply(&mut j, &people, &mut entries, initiative, s);
            check(&j, initiative)?;
        }
    }
}

/// A journal of format 6 (no stored balances) gets them at its first open, written from what
/// it holds, and they answer as a recomputation does.
#[test]
fn an_older_journal_gets_its_balances_at_first_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("j");
    let (mut j, _) = Journal::init(&path, &pass()).expect("init");
    crate::demo::generate(&mut j, 5, 80, 3, Utc::now() - Duration::days(1)).expect("demo");
    let initiative = roll_out(&mut j);
    let first = j
        .timeline(&super::TimelineFilter::default())
        .expect("timeline")[0]
        .id;
    j.link_initiative(initiative, first).expect("link");
    let now = Utc::now();
    let overview = j.overview(now).expect("overview");
    let today = j.today(now).expect("today");
    // Back to format 6: the tables and triggers of format 7 go.
    let triggers: Vec<String> = j
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'balance%'")
        .expect("triggers")
        .query_map([], |r| r.get(0))
        .expect("triggers")
        .collect::<rusqlite::Result<_>>()
        .expect("triggers");
    assert!(!triggers.is_empty());
    for t in triggers {
        j.conn()
            .execute_batch(&format!("DROP TRIGGER IF EXISTS {t};"))
            .expect("drop trigger");
    }
    j.conn()
        .execute_batch(
            "DROP TABLE balance_events; DROP TABLE balance_totals; DROP TABLE participation;
             PRAGMA user_version = 6;",
        )
        .expect("back to format 6");
    drop(j);
    let j = Journal::open(&path, &pass()).expect("open and upgrade");
    assert_eq!(j.overview(now).expect("overview"), overview);
    assert_eq!(j.today(now).expect("today"), today);
    check(&j, initiative).expect("stored equals recomputed");
}

/// Not a test: rough figures of the stored balances against reading every event, in the
/// debug profile (SQLCipher is optimised there too). `AGGREGATE_FIGURES=20000 cargo nextest
/// run -p touchpoint-core --run-ignored only -E 'test(aggregate_figures)' --no-capture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn aggregate_figures() {
    use std::time::Instant;
    let n: u32 = std::env::var("AGGREGATE_FIGURES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("j");
    let (mut j, _) = Journal::init(&path, &pass()).expect("init");
    let began = Instant::now();
    crate::demo::generate(&mut j, 200, n, 7, Utc::now()).expect("demo");
    eprintln!("demo::generate {n} entries: {:?}", began.elapsed());
    let file = dir.path().join("x.json");
    crate::exchange::export(
        &j,
        &crate::exchange::ExportOptions::default(),
        crate::exchange::ExportFormat::Json,
        None,
        &file,
        &mut |_| ControlFlow::Continue(()),
    )
    .expect("export");
    let doc = crate::exchange::open_bundle(
        &std::fs::read(&file).expect("read"),
        crate::exchange::Unlock::Passphrase(&pass()),
    )
    .expect("open");
    // Into an empty journal an import goes in bulk: the triggers paused, everything rebuilt.
    let (mut k, _) = Journal::init(&dir.path().join("k"), &pass()).expect("init");
    assert!(k.bulk_pays(n as usize).expect("bulk"));
    let began = Instant::now();
    k.import_document(&doc, &mut |_| ControlFlow::Continue(()))
        .expect("import");
    eprintln!(
        "import into an empty journal (in bulk): {:?}",
        began.elapsed()
    );
    let began = Instant::now();
    j.rebuild_aggregates();
    eprintln!(
        "stored balances written afresh from every row (what format 7's migration does): {:?}",
        began.elapsed()
    );
    drop(j);
    let now = Utc::now();
    let began = Instant::now();
    let j = Journal::open(&path, &pass()).expect("open");
    eprintln!("open (key derivation included): {:?}", began.elapsed());
    let began = Instant::now();
    let today = j.today(now).expect("today");
    eprintln!(
        "first Today after open (stored balances): {:?} ({} slipping, {} overdue)",
        began.elapsed(),
        today.slipping.len(),
        today.overdue.len()
    );
    let began = Instant::now();
    j.today(now).expect("today");
    eprintln!("second Today: {:?}", began.elapsed());
    let began = Instant::now();
    let everyone = j.person_events(None).expect("events");
    let facts: i64 = j
        .conn()
        .query_row(
            "SELECT count(*) FROM touchpoints t NOT INDEXED CROSS JOIN participants pp
             ON pp.touchpoint_id = t.id WHERE t.deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("facts");
    eprintln!(
        "before: reading every event and participation, as the digest did at the first Today: \
         {:?} ({} people, {facts} participations)",
        began.elapsed(),
        everyone.len()
    );
    let people: Vec<Uuid> = j
        .people(false)
        .expect("people")
        .iter()
        .map(|p| p.id)
        .collect();
    let lw = LossWeight::default();
    let mut new = Vec::new();
    let mut old = Vec::new();
    for p in people.iter().take(50) {
        let began = Instant::now();
        let report = j.balance(&Scope::Person { id: *p }, now).expect("balance");
        new.push(began.elapsed());
        let began = Instant::now();
        let events = j
            .person_events(Some(*p))
            .expect("events")
            .remove(p)
            .unwrap_or_default();
        let before = balance::compute(&events, lw, now);
        old.push(began.elapsed());
        assert_eq!(report.events.len(), before.events.len());
    }
    new.sort();
    old.sort();
    eprintln!(
        "person balance with explanation, nothing warm: median {:?} p95 {:?} (stored) against \
         median {:?} p95 {:?} (before: read from the entries' rows)",
        new[new.len() / 2],
        new[new.len() * 95 / 100],
        old[old.len() / 2],
        old[old.len() * 95 / 100]
    );
}

/// The triggers travel with the database: after a re-encryption and after restoring a backup
/// (both copy it with `sqlcipher_export`), writes still keep the stored balances.
#[test]
fn the_stored_balances_survive_rekey_and_restore() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("j");
    let (mut j, _) = Journal::init(&path, &pass()).expect("init");
    let ana = j
        .add_person(NewPerson {
            name: "Ana".into(),
            ..NewPerson::default()
        })
        .expect("person")
        .id;
    capture(&mut j, ana, 3, 1, 1, false);
    let initiative = roll_out(&mut j);
    let backup = j.backup(Utc::now()).expect("backup");
    j.rekey(&pass(), super::OldBackups::Reencrypt, &mut |_| {})
        .expect("rekey");
    capture(&mut j, ana, 2, -2, -1, true);
    check(&j, initiative).expect("after rekey");
    assert_eq!(j.stored_totals(&ana.to_string()).expect("totals").events, 2);
    drop(j);
    Journal::restore(&path, std::path::Path::new(&backup.path), &pass()).expect("restore");
    let mut j = Journal::open(&path, &pass()).expect("open");
    capture(&mut j, ana, 1, 2, 2, false);
    check(&j, initiative).expect("after restore");
    assert_eq!(j.stored_totals(&ana.to_string()).expect("totals").events, 2);
}

/// The triggers and indexes of the stored balances, as `(name, sql)` sorted: those whose text
/// names one of the stored tables.
fn balance_triggers(conn: &rusqlite::Connection) -> Vec<(String, String)> {
    conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index')
         AND (sql LIKE '%balance_events%' OR sql LIKE '%balance_totals%'
              OR sql LIKE '%participation%')
         ORDER BY name",
    )
    .expect("triggers")
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
    .expect("triggers")
    .collect::<rusqlite::Result<_>>()
    .expect("triggers")
}

/// A journal with an initiative and no entries, to import into.
fn empty_with_initiative(path: &std::path::Path) -> (Journal, Uuid) {
    let (mut j, _) = Journal::init(path, &pass()).expect("init");
    let initiative = roll_out(&mut j);
    (j, initiative)
}

/// Ana, someone to capture entries with.
fn add_ana(j: &mut Journal) -> Uuid {
    j.add_person(NewPerson {
        name: "Ana".into(),
        ..NewPerson::default()
    })
    .expect("person")
    .id
}

/// Pausing for a bulk write drops every trigger of the stored balances (none left to write
/// row by row), and the rebuild puts back exactly the triggers and index a new journal has.
#[test]
fn a_pause_drops_every_balance_trigger_and_the_rebuild_puts_them_back_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut j, _) = empty_with_initiative(&dir.path().join("j"));
    let before = balance_triggers(j.conn());
    assert!(before.len() > 10, "found {before:?}");
    let tx = j.conn.transaction().expect("transaction");
    super::aggregates::pause(&tx).expect("pause");
    let left: Vec<String> = balance_triggers(&tx).into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, ["balance_events_entry"], "only the index is left");
    super::aggregates::rebuild(&tx).expect("rebuild");
    assert_eq!(balance_triggers(&tx), before);
    tx.commit().expect("commit");
    assert_eq!(balance_triggers(j.conn()), before);
}

/// An import into an empty journal goes in bulk, and leaves the stored balances equal to a
/// recomputation, with the triggers back so later writes keep them.
#[test]
fn a_bulk_import_leaves_balances_as_recomputed_and_later_writes_keep_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut j, initiative) = empty_with_initiative(&dir.path().join("j"));
    let triggers = balance_triggers(j.conn());
    let doc = source_document();
    let new_entries = doc.touchpoints.len();
    assert!(
        j.bulk_pays(new_entries).expect("bulk"),
        "an empty journal takes it in bulk"
    );
    j.import_document(&doc, &mut |_| ControlFlow::Continue(()))
        .expect("import");
    assert_eq!(balance_triggers(j.conn()), triggers);
    check(&j, initiative).expect("after the bulk import");
    let ina = j
        .person_id_named("Imported Ina")
        .expect("named")
        .expect("ina");
    assert!(j.stored_totals(&ina.to_string()).expect("totals").events >= 4);
    let entry = capture(&mut j, ina, 1, 2, 2, false);
    j.link_initiative(initiative, entry).expect("link");
    check(&j, initiative).expect("after a later write");
    // A second import brings nothing new, so it goes row by row and changes nothing.
    assert!(!j.bulk_pays(0).expect("bulk"));
    let totals = j.stored_totals(&ina.to_string()).expect("totals");
    j.import_document(&doc, &mut |_| ControlFlow::Continue(()))
        .expect("import again");
    assert_eq!(j.stored_totals(&ina.to_string()).expect("totals"), totals);
    check(&j, initiative).expect("after the second import");
}

/// A journal that holds far more than an import brings takes it row by row.
#[test]
fn a_small_import_into_a_full_journal_goes_row_by_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut j, initiative) = empty_with_initiative(&dir.path().join("j"));
    let ana = add_ana(&mut j);
    let doc = source_document();
    let more = doc.touchpoints.len() * super::aggregates::BULK_RATIO + 1;
    for days in 0..more as i64 {
        capture(&mut j, ana, days, 1, -1, false);
    }
    assert!(!j.bulk_pays(doc.touchpoints.len()).expect("bulk"));
    j.import_document(&doc, &mut |_| ControlFlow::Continue(()))
        .expect("import");
    check(&j, initiative).expect("after the import");
}

/// An import cancelled after its rows are written, with the triggers paused, leaves the
/// journal as it was: its rows, its stored balances and its triggers.
#[test]
fn a_cancelled_bulk_import_leaves_rows_balances_and_triggers_as_they_were() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut j, initiative) = empty_with_initiative(&dir.path().join("j"));
    let ana = add_ana(&mut j);
    capture(&mut j, ana, 3, -1, 2, false);
    let doc = source_document();
    assert!(j.bulk_pays(doc.touchpoints.len()).expect("bulk"));
    let triggers = balance_triggers(j.conn());
    let count = |j: &Journal, table: &str| -> i64 {
        j.conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };
    let tables = [
        "touchpoints",
        "reflections",
        "balance_events",
        "balance_totals",
        "participation",
    ];
    let before: Vec<i64> = tables.iter().map(|t| count(&j, t)).collect();
    let mut reached_the_end = false;
    let result = j.import_document(&doc, &mut |p| {
        if p.stage == "writing" && p.done == p.total {
            reached_the_end = true;
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(reached_the_end, "cancelled once every row was written");
    assert!(
        matches!(result, Err(crate::exchange::ExchangeError::Cancelled)),
        "{result:?}"
    );
    assert_eq!(balance_triggers(j.conn()), triggers);
    let after: Vec<i64> = tables.iter().map(|t| count(&j, t)).collect();
    assert_eq!(after, before);
    check(&j, initiative).expect("after the cancelled import");
    capture(&mut j, ana, 1, 2, 2, false);
    assert_eq!(j.stored_totals(&ana.to_string()).expect("totals").events, 2);
    check(&j, initiative).expect("a later write is still kept");
}
