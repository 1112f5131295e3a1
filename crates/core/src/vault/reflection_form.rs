//! A whole reflection form saved in one transaction: each participant's side with the
//! commitments and topics made for them, and a decision's group impacts. Commitments and topics
//! carry ids the form generated, so saving the same form again adds nothing.

use std::collections::HashSet;

use chrono::{Local, NaiveDate};
use rusqlite::{params_from_iter, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::commitments::{clean_text, commitment_row, topic_from_row, topic_row, TOPIC_COLUMNS};
use super::entries::validate_touchpoint;
use super::{exec, put_reflection, put_touchpoint, Journal};
use crate::model::{
    check_rating, Commitment, CommitmentStatus, GroupImpact, NewReflection, OpenTopic, Reflection,
    TouchpointKind,
};
use crate::{Error, Result};

/// A promise written in the form; `id` is the form's own, stable across saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FormCommitment {
    /// The form's id for it.
    pub id: Uuid,
    /// What was promised.
    pub what: String,
    /// When it is due.
    pub due: Option<NaiveDate>,
}

/// An open topic written in the form; `id` is the form's own, stable across saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FormTopic {
    /// The form's id for it.
    pub id: Uuid,
    /// What they raised.
    pub text: String,
}

/// One participant's part of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonSide {
    /// Their side, ratings and answers (its `touchpoint_id` must be the form's).
    pub reflection: NewReflection,
    /// Promises made to them in this touchpoint.
    #[serde(default)]
    pub commitments: Vec<FormCommitment>,
    /// Topics they raised in this touchpoint.
    #[serde(default)]
    pub topics: Vec<FormTopic>,
}

/// Everything the reflection screen saves at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReflectionForm {
    /// The touchpoint reflected on.
    pub touchpoint_id: Uuid,
    /// The participants reflected on now (others are left as they are).
    #[serde(default)]
    pub people: Vec<PersonSide>,
    /// For a decision: the impact on each affected group, replacing the entry's list.
    #[serde(default)]
    pub group_impacts: Option<Vec<GroupImpact>>,
}

/// What the form saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedReflection {
    /// The reflections as stored.
    pub reflections: Vec<Reflection>,
    /// The form's commitments as stored.
    pub commitments: Vec<Commitment>,
    /// The form's topics as stored.
    pub topics: Vec<OpenTopic>,
}

impl Journal {
    /// Saves a whole reflection form in one transaction: everything is checked first, then
    /// written together, so a failure leaves the journal as it was. Commitments and topics are
    /// keyed by the form's ids: saving the form again updates their text, never duplicates them,
    /// and keeps a commitment's status.
    pub fn save_reflection(&mut self, form: ReflectionForm) -> Result<SavedReflection> {
        let mut t = self.touchpoint(form.touchpoint_id)?;
        if form.people.is_empty() && form.group_impacts.is_none() {
            return Err(Error::InvalidInput(
                "the reflection has nobody's side and no group impact to save".into(),
            ));
        }
        let mut seen = HashSet::new();
        let mut reflections = Vec::with_capacity(form.people.len());
        let mut commitments = Vec::new();
        let mut topics = Vec::new();
        let now = Local::now().fixed_offset();
        for side in &form.people {
            let r = &side.reflection;
            if r.touchpoint_id != t.id {
                return Err(Error::InvalidInput(
                    "a side of the reflection names another touchpoint".into(),
                ));
            }
            if !seen.insert(r.person_id) {
                return Err(Error::InvalidInput(
                    "a person has two sides in one reflection".into(),
                ));
            }
            reflections.push(self.new_reflection(&t, r.clone())?);
            for c in &side.commitments {
                commitments.push(Commitment {
                    id: c.id,
                    person_id: r.person_id,
                    touchpoint_id: Some(t.id),
                    what: clean_text(&c.what, "the commitment")?,
                    due: c.due,
                    status: CommitmentStatus::Open,
                    created_at: now,
                    resolved_at: None,
                });
            }
            for topic in &side.topics {
                topics.push(OpenTopic {
                    id: topic.id,
                    person_id: r.person_id,
                    touchpoint_id: Some(t.id),
                    text: clean_text(&topic.text, "the topic")?,
                    created_at: now,
                    closed_at: None,
                });
            }
        }
        if let Some(impacts) = &form.group_impacts {
            if t.kind != TouchpointKind::Decision {
                return Err(Error::InvalidInput(
                    "only a decision has group impacts".into(),
                ));
            }
            for g in impacts {
                check_rating("impact", g.impact)?;
            }
            t.affected_groups = impacts.clone();
            validate_touchpoint(&t)?;
        }
        self.check_form_ids(&commitments, &topics)?;

        let people: Vec<Uuid> = reflections.iter().map(|r| r.person_id).collect();
        self.write(|tx| {
            if form.group_impacts.is_some() {
                put_touchpoint(tx, &t)?;
            }
            for r in &reflections {
                put_reflection(tx, r)?;
            }
            for c in &commitments {
                exec(
                    tx,
                    "INSERT INTO commitments(id, person_id, touchpoint_id, what, due, status, created_at, resolved_at, resolved_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT(id) DO UPDATE SET what = excluded.what, due = excluded.due",
                    params_from_iter(commitment_row(c)),
                )?;
            }
            for topic in &topics {
                exec(
                    tx,
                    "INSERT INTO topics(id, person_id, touchpoint_id, text, created_at, closed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(id) DO UPDATE SET text = excluded.text",
                    params_from_iter(topic_row(topic)),
                )?;
            }
            Ok(())
        })?;

        Ok(SavedReflection {
            reflections: people
                .iter()
                .map(|p| self.reflection(t.id, *p))
                .collect::<Result<_>>()?,
            commitments: commitments
                .iter()
                .map(|c| self.commitment(c.id))
                .collect::<Result<_>>()?,
            topics: topics
                .iter()
                .map(|o| self.form_topic(o.id))
                .collect::<Result<_>>()?,
        })
    }

    fn form_topic(&self, id: Uuid) -> Result<OpenTopic> {
        Ok(self.conn().query_row(
            &format!("SELECT {TOPIC_COLUMNS} FROM topics WHERE id = ?1"),
            [id.to_string()],
            topic_from_row,
        )?)
    }

    /// A form id already used by a commitment or topic of another person or entry is refused:
    /// the form may update only what it wrote itself.
    fn check_form_ids(&self, commitments: &[Commitment], topics: &[OpenTopic]) -> Result<()> {
        let owner = |table: &str, id: Uuid| -> Result<Option<(String, Option<String>)>> {
            Ok(self
                .conn()
                .query_row(
                    &format!("SELECT person_id, touchpoint_id FROM {table} WHERE id = ?1"),
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        };
        let pairs = commitments
            .iter()
            .map(|c| ("commitments", c.id, c.person_id, c.touchpoint_id))
            .chain(
                topics
                    .iter()
                    .map(|o| ("topics", o.id, o.person_id, o.touchpoint_id)),
            );
        for (table, id, person, touchpoint) in pairs {
            if let Some((p, tp)) = owner(table, id)? {
                if p != person.to_string() || tp != touchpoint.map(|t| t.to_string()) {
                    return Err(Error::InvalidInput(format!(
                        "the form's id {id} already belongs to another record"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Group, NewPerson, NewTouchpoint};
    use crate::secret::Passphrase;

    struct Fixture {
        _dir: tempfile::TempDir,
        j: Journal,
        ana: Uuid,
        ben: Uuid,
        tp: Uuid,
    }

    fn fixture(kind: TouchpointKind) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut j, _code) = Journal::init(
            &dir.path().join("j"),
            &Passphrase::new("one call saves a reflection".into()),
        )
        .expect("init");
        let mut add = |name: &str| {
            j.add_person(NewPerson {
                name: name.into(),
                ..NewPerson::default()
            })
            .expect("person")
            .id
        };
        let (ana, ben) = (add("Ana"), add("Ben"));
        let tp = j
            .add_touchpoint(NewTouchpoint {
                kind,
                occurred_at: Some(chrono::Utc::now().fixed_offset()),
                duration_minutes: None,
                title: "Planning".into(),
                participants: vec![ana, ben],
                team: None,
                affected_groups: Vec::new(),
                notes: String::new(),
                tags: Vec::new(),
                private: false,
                source: String::new(),
                state: None,
            })
            .expect("touchpoint")
            .id;
        Fixture {
            _dir: dir,
            j,
            ana,
            ben,
            tp,
        }
    }

    fn side(
        tp: Uuid,
        person: Uuid,
        w: i32,
        promise: (Uuid, &str),
        topic: (Uuid, &str),
    ) -> PersonSide {
        PersonSide {
            reflection: NewReflection {
                touchpoint_id: tp,
                person_id: person,
                answers: Vec::new(),
                their_side: format!("side of {person}"),
                willingness: w,
                ability: 1,
                adversarial: false,
                would_have_helped: String::new(),
                next_time: String::new(),
            },
            commitments: vec![FormCommitment {
                id: promise.0,
                what: promise.1.into(),
                due: None,
            }],
            topics: vec![FormTopic {
                id: topic.0,
                text: topic.1.into(),
            }],
        }
    }

    fn form(f: &Fixture) -> ReflectionForm {
        ReflectionForm {
            touchpoint_id: f.tp,
            people: vec![
                side(
                    f.tp,
                    f.ana,
                    2,
                    (Uuid::now_v7(), "Send the notes"),
                    (Uuid::now_v7(), "Pay"),
                ),
                side(
                    f.tp,
                    f.ben,
                    -1,
                    (Uuid::now_v7(), "Ask Ben first"),
                    (Uuid::now_v7(), "Hiring"),
                ),
            ],
            group_impacts: None,
        }
    }

    /// Everything the journal holds about the touchpoint, to compare before and after.
    fn state(f: &Fixture) -> String {
        let detail = f.j.touchpoint_detail(f.tp).expect("detail");
        format!(
            "{:?}|{:?}|{:?}|{:?}",
            detail.touchpoint.affected_groups,
            detail.reflections,
            f.j.commitments(None, false).expect("commitments"),
            f.j.topics(None, false).expect("topics"),
        )
    }

    #[test]
    fn one_call_saves_every_side_with_its_commitments_and_topics() {
        let mut f = fixture(TouchpointKind::TeamMeeting);
        let saved = f.j.save_reflection(form(&f)).expect("save");
        assert_eq!(saved.reflections.len(), 2);
        assert_eq!(saved.commitments.len(), 2);
        assert_eq!(saved.topics.len(), 2);
        let detail = f.j.touchpoint_detail(f.tp).unwrap();
        assert_eq!(detail.reflections.len(), 2);
        assert_eq!(
            f.j.commitments(Some(f.ben), false).unwrap()[0].what,
            "Ask Ben first"
        );
        assert_eq!(f.j.topics(Some(f.ana), false).unwrap()[0].text, "Pay");
    }

    #[test]
    fn saving_the_same_form_again_adds_nothing_and_keeps_a_resolved_promise() {
        let mut f = fixture(TouchpointKind::TeamMeeting);
        let the_form = form(&f);
        f.j.save_reflection(the_form.clone()).expect("first save");
        let promise = the_form.people[0].commitments[0].id;
        f.j.resolve_commitment(promise, CommitmentStatus::Kept, chrono::Utc::now())
            .unwrap();
        let before = state(&f);
        f.j.save_reflection(the_form).expect("second save");
        assert_eq!(
            state(&f),
            before,
            "a second save of the same form changes nothing"
        );
        assert_eq!(f.j.commitments(None, false).unwrap().len(), 2);
        assert_eq!(
            f.j.commitment(promise).unwrap().status,
            CommitmentStatus::Kept
        );
    }

    #[test]
    fn a_failure_at_any_step_leaves_nothing() {
        for table in ["touchpoints", "reflections", "commitments", "topics"] {
            let mut f = fixture(TouchpointKind::Decision);
            let mut the_form = form(&f);
            the_form.group_impacts = Some(vec![GroupImpact {
                group: Group::DirectReport,
                impact: -1,
            }]);
            let before = state(&f);
            f.j.conn()
                .execute_batch(&format!(
                    "CREATE TEMP TRIGGER fail BEFORE INSERT ON main.{table}
                     BEGIN SELECT RAISE(ABORT, 'injected'); END;"
                ))
                .unwrap();
            let err = f.j.save_reflection(the_form.clone());
            assert!(err.is_err(), "the write to {table} failed");
            assert_eq!(
                state(&f),
                before,
                "a failure writing {table} left something"
            );
            f.j.conn().execute_batch("DROP TRIGGER temp.fail;").unwrap();
            f.j.save_reflection(the_form)
                .expect("saves once the fault is gone");
            assert_ne!(state(&f), before);
        }
    }

    #[test]
    fn bad_forms_are_refused_whole() {
        let mut f = fixture(TouchpointKind::TeamMeeting);
        let first = form(&f);
        f.j.save_reflection(first.clone()).unwrap();
        let before = state(&f);

        // Another record's id: the form may only update what it wrote.
        let mut stolen = form(&f);
        stolen.people[1].commitments[0].id = first.people[0].commitments[0].id;
        // Group impacts on a meeting that is not a decision.
        let mut impacts = form(&f);
        impacts.group_impacts = Some(vec![GroupImpact {
            group: Group::Peer,
            impact: 1,
        }]);
        // An empty commitment after a valid side.
        let mut empty = form(&f);
        empty.people[1].commitments[0].what = "  ".into();
        // A rating out of range.
        let mut rating = form(&f);
        rating.people[1].reflection.willingness = 3;
        // The same person twice.
        let mut twice = form(&f);
        twice.people[1] = twice.people[0].clone();
        // Nothing at all.
        let nothing = ReflectionForm {
            touchpoint_id: f.tp,
            people: Vec::new(),
            group_impacts: None,
        };
        for (what, bad) in [
            ("stolen id", stolen),
            ("impacts", impacts),
            ("empty", empty),
            ("rating", rating),
            ("twice", twice),
            ("nothing", nothing),
        ] {
            let err = f.j.save_reflection(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{what}: {err}");
            assert_eq!(state(&f), before, "{what} changed the journal");
        }
    }
}
