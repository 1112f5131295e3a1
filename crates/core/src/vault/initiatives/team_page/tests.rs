//! The page for the team holds what the team may see and nothing personal: the promise "it
//! never contains private entries, ratings, balances, concerns tied to a named person, or
//! reflections" is checked with canaries planted in each of those, in both formats.

use chrono::{Duration, Utc};
use uuid::Uuid;

use super::super::super::Journal;
use crate::initiative::{
    Cadence, ConcernKind, InitiativeStatus, NewInitiative, NewMeasure, NewOutcome, OutcomeKind,
    PlanStep, StatementSide, TeamPageFormat,
};
use crate::model::{NewPerson, NewReflection, NewTouchpoint, TouchpointKind};
use crate::secret::Passphrase;

fn fresh() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (j, _) = Journal::init(
        &dir.path().join("j"),
        &Passphrase::new("team page test passphrase".into()),
    )
    .expect("init");
    (dir, j)
}

fn person(j: &mut Journal, name: &str) -> Uuid {
    j.add_person(NewPerson {
        name: name.into(),
        ..NewPerson::default()
    })
    .expect("person")
    .id
}

fn entry(j: &mut Journal, who: Uuid, private: bool, title: &str, side: &str) -> Uuid {
    let t = j
        .add_touchpoint(NewTouchpoint {
            kind: TouchpointKind::OneOnOne,
            occurred_at: Some((Utc::now() - Duration::days(2)).fixed_offset()),
            duration_minutes: None,
            title: title.into(),
            participants: vec![who],
            team: None,
            affected_groups: Vec::new(),
            notes: format!("{title} notes"),
            tags: Vec::new(),
            private,
            source: String::new(),
            state: None,
        })
        .expect("entry");
    j.reflect(NewReflection {
        touchpoint_id: t.id,
        person_id: who,
        answers: Vec::new(),
        their_side: side.into(),
        willingness: -2,
        ability: 1,
        adversarial: false,
        would_have_helped: String::new(),
        next_time: String::new(),
    })
    .expect("reflect");
    t.id
}

#[test]
fn the_team_page_never_holds_private_entries_ratings_balances_concerns_or_reflections() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana Shaper");
    let bo = person(&mut j, "Bo Worried");
    let id = j
        .add_initiative(NewInitiative {
            name: "Copilot roll-out".into(),
            purpose: "Faster reviews, same craft.".into(),
            status: Some(InitiativeStatus::Running),
            people: vec![ana, bo],
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    let open = entry(&mut j, ana, false, "canaryopentitle", "canaryreflection");
    let secret = entry(&mut j, bo, true, "canaryprivatetitle", "canaryprivateside");
    j.link_initiative(id, open).expect("link");
    j.link_initiative(id, secret).expect("link");
    j.add_statement(id, StatementSide::Does, "Drafts <unit> tests", None)
        .expect("does");
    let old = j
        .add_statement(id, StatementSide::DoesNot, "canaryoldwording", None)
        .expect("does not");
    j.restate(old.id, "It never rates anyone's work", None)
        .expect("restate");
    j.add_guideline(
        id,
        "Review generated code like any other",
        &[ana],
        Some(open),
        None,
    )
    .expect("guideline");
    j.add_guideline(id, "canaryprivateguideline", &[bo], Some(secret), None)
        .expect("guideline in a private entry");
    j.add_outcome(
        id,
        OutcomeKind::Setback,
        NewOutcome {
            what: "A suggestion logged a customer name".into(),
            lesson: "Check generated logging".into(),
            people: vec![bo],
            touchpoints: vec![open],
            ..NewOutcome::default()
        },
    )
    .expect("setback");
    j.add_outcome(
        id,
        OutcomeKind::Win,
        NewOutcome {
            what: "canaryprivatewin".into(),
            touchpoints: vec![secret],
            ..NewOutcome::default()
        },
    )
    .expect("win from a private entry");
    j.add_concern(
        id,
        ConcernKind::Replacement,
        bo,
        "canaryconcern",
        Some(secret),
    )
    .expect("concern");
    j.add_measure(
        id,
        NewMeasure {
            satisfaction: 2,
            note: "canarymeasure".into(),
            ..NewMeasure::default()
        },
    )
    .expect("measure");
    j.plan_step(
        id,
        PlanStep::Training,
        Some(Cadence::Monthly),
        Some(4),
        None,
    )
    .expect("training");
    j.plan_step(id, PlanStep::Exploration, Some(Cadence::Weekly), None, None)
        .expect("exploration");
    for format in [TeamPageFormat::Html, TeamPageFormat::Markdown] {
        let page = j
            .initiative_team_page(id, format, Utc::now())
            .expect("page");
        for part in [
            "Copilot roll-out",
            "It never rates anyone",
            "Review generated code like any other",
            "shaped by Ana Shaper",
            "Check generated logging",
            "4 hours every month",
            "every week",
        ] {
            assert!(page.contains(part), "{format}: lacks {part:?}\n{page}");
        }
        for canary in [
            "canary",
            "Bo Worried",
            "Bo",
            "balance",
            "Balance",
            "willingness",
            "ability",
            "-2",
            "+2",
            "concern",
            "measure",
        ] {
            assert!(!page.contains(canary), "{format}: holds {canary:?}\n{page}");
        }
    }
    let html = j
        .initiative_team_page(id, TeamPageFormat::Html, Utc::now())
        .expect("html");
    assert!(html.contains("Drafts &lt;unit&gt; tests"), "escaped");
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
}

#[test]
fn an_initiative_resting_on_private_entries_only_has_no_team_page() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana");
    let id = j
        .add_initiative(NewInitiative {
            name: "Quiet pilot".into(),
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    assert!(
        j.initiative_team_page(id, TeamPageFormat::Markdown, Utc::now())
            .is_ok(),
        "no entries yet is not private"
    );
    let secret = entry(&mut j, ana, true, "private", "side");
    j.link_initiative(id, secret).expect("link");
    let e = j
        .initiative_team_page(id, TeamPageFormat::Html, Utc::now())
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("private"), "{e}");
}
