//! Touchpoints and their reflections: recording, reading, the timeline and the trash.

use chrono::{DateTime, Local, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{exec, get_id, Journal, PersonRef};
use crate::model::{
    check_rating, new_id, Moment, NewReflection, NewTouchpoint, Reflection, Touchpoint,
    TouchpointDetail, TouchpointKind, TouchpointState,
};
use crate::{Error, Result};

/// Reads a stored RFC 3339 time, keeping its offset.
pub(crate) fn parse_moment(text: &str) -> Moment {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|_| DateTime::<Utc>::default().fixed_offset())
}

/// Which entries a timeline page shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineFilter {
    /// Only entries with this person.
    pub person: Option<Uuid>,
    /// Only entries of this kind.
    pub kind: Option<TouchpointKind>,
    /// Only entries with this tag.
    pub tag: Option<String>,
    /// Only entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only drafts or only logged entries.
    pub state: Option<TouchpointState>,
    /// Page size (50 when absent, at most 1000).
    pub limit: Option<u32>,
    /// Continue after this item (the last one of the previous page).
    pub after: Option<TimelineCursor>,
}

/// Where a timeline page ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineCursor {
    /// The item's time in UTC milliseconds.
    #[ts(type = "number")]
    pub occurred_ms: i64,
    /// The item's id.
    pub id: Uuid,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineItem {
    /// Identifier.
    pub id: Uuid,
    /// Kind.
    pub kind: TouchpointKind,
    /// When it happened.
    pub occurred_at: Moment,
    /// Title.
    pub title: String,
    /// The people in it.
    pub participants: Vec<PersonRef>,
    /// Tags.
    pub tags: Vec<String>,
    /// Draft or logged.
    pub state: TouchpointState,
    /// Never exported.
    pub private: bool,
    /// How many participants have a reflection.
    pub reflections: u32,
    /// Where this item sits, to ask for the next page.
    pub cursor: TimelineCursor,
}

pub(super) const TOUCHPOINT_COLUMNS: &str =
    "t.id, t.kind, t.occurred_at, t.duration_minutes, t.title,
    (SELECT json_group_array(person_id) FROM (SELECT person_id FROM participants
       WHERE touchpoint_id = t.id ORDER BY position)),
    t.team, t.affected_groups, t.notes, t.tags, t.private, t.source, t.state, t.created_at";

/// [`TOUCHPOINT_COLUMNS`] with the participants left empty, for bulk reads that fill them in
/// from one scan of the participants instead of a subquery per row.
pub(super) const TOUCHPOINT_COLUMNS_NO_PARTICIPANTS: &str =
    "t.id, t.kind, t.occurred_at, t.duration_minutes, t.title, '[]',
    t.team, t.affected_groups, t.notes, t.tags, t.private, t.source, t.state, t.created_at";

pub(super) fn touchpoint_from_row(row: &Row<'_>) -> rusqlite::Result<Touchpoint> {
    let kind: String = row.get(1)?;
    let at: String = row.get(2)?;
    let parts: String = row.get(5)?;
    let groups: String = row.get(7)?;
    let tags: String = row.get(9)?;
    let state: String = row.get(12)?;
    let created: String = row.get(13)?;
    Ok(Touchpoint {
        id: get_id(row, 0)?,
        kind: kind.parse().unwrap_or(TouchpointKind::Other),
        occurred_at: parse_moment(&at),
        duration_minutes: row.get(3)?,
        title: row.get(4)?,
        participants: serde_json::from_str(&parts).unwrap_or_default(),
        team: row.get(6)?,
        affected_groups: serde_json::from_str(&groups).unwrap_or_default(),
        notes: row.get(8)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        private: row.get(10)?,
        source: row.get(11)?,
        state: state.parse().unwrap_or(TouchpointState::Logged),
        created_at: parse_moment(&created),
    })
}

pub(super) const REFLECTION_COLUMNS: &str = "r.id, r.touchpoint_id, r.person_id, r.answers,
    r.their_side, r.willingness, r.ability, r.adversarial, r.would_have_helped, r.next_time,
    r.created_at";

pub(super) fn reflection_from_row(row: &Row<'_>) -> rusqlite::Result<Reflection> {
    let answers: String = row.get(3)?;
    let created: String = row.get(10)?;
    Ok(Reflection {
        id: get_id(row, 0)?,
        touchpoint_id: get_id(row, 1)?,
        person_id: get_id(row, 2)?,
        answers: serde_json::from_str(&answers).unwrap_or_default(),
        their_side: row.get(4)?,
        willingness: row.get(5)?,
        ability: row.get(6)?,
        adversarial: row.get(7)?,
        would_have_helped: row.get(8)?,
        next_time: row.get(9)?,
        created_at: parse_moment(&created),
    })
}

/// Normalises tags: trimmed, lower case, spaces to dashes, no duplicates.
pub(crate) fn clean_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_lowercase().replace(char::is_whitespace, "-");
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > 60 {
            return Err(Error::InvalidInput(format!(
                "tag {tag:?} is longer than 60 characters"
            )));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// The columns of a touchpoint row, in the order of [`touchpoint_row`].
pub(super) const TOUCHPOINT_ROW_COLUMNS: &str = "id, kind, occurred_at, occurred_ms,
    duration_minutes, title, team, affected_groups, notes, tags, private, source, state, created_at";

/// A touchpoint's row, as written by [`put_touchpoint`] and by bulk inserts.
pub(super) fn touchpoint_row(t: &Touchpoint) -> [Value; 14] {
    [
        t.id.to_string().into(),
        t.kind.as_str().to_string().into(),
        t.occurred_at.to_rfc3339().into(),
        t.occurred_at.timestamp_millis().into(),
        t.duration_minutes.into(),
        t.title.clone().into(),
        t.team.clone().into(),
        serde_json::to_string(&t.affected_groups)
            .expect("impacts serialise")
            .into(),
        t.notes.clone().into(),
        serde_json::to_string(&t.tags)
            .expect("tags serialise")
            .into(),
        t.private.into(),
        t.source.clone().into(),
        t.state.as_str().to_string().into(),
        t.created_at.to_rfc3339().into(),
    ]
}

/// Writes the participants and tags of a touchpoint whose row is written and that has none yet.
pub(super) fn insert_touchpoint_links(tx: &Transaction<'_>, t: &Touchpoint) -> Result<()> {
    let id = t.id.to_string();
    let ms = t.occurred_at.timestamp_millis();
    for (i, p) in t.participants.iter().enumerate() {
        exec(
            tx,
            "INSERT INTO participants(touchpoint_id, person_id, position, occurred_ms) VALUES (?1, ?2, ?3, ?4)",
            params![id, p.to_string(), i as i64, ms],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                Error::NotFound(format!("no person with id {p}"))
            }
            _ => e.into(),
        })?;
    }
    for tag in &t.tags {
        exec(
            tx,
            "INSERT OR IGNORE INTO touchpoint_tags(touchpoint_id, tag) VALUES (?1, ?2)",
            [&id, tag],
        )?;
    }
    Ok(())
}

/// Writes a touchpoint row with its participants and tags (insert or full replace).
pub(crate) fn put_touchpoint(tx: &Transaction<'_>, t: &Touchpoint) -> Result<()> {
    exec(
        tx,
        "INSERT INTO touchpoints(id, kind, occurred_at, occurred_ms, duration_minutes, title, team,
           affected_groups, notes, tags, private, source, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, occurred_at = excluded.occurred_at,
           occurred_ms = excluded.occurred_ms, duration_minutes = excluded.duration_minutes,
           title = excluded.title, team = excluded.team, affected_groups = excluded.affected_groups,
           notes = excluded.notes, tags = excluded.tags, private = excluded.private,
           source = excluded.source, state = excluded.state",
        params_from_iter(touchpoint_row(t)),
    )?;
    let id = t.id.to_string();
    // Participants who left the entry take their reflection with them.
    let kept = serde_json::to_string(&t.participants).expect("ids serialise");
    exec(
        tx,
        "DELETE FROM reflections WHERE touchpoint_id = ?1
         AND person_id NOT IN (SELECT value FROM json_each(?2))",
        [&id, &kept],
    )?;
    exec(
        tx,
        "DELETE FROM participants WHERE touchpoint_id = ?1",
        [&id],
    )?;
    exec(
        tx,
        "DELETE FROM touchpoint_tags WHERE touchpoint_id = ?1",
        [&id],
    )?;
    insert_touchpoint_links(tx, t)
}

/// Writes a reflection (insert, or replace the one for the same touchpoint and person).
pub(crate) fn put_reflection(tx: &Transaction<'_>, r: &Reflection) -> Result<()> {
    write_reflection(tx, r)?;
    exec(
        tx,
        "UPDATE touchpoints SET state = 'logged' WHERE id = ?1 AND state <> 'logged'",
        [r.touchpoint_id.to_string()],
    )?;
    Ok(())
}

/// [`put_reflection`] for a touchpoint the caller has already written as logged (an import
/// logs every entry it brings reflections for), without the statement that would log it.
pub(crate) fn put_reflection_on_logged(tx: &Transaction<'_>, r: &Reflection) -> Result<()> {
    write_reflection(tx, r)
}

fn write_reflection(tx: &Transaction<'_>, r: &Reflection) -> Result<()> {
    exec(
        tx,
        "INSERT INTO reflections(id, touchpoint_id, person_id, answers, their_side, willingness,
           ability, adversarial, would_have_helped, next_time, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(touchpoint_id, person_id) DO UPDATE SET answers = excluded.answers,
           their_side = excluded.their_side, willingness = excluded.willingness,
           ability = excluded.ability, adversarial = excluded.adversarial,
           would_have_helped = excluded.would_have_helped, next_time = excluded.next_time",
        params_from_iter(reflection_row(r)),
    )?;
    Ok(())
}

/// The columns of a reflection row, in the order of [`reflection_row`].
pub(super) const REFLECTION_ROW_COLUMNS: &str = "id, touchpoint_id, person_id, answers,
    their_side, willingness, ability, adversarial, would_have_helped, next_time, created_at";

/// A reflection's row, as written by [`put_reflection`] and by bulk inserts.
pub(super) fn reflection_row(r: &Reflection) -> [Value; 11] {
    [
        r.id.to_string().into(),
        r.touchpoint_id.to_string().into(),
        r.person_id.to_string().into(),
        serde_json::to_string(&r.answers)
            .expect("answers serialise")
            .into(),
        r.their_side.clone().into(),
        r.willingness.into(),
        r.ability.into(),
        r.adversarial.into(),
        r.would_have_helped.clone().into(),
        r.next_time.clone().into(),
        r.created_at.to_rfc3339().into(),
    ]
}

/// A default title such as "One-on-one with Ana".
fn default_title(kind: TouchpointKind, names: &[String]) -> String {
    let what = match kind {
        TouchpointKind::OneOnOne => "One-on-one",
        TouchpointKind::TeamMeeting => "Team meeting",
        TouchpointKind::Feedback => "Feedback",
        TouchpointKind::Conflict => "Conflict",
        TouchpointKind::Decision => "Decision",
        TouchpointKind::Other => "Note",
    };
    match names {
        [] => what.to_string(),
        [one] => format!("{what} with {one}"),
        [a, b] => format!("{what} with {a} and {b}"),
        [a, rest @ ..] => format!("{what} with {a} and {} others", rest.len()),
    }
}

/// Checks a touchpoint's fields before it is written.
pub(super) fn validate_touchpoint(t: &Touchpoint) -> Result<()> {
    if t.title.chars().count() > 300 {
        return Err(Error::InvalidInput(
            "the title is longer than 300 characters".into(),
        ));
    }
    if t.kind != TouchpointKind::Decision && !t.affected_groups.is_empty() {
        return Err(Error::InvalidInput(
            "only decisions have affected groups".into(),
        ));
    }
    let mut seen = Vec::new();
    for g in &t.affected_groups {
        check_rating(&format!("impact on {}", g.group), g.impact)?;
        if seen.contains(&g.group) {
            return Err(Error::InvalidInput(format!(
                "group {} is listed twice",
                g.group
            )));
        }
        seen.push(g.group);
    }
    let mut ids = t.participants.clone();
    ids.sort();
    ids.dedup();
    if ids.len() != t.participants.len() {
        return Err(Error::InvalidInput("a person is listed twice".into()));
    }
    if let Some(d) = t.duration_minutes {
        if d > 24 * 60 {
            return Err(Error::InvalidInput(
                "a touchpoint cannot last more than a day".into(),
            ));
        }
    }
    Ok(())
}

impl Journal {
    /// Records a touchpoint; returns it as stored.
    pub fn add_touchpoint(&mut self, new: NewTouchpoint) -> Result<Touchpoint> {
        let t = self.new_touchpoint(new)?;
        self.write(|tx| put_touchpoint(tx, &t))?;
        Ok(t)
    }

    /// Records a touchpoint with participants' reflections on it in one transaction: one
    /// durable write instead of one per call. Each reflection's `touchpoint_id` is ignored
    /// (they belong to the new touchpoint); with any reflection the touchpoint is logged.
    pub fn add_reflected_touchpoint(
        &mut self,
        new: NewTouchpoint,
        reflections: Vec<NewReflection>,
    ) -> Result<(Touchpoint, Vec<Reflection>)> {
        self.add_reflected_touchpoint_and(new, reflections, |_, _| Ok(()))
    }

    /// [`Self::add_reflected_touchpoint`] with `also` written in the same transaction, after
    /// the touchpoint (linking it to initiatives at capture, say).
    pub(super) fn add_reflected_touchpoint_and(
        &mut self,
        new: NewTouchpoint,
        reflections: Vec<NewReflection>,
        also: impl FnOnce(&Transaction<'_>, &Touchpoint) -> Result<()>,
    ) -> Result<(Touchpoint, Vec<Reflection>)> {
        let mut people: Vec<Uuid> = reflections.iter().map(|r| r.person_id).collect();
        people.sort();
        people.dedup();
        if people.len() != reflections.len() {
            return Err(Error::InvalidInput(
                "a person has two reflections on one touchpoint".into(),
            ));
        }
        let mut t = self.new_touchpoint(new)?;
        if !reflections.is_empty() {
            t.state = TouchpointState::Logged;
        }
        let reflections = reflections
            .into_iter()
            .map(|r| {
                self.new_reflection(
                    &t,
                    NewReflection {
                        touchpoint_id: t.id,
                        ..r
                    },
                )
            })
            .collect::<Result<Vec<_>>>()?;
        self.write(|tx| {
            put_touchpoint(tx, &t)?;
            reflections.iter().try_for_each(|r| put_reflection(tx, r))?;
            also(tx, &t)
        })?;
        Ok((t, reflections))
    }

    /// A new touchpoint from what was entered, checked, with its default title.
    fn new_touchpoint(&self, new: NewTouchpoint) -> Result<Touchpoint> {
        let now = Local::now().fixed_offset();
        let names = new
            .participants
            .iter()
            .map(|id| self.person(*id).map(|p| p.name))
            .collect::<Result<Vec<_>>>()?;
        let title = match new.title.trim() {
            "" => default_title(new.kind, &names),
            t => t.to_string(),
        };
        let t = Touchpoint {
            id: new_id(),
            kind: new.kind,
            occurred_at: new.occurred_at.unwrap_or(now),
            duration_minutes: new.duration_minutes,
            title,
            participants: new.participants,
            team: new
                .team
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            affected_groups: new.affected_groups,
            notes: new.notes,
            tags: clean_tags(&new.tags)?,
            private: new.private,
            source: if new.source.trim().is_empty() {
                "manual".into()
            } else {
                new.source
            },
            state: new.state.unwrap_or(TouchpointState::Logged),
            created_at: now,
        };
        validate_touchpoint(&t)?;
        Ok(t)
    }

    /// Saves edits to a touchpoint; reflections of people no longer in it are removed.
    pub fn update_touchpoint(&mut self, t: &Touchpoint) -> Result<Touchpoint> {
        let mut t = t.clone();
        t.tags = clean_tags(&t.tags)?;
        validate_touchpoint(&t)?;
        let existing = self.touchpoint(t.id)?;
        t.created_at = existing.created_at;
        let mut people = existing.participants;
        people.extend(&t.participants);
        self.write(|tx| put_touchpoint(tx, &t))?;
        Ok(t)
    }

    /// One touchpoint (not in the trash).
    pub fn touchpoint(&self, id: Uuid) -> Result<Touchpoint> {
        self.conn()
            .query_row(
                &format!("SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints t WHERE t.id = ?1 AND t.deleted_at IS NULL"),
                [id.to_string()],
                touchpoint_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no touchpoint with id {id}")))
    }

    /// A touchpoint with its reflections, commitments, topics and participant names.
    pub fn touchpoint_detail(&self, id: Uuid) -> Result<TouchpointDetail> {
        let touchpoint = self.touchpoint(id)?;
        let participant_names = touchpoint
            .participants
            .iter()
            .map(|p| self.person(*p).map(|p| p.name))
            .collect::<Result<_>>()?;
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r WHERE r.touchpoint_id = ?1"
        ))?;
        let reflections = stmt
            .query_map([id.to_string()], reflection_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(TouchpointDetail {
            participant_names,
            reflections,
            commitments: self.commitments_of_touchpoint(id)?,
            topics: self.topics_of_touchpoint(id)?,
            touchpoint,
        })
    }

    /// Writes (or rewrites) one participant's reflection; the touchpoint becomes logged.
    pub fn reflect(&mut self, new: NewReflection) -> Result<Reflection> {
        check_rating("willingness", new.willingness)?;
        check_rating("ability", new.ability)?;
        let t = self.touchpoint(new.touchpoint_id)?;
        let r = self.new_reflection(&t, new)?;
        self.write(|tx| put_reflection(tx, &r))?;
        self.reflection(r.touchpoint_id, r.person_id)
    }

    /// A new reflection on `t` from what was entered, checked.
    pub(super) fn new_reflection(&self, t: &Touchpoint, new: NewReflection) -> Result<Reflection> {
        check_rating("willingness", new.willingness)?;
        check_rating("ability", new.ability)?;
        if !t.participants.contains(&new.person_id) {
            let name = self.person(new.person_id)?.name;
            return Err(Error::InvalidInput(format!(
                "{name} did not take part in {:?}",
                t.title
            )));
        }
        Ok(Reflection {
            id: new_id(),
            touchpoint_id: new.touchpoint_id,
            person_id: new.person_id,
            answers: new.answers,
            their_side: new.their_side,
            willingness: new.willingness,
            ability: new.ability,
            adversarial: new.adversarial,
            would_have_helped: new.would_have_helped,
            next_time: new.next_time,
            created_at: Local::now().fixed_offset(),
        })
    }

    /// The reflection of one participant on one touchpoint.
    pub fn reflection(&self, touchpoint: Uuid, person: Uuid) -> Result<Reflection> {
        self.conn()
            .query_row(
                &format!("SELECT {REFLECTION_COLUMNS} FROM reflections r WHERE r.touchpoint_id = ?1 AND r.person_id = ?2"),
                [touchpoint.to_string(), person.to_string()],
                reflection_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound("no reflection for that person on that touchpoint".into()))
    }

    /// Moves a touchpoint to the trash.
    pub fn trash_touchpoint(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let n = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE touchpoints SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                params![id.to_string(), now.timestamp_millis()],
            )?)
        })?;
        if n == 0 {
            return Err(Error::NotFound(format!("no touchpoint with id {id}")));
        }
        Ok(())
    }

    /// Brings a touchpoint back from the trash.
    pub fn restore_touchpoint(&mut self, id: Uuid) -> Result<()> {
        let n = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE touchpoints SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
                [id.to_string()],
            )?)
        })?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "no touchpoint with id {id} in the trash"
            )));
        }
        Ok(())
    }

    /// A page of the timeline, newest first.
    pub fn timeline(&self, filter: &TimelineFilter) -> Result<Vec<TimelineItem>> {
        let limit = filter.limit.unwrap_or(50).clamp(1, 1000);
        // The WHERE clause holds only the filters given: `(:x IS NULL OR col = :x)` would keep
        // SQLite from using an index for any of them.
        //
        // A person filter walks that person's participation index (person, time, touchpoint)
        // instead of every entry; without one, `touchpoints_newest` (time, id) read backwards.
        // Either way the page order is the index order, so a page stops after its rows.
        let (from, ms, id) = if filter.person.is_some() {
            (
                "participants pp JOIN touchpoints t ON t.id = pp.touchpoint_id",
                "pp.occurred_ms",
                "pp.touchpoint_id",
            )
        } else {
            ("touchpoints t", "t.occurred_ms", "t.id")
        };
        let mut conds = vec!["t.deleted_at IS NULL".to_string()];
        let person = filter.person.map(|p| p.to_string());
        let after = filter
            .after
            .as_ref()
            .map(|c| (c.occurred_ms, c.id.to_string()));
        let kind = filter.kind.map(|k| k.as_str());
        let state = filter.state.map(|s| s.as_str());
        let since = filter.since.map(|d| d.timestamp_millis());
        let until = filter.until.map(|d| d.timestamp_millis());
        let tag = filter.tag.as_ref().map(|t| t.trim().to_lowercase());
        let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
        if let Some(p) = &person {
            conds.push("pp.person_id = :person".into());
            named.push((":person", p));
        }
        if let Some((after_ms, after_id)) = &after {
            conds.push(format!("({ms}, {id}) < (:after_ms, :after_id)"));
            named.push((":after_ms", after_ms));
            named.push((":after_id", after_id));
        }
        if let Some(kind) = &kind {
            conds.push("t.kind = :kind".into());
            named.push((":kind", kind));
        }
        if let Some(state) = &state {
            conds.push("t.state = :state".into());
            named.push((":state", state));
        }
        if let Some(since) = &since {
            conds.push(format!("{ms} >= :since"));
            named.push((":since", since));
        }
        if let Some(until) = &until {
            conds.push(format!("{ms} < :until"));
            named.push((":until", until));
        }
        if let Some(tag) = &tag {
            conds.push(
                "EXISTS (SELECT 1 FROM touchpoint_tags g WHERE g.touchpoint_id = t.id AND g.tag = :tag)"
                    .into(),
            );
            named.push((":tag", tag));
        }
        let sql = format!(
            "SELECT t.id, t.kind, t.occurred_at, t.title, t.tags, t.state, t.private, t.occurred_ms,
               (SELECT json_group_array(json_array(p.id, p.name)) FROM
                  (SELECT person_id, position FROM participants WHERE touchpoint_id = t.id ORDER BY position) x
                  JOIN people p ON p.id = x.person_id),
               (SELECT count(*) FROM reflections r WHERE r.touchpoint_id = t.id)
             FROM {from}
             WHERE {}
             ORDER BY {ms} DESC, {id} DESC
             LIMIT :limit",
            conds.join(" AND ")
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(named.as_slice(), |r| {
            let kind: String = r.get(1)?;
            let at: String = r.get(2)?;
            let tags: String = r.get(4)?;
            let state: String = r.get(5)?;
            let ms: i64 = r.get(7)?;
            let parts: String = r.get(8)?;
            let id = get_id(r, 0)?;
            let parts: Vec<(Uuid, String)> = serde_json::from_str(&parts).unwrap_or_default();
            Ok(TimelineItem {
                id,
                kind: kind.parse().unwrap_or(TouchpointKind::Other),
                occurred_at: parse_moment(&at),
                title: r.get(3)?,
                participants: parts
                    .into_iter()
                    .map(|(id, name)| PersonRef { id, name })
                    .collect(),
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                state: state.parse().unwrap_or(TouchpointState::Logged),
                private: r.get(6)?,
                reflections: r.get(9)?,
                cursor: TimelineCursor {
                    occurred_ms: ms,
                    id,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Touchpoints in the trash, newest trashed first.
    pub fn trashed_touchpoints(&self) -> Result<Vec<(Touchpoint, DateTime<Utc>)>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {TOUCHPOINT_COLUMNS}, t.deleted_at FROM touchpoints t
             WHERE t.deleted_at IS NOT NULL ORDER BY t.deleted_at DESC"
        ))?;
        let rows = stmt.query_map([], |r| {
            let ms: i64 = r.get(14)?;
            Ok((
                touchpoint_from_row(r)?,
                DateTime::from_timestamp_millis(ms).unwrap_or_default(),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every tag in use, with how many entries carry it.
    pub fn tags(&self) -> Result<Vec<(String, u32)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT g.tag, count(*) FROM touchpoint_tags g JOIN touchpoints t ON t.id = g.touchpoint_id
             WHERE t.deleted_at IS NULL GROUP BY g.tag ORDER BY g.tag",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
