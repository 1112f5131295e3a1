//! Balance events read straight from the journal's rows, as the digest once read them: the
//! recomputation the tests compare the stored events with (see `aggregates`).

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::entries::parse_moment;
use super::{get_id, Journal};
use crate::balance::{Event, EventSource};
use crate::model::Group;
use crate::Result;

/// A reflection event row before it is turned into a balance event (the tests' recomputation
/// from the rows).
pub(super) fn reflection_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, Event)> {
    let person = get_id(r, 0)?;
    let at: String = r.get(2)?;
    let kind: String = r.get(3)?;
    Ok((
        person,
        Event {
            source_id: get_id(r, 1)?,
            at: parse_moment(&at),
            source: EventSource::Reflection,
            touchpoint_kind: kind.parse().ok(),
            person_id: Some(person),
            group: None,
            willingness: r.get(4)?,
            ability: r.get(5)?,
            adversarial: r.get(6)?,
            label: r.get(7)?,
        },
    ))
}

/// A resolved commitment as a balance event: kept +1 ability, broken -1, renegotiated 0
/// when done before its due date and counted as broken when done after it (the tests'
/// recomputation from the rows; the stored events follow the same rule in SQL).
pub(super) fn commitment_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Uuid, Event)> {
    let person = get_id(r, 0)?;
    let status: String = r.get(2)?;
    let resolved: String = r.get(3)?;
    let due: Option<String> = r.get(4)?;
    let at = parse_moment(&resolved);
    let late = due
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .is_some_and(|d| at.date_naive() > d);
    let (source, ability) = match status.as_str() {
        "kept" => (EventSource::CommitmentKept, 1),
        "broken" => (EventSource::CommitmentBroken, -1),
        _ if late => (EventSource::CommitmentBroken, -1),
        _ => (EventSource::CommitmentRenegotiated, 0),
    };
    Ok((
        person,
        Event {
            source_id: get_id(r, 1)?,
            at,
            source,
            touchpoint_kind: None,
            person_id: Some(person),
            group: None,
            willingness: 0,
            ability,
            adversarial: false,
            label: r.get(5)?,
        },
    ))
}

impl Journal {
    /// Balance events of people read from their rows (the recomputation the tests compare the
    /// stored events with), keyed by person; all people when `person`
    /// is `None`.
    pub(super) fn person_events(&self, person: Option<Uuid>) -> Result<HashMap<Uuid, Vec<Event>>> {
        let person = person.map(|p| p.to_string());
        // One person: their reflections from `reflections_person_ratings`, a covering index.
        // Everyone: the reflections in table order, each joined to its touchpoint. Left to
        // itself SQLite walks that index (it is narrower) and then looks touchpoints up in
        // person order, all over the file: 6.6 s instead of about 1 s at 150,000 reflections
        // with the default 2 MB page cache. Ids are UUID v7 and rows are written in time
        // order, so the table order keeps both lookups near each other.
        let (from, only) = if person.is_some() {
            (
                "people p JOIN reflections r ON r.person_id = p.id
                 JOIN touchpoints t ON t.id = r.touchpoint_id",
                "AND p.id = ?1 AND r.person_id = ?1",
            )
        } else {
            (
                "reflections r NOT INDEXED CROSS JOIN touchpoints t ON t.id = r.touchpoint_id
                 CROSS JOIN people p ON p.id = r.person_id",
                "",
            )
        };
        let params: &[&dyn rusqlite::ToSql] = match &person {
            Some(p) => &[p],
            None => &[],
        };
        let mut out: HashMap<Uuid, Vec<Event>> = HashMap::new();
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT r.person_id, t.id, t.occurred_at, t.kind, r.willingness, r.ability, r.adversarial, t.title
             FROM {from}
             WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL {only}"
        ))?;
        for row in stmt.query_map(params, reflection_event)? {
            let (p, e) = row?;
            out.entry(p).or_default().push(e);
        }
        let only = if person.is_some() {
            "AND p.id = ?1 AND c.person_id = ?1"
        } else {
            ""
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT c.person_id, c.id, c.status, c.resolved_at, c.due, c.what
             FROM people p JOIN commitments c ON c.person_id = p.id
             WHERE c.status <> 'open' AND c.resolved_at IS NOT NULL AND p.deleted_at IS NULL {only}"
        ))?;
        for row in stmt.query_map(params, commitment_event)? {
            let (p, e) = row?;
            out.entry(p).or_default().push(e);
        }
        Ok(out)
    }

    /// Decisions' impact on a group, as balance events read from their rows (for the tests).
    pub(super) fn decision_events(&self, group: Group) -> Result<Vec<Event>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.occurred_at, g.value ->> 'impact', t.title
             FROM touchpoints t, json_each(t.affected_groups) g
             WHERE t.kind = 'decision' AND t.deleted_at IS NULL AND g.value ->> 'group' = ?1",
        )?;
        let rows = stmt.query_map([group.as_str()], |r| {
            let at: String = r.get(1)?;
            Ok(Event {
                source_id: get_id(r, 0)?,
                at: parse_moment(&at),
                source: EventSource::Decision,
                touchpoint_kind: Some(crate::model::TouchpointKind::Decision),
                person_id: None,
                group: Some(group),
                willingness: r.get(2)?,
                ability: 0,
                adversarial: false,
                label: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
