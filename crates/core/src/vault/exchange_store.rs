//! The storage side of the exchange: bulk reads for exports, merge writes for imports, and the
//! coach's annotations. Rows are read with the same readers as single records.

mod bulk;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use uuid::Uuid;

use super::commitments::{commitment_from_row, topic_from_row, COMMITMENT_COLUMNS, TOPIC_COLUMNS};
pub(crate) use super::entries::put_reflection_on_logged;
use super::entries::{
    parse_moment, reflection_from_row, touchpoint_from_row, REFLECTION_COLUMNS, TOUCHPOINT_COLUMNS,
    TOUCHPOINT_COLUMNS_NO_PARTICIPANTS,
};
use super::{get_id, Journal};
use crate::exchange::{CoachComment, CoachNote, ReviewSource};
use crate::model::{Annotation, Commitment, OpenTopic, Person, Reflection, Touchpoint};
use crate::{Error, Result};
pub(crate) use bulk::Bulk;

/// Above this many ids, a bulk read scans the table once instead of looking each id up: one
/// sequential pass over an encrypted file beats that many reads of pages scattered over it.
#[cfg(not(test))]
const SCAN_ABOVE: usize = 2000;
/// Low in tests, so that their small documents take the scanning path too.
#[cfg(test)]
const SCAN_ABOVE: usize = 1;

const ANNOTATION_COLUMNS: &str = "a.id, a.target_id, a.author, a.text, a.created_at";

fn annotation_from_row(row: &Row<'_>) -> rusqlite::Result<Annotation> {
    let created: String = row.get(4)?;
    Ok(Annotation {
        id: get_id(row, 0)?,
        target_id: get_id(row, 1)?,
        author: row.get(2)?,
        text: row.get(3)?,
        created_at: parse_moment(&created),
    })
}

/// The provenance columns after [`ANNOTATION_COLUMNS`].
const SOURCE_COLUMNS: &str = "a.reviewer_key, a.export_id";

/// The review a comment came from, read from the two columns at `at`.
fn source_from_row(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<ReviewSource>> {
    let key: Option<String> = row.get(at)?;
    let export: Option<String> = row.get(at + 1)?;
    Ok(match (key, export.and_then(|e| Uuid::parse_str(&e).ok())) {
        (Some(key), Some(export)) => Some(ReviewSource::new(key, export)),
        _ => None,
    })
}

fn note_from_row(row: &Row<'_>) -> rusqlite::Result<CoachNote> {
    Ok(CoachNote {
        annotation: annotation_from_row(row)?,
        source: source_from_row(row, 5)?,
    })
}

/// What an export reads from the journal, before selection.
pub(crate) struct ExportRows {
    /// Touchpoints in the range that are neither private nor in the trash, oldest first.
    pub touchpoints: Vec<Touchpoint>,
    /// The reflections on those touchpoints.
    pub reflections: Vec<Reflection>,
    /// Every topic.
    pub topics: Vec<OpenTopic>,
    /// Every annotation.
    pub annotations: Vec<Annotation>,
    /// Entries that may never leave (private or in the trash), whatever the range: what was
    /// made inside them stays with them.
    pub withheld: HashSet<Uuid>,
    /// The tags those entries carry.
    pub withheld_tags: HashSet<String>,
}

/// A person's name and addresses, trashed ones included, for pseudonymising free text.
pub(crate) struct KnownName {
    /// Identifier.
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Email addresses.
    pub emails: Vec<String>,
}

/// Whether a record exists and whether it is in the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// No such record.
    Absent,
    /// Present and live.
    Live,
    /// Present but in the trash.
    Trashed,
}

impl Journal {
    /// Reads what an export selects from: touchpoints in `[since, until)` (UTC milliseconds)
    /// that are neither private nor trashed, their reflections, and every topic and annotation.
    pub(crate) fn export_rows(&self, since: Option<i64>, until: Option<i64>) -> Result<ExportRows> {
        let range = "t.deleted_at IS NULL AND t.private = 0
            AND (?1 IS NULL OR t.occurred_ms >= ?1) AND (?2 IS NULL OR t.occurred_ms < ?2)";
        // The tables are read in file order and sorted here, by time then id (ids sort as
        // their text does): reading in the order of an index jumped all over the encrypted
        // file, decrypting most pages several times, and took most of a large export.
        let mut touchpoints = self.scan_touchpoints(range, params![since, until])?;
        touchpoints.sort_by_key(|t| (t.occurred_at.timestamp_millis(), t.id));
        let place: HashMap<Uuid, usize> = touchpoints
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect();
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {REFLECTION_COLUMNS} FROM reflections r"))?;
        let mut reflections = Vec::new();
        for r in stmt.query_map([], reflection_from_row)? {
            let r = r?;
            if let Some(at) = place.get(&r.touchpoint_id) {
                reflections.push((*at, r));
            }
        }
        reflections.sort_by_key(|(at, r)| (*at, r.id));
        let reflections = reflections.into_iter().map(|(_, r)| r).collect();
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {TOPIC_COLUMNS} FROM topics ORDER BY created_at, id"
        ))?;
        let topics = stmt
            .query_map([], topic_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM touchpoints WHERE private = 1 OR deleted_at IS NOT NULL")?;
        let withheld = stmt
            .query_map([], |r| get_id(r, 0))?
            .collect::<rusqlite::Result<HashSet<_>>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT g.tag FROM touchpoint_tags g JOIN touchpoints t ON t.id = g.touchpoint_id
             WHERE t.private = 1 OR t.deleted_at IS NOT NULL",
        )?;
        let withheld_tags = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<HashSet<String>>>()?;
        Ok(ExportRows {
            touchpoints,
            reflections,
            topics,
            annotations: self.all_annotations()?,
            withheld,
            withheld_tags,
        })
    }

    /// Every person ever named in the journal, trashed ones included, oldest first.
    pub(crate) fn known_names(&self) -> Result<Vec<KnownName>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, name, emails FROM people ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let emails: String = r.get(2)?;
            Ok(KnownName {
                id: get_id(r, 0)?,
                name: r.get(1)?,
                emails: serde_json::from_str(&emails).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of every row of `table` (a table with an `id` column), trashed rows included.
    /// The unique index on `id` answers it without reading the rows.
    pub(crate) fn all_ids(&self, table: &'static str) -> Result<HashSet<Uuid>> {
        let mut stmt = self.conn().prepare(&format!("SELECT id FROM {table}"))?;
        let rows = stmt.query_map([], |r| get_id(r, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The ids of the rows of `table` (people or touchpoints) that are in the trash.
    pub(crate) fn trashed_ids(&self, table: &'static str) -> Result<HashSet<Uuid>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT id FROM {table} WHERE deleted_at IS NOT NULL"
        ))?;
        let rows = stmt.query_map([], |r| get_id(r, 0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Touchpoints matching `filter` (SQL over `t`, with `params`) in table order, each with
    /// its participants in order, read from one scan of the participants.
    fn scan_touchpoints(
        &self,
        filter: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Touchpoint>> {
        let mut people: HashMap<Uuid, Vec<(i64, Uuid)>> = HashMap::new();
        let mut stmt = self
            .conn()
            .prepare("SELECT touchpoint_id, person_id, position FROM participants")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            people
                .entry(get_id(r, 0)?)
                .or_default()
                .push((r.get(2)?, get_id(r, 1)?));
        }
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {TOUCHPOINT_COLUMNS_NO_PARTICIPANTS} FROM touchpoints t WHERE {filter}"
        ))?;
        let rows = stmt.query_map(params, touchpoint_from_row)?;
        rows.map(|t| {
            let mut t = t?;
            if let Some(mut who) = people.remove(&t.id) {
                who.sort_unstable();
                t.participants = who.into_iter().map(|(_, p)| p).collect();
            }
            Ok(t)
        })
        .collect()
    }

    /// The live touchpoints among `ids`, by id.
    pub(crate) fn live_touchpoints(
        &self,
        ids: &HashSet<Uuid>,
    ) -> Result<HashMap<Uuid, Touchpoint>> {
        if ids.len() > SCAN_ABOVE {
            return Ok(self
                .scan_touchpoints("t.deleted_at IS NULL", [])?
                .into_iter()
                .filter(|t| ids.contains(&t.id))
                .map(|t| (t.id, t))
                .collect());
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {TOUCHPOINT_COLUMNS} FROM touchpoints t WHERE t.id = ?1 AND t.deleted_at IS NULL"
        ))?;
        let mut found = HashMap::new();
        for id in ids {
            if let Some(t) = stmt
                .query_row([id.to_string()], touchpoint_from_row)
                .optional()?
            {
                found.insert(t.id, t);
            }
        }
        Ok(found)
    }

    /// The reflections on the touchpoints `on`, by touchpoint and person.
    pub(crate) fn reflections_on(
        &self,
        on: &HashSet<Uuid>,
    ) -> Result<HashMap<(Uuid, Uuid), Reflection>> {
        let key = |r: Reflection| ((r.touchpoint_id, r.person_id), r);
        if on.len() > SCAN_ABOVE {
            let mut stmt = self
                .conn()
                .prepare(&format!("SELECT {REFLECTION_COLUMNS} FROM reflections r"))?;
            let rows = stmt.query_map([], reflection_from_row)?;
            let mut found = HashMap::new();
            for r in rows {
                let r = r?;
                if on.contains(&r.touchpoint_id) {
                    found.insert((r.touchpoint_id, r.person_id), r);
                }
            }
            return Ok(found);
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {REFLECTION_COLUMNS} FROM reflections r WHERE r.touchpoint_id = ?1"
        ))?;
        let mut found = HashMap::new();
        for id in on {
            let rows = stmt.query_map([id.to_string()], reflection_from_row)?;
            for r in rows {
                let (k, r) = key(r?);
                found.insert(k, r);
            }
        }
        Ok(found)
    }

    /// The commitments among `ids`, by id.
    pub(crate) fn commitments_by_id(
        &self,
        ids: &HashSet<Uuid>,
    ) -> Result<HashMap<Uuid, Commitment>> {
        self.rows_by_id(
            "commitments",
            COMMITMENT_COLUMNS,
            ids,
            commitment_from_row,
            |c| c.id,
        )
    }

    /// The topics among `ids`, by id.
    pub(crate) fn topics_by_id(&self, ids: &HashSet<Uuid>) -> Result<HashMap<Uuid, OpenTopic>> {
        self.rows_by_id("topics", TOPIC_COLUMNS, ids, topic_from_row, |t| t.id)
    }

    /// The rows of `table` whose ids are among `ids`, read one by one or in one scan.
    fn rows_by_id<T>(
        &self,
        table: &'static str,
        columns: &'static str,
        ids: &HashSet<Uuid>,
        from_row: fn(&Row<'_>) -> rusqlite::Result<T>,
        id_of: fn(&T) -> Uuid,
    ) -> Result<HashMap<Uuid, T>> {
        let mut found = HashMap::new();
        if ids.len() > SCAN_ABOVE {
            let mut stmt = self
                .conn()
                .prepare(&format!("SELECT {columns} FROM {table}"))?;
            for row in stmt.query_map([], from_row)? {
                let row = row?;
                if ids.contains(&id_of(&row)) {
                    found.insert(id_of(&row), row);
                }
            }
            return Ok(found);
        }
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {columns} FROM {table} WHERE id = ?1"))?;
        for id in ids {
            if let Some(row) = stmt.query_row([id.to_string()], from_row).optional()? {
                found.insert(*id, row);
            }
        }
        Ok(found)
    }

    /// Whether a person exists and whether they are in the trash.
    pub(crate) fn person_presence(&self, id: Uuid) -> Result<Presence> {
        presence(self, "people", id)
    }

    /// The live person with exactly this name (ignoring case, as names are unique that way).
    pub(crate) fn person_id_named(&self, name: &str) -> Result<Option<Uuid>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT id FROM people WHERE name = ?1 COLLATE NOCASE AND deleted_at IS NULL",
            )?
            .query_row([name.trim()], |r| get_id(r, 0))
            .optional()?)
    }

    /// One annotation by id.
    pub(crate) fn annotation_by_id(&self, id: Uuid) -> Result<Option<Annotation>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {ANNOTATION_COLUMNS} FROM annotations a WHERE a.id = ?1"
            ))?
            .query_row([id.to_string()], annotation_from_row)
            .optional()?)
    }

    /// Every annotation, oldest first.
    pub(crate) fn all_annotations(&self) -> Result<Vec<Annotation>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations a ORDER BY a.created_at, a.id"
        ))?;
        let rows = stmt.query_map([], annotation_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether `id` is a live touchpoint or a reflection on one: what a coach may comment on.
    pub(crate) fn annotation_target_exists(&self, id: Uuid) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM touchpoints WHERE id = ?1 AND deleted_at IS NULL)
                 OR EXISTS(SELECT 1 FROM reflections r JOIN touchpoints t ON t.id = r.touchpoint_id
                           WHERE r.id = ?1 AND t.deleted_at IS NULL)",
            [id.to_string()],
            |r| r.get(0),
        )?)
    }

    /// The coach's comments on a touchpoint or a reflection, oldest first.
    pub fn annotations_for(&self, target_id: Uuid) -> Result<Vec<Annotation>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ANNOTATION_COLUMNS} FROM annotations a WHERE a.target_id = ?1
             ORDER BY a.created_at, a.id"
        ))?;
        let rows = stmt.query_map([target_id.to_string()], annotation_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The coach's comments on an entry and on its reflections, oldest first, each with the
    /// review it came from: what the entry screen shows beside each part.
    pub fn entry_annotations(&self, touchpoint_id: Uuid) -> Result<Vec<CoachNote>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ANNOTATION_COLUMNS}, {SOURCE_COLUMNS} FROM annotations a
             WHERE a.target_id = ?1
                OR a.target_id IN (SELECT id FROM reflections WHERE touchpoint_id = ?1)
             ORDER BY a.created_at, a.id"
        ))?;
        let rows = stmt.query_map([touchpoint_id.to_string()], note_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Comments imported from review files at or after `since`, newest import first, each with
    /// the entry it belongs to (for Today's "new comments from your coach"). Comments on
    /// entries now in the trash are left out.
    pub fn new_annotations_since(&self, since: DateTime<Utc>) -> Result<Vec<CoachComment>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ANNOTATION_COLUMNS}, a.imported_at, t.id, t.title, {SOURCE_COLUMNS}
             FROM annotations a
             JOIN touchpoints t ON t.id = a.target_id
               OR t.id = (SELECT r.touchpoint_id FROM reflections r WHERE r.id = a.target_id)
             WHERE a.imported_at >= ?1 AND t.deleted_at IS NULL
             ORDER BY a.imported_at DESC, a.created_at DESC, a.id"
        ))?;
        let rows = stmt.query_map([since.timestamp_millis()], |r| {
            let ms: i64 = r.get(5)?;
            Ok(CoachComment {
                annotation: annotation_from_row(r)?,
                imported_at: DateTime::from_timestamp_millis(ms).unwrap_or_default(),
                touchpoint_id: get_id(r, 6)?,
                touchpoint_title: r.get(7)?,
                source: source_from_row(r, 8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Journal {
    /// Records the id of a bundle just written and the keys it was encrypted to (none for a
    /// passphrase bundle), so that the review answering it is recognised. One insert: no
    /// record of the journal changes.
    pub(crate) fn record_export(
        &self,
        id: Uuid,
        recipients: &[String],
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO exports(id, created_at, recipients) VALUES (?1, ?2, ?3)",
            params![
                id.to_string(),
                at.to_rfc3339(),
                serde_json::to_string(recipients).expect("strings serialise"),
            ],
        )?;
        Ok(())
    }

    /// The keys a recorded bundle was encrypted to (empty for a passphrase bundle), or `None`
    /// when this journal made no bundle with that id.
    pub(crate) fn export_recipients(&self, id: Uuid) -> Result<Option<Vec<String>>> {
        let found: Option<String> = self
            .conn()
            .query_row(
                "SELECT recipients FROM exports WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.map(|r| serde_json::from_str(&r).unwrap_or_default()))
    }
}

fn presence(journal: &Journal, table: &str, id: Uuid) -> Result<Presence> {
    let trashed: Option<bool> = journal
        .conn()
        .prepare_cached(&format!(
            "SELECT deleted_at IS NOT NULL FROM {table} WHERE id = ?1"
        ))?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    Ok(match trashed {
        None => Presence::Absent,
        Some(false) => Presence::Live,
        Some(true) => Presence::Trashed,
    })
}

/// Writes a person (insert or full replace of the editable fields) with their teams.
pub(crate) fn put_person(tx: &Transaction<'_>, p: &Person) -> Result<()> {
    let id = p.id.to_string();
    tx.execute(
        "INSERT INTO people(id, name, emails, role, grp, cadence_days, notes, archived, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, emails = excluded.emails,
           role = excluded.role, grp = excluded.grp, cadence_days = excluded.cadence_days,
           notes = excluded.notes, archived = excluded.archived",
        params![
            id,
            p.name,
            serde_json::to_string(&p.emails).expect("strings serialise"),
            p.role,
            p.group.as_str(),
            p.cadence_days,
            p.notes,
            p.archived,
            p.created_at.to_rfc3339(),
        ],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::InvalidInput(format!("there is already a person called {:?}", p.name))
        }
        _ => e.into(),
    })?;
    tx.execute("DELETE FROM team_members WHERE person_id = ?1", [&id])?;
    for team in &p.teams {
        let team = team.trim();
        if team.is_empty() {
            continue;
        }
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM teams WHERE name = ?1 COLLATE NOCASE",
                [team],
                |r| r.get(0),
            )
            .optional()?;
        let team_id = match existing {
            Some(t) => t,
            None => {
                let t = crate::model::new_id().to_string();
                tx.execute("INSERT INTO teams(id, name) VALUES (?1, ?2)", [&t, team])?;
                t
            }
        };
        tx.execute(
            "INSERT OR IGNORE INTO team_members(team_id, person_id) VALUES (?1, ?2)",
            [&team_id, &id],
        )?;
    }
    tx.execute(
        "DELETE FROM teams WHERE id NOT IN (SELECT team_id FROM team_members)",
        [],
    )?;
    Ok(())
}

/// Writes an annotation (insert, or replace its text); the first import time is kept.
pub(crate) fn put_annotation(
    tx: &Transaction<'_>,
    a: &Annotation,
    imported_at: Option<DateTime<Utc>>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO annotations(id, target_id, author, text, created_at, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET target_id = excluded.target_id, author = excluded.author,
           text = excluded.text, created_at = excluded.created_at,
           imported_at = coalesce(annotations.imported_at, excluded.imported_at)",
        params![
            a.id.to_string(),
            a.target_id.to_string(),
            a.author,
            a.text,
            a.created_at.to_rfc3339(),
            imported_at.map(|t| t.timestamp_millis()),
        ],
    )?;
    Ok(())
}

/// Adds a comment from a review with where it came from. A plain insert: a review never
/// replaces a comment (its plan refused any id already here with other content).
pub(crate) fn insert_review_annotation(
    tx: &Transaction<'_>,
    a: &Annotation,
    imported_at: DateTime<Utc>,
    source: &ReviewSource,
) -> Result<()> {
    tx.execute(
        "INSERT INTO annotations(id, target_id, author, text, created_at, imported_at,
                                 reviewer_key, export_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            a.id.to_string(),
            a.target_id.to_string(),
            a.author,
            a.text,
            a.created_at.to_rfc3339(),
            imported_at.timestamp_millis(),
            source.reviewer_key,
            source.export_id.to_string(),
        ],
    )?;
    Ok(())
}
