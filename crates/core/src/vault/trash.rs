//! The trash and erasure for good: what the trash holds, and the one path every erase takes.
//!
//! Erasing a person, erasing an entry, emptying the trash and purging what has been in it
//! longer than [`TRASH_DAYS`] all go through [`erase_in`], then [`Journal::settle_erase`]: the
//! rows and everything attached to them go in one transaction, the search index is merged so
//! no deleted term survives in an old segment, and the write-ahead log is emptied into the
//! database, whose freed pages `secure_delete` has overwritten.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::entries::{touchpoint_from_row, TOUCHPOINT_COLUMNS};
use super::{get_id, Journal, PersonRef, TRASH_DAYS};
use crate::model::Touchpoint;
use crate::{Error, Result};

/// What an erase removed for good.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Erased {
    /// People erased.
    pub people: u32,
    /// Entries erased (the person's own entries included).
    pub entries: u32,
    /// Reflections erased, on those entries and by those people.
    pub reflections: u32,
}

impl Erased {
    /// Whether nothing at all was erased.
    pub fn is_empty(&self) -> bool {
        *self == Erased::default()
    }
}

/// A person in the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrashedPerson {
    /// Who.
    pub person: PersonRef,
    /// When they were moved to the trash.
    pub trashed_at: DateTime<Utc>,
    /// From when they are erased for good ([`TRASH_DAYS`] after `trashed_at`).
    pub erase_after: DateTime<Utc>,
    /// Entries that go with them: those where they are the only participant.
    pub entries: u32,
    /// Their reflections on entries shared with others, which go too.
    pub reflections: u32,
}

/// An entry in the trash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrashedEntry {
    /// The entry as it was.
    pub entry: Touchpoint,
    /// The people who took part, by name.
    pub people: Vec<PersonRef>,
    /// When it was moved to the trash.
    pub trashed_at: DateTime<Utc>,
    /// From when it is erased for good ([`TRASH_DAYS`] after `trashed_at`).
    pub erase_after: DateTime<Utc>,
    /// Reflections on it, which go with it.
    pub reflections: u32,
}

/// Everything in the trash, most recently trashed first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Trash {
    /// People in the trash.
    pub people: Vec<TrashedPerson>,
    /// Entries in the trash.
    pub entries: Vec<TrashedEntry>,
}

fn ids_json(ids: &[Uuid]) -> String {
    serde_json::to_string(&ids.iter().map(Uuid::to_string).collect::<Vec<_>>())
        .expect("strings serialise")
}

/// Removes `entries` and `people` and everything attached to them, in `tx`.
///
/// An erased person's entries where they were the only participant go too; shared entries keep
/// the other participants' sides. Annotations point at entries and reflections by id with no
/// foreign key, so they are removed first, while the reflections they name still exist; the
/// cascades then take reflections, participants, tags, team memberships, and the person's
/// commitments and topics. Commitments and topics recorded in an erased entry go with it
/// (see docs/decisions.md). Annotations whose target is gone (left by erasures before this
/// path existed) are removed as well.
pub(super) fn erase_in(tx: &Transaction<'_>, entries: &[Uuid], people: &[Uuid]) -> Result<Erased> {
    let people_ids = ids_json(people);
    let mut all: Vec<Uuid> = entries.to_vec();
    {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT p.touchpoint_id FROM participants p
             WHERE p.person_id IN (SELECT value FROM json_each(?1))
               AND NOT EXISTS (SELECT 1 FROM participants o WHERE o.touchpoint_id = p.touchpoint_id
                               AND o.person_id NOT IN (SELECT value FROM json_each(?1)))",
        )?;
        let solo = stmt.query_map([&people_ids], |r| get_id(r, 0))?;
        for id in solo {
            all.push(id?);
        }
    }
    all.sort();
    all.dedup();
    let entry_ids = ids_json(&all);
    let args = params![entry_ids, people_ids];
    tx.execute(
        "DELETE FROM annotations WHERE target_id IN (SELECT value FROM json_each(?1))
            OR target_id IN (SELECT id FROM reflections
                             WHERE touchpoint_id IN (SELECT value FROM json_each(?1))
                                OR person_id IN (SELECT value FROM json_each(?2)))
            OR target_id IN (SELECT id FROM commitments
                             WHERE touchpoint_id IN (SELECT value FROM json_each(?1))
                                OR person_id IN (SELECT value FROM json_each(?2)))
            OR target_id IN (SELECT id FROM topics
                             WHERE touchpoint_id IN (SELECT value FROM json_each(?1))
                                OR person_id IN (SELECT value FROM json_each(?2)))",
        args,
    )?;
    let reflections: u32 = tx.query_row(
        "SELECT count(*) FROM reflections WHERE touchpoint_id IN (SELECT value FROM json_each(?1))
            OR person_id IN (SELECT value FROM json_each(?2))",
        args,
        |r| r.get(0),
    )?;
    for table in ["commitments", "topics"] {
        tx.execute(
            &format!(
                "DELETE FROM {table} WHERE touchpoint_id IN (SELECT value FROM json_each(?1))"
            ),
            [&entry_ids],
        )?;
    }
    let erased_entries = tx.execute(
        "DELETE FROM touchpoints WHERE id IN (SELECT value FROM json_each(?1))",
        [&entry_ids],
    )?;
    let erased_people = tx.execute(
        "DELETE FROM people WHERE id IN (SELECT value FROM json_each(?1))",
        [&people_ids],
    )?;
    tx.execute(
        "DELETE FROM teams WHERE id NOT IN (SELECT team_id FROM team_members)",
        [],
    )?;
    tx.execute(
        "DELETE FROM annotations WHERE target_id NOT IN (SELECT id FROM touchpoints)
            AND target_id NOT IN (SELECT id FROM reflections)
            AND target_id NOT IN (SELECT id FROM commitments)
            AND target_id NOT IN (SELECT id FROM topics)
            AND target_id NOT IN (SELECT id FROM people)",
        [],
    )?;
    let erased = Erased {
        people: erased_people as u32,
        entries: erased_entries as u32,
        reflections,
    };
    if !erased.is_empty() {
        // Deleted rows leave their terms in the index's older segments until they are merged.
        tx.execute("INSERT INTO search(search) VALUES ('optimize')", [])?;
    }
    // An unsaved form about what went would keep their words: it goes in the same transaction.
    let gone: Vec<String> = all.iter().chain(people).map(Uuid::to_string).collect();
    let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
    super::form_draft::forget_mentions(tx, &gone)?;
    Ok(erased)
}

impl Journal {
    /// Erases `entries` and `people` for good along the one erase path; see [`erase_in`].
    fn erase(&mut self, entries: &[Uuid], people: &[Uuid]) -> Result<Erased> {
        let erased = self.write(|tx| erase_in(tx, entries, people))?;
        self.settle_erase(&erased)?;
        Ok(erased)
    }

    /// Moves erased pages out of the write-ahead log, which would otherwise keep them until
    /// SQLite next reuses its space.
    fn settle_erase(&self, erased: &Erased) -> Result<()> {
        if !erased.is_empty() {
            self.conn()
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        Ok(())
    }

    /// Erases a person for good with everything written about them (in the trash or not).
    pub fn erase_person(&mut self, id: Uuid) -> Result<Erased> {
        let exists: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM people WHERE id = ?1)",
            [id.to_string()],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::NotFound(format!("no person with id {id}")));
        }
        self.erase(&[], &[id])
    }

    /// Erases an entry for good with its reflections, comments and what was recorded in it
    /// (in the trash or not).
    pub fn erase_touchpoint(&mut self, id: Uuid) -> Result<Erased> {
        let exists: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM touchpoints WHERE id = ?1)",
            [id.to_string()],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::NotFound(format!("no touchpoint with id {id}")));
        }
        self.erase(&[id], &[])
    }

    /// Erases for good everything that has been in the trash longer than [`TRASH_DAYS`].
    pub fn purge_trash(&mut self, now: DateTime<Utc>) -> Result<Erased> {
        let cutoff = (now - Duration::days(TRASH_DAYS)).timestamp_millis();
        self.erase_trashed_until(cutoff)
    }

    /// Erases for good everything in the trash now.
    pub fn empty_trash(&mut self) -> Result<Erased> {
        self.erase_trashed_until(i64::MAX)
    }

    fn erase_trashed_until(&mut self, cutoff_ms: i64) -> Result<Erased> {
        let erased = self.write(|tx| {
            let trashed = |table: &str| -> Result<Vec<Uuid>> {
                let mut stmt = tx.prepare(&format!(
                    "SELECT id FROM {table} WHERE deleted_at IS NOT NULL AND deleted_at <= ?1"
                ))?;
                let rows = stmt.query_map([cutoff_ms], |r| get_id(r, 0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            };
            let (entries, people) = (trashed("touchpoints")?, trashed("people")?);
            if entries.is_empty() && people.is_empty() {
                return Ok(Erased::default());
            }
            erase_in(tx, &entries, &people)
        })?;
        self.settle_erase(&erased)?;
        Ok(erased)
    }

    /// Everything in the trash, with when each item is erased for good and what goes with it.
    pub fn trash(&self) -> Result<Trash> {
        let keep = Duration::days(TRASH_DAYS);
        let mut stmt = self.conn().prepare(
            "SELECT p.id, p.name, p.deleted_at,
               (SELECT count(*) FROM participants s WHERE s.person_id = p.id AND NOT EXISTS
                  (SELECT 1 FROM participants o WHERE o.touchpoint_id = s.touchpoint_id
                   AND o.person_id <> p.id)),
               (SELECT count(*) FROM reflections r WHERE r.person_id = p.id AND EXISTS
                  (SELECT 1 FROM participants o WHERE o.touchpoint_id = r.touchpoint_id
                   AND o.person_id <> p.id))
             FROM people p WHERE p.deleted_at IS NOT NULL ORDER BY p.deleted_at DESC, p.name",
        )?;
        let people = stmt
            .query_map([], |r| {
                let at = DateTime::from_timestamp_millis(r.get(2)?).unwrap_or_default();
                Ok(TrashedPerson {
                    person: PersonRef {
                        id: get_id(r, 0)?,
                        name: r.get(1)?,
                    },
                    trashed_at: at,
                    erase_after: at + keep,
                    entries: r.get(3)?,
                    reflections: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {TOUCHPOINT_COLUMNS}, t.deleted_at,
               (SELECT json_group_array(json_object('id', id, 'name', name)) FROM
                  (SELECT p.id, p.name FROM participants s JOIN people p ON p.id = s.person_id
                   WHERE s.touchpoint_id = t.id ORDER BY s.position)),
               (SELECT count(*) FROM reflections r WHERE r.touchpoint_id = t.id)
             FROM touchpoints t WHERE t.deleted_at IS NOT NULL ORDER BY t.deleted_at DESC, t.id"
        ))?;
        let entries = stmt
            .query_map([], |r| {
                let at = DateTime::from_timestamp_millis(r.get(14)?).unwrap_or_default();
                let names: String = r.get(15)?;
                Ok(TrashedEntry {
                    entry: touchpoint_from_row(r)?,
                    people: serde_json::from_str(&names).unwrap_or_default(),
                    trashed_at: at,
                    erase_after: at + keep,
                    reflections: r.get(16)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Trash { people, entries })
    }
}

#[cfg(test)]
mod tests;
