//! People and teams: adding, finding by name, editing, the trash and permanent erasure.

use chrono::{DateTime, Local, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{get_id, Journal};
use crate::model::{new_id, Group, NewPerson, Person, Team};
use crate::{Error, Result};

/// A person's id and name, enough to show a link to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonRef {
    /// Identifier.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

const PERSON_COLUMNS: &str =
    "p.id, p.name, p.emails, p.role, p.grp, p.cadence_days, p.notes, p.archived, p.created_at,
     (SELECT json_group_array(t.name) FROM team_members m JOIN teams t ON t.id = m.team_id
      WHERE m.person_id = p.id)";

fn person_from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    let emails: String = row.get(2)?;
    let grp: String = row.get(4)?;
    let created: String = row.get(8)?;
    let teams: String = row.get(9)?;
    let mut teams: Vec<String> = serde_json::from_str(&teams).unwrap_or_default();
    teams.sort();
    Ok(Person {
        id: get_id(row, 0)?,
        name: row.get(1)?,
        emails: serde_json::from_str(&emails).unwrap_or_default(),
        role: row.get(3)?,
        group: grp.parse().unwrap_or(Group::Other),
        cadence_days: row.get(5)?,
        notes: row.get(6)?,
        archived: row.get(7)?,
        created_at: super::entries::parse_moment(&created),
        teams,
    })
}

/// Trims a name and rejects empty or absurdly long ones.
fn clean_name(name: &str, what: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{what} name must not be empty"
        )));
    }
    if name.chars().count() > 200 {
        return Err(Error::InvalidInput(format!(
            "{what} name is longer than 200 characters"
        )));
    }
    Ok(name.to_string())
}

fn clean_emails(emails: &[String]) -> Result<Vec<String>> {
    emails
        .iter()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
        .map(|e| {
            if e.contains('@') && !e.contains(char::is_whitespace) {
                Ok(e)
            } else {
                Err(Error::InvalidInput(format!(
                    "{e:?} is not an email address"
                )))
            }
        })
        .collect()
}

/// Finds or creates a team by name, returning its id.
fn team_id(tx: &Transaction<'_>, name: &str) -> Result<String> {
    let name = clean_name(name, "team")?;
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM teams WHERE name = ?1 COLLATE NOCASE",
            [&name],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let id = new_id().to_string();
    tx.execute("INSERT INTO teams(id, name) VALUES (?1, ?2)", [&id, &name])?;
    Ok(id)
}

impl Journal {
    /// Adds a person; names are unique (ignoring case) among people not in the trash.
    pub fn add_person(&mut self, new: NewPerson) -> Result<Person> {
        let name = clean_name(&new.name, "person")?;
        let emails = clean_emails(&new.emails)?;
        let group = new.group.unwrap_or(Group::DirectReport);
        let cadence = match (new.cadence_days, group) {
            (Some(0), _) => None,
            (Some(d), _) => Some(d),
            (None, Group::DirectReport) => Some(self.settings.default_cadence_days),
            (None, _) => None,
        };
        let id = new_id();
        let now = Local::now().fixed_offset();
        self.write(|tx| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM people WHERE name = ?1 COLLATE NOCASE AND deleted_at IS NULL)",
                [&name],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::InvalidInput(format!("there is already a person called {name:?}")));
            }
            tx.execute(
                "INSERT INTO people(id, name, emails, role, grp, cadence_days, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id.to_string(),
                    name,
                    serde_json::to_string(&emails).expect("strings serialise"),
                    new.role.trim(),
                    group.as_str(),
                    cadence,
                    new.notes,
                    now.to_rfc3339(),
                ],
            )?;
            for team in &new.teams {
                let tid = team_id(tx, team)?;
                tx.execute(
                    "INSERT OR IGNORE INTO team_members(team_id, person_id) VALUES (?1, ?2)",
                    params![tid, id.to_string()],
                )?;
            }
            Ok(())
        })?;
        self.person(id)
    }

    /// Saves edits to a person (name, emails, role, group, teams, cadence, notes, archived).
    pub fn update_person(&mut self, person: &Person) -> Result<Person> {
        let name = clean_name(&person.name, "person")?;
        let emails = clean_emails(&person.emails)?;
        let id = person.id.to_string();
        self.write(|tx| {
            let clash: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM people WHERE name = ?1 COLLATE NOCASE
                 AND deleted_at IS NULL AND id <> ?2)",
                [&name, &id],
                |r| r.get(0),
            )?;
            if clash {
                return Err(Error::InvalidInput(format!(
                    "there is already a person called {name:?}"
                )));
            }
            let n = tx.execute(
                "UPDATE people SET name = ?2, emails = ?3, role = ?4, grp = ?5, cadence_days = ?6,
                 notes = ?7, archived = ?8 WHERE id = ?1 AND deleted_at IS NULL",
                params![
                    id.to_string(),
                    name,
                    serde_json::to_string(&emails).expect("strings serialise"),
                    person.role.trim(),
                    person.group.as_str(),
                    person.cadence_days.filter(|d| *d > 0),
                    person.notes,
                    person.archived,
                ],
            )?;
            if n == 0 {
                return Err(Error::NotFound(format!("no person with id {id}")));
            }
            tx.execute("DELETE FROM team_members WHERE person_id = ?1", [&id])?;
            for team in &person.teams {
                let tid = team_id(tx, team)?;
                tx.execute(
                    "INSERT OR IGNORE INTO team_members(team_id, person_id) VALUES (?1, ?2)",
                    params![tid, id],
                )?;
            }
            tx.execute(
                "DELETE FROM teams WHERE id NOT IN (SELECT team_id FROM team_members)",
                [],
            )?;
            Ok(())
        })?;
        self.person(person.id)
    }

    /// One person by id (including archived ones, excluding the trash).
    pub fn person(&self, id: Uuid) -> Result<Person> {
        self.conn()
            .query_row(
                &format!("SELECT {PERSON_COLUMNS} FROM people p WHERE p.id = ?1 AND p.deleted_at IS NULL"),
                [id.to_string()],
                person_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no person with id {id}")))
    }

    /// Finds a person by name, ignoring case; a unique prefix also matches.
    pub fn person_by_name(&self, name: &str) -> Result<Person> {
        let name = name.trim();
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p
             WHERE p.deleted_at IS NULL AND (p.name = ?1 COLLATE NOCASE OR p.name LIKE ?2 ESCAPE '\\')
             ORDER BY p.name = ?1 COLLATE NOCASE DESC, p.name"
        ))?;
        let pattern = format!(
            "{}%",
            name.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let found: Vec<Person> = stmt
            .query_map([name, pattern.as_str()], person_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => {
                let everyone = self.people(true)?;
                let hint =
                    crate::names::did_you_mean(name, everyone.iter().map(|p| p.name.as_str()));
                Err(Error::NotFound(format!("no person called {name:?}{hint}")))
            }
            [one, ..] if one.name.eq_ignore_ascii_case(name) => Ok(one.clone()),
            [one] => Ok(one.clone()),
            many => Err(Error::InvalidInput(format!(
                "{name:?} matches several people: {}",
                many.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// Everyone not in the trash, by name; archived people only when asked.
    pub fn people(&self, include_archived: bool) -> Result<Vec<Person>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM people p
             WHERE p.deleted_at IS NULL AND (?1 OR p.archived = 0)
             ORDER BY p.name COLLATE NOCASE"
        ))?;
        let rows = stmt.query_map([include_archived], person_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every team with its members (people in the trash left out).
    pub fn teams(&self) -> Result<Vec<Team>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.name, (SELECT json_group_array(m.person_id) FROM team_members m
               JOIN people p ON p.id = m.person_id AND p.deleted_at IS NULL WHERE m.team_id = t.id)
             FROM teams t ORDER BY t.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            let members: String = r.get(2)?;
            Ok(Team {
                id: get_id(r, 0)?,
                name: r.get(1)?,
                members: serde_json::from_str(&members).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves a person to the trash; they disappear from lists and come back with [`Journal::restore_person`].
    pub fn trash_person(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let n = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE people SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                params![id.to_string(), now.timestamp_millis()],
            )?)
        })?;
        if n == 0 {
            return Err(Error::NotFound(format!("no person with id {id}")));
        }
        Ok(())
    }

    /// Brings a person back from the trash.
    pub fn restore_person(&mut self, id: Uuid) -> Result<()> {
        self.write(|tx| {
            let name: Option<String> = tx
                .query_row(
                    "SELECT name FROM people WHERE id = ?1 AND deleted_at IS NOT NULL",
                    [id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(name) = name else {
                return Err(Error::NotFound(format!("no person with id {id} in the trash")));
            };
            let clash: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM people WHERE name = ?1 COLLATE NOCASE AND deleted_at IS NULL)",
                [&name],
                |r| r.get(0),
            )?;
            if clash {
                return Err(Error::InvalidInput(format!(
                    "cannot restore {name:?}: someone else now has that name; rename them first"
                )));
            }
            tx.execute("UPDATE people SET deleted_at = NULL WHERE id = ?1", [id.to_string()])?;
            Ok(())
        })
    }

    /// People in the trash, with the time they were trashed.
    pub fn trashed_people(&self) -> Result<Vec<(PersonRef, DateTime<Utc>)>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, name, deleted_at FROM people WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let ms: i64 = r.get(2)?;
            Ok((
                PersonRef {
                    id: get_id(r, 0)?,
                    name: r.get(1)?,
                },
                DateTime::from_timestamp_millis(ms).unwrap_or_default(),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Resolves names (each a unique prefix or exact, ignoring case) to people.
    pub fn people_by_names(&self, names: &[String]) -> Result<Vec<Person>> {
        names.iter().map(|n| self.person_by_name(n)).collect()
    }
}
