//! The calendar files a leader linked, and what their last sync found, kept in the encrypted journal.
//!
//! Linking only remembers a file; reading and importing it is the exchange's job
//! ([`crate::exchange::sync_calendar`]). A path is kept as the absolute, canonical path of the
//! file when it was linked, so a relative path or a symlinked folder names one file only.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ForeignImportSummary, Journal};
use crate::{Error, Result};

/// Most calendar files one journal links; a sync reads every one of them.
pub const MAX_LINKED_CALENDARS: usize = 20;

/// What the last sync of a linked calendar file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CalendarStatus {
    /// Linked and not synced yet.
    Pending,
    /// Read and imported.
    Ok,
    /// No file at the path any more (moved, renamed or deleted).
    Missing,
    /// The file is there but could not be read (permissions, a folder, an I/O error).
    Unreadable,
    /// The file is no longer an iCalendar file; nothing of it was imported.
    NotCalendar,
    /// An iCalendar file the import refused as a whole; `message` says why.
    Refused,
}

impl CalendarStatus {
    fn as_str(self) -> &'static str {
        match self {
            CalendarStatus::Pending => "pending",
            CalendarStatus::Ok => "ok",
            CalendarStatus::Missing => "missing",
            CalendarStatus::Unreadable => "unreadable",
            CalendarStatus::NotCalendar => "not_calendar",
            CalendarStatus::Refused => "refused",
        }
    }

    fn parse(text: &str) -> CalendarStatus {
        match text {
            "ok" => CalendarStatus::Ok,
            "missing" => CalendarStatus::Missing,
            "unreadable" => CalendarStatus::Unreadable,
            "not_calendar" => CalendarStatus::NotCalendar,
            "refused" => CalendarStatus::Refused,
            _ => CalendarStatus::Pending,
        }
    }

    /// Whether the leader should look at this file (it could not be read or imported).
    pub fn is_problem(self) -> bool {
        !matches!(self, CalendarStatus::Ok | CalendarStatus::Pending)
    }
}

/// A calendar file the journal keeps up to date with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LinkedCalendar {
    /// The file's absolute path.
    pub path: String,
    /// When it was linked.
    pub linked_at: DateTime<Utc>,
    /// When it was last synced (read, or found missing or broken); `None` before the first sync.
    pub synced_at: Option<DateTime<Utc>>,
    /// What the last sync found.
    pub status: CalendarStatus,
    /// Why the last sync could not import the file, in plain words; empty when it did.
    pub message: String,
    /// What the last import of this file did (counts, skipped events, notes); kept when a
    /// later sync finds the file missing or broken, `None` before the first import.
    pub last_import: Option<ForeignImportSummary>,
}

impl LinkedCalendar {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<LinkedCalendar> {
        let linked: String = r.get(1)?;
        let synced: Option<String> = r.get(2)?;
        let status: String = r.get(3)?;
        let summary: Option<String> = r.get(5)?;
        Ok(LinkedCalendar {
            path: r.get(0)?,
            linked_at: parse_time(&linked).unwrap_or_default(),
            synced_at: synced.as_deref().and_then(parse_time),
            status: CalendarStatus::parse(&status),
            message: r.get(4)?,
            last_import: summary.and_then(|s| serde_json::from_str(&s).ok()),
        })
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

const COLUMNS: &str = "path, linked_at, synced_at, status, message, summary";

/// The absolute form of `path` a link is kept under: the canonical path of the file when it
/// exists, else its folder's canonical path joined with its name (a file removed since it
/// was linked is still found by the path the leader gives).
pub fn calendar_key(path: &Path) -> Result<String> {
    let full = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(_) => {
            let absolute = std::path::absolute(path)
                .map_err(|e| Error::io(format!("cannot resolve {}", path.display()), e))?;
            match (absolute.parent(), absolute.file_name()) {
                (Some(parent), Some(name)) => std::fs::canonicalize(parent)
                    .map(|p| p.join(name))
                    .unwrap_or(absolute.clone()),
                _ => absolute,
            }
        }
    };
    full.to_str().map(str::to_string).ok_or_else(|| {
        Error::InvalidInput(format!(
            "the path {} is not valid UTF-8; move the calendar file to a folder whose name is",
            path.display()
        ))
    })
}

impl Journal {
    /// Remembers the calendar file at `path` so that syncs keep the journal up to date with it.
    ///
    /// Refused, changing nothing, when there is no readable file there or it is not an
    /// iCalendar file (a linked path must never bring in a bundle, a review or an export).
    /// Linking a file already linked changes nothing and answers its link.
    pub fn link_calendar(&mut self, path: &Path, now: DateTime<Utc>) -> Result<LinkedCalendar> {
        let key = calendar_key(path)?;
        let meta = std::fs::metadata(&key).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::NotFound(format!("there is no file at {}", path.display()))
            }
            _ => Error::io(format!("cannot read {}", path.display()), e),
        })?;
        if !meta.is_file() {
            return Err(Error::InvalidInput(format!(
                "{} is not a file; link the calendar (.ics) file itself",
                path.display()
            )));
        }
        let head = read_head(Path::new(&key))?;
        if crate::import::detect(&head) != crate::import::Detected::Ics {
            return Err(Error::InvalidInput(format!(
                "{} is not an iCalendar (.ics) file; only calendar files can be linked",
                path.display()
            )));
        }
        if let Some(found) = self.linked_calendar(&key)? {
            return Ok(found);
        }
        if self.linked_calendars()?.len() >= MAX_LINKED_CALENDARS {
            return Err(Error::InvalidInput(format!(
                "at most {MAX_LINKED_CALENDARS} calendar files can be linked; unlink one first"
            )));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO linked_calendars(path, linked_at) VALUES (?1, ?2)",
                params![key, now.to_rfc3339()],
            )?;
            Ok(())
        })?;
        self.linked_calendar(&key)?
            .ok_or_else(|| Error::NotFound(format!("no calendar linked at {key}")))
    }

    /// Forgets the linked calendar file at `path`. The meetings it brought in stay.
    pub fn unlink_calendar(&mut self, path: &Path) -> Result<()> {
        let key = self.linked_key(path)?;
        self.write(|tx| {
            tx.execute("DELETE FROM linked_calendars WHERE path = ?1", [&key])?;
            Ok(())
        })
    }

    /// The linked calendar files, by path.
    pub fn linked_calendars(&self) -> Result<Vec<LinkedCalendar>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM linked_calendars ORDER BY path"
        ))?;
        let rows = stmt.query_map([], LinkedCalendar::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The linked calendar kept under `key` (as [`calendar_key`] gives it), if any.
    pub fn linked_calendar(&self, key: &str) -> Result<Option<LinkedCalendar>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM linked_calendars WHERE path = ?1"),
                [key],
                LinkedCalendar::from_row,
            )
            .optional()?)
    }

    /// The key of the link `path` names, as given or as [`calendar_key`] resolves it.
    pub(crate) fn linked_key(&self, path: &Path) -> Result<String> {
        if let Some(given) = path.to_str() {
            if self.linked_calendar(given)?.is_some() {
                return Ok(given.to_string());
            }
        }
        let key = calendar_key(path)?;
        if self.linked_calendar(&key)?.is_some() {
            return Ok(key);
        }
        Err(Error::NotFound(format!(
            "no calendar file is linked at {}",
            path.display()
        )))
    }

    /// Records what a sync of the linked file `key` found. `summary` replaces the last
    /// import's when given; otherwise the previous one is kept. A file unlinked meanwhile is
    /// not linked again.
    pub(crate) fn record_calendar_sync(
        &mut self,
        key: &str,
        at: DateTime<Utc>,
        status: CalendarStatus,
        message: &str,
        summary: Option<&ForeignImportSummary>,
    ) -> Result<()> {
        let summary = summary.map(|s| serde_json::to_string(s).expect("summary serialises"));
        self.write(|tx| {
            tx.execute(
                "UPDATE linked_calendars SET synced_at = ?2, status = ?3, message = ?4,
                   summary = coalesce(?5, summary)
                 WHERE path = ?1",
                params![key, at.to_rfc3339(), status.as_str(), message, summary],
            )?;
            Ok(())
        })
    }
}

/// The first bytes of a file, enough to tell an iCalendar file.
fn read_head(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    Ok(head)
}

/// The folder to watch for changes to a linked file (sync tools replace files by rename).
pub fn watched_folder(path: &str) -> Option<PathBuf> {
    Path::new(path).parent().map(Path::to_path_buf)
}
