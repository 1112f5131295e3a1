//! The erase promise holds with initiatives: what a person raised or an erased entry held goes,
//! and no initiative keeps a reference to an erased person or entry; the leader's own words
//! about the initiative (its name, statements, guidelines, wins) stay.

use chrono::Utc;
use uuid::Uuid;

use super::{assert_gone, fresh, person, plant_entry, plant_person, raw, Journal};
use crate::initiative::{
    Cadence, ConcernKind, NewInitiative, NewMeasure, NewOutcome, OutcomeKind, PlanStep,
    StatementSide,
};
use crate::vault::db_path;

/// Every row of an initiative table that names `id`, as "table.column".
fn references(j: &Journal, id: Uuid) -> Vec<String> {
    let conn = raw(j, &db_path(j.dir()));
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'initiative%'")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut hits = Vec::new();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .expect("columns")
            .query_map([], |r| r.get(0))
            .expect("columns")
            .collect::<rusqlite::Result<_>>()
            .expect("columns");
        for column in columns {
            let n: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM \"{table}\" WHERE \"{column}\" = ?1"),
                    [id.to_string()],
                    |r| r.get(0),
                )
                .expect("scan");
            if n > 0 {
                hits.push(format!("{table}.{column}"));
            }
        }
    }
    hits
}

/// An initiative touching Ana (affected, shaped a guideline, gained from a win, raised a
/// concern outside any entry, prefixed `c`) and `entry` (linked, marked for a step, where a
/// guideline was agreed and Bo raised a concern, prefixed `e`). Returns the initiative, the
/// canaries that go with Ana and those that go with the entry.
fn plant_initiative(
    j: &mut Journal,
    (ana, bo, entry): (Uuid, Uuid, Uuid),
    c: &str,
    e: &str,
) -> (Uuid, Vec<String>, Vec<String>) {
    let id = j
        .add_initiative(NewInitiative {
            name: "keptinitiative rollout".into(),
            purpose: "keptpurpose".into(),
            people: vec![ana, bo],
            ..NewInitiative::default()
        })
        .expect("initiative")
        .id;
    j.add_statement(id, StatementSide::Does, "keptstatement", None)
        .expect("statement");
    j.link_initiative(id, entry).expect("link");
    j.mark_step(id, PlanStep::Exploration, entry).expect("mark");
    j.plan_step(id, PlanStep::Exploration, Some(Cadence::Weekly), None, None)
        .expect("plan");
    j.add_guideline(id, "keptguideline", &[ana, bo], Some(entry), None)
        .expect("guideline");
    j.add_outcome(
        id,
        OutcomeKind::Win,
        NewOutcome {
            what: "keptwin".into(),
            people: vec![ana, bo],
            touchpoints: vec![entry],
            ..NewOutcome::default()
        },
    )
    .expect("win");
    j.add_measure(
        id,
        NewMeasure {
            note: "keptmeasure".into(),
            ..NewMeasure::default()
        },
    )
    .expect("measure");
    let own = j
        .add_concern(
            id,
            ConcernKind::Replacement,
            ana,
            &format!("{c}concern"),
            None,
        )
        .expect("concern");
    j.answer_concern(own.id, &format!("{c}concernanswer"), Utc::now())
        .expect("answer");
    j.add_concern(
        id,
        ConcernKind::Privacy,
        bo,
        &format!("{e}entryconcern"),
        Some(entry),
    )
    .expect("concern in the entry");
    (
        id,
        vec![format!("{c}concern"), format!("{c}concernanswer")],
        vec![format!("{e}entryconcern")],
    )
}

fn kept_words() -> Vec<String> {
    [
        "keptinitiative rollout",
        "keptpurpose",
        "keptstatement",
        "keptguideline",
        "keptwin",
        "keptmeasure",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn erasing_a_person_takes_their_concerns_and_every_initiative_reference_to_them() {
    let (_dir, mut j) = fresh();
    let bo = person(&mut j, "Bo keptname", "keptbo");
    let (ana, mut canaries) = plant_person(&mut j, bo, "kanariinit");
    let shared = j.timeline(&Default::default()).expect("timeline");
    let entry = shared
        .iter()
        .find(|t| t.title == "shared plan")
        .expect("the shared entry")
        .id;
    let (id, more, _) = plant_initiative(&mut j, (ana, bo, entry), "kanariinit", "keptshared");
    canaries.extend(more);
    super::assert_all_present(&raw(&j, &db_path(j.dir())), &canaries);
    j.erase_person(ana).expect("erase");
    let mut kept = super::kept();
    kept.extend(kept_words());
    kept.push("keptsharedentryconcern".into());
    assert_gone(&j, &canaries, &kept);
    assert_eq!(
        references(&j, ana),
        Vec::<String>::new(),
        "no initiative names her"
    );
    let page = j.initiative_page(id, Utc::now()).expect("page");
    assert_eq!(page.initiative.people.len(), 1);
    assert_eq!(page.guidelines[0].shaped_by.len(), 1);
    assert_eq!(page.concerns.len(), 1, "Bo's concern stays");
}

#[test]
fn erasing_an_entry_takes_the_concerns_raised_in_it_and_its_links() {
    let (_dir, mut j) = fresh();
    let ana = person(&mut j, "Ana keptname", "keptana");
    let bo = person(&mut j, "Bo keptname", "keptbo");
    let (entry, mut canaries) = plant_entry(&mut j, vec![ana, bo], "kanariinitentry");
    let (id, _, more) = plant_initiative(&mut j, (ana, bo, entry), "keptana", "kanariinitentry");
    canaries.extend(more);
    super::assert_all_present(&raw(&j, &db_path(j.dir())), &canaries);
    j.erase_touchpoint(entry).expect("erase");
    let mut kept = kept_words();
    kept.extend(["keptanaconcern".into(), "keptanaconcernanswer".into()]);
    assert_gone(&j, &canaries, &kept);
    assert_eq!(
        references(&j, entry),
        Vec::<String>::new(),
        "no initiative names it"
    );
    let page = j.initiative_page(id, Utc::now()).expect("page");
    assert_eq!(
        page.guidelines[0].touchpoint_id, None,
        "the guideline stays, unlinked"
    );
    assert!(page.entries.is_empty());
    assert!(page.outcomes[0].touchpoints.is_empty());
    assert_eq!(
        page.concerns.len(),
        1,
        "only the concern raised outside the entry stays"
    );
}
