//! Change initiatives in the journal: their records, the entries linked to them, their page
//! and their Trust Balance (the events of the linked entries, by the engine's unchanged rules).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Local, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use uuid::Uuid;

use super::entries::{clean_tags, parse_moment};
#[cfg(test)]
use super::recompute::{commitment_event, reflection_event};
use super::{exec, get_id, get_opt_id, Journal, PersonRef, Scope};
use crate::balance::{self, BalanceReport, Event, LossWeight};
use crate::initiative::{
    clean, clean_optional, mark_periods, Cadence, Concern, ConcernKind, Guideline, Initiative,
    InitiativeBalance, InitiativeError, InitiativePage, InitiativeShare, InitiativeStatus,
    LinkedEntry, Measure, NewInitiative, NewMeasure, NewOutcome, Outcome, OutcomeKind, PlanStep,
    PlanStepState, Statement, StatementSide, StatementVersion, DEFAULT_TAG, NAME_MAX, TEXT_MAX,
};
use crate::model::{new_id, Group, Moment, NewReflection, NewTouchpoint, Reflection, Touchpoint};
use crate::prompts::{self, PromptSet};
use crate::{Error, Result};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap_or_default()
}

fn opt_date(text: Option<String>) -> Option<NaiveDate> {
    text.as_deref().map(date)
}

fn now_moment() -> Moment {
    Local::now().fixed_offset()
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// People by id as `PersonRef`s, in the order of `sql` (which selects `id, name` with `?1`),
/// people in the trash left out by the query.
fn person_refs(conn: &Connection, sql: &str, key: &str) -> Result<Vec<PersonRef>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([key], |r| {
        Ok(PersonRef {
            id: get_id(r, 0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn ids(conn: &Connection, sql: &str, key: &str) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([key], |r| get_id(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks each of `people` exists and is not in the trash.
fn check_people(conn: &Connection, people: &[Uuid]) -> Result<()> {
    for p in people {
        let row: Option<(String, Option<i64>)> = conn
            .query_row(
                "SELECT name, deleted_at FROM people WHERE id = ?1",
                [p.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            None => return Err(Error::NotFound(format!("no person with id {p}"))),
            Some((name, Some(_))) => return Err(InitiativeError::PersonTrashed(name).into()),
            Some(_) => {}
        }
    }
    Ok(())
}

/// The ids of the teams named, in order, each once.
fn team_ids(conn: &Connection, names: &[String]) -> Result<Vec<(Uuid, String)>> {
    let mut out: Vec<(Uuid, String)> = Vec::new();
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        // A team whose members are all in the trash counts as gone.
        let found: Option<(Uuid, String)> = conn
            .query_row(
                "SELECT t.id, t.name FROM teams t WHERE t.name = ?1 COLLATE NOCASE
                 AND EXISTS (SELECT 1 FROM team_members m JOIN people p ON p.id = m.person_id
                             WHERE m.team_id = t.id AND p.deleted_at IS NULL)",
                [name],
                |r| Ok((get_id(r, 0)?, r.get(1)?)),
            )
            .optional()?;
        let found = found.ok_or_else(|| InitiativeError::NoSuchTeam(name.to_string()))?;
        if !out.iter().any(|(id, _)| *id == found.0) {
            out.push(found);
        }
    }
    Ok(out)
}

fn check_dates(
    starts_on: Option<NaiveDate>,
    review_on: Option<NaiveDate>,
) -> std::result::Result<(), InitiativeError> {
    if let (Some(start), Some(review)) = (starts_on, review_on) {
        if review < start {
            return Err(InitiativeError::ReviewBeforeStart { start, review });
        }
    }
    Ok(())
}

fn clean_tag(tag: Option<&str>) -> Result<Option<String>> {
    match tag {
        None => Ok(Some(DEFAULT_TAG.to_string())),
        Some(t) => Ok(clean_tags(&[t.to_string()])?.into_iter().next()),
    }
}

const INITIATIVE_COLUMNS: &str = "id, name, purpose, status, starts_on, review_on, tag, created_at";

fn initiative_row(r: &Row<'_>) -> rusqlite::Result<Initiative> {
    let status: String = r.get(3)?;
    let created: String = r.get(7)?;
    Ok(Initiative {
        id: get_id(r, 0)?,
        name: r.get(1)?,
        purpose: r.get(2)?,
        status: status.parse().unwrap_or(InitiativeStatus::Planned),
        starts_on: opt_date(r.get(4)?),
        review_on: opt_date(r.get(5)?),
        tag: r.get(6)?,
        teams: Vec::new(),
        people: Vec::new(),
        created_at: parse_moment(&created),
    })
}

/// Writes the initiative's own row and its teams and people (replacing those).
fn put_initiative(tx: &Transaction<'_>, i: &Initiative, teams: &[(Uuid, String)]) -> Result<()> {
    let id = i.id.to_string();
    exec(
        tx,
        "INSERT INTO initiatives(id, name, purpose, status, starts_on, review_on, tag, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, purpose = excluded.purpose,
           status = excluded.status, starts_on = excluded.starts_on,
           review_on = excluded.review_on, tag = excluded.tag",
        params![
            id,
            i.name,
            i.purpose,
            i.status.as_str(),
            i.starts_on.map(|d| d.to_string()),
            i.review_on.map(|d| d.to_string()),
            i.tag,
            i.created_at.to_rfc3339()
        ],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::from(InitiativeError::NameTaken(i.name.clone()))
        }
        _ => e.into(),
    })?;
    exec(
        tx,
        "DELETE FROM initiative_teams WHERE initiative_id = ?1",
        [&id],
    )?;
    for (team, _) in teams {
        exec(
            tx,
            "INSERT INTO initiative_teams(initiative_id, team_id) VALUES (?1, ?2)",
            [&id, &team.to_string()],
        )?;
    }
    exec(
        tx,
        "DELETE FROM initiative_people WHERE initiative_id = ?1",
        [&id],
    )?;
    for p in &i.people {
        exec(
            tx,
            "INSERT OR IGNORE INTO initiative_people(initiative_id, person_id) VALUES (?1, ?2)",
            [&id, &p.id.to_string()],
        )?;
    }
    Ok(())
}

/// Adds `tag` to an entry's tags unless it has it.
pub(crate) fn add_tag(tx: &Transaction<'_>, touchpoint: Uuid, tag: &str) -> Result<()> {
    let id = touchpoint.to_string();
    let tags: String = tx.query_row("SELECT tags FROM touchpoints WHERE id = ?1", [&id], |r| {
        r.get(0)
    })?;
    let mut tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
    if tags.iter().any(|t| t == tag) {
        return Ok(());
    }
    tags.push(tag.to_string());
    exec(
        tx,
        "UPDATE touchpoints SET tags = ?2 WHERE id = ?1",
        [&id, &serde_json::to_string(&tags).expect("tags serialise")],
    )?;
    exec(
        tx,
        "INSERT OR IGNORE INTO touchpoint_tags(touchpoint_id, tag) VALUES (?1, ?2)",
        [&id, tag],
    )?;
    Ok(())
}

fn link_in(tx: &Transaction<'_>, initiative: &Initiative, touchpoint: Uuid) -> Result<()> {
    exec(
        tx,
        "INSERT OR IGNORE INTO initiative_touchpoints(initiative_id, touchpoint_id) VALUES (?1, ?2)",
        [initiative.id.to_string(), touchpoint.to_string()],
    )?;
    if let Some(tag) = &initiative.tag {
        add_tag(tx, touchpoint, tag)?;
    }
    Ok(())
}

const CONCERN_COLUMNS: &str = "c.id, c.kind, c.person_id, p.name, c.touchpoint_id, c.text,
    c.raised_at, c.answer, c.answered_at";

fn concern_row(r: &Row<'_>) -> rusqlite::Result<Concern> {
    let kind: String = r.get(1)?;
    let raised: String = r.get(6)?;
    let answer: Option<String> = r.get(7)?;
    let answered: Option<String> = r.get(8)?;
    Ok(Concern {
        id: get_id(r, 0)?,
        kind: kind.parse().unwrap_or(ConcernKind::Other),
        person: PersonRef {
            id: get_id(r, 2)?,
            name: r.get(3)?,
        },
        touchpoint_id: get_opt_id(r, 4)?,
        text: r.get(5)?,
        raised_at: parse_moment(&raised),
        answered: answered.is_some(),
        answer,
        answered_at: answered.as_deref().map(parse_moment),
    })
}

impl Journal {
    /// Records a new initiative. Its name must be new; teams must exist; people must not be in
    /// the trash. The tag linking adds is `ai-rollout` unless another (or none, `""`) is given.
    pub fn add_initiative(&mut self, new: NewInitiative) -> Result<Initiative> {
        let name = clean(&new.name, "the initiative's name", NAME_MAX)?;
        let purpose = clean_optional(&new.purpose, "the purpose")?;
        check_dates(new.starts_on, new.review_on)?;
        check_people(self.conn(), &new.people)?;
        let teams = team_ids(self.conn(), &new.teams)?;
        let mut people = Vec::new();
        for p in &new.people {
            let person = self.person(*p)?;
            if !people.iter().any(|r: &PersonRef| r.id == person.id) {
                people.push(PersonRef {
                    id: person.id,
                    name: person.name,
                });
            }
        }
        let i = Initiative {
            id: new_id(),
            name,
            purpose,
            status: new.status.unwrap_or(InitiativeStatus::Planned),
            starts_on: new.starts_on,
            review_on: new.review_on,
            tag: clean_tag(new.tag.as_deref())?,
            teams: teams.iter().map(|(_, n)| n.clone()).collect(),
            people,
            created_at: now_moment(),
        };
        self.write(|tx| put_initiative(tx, &i, &teams))?;
        Ok(i)
    }

    /// Saves edits to an initiative's name, purpose, status, dates, tag, teams and people.
    pub fn update_initiative(&mut self, edited: &Initiative) -> Result<Initiative> {
        let existing = self.initiative(edited.id)?;
        let name = clean(&edited.name, "the initiative's name", NAME_MAX)?;
        let purpose = clean_optional(&edited.purpose, "the purpose")?;
        check_dates(edited.starts_on, edited.review_on)?;
        let people: Vec<Uuid> = edited.people.iter().map(|p| p.id).collect();
        check_people(self.conn(), &people)?;
        let teams = team_ids(self.conn(), &edited.teams)?;
        let tag = match edited.tag.as_deref() {
            None | Some("") => None,
            Some(t) => clean_tag(Some(t))?,
        };
        let mut i = edited.clone();
        i.name = name;
        i.purpose = purpose;
        i.tag = tag;
        i.created_at = existing.created_at;
        self.write(|tx| put_initiative(tx, &i, &teams))?;
        self.initiative(i.id)
    }

    /// Sets an initiative's status.
    pub fn set_initiative_status(
        &mut self,
        id: Uuid,
        status: InitiativeStatus,
    ) -> Result<Initiative> {
        self.initiative(id)?;
        self.write(|tx| {
            exec(
                tx,
                "UPDATE initiatives SET status = ?2 WHERE id = ?1",
                [id.to_string(), status.as_str().to_string()],
            )?;
            Ok(())
        })?;
        self.initiative(id)
    }

    /// One initiative by id, with its teams and people (people in the trash left out).
    pub fn initiative(&self, id: Uuid) -> Result<Initiative> {
        let mut i = self
            .conn()
            .query_row(
                &format!("SELECT {INITIATIVE_COLUMNS} FROM initiatives WHERE id = ?1"),
                [id.to_string()],
                initiative_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no initiative with id {id}")))?;
        self.fill_initiative(&mut i)?;
        Ok(i)
    }

    fn fill_initiative(&self, i: &mut Initiative) -> Result<()> {
        let key = i.id.to_string();
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.name FROM initiative_teams it JOIN teams t ON t.id = it.team_id
             WHERE it.initiative_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?;
        i.teams = stmt
            .query_map([&key], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        i.people = person_refs(
            self.conn(),
            "SELECT p.id, p.name FROM initiative_people ip JOIN people p ON p.id = ip.person_id
             WHERE ip.initiative_id = ?1 AND p.deleted_at IS NULL ORDER BY p.name COLLATE NOCASE",
            &key,
        )?;
        Ok(())
    }

    /// Finds an initiative by its id, its name (ignoring case) or a unique prefix of its name.
    pub fn find_initiative(&self, key: &str) -> Result<Initiative> {
        let key = key.trim();
        if let Ok(id) = Uuid::parse_str(key) {
            return self.initiative(id);
        }
        let all = self.initiatives()?;
        if let Some(i) = all.iter().find(|i| i.name.eq_ignore_ascii_case(key)) {
            return Ok(i.clone());
        }
        let lower = key.to_lowercase();
        let matches: Vec<&Initiative> = all
            .iter()
            .filter(|i| !lower.is_empty() && i.name.to_lowercase().starts_with(&lower))
            .collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::NotFound(format!("no initiative called {key:?}"))),
            many => Err(Error::InvalidInput(format!(
                "{key:?} matches several initiatives: {}",
                many.iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// Every initiative, by name.
    pub fn initiatives(&self) -> Result<Vec<Initiative>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {INITIATIVE_COLUMNS} FROM initiatives ORDER BY name COLLATE NOCASE"
        ))?;
        let mut all: Vec<Initiative> = stmt
            .query_map([], initiative_row)?
            .collect::<rusqlite::Result<_>>()?;
        for i in &mut all {
            self.fill_initiative(i)?;
        }
        Ok(all)
    }

    /// Initiatives an entry is linked to, by name.
    pub fn initiatives_of_touchpoint(&self, touchpoint: Uuid) -> Result<Vec<Initiative>> {
        let found = ids(
            self.conn(),
            "SELECT l.initiative_id FROM initiative_touchpoints l
             JOIN initiatives i ON i.id = l.initiative_id
             WHERE l.touchpoint_id = ?1 ORDER BY i.name COLLATE NOCASE",
            &touchpoint.to_string(),
        )?;
        found.into_iter().map(|id| self.initiative(id)).collect()
    }

    /// The prompt sets an entry's reflection asks: its kind's set, one per tag on the entry,
    /// then one per initiative it is linked to, through the initiative's tag (so the
    /// initiative's prompts stay even when the leader took its tag off the entry). An
    /// initiative without a tag adds none; a set is asked once however it is reached.
    pub fn prompts_for_touchpoint(&self, touchpoint: Uuid) -> Result<Vec<PromptSet>> {
        let t = self.touchpoint(touchpoint)?;
        let mut tags = t.tags;
        tags.extend(
            self.initiatives_of_touchpoint(touchpoint)?
                .into_iter()
                .filter_map(|i| i.tag),
        );
        let sets = self.prompt_sets()?;
        Ok(prompts::sets_for(&sets, t.kind, &tags)
            .into_iter()
            .cloned()
            .collect())
    }

    /// Erases an initiative for good with everything it keeps; the entries linked to it stay.
    pub fn delete_initiative(&mut self, id: Uuid) -> Result<()> {
        self.initiative(id)?;
        self.write(|tx| {
            exec(
                tx,
                "DELETE FROM initiatives WHERE id = ?1",
                [id.to_string()],
            )?;
            Ok(())
        })?;
        // Its words leave the write-ahead log too, as an erase's do.
        self.conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Links an entry to an initiative (again is a no-op) and adds the initiative's tag to it.
    pub fn link_initiative(&mut self, initiative: Uuid, touchpoint: Uuid) -> Result<()> {
        let i = self.initiative(initiative)?;
        self.touchpoint(touchpoint)?;
        self.write(|tx| link_in(tx, &i, touchpoint))
    }

    /// Records a touchpoint, with participants' reflections, linked to `initiatives` (with
    /// their tags) in one transaction; an unknown initiative records nothing.
    pub fn add_touchpoint_to_initiatives(
        &mut self,
        mut new: NewTouchpoint,
        reflections: Vec<NewReflection>,
        initiatives: &[Uuid],
    ) -> Result<(Touchpoint, Vec<Reflection>)> {
        let found = initiatives
            .iter()
            .map(|i| self.initiative(*i))
            .collect::<Result<Vec<_>>>()?;
        // The tags go in with the entry, so the row is written once.
        new.tags.extend(found.iter().filter_map(|i| i.tag.clone()));
        self.add_reflected_touchpoint_and(new, reflections, |tx, t| {
            for i in &found {
                exec(
                    tx,
                    "INSERT OR IGNORE INTO initiative_touchpoints(initiative_id, touchpoint_id)
                     VALUES (?1, ?2)",
                    [i.id.to_string(), t.id.to_string()],
                )?;
            }
            Ok(())
        })
    }

    /// Unlinks an entry from an initiative, with its marks on the plan's steps. The tag stays
    /// (the leader may have put it there). Refused while a concern of the initiative was raised
    /// in the entry.
    pub fn unlink_initiative(&mut self, initiative: Uuid, touchpoint: Uuid) -> Result<()> {
        self.initiative(initiative)?;
        let (i, t) = (initiative.to_string(), touchpoint.to_string());
        let concerns: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM initiative_concerns
                           WHERE initiative_id = ?1 AND touchpoint_id = ?2)",
            [&i, &t],
            |r| r.get(0),
        )?;
        if concerns {
            return Err(InitiativeError::HasConcerns(touchpoint).into());
        }
        let n = self.write(|tx| {
            exec(
                tx,
                "DELETE FROM initiative_step_touchpoints WHERE initiative_id = ?1 AND touchpoint_id = ?2",
                [&i, &t],
            )?;
            Ok(exec(
                tx,
                "DELETE FROM initiative_touchpoints WHERE initiative_id = ?1 AND touchpoint_id = ?2",
                [&i, &t],
            )?)
        })?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "the entry {touchpoint} is not linked to this initiative"
            )));
        }
        Ok(())
    }

    /// Whether an entry (not in the trash) is linked to an initiative.
    fn is_linked(&self, initiative: Uuid, touchpoint: Uuid) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM initiative_touchpoints l JOIN touchpoints t
                           ON t.id = l.touchpoint_id AND t.deleted_at IS NULL
                           WHERE l.initiative_id = ?1 AND l.touchpoint_id = ?2)",
            [initiative.to_string(), touchpoint.to_string()],
            |r| r.get(0),
        )?)
    }

    /// Adds a dated statement of what the tool does or does not do.
    pub fn add_statement(
        &mut self,
        initiative: Uuid,
        side: StatementSide,
        text: &str,
        said_on: Option<NaiveDate>,
    ) -> Result<Statement> {
        let text = clean(text, "the statement", TEXT_MAX)?;
        self.initiative(initiative)?;
        let id = new_id();
        let said_on = said_on.unwrap_or_else(today);
        let now = now_moment();
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO initiative_statements(id, initiative_id, side, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    id.to_string(),
                    initiative.to_string(),
                    side.as_str(),
                    now.to_rfc3339()
                ],
            )?;
            put_version(tx, id, 1, &text, said_on, now)
        })?;
        self.statement(id)
    }

    /// Rewords a statement: the new words and date become current, the earlier ones stay in
    /// its history (what the team was told when).
    pub fn restate(
        &mut self,
        statement: Uuid,
        text: &str,
        said_on: Option<NaiveDate>,
    ) -> Result<Statement> {
        let text = clean(text, "the statement", TEXT_MAX)?;
        let current = self.statement(statement)?;
        if let Some(on) = current.withdrawn_on {
            return Err(InitiativeError::Withdrawn(on).into());
        }
        let version = current.history.len() as i64 + 1;
        let said_on = said_on.unwrap_or_else(today);
        self.write(|tx| put_version(tx, statement, version, &text, said_on, now_moment()))?;
        self.statement(statement)
    }

    /// Withdraws a statement (it stays in the history with the day it was withdrawn), or
    /// brings it back with `None`.
    pub fn withdraw_statement(
        &mut self,
        statement: Uuid,
        on: Option<NaiveDate>,
    ) -> Result<Statement> {
        self.statement(statement)?;
        self.write(|tx| {
            exec(
                tx,
                "UPDATE initiative_statements SET withdrawn_on = ?2 WHERE id = ?1",
                params![statement.to_string(), on.map(|d| d.to_string())],
            )?;
            Ok(())
        })?;
        self.statement(statement)
    }

    /// One statement with its history.
    pub fn statement(&self, id: Uuid) -> Result<Statement> {
        let (side, withdrawn): (String, Option<String>) = self
            .conn()
            .query_row(
                "SELECT side, withdrawn_on FROM initiative_statements WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no statement with id {id}")))?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT text, said_on, recorded_at FROM initiative_statement_versions
             WHERE statement_id = ?1 ORDER BY version",
        )?;
        let history: Vec<StatementVersion> = stmt
            .query_map([id.to_string()], |r| {
                let said: String = r.get(1)?;
                let at: String = r.get(2)?;
                Ok(StatementVersion {
                    text: r.get(0)?,
                    said_on: date(&said),
                    recorded_at: parse_moment(&at),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let last = history
            .last()
            .cloned()
            .ok_or_else(|| Error::NotFound(format!("the statement {id} has no wording")))?;
        Ok(Statement {
            id,
            side: side.parse().unwrap_or(StatementSide::Does),
            text: last.text,
            said_on: last.said_on,
            withdrawn_on: opt_date(withdrawn),
            history,
        })
    }

    /// Adds a guideline written with the team: who shaped it and where it was agreed (an entry
    /// linked to the initiative).
    pub fn add_guideline(
        &mut self,
        initiative: Uuid,
        text: &str,
        shaped_by: &[Uuid],
        touchpoint: Option<Uuid>,
        agreed_on: Option<NaiveDate>,
    ) -> Result<Guideline> {
        let text = clean(text, "the guideline", TEXT_MAX)?;
        self.initiative(initiative)?;
        check_people(self.conn(), shaped_by)?;
        if let Some(t) = touchpoint {
            self.touchpoint(t)?;
            if !self.is_linked(initiative, t)? {
                return Err(InitiativeError::NotLinked(t).into());
            }
        }
        let id = new_id();
        let agreed_on = agreed_on.unwrap_or_else(today);
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO initiative_guidelines(id, initiative_id, text, touchpoint_id, agreed_on, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id.to_string(),
                    initiative.to_string(),
                    text,
                    touchpoint.map(|t| t.to_string()),
                    agreed_on.to_string(),
                    now_moment().to_rfc3339()
                ],
            )?;
            for p in shaped_by {
                exec(
                    tx,
                    "INSERT OR IGNORE INTO initiative_guideline_people(guideline_id, person_id) VALUES (?1, ?2)",
                    [id.to_string(), p.to_string()],
                )?;
            }
            Ok(())
        })?;
        self.guidelines(initiative)?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(|| Error::NotFound(format!("no guideline with id {id}")))
    }

    /// The initiative's guidelines, oldest first.
    pub fn guidelines(&self, initiative: Uuid) -> Result<Vec<Guideline>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT g.id, g.text, g.touchpoint_id, g.agreed_on FROM initiative_guidelines g
             WHERE g.initiative_id = ?1 ORDER BY g.agreed_on, g.created_at",
        )?;
        let mut out: Vec<Guideline> = stmt
            .query_map([initiative.to_string()], |r| {
                let agreed: String = r.get(3)?;
                Ok(Guideline {
                    id: get_id(r, 0)?,
                    text: r.get(1)?,
                    shaped_by: Vec::new(),
                    touchpoint_id: get_opt_id(r, 2)?,
                    agreed_on: date(&agreed),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for g in &mut out {
            g.shaped_by = person_refs(
                self.conn(),
                "SELECT p.id, p.name FROM initiative_guideline_people gp
                 JOIN people p ON p.id = gp.person_id
                 WHERE gp.guideline_id = ?1 AND p.deleted_at IS NULL ORDER BY p.name COLLATE NOCASE",
                &g.id.to_string(),
            )?;
        }
        Ok(out)
    }

    /// Records a win or a setback (a setback needs its lesson).
    pub fn add_outcome(
        &mut self,
        initiative: Uuid,
        kind: OutcomeKind,
        new: NewOutcome,
    ) -> Result<Outcome> {
        let what = clean(&new.what, "what happened", TEXT_MAX)?;
        let lesson = match kind {
            OutcomeKind::Setback => clean(&new.lesson, "the lesson of a setback", TEXT_MAX)?,
            OutcomeKind::Win => clean_optional(&new.lesson, "the lesson")?,
        };
        self.initiative(initiative)?;
        check_people(self.conn(), &new.people)?;
        for t in &new.touchpoints {
            self.touchpoint(*t)?;
        }
        let id = new_id();
        let happened_on = new.happened_on.unwrap_or_else(today);
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO initiative_outcomes(id, initiative_id, kind, happened_on, what, lesson, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id.to_string(),
                    initiative.to_string(),
                    kind.as_str(),
                    happened_on.to_string(),
                    what,
                    lesson,
                    now_moment().to_rfc3339()
                ],
            )?;
            for p in &new.people {
                exec(
                    tx,
                    "INSERT OR IGNORE INTO initiative_outcome_people(outcome_id, person_id) VALUES (?1, ?2)",
                    [id.to_string(), p.to_string()],
                )?;
            }
            for t in &new.touchpoints {
                exec(
                    tx,
                    "INSERT OR IGNORE INTO initiative_outcome_touchpoints(outcome_id, touchpoint_id) VALUES (?1, ?2)",
                    [id.to_string(), t.to_string()],
                )?;
            }
            Ok(())
        })?;
        self.outcomes(initiative)?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::NotFound(format!("no outcome with id {id}")))
    }

    /// The initiative's wins and setbacks, oldest first.
    pub fn outcomes(&self, initiative: Uuid) -> Result<Vec<Outcome>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, kind, happened_on, what, lesson FROM initiative_outcomes
             WHERE initiative_id = ?1 ORDER BY happened_on, created_at",
        )?;
        let mut out: Vec<Outcome> = stmt
            .query_map([initiative.to_string()], |r| {
                let kind: String = r.get(1)?;
                let on: String = r.get(2)?;
                Ok(Outcome {
                    id: get_id(r, 0)?,
                    kind: kind.parse().unwrap_or(OutcomeKind::Win),
                    happened_on: date(&on),
                    what: r.get(3)?,
                    lesson: r.get(4)?,
                    people: Vec::new(),
                    touchpoints: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for o in &mut out {
            let key = o.id.to_string();
            o.people = person_refs(
                self.conn(),
                "SELECT p.id, p.name FROM initiative_outcome_people op
                 JOIN people p ON p.id = op.person_id
                 WHERE op.outcome_id = ?1 AND p.deleted_at IS NULL ORDER BY p.name COLLATE NOCASE",
                &key,
            )?;
            o.touchpoints = ids(
                self.conn(),
                "SELECT ot.touchpoint_id FROM initiative_outcome_touchpoints ot
                 JOIN touchpoints t ON t.id = ot.touchpoint_id
                 WHERE ot.outcome_id = ?1 AND t.deleted_at IS NULL ORDER BY t.occurred_ms",
                &key,
            )?;
        }
        Ok(out)
    }

    /// Records a concern someone raised, optionally in an entry linked to the initiative.
    pub fn add_concern(
        &mut self,
        initiative: Uuid,
        kind: ConcernKind,
        person: Uuid,
        text: &str,
        touchpoint: Option<Uuid>,
    ) -> Result<Concern> {
        let text = clean(text, "the concern", TEXT_MAX)?;
        self.initiative(initiative)?;
        check_people(self.conn(), &[person])?;
        if let Some(t) = touchpoint {
            self.touchpoint(t)?;
            if !self.is_linked(initiative, t)? {
                return Err(InitiativeError::NotLinked(t).into());
            }
        }
        let id = new_id();
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO initiative_concerns(id, initiative_id, kind, person_id, touchpoint_id, text, raised_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id.to_string(),
                    initiative.to_string(),
                    kind.as_str(),
                    person.to_string(),
                    touchpoint.map(|t| t.to_string()),
                    text,
                    now_moment().to_rfc3339()
                ],
            )?;
            Ok(())
        })?;
        self.concern(id)
    }

    /// Answers a concern: how, and when.
    pub fn answer_concern(&mut self, id: Uuid, answer: &str, at: DateTime<Utc>) -> Result<Concern> {
        let answer = clean(answer, "the answer", TEXT_MAX)?;
        self.concern(id)?;
        let at = at.with_timezone(&Local).fixed_offset();
        self.write(|tx| {
            exec(
                tx,
                "UPDATE initiative_concerns SET answer = ?2, answered_at = ?3 WHERE id = ?1",
                params![id.to_string(), answer, at.to_rfc3339()],
            )?;
            Ok(())
        })?;
        self.concern(id)
    }

    /// Reopens an answered concern (the answer is dropped).
    pub fn reopen_concern(&mut self, id: Uuid) -> Result<Concern> {
        self.concern(id)?;
        self.write(|tx| {
            exec(
                tx,
                "UPDATE initiative_concerns SET answer = NULL, answered_at = NULL WHERE id = ?1",
                [id.to_string()],
            )?;
            Ok(())
        })?;
        self.concern(id)
    }

    /// One concern (not when its person is in the trash).
    pub fn concern(&self, id: Uuid) -> Result<Concern> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {CONCERN_COLUMNS} FROM initiative_concerns c
                     JOIN people p ON p.id = c.person_id AND p.deleted_at IS NULL
                     WHERE c.id = ?1"
                ),
                [id.to_string()],
                concern_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no concern with id {id}")))
    }

    /// The initiative's concerns, open ones first, then by when they were raised; concerns of
    /// people in the trash, or raised in an entry in the trash, are left out.
    pub fn concerns(&self, initiative: Uuid, open_only: bool) -> Result<Vec<Concern>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {CONCERN_COLUMNS} FROM initiative_concerns c
             JOIN people p ON p.id = c.person_id AND p.deleted_at IS NULL
             WHERE c.initiative_id = ?1 AND (?2 = 0 OR c.answered_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM touchpoints t
                               WHERE t.id = c.touchpoint_id AND t.deleted_at IS NOT NULL)
             ORDER BY c.answered_at IS NOT NULL, c.raised_at"
        ))?;
        let rows = stmt.query_map(params![initiative.to_string(), open_only], concern_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Plans a step: how often it is to be held and from when (the initiative's start, else
    /// today), with training hours for the training step. `None` as cadence unplans it.
    pub fn plan_step(
        &mut self,
        initiative: Uuid,
        step: PlanStep,
        cadence: Option<Cadence>,
        hours_per_month: Option<u32>,
        since: Option<NaiveDate>,
    ) -> Result<PlanStepState> {
        let i = self.initiative(initiative)?;
        if let Some(h) = hours_per_month {
            if step != PlanStep::Training {
                return Err(InitiativeError::Plan("only the training step has hours").into());
            }
            if !(1..=200).contains(&h) {
                return Err(InitiativeError::Hours(h).into());
            }
        }
        if cadence.is_none() && hours_per_month.is_some() {
            return Err(InitiativeError::Plan("training hours need a cadence").into());
        }
        let since = since.or(i.starts_on).unwrap_or_else(today);
        self.write(|tx| put_plan(tx, initiative, step, cadence, hours_per_month, since))?;
        self.plan_state(initiative, step, today())
    }

    /// Counts an entry towards a step of the plan (an exploration session, a training, a wins
    /// review…); the entry is linked to the initiative too.
    pub fn mark_step(&mut self, initiative: Uuid, step: PlanStep, touchpoint: Uuid) -> Result<()> {
        let i = self.initiative(initiative)?;
        self.touchpoint(touchpoint)?;
        self.write(|tx| {
            link_in(tx, &i, touchpoint)?;
            exec(
                tx,
                "INSERT OR IGNORE INTO initiative_step_touchpoints(initiative_id, step, touchpoint_id)
                 VALUES (?1, ?2, ?3)",
                [initiative.to_string(), step.as_str().to_string(), touchpoint.to_string()],
            )?;
            Ok(())
        })
    }

    /// Stops counting an entry towards a step (it stays linked to the initiative).
    pub fn unmark_step(
        &mut self,
        initiative: Uuid,
        step: PlanStep,
        touchpoint: Uuid,
    ) -> Result<()> {
        let n = self.write(|tx| {
            Ok(exec(
                tx,
                "DELETE FROM initiative_step_touchpoints
                 WHERE initiative_id = ?1 AND step = ?2 AND touchpoint_id = ?3",
                [
                    initiative.to_string(),
                    step.as_str().to_string(),
                    touchpoint.to_string(),
                ],
            )?)
        })?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "the entry {touchpoint} does not count towards {step}"
            )));
        }
        Ok(())
    }

    /// A step of the plan with its periods marked up to `today`.
    pub fn plan_state(
        &self,
        initiative: Uuid,
        step: PlanStep,
        today: NaiveDate,
    ) -> Result<PlanStepState> {
        let key = initiative.to_string();
        let planned: Option<(Option<String>, Option<u32>, String)> = self
            .conn()
            .query_row(
                "SELECT cadence, hours_per_month, since FROM initiative_plan
                 WHERE initiative_id = ?1 AND step = ?2",
                [&key, step.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.occurred_at FROM initiative_step_touchpoints s
             JOIN touchpoints t ON t.id = s.touchpoint_id AND t.deleted_at IS NULL
             WHERE s.initiative_id = ?1 AND s.step = ?2 ORDER BY t.occurred_ms",
        )?;
        let entries: Vec<(Uuid, NaiveDate)> = stmt
            .query_map([&key, step.as_str()], |r| {
                let at: String = r.get(1)?;
                Ok((get_id(r, 0)?, parse_moment(&at).date_naive()))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let (cadence, hours, since) = match planned {
            Some((c, h, s)) => (c.and_then(|c| c.parse::<Cadence>().ok()), h, Some(date(&s))),
            None => (None, None, None),
        };
        let days: Vec<NaiveDate> = entries.iter().map(|(_, d)| *d).collect();
        let periods = match (cadence, since) {
            (Some(c), Some(s)) => mark_periods(c, s, today, &days),
            _ => Vec::new(),
        };
        let count = |m| periods.iter().filter(|p| p.mark == m).count() as u32;
        Ok(PlanStepState {
            step,
            cadence,
            hours_per_month: hours,
            since,
            touchpoints: entries.iter().map(|(id, _)| *id).collect(),
            held: count(crate::initiative::PeriodMark::Held),
            missed: count(crate::initiative::PeriodMark::Missed),
            periods,
        })
    }

    /// Records a reading of satisfaction, collaboration, quality and confidence (-2..=+2 each).
    pub fn add_measure(&mut self, initiative: Uuid, new: NewMeasure) -> Result<Measure> {
        new.validate()?;
        let note = clean_optional(&new.note, "the note")?;
        self.initiative(initiative)?;
        let m = Measure {
            id: new_id(),
            taken_on: new.taken_on.unwrap_or_else(today),
            satisfaction: new.satisfaction,
            collaboration: new.collaboration,
            quality: new.quality,
            confidence: new.confidence,
            note,
        };
        self.write(|tx| put_measure(tx, initiative, &m))?;
        Ok(m)
    }

    /// The initiative's readings, oldest first.
    pub fn measures(&self, initiative: Uuid) -> Result<Vec<Measure>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, taken_on, satisfaction, collaboration, quality, confidence, note
             FROM initiative_measures WHERE initiative_id = ?1 ORDER BY taken_on, created_at",
        )?;
        let rows = stmt.query_map([initiative.to_string()], |r| {
            let on: String = r.get(1)?;
            Ok(Measure {
                id: get_id(r, 0)?,
                taken_on: date(&on),
                satisfaction: r.get(2)?,
                collaboration: r.get(3)?,
                quality: r.get(4)?,
                confidence: r.get(5)?,
                note: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entries linked to an initiative (not in the trash), oldest first.
    pub fn initiative_entries(&self, initiative: Uuid) -> Result<Vec<LinkedEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.occurred_at, t.title, t.private FROM initiative_touchpoints l
             JOIN touchpoints t ON t.id = l.touchpoint_id AND t.deleted_at IS NULL
             WHERE l.initiative_id = ?1 ORDER BY t.occurred_ms, t.id",
        )?;
        let rows = stmt.query_map([initiative.to_string()], |r| {
            let at: String = r.get(1)?;
            Ok(LinkedEntry {
                id: get_id(r, 0)?,
                occurred_at: parse_moment(&at),
                title: r.get(2)?,
                private: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every balance event of the initiative's linked entries: their reflections, the
    /// commitments made in them once resolved, and their decisions' impact on groups, as
    /// stored (see `aggregates`), in time order.
    pub fn initiative_events(&self, initiative: Uuid) -> Result<Vec<Event>> {
        self.initiative(initiative)?;
        self.stored_events(&super::aggregates::initiative_key(initiative))
    }

    /// [`Self::initiative_events`] read from the journal's rows: the recomputation the tests
    /// compare the stored events with.
    #[cfg(test)]
    pub(super) fn initiative_events_from_rows(&self, initiative: Uuid) -> Result<Vec<Event>> {
        self.initiative(initiative)?;
        let key = initiative.to_string();
        let mut events = Vec::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability,
                    r.adversarial, t.title
             FROM initiative_touchpoints l
             JOIN touchpoints t ON t.id = l.touchpoint_id AND t.deleted_at IS NULL
             JOIN reflections r ON r.touchpoint_id = t.id
             JOIN people p ON p.id = r.person_id AND p.deleted_at IS NULL
             WHERE l.initiative_id = ?1",
        )?;
        for row in stmt.query_map([&key], reflection_event)? {
            events.push(row?.1);
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM initiative_touchpoints l
             JOIN touchpoints t ON t.id = l.touchpoint_id AND t.deleted_at IS NULL
             JOIN commitments c ON c.touchpoint_id = t.id
             JOIN people p ON p.id = c.person_id AND p.deleted_at IS NULL
             WHERE l.initiative_id = ?1 AND c.status <> 'open' AND c.resolved_at IS NOT NULL",
        )?;
        for row in stmt.query_map([&key], commitment_event)? {
            events.push(row?.1);
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.occurred_at, g.value ->> 'group', g.value ->> 'impact', t.title
             FROM initiative_touchpoints l
             JOIN touchpoints t ON t.id = l.touchpoint_id AND t.deleted_at IS NULL,
                  json_each(t.affected_groups) g
             WHERE l.initiative_id = ?1 AND t.kind = 'decision'",
        )?;
        let rows = stmt.query_map([&key], |r| {
            let at: String = r.get(1)?;
            let group: String = r.get(2)?;
            Ok((
                get_id(r, 0)?,
                at,
                group,
                r.get::<_, i32>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (id, at, group, impact, title) = row?;
            if let Ok(group) = group.parse::<Group>() {
                events
                    .push(Event::decision(id, parse_moment(&at), group, impact).with_label(title));
            }
        }
        Ok(events)
    }

    /// The events of the initiative's entries that belong to `scope` (all of them for `None`):
    /// a person's own, a team's members', a group's members' plus decisions on that group.
    fn initiative_scope_events(
        &self,
        events: &[Event],
        scope: Option<&Scope>,
    ) -> Result<Vec<Event>> {
        let Some(scope) = scope else {
            return Ok(events.to_vec());
        };
        let (members, group): (HashSet<Uuid>, Option<Group>) = match scope {
            Scope::Person { id } => {
                self.person(*id)?;
                ([*id].into_iter().collect(), None)
            }
            Scope::Team { name } => {
                let team = self
                    .teams()?
                    .into_iter()
                    .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| Error::NotFound(format!("no team called {name:?}")))?;
                (team.members.into_iter().collect(), None)
            }
            Scope::Group { group } => (
                self.people(true)?
                    .into_iter()
                    .filter(|p| p.group == *group)
                    .map(|p| p.id)
                    .collect(),
                Some(*group),
            ),
        };
        Ok(events
            .iter()
            .filter(|e| match (e.person_id, e.group) {
                (Some(p), _) => members.contains(&p),
                (None, g) => g.is_some() && g == group,
            })
            .cloned()
            .collect())
    }

    fn initiative_loss_weight(&self) -> Result<LossWeight> {
        LossWeight::from_f64(self.settings().loss_weight)
    }

    /// The initiative's Trust Balance for `scope` (everyone for `None`) at `now`, with its
    /// explanation: the engine's rules over the linked entries' events.
    pub fn initiative_balance(
        &self,
        initiative: Uuid,
        scope: Option<&Scope>,
        now: DateTime<Utc>,
    ) -> Result<BalanceReport> {
        let events = self.initiative_events(initiative)?;
        let events = self.initiative_scope_events(&events, scope)?;
        Ok(balance::compute(
            &events,
            self.initiative_loss_weight()?,
            now,
        ))
    }

    /// The initiative's balance in total, per person (everyone with events in its entries, and
    /// everyone it affects) and per affected team.
    pub fn initiative_balances(
        &self,
        initiative: Uuid,
        now: DateTime<Utc>,
    ) -> Result<InitiativeBalance> {
        let i = self.initiative(initiative)?;
        let events = self.initiative_events(initiative)?;
        let lw = self.initiative_loss_weight()?;
        let mut names: BTreeMap<(String, Uuid), ()> = BTreeMap::new();
        let seen: HashSet<Uuid> = events.iter().filter_map(|e| e.person_id).collect();
        for p in self.people(true)? {
            if seen.contains(&p.id) || i.people.iter().any(|r| r.id == p.id) {
                names.insert((p.name.to_lowercase(), p.id), ());
            }
        }
        let mut people = Vec::new();
        for (_, id) in names.keys() {
            let scope = Scope::Person { id: *id };
            let own = self.initiative_scope_events(&events, Some(&scope))?;
            let person = self.person(*id)?;
            people.push(InitiativeShare {
                person: Some(PersonRef {
                    id: person.id,
                    name: person.name,
                }),
                team: None,
                summary: balance::summary(&own, lw, now),
            });
        }
        let mut teams = Vec::new();
        for name in &i.teams {
            let scope = Scope::Team { name: name.clone() };
            let own = self.initiative_scope_events(&events, Some(&scope))?;
            teams.push(InitiativeShare {
                person: None,
                team: Some(name.clone()),
                summary: balance::summary(&own, lw, now),
            });
        }
        Ok(InitiativeBalance {
            total: balance::compute(&events, lw, now),
            people,
            teams,
        })
    }

    /// Everything the initiative's page shows, as of `now`.
    pub fn initiative_page(&self, initiative: Uuid, now: DateTime<Utc>) -> Result<InitiativePage> {
        let i = self.initiative(initiative)?;
        let statement_ids = ids(
            self.conn(),
            "SELECT id FROM initiative_statements WHERE initiative_id = ?1
             ORDER BY side, created_at",
            &i.id.to_string(),
        )?;
        let statements = statement_ids
            .into_iter()
            .map(|id| self.statement(id))
            .collect::<Result<Vec<_>>>()?;
        let today = now.with_timezone(&Local).date_naive();
        let plan = PlanStep::ALL
            .iter()
            .map(|s| self.plan_state(initiative, *s, today))
            .collect::<Result<Vec<_>>>()?;
        Ok(InitiativePage {
            statements,
            guidelines: self.guidelines(initiative)?,
            concerns: self.concerns(initiative, false)?,
            outcomes: self.outcomes(initiative)?,
            plan,
            measures: self.measures(initiative)?,
            entries: self.initiative_entries(initiative)?,
            balance: self.initiative_balances(initiative, now)?,
            initiative: i,
        })
    }
}

/// Writes one wording of a statement (again: replaces it, as an import does).
fn put_version(
    tx: &Transaction<'_>,
    statement: Uuid,
    version: i64,
    text: &str,
    said_on: NaiveDate,
    now: Moment,
) -> Result<()> {
    exec(
        tx,
        "INSERT INTO initiative_statement_versions(statement_id, version, text, said_on, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(statement_id, version) DO UPDATE SET text = excluded.text,
           said_on = excluded.said_on, recorded_at = excluded.recorded_at",
        params![
            statement.to_string(),
            version,
            text,
            said_on.to_string(),
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

mod exchange;
/// Writes a reading (again: replaces it, as an import does).
fn put_measure(tx: &Transaction<'_>, initiative: Uuid, m: &Measure) -> Result<()> {
    exec(
        tx,
        "INSERT INTO initiative_measures(id, initiative_id, taken_on, satisfaction,
           collaboration, quality, confidence, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET taken_on = excluded.taken_on,
           satisfaction = excluded.satisfaction, collaboration = excluded.collaboration,
           quality = excluded.quality, confidence = excluded.confidence, note = excluded.note",
        params![
            m.id.to_string(),
            initiative.to_string(),
            m.taken_on.to_string(),
            m.satisfaction,
            m.collaboration,
            m.quality,
            m.confidence,
            m.note,
            now_moment().to_rfc3339()
        ],
    )?;
    Ok(())
}

/// Plans a step (again: replaces its cadence, hours and start).
fn put_plan(
    tx: &Transaction<'_>,
    initiative: Uuid,
    step: PlanStep,
    cadence: Option<Cadence>,
    hours_per_month: Option<u32>,
    since: NaiveDate,
) -> Result<()> {
    exec(
        tx,
        "INSERT INTO initiative_plan(initiative_id, step, cadence, hours_per_month, since)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(initiative_id, step) DO UPDATE SET cadence = excluded.cadence,
           hours_per_month = excluded.hours_per_month, since = excluded.since",
        params![
            initiative.to_string(),
            step.as_str(),
            cadence.map(|c| c.as_str()),
            hours_per_month,
            since.to_string()
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod explain_tests;
mod nudges;
mod team_page;
#[cfg(test)]
mod tests;

pub(crate) use exchange::put_initiative_record;
