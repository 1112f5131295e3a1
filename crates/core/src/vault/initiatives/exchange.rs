//! Initiatives read whole for an export, and written back by id for an import.

use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

use super::{
    exec, ids, now_moment, put_initiative, put_measure, put_plan, put_version, team_ids, Journal,
    PersonRef,
};
use crate::exchange::{
    ExportedConcern, ExportedGuideline, ExportedInitiative, ExportedOutcome, ExportedStep,
};
use crate::initiative::{Initiative, PlanStep};
use crate::{Error, Result};

impl Journal {
    /// Every initiative with everything it keeps (links to private entries included); the
    /// export decides what of it leaves.
    pub(crate) fn initiative_records(&self) -> Result<Vec<ExportedInitiative>> {
        self.initiatives()?
            .into_iter()
            .map(|i| self.record_of(i))
            .collect()
    }

    /// One initiative whole, if the journal has it.
    pub(crate) fn initiative_record(&self, id: Uuid) -> Result<Option<ExportedInitiative>> {
        match self.initiative(id) {
            Ok(i) => Ok(Some(self.record_of(i)?)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The id of the initiative called `name` (ignoring case), if any.
    pub(crate) fn initiative_id_named(&self, name: &str) -> Result<Option<Uuid>> {
        let id: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM initiatives WHERE name = ?1 COLLATE NOCASE",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.and_then(|id| Uuid::parse_str(&id).ok()))
    }

    fn record_of(&self, i: Initiative) -> Result<ExportedInitiative> {
        let key = i.id.to_string();
        let statements = ids(
            self.conn(),
            "SELECT id FROM initiative_statements WHERE initiative_id = ?1
             ORDER BY side, created_at",
            &key,
        )?
        .into_iter()
        .map(|id| self.statement(id))
        .collect::<Result<Vec<_>>>()?;
        let today = chrono::Local::now().date_naive();
        let mut plan = Vec::new();
        for step in PlanStep::ALL {
            let state = self.plan_state(i.id, *step, today)?;
            if let Some(since) = state.since {
                plan.push(ExportedStep {
                    step: *step,
                    cadence: state.cadence,
                    hours_per_month: state.hours_per_month,
                    since,
                    touchpoints: state.touchpoints,
                });
            }
        }
        let person_ids = |refs: &[PersonRef]| refs.iter().map(|p| p.id).collect::<Vec<_>>();
        Ok(ExportedInitiative {
            touchpoints: self
                .initiative_entries(i.id)?
                .into_iter()
                .map(|e| e.id)
                .collect(),
            statements,
            guidelines: self
                .guidelines(i.id)?
                .into_iter()
                .map(|g| ExportedGuideline {
                    id: g.id,
                    text: g.text,
                    shaped_by: person_ids(&g.shaped_by),
                    touchpoint_id: g.touchpoint_id,
                    agreed_on: g.agreed_on,
                })
                .collect(),
            outcomes: self
                .outcomes(i.id)?
                .into_iter()
                .map(|o| ExportedOutcome {
                    id: o.id,
                    kind: o.kind,
                    happened_on: o.happened_on,
                    what: o.what,
                    lesson: o.lesson,
                    people: person_ids(&o.people),
                    touchpoints: o.touchpoints,
                })
                .collect(),
            concerns: self
                .concerns(i.id, false)?
                .into_iter()
                .map(|c| ExportedConcern {
                    id: c.id,
                    kind: c.kind,
                    person_id: c.person.id,
                    touchpoint_id: c.touchpoint_id,
                    text: c.text,
                    raised_at: c.raised_at,
                    answer: c.answer,
                    answered_at: c.answered_at,
                })
                .collect(),
            plan,
            measures: self.measures(i.id)?,
            people: person_ids(&i.people),
            id: i.id,
            name: i.name,
            purpose: i.purpose,
            status: i.status,
            starts_on: i.starts_on,
            review_on: i.review_on,
            tag: i.tag,
            teams: i.teams,
            created_at: i.created_at,
        })
    }
}

/// Adds the rows (`owner`, each of `ids`) to `table` ("name(owner_column, other_column)"),
/// keeping those already there.
fn pairs(tx: &Transaction<'_>, table: &str, owner: Uuid, ids: &[Uuid]) -> Result<()> {
    let sql = format!("INSERT OR IGNORE INTO {table} VALUES (?1, ?2)");
    for id in ids {
        exec(tx, &sql, [owner.to_string(), id.to_string()])?;
    }
    Ok(())
}

/// Writes an initiative whole, by id: its row, teams (those the journal has), people, links,
/// statements, guidelines, outcomes, concerns, plan and measures. Rows it does not name are
/// left alone, so a merged record (see `exchange::initiatives::merge`) loses nothing.
pub(crate) fn put_initiative_record(tx: &Transaction<'_>, i: &ExportedInitiative) -> Result<()> {
    // A team the journal lacks is left out rather than refusing the whole import.
    let mut teams = Vec::new();
    for t in &i.teams {
        match team_ids(tx, std::slice::from_ref(t)) {
            Ok(mut one) => teams.append(&mut one),
            Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let row = Initiative {
        id: i.id,
        name: i.name.clone(),
        purpose: i.purpose.clone(),
        status: i.status,
        starts_on: i.starts_on,
        review_on: i.review_on,
        tag: i.tag.clone(),
        teams: teams.iter().map(|(_, n)| n.clone()).collect(),
        people: i
            .people
            .iter()
            .map(|p| PersonRef {
                id: *p,
                name: String::new(),
            })
            .collect(),
        created_at: i.created_at,
    };
    put_initiative(tx, &row, &teams)?;
    let key = i.id.to_string();
    pairs(
        tx,
        "initiative_touchpoints(initiative_id, touchpoint_id)",
        i.id,
        &i.touchpoints,
    )?;
    for s in &i.statements {
        let created = s
            .history
            .first()
            .map_or_else(now_moment, |v| v.recorded_at)
            .to_rfc3339();
        exec(
            tx,
            "INSERT INTO initiative_statements(id, initiative_id, side, withdrawn_on, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET side = excluded.side, withdrawn_on = excluded.withdrawn_on",
            params![
                s.id.to_string(),
                key,
                s.side.as_str(),
                s.withdrawn_on.map(|d| d.to_string()),
                created
            ],
        )?;
        for (n, v) in s.history.iter().enumerate() {
            put_version(tx, s.id, n as i64 + 1, &v.text, v.said_on, v.recorded_at)?;
        }
        exec(
            tx,
            "DELETE FROM initiative_statement_versions WHERE statement_id = ?1 AND version > ?2",
            params![s.id.to_string(), s.history.len() as i64],
        )?;
    }
    for g in &i.guidelines {
        exec(
            tx,
            "INSERT INTO initiative_guidelines(id, initiative_id, text, touchpoint_id, agreed_on, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET text = excluded.text,
               touchpoint_id = excluded.touchpoint_id, agreed_on = excluded.agreed_on",
            params![
                g.id.to_string(),
                key,
                g.text,
                g.touchpoint_id.map(|t| t.to_string()),
                g.agreed_on.to_string(),
                now_moment().to_rfc3339()
            ],
        )?;
        pairs(
            tx,
            "initiative_guideline_people(guideline_id, person_id)",
            g.id,
            &g.shaped_by,
        )?;
    }
    for o in &i.outcomes {
        exec(
            tx,
            "INSERT INTO initiative_outcomes(id, initiative_id, kind, happened_on, what, lesson, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, happened_on = excluded.happened_on,
               what = excluded.what, lesson = excluded.lesson",
            params![
                o.id.to_string(),
                key,
                o.kind.as_str(),
                o.happened_on.to_string(),
                o.what,
                o.lesson,
                now_moment().to_rfc3339()
            ],
        )?;
        pairs(
            tx,
            "initiative_outcome_people(outcome_id, person_id)",
            o.id,
            &o.people,
        )?;
        pairs(
            tx,
            "initiative_outcome_touchpoints(outcome_id, touchpoint_id)",
            o.id,
            &o.touchpoints,
        )?;
    }
    for c in &i.concerns {
        exec(
            tx,
            "INSERT INTO initiative_concerns(id, initiative_id, kind, person_id, touchpoint_id, text,
               raised_at, answer, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, person_id = excluded.person_id,
               touchpoint_id = excluded.touchpoint_id, text = excluded.text,
               raised_at = excluded.raised_at, answer = excluded.answer,
               answered_at = excluded.answered_at",
            params![
                c.id.to_string(),
                key,
                c.kind.as_str(),
                c.person_id.to_string(),
                c.touchpoint_id.map(|t| t.to_string()),
                c.text,
                c.raised_at.to_rfc3339(),
                c.answer,
                c.answered_at.map(|a| a.to_rfc3339())
            ],
        )?;
    }
    for s in &i.plan {
        put_plan(tx, i.id, s.step, s.cadence, s.hours_per_month, s.since)?;
        for t in &s.touchpoints {
            exec(
                tx,
                "INSERT OR IGNORE INTO initiative_step_touchpoints(initiative_id, step, touchpoint_id)
                 VALUES (?1, ?2, ?3)",
                [key.clone(), s.step.as_str().to_string(), t.to_string()],
            )?;
        }
    }
    for m in &i.measures {
        put_measure(tx, i.id, m)?;
    }
    Ok(())
}
