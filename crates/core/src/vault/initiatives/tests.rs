//! Initiatives in the journal: what is kept, what is refused (and then nothing is written), and
//! a balance made of the linked entries only.

use chrono::{Duration, Local, NaiveDate, Utc};
use uuid::Uuid;

use super::super::{Journal, Scope};
use crate::initiative::{
    Cadence, ConcernKind, InitiativeStatus, NewInitiative, NewMeasure, NewOutcome, OutcomeKind,
    PeriodMark, PlanStep, StatementSide,
};
use crate::model::{NewPerson, NewReflection, NewTouchpoint, TouchpointKind};
use crate::secret::Passphrase;
use crate::Error;

fn fresh() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (journal, _code) = Journal::init(
        &dir.path().join("j"),
        &Passphrase::new("initiatives test passphrase".into()),
    )
    .expect("init");
    (dir, journal)
}

fn person(j: &mut Journal, name: &str, team: &str) -> Uuid {
    j.add_person(NewPerson {
        name: name.into(),
        teams: vec![team.into()],
        ..NewPerson::default()
    })
    .expect("person")
    .id
}

fn meeting(j: &mut Journal, who: Uuid, days_ago: i64, w: i32, a: i32) -> Uuid {
    let t = j
        .add_touchpoint(NewTouchpoint {
            kind: TouchpointKind::OneOnOne,
            occurred_at: Some((Utc::now() - Duration::days(days_ago)).fixed_offset()),
            duration_minutes: None,
            title: format!("talk {days_ago}"),
            participants: vec![who],
            team: None,
            affected_groups: Vec::new(),
            notes: String::new(),
            tags: Vec::new(),
            private: false,
            source: String::new(),
            state: None,
        })
        .expect("touchpoint");
    j.reflect(NewReflection {
        touchpoint_id: t.id,
        person_id: who,
        answers: Vec::new(),
        their_side: String::new(),
        willingness: w,
        ability: a,
        adversarial: false,
        would_have_helped: String::new(),
        next_time: String::new(),
    })
    .expect("reflect");
    t.id
}

fn rollout(j: &mut Journal, people: Vec<Uuid>) -> Uuid {
    j.add_initiative(NewInitiative {
        name: "Copilot roll-out".into(),
        purpose: "Help the team write and review code faster without losing craft.".into(),
        status: Some(InitiativeStatus::Running),
        starts_on: Some(NaiveDate::from_ymd_opt(2026, 9, 1).expect("date")),
        review_on: Some(NaiveDate::from_ymd_opt(2027, 3, 1).expect("date")),
        teams: vec!["Platform".into()],
        people,
        ..NewInitiative::default()
    })
    .expect("initiative")
    .id
}

/// Rows in every initiative table, to prove a refusal wrote nothing.
fn rows(j: &Journal) -> i64 {
    let tables: Vec<String> = j
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'initiative%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    tables
        .iter()
        .map(|t| {
            j.conn()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .expect("count")
        })
        .sum()
}

#[test]
fn an_initiative_is_kept_with_its_teams_people_and_dates_and_found_by_name_or_id() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, vec![ana]);
    let i = j.initiative(id).expect("read");
    assert_eq!(i.teams, vec!["Platform".to_string()]);
    assert_eq!(i.people[0].name, "Ana");
    assert_eq!(i.status, InitiativeStatus::Running);
    assert_eq!(
        i.tag.as_deref(),
        Some("ai-rollout"),
        "the built-in tag by default"
    );
    assert_eq!(
        j.find_initiative("copilot ROLL-OUT").expect("by name").id,
        id
    );
    assert_eq!(j.find_initiative("cop").expect("by prefix").id, id);
    assert_eq!(j.find_initiative(&id.to_string()).expect("by id").id, id);
    assert_eq!(j.initiatives().expect("list").len(), 1);
    let paused = j
        .set_initiative_status(id, InitiativeStatus::Paused)
        .expect("status");
    assert_eq!(paused.status, InitiativeStatus::Paused);
    let mut edited = paused.clone();
    edited.name = "Copilot pilot".into();
    edited.people.clear();
    edited.tag = Some(String::new());
    let saved = j.update_initiative(&edited).expect("edit");
    assert_eq!(
        (saved.name.as_str(), saved.people.len()),
        ("Copilot pilot", 0)
    );
    assert_eq!(saved.tag, None, "an empty tag means linking adds none");
}

#[test]
fn bad_input_is_refused_with_a_clear_error_and_writes_nothing() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let bo = person(&mut j, "Bo", "Platform");
    let id = rollout(&mut j, vec![ana]);
    let unlinked = meeting(&mut j, ana, 3, 1, 1);
    j.trash_person(bo, Utc::now()).expect("trash");
    let before = rows(&j);
    let msg = |e: Error| e.to_string();
    let named = |name: &str| NewInitiative {
        name: name.into(),
        ..NewInitiative::default()
    };
    assert!(msg(j.add_initiative(named("  ")).unwrap_err()).contains("must not be empty"));
    assert!(msg(j.add_initiative(named("copilot roll-out")).unwrap_err()).contains("already"));
    let with_bo = NewInitiative {
        people: vec![bo],
        ..named("Other")
    };
    assert!(msg(j.add_initiative(with_bo).unwrap_err()).contains("in the trash"));
    let with_team = NewInitiative {
        teams: vec!["Nobody".into()],
        ..named("Other")
    };
    assert_eq!(j.add_initiative(with_team).unwrap_err().code(), "not_found");
    let backwards = NewInitiative {
        starts_on: NaiveDate::from_ymd_opt(2026, 5, 1),
        review_on: NaiveDate::from_ymd_opt(2026, 4, 1),
        ..named("Other")
    };
    assert!(msg(j.add_initiative(backwards).unwrap_err()).contains("before the start"));
    let measure = NewMeasure {
        satisfaction: 3,
        ..NewMeasure::default()
    };
    assert!(msg(j.add_measure(id, measure).unwrap_err()).contains("between -2 and 2"));
    let e = j
        .add_concern(
            id,
            ConcernKind::Replacement,
            ana,
            "Will it take my job?",
            Some(unlinked),
        )
        .unwrap_err();
    assert!(
        msg(e).contains("not linked"),
        "a concern needs a linked entry"
    );
    let e = j
        .add_concern(id, ConcernKind::Workload, bo, "More to do", None)
        .unwrap_err();
    assert!(msg(e).contains("in the trash"));
    let setback = NewOutcome {
        what: "It invented an API".into(),
        ..NewOutcome::default()
    };
    assert!(msg(j
        .add_outcome(id, OutcomeKind::Setback, setback)
        .unwrap_err())
    .contains("lesson"));
    assert!(j.add_statement(id, StatementSide::Does, " ", None).is_err());
    assert!(j
        .plan_step(
            id,
            PlanStep::Exploration,
            Some(Cadence::Weekly),
            Some(4),
            None
        )
        .is_err());
    assert!(j
        .plan_step(
            id,
            PlanStep::Training,
            Some(Cadence::Monthly),
            Some(0),
            None
        )
        .is_err());
    assert_eq!(rows(&j), before, "nothing half-written");
}

#[test]
fn rewording_a_statement_keeps_what_the_team_was_told_when() {
    let (_dir, mut j) = fresh();
    person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, Vec::new());
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day);
    let s = j
        .add_statement(
            id,
            StatementSide::DoesNot,
            "It does not rate anyone's work.",
            d(9, 1),
        )
        .expect("statement");
    let s2 = j
        .restate(
            s.id,
            "It is never used to rate or rank anyone's work.",
            d(10, 15),
        )
        .expect("restate");
    assert_eq!(s2.text, "It is never used to rate or rank anyone's work.");
    assert_eq!(s2.said_on, d(10, 15).expect("date"));
    let told: Vec<_> = s2
        .history
        .iter()
        .map(|v| (v.said_on, v.text.as_str()))
        .collect();
    assert_eq!(
        told,
        vec![
            (d(9, 1).expect("date"), "It does not rate anyone's work."),
            (
                d(10, 15).expect("date"),
                "It is never used to rate or rank anyone's work."
            )
        ]
    );
    let gone = j.withdraw_statement(s.id, d(11, 1)).expect("withdraw");
    assert_eq!(gone.withdrawn_on, d(11, 1));
    assert!(
        j.restate(s.id, "again", None).is_err(),
        "withdrawn stays withdrawn"
    );
}

#[test]
fn an_open_concern_shows_until_it_is_answered() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, vec![ana]);
    let t = meeting(&mut j, ana, 2, 0, 0);
    j.link_initiative(id, t).expect("link");
    let c = j
        .add_concern(
            id,
            ConcernKind::Replacement,
            ana,
            "Worried the tool replaces her reviews",
            Some(t),
        )
        .expect("concern");
    assert!(!c.answered);
    assert_eq!(j.concerns(id, true).expect("open").len(), 1);
    let answered = j
        .answer_concern(
            c.id,
            "Reviews stay human; the tool drafts, people decide.",
            Utc::now(),
        )
        .expect("answer");
    assert!(answered.answered && answered.answered_at.is_some());
    assert!(j.concerns(id, true).expect("open").is_empty());
    assert_eq!(j.concerns(id, false).expect("all").len(), 1);
    assert!(
        j.unlink_initiative(id, t).is_err(),
        "the entry where a concern was raised stays linked"
    );
    assert!(!j.reopen_concern(c.id).expect("reopen").answered);
}

#[test]
fn linking_adds_the_initiatives_tag_and_unlinking_keeps_it() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, Vec::new());
    let t = meeting(&mut j, ana, 1, 1, 1);
    j.link_initiative(id, t).expect("link");
    j.link_initiative(id, t).expect("linking again is a no-op");
    assert_eq!(
        j.touchpoint(t).expect("entry").tags,
        vec!["ai-rollout".to_string()]
    );
    assert_eq!(j.initiatives_of_touchpoint(t).expect("of entry")[0].id, id);
    j.unlink_initiative(id, t).expect("unlink");
    assert!(j.initiative_entries(id).expect("entries").is_empty());
    assert_eq!(
        j.touchpoint(t).expect("entry").tags,
        vec!["ai-rollout".to_string()]
    );
    assert!(j.unlink_initiative(id, t).is_err(), "not linked any more");
}

#[test]
fn guidelines_wins_setbacks_and_measures_are_kept_with_their_people() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let bo = person(&mut j, "Bo", "Platform");
    let id = rollout(&mut j, vec![ana, bo]);
    let t = meeting(&mut j, ana, 5, 2, 1);
    j.link_initiative(id, t).expect("link");
    let g = j
        .add_guideline(
            id,
            "Generated code is reviewed like any other.",
            &[ana, bo],
            Some(t),
            None,
        )
        .expect("guideline");
    assert_eq!(g.shaped_by.len(), 2);
    let win = j
        .add_outcome(
            id,
            OutcomeKind::Win,
            NewOutcome {
                what: "Test scaffolding in minutes".into(),
                people: vec![bo],
                touchpoints: vec![t],
                ..NewOutcome::default()
            },
        )
        .expect("win");
    assert_eq!(win.people[0].name, "Bo");
    j.add_outcome(
        id,
        OutcomeKind::Setback,
        NewOutcome {
            what: "A suggested query leaked a customer name into logs".into(),
            lesson: "Check generated logging before merging".into(),
            ..NewOutcome::default()
        },
    )
    .expect("setback");
    j.add_measure(
        id,
        NewMeasure {
            satisfaction: 1,
            collaboration: 0,
            quality: 1,
            confidence: -1,
            note: "Confidence lags".into(),
            ..NewMeasure::default()
        },
    )
    .expect("measure");
    j.trash_person(bo, Utc::now()).expect("trash");
    let page = j.initiative_page(id, Utc::now()).expect("page");
    assert_eq!(
        page.guidelines[0].shaped_by.len(),
        1,
        "a trashed person is not shown"
    );
    assert!(page.outcomes[0].people.is_empty());
    assert_eq!(page.outcomes.len(), 2);
    assert_eq!(page.measures[0].confidence, -1);
    assert_eq!(page.plan.len(), 5);
    j.restore_person(bo).expect("restore");
    let page = j.initiative_page(id, Utc::now()).expect("page");
    assert_eq!(
        page.guidelines[0].shaped_by.len(),
        2,
        "and is back when restored"
    );
}

#[test]
fn plan_steps_are_held_or_missed_from_the_entries_marked_for_them() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, Vec::new());
    let since = (Local::now() - Duration::days(21)).date_naive();
    j.plan_step(
        id,
        PlanStep::Exploration,
        Some(Cadence::Weekly),
        None,
        Some(since),
    )
    .expect("plan");
    let t = meeting(&mut j, ana, 20, 1, 1);
    j.mark_step(id, PlanStep::Exploration, t).expect("mark");
    assert_eq!(
        j.initiative_entries(id).expect("linked").len(),
        1,
        "marking links"
    );
    let state = j
        .plan_state(id, PlanStep::Exploration, Local::now().date_naive())
        .expect("state");
    assert_eq!(state.periods[0].mark, PeriodMark::Held);
    assert!(
        state.missed >= 1,
        "the weeks since without a session are missed"
    );
    assert_eq!(
        state.held
            + state.missed
            + state
                .periods
                .iter()
                .filter(|p| p.mark == PeriodMark::Pending)
                .count() as u32,
        state.periods.len() as u32
    );
    j.trash_touchpoint(t, Utc::now()).expect("trash");
    let state = j
        .plan_state(id, PlanStep::Exploration, Local::now().date_naive())
        .expect("state");
    assert_eq!(state.held, 0, "an entry in the trash holds nothing");
    let training = j
        .plan_step(
            id,
            PlanStep::Training,
            Some(Cadence::Monthly),
            Some(4),
            None,
        )
        .expect("training");
    assert_eq!(training.hours_per_month, Some(4));
}

#[test]
fn the_initiatives_balance_counts_only_its_linked_entries() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let bo = person(&mut j, "Bo", "Platform");
    let id = rollout(&mut j, vec![ana]);
    let linked = meeting(&mut j, ana, 10, -2, -1);
    let other = meeting(&mut j, ana, 9, 2, 2);
    let bos = meeting(&mut j, bo, 8, 1, 0);
    j.link_initiative(id, linked).expect("link");
    j.link_initiative(id, bos).expect("link");
    let _ = other;
    let now = Utc::now();
    let total = j.initiative_balance(id, None, now).expect("total");
    assert_eq!(total.events.len(), 2);
    assert_eq!(
        total.balance,
        -6.0 + 1.0,
        "(-3 x 2) + 1 at the default weight"
    );
    let ana_only = j
        .initiative_balance(id, Some(&Scope::Person { id: ana }), now)
        .expect("ana");
    assert_eq!(ana_only.balance, -6.0);
    let all_of_ana = j.balance(&Scope::Person { id: ana }, now).expect("overall");
    assert_eq!(
        all_of_ana.balance,
        -6.0 + 4.0,
        "her overall balance has both entries"
    );
    let b = j.initiative_balances(id, now).expect("balances");
    assert_eq!(b.people.len(), 2);
    assert_eq!(b.teams[0].team.as_deref(), Some("Platform"));
    assert_eq!(b.teams[0].summary.balance, -5.0);
    j.trash_touchpoint(linked, now).expect("trash");
    assert_eq!(
        j.initiative_balance(id, None, now)
            .expect("total")
            .events
            .len(),
        1,
        "an entry in the trash counts for nothing"
    );
}

#[test]
fn deleting_an_initiative_keeps_its_entries() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, vec![ana]);
    let t = meeting(&mut j, ana, 1, 1, 1);
    j.link_initiative(id, t).expect("link");
    j.add_statement(id, StatementSide::Does, "Drafts tests", None)
        .expect("statement");
    j.delete_initiative(id).expect("delete");
    assert_eq!(rows(&j), 0, "everything it kept goes with it");
    assert!(j.touchpoint(t).is_ok());
    assert_eq!(
        j.find_initiative("Copilot").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn a_capture_into_an_initiative_is_one_write_and_an_unknown_one_records_nothing() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, Vec::new());
    let new = |tags: Vec<String>| NewTouchpoint {
        kind: TouchpointKind::TeamMeeting,
        occurred_at: None,
        duration_minutes: None,
        title: "Learning Friday".into(),
        participants: vec![ana],
        team: None,
        affected_groups: Vec::new(),
        notes: String::new(),
        tags,
        private: false,
        source: String::new(),
        state: None,
    };
    let e = j
        .add_touchpoint_to_initiatives(new(Vec::new()), Vec::new(), &[id, Uuid::now_v7()])
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(j
        .timeline(&Default::default())
        .expect("timeline")
        .is_empty());
    let (t, _) = j
        .add_touchpoint_to_initiatives(new(vec!["AI-Rollout".into()]), Vec::new(), &[id])
        .expect("capture");
    assert_eq!(t.tags, vec!["ai-rollout".to_string()], "the tag once");
    assert_eq!(j.initiative_entries(id).expect("linked")[0].id, t.id);
}

#[test]
fn an_entry_linked_to_an_initiative_is_asked_its_tags_prompts_even_without_the_tag() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana", "Platform");
    let id = rollout(&mut j, Vec::new());
    let untagged = j
        .add_initiative(NewInitiative {
            name: "Desk moves".into(),
            tag: Some(String::new()),
            ..NewInitiative::default()
        })
        .expect("initiative without a tag");
    let t = meeting(&mut j, ana, 1, 1, 1);
    let scopes = |j: &Journal| -> Vec<String> {
        j.prompts_for_touchpoint(t)
            .expect("prompts")
            .iter()
            .map(|s| format!("{:?}", s.scope))
            .collect()
    };
    assert_eq!(
        scopes(&j).len(),
        1,
        "an unlinked entry: its kind's set only"
    );
    assert!(!scopes(&j)[0].contains("ai-rollout"));

    j.link_initiative(untagged.id, t).expect("link");
    assert_eq!(
        scopes(&j).len(),
        1,
        "an initiative without a tag adds no set"
    );

    j.link_initiative(id, t).expect("link");
    let asked = scopes(&j);
    assert_eq!(
        asked.len(),
        2,
        "the kind's set, then the roll-out's, once: {asked:?}"
    );
    assert!(asked[1].contains("ai-rollout"));

    // The leader takes the tag off: the link still brings the initiative's prompts.
    let mut entry = j.touchpoint(t).expect("entry");
    entry.tags.clear();
    j.update_touchpoint(&entry).expect("untag");
    let asked = scopes(&j);
    assert_eq!(asked.len(), 2);
    assert!(asked[1].contains("ai-rollout"));

    // Unlinked and untagged: back to the kind's set.
    j.unlink_initiative(id, t).expect("unlink");
    assert_eq!(scopes(&j).len(), 1);
    assert_eq!(
        j.prompts_for_touchpoint(Uuid::now_v7()).unwrap_err().code(),
        "not_found"
    );
}
