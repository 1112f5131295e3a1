//! Entries from other tools into the journal: calendar events as drafts, Day One and jrnl entries as notes.
//!
//! Both imports first read what is there and decide every write, then write it all in one
//! transaction; a progress callback returning `Break` at any point cancels and nothing is
//! changed. The touchpoint's `source` holds the event's or entry's stable id, so importing
//! the same file again changes nothing:
//!
//! - A calendar event becomes a draft touchpoint waiting for reflection. While it is still a
//!   draft without any reflection, a re-import follows the calendar: a moved or renamed event
//!   or a changed list of attendees updates it (the leader's notes are kept), a cancelled one
//!   moves it to the trash. Once the leader has reflected on it, it is never touched again.
//!   A draft the leader put in the trash stays there. All-day events and new cancelled events
//!   are skipped: they are not meetings.
//! - A Day One or jrnl entry becomes a logged touchpoint of kind `other`. Once imported it is
//!   the leader's: a re-import leaves it as it is (they may have reclassified or edited it).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use chrono::Local;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::entries::{clean_tags, put_touchpoint};
use super::{get_id, Journal};
use crate::exchange::Progress;
use crate::import::{guess_kind, Attendee, CalendarEvent, ForeignEntry, ParsedCalendar};
use crate::model::{new_id, Moment, Touchpoint, TouchpointKind, TouchpointState};
use crate::{Error, Result};

/// What an import of calendar events or journal entries did; every event or entry given is
/// counted exactly once in `added`, `updated`, `unchanged`, `removed` or `skipped`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForeignImportSummary {
    /// New touchpoints written.
    pub added: u32,
    /// Drafts brought up to date with a moved, renamed or re-attended event.
    pub updated: u32,
    /// Already imported and left as they are.
    pub unchanged: u32,
    /// Drafts of events cancelled since, moved to the trash.
    pub removed: u32,
    /// Not imported: all-day events, cancelled events never imported, events without an id.
    pub skipped: u32,
    /// Attendees of the imported meetings (new or still drafts) who match no person, by
    /// email address or else by name; sorted, without duplicates. Adding them as people
    /// (with that address) lets the next import link them.
    pub unmatched_attendees: Vec<String>,
    /// Events of a calendar file that could not become a touchpoint and were left out, each
    /// with where it is in the file and why; the rest of the file was imported.
    pub skipped_events: Vec<CalendarNotice>,
    /// Events imported with a guess the leader should know about, for example a time zone
    /// the import could not place, read in the leader's own zone.
    pub notes: Vec<CalendarNotice>,
}

/// One event of a calendar file the import left out or had to guess about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarNotice {
    /// Line of the file where the event begins (1-based).
    pub line: u32,
    /// The event's title, empty when it has none.
    pub summary: String,
    /// What was wrong or guessed, in plain words.
    pub reason: String,
}

/// Longest title the journal stores.
const MAX_TITLE: usize = 300;
/// Longest title taken from an entry's text when it has none.
const TEXT_TITLE: usize = 60;
/// Longest tag the journal stores.
const MAX_TAG: usize = 60;
/// Longest duration of a touchpoint, in minutes.
const MAX_MINUTES: i64 = 24 * 60;
/// Records between two progress reports.
const TICK_EVERY: usize = 100;

/// One write decided while checking.
enum Op {
    /// Insert or fully rewrite a touchpoint.
    Put(Box<Touchpoint>),
    /// Move a touchpoint to the trash.
    Trash(Uuid),
}

/// A touchpoint that already carries a source id.
struct Existing {
    id: Uuid,
    trashed: bool,
    reflections: u32,
}

fn cancelled() -> Error {
    Error::InvalidInput("import cancelled; nothing was changed".into())
}

/// Reports progress every [`TICK_EVERY`] records and at the end; `Err` when asked to stop.
fn tick(
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    done: usize,
    total: usize,
    stage: &str,
) -> Result<()> {
    if done % TICK_EVERY != 0 && done != total {
        return Ok(());
    }
    let report = Progress {
        done: done as u64,
        total: total as u64,
        stage: stage.to_string(),
    };
    match progress(report) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(()) => Err(cancelled()),
    }
}

/// The touchpoint imported from `source` earlier, if any; one not in the trash first.
fn existing_by_source(conn: &Connection, source: &str) -> Result<Option<Existing>> {
    // The repeated `source <> 'manual'` lets SQLite use the partial index on `source`.
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.deleted_at IS NOT NULL,
           (SELECT count(*) FROM reflections r WHERE r.touchpoint_id = t.id)
         FROM touchpoints t WHERE t.source = ?1 AND t.source <> 'manual'
         ORDER BY t.deleted_at IS NOT NULL, t.created_at LIMIT 1",
    )?;
    Ok(stmt
        .query_row([source], |r| {
            Ok(Existing {
                id: get_id(r, 0)?,
                trashed: r.get(1)?,
                reflections: r.get(2)?,
            })
        })
        .optional()?)
}

/// Whether a source id can be stored as one (not empty, not the marker of manual entries).
fn usable_source(source: &str) -> bool {
    !source.trim().is_empty() && source != "manual"
}

/// At most `max` characters of `text`.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// People by lower-cased email address and by lower-cased name; people not archived win.
struct Directory {
    by_email: HashMap<String, (Uuid, String)>,
    by_name: HashMap<String, (Uuid, String)>,
}

impl Directory {
    fn load(journal: &Journal) -> Result<Directory> {
        let mut people = journal.people(true)?;
        people.sort_by_key(|p| p.archived);
        let mut dir = Directory {
            by_email: HashMap::new(),
            by_name: HashMap::new(),
        };
        for p in people {
            for e in &p.emails {
                dir.by_email
                    .entry(e.trim().to_lowercase())
                    .or_insert_with(|| (p.id, p.name.clone()));
            }
            dir.by_name
                .entry(p.name.trim().to_lowercase())
                .or_insert((p.id, p.name));
        }
        Ok(dir)
    }

    /// The person an attendee is: by email first, then by exact name ignoring case.
    fn find(&self, a: &Attendee) -> Option<&(Uuid, String)> {
        let by_email = a
            .email
            .as_ref()
            .and_then(|e| self.by_email.get(&e.trim().to_lowercase()));
        by_email.or_else(|| {
            a.name
                .as_ref()
                .and_then(|n| self.by_name.get(&n.trim().to_lowercase()))
        })
    }
}

/// What an event says a draft should be.
struct Meeting {
    kind: TouchpointKind,
    title: String,
    duration_minutes: Option<u32>,
    participants: Vec<Uuid>,
    unmatched: Vec<String>,
}

/// Reads an event's attendees against the journal's people, and its title and duration.
fn meeting(ev: &CalendarEvent, dir: &Directory) -> Meeting {
    let others = ev.others(&[]);
    let kind = guess_kind(others.len());
    let mut participants = Vec::new();
    let mut unmatched = Vec::new();
    let mut first_name = None;
    for a in &others {
        let label = a
            .email
            .as_deref()
            .or(a.name.as_deref())
            .map(str::trim)
            .filter(|l| !l.is_empty());
        match dir.find(a) {
            Some((id, name)) => {
                first_name.get_or_insert_with(|| name.clone());
                if !participants.contains(id) {
                    participants.push(*id);
                }
            }
            None => {
                let shown = a
                    .name
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .or(label);
                if let Some(shown) = shown {
                    first_name.get_or_insert_with(|| shown.to_string());
                }
                if let Some(label) = label {
                    unmatched.push(label.to_string());
                }
            }
        }
    }
    let title = match ev.summary.trim() {
        "" => match (kind, first_name) {
            (TouchpointKind::OneOnOne, Some(name)) => format!("One-on-one with {name}"),
            (TouchpointKind::OneOnOne, None) => "One-on-one".into(),
            (TouchpointKind::TeamMeeting, _) => "Team meeting".into(),
            _ => "Calendar event".into(),
        },
        s => s.to_string(),
    };
    let duration_minutes = match (ev.all_day, ev.end) {
        (false, Some(end)) => Some((end - ev.start).num_minutes())
            .filter(|m| *m > 0)
            .map(|m| m.min(MAX_MINUTES) as u32),
        _ => None,
    };
    Meeting {
        kind,
        title: clip(&title, MAX_TITLE),
        duration_minutes,
        participants,
        unmatched,
    }
}

/// The kinds a calendar import guesses; another kind means the leader chose it.
fn guessable(kind: TouchpointKind) -> bool {
    matches!(
        kind,
        TouchpointKind::Other | TouchpointKind::OneOnOne | TouchpointKind::TeamMeeting
    )
}

fn same_moment(a: &Moment, b: &Moment) -> bool {
    a == b && a.offset() == b.offset()
}

fn same_people(a: &[Uuid], b: &[Uuid]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

/// An entry's title: its own, or else the first line of its text, shortened.
fn entry_title(e: &ForeignEntry) -> String {
    let title = e.title.trim();
    if !title.is_empty() {
        return clip(title, MAX_TITLE);
    }
    let line = e
        .text
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty());
    match line {
        Some(l) => clip(l, TEXT_TITLE).trim_end().to_string(),
        None => "Note".into(),
    }
}

impl Journal {
    /// A calendar file read by [`crate::import::parse_ics`] imported as
    /// [`Journal::import_calendar`] does, the summary listing the events the file left out
    /// ([`ForeignImportSummary::skipped_events`]) and the guesses it made
    /// ([`ForeignImportSummary::notes`]).
    pub fn import_calendar_file(
        &mut self,
        calendar: &ParsedCalendar,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ForeignImportSummary> {
        let mut summary = self.import_calendar(&calendar.events, progress)?;
        summary.skipped_events = calendar.skipped.clone();
        summary.notes = calendar.notes.clone();
        Ok(summary)
    }

    /// Calendar events become draft touchpoints waiting for reflection.
    ///
    /// Attendees other than the leader (the organizer stands for the leader) become the
    /// participants when they match a person by email address, or else by name ignoring
    /// case; the kind is guessed from how many there are, matched or not. See the module
    /// notes for what a re-import does. `progress` is called while checking and writing;
    /// returning `Break` cancels with an error, and nothing is changed.
    pub fn import_calendar(
        &mut self,
        events: &[CalendarEvent],
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ForeignImportSummary> {
        let total = events.len();
        let dir = Directory::load(self)?;
        let now = Local::now().fixed_offset();
        let mut summary = ForeignImportSummary::default();
        let mut unmatched = Vec::new();
        let mut ops = Vec::new();
        let mut seen = HashSet::new();
        tick(progress, 0, total, "checking")?;
        for (i, ev) in events.iter().enumerate() {
            if !usable_source(&ev.uid) {
                summary.skipped += 1;
            } else if !seen.insert(ev.uid.as_str()) {
                // The same event twice in one file: the first one counts.
                summary.unchanged += 1;
            } else {
                match existing_by_source(self.conn(), &ev.uid)? {
                    None if ev.cancelled || ev.all_day => summary.skipped += 1,
                    None => {
                        let m = meeting(ev, &dir);
                        unmatched.extend(m.unmatched);
                        ops.push(Op::Put(Box::new(Touchpoint {
                            id: new_id(),
                            kind: m.kind,
                            occurred_at: ev.start,
                            duration_minutes: m.duration_minutes,
                            title: m.title,
                            participants: m.participants,
                            team: None,
                            affected_groups: Vec::new(),
                            notes: ev.description.clone(),
                            tags: Vec::new(),
                            private: false,
                            source: ev.uid.clone(),
                            state: TouchpointState::Draft,
                            created_at: now,
                        })));
                        summary.added += 1;
                    }
                    Some(ex) if ex.trashed || ex.reflections > 0 => summary.unchanged += 1,
                    Some(ex) => {
                        let mut t = self.touchpoint(ex.id)?;
                        if t.state != TouchpointState::Draft || ev.all_day {
                            summary.unchanged += 1;
                        } else if ev.cancelled {
                            ops.push(Op::Trash(t.id));
                            summary.removed += 1;
                        } else {
                            let m = meeting(ev, &dir);
                            unmatched.extend(m.unmatched);
                            let people_changed = !same_people(&t.participants, &m.participants);
                            let changed = people_changed
                                || !same_moment(&t.occurred_at, &ev.start)
                                || t.title != m.title
                                || t.duration_minutes != m.duration_minutes;
                            if changed {
                                if people_changed && guessable(t.kind) {
                                    t.kind = m.kind;
                                }
                                t.occurred_at = ev.start;
                                t.title = m.title;
                                t.duration_minutes = m.duration_minutes;
                                t.participants = m.participants;
                                ops.push(Op::Put(Box::new(t)));
                                summary.updated += 1;
                            } else {
                                summary.unchanged += 1;
                            }
                        }
                    }
                }
            }
            tick(progress, i + 1, total, "checking")?;
        }
        unmatched.sort();
        unmatched.dedup();
        summary.unmatched_attendees = unmatched;
        self.apply(ops, progress)?;
        Ok(summary)
    }

    /// Day One / jrnl entries become touchpoints of kind `other`, logged, with their dates, tags and text.
    ///
    /// `origin_tag` (`dayone` or `jrnl`) is added to every entry's tags so the imported
    /// entries can be found and filtered. An entry imported before (same source id, even if
    /// it is in the trash now) is left as it is. `progress` is called while checking and
    /// writing; returning `Break` cancels with an error, and nothing is changed.
    pub fn import_entries(
        &mut self,
        entries: &[ForeignEntry],
        origin_tag: &str,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<ForeignImportSummary> {
        let origin = clean_tags(&[origin_tag.to_string()])?;
        if origin.is_empty() {
            return Err(Error::InvalidInput(
                "imported entries need an origin tag such as \"dayone\" or \"jrnl\"".into(),
            ));
        }
        let total = entries.len();
        let now = Local::now().fixed_offset();
        let mut summary = ForeignImportSummary::default();
        let mut ops = Vec::new();
        let mut seen = HashSet::new();
        tick(progress, 0, total, "checking")?;
        for (i, e) in entries.iter().enumerate() {
            if !usable_source(&e.source_uid) {
                summary.skipped += 1;
            } else if !seen.insert(e.source_uid.as_str())
                || existing_by_source(self.conn(), &e.source_uid)?.is_some()
            {
                summary.unchanged += 1;
            } else {
                let mut tags: Vec<String> = e
                    .tags
                    .iter()
                    .map(|t| clip(t.trim(), MAX_TAG))
                    .chain(origin.iter().cloned())
                    .collect();
                tags = clean_tags(&tags)?;
                ops.push(Op::Put(Box::new(Touchpoint {
                    id: new_id(),
                    kind: TouchpointKind::Other,
                    occurred_at: e.occurred_at,
                    duration_minutes: None,
                    title: entry_title(e),
                    participants: Vec::new(),
                    team: None,
                    affected_groups: Vec::new(),
                    notes: e.text.clone(),
                    tags,
                    private: false,
                    source: e.source_uid.clone(),
                    state: TouchpointState::Logged,
                    created_at: now,
                })));
                summary.added += 1;
            }
            tick(progress, i + 1, total, "checking")?;
        }
        self.apply(ops, progress)?;
        Ok(summary)
    }

    /// Writes the decided operations in one transaction, reporting progress as `writing`.
    fn apply(
        &mut self,
        ops: Vec<Op>,
        progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    ) -> Result<()> {
        let total = ops.len();
        let trashed_at = chrono::Utc::now().timestamp_millis();
        self.write(|tx| {
            tick(progress, 0, total, "writing")?;
            for (i, op) in ops.iter().enumerate() {
                match op {
                    Op::Put(t) => put_touchpoint(tx, t)?,
                    Op::Trash(id) => {
                        tx.execute(
                            "UPDATE touchpoints SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
                            params![id.to_string(), trashed_at],
                        )?;
                    }
                }
                tick(progress, i + 1, total, "writing")?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, FixedOffset};

    use super::*;
    use crate::model::{NewPerson, NewReflection};
    use crate::secret::Passphrase;

    fn fresh() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (journal, _code) = Journal::init(
            &dir.path().join("j"),
            &Passphrase::new("test passphrase one".into()),
        )
        .expect("init");
        (dir, journal)
    }

    fn go(_: Progress) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn who(email: Option<&str>, name: Option<&str>, organizer: bool) -> Attendee {
        Attendee {
            email: email.map(Into::into),
            name: name.map(Into::into),
            organizer,
        }
    }

    fn me() -> Attendee {
        who(Some("me@example.com"), Some("Me"), true)
    }

    fn event(
        uid: &str,
        summary: &str,
        start: &str,
        minutes: i64,
        attendees: Vec<Attendee>,
    ) -> CalendarEvent {
        let start = at(start);
        CalendarEvent {
            uid: uid.into(),
            summary: summary.into(),
            description: format!("agenda of {uid}"),
            start,
            end: Some(start + Duration::minutes(minutes)),
            all_day: false,
            attendees,
            cancelled: false,
        }
    }

    struct People {
        ana: Uuid,
        ben: Uuid,
        cleo: Uuid,
    }

    fn people(j: &mut Journal) -> People {
        let mut add = |name: &str, emails: &[&str]| {
            j.add_person(NewPerson {
                name: name.into(),
                emails: emails.iter().map(|e| e.to_string()).collect(),
                ..NewPerson::default()
            })
            .expect("add person")
            .id
        };
        People {
            ana: add("Ana Lima", &["Ana@Example.com"]),
            ben: add("Ben Ode", &[]),
            cleo: add("Cleo Park", &["cleo@example.com", "c.park@example.org"]),
        }
    }

    /// A 1:1 without a title, a team meeting with one stranger, a cancelled one, an all-day one.
    fn calendar() -> Vec<CalendarEvent> {
        let mut cancelled = event(
            "ics:3",
            "Skip-level",
            "2024-05-08T10:00:00+02:00",
            30,
            vec![me(), who(Some("ana@example.com"), None, false)],
        );
        cancelled.cancelled = true;
        let mut all_day = event(
            "ics:4",
            "Offsite",
            "2024-05-09T00:00:00+02:00",
            24 * 60,
            vec![me(), who(Some("cleo@example.com"), None, false)],
        );
        all_day.all_day = true;
        vec![
            event(
                "ics:1",
                "",
                "2024-05-06T09:00:00+02:00",
                30,
                vec![me(), who(Some("ANA@example.COM"), Some("Ana"), false)],
            ),
            event(
                "ics:2",
                "Weekly sync",
                "2024-05-07T14:00:00+02:00",
                60,
                vec![
                    me(),
                    who(Some("cleo@example.com"), Some("Cleo"), false),
                    who(None, Some("ben ode"), false),
                    who(Some("zed@example.com"), Some("Zed"), false),
                    who(Some("c.park@example.org"), None, false),
                ],
            ),
            cancelled,
            all_day,
        ]
    }

    fn by_source(j: &Journal, source: &str) -> Option<Touchpoint> {
        let id: Option<String> = j
            .conn()
            .query_row(
                "SELECT id FROM touchpoints WHERE source = ?1 AND deleted_at IS NULL",
                [source],
                |r| r.get(0),
            )
            .optional()
            .expect("query");
        id.map(|id| j.touchpoint(id.parse().expect("uuid")).expect("touchpoint"))
    }

    fn count(j: &Journal) -> i64 {
        j.conn()
            .query_row(
                "SELECT count(*) FROM touchpoints WHERE deleted_at IS NULL",
                [],
                |r| r.get(0),
            )
            .expect("count")
    }

    fn summary(
        added: u32,
        updated: u32,
        unchanged: u32,
        removed: u32,
        skipped: u32,
    ) -> ForeignImportSummary {
        ForeignImportSummary {
            added,
            updated,
            unchanged,
            removed,
            skipped,
            unmatched_attendees: vec!["zed@example.com".into()],
            ..ForeignImportSummary::default()
        }
    }

    #[test]
    fn calendar_events_become_drafts_matched_to_people() {
        let (_d, mut j) = fresh();
        let p = people(&mut j);
        let s = j.import_calendar(&calendar(), &mut go).expect("import");
        assert_eq!(s, summary(2, 0, 0, 0, 2));
        assert_eq!(count(&j), 2);

        let one = by_source(&j, "ics:1").expect("1:1 imported");
        assert_eq!(one.kind, TouchpointKind::OneOnOne);
        assert_eq!(one.state, TouchpointState::Draft);
        assert_eq!(
            one.participants,
            vec![p.ana],
            "matched by email, ignoring case"
        );
        assert_eq!(one.title, "One-on-one with Ana Lima");
        assert_eq!(one.duration_minutes, Some(30));
        assert_eq!(one.notes, "agenda of ics:1");
        assert_eq!(
            one.occurred_at.to_rfc3339(),
            "2024-05-06T09:00:00+02:00",
            "offset kept"
        );

        let team = by_source(&j, "ics:2").expect("meeting imported");
        assert_eq!(team.kind, TouchpointKind::TeamMeeting);
        assert_eq!(team.title, "Weekly sync");
        assert_eq!(
            team.participants,
            vec![p.cleo, p.ben],
            "by email, then by name; once each"
        );
        assert_eq!(team.duration_minutes, Some(60));

        assert!(
            by_source(&j, "ics:3").is_none(),
            "a cancelled event is no draft"
        );
        assert!(
            by_source(&j, "ics:4").is_none(),
            "an all-day event is no meeting"
        );
    }

    #[test]
    fn foreign_calendar_import_twice_changes_nothing() {
        let (_d, mut j) = fresh();
        people(&mut j);
        let events = calendar();
        j.import_calendar(&events, &mut go).expect("first");
        let before = by_source(&j, "ics:2");
        let s = j.import_calendar(&events, &mut go).expect("second");
        assert_eq!(s, summary(0, 0, 2, 0, 2));
        assert_eq!(by_source(&j, "ics:2"), before);
        assert_eq!(count(&j), 2);

        let mut doubled = events.clone();
        doubled.push(events[0].clone());
        let s = j.import_calendar(&doubled, &mut go).expect("doubled");
        assert_eq!(s, summary(0, 0, 3, 0, 2));
        assert_eq!(count(&j), 2);
    }

    #[test]
    fn foreign_calendar_follows_moves_and_cancellations_of_drafts() {
        let (_d, mut j) = fresh();
        let p = people(&mut j);
        let mut events = calendar();
        j.import_calendar(&events, &mut go).expect("first");
        let id = by_source(&j, "ics:1").expect("draft").id;

        // The leader writes notes in the draft; the event moves and gains an attendee.
        let mut draft = j.touchpoint(id).expect("draft");
        draft.notes = "talk about the rollout".into();
        j.update_touchpoint(&draft).expect("edit");
        events[0].start = at("2024-05-06T11:00:00+02:00");
        events[0].end = Some(events[0].start + Duration::minutes(45));
        events[0].attendees.push(who(None, Some("Ben Ode"), false));
        let s = j.import_calendar(&events, &mut go).expect("moved");
        assert_eq!(s, summary(0, 1, 1, 0, 2));
        let moved = j.touchpoint(id).expect("same draft");
        assert_eq!(moved.occurred_at, at("2024-05-06T11:00:00+02:00"));
        assert_eq!(moved.duration_minutes, Some(45));
        assert_eq!(moved.participants, vec![p.ana, p.ben]);
        assert_eq!(moved.kind, TouchpointKind::TeamMeeting);
        assert_eq!(
            moved.notes, "talk about the rollout",
            "the leader's notes are kept"
        );
        assert_eq!(moved.state, TouchpointState::Draft);

        events[0].cancelled = true;
        let s = j.import_calendar(&events, &mut go).expect("cancelled");
        assert_eq!(s, summary(0, 0, 1, 1, 2));
        assert!(j.touchpoint(id).is_err(), "the draft is gone");
        assert!(j
            .trashed_touchpoints()
            .expect("trash")
            .iter()
            .any(|(t, _)| t.id == id));

        let s = j.import_calendar(&events, &mut go).expect("again");
        assert_eq!(
            s,
            summary(0, 0, 2, 0, 2),
            "a trashed draft stays in the trash"
        );
        assert_eq!(count(&j), 1);
    }

    #[test]
    fn foreign_calendar_leaves_reflected_entries_alone() {
        let (_d, mut j) = fresh();
        let p = people(&mut j);
        let mut events = calendar();
        j.import_calendar(&events, &mut go).expect("first");
        let id = by_source(&j, "ics:2").expect("draft").id;
        j.reflect(NewReflection {
            touchpoint_id: id,
            person_id: p.cleo,
            answers: Vec::new(),
            their_side: "good sync".into(),
            willingness: 1,
            ability: 1,
            adversarial: false,
            would_have_helped: String::new(),
            next_time: String::new(),
        })
        .expect("reflect");
        let logged = j.touchpoint(id).expect("logged");
        assert_eq!(logged.state, TouchpointState::Logged);

        events[1].start = at("2024-05-07T15:00:00+02:00");
        let s = j.import_calendar(&events, &mut go).expect("moved");
        assert_eq!(s.updated, 0);
        events[1].cancelled = true;
        let s = j.import_calendar(&events, &mut go).expect("cancelled");
        assert_eq!(
            s,
            ForeignImportSummary {
                unmatched_attendees: Vec::new(),
                ..summary(0, 0, 2, 0, 2)
            }
        );
        assert_eq!(j.touchpoint(id).expect("still there"), logged);
    }

    #[test]
    fn foreign_import_cancelled_by_progress_changes_nothing() {
        let (_d, mut j) = fresh();
        people(&mut j);
        let events = calendar();
        // Stop at the very end of writing: everything written so far is rolled back.
        let mut stages = Vec::new();
        let mut stop_last = |p: Progress| {
            stages.push(p.stage.clone());
            if p.stage == "writing" && p.done == p.total {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let err = j
            .import_calendar(&events, &mut stop_last)
            .expect_err("cancelled");
        assert_eq!(err.to_string(), "import cancelled; nothing was changed");
        assert_eq!(count(&j), 0);
        assert!(stages.contains(&"checking".to_string()));

        let mut stop_first = |_: Progress| ControlFlow::Break(());
        assert!(j.import_calendar(&events, &mut stop_first).is_err());
        assert_eq!(count(&j), 0);

        // A cancelled re-import keeps the drafts a cancellation would have removed.
        j.import_calendar(&events, &mut go).expect("import");
        let mut gone = events.clone();
        gone[0].cancelled = true;
        let mut stop_writing = |p: Progress| {
            if p.stage == "writing" {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        assert!(j.import_calendar(&gone, &mut stop_writing).is_err());
        assert!(by_source(&j, "ics:1").is_some());
        assert_eq!(count(&j), 2);
    }

    #[test]
    fn foreign_entries_become_logged_notes_with_tags() {
        let (_d, mut j) = fresh();
        let entries = vec![
            ForeignEntry {
                source_uid: "dayone:AAA".into(),
                occurred_at: at("2023-11-02T21:15:00-05:00"),
                title: "Hard talk with the team".into(),
                text: "They pushed back on the deadline.".into(),
                tags: vec!["Work Life".into(), "ideas".into(), "dayone".into()],
                starred: true,
            },
            ForeignEntry {
                source_uid: "dayone:BBB".into(),
                occurred_at: at("2023-11-03T07:00:00+01:00"),
                title: String::new(),
                text: "\n# Morning pages: a long first line that goes well beyond sixty characters in all\nMore."
                    .into(),
                tags: Vec::new(),
                starred: false,
            },
        ];
        let s = j
            .import_entries(&entries, "dayone", &mut go)
            .expect("import");
        assert_eq!(
            s,
            ForeignImportSummary {
                added: 2,
                ..ForeignImportSummary::default()
            }
        );
        let a = by_source(&j, "dayone:AAA").expect("first entry");
        assert_eq!(a.kind, TouchpointKind::Other);
        assert_eq!(a.state, TouchpointState::Logged);
        assert_eq!(a.tags, vec!["work-life", "ideas", "dayone"]);
        assert_eq!(a.title, "Hard talk with the team");
        assert_eq!(a.notes, "They pushed back on the deadline.");
        assert_eq!(a.occurred_at.to_rfc3339(), "2023-11-02T21:15:00-05:00");
        assert!(a.participants.is_empty());

        let b = by_source(&j, "dayone:BBB").expect("second entry");
        assert_eq!(
            b.title,
            "Morning pages: a long first line that goes well beyond sixty"
        );
        assert_eq!(b.tags, vec!["dayone"]);
        assert_eq!(
            j.tags()
                .expect("tags")
                .iter()
                .find(|(t, _)| t == "dayone")
                .map(|x| x.1),
            Some(2)
        );

        // The leader reclassifies one; a re-import leaves both as they are.
        let mut edited = a.clone();
        edited.kind = TouchpointKind::Feedback;
        j.update_touchpoint(&edited).expect("edit");
        let s = j
            .import_entries(&entries, "dayone", &mut go)
            .expect("again");
        assert_eq!(
            s,
            ForeignImportSummary {
                unchanged: 2,
                ..ForeignImportSummary::default()
            }
        );
        assert_eq!(
            by_source(&j, "dayone:AAA").expect("kept").kind,
            TouchpointKind::Feedback
        );
        assert_eq!(count(&j), 2);
        assert!(
            j.import_entries(&entries, "  ", &mut go).is_err(),
            "an origin tag is needed"
        );
    }

    #[test]
    fn foreign_source_lookup_uses_the_index() {
        let (_d, j) = fresh();
        let plan: Vec<String> = j
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT t.id FROM touchpoints t
                 WHERE t.source = ?1 AND t.source <> 'manual'",
            )
            .expect("prepare")
            .query_map(["ics:1"], |r| r.get(3))
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert!(
            plan.iter().any(|l| l.contains("touchpoints_source")),
            "{plan:?}"
        );
    }
}
