//! Commitments the leader made and open topics people raised.

use chrono::{DateTime, Local, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Row, Transaction};
use uuid::Uuid;

use super::entries::parse_moment;
use super::{exec, get_id, get_opt_id, Journal};
use crate::model::{new_id, Commitment, CommitmentStatus, OpenTopic};
use crate::{Error, Result};

pub(super) const COMMITMENT_COLUMNS: &str =
    "id, person_id, touchpoint_id, what, due, status, created_at, resolved_at";

pub(super) fn commitment_from_row(row: &Row<'_>) -> rusqlite::Result<Commitment> {
    let due: Option<String> = row.get(4)?;
    let status: String = row.get(5)?;
    let created: String = row.get(6)?;
    let resolved: Option<String> = row.get(7)?;
    Ok(Commitment {
        id: get_id(row, 0)?,
        person_id: get_id(row, 1)?,
        touchpoint_id: get_opt_id(row, 2)?,
        what: row.get(3)?,
        due: due.and_then(|d| d.parse().ok()),
        status: status.parse().unwrap_or(CommitmentStatus::Open),
        created_at: parse_moment(&created),
        resolved_at: resolved.as_deref().map(parse_moment),
    })
}

pub(super) const TOPIC_COLUMNS: &str = "id, person_id, touchpoint_id, text, created_at, closed_at";

pub(super) fn topic_from_row(row: &Row<'_>) -> rusqlite::Result<OpenTopic> {
    let created: String = row.get(4)?;
    let closed: Option<String> = row.get(5)?;
    Ok(OpenTopic {
        id: get_id(row, 0)?,
        person_id: get_id(row, 1)?,
        touchpoint_id: get_opt_id(row, 2)?,
        text: row.get(3)?,
        created_at: parse_moment(&created),
        closed_at: closed.as_deref().map(parse_moment),
    })
}

/// The columns of a commitment row, in the order of [`commitment_row`].
pub(super) const COMMITMENT_ROW_COLUMNS: &str =
    "id, person_id, touchpoint_id, what, due, status, created_at, resolved_at, resolved_ms";

/// A commitment's row, as written by [`put_commitment`] and by bulk inserts.
pub(super) fn commitment_row(c: &Commitment) -> [Value; 9] {
    [
        c.id.to_string().into(),
        c.person_id.to_string().into(),
        c.touchpoint_id.map(|t| t.to_string()).into(),
        c.what.clone().into(),
        c.due.map(|d| d.to_string()).into(),
        c.status.as_str().to_string().into(),
        c.created_at.to_rfc3339().into(),
        c.resolved_at.map(|d| d.to_rfc3339()).into(),
        c.resolved_at.map(|d| d.timestamp_millis()).into(),
    ]
}

/// The columns of a topic row, in the order of [`topic_row`].
pub(super) const TOPIC_ROW_COLUMNS: &str =
    "id, person_id, touchpoint_id, text, created_at, closed_at";

/// A topic's row, as written by [`put_topic`] and by bulk inserts.
pub(super) fn topic_row(t: &OpenTopic) -> [Value; 6] {
    [
        t.id.to_string().into(),
        t.person_id.to_string().into(),
        t.touchpoint_id.map(|t| t.to_string()).into(),
        t.text.clone().into(),
        t.created_at.to_rfc3339().into(),
        t.closed_at.map(|d| d.to_rfc3339()).into(),
    ]
}

/// Writes a commitment (insert or full replace).
pub(crate) fn put_commitment(tx: &Transaction<'_>, c: &Commitment) -> Result<()> {
    exec(
        tx,
        "INSERT INTO commitments(id, person_id, touchpoint_id, what, due, status, created_at, resolved_at, resolved_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET person_id = excluded.person_id,
           touchpoint_id = excluded.touchpoint_id, what = excluded.what, due = excluded.due,
           status = excluded.status, resolved_at = excluded.resolved_at, resolved_ms = excluded.resolved_ms",
        params_from_iter(commitment_row(c)),
    )?;
    Ok(())
}

/// Writes a topic (insert or full replace).
pub(crate) fn put_topic(tx: &Transaction<'_>, t: &OpenTopic) -> Result<()> {
    exec(
        tx,
        "INSERT INTO topics(id, person_id, touchpoint_id, text, created_at, closed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET person_id = excluded.person_id,
           touchpoint_id = excluded.touchpoint_id, text = excluded.text, closed_at = excluded.closed_at",
        params_from_iter(topic_row(t)),
    )?;
    Ok(())
}

pub(super) fn clean_text(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::InvalidInput(format!("{what} must not be empty")));
    }
    if text.chars().count() > 2000 {
        return Err(Error::InvalidInput(format!(
            "{what} is longer than 2000 characters"
        )));
    }
    Ok(text.to_string())
}

impl Journal {
    /// Records a promise to a person, optionally made in a touchpoint.
    pub fn add_commitment(
        &mut self,
        person: Uuid,
        what: &str,
        due: Option<NaiveDate>,
        touchpoint: Option<Uuid>,
    ) -> Result<Commitment> {
        let what = clean_text(what, "the commitment")?;
        self.person(person)?;
        if let Some(t) = touchpoint {
            self.touchpoint(t)?;
        }
        let c = Commitment {
            id: new_id(),
            person_id: person,
            touchpoint_id: touchpoint,
            what,
            due,
            status: CommitmentStatus::Open,
            created_at: Local::now().fixed_offset(),
            resolved_at: None,
        };
        self.write(|tx| put_commitment(tx, &c))?;
        Ok(c)
    }

    /// Resolves a commitment as kept, broken or renegotiated (or reopens it with `Open`).
    pub fn resolve_commitment(
        &mut self,
        id: Uuid,
        status: CommitmentStatus,
        at: DateTime<Utc>,
    ) -> Result<Commitment> {
        let mut c = self.commitment(id)?;
        c.status = status;
        c.resolved_at = match status {
            CommitmentStatus::Open => None,
            _ => Some(at.with_timezone(&Local).fixed_offset()),
        };
        self.write(|tx| put_commitment(tx, &c))?;
        Ok(c)
    }

    /// One commitment by id.
    pub fn commitment(&self, id: Uuid) -> Result<Commitment> {
        self.conn()
            .query_row(
                &format!("SELECT {COMMITMENT_COLUMNS} FROM commitments WHERE id = ?1"),
                [id.to_string()],
                commitment_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no commitment with id {id}")))
    }

    /// Commitments, optionally of one person and only open ones, soonest due first.
    pub fn commitments(&self, person: Option<Uuid>, open_only: bool) -> Result<Vec<Commitment>> {
        // Only the filters given, so each can use its index (`commitments_person`, or the
        // partial `commitments_open`).
        let person = person.map(|p| p.to_string());
        let mut filters = Vec::new();
        if person.is_some() {
            filters.push("person_id = ?1 AND ");
        }
        if open_only {
            filters.push("status = 'open' AND ");
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c
             WHERE {}EXISTS (SELECT 1 FROM people p WHERE p.id = c.person_id AND p.deleted_at IS NULL)
             ORDER BY status <> 'open', due IS NULL, due, created_at",
            filters.concat()
        ))?;
        let params: &[&dyn rusqlite::ToSql] = match &person {
            Some(p) => &[p],
            None => &[],
        };
        let rows = stmt.query_map(params, commitment_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn commitments_of_touchpoint(&self, id: Uuid) -> Result<Vec<Commitment>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments WHERE touchpoint_id = ?1 ORDER BY created_at"
        ))?;
        let rows = stmt.query_map([id.to_string()], commitment_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a topic a person raised.
    pub fn add_topic(
        &mut self,
        person: Uuid,
        text: &str,
        touchpoint: Option<Uuid>,
    ) -> Result<OpenTopic> {
        let text = clean_text(text, "the topic")?;
        self.person(person)?;
        if let Some(t) = touchpoint {
            self.touchpoint(t)?;
        }
        let t = OpenTopic {
            id: new_id(),
            person_id: person,
            touchpoint_id: touchpoint,
            text,
            created_at: Local::now().fixed_offset(),
            closed_at: None,
        };
        self.write(|tx| put_topic(tx, &t))?;
        Ok(t)
    }

    /// Closes (or reopens) a topic.
    pub fn close_topic(&mut self, id: Uuid, closed: bool) -> Result<OpenTopic> {
        let mut t = self
            .conn()
            .query_row(
                &format!("SELECT {TOPIC_COLUMNS} FROM topics WHERE id = ?1"),
                [id.to_string()],
                topic_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no topic with id {id}")))?;
        t.closed_at = closed.then(|| Local::now().fixed_offset());
        self.write(|tx| put_topic(tx, &t))?;
        Ok(t)
    }

    /// Topics of a person (or everyone), open ones only when asked, oldest first.
    pub fn topics(&self, person: Option<Uuid>, open_only: bool) -> Result<Vec<OpenTopic>> {
        // Only the filters given, so a person's topics come from `topics_person`.
        let person = person.map(|p| p.to_string());
        let mut filters = vec!["1"];
        if person.is_some() {
            filters.push("person_id = ?1");
        }
        if open_only {
            filters.push("closed_at IS NULL");
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {TOPIC_COLUMNS} FROM topics WHERE {} ORDER BY created_at",
            filters.join(" AND ")
        ))?;
        let params: &[&dyn rusqlite::ToSql] = match &person {
            Some(p) => &[p],
            None => &[],
        };
        let rows = stmt.query_map(params, topic_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn topics_of_touchpoint(&self, id: Uuid) -> Result<Vec<OpenTopic>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {TOPIC_COLUMNS} FROM topics WHERE touchpoint_id = ?1 ORDER BY created_at"
        ))?;
        let rows = stmt.query_map([id.to_string()], topic_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
