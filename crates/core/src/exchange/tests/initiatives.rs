//! Initiatives in exports: which go and what of each, canaries of private entries and of
//! people outside the selection, pseudonyms, import round trips, version 1 documents, review
//! mode, and erased people.

use super::*;
use crate::initiative::{
    Cadence, ConcernKind, NewInitiative, NewMeasure, NewOutcome, OutcomeKind, PlanStep,
    StatementSide,
};
use crate::model::TouchpointKind;

/// Texts that must never leave: tied to a private entry, or only in an initiative that rests
/// on private entries alone.
const PRIVATE_CANARIES: &[&str] = &[
    "GUIDELINE-IN-PRIVATE",
    "SETBACK-IN-PRIVATE",
    "LESSON-IN-PRIVATE",
    "CONCERN-IN-PRIVATE",
    "ONLY-PRIVATE-INITIATIVE",
    "PRIVATE-ONLY-STATEMENT",
];

/// The ids of the fixture's AI roll-out.
pub(super) struct Rollout {
    pub id: Uuid,
    pub zeb_concern: Uuid,
    pub ursula_concern: Uuid,
}

fn d(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

/// An AI roll-out over the fixture: linked to its entries (the private one too), with
/// statements (one restated), guidelines, a win and a setback, concerns of Zebediah, Ursula and
/// Ana, a planned step and a measure; and a second initiative linked to the private entry only.
/// Zebediah's last name is only in the concern he raised.
pub(super) fn rollout(j: &mut Journal, f: &Fixture) -> Rollout {
    let i = j
        .add_initiative(NewInitiative {
            name: "Copilot roll-out".into(),
            purpose: "Help Zebediah's squad review code".into(),
            status: Some(crate::initiative::InitiativeStatus::Running),
            starts_on: Some(d("2024-03-01")),
            people: vec![f.zeb, f.ursula],
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    for t in [f.one_on_one, f.shared, f.decision, f.private] {
        j.link_initiative(i, t).expect("link");
    }
    let s = j
        .add_statement(
            i,
            StatementSide::Does,
            "Drafts review comments",
            Some(d("2024-03-01")),
        )
        .expect("statement");
    j.restate(
        s.id,
        "Drafts review comments for Zebediah to edit",
        Some(d("2024-03-05")),
    )
    .expect("restate");
    j.add_statement(
        i,
        StatementSide::DoesNot,
        "Never rates anyone",
        Some(d("2024-03-01")),
    )
    .expect("statement");
    j.add_guideline(
        i,
        "Zebediah reviews every suggestion",
        &[f.zeb, f.ursula],
        Some(f.one_on_one),
        Some(d("2024-03-04")),
    )
    .expect("guideline");
    j.add_guideline(
        i,
        "GUIDELINE-IN-PRIVATE",
        &[f.zeb],
        Some(f.private),
        Some(d("2024-03-08")),
    )
    .expect("guideline");
    j.add_outcome(
        i,
        OutcomeKind::Win,
        NewOutcome {
            happened_on: Some(d("2024-03-06")),
            what: "Zebediah shipped the fix a day early".into(),
            lesson: "Small uses first".into(),
            people: vec![f.zeb],
            touchpoints: vec![f.one_on_one],
        },
    )
    .expect("win");
    j.add_outcome(
        i,
        OutcomeKind::Setback,
        NewOutcome {
            happened_on: Some(d("2024-03-08")),
            what: "SETBACK-IN-PRIVATE".into(),
            lesson: "LESSON-IN-PRIVATE".into(),
            people: vec![f.zeb],
            touchpoints: vec![f.private],
        },
    )
    .expect("setback");
    let zeb_concern = j
        .add_concern(
            i,
            ConcernKind::Replacement,
            f.zeb,
            "Quartermaine fears the tool replaces him",
            Some(f.one_on_one),
        )
        .expect("concern")
        .id;
    j.add_concern(
        i,
        ConcernKind::Privacy,
        f.zeb,
        "CONCERN-IN-PRIVATE",
        Some(f.private),
    )
    .expect("concern");
    let ursula_concern = j
        .add_concern(
            i,
            ConcernKind::Workload,
            f.ursula,
            "URSULA-CONCERN",
            Some(f.shared),
        )
        .expect("concern")
        .id;
    j.answer_concern(ursula_concern, "URSULA-ANSWER", Utc::now())
        .expect("answer");
    let ana_concern = j
        .add_concern(i, ConcernKind::Skills, f.ana, "Ana wants training", None)
        .expect("concern")
        .id;
    j.answer_concern(ana_concern, "Two hours a month", Utc::now())
        .expect("answer");
    j.plan_step(
        i,
        PlanStep::Exploration,
        Some(Cadence::Weekly),
        None,
        Some(d("2024-03-01")),
    )
    .expect("plan");
    j.mark_step(i, PlanStep::Exploration, f.one_on_one)
        .expect("mark");
    j.mark_step(i, PlanStep::Exploration, f.private)
        .expect("mark");
    j.add_measure(
        i,
        NewMeasure {
            taken_on: Some(d("2024-03-20")),
            satisfaction: 1,
            collaboration: 0,
            quality: 1,
            confidence: -1,
            note: "Zebediah is more at ease".into(),
        },
    )
    .expect("measure");
    let hidden = j
        .add_initiative(NewInitiative {
            name: "ONLY-PRIVATE-INITIATIVE".into(),
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    j.link_initiative(hidden, f.private).expect("link");
    j.add_statement(hidden, StatementSide::Does, "PRIVATE-ONLY-STATEMENT", None)
        .expect("statement");
    Rollout {
        id: i,
        zeb_concern,
        ursula_concern,
    }
}

/// An initiative over the property tests' journal: every entry linked (private ones too), a
/// concern and a win in each entry with people, a guideline, a restated statement, a planned
/// step and a measure.
pub(super) fn rollout_over(j: &mut Journal, people: &[Uuid], entries: &[Uuid]) {
    let i = j
        .add_initiative(NewInitiative {
            name: "Assistant pilot".into(),
            people: people.iter().take(1).copied().collect(),
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    let s = j
        .add_statement(i, StatementSide::Does, "Summarises threads", None)
        .expect("statement");
    j.restate(s.id, "Summarises long threads", None)
        .expect("restate");
    j.plan_step(
        i,
        PlanStep::Training,
        Some(Cadence::Monthly),
        Some(4),
        Some(d("2024-01-01")),
    )
    .expect("plan");
    j.add_measure(
        i,
        NewMeasure {
            satisfaction: 1,
            collaboration: 1,
            quality: 0,
            confidence: -1,
            ..NewMeasure::default()
        },
    )
    .expect("measure");
    for (n, t) in entries.iter().enumerate() {
        j.link_initiative(i, *t).expect("link");
        let members = j.touchpoint(*t).expect("entry").participants;
        if n == 0 {
            j.add_guideline(i, "Check every summary", &members, Some(*t), None)
                .expect("guideline");
            j.mark_step(i, PlanStep::Training, *t).expect("mark");
        }
        if let Some(p) = members.first() {
            let c = j
                .add_concern(
                    i,
                    ConcernKind::Workload,
                    *p,
                    &format!("Concern {n}"),
                    Some(*t),
                )
                .expect("concern");
            if n % 2 == 0 {
                j.answer_concern(c.id, &format!("Answer {n}"), base())
                    .expect("answer");
            }
            j.add_outcome(
                i,
                OutcomeKind::Win,
                NewOutcome {
                    what: format!("Win {n}"),
                    people: members.clone(),
                    touchpoints: vec![*t],
                    ..NewOutcome::default()
                },
            )
            .expect("win");
        }
    }
}

/// An initiative with its lists in one order, to compare what was written with what is read.
pub(super) fn whole(mut i: ExportedInitiative) -> ExportedInitiative {
    super::super::initiatives::normalise(&mut i);
    i
}

fn text(doc: &ExportDocument) -> String {
    serde_json::to_string(doc).expect("json")
}

#[test]
fn an_export_carries_initiatives_with_its_entries_and_nothing_of_private_ones() {
    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    let r = rollout(&mut j, &f);
    let doc = json_doc(
        &j,
        &ExportOptions {
            people: vec![f.zeb, f.ana],
            ..ExportOptions::default()
        },
    );
    assert_eq!(doc.version, 2);
    assert_eq!(
        doc.initiatives.len(),
        1,
        "the private-only initiative stays home"
    );
    let i = &doc.initiatives[0];
    assert_eq!(i.id, r.id);
    let mut linked = i.touchpoints.clone();
    linked.sort();
    let mut expected = vec![f.one_on_one, f.shared];
    expected.sort();
    assert_eq!(linked, expected, "only exported entries are linked");
    assert_eq!(i.people, vec![f.zeb], "Ursula is not in the export");
    assert_eq!(i.statements.len(), 2);
    assert_eq!(
        i.statements[0].history.len(),
        2,
        "what the team was told when"
    );
    assert_eq!(i.guidelines.len(), 1);
    assert_eq!(i.guidelines[0].shaped_by, vec![f.zeb]);
    assert_eq!(i.outcomes.len(), 1);
    let concerns: Vec<Uuid> = i.concerns.iter().map(|c| c.id).collect();
    assert!(concerns.contains(&r.zeb_concern));
    assert!(!concerns.contains(&r.ursula_concern));
    assert_eq!(
        i.concerns.len(),
        2,
        "Zebediah's in the shared entry and Ana's"
    );
    assert_eq!(i.plan.len(), 1);
    assert_eq!(i.plan[0].touchpoints, vec![f.one_on_one]);
    assert_eq!(i.measures.len(), 1);

    let json = text(&doc);
    for canary in PRIVATE_CANARIES
        .iter()
        .chain(&["URSULA-CONCERN", "URSULA-ANSWER"])
    {
        assert!(!json.contains(canary), "{canary} left in the export");
    }
    assert!(!json.contains(&f.private.to_string()));
    assert!(!json.contains(&f.ursula.to_string()));

    // A full export keeps the same promises about the private entry.
    let full = text(&json_doc(&j, &ExportOptions::default()));
    for canary in PRIVATE_CANARIES {
        assert!(!full.contains(canary), "{canary} left in a full export");
    }
    assert!(
        full.contains("URSULA-CONCERN"),
        "Ursula is in a full export"
    );
}

#[test]
fn a_narrowed_export_takes_only_initiatives_with_an_exported_entry() {
    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    rollout(&mut j, &f);
    let unlinked = j
        .add_initiative(NewInitiative {
            name: "Not started".into(),
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    let full = json_doc(&j, &ExportOptions::default());
    assert!(
        full.initiatives.iter().any(|i| i.id == unlinked),
        "a full export is a portable copy"
    );
    let narrowed = json_doc(
        &j,
        &ExportOptions {
            kinds: vec![TouchpointKind::Decision],
            ..ExportOptions::default()
        },
    );
    assert_eq!(narrowed.initiatives.len(), 1);
    let i = &narrowed.initiatives[0];
    assert_eq!(i.touchpoints, vec![f.decision]);
    assert!(
        i.concerns.is_empty(),
        "with a kind filter only concerns raised in exported entries go"
    );
    assert!(i.guidelines[0].touchpoint_id.is_none());
}

#[test]
fn a_pseudonymised_export_names_no_one_in_its_initiatives() {
    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    rollout(&mut j, &f);
    let doc = json_doc(
        &j,
        &ExportOptions {
            pseudonymise: true,
            ..ExportOptions::default()
        },
    );
    let i = &doc.initiatives[0];
    assert!(!i.concerns.is_empty() && !i.guidelines.is_empty());
    let json = text(&doc);
    for name in ["Zebediah", "Quartermaine", "Ursula", "Ana "] {
        assert!(
            !json.contains(name),
            "{name} left in a pseudonymised export"
        );
    }
    assert!(i.purpose.contains("Person "), "{}", i.purpose);
    assert!(i.concerns.iter().any(|c| c.text.contains("Person ")));
}

#[test]
fn initiatives_come_back_whole_and_a_second_import_changes_nothing() {
    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    let r = rollout(&mut j, &f);
    let doc = json_doc(&j, &ExportOptions::default());
    let (_d2, mut target) = journal();
    let first = target.import_document(&doc, &mut go).expect("import");
    assert_eq!(first.initiatives.added, 1);
    let page = target.initiative_page(r.id, Utc::now()).expect("page");
    assert_eq!(page.statements.len(), 2);
    assert_eq!(page.statements[0].history.len(), 2);
    assert_eq!(page.guidelines.len(), 1);
    assert_eq!(page.concerns.len(), 3);
    assert_eq!(page.concerns.iter().filter(|c| !c.answered).count(), 1);
    assert_eq!(page.outcomes.len(), 1);
    assert_eq!(page.measures.len(), 1);
    assert_eq!(page.entries.len(), 3);
    assert!(page.balance.total.events.len() > 1);
    let got = target
        .initiative_record(r.id)
        .expect("read")
        .expect("there");
    assert_eq!(whole(got), whole(doc.initiatives[0].clone()));

    let before = dump(&target);
    let again = target.import_document(&doc, &mut go).expect("again");
    assert_eq!(again.changed(), 0);
    assert_eq!(again.initiatives.unchanged, 1);
    assert_eq!(dump(&target), before);

    // Back into the journal it came from: what the export left out (the private links) stays.
    let before = dump(&j);
    let home = j.import_document(&doc, &mut go).expect("home");
    assert_eq!(home.changed(), 0);
    assert_eq!(dump(&j), before);

    // An initiative of the same name elsewhere is the same initiative.
    let (_d3, mut other) = journal();
    other
        .add_initiative(NewInitiative {
            name: "copilot ROLL-OUT".into(),
            ..NewInitiative::default()
        })
        .expect("initiative");
    let merged = other.import_document(&doc, &mut go).expect("import");
    assert_eq!(merged.initiatives.updated, 1);
    assert_eq!(other.initiatives().expect("list").len(), 1);
}

#[test]
fn an_export_of_version_1_without_initiatives_is_still_read_and_imported() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export-v1.json");
    let bytes = std::fs::read(path).expect("fixture");
    let errors = check_against(
        &schema("touchpoint-export-v1.schema.json"),
        &serde_json::from_slice(&bytes).expect("json"),
    );
    assert!(errors.is_empty(), "{errors:#?}");
    let Opened::Export(doc) = open_file(&bytes, Unlock::Passphrase(&pass())).expect("open") else {
        panic!("an export");
    };
    assert_eq!(doc.version, 1);
    assert!(doc.initiatives.is_empty());
    let (_dir, mut j) = journal();
    let first = j.import_document(&doc, &mut go).expect("import");
    assert!(first.touchpoints.added > 0);
    assert_eq!(
        j.import_document(&doc, &mut go).expect("again").changed(),
        0
    );
    ReviewSession::new(*doc).expect("review");
}

#[test]
fn review_mode_lists_the_initiatives_and_shows_one_with_its_balance() {
    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    let r = rollout(&mut j, &f);
    let session = ReviewSession::new(json_doc(&j, &ExportOptions::default())).expect("session");
    let list = session.initiatives();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Copilot roll-out");
    assert_eq!(list[0].open_concerns, 1);
    assert_eq!((list[0].wins, list[0].setbacks), (1, 0));
    let one = session
        .initiative(r.id, base() + Duration::days(120))
        .expect("initiative");
    assert_eq!(one.open_concerns.len(), 1);
    assert_eq!(one.open_concerns[0].id, r.zeb_concern);
    assert!(one.people.iter().any(|p| p.name == "Zebediah Quartermaine"));
    assert!(
        one.balance.events.len() >= 4,
        "reflections in the linked entries and the decision's impacts: {:?}",
        one.balance.events
    );
    assert!(session.initiative(Uuid::nil(), Utc::now()).is_err());
}

#[test]
fn an_erased_person_is_in_no_later_export_of_an_initiative() {
    let (_dir, mut j) = journal();
    let f = fixture(&mut j);
    let r = rollout(&mut j, &f);
    let before = text(&json_doc(&j, &ExportOptions::default()));
    assert!(before.contains("Quartermaine fears"));
    j.trash_person(f.zeb, Utc::now()).expect("trash");
    j.erase_person(f.zeb).expect("erase");
    let doc = json_doc(&j, &ExportOptions::default());
    let json = text(&doc);
    assert!(
        !json.contains("Quartermaine"),
        "the erased person's name left"
    );
    assert!(
        !json.contains(&f.zeb.to_string()),
        "the erased person's id left"
    );
    assert!(!json.contains(&r.zeb_concern.to_string()));
    let i = doc
        .initiatives
        .iter()
        .find(|i| i.id == r.id)
        .expect("the roll-out still goes with the shared entry");
    assert!(i.guidelines.iter().any(|g| g.shaped_by == vec![f.ursula]));
    assert!(i.concerns.iter().all(|c| c.person_id != f.zeb));
}

#[test]
fn the_html_and_markdown_reports_show_initiatives_without_private_or_named_canaries() {
    let (dir, mut j) = journal();
    let f = fixture(&mut j);
    rollout(&mut j, &f);
    for (format, name) in [
        (ExportFormat::Html, "x.html"),
        (ExportFormat::Markdown, "x.md"),
    ] {
        for pseudonymise in [false, true] {
            let out = dir.path().join(format!("{pseudonymise}-{name}"));
            let options = ExportOptions {
                pseudonymise,
                ..ExportOptions::default()
            };
            export_to(&j, &options, format, None, &out);
            let text = std::fs::read_to_string(&out).expect("read");
            assert!(text.contains("Change initiatives"), "{format}");
            assert!(text.contains("Never rates anyone"), "{format}");
            assert!(text.contains("Small uses first"), "{format}: a lesson");
            for canary in PRIVATE_CANARIES {
                assert!(!text.contains(canary), "{canary} in {format}");
            }
            if pseudonymise {
                assert!(!text.contains("Zebediah") && !text.contains("Quartermaine"));
            } else {
                assert!(text.contains("shaped by"), "{format}");
            }
        }
    }
}
